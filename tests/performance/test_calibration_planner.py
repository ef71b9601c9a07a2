"""The assessor-assignment planner page (engine/planner.py computes; this page shows and confirms)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pamong.accounts.models import AssessorAssignment, Role
from pamong.audit.models import AuditEvent
from tests import factories as f

pytest.importorskip("pamong.performance.engine.planner")  # arrives separately (engine helper)


def login(client, user):
    client.force_login(user)
    return client


def test_planner_shows_pools_and_creates_assignments(client, perf):
    a1 = f.user("penilai_satu", role=Role.ASSESSOR)
    a2 = f.user("penilai_dua", role=Role.ASSESSOR)
    url = reverse("performance:calibration_plan")
    login(client, perf.users["admin"])
    page = client.get(url, {"tahun": 2026}).content.decode()
    assert "Dinas A · Pelaksana" in page and "Kabid A1" in page  # the kabid's staff have no independent rater
    page = client.get(url, {"tahun": 2026, "aksi": "usulkan", "beban": 10}).content.decode()
    assert 'name="pasangan"' in page
    pairs = re.findall(r'name="pasangan" value="(\d+-\d+)"', page)
    assert pairs
    r = client.post(url, {"tahun": 2026, "aksi": "setujui", "pasangan": pairs})
    assert r.status_code == 302
    made = AssessorAssignment.objects.filter(purpose="penilaian kinerja 2026")
    assert made.count() == len(pairs) and {m.assessor_id for m in made} <= {a1.pk, a2.pk, perf.users["assessor"].pk}
    assert AuditEvent.objects.filter(action="assessor_assignment.created").count() >= len(pairs)
    assert AuditEvent.objects.filter(action="calibration_plan.confirmed", object_id="2026").exists()
    page = client.get(url, {"tahun": 2026}).content.decode()
    assert "Kabid A1" not in page.split('id="plan-pools"')[1].split("</table>")[0]


@pytest.mark.parametrize("who", ["assessor", "staff", "inspector", "operator_a"])
def test_planner_is_for_admin_only(client, perf, who):
    login(client, perf.users[who])
    assert client.get(reverse("performance:calibration_plan")).status_code == 404
    r = client.post(reverse("performance:calibration_plan"), {"tahun": 2026, "aksi": "setujui", "pasangan": ["1-1"]})
    assert r.status_code == 404
    assert not AssessorAssignment.objects.filter(purpose__startswith="penilaian kinerja").exists()
