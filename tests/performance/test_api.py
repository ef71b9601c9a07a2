"""The performance API follows the selectors and services: each user reads only the SKPs in their scope (404
otherwise), and only the right party moves an SKP or rates (403), in the one error shape."""

from __future__ import annotations

from django.test import Client

from tests.api.conftest import Api, assert_error


def as_user(user) -> Api:
    return Api(Client()).login(user)


def test_each_user_lists_only_the_skps_in_their_scope(perf):
    skps = perf.chain()
    seen = {
        key: {row["id"] for row in as_user(perf.users[key]).get("/performance/skps", page_size=100).json()["items"]}
        for key in ("staff", "kabid", "head", "other", "assessor", "admin", "inspector", "bpkad", "treasurer_a")
    }
    ids = {k: s.pk for k, s in skps.items()}
    assert seen["staff"] == {ids["staff"]}
    assert seen["kabid"] == {ids["kabid"], ids["staff"], ids["staff2"]}
    assert seen["head"] == set(ids.values())
    assert seen["assessor"] == {ids["staff2"]}  # assigned to Staf Dua only
    assert seen["other"] == set() and seen["bpkad"] == set() and seen["treasurer_a"] == set()
    assert seen["admin"] == seen["inspector"] == set(ids.values())
    assert_error(as_user(perf.users["other"]).get(f"/performance/skps/{ids['staff']}"), 404, "not_found")


def test_the_skp_cycle_through_the_api(perf):
    kabid_skp = perf.agreed_skp("head")
    kabid_skp = perf.agreed_skp("kabid", supports=kabid_skp)
    staff = as_user(perf.users["staff"])
    created = staff.post("/performance/skps", {"employee_id": perf.city.staff.pk, "year": 2026})
    assert created.status_code == 201, created.content
    skp = created.json()
    assert len(skp["behaviours"]) == 7 and skp["penilai_id"] == perf.city.kabid.pk
    supports = kabid_skp.results.first().pk
    r = staff.post(f"/performance/skps/{skp['id']}/results", {"text": "Arsip tertata", "supports_id": supports})
    assert r.status_code == 201, r.content
    indicator = {"text": "Berkas diarsip", "aspect": "kuantitas", "target": "120", "unit_label": "berkas"}
    i = staff.post(f"/performance/results/{r.json()['id']}/indicators", indicator)
    assert i.status_code == 201, i.content
    assert staff.post(f"/performance/skps/{skp['id']}/submit").json()["state"] == "submitted"
    assert_error(staff.post(f"/performance/skps/{skp['id']}/agree"), 403, "forbidden")
    assert_error(as_user(perf.users["other"]).post(f"/performance/skps/{skp['id']}/agree"), 404, "not_found")
    agreed = as_user(perf.users["kabid"]).post(f"/performance/skps/{skp['id']}/agree")
    assert agreed.status_code == 200 and agreed.json()["state"] == "agreed"
    assert_error(staff.post(f"/performance/skps/{skp['id']}/results", {"text": "Lagi"}), 409, "transition_refused")


def test_only_the_penilai_rates_through_the_api(perf):
    perf.chain()
    body = {"employee_id": perf.city.staff.pk, "month": "2026-11-01", "hasil": "di_atas", "perilaku": "di_atas"}
    assert_error(as_user(perf.users["staff"]).post("/performance/evaluations", body), 403, "forbidden")
    assert_error(as_user(perf.users["admin"]).post("/performance/evaluations", body), 403, "forbidden")
    assert_error(as_user(perf.users["other"]).post("/performance/evaluations", body), 404, "not_found")
    rated = as_user(perf.users["kabid"]).post("/performance/evaluations", body | {"finalise": True})
    assert rated.status_code == 201, rated.content
    out = rated.json()
    assert out["predikat"] == "sangat_baik" and out["state"] == "final" and out["capaian_bp"] == 10000
    mine = as_user(perf.users["staff"]).get("/performance/evaluations").json()["items"]
    assert [e["id"] for e in mine] == [out["id"]]
    assert as_user(perf.users["staff2"]).get("/performance/evaluations").json()["items"] == []


def test_an_appeal_through_the_api(perf):
    import datetime as dt

    from pamong.performance import evaluations

    perf.chain()
    ev = evaluations.evaluation_rate(
        actor=perf.users["kabid"],
        employee_id=perf.city.staff.pk,
        month=dt.date(2026, 11, 1),
        hasil="sesuai",
        perilaku="sesuai",
        finalise=True,
    )
    staff, kabid, kepala = (as_user(perf.users[k]) for k in ("staff", "kabid", "head"))
    filed = staff.post("/performance/appeals", {"evaluation_id": ev.pk, "reasons": "Target terlampaui."})
    assert filed.status_code == 201, filed.content
    appeal = filed.json()
    assert appeal["state"] == "filed" and appeal["atasan_id"] == perf.city.head.pk
    assert_error(as_user(perf.users["other"]).get(f"/performance/appeals/{appeal['id']}"), 404, "not_found")
    assert_error(as_user(perf.users["assessor"]).get(f"/performance/appeals/{appeal['id']}"), 404, "not_found")
    assert as_user(perf.users["inspector"]).get(f"/performance/appeals/{appeal['id']}").status_code == 200
    assert_error(kabid.post(f"/performance/appeals/{appeal['id']}/examine"), 403, "forbidden")
    assert kepala.post(f"/performance/appeals/{appeal['id']}/examine").json()["state"] == "examining"
    assert kabid.post(f"/performance/appeals/{appeal['id']}/statement", {"text": "Sesuai bukti."}).status_code == 200
    decision = {
        "outcome": "changed",
        "reason": "Bukti diverifikasi.",
        "new_hasil": "di_atas",
        "new_perilaku": "di_atas",
    }
    assert_error(kabid.post(f"/performance/appeals/{appeal['id']}/decide", decision), 403, "forbidden")
    decided = kepala.post(f"/performance/appeals/{appeal['id']}/decide", decision).json()
    assert decided["state"] == "changed" and decided["correction_id"] is not None
    assert_error(kepala.post(f"/performance/appeals/{appeal['id']}/decide", decision), 409)
    mine = staff.get("/performance/evaluations").json()["items"]
    assert {e["predikat"] for e in mine} == {"baik", "sangat_baik"}  # the original stays; its correction in force
