"""The OpenAPI document tells the truth: every operation lists the error responses it can give (in the one error
shape), gives no others, and the request schemas are as strict as the validation — a value the schema forbids is
a 422 naming the field, a value it allows is accepted."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from pamong.api.main import _constrained as constrained
from pamong.api.main import api as ninja_api
from tests.api.conftest import BASE, Api, assert_error, create_payload, token_for

SK = {"number": "SK-1/2026", "date": "2026-01-05", "tmt": "2026-02-01"}


@pytest.fixture
def doc() -> dict[str, Any]:
    return json.loads(json.dumps(ninja_api.get_openapi_schema()))  # as served: string status keys


def operations(doc: dict[str, Any]):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield path.removeprefix(BASE), method, op


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def body_schema(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    return resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])


def documented(op: dict[str, Any]) -> set[int]:
    return {int(s) for s in op["responses"] if int(s) >= 400}


# --- the document -----------------------------------------------------------------------------------------------


def test_every_operation_documents_its_error_responses_in_the_error_shape(doc):
    error = doc["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
    assert set(resolve(doc, error["properties"]["error"])["required"]) == {"code", "message", "details"}
    for path, method, op in operations(doc):
        errors = documented(op)
        params = op.get("parameters", [])
        assert 401 in errors, (method, path)  # every operation needs a login or a token
        if "requestBody" in op:
            assert {400, 422} <= errors, (method, path)
        if method in ("post", "patch", "put", "delete"):
            assert 403 in errors, (method, path)  # CSRF on a session write, at least
        if any(p["in"] == "path" for p in params):
            assert 404 in errors, (method, path)
        for status in errors:
            response = op["responses"][str(status)]
            assert response["description"], (method, path, status)
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/ErrorOut", (method, path, status)


def test_request_schemas_mark_nothing_nullable_that_null_is_refused_for(doc):
    """PATCH fields may be omitted but not null: the schema says string, not string-or-null."""
    patch = body_schema(doc, doc["paths"][f"{BASE}/employees/{{nip}}"]["patch"])
    for name, prop in patch["properties"].items():
        assert "anyOf" not in prop and prop.get("type") != "null" and "default" not in prop or name == "reason", name
    for path, _method, op in operations(doc):
        if "requestBody" in op:
            assert body_schema(doc, op).get("additionalProperties") is False, path  # unknown keys are a 422


# --- behaviour: every documented error happens, and nothing undocumented does -----------------------------------


def _bodies(city) -> dict[tuple[str, str], Any]:
    return {
        ("/employees", "post"): create_payload(city.staff_pos),
        ("/employees/{nip}", "patch"): {"phone": "0812"},
        ("/employees/{nip}/rank", "post"): {"golongan": "II/d", "mkg_years": 10, "sk": SK},
        ("/employees/{nip}/status", "post"): {"status": "tugas_belajar", "sk": SK},
        ("/tokens", "post"): {"name": "uji"},
        ("/performance/skps", "post"): {"employee_id": city.other.pk, "year": 2026},  # exists: 409
        ("/performance/skps/{skp_id}/results", "post"): {"kind": "utama", "text": "Laporan"},
        ("/performance/results/{result_id}/indicators", "post"): {
            "text": "Laporan selesai", "aspect": "kuantitas", "target": "12", "unit_label": "dokumen"},
        ("/performance/skps/{skp_id}/return", "post"): {"note": "lengkapi"},
        ("/performance/skps/{skp_id}/revise", "post"): {"reason": "tugas baru"},
        ("/performance/evaluations", "post"): {
            "employee_id": city.other.pk, "month": "2026-11-01", "hasil": "sesuai", "perilaku": "sesuai"},
        ("/performance/ratings", "post"): RATING | {"ratee_id": city.other.pk},
        ("/performance/appeals", "post"): {"evaluation_id": _APPEALED.get("evaluation", 0), "reasons": "tidak adil"},
        ("/performance/appeals/{appeal_id}/statement", "post"): {"text": "penjelasan"},
        ("/performance/appeals/{appeal_id}/decide", "post"): {"outcome": "upheld", "reason": "sudah sesuai"},
        ("/attendance/leave", "post"): {"kind": "besar", "start": "2026-09-01", "end": "2026-09-30", "reason": "Haji"},
        ("/attendance/checkin", "post"): {"latitude": -0.6806, "longitude": 100.7767},  # admin is no employee: 403
    }  # fmt: skip


_APPEALED: dict[str, int] = {}  # the September evaluation the appeal probes use (set by _performance)


CRITERIA = ("hasil_kerja", "kualitas", "kerja_sama", "pelayanan", "integritas")
RATING = {"period_start": "2026-01-01", "role": "citizen", "scores": dict.fromkeys(CRITERIA, 80)}


def _performance(city) -> tuple[dict[str, Any], dict[str, Any]]:
    """An agreed 2026 SKP of Pegawai Dinas B (rated by the head of region: admin BKPSDM acts) and a draft October
    evaluation: the path values the probes use, present and missing."""

    from pamong.performance import evaluations
    from pamong.performance import skp as skp_services

    admin = city.users["admin"]
    s = skp_services.skp_create(actor=admin, employee_id=city.other.pk, year=2026)
    r = skp_services.skp_result_add(actor=admin, skp_id=s.pk, kind="utama", text="Layanan", pk_reference="PK 1")
    skp_services.skp_indicator_add(actor=admin, result_id=r.pk, text="Layanan selesai", aspect="kuantitas",
                                   target="12", unit_label="layanan")  # fmt: skip
    skp_services.skp_submit(actor=admin, skp_id=s.pk)
    skp_services.skp_agree(actor=admin, skp_id=s.pk)
    ev = evaluations.evaluation_rate(actor=admin, employee_id=city.other.pk, month=dt.date(2026, 10, 1),
                                     hasil="sesuai", perilaku="sesuai")  # fmt: skip
    from pamong.performance import calibration_sessions, ratings

    rating = ratings.rating_submit(actor=admin, ratee_id=city.other.pk, period_start=dt.date(2026, 1, 1),
                                   scores=RATING["scores"], role="citizen")  # fmt: skip
    cs = calibration_sessions.session_compute(actor=admin, period_start=rating.period_start, pool=rating.pool)
    # an appeal, filed by Pegawai Dinas B on a final September evaluation (admin decides for the Wali Kota)
    from pamong.performance import appeals
    from tests import factories as f

    september = evaluations.evaluation_rate(actor=admin, employee_id=city.other.pk, month=dt.date(2026, 9, 1),
                                            hasil="sesuai", perilaku="sesuai", finalise=True)  # fmt: skip
    other_user = f.user("other_api", employee=city.other)
    appeal = appeals.appeal_file(actor=other_user, evaluation_id=september.pk, reasons="Bukti belum dilihat.",
                                 today=september.finalised_at.date())  # fmt: skip
    _APPEALED["evaluation"] = september.pk
    present = {"skp_id": s.pk, "result_id": r.pk, "evaluation_id": ev.pk, "session_id": cs.pk, "appeal_id": appeal.pk}
    return present, dict.fromkeys(present, 999999)


def _bad_param(schema: dict[str, Any]) -> Any:
    schema = schema.get("anyOf", [schema])[0] if "anyOf" in schema else schema
    if "enum" in schema or "$ref" in schema:
        return "zzz"
    if schema.get("type") == "integer":
        return schema["maximum"] + 1 if "maximum" in schema else schema["minimum"] - 1 if "minimum" in schema else "x"
    if "maxLength" in schema:
        return "x" * (schema["maxLength"] + 1)
    raise AssertionError(f"no way to break {schema}")


def _call(client: Client, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None, **kw):
    url = BASE + path
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    if body is None:
        return getattr(client, method)(url, **kw)
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json", **kw)


def test_each_operation_gives_exactly_the_errors_it_documents(doc, city):
    admin = city.users["admin"]
    key = token_for(admin)
    token_id = Api(Client()).use_token(key).get("/tokens").json()[0]["id"]
    perf_present, perf_missing = _performance(city)
    present = {"unit_id": city.opd_a.pk, "nip": city.staff.nip, "token_id": token_id, **perf_present}
    missing = {"unit_id": 999999, "nip": "199901012020011999", "token_id": 999999, **perf_missing}
    bodies = _bodies(city)
    seen: dict[tuple[str, str], set[int]] = {}

    def probe(path_t: str, method: str, op: dict[str, Any], client: Client, *, values=present, body=None, **kw):
        path = path_t.format(**{k: values[k] for k in re.findall(r"{(\w+)}", path_t)})
        if body is None and "requestBody" in op:
            body = bodies[(path_t, method)]
        resp = _call(client, method, path, body, **kw)
        if resp.status_code >= 400:
            assert_error(resp, resp.status_code)
            seen.setdefault((path_t, method), set()).add(resp.status_code)
        return resp

    def session(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    for path_t, method, op in operations(doc):
        bearer = {"headers": {"Authorization": f"Bearer {key}"}}
        probe(path_t, method, op, Client())  # no credentials
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(admin)
        if method != "get":
            probe(path_t, method, op, strict)  # a session write without the CSRF header
        if "requestBody" in op:
            probe(path_t, method, op, session(admin), body="{not json")
            probe(path_t, method, op, session(admin), body={"zzz_unknown": 1})
        for p in op.get("parameters", []):
            if p["in"] == "path":
                probe(path_t, method, op, session(admin), values=missing)
                probe(path_t, method, op, session(admin), values={**present, p["name"]: "abc"})
            elif constrained(p):
                probe(path_t, method, op, session(admin), query={p["name"]: _bad_param(p["schema"])})
        if path_t == "/tokens" and method == "post":
            continue  # session only: a token is refused with 401, seen above without credentials
        probe(path_t, method, op, Client(), **bearer)  # the happy path, by token (no CSRF)

    # refusals that need a particular caller or state
    staff = session(city.users["staff"])  # sees their own record, may not change it
    for path_t in ("/employees/{nip}", "/employees/{nip}/rank", "/employees/{nip}/status"):
        method = "patch" if path_t == "/employees/{nip}" else "post"
        probe(path_t, method, doc["paths"][BASE + path_t][method], staff)
    op = doc["paths"][f"{BASE}/employees"]["post"]
    outside = create_payload(city.other.position)  # Dinas B, outside operator_a's OPD: 403
    probe("/employees", "post", op, session(city.users["operator_a"]), body=outside)
    probe("/employees", "post", op, session(admin), body=create_payload(city.staff_pos, nip=city.staff.nip))  # 409
    probe("/units", "get", doc["paths"][f"{BASE}/units"]["get"], session(admin), query={"parent_id": 999999})

    # performance: the happy path again by session (the token was revoked by DELETE /tokens/{token_id} before the
    # performance operations came), then the refusals of the state machines
    for path_t, method, op in operations(doc):
        if path_t.startswith("/performance/"):
            probe(path_t, method, op, session(admin))

    def perf(path_t: str, body: Any = None, values=present) -> None:
        probe(path_t, "post", doc["paths"][BASE + path_t]["post"], session(admin), values=values, body=body)

    perf("/performance/skps", {"employee_id": 999999, "year": 2026})  # 404
    from pamong.performance import skp as skp_services

    empty = skp_services.skp_create(actor=admin, employee_id=city.staff.pk, year=2026)
    perf("/performance/skps/{skp_id}/submit", values={**present, "skp_id": empty.pk})  # 422: nothing to submit
    perf("/performance/evaluations", {"employee_id": 999999, "month": "2026-11-01", "hasil": "sesuai",
                                      "perilaku": "sesuai"})  # 404  # fmt: skip
    perf("/performance/evaluations", {"employee_id": city.other.pk, "month": "2026-10-01", "hasil": "sesuai",
                                      "perilaku": "sesuai"})  # 409: October is final now  # fmt: skip
    perf("/performance/skps/{skp_id}/revise", {"reason": "lagi"})  # 409: a new version is open already
    perf("/performance/evaluations/{evaluation_id}/finalise")  # 409: final already
    perf("/performance/ratings", RATING | {"ratee_id": 999999})  # 404
    from pamong.performance import calibration_sessions

    cs = calibration_sessions.session_compute(actor=admin, period_start=dt.date(2026, 1, 1), pool="B/pelaksana")
    calibration_sessions.session_close(actor=admin, session_id=cs.pk)
    perf("/performance/ratings", RATING | {"ratee_id": city.other.pk})  # 409: locked by the closed session
    # appeals: the happy path above examined, heard and decided the appeal as admin (for the Wali Kota's seat)
    other = session(city.other.user)
    perf("/performance/appeals", {"evaluation_id": 999999, "reasons": "x"})  # 404
    probe("/performance/appeals", "post", doc["paths"][f"{BASE}/performance/appeals"]["post"], other,
          body={"evaluation_id": _APPEALED["evaluation"], "reasons": "lagi"})  # 409: decided, final  # fmt: skip
    for step in ("examine", "decide"):
        perf(f"/performance/appeals/{{appeal_id}}/{step}", bodies.get((f"/performance/appeals/{{appeal_id}}/{step}",
                                                                       "post")))  # 409: decided  # fmt: skip
    perf("/performance/appeals/{appeal_id}/statement", {"text": "lagi"})  # 409
    probe("/performance/appeals/{appeal_id}/withdraw", "post",
          doc["paths"][f"{BASE}/performance/appeals/{{appeal_id}}/withdraw"]["post"], other)  # 409  # fmt: skip
    # leave: the employee's own request (201), then the same dates again (409: overlapping)
    for _ in range(2):
        probe("/attendance/leave", "post", doc["paths"][f"{BASE}/attendance/leave"]["post"], staff)

    for path_t, method, op in operations(doc):
        got, want = seen.get((path_t, method), set()), documented(op)
        assert got == want, (method, path_t, "returned", sorted(got), "documented", sorted(want))


# --- behaviour: the request schemas are as strict as the validation ---------------------------------------------

CANDIDATES = ["Budi Santoso", "a@b.id", "0812345678", "S1", "x", ""]


def _allowed(prop: dict[str, Any]) -> Any:
    """A value the property's schema allows, as long as it allows (a boundary case), found from the schema."""
    if "enum" in prop:
        return prop["enum"][-1]
    if prop.get("type") == "string":
        limit = prop.get("maxLength", 20)
        for value in ["x" * limit, *CANDIDATES]:
            if len(value) <= limit and re.search(prop.get("pattern", ""), value):
                return value
    raise AssertionError(f"no allowed value for {prop}")


def _forbidden(prop: dict[str, Any]) -> list[Any]:
    """Values the property's schema forbids, each found from the schema: over-long, off-pattern, off-enum."""
    out: list[Any] = [12345]  # not a string
    if "enum" in prop:
        out.append("zzz")
    if "maxLength" in prop:
        out.append("x" * (prop["maxLength"] + 1))
    if "pattern" in prop:
        out += [v for v in ("Budi\r\nEVIL", "=1+1", " ", "x", "a@b") if not re.search(prop["pattern"], v)][:2]
    return out


def test_patch_accepts_what_its_schema_allows_and_refuses_what_it_forbids(doc, api_as, city):
    schema = body_schema(doc, doc["paths"][f"{BASE}/employees/{{nip}}"]["patch"])
    client = api_as("admin")
    for name, prop in schema["properties"].items():
        prop = resolve(doc, prop)
        value = _allowed(prop)
        resp = client.patch(f"/employees/{city.staff.nip}", {name: value})
        assert resp.status_code == 200, (name, value, resp.content[:300])
        for bad in _forbidden(prop):
            err = assert_error(client.patch(f"/employees/{city.staff.nip}", {name: bad}), 422, "validation_failed")
            assert err["details"][0]["loc"][-1] == name, (name, bad, err)


def test_create_refuses_what_its_schema_forbids_field_by_field(doc, api_as, city):
    schema = body_schema(doc, doc["paths"][f"{BASE}/employees"]["post"])
    client = api_as("admin")
    base = create_payload(city.staff_pos)
    checked = 0
    for name, prop in schema["properties"].items():
        prop = resolve(doc, prop)
        if prop.get("format") == "date" or prop.get("type") in ("integer", None):
            bad_values: list[Any] = ["not-a-date" if prop.get("format") == "date" else "x"]
            if "maximum" in prop:
                bad_values.append(prop["maximum"] + 1)
        else:
            bad_values = _forbidden(prop)
        for bad in bad_values:
            err = assert_error(client.post("/employees", base | {name: bad}), 422, "validation_failed")
            assert name in err["details"][0]["loc"], (name, bad, err)
            checked += 1
    assert checked > 60
    assert client.post("/employees", base).status_code == 201  # and the base itself is fine


def test_dates_and_enums_in_the_create_schema(doc):
    schema = body_schema(doc, doc["paths"][f"{BASE}/employees"]["post"])
    assert "II/c" in resolve(doc, schema["properties"]["golongan"])["enum"]
    assert schema["properties"]["tmt_pns"]["anyOf"][1] == {"type": "null"}  # optional and nullable: null is accepted
    assert set(schema["required"]) >= {"nip", "nik", "name", "golongan", "rank_sk_number", "position_sk_number"}


def test_a_throttled_api_documents_429_everywhere(doc):
    """No operation is throttled today (so none lists 429); once the API gets a throttle, every one says so."""
    from pamong.api.main import _document_errors

    assert not any(429 in documented(op) for _p, _m, op in operations(doc))
    _document_errors(doc, throttled=True)
    assert all(429 in documented(op) for _p, _m, op in operations(doc))
