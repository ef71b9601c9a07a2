"""Dashboard per role: charts with the same numbers as tables, due lists scoped by the selectors; own card for staff."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

from tests import factories as f


def _section(body: str, title_id: str) -> str:
    start = body.index(f'id="{title_id}"')
    return body[start : body.index("</section>", start)]


def test_operator_dashboard_is_scoped_to_own_opd(login, city):
    body = login("operator_a").get(reverse("dashboard")).content.decode()
    kgb = _section(body, "kgb-title")
    assert city.staff.nip in kgb and city.head.nip in kgb
    assert city.other.nip not in kgb  # Dinas B's KGB is due too, but not the operator's business
    opd = _section(body, "opd-title")
    assert "Dinas A" in opd and "Dinas B" not in opd


def test_admin_dashboard_counts_every_opd(login, city):
    response = login("admin").get(reverse("dashboard"))
    body = response.content.decode()
    assert "Dinas B" in _section(body, "opd-title")
    assert city.other.nip in _section(body, "kgb-title")
    data = json.loads(body.split('id="chart-opd" type="application/json">')[1].split("</script>")[0])
    assert dict(zip(data["labels"], data["values"], strict=True)) == {"Dinas A": 4, "Dinas B": 1}
    assert "vendor/chart.js-4.6.1/chart.umd.min.js" in body
    assert '<canvas data-chart="chart-golongan"' in body
    for table_caption in ("Pegawai aktif per golongan", "Pegawai aktif per jenis", "Pegawai per status kepegawaian"):
        assert table_caption in body


def test_pension_list_shows_who_retires_within_a_year(login, city):
    soon = f.employee(
        city.staff_pos, name="Hampir Pensiun", birth=dt.date.today().replace(day=1) - dt.timedelta(days=58 * 365)
    )
    body = login("operator_a").get(reverse("dashboard")).content.decode()
    bup = _section(body, "bup-title")
    assert soon.nip in bup and city.staff.nip not in bup


def test_staff_sees_own_summary_card_not_statistics(login, city):
    body = login("staff").get(reverse("dashboard")).content.decode()
    card = _section(body, "me-title")
    assert city.staff.nip in card and "Pengadministrasi A1" in card
    assert "chart-opd" not in body and "chart.umd.min.js" not in body
    assert city.staff2.nip not in body


def test_supervisor_card_links_to_subordinates(login, city):
    body = login("kabid").get(reverse("dashboard")).content.decode()
    assert city.kabid.nip in body and "Pegawai bawahan" in body


def test_user_without_role_or_record_gets_a_hint(client, city):
    client.force_login(f.user("tamu"))
    body = client.get(reverse("dashboard")).content.decode()
    assert "belum terhubung" in body


def test_overdue_kgb_is_marked_with_how_long_and_counted(login, city):
    from pamong.people.models import Employee

    today = dt.date.today()
    Employee.objects.exclude(pk=city.staff.pk).update(next_kgb_on=today + dt.timedelta(days=30))
    Employee.objects.filter(pk=city.staff.pk).update(next_kgb_on=today.replace(day=1) - dt.timedelta(days=100))
    body = login("operator_a").get(reverse("dashboard")).content.decode()
    kgb = _section(body, "kgb-title")
    staff_row = kgb[kgb.rindex("<tr", 0, kgb.index(city.staff.nip)) : kgb.index("</tr>", kgb.index(city.staff.nip))]
    head_row = kgb[kgb.rindex("<tr", 0, kgb.index(city.head.nip)) : kgb.index("</tr>", kgb.index(city.head.nip))]
    assert 'class="overdue"' in staff_row and "terlambat 4 bulan" in staff_row
    assert "terlambat" not in head_row
    assert "1 KGB sudah lewat tanggalnya dan belum ada SK-nya." in kgb
    assert reverse("kgb:due_list") in kgb  # the operator may process it
    assert reverse("kgb:due_list") not in _section(login("treasurer_a").get(reverse("dashboard")).content.decode(),
                                                   "kgb-title")  # fmt: skip
