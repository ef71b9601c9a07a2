from __future__ import annotations

from django.urls import reverse

from tests import factories as f


def test_unit_tree_indents_by_depth_and_counts(login, city):
    body = login("staff").get(reverse("unit_tree")).content.decode()
    assert 'style="--depth: 0" data-depth="0"' in body and 'style="--depth: 1" data-depth="1"' in body
    row = body[body.index("Bidang A1") :]
    assert '<td class="num">3</td>' in row[: row.index("</tr>")]  # kabid, staff, staff2


def test_unit_subtree(login, city):
    body = login("admin").get(reverse("unit_tree"), {"root": city.opd_a.pk}).content.decode()
    assert "Bidang A1" in body and "Dinas B" not in body


def test_position_list_shows_abk_gap(login, city):
    f.position(city.bidang_a, "Analis Kosong", seats_abk=4)
    body = login("staff").get(reverse("position_list"), {"q": "Pengadministrasi A1"}).content.decode()
    tbody = body[body.index("<tbody>") :]
    row = tbody[tbody.index("Pengadministrasi A1") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">3</td>' in row  # ABK 3 seats, 2 filled (staff, staff2)
    assert "gap-plus" in row and "+1" in row
    body = login("staff").get(reverse("position_list"), {"q": "Analis Kosong"}).content.decode()
    assert "+4" in body
    body = login("staff").get(reverse("position_list"), {"kind": "jpt"}).content.decode()
    assert "Kepala Dinas A" in body and "II.b" in body and "Pengadministrasi A1" not in body
