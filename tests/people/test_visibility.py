"""Who may see which employees, at which level of detail — the selectors every view and API uses."""

import pytest

from pamong.people.selectors import Detail, detail_level, employees_visible_to

ALL = {"head", "kabid", "staff", "staff2", "other"}
# role → (employees listed, detail level per visible employee)
MATRIX = {
    "admin": (ALL, Detail.FULL),
    "inspector": (ALL, Detail.FULL),
    "bpkad": (ALL, Detail.PAYROLL),
    "operator_a": ({"head", "kabid", "staff", "staff2"}, Detail.FULL),
    "treasurer_a": ({"head", "kabid", "staff", "staff2"}, Detail.PAYROLL),
    "assessor": ({"staff2"}, Detail.WORK),
}


def _names(city, qs):
    by_pk = {getattr(city, k).pk: k for k in ALL}
    return {by_pk[pk] for pk in qs.values_list("pk", flat=True)}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_lists_exactly_its_employees_at_its_level(city, role):
    user = city.users[role]
    expected, level = MATRIX[role]
    assert _names(city, employees_visible_to(user)) == expected
    for key in ALL:
        got = detail_level(user, getattr(city, key))
        assert got == (level if key in expected else None), key


def test_supervisor_sees_self_fully_and_subordinates_at_work_level_only(city):
    kabid = city.users["kabid"]
    assert _names(city, employees_visible_to(kabid)) == {"kabid", "staff", "staff2"}
    assert detail_level(kabid, city.kabid) == Detail.FULL
    assert detail_level(kabid, city.staff) == Detail.WORK
    assert detail_level(kabid, city.head) is None  # not their superior's record
    assert detail_level(kabid, city.other) is None


def test_employee_sees_only_themself(city):
    staff = city.users["staff"]
    assert _names(city, employees_visible_to(staff)) == {"staff"}
    assert detail_level(staff, city.staff) == Detail.FULL
    for key in ALL - {"staff"}:
        assert detail_level(staff, getattr(city, key)) is None


def test_colleagues_sharing_a_position_do_not_supervise_each_other(city):
    from tests import factories as f

    u = f.user("staff2_user", employee=city.staff2)
    assert _names(city, employees_visible_to(u)) == {"staff2"}


def test_anonymous_sees_nothing(city):
    from django.contrib.auth.models import AnonymousUser

    assert employees_visible_to(AnonymousUser()).count() == 0
    assert detail_level(AnonymousUser(), city.staff) is None


def test_plt_assignment_makes_the_holder_a_supervisor_while_it_runs(city):
    import datetime as dt

    from pamong.people.services import Sk, position_assign
    from tests import factories as f

    u = f.user("plt", employee=city.other)
    assert "staff" not in _names(city, employees_visible_to(u))
    position_assign(actor=None, employee=city.other, position=city.kabid_pos, mode="plt",
                    sk=Sk("800/PLT/1", dt.date(2026, 1, 2), dt.date(2026, 1, 5)), end_date=dt.date(2099, 1, 1))
    u = type(u).objects.get(pk=u.pk)  # a fresh request recomputes access
    assert {"staff", "staff2"} <= _names(city, employees_visible_to(u))
    city.other.refresh_from_db()
    assert city.other.position_id != city.kabid_pos.pk  # Plt does not replace the definitive position


def test_operator_scope_covers_sub_units(city):
    from tests import factories as f

    sub = f.unit("Seksi A1.1", parent=city.bidang_a, kind="seksi")
    e = f.employee(f.position(sub, "Pengadministrasi Seksi"))
    assert e in employees_visible_to(city.users["operator_a"])
    assert e not in employees_visible_to(f.user("op_b", role="operator_opd", unit=city.opd_b))


def test_export_and_audit_permissions_by_role(city):
    export = {"admin", "inspector", "bpkad", "operator_a"}
    audit_log = {"admin", "inspector"}
    for role, user in city.users.items():
        assert user.has_perm("people.export_register") is (role in export), role
        assert user.has_perm("audit.view_log") is (role in audit_log), role
