"""Employees through the API: the visibility matrix per role, what each Detail level contains, and the writes."""

from __future__ import annotations

import pytest

from pamong.audit.models import AuditEvent
from pamong.people.models import Employee, FamilyMember
from pamong.people.services import family_member_save

from .conftest import assert_error, create_payload

ALL = {"head", "kabid", "staff", "staff2", "other"}
OPD_A = {"head", "kabid", "staff", "staff2"}

# who sees which employees (list) and at which level (detail); absent = 404
MATRIX: dict[str, dict[str, str]] = {
    "admin": dict.fromkeys(ALL, "full"),
    "inspector": dict.fromkeys(ALL, "full"),
    "bpkad": dict.fromkeys(ALL, "payroll"),
    "operator_a": dict.fromkeys(OPD_A, "full"),
    "treasurer_a": dict.fromkeys(OPD_A, "payroll"),
    "assessor": {"staff2": "work"},
    "kabid": {"kabid": "full", "staff": "work", "staff2": "work"},
    "staff": {"staff": "full"},
}

PERSONAL_KEYS = {"nik", "birth_date", "birth_place", "address", "phone", "email", "gender"}
BANK_KEYS = {"bank_name", "bank_account_number", "bank_account_name"}


def _nips(city, names):
    return {getattr(city, n).nip for n in names}


def _all_keys(obj):
    """Every key anywhere in a JSON value."""
    if isinstance(obj, dict):
        return set(obj) | {k for v in obj.values() for k in _all_keys(v)}
    if isinstance(obj, list):
        return {k for v in obj for k in _all_keys(v)}
    return set()


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_list_shows_exactly_the_visible_employees(api_as, city, role):
    body = api_as(role).get("/employees", page_size=100).json()
    assert {e["nip"] for e in body["items"]} == _nips(city, MATRIX[role])
    assert body["count"] == len(MATRIX[role])


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_detail_allowed_at_its_level_and_denied_as_404(api_as, city, role):
    api = api_as(role)
    for name in sorted(ALL):
        nip = getattr(city, name).nip
        resp = api.get(f"/employees/{nip}")
        expected = MATRIX[role].get(name)
        if expected is None:
            assert_error(resp, 404, "not_found")
            continue
        assert resp.status_code == 200, (role, name, resp.content[:300])
        body = resp.json()
        assert body["nip"] == nip
        assert body["detail_level"] == expected, (role, name)
        keys = _all_keys(body)
        if expected == "work":
            assert body["payroll"] is None and body["personal"] is None
            assert body["family"] is None and body["history"] is None
            assert not (PERSONAL_KEYS | BANK_KEYS | {"family_facts"}) & keys
        elif expected == "payroll":
            assert set(body["payroll"]) >= BANK_KEYS
            assert set(body["payroll"]["family_facts"]) == {
                "spouse_allowance",
                "children_eligible",
                "children_paid",
                "ptkp",
            }
            assert body["personal"] is None and body["family"] is None and body["history"] is None
            assert not PERSONAL_KEYS & keys
        else:
            assert body["personal"]["nik"] == getattr(city, name).nik
            assert body["personal"]["birth_date"] == getattr(city, name).birth_date.isoformat()
            assert isinstance(body["family"], list)
            assert set(body["history"]) == {"rank", "position", "kgb", "status", "education"}


def test_list_items_carry_work_fields_only_even_for_full_viewers(api_as, city):
    items = api_as("admin").get("/employees").json()["items"]
    keys = _all_keys(items)
    assert not (PERSONAL_KEYS | BANK_KEYS) & keys
    assert {"nip", "full_name", "golongan", "pangkat", "unit", "position", "status"} <= keys


def test_full_detail_lists_family_and_histories(api_as, city):
    family_member_save(
        actor=None,
        employee=city.staff,
        relation="spouse",
        name="Istri Staf",
        birth_date=city.staff.birth_date,
        gender="P",
    )
    body = api_as("operator_a").get(f"/employees/{city.staff.nip}").json()
    assert [m["name"] for m in body["family"]] == ["Istri Staf"]
    assert body["family"][0]["relation"] == FamilyMember.Relation.SPOUSE
    assert body["payroll"]["family_facts"]["spouse_allowance"] is True
    assert body["payroll"]["family_facts"]["ptkp"] == "K/0"
    assert body["history"]["rank"][0]["golongan"] == "II/c"
    assert body["history"]["rank"][0]["sk_number"].startswith("SK-PKT/")
    assert body["history"]["position"][0]["position"]["id"] == city.staff_pos.pk
    assert body["pangkat"] == "Pengatur"


def test_payroll_detail_shows_family_facts_but_not_members(api_as, city):
    family_member_save(
        actor=None, employee=city.staff, relation="spouse", name="X", birth_date=city.staff.birth_date, gender="P"
    )
    body = api_as("treasurer_a").get(f"/employees/{city.staff.nip}").json()
    assert body["payroll"]["family_facts"]["ptkp"] == "K/0"
    assert body["payroll"]["bank_account_number"] == city.staff.bank_account_number
    assert body["family"] is None
    assert "X" not in str(body)


# --- filters and paging -----------------------------------------------------------------------------------------


def test_filters(api_as, city):
    api = api_as("admin")

    def nips(**params):
        return {e["nip"] for e in api.get("/employees", **params).json()["items"]}

    assert nips(q="staf") == _nips(city, {"staff", "staff2"})
    assert nips(q=city.kabid.nip[:8]) == _nips(city, {"kabid"})  # NIP prefix (birth date)
    assert nips(q=city.other.nip) == _nips(city, {"other"})
    assert nips(unit_id=city.opd_a.pk) == _nips(city, OPD_A)  # subtree
    assert nips(unit_id=city.bidang_a.pk) == _nips(city, {"kabid", "staff", "staff2"})
    assert nips(golongan="IV") == _nips(city, {"head", "kabid"})
    assert nips(golongan="II/c") == _nips(city, {"staff"})
    assert nips(employee_type="PPPK") == _nips(city, {"staff2"})
    assert nips(status="aktif") == _nips(city, ALL - {"staff2"}) | (
        _nips(city, {"staff2"}) if city.staff2.status == "aktif" else set()
    )
    assert nips(status="pensiun") == set()


def test_filters_never_widen_visibility(api_as, city):
    assert api_as("operator_a").get("/employees", unit_id=city.opd_b.pk).json()["count"] == 0
    assert api_as("staff").get("/employees", q=city.other.nip).json()["count"] == 0


def test_pages_are_bounded_and_past_the_end_is_empty(api_as, city):
    api = api_as("admin")
    first = api.get("/employees", page_size=2).json()
    second = api.get("/employees", page_size=2, page=2).json()
    third = api.get("/employees", page_size=2, page=3).json()
    assert first["count"] == 5 and (first["page"], first["page_size"]) == (1, 2)
    names = [e["name"] for e in first["items"] + second["items"] + third["items"]]
    assert names == sorted(names) and len(set(names)) == 5
    past = api.get("/employees", page_size=2, page=99).json()
    assert past == {"items": [], "count": 5, "page": 99, "page_size": 2}
    huge = api.get("/employees", page=10**15).json()
    assert huge["items"] == [] and huge["count"] == 5


# --- writes -----------------------------------------------------------------------------------------------------


def test_operator_creates_employee_in_own_opd(api_as, city):
    body = create_payload(city.staff_pos, name="Pegawai Baru", reason="formasi 2026")
    resp = api_as("operator_a").post("/employees", body)
    assert resp.status_code == 201, resp.content
    out = resp.json()
    assert out["nip"] == body["nip"] and out["detail_level"] == "full"
    emp = Employee.objects.get(nip=body["nip"])
    assert emp.unit_id == city.bidang_a.pk
    assert emp.rank_history.get().sk_number == body["rank_sk_number"]
    event = AuditEvent.objects.filter(action="employee.created", object_id=str(emp.pk)).get()
    assert event.actor_id == city.users["operator_a"].pk and event.reason == "formasi 2026"


def test_admin_creates_employee_anywhere(api_as, city):
    body = create_payload(city.other.position)
    assert api_as("admin").post("/employees", body).status_code == 201


def test_patch_changes_contact_and_bank_fields_only(api_as, city):
    resp = api_as("operator_a").patch(
        f"/employees/{city.staff.nip}",
        {"phone": "08123456789", "bank_account_number": "555000111", "reason": "surat pegawai"},
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["personal"]["phone"] == "08123456789"
    assert resp.json()["payroll"]["bank_account_number"] == "555000111"
    city.staff.refresh_from_db()
    assert (city.staff.phone, city.staff.bank_account_number) == ("08123456789", "555000111")
    assert city.staff.name == "Staf Satu"  # untouched
    assert AuditEvent.objects.filter(action="employee.updated", object_id=str(city.staff.pk)).exists()


def test_patch_refuses_non_digit_bank_account(api_as, city):
    assert_error(
        api_as("operator_a").patch(f"/employees/{city.staff.nip}", {"bank_account_number": "12-34"}),
        422,
        "validation_failed",
    )


def test_rank_change_with_sk(api_as, city):
    body = {
        "golongan": "II/d",
        "mkg_years": 10,
        "mkg_months": 0,
        "sk": {"number": "800/12/BKPSDM/2026", "date": "2026-03-01", "tmt": "2026-04-01"},
        "reason": "kenaikan pangkat reguler",
    }
    resp = api_as("operator_a").post(f"/employees/{city.staff.nip}/rank", body)
    assert resp.status_code == 201, resp.content
    assert resp.json()["golongan"] == "II/d" and resp.json()["sk_number"] == "800/12/BKPSDM/2026"
    city.staff.refresh_from_db()
    assert city.staff.golongan == "II/d"


def test_status_change_with_sk(api_as, city):
    body = {
        "status": "tugas_belajar",
        "note": "S2",
        "sk": {"number": "SK-TB/1", "date": "2026-01-05", "tmt": "2026-02-01"},
    }
    resp = api_as("admin").post(f"/employees/{city.other.nip}/status", body)
    assert resp.status_code == 201, resp.content
    assert resp.json()["status"] == "tugas_belajar"
    city.other.refresh_from_db()
    assert city.other.status == "tugas_belajar"
    assert_error(
        api_as("admin").post(f"/employees/{city.other.nip}/status", body | {"status": "cuti"}), 422, "validation_failed"
    )
