import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from pamong.accounts import services
from pamong.accounts.models import RoleGrant, User
from pamong.audit.models import AuditEvent
from pamong.core.errors import Conflict, ValidationFailed
from pamong.people.selectors import employees_visible_to


def test_user_created_and_linked_to_an_employee_is_audited(city):
    user = services.user_create(actor=city.users["admin"], username="baru", password="sandi-panjang-9",
                                employee=city.other)
    city.other.refresh_from_db()
    assert city.other.user_id == user.pk
    assert list(AuditEvent.objects.filter(actor=city.users["admin"]).values_list("action", flat=True)
                .order_by("seq")) == ["user.created", "employee.user_linked"]
    assert list(employees_visible_to(user)) == [city.other]


def test_weak_password_and_taken_username_are_refused(city):
    with pytest.raises(ValidationFailed):
        services.user_create(actor=None, username="lemah", password="123")
    with pytest.raises(Conflict):
        services.user_create(actor=None, username="admin", password="sandi-panjang-9")


def test_an_employee_links_to_one_login_only(city):
    with pytest.raises(Conflict):
        services.employee_link_user(actor=None, employee=city.staff, user=city.users["kabid"])


def test_scoped_roles_need_a_unit_and_global_roles_refuse_one(city):
    u = User.objects.create_user("x", password="sandi-panjang-9")
    with pytest.raises(ValidationFailed):
        services.role_grant(actor=None, user=u, role="operator_opd")
    with pytest.raises(ValidationFailed):
        services.role_grant(actor=None, user=u, role="inspectorate", unit=city.opd_a)
    services.role_grant(actor=None, user=u, role="operator_opd", unit=city.opd_b)
    with pytest.raises(Conflict):
        services.role_grant(actor=None, user=u, role="operator_opd", unit=city.opd_b)
    assert set(employees_visible_to(User.objects.get(pk=u.pk))) == {city.other}


def test_revoking_a_role_needs_a_reason_and_is_audited(city):
    grant = RoleGrant.objects.get(user=city.users["operator_a"])
    with pytest.raises(ValidationFailed):
        services.role_revoke(actor=None, grant=grant, reason=" ")
    services.role_revoke(actor=city.users["admin"], grant=grant, reason="mutasi")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="role_grant.revoked", reason="mutasi").exists()
    assert employees_visible_to(User.objects.get(username="operator_a")).count() == 0


def test_only_assessors_can_be_assigned(city):
    with pytest.raises(ValidationFailed):
        services.assessor_assign(actor=None, assessor=city.users["staff"], employee=city.other, purpose="360",
                                 valid_from=dt.date(2026, 1, 1))
    services.assessor_assign(actor=None, assessor=city.users["assessor"], employee=city.other, purpose="360",
                             valid_from=dt.date(2026, 1, 1))
    assert city.other in employees_visible_to(User.objects.get(username="assessor"))


def test_user_command_adds_grants_and_revokes(city, monkeypatch):
    monkeypatch.setenv("PAMONG_PASSWORD", "sandi-panjang-9")
    call_command("user", "add", "op.b", "--role", "operator_opd", "--unit", city.opd_b.code)
    assert RoleGrant.objects.filter(user__username="op.b", unit=city.opd_b).exists()
    call_command("user", "revoke", "op.b", "operator_opd", "--unit", city.opd_b.code, "--reason", "salah input")
    assert not RoleGrant.objects.filter(user__username="op.b").exists()
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("user", "grant", "op.b", "treasurer", "--unit", "TIDAK-ADA")


@pytest.mark.parametrize("password", ["pegawai.baru", "pegawaibaru1", "12345678901234", "pendek1"])
def test_user_create_refuses_weak_passwords(city, password):
    """Equal or similar to the username, all digits, shorter than the minimum: Django's validators, Indonesian."""
    with pytest.raises(ValidationFailed) as exc:
        services.user_create(actor=None, username="pegawai.baru", password=password)
    assert exc.value.details == {"field": "password"}
    assert not User.objects.filter(username="pegawai.baru").exists()


@pytest.mark.parametrize(
    "username", ["a", "x" * 65, "nama pengguna", "admin@kota", "аdmin", "-awal", ".awal", "nama/lain", "ali;--", "a\nb"]
)
def test_user_create_refuses_usernames_outside_the_character_set(city, username):
    with pytest.raises(ValidationFailed, match="huruf, angka, titik") as exc:
        services.user_create(actor=None, username=username, password="sandi-panjang-9")
    assert exc.value.details == {"field": "username"}


@pytest.mark.parametrize("username", ["op.b", "bendahara.disdik", "operator_a2", "kepala-bpkad", "A1"])
def test_user_create_accepts_sane_usernames(city, username):
    assert services.user_create(actor=None, username=f" {username} ", password="sandi-panjang-9").username == username


def test_user_add_without_a_readable_password_says_so(city, monkeypatch):
    import io

    monkeypatch.delenv("PAMONG_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, empty stdin (cron, CI, `< /dev/null`)
    with pytest.raises(CommandError, match="Kata sandi tidak dapat dibaca"):
        call_command("user", "add", "tanpa.sandi")
    assert not User.objects.filter(username="tanpa.sandi").exists()


def test_user_add_reads_the_password_from_stdin_and_validates_it(city, monkeypatch):
    import io

    monkeypatch.delenv("PAMONG_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("tanpa.sandi\n"))
    with pytest.raises(CommandError, match="mirip"):
        call_command("user", "add", "tanpa.sandi")
    monkeypatch.setattr("sys.stdin", io.StringIO("Sawahlunto#2026\n"))
    call_command("user", "add", "dengan.sandi")
    assert User.objects.get(username="dengan.sandi").check_password("Sawahlunto#2026")
