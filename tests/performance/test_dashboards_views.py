"""The performance dashboards: who sees which units, the numbers on a small city, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pamong.core.errors import NotVisible
from pamong.performance.dashboards import performance_dashboard
from pamong.performance.models import Appeal, Evaluation, Realisation, SkpIndicator, UnitYear
from tests import factories as f

TODAY = dt.date(2026, 12, 10)
NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def _ev(skp, user, kind, start, end, hasil, perilaku, predikat, state="final"):
    return Evaluation.objects.create(
        employee=skp.employee, skp=skp, kind=kind, period_start=start, period_end=end, state=state, hasil=hasil,
        perilaku=perilaku, predikat=predikat, rated_by=user,
    )  # fmt: skip


@pytest.fixture
def data(perf):
    skps = perf.chain()
    admin = perf.users["admin"]
    for key, months in (("staff", (NOV, DEC)), ("kabid", (NOV,))):
        ind = SkpIndicator.objects.get(result__skp=skps[key])
        for m in months:
            Realisation.objects.create(indicator=ind, period=m, value=1, entered_by=admin)
    nov_end = dt.date(2026, 11, 30)
    ev_staff = _ev(skps["staff"], admin, "periodic", NOV, nov_end, "sesuai", "sesuai", "baik")
    _ev(skps["kabid"], admin, "periodic", NOV, nov_end, "di_atas", "di_atas", "sangat_baik")
    _ev(skps["staff2"], admin, "periodic", NOV, nov_end, "sesuai", "sesuai", "baik", state="draft")
    y0, y1 = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    for key in ("kabid", "staff", "staff2"):
        _ev(skps[key], admin, "annual", y0, y1, "sesuai", "sesuai", "baik")
    UnitYear.objects.create(unit=perf.city.bidang_a, year=2026, organisasi="baik", set_by=admin,
                            finalised_at=dt.datetime(2026, 12, 9, tzinfo=dt.UTC), finalised_by=admin)  # fmt: skip
    Appeal.objects.create(evaluation=ev_staff, employee=perf.city.staff, atasan=perf.city.head, reasons="Tidak adil",
                          decide_by=dt.date(2026, 12, 1))  # fmt: skip
    return skps


def test_city_view_numbers(perf, data):
    d = performance_dashboard(perf.users["admin"], today=TODAY)
    assert d.group_kind == "opd"
    rows = {u.name: fig for u, fig in d.rows}
    assert set(rows) == {"Dinas A", "Dinas B"}
    a, b = rows["Dinas A"], rows["Dinas B"]
    assert (a.employees, a.skp["agreed"], a.skp["none"]) == (4, 4, 0)
    assert (b.employees, b.skp["none"]) == (1, 1)
    assert (d.total.indicators, d.total.realised_this, d.total.realised_last) == (4, 1, 2)
    assert (d.total.progress_this, d.total.progress_last) == (25, 50)
    assert d.total.overdue == 2  # the head (no November evaluation) and Staf Dua (a draft)
    assert d.annual_year == 2026 and d.total.annual["baik"] == 3
    assert d.periodic_month == NOV  # nothing for December yet: November is shown
    assert d.periodic["baik"] == 1 and d.periodic["sangat_baik"] == 1
    assert (d.total.appeals_open, d.total.appeals_overdue) == (1, 1)
    assert (a.units_checked, a.units_off_pattern) == (1, 1)
    (pola,) = d.pola
    assert pola.unit_id == perf.city.bidang_a.pk and pola.counts["baik"] == 3
    assert any("70%" in v for v in pola.violations) and any("Butuh Perbaikan" in v for v in pola.violations)


def test_skp_states_count_the_furthest_version(perf, data):
    from pamong.performance import skp as skp_services

    skp_services.skp_create(actor=perf.users["other"], employee_id=perf.city.other.pk, year=2026)
    d = performance_dashboard(perf.users["admin"], today=TODAY)
    assert d.total.skp == {"none": 0, "draft": 1, "submitted": 0, "agreed": 4}


def test_unit_view_checks_the_units_pattern(perf, data):
    d = performance_dashboard(perf.users["admin"], unit_id=perf.city.bidang_a.pk, today=TODAY)
    assert d.group_kind == "child" and d.total.employees == 3
    whole = performance_dashboard(perf.users["admin"], unit_id=perf.city.opd_a.pk, today=TODAY)
    assert {u.name: fig.employees for u, fig in whole.rows} == {"Dinas A": 1, "Bidang A1": 3}  # the subtree summed
    assert {u.name: fig.units_off_pattern for u, fig in whole.rows} == {"Dinas A": 0, "Bidang A1": 1}
    assert [p.unit_id for p in d.pola] == [perf.city.bidang_a.pk]


@pytest.mark.parametrize(
    ("user", "employees"),
    [("admin", 5), ("inspector", 5), ("operator_a", 4), ("kabid", 2)],
)
def test_who_sees_which_employees(perf, data, user, employees):
    assert performance_dashboard(perf.users[user], today=TODAY).total.employees == employees


@pytest.mark.parametrize("user", ["staff", "assessor", "treasurer_a", "bpkad"])
def test_others_have_no_dashboard(perf, data, user, client):
    with pytest.raises(NotVisible):
        performance_dashboard(perf.users[user], today=TODAY)
    client.force_login(perf.users[user])
    assert client.get("/kinerja/ringkasan/").status_code == 404


def test_unit_pages_outside_the_scope_are_404(perf, data, client):
    client.force_login(perf.users["operator_a"])
    assert client.get(f"/kinerja/ringkasan/unit/{perf.city.opd_b.pk}/").status_code == 404
    assert client.get(f"/kinerja/ringkasan/unit/{perf.city.bidang_a.pk}/").status_code == 200
    client.force_login(perf.users["kabid"])
    assert client.get(f"/kinerja/ringkasan/unit/{perf.city.opd_b.pk}/").status_code == 404
    assert client.get(f"/kinerja/ringkasan/unit/{perf.city.bidang_a.pk}/").status_code == 200
    assert client.get("/kinerja/ringkasan/unit/999999/").status_code == 404


def test_pages_render_with_charts_data(perf, data, client):
    client.force_login(perf.users["admin"])
    page = client.get("/kinerja/ringkasan/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="chart-skp"' in body and 'id="per-group"' in body and "Dinas B" in body
    assert "<script>" not in body  # data only through json_script
    unit = client.get(f"/kinerja/ringkasan/unit/{perf.city.bidang_a.pk}/").content.decode()
    assert "tidak sesuai pola" in unit


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries(perf, data, client, django_assert_max_num_queries):
    client.force_login(perf.users["admin"])
    before = _count(client, "/kinerja/ringkasan/")
    # more units, employees, SKPs do not add queries
    for i in range(3):
        u = f.unit(f"Dinas X{i}")
        pos = f.position(u, f"Kepala X{i}", kind="jpt", kelas=14, eselon="II.b")
        f.employee(pos, name=f"Kepala X{i}")
    assert _count(client, "/kinerja/ringkasan/") == before
    with django_assert_max_num_queries(14):
        client.get("/kinerja/ringkasan/")
    client.force_login(perf.users["kabid"])  # 21 on PostgreSQL: its SET LOCAL jit = off
    with django_assert_max_num_queries(21):
        client.get(f"/kinerja/ringkasan/unit/{perf.city.bidang_a.pk}/")


def test_a_long_table_lists_the_units_needing_attention_first(perf, data, monkeypatch):
    from pamong.performance import dashboards

    monkeypatch.setattr(dashboards, "ROWS_LIMIT", 1)
    d = performance_dashboard(perf.users["admin"], today=TODAY)
    assert [u.name for u, _f in d.rows] == ["Dinas A"] and d.rows_more == 1  # 2 overdue there, none in Dinas B


def test_figures_of_one_scope_are_reused_for_the_cache_time(perf, settings, django_assert_max_num_queries):
    """At a province's size the aggregates take about a second: a second view of the same scope within
    PAMONG_DASHBOARD_CACHE_SECONDS reuses them (and says when they were computed); 0 turns this off."""
    from pamong.performance.dashboards import performance_dashboard

    settings.PAMONG_DASHBOARD_CACHE_SECONDS = 300
    admin = perf.users["admin"]
    first = performance_dashboard(admin)
    assert first.computed_at is not None
    perf.chain()  # the figures change...
    with django_assert_max_num_queries(4):  # the user's access and one cache read
        again = performance_dashboard(perf.users["inspector"])  # ...another user with the same scope
    assert again.computed_at == first.computed_at and again.total.skp == first.total.skp
    settings.PAMONG_DASHBOARD_CACHE_SECONDS = 0
    fresh = performance_dashboard(admin)
    assert fresh.total.skp["agreed"] == first.total.skp["agreed"] + 4
