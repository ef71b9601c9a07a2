"""The seeded demo city: it builds, it is reproducible, its identifiers validate, its logins work, and its
audit chain verifies. One small city (300 ASN) is built once for the module and rolled back afterwards."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from pamong.accounts.models import AssessorAssignment, Role, RoleGrant, User
from pamong.audit.models import AuditEvent
from pamong.audit.services import verify_chain
from pamong.core.identifiers import parse_nip, validate_nik, validate_nip
from pamong.core.tree import child_path
from pamong.demo.build import DEMO_PASSWORD, LOGINS
from pamong.demo.generate import generate
from pamong.org import services as org_services
from pamong.org.models import Position, Unit
from pamong.people.models import ACTIVE_STATUSES, Employee, FamilyMember, StatusHistory
from pamong.people.selectors import employees_visible_to

SIZE, SEED, TODAY = 300, 7, dt.date(2026, 3, 15)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    # the demo signs a checkpoint; this city is rolled back, so it must not anchor the other tests' chains
    before, settings.AUDIT_CHECKPOINT_FILE = settings.AUDIT_CHECKPOINT_FILE, tmp_path_factory.mktemp("demo") / "cp"
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("demo", size=SIZE, seed=SEED, today=TODAY, no_serve=True, keep_db=True, verbosity=0)
            yield
            transaction.set_rollback(True)
    finally:
        settings.AUDIT_CHECKPOINT_FILE = before


@pytest.fixture
def demo(demo_city, db):
    return None


def test_small_city_builds_with_the_requested_size(demo):
    assert Employee.objects.count() == SIZE
    assert Unit.objects.filter(parent__isnull=True).count() >= 30  # OPD, RSUD and the four kecamatan
    assert Position.objects.filter(kind="jpt", holders__isnull=False).count() >= 25
    assert AuditEvent.objects.filter(action="unit.created").count() == Unit.objects.count()
    assert AuditEvent.objects.filter(action="position.created").count() == Position.objects.count()


def test_tree_paths_and_opd_are_what_the_org_services_would_write(demo):
    units = {u.pk: u for u in Unit.objects.all()}
    for u in units.values():
        parent = units.get(u.parent_id)
        assert u.path == child_path(parent.path if parent else "", u.pk)
        assert u.opd_id == (u.pk if parent is None or u.kind == "opd" else parent.opd_id)
    positions = {p.pk: p for p in Position.objects.all()}
    for p in positions.values():
        sup = positions.get(p.superior_id)
        assert p.path == child_path(sup.path if sup else "", p.pk)
    kel = Unit.objects.filter(kind="kelurahan").select_related("opd").first()
    assert kel is not None and kel.opd.kind == "kecamatan"
    # the id sequences still work for later writes through the services
    new = org_services.unit_create(actor=None, code="BARU", name="Unit Baru", kind="bidang", parent=kel.opd)
    assert new.pk > max(units)


def test_same_seed_gives_the_same_city_and_another_seed_another():
    a = generate(size=200, seed=11, today=TODAY)
    b = generate(size=200, seed=11, today=TODAY)
    c = generate(size=200, seed=12, today=TODAY)
    assert [p.nip for p in a.persons] == [p.nip for p in b.persons]
    assert [(p.name, p.nik, p.golongan) for p in a.persons] == [(p.name, p.nik, p.golongan) for p in b.persons]
    assert [p.nip for p in a.persons] != [p.nip for p in c.persons]


def test_every_generated_nip_and_nik_validates(demo):
    for e in Employee.objects.all():
        assert validate_nip(e.nip, birth_date=e.birth_date, gender=e.gender, pppk=e.employee_type == "PPPK")
        assert validate_nik(e.nik, birth_date=e.birth_date, gender=e.gender)
        if e.employee_type != "PPPK":
            assert e.nip[8:14] == f"{e.tmt_cpns:%Y%m}"
    for m in FamilyMember.objects.exclude(nik=""):
        assert validate_nik(m.nik, birth_date=m.birth_date, gender=m.gender)
    types = dict(Employee.objects.values_list("nip", "employee_type"))
    for m in FamilyMember.objects.exclude(spouse_nip=""):  # a couple in the city, or a PNS elsewhere
        assert parse_nip(m.spouse_nip, pppk=types.get(m.spouse_nip) == "PPPK").gender == m.gender


def test_every_demo_login_exists_with_its_grants(demo):
    expected = {lg.username: (lg.role, lg.unit) for lg in LOGINS}
    users = {u.username: u for u in User.objects.filter(username__in=expected)}
    assert set(users) == set(expected)
    for name, (role, unit) in expected.items():
        assert users[name].check_password(DEMO_PASSWORD)
        grants = list(RoleGrant.objects.filter(user=users[name]).values_list("role", "unit__code"))
        assert grants == ([(role, unit)] if role else [])
    assert AssessorAssignment.objects.filter(assessor=users["penilai"]).count() == 10
    assert employees_visible_to(users["penilai"]).count() == 10
    assert employees_visible_to(users["admin"]).count() == SIZE
    dinkes = employees_visible_to(users["operator.dinkes"])
    assert dinkes.exists() and not dinkes.exclude(unit__code__startswith="DINKES").exists()


def test_employee_login_reports_to_the_supervisor_login(demo):
    pegawai = Employee.objects.select_related("position").get(user__username="pegawai")
    atasan = Employee.objects.select_related("position").get(user__username="atasan")
    assert atasan.position.kind == "administrator"  # a kepala bidang
    assert pegawai.position.superior_id == atasan.position_id
    assert pegawai.status == "aktif"
    visible = employees_visible_to(User.objects.get(username="atasan"))
    assert visible.filter(pk=pegawai.pk).exists()
    assert list(employees_visible_to(User.objects.get(username="pegawai"))) == [pegawai]
    assert Employee.objects.get(user__username="kepala.bpkad").position.code == "BPKAD.KEPALA"


def test_distribution_roughly_holds(demo):
    types = Counter(Employee.objects.values_list("employee_type", flat=True))
    assert types["PNS"] and types["CPNS"] and types["PPPK"]
    assert 0.25 <= types["PPPK"] / SIZE <= 0.55 and 0.4 <= types["PNS"] / SIZE <= 0.75
    statuses = set(Employee.objects.values_list("status", flat=True))
    assert {"aktif", "cpns", "tugas_belajar", "cltn", "diberhentikan_sementara", "pensiun"} <= statuses
    assert StatusHistory.objects.filter(status="pensiun").exists()
    for kec in Unit.objects.filter(kind="kecamatan"):
        assert kec.children.filter(kind__in=["kelurahan", "desa"]).exists(), kec
    assert Unit.objects.filter(kind="kecamatan").count() == 4
    assert Unit.objects.filter(kind="kelurahan").count() == 10
    assert Unit.objects.filter(kind="puskesmas").exists() and Unit.objects.filter(kind="sekolah").exists()
    assert Employee.objects.filter(position__jf_family="guru", employee_type="PPPK").exists()
    genders = Counter(Employee.objects.values_list("gender", flat=True))
    assert genders["L"] > SIZE * 0.3 and genders["P"] > SIZE * 0.3
    active = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    assert not active.filter(retirement_on__lte=TODAY).exists()  # nobody active past the BUP
    assert active.filter(next_kgb_on__range=(TODAY, TODAY + dt.timedelta(days=90))).exists()
    assert FamilyMember.objects.filter(relation="spouse", spouse_is_pns=True, receives_spouse_allowance=False).exists()
    assert Employee.objects.filter(bank_name="Bank Nagari").count() > SIZE / 2


def test_golongan_matches_position_and_type(demo):
    for e in Employee.objects.select_related("position"):
        if e.employee_type == "PPPK":
            assert "/" not in e.golongan
        else:
            assert "/" in e.golongan
        if e.position.kind == "jpt":
            assert e.golongan in ("IV/c", "IV/d")
        if e.position.kind == "pelaksana" and e.employee_type != "PPPK":
            assert e.golongan.startswith(("II/", "III/"))


def test_audit_chain_verifies_after_the_build(demo, capsys):
    call_command("audit", "verify")
    assert "utuh" in capsys.readouterr().out
    assert verify_chain().checked > SIZE


def test_the_demo_anchors_its_audit_chain_with_a_checkpoint(demo):
    from pamong.audit.anchor import read_checkpoints
    from pamong.audit.models import AuditEvent

    (cp,) = read_checkpoints()
    assert cp.authentic and cp.seq == AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
    assert verify_chain([cp]).ok


def test_demo_refuses_a_non_empty_database_with_keep_db(demo):
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("demo", size=100, no_serve=True, keep_db=True, verbosity=0)


def test_demo_refuses_a_tiny_size(db):
    with pytest.raises(CommandError, match="minimal"):
        call_command("demo", size=10, no_serve=True, keep_db=True, verbosity=0)


def test_serve_migrates_then_runs_the_server_without_reloader(monkeypatch):
    from pamong.demo.management.commands import serve

    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: calls.append((a, kw)))
    monkeypatch.setattr(serve, "start_worker", lambda: calls.append((("worker",), {})))  # no real child here
    call_command("serve", "127.0.0.1:8765")
    assert calls[0][0] == ("migrate",)
    assert calls[1] == (("worker",), {})
    assert calls[2] == (("runserver", "127.0.0.1:8765"), {"use_reloader": False, "insecure_serving": True})


def test_role_labels_cover_every_role():
    assert {lg.role for lg in LOGINS if lg.role} == set(Role.values)
