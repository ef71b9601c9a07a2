"""Units and positions: readable by every authenticated user, in tree order, with filters and paging."""

from __future__ import annotations

from tests import factories as f

from .conftest import assert_error


def test_units_in_tree_order_with_depth_and_headcount(api_as, city):
    units = api_as("staff").get("/units").json()
    assert [u["code"] for u in units] == ["A", "A1", "B"]
    by_code = {u["code"]: u for u in units}
    assert by_code["A1"]["depth"] == 1 and by_code["A1"]["parent_id"] == city.opd_a.pk
    assert by_code["A1"]["opd_id"] == city.opd_a.pk
    assert by_code["A"]["headcount"] == 1 and by_code["A1"]["headcount"] == 3


def test_units_filter_by_kind_and_parent(api_as, city):
    api = api_as("staff")
    assert [u["code"] for u in api.get("/units", kind="bidang").json()] == ["A1"]
    assert [u["code"] for u in api.get("/units", kind="opd").json()] == ["A", "B"]
    assert [u["code"] for u in api.get("/units", parent_id=city.opd_a.pk).json()] == ["A1"]
    assert api.get("/units", parent_id=city.opd_b.pk).json() == []
    assert_error(api.get("/units", parent_id=424242), 404, "not_found")
    assert_error(api.get("/units", kind="planet"), 422, "validation_failed")


def test_unit_detail(api_as, city):
    body = api_as("assessor").get(f"/units/{city.bidang_a.pk}").json()
    assert body == {
        "id": city.bidang_a.pk,
        "code": "A1",
        "name": "Bidang A1",
        "kind": "bidang",
        "parent_id": city.opd_a.pk,
        "opd_id": city.opd_a.pk,
        "depth": 1,
        "active": True,
    }


def test_units_need_authentication(api, city):
    assert_error(api.get("/units"), 401, "not_authenticated")


def test_positions_filters_and_paging(api_as, city):
    api = api_as("kabid")
    body = api.get("/positions").json()
    assert body["count"] == 4 and body["page"] == 1
    staff = next(p for p in body["items"] if p["id"] == city.staff_pos.pk)
    assert staff["filled"] == 2 and staff["seats_abk"] == 3
    assert staff["superior"]["id"] == city.kabid_pos.pk and staff["unit"]["code"] == "A1"

    def ids(**params):
        return {p["id"] for p in api.get("/positions", **params).json()["items"]}

    assert ids(unit_id=city.opd_a.pk) == {city.head_pos.pk, city.kabid_pos.pk, city.staff_pos.pk}  # subtree
    assert ids(unit_id=city.bidang_a.pk) == {city.kabid_pos.pk, city.staff_pos.pk}
    assert ids(kind="jpt") == {city.head_pos.pk}
    assert ids(q="kepala") == {city.head_pos.pk, city.kabid_pos.pk}
    assert ids(q=city.staff_pos.code) == {city.staff_pos.pk}
    assert_error(api.get("/positions", kind="menteri"), 422, "validation_failed")
    past = api.get("/positions", page=5, page_size=10).json()
    assert past["items"] == [] and past["count"] == 4


def test_position_pages_do_not_repeat_or_skip_rows_with_equal_sort_keys(api_as, city):
    for _ in range(5):
        f.position(city.opd_b, "Pengadministrasi B")  # same unit, class and name: only the id orders them
    api = api_as("admin")
    seen = []
    for page in (1, 2, 3, 4):
        seen += [p["id"] for p in api.get("/positions", unit_id=city.opd_b.pk, page=page, page_size=2).json()["items"]]
    assert len(seen) == 6 and len(set(seen)) == 6
