"""What a user may see, computed once per request from role grants, the position tree and assignments.

Selectors (people/selectors.py, org/selectors.py, audit/selectors.py) turn an Access into querysets; views
and API handlers never decide visibility themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from .models import AssessorAssignment, Role, RoleGrant


@dataclass(frozen=True)
class Access:
    user_id: int | None
    roles: frozenset[str]
    operator_paths: tuple[str, ...] = ()  # unit paths this user operates (subtrees)
    treasurer_paths: tuple[str, ...] = ()
    supervised_paths: tuple[str, ...] = ()  # position paths of the positions this user holds (subtrees below)
    own_position_ids: tuple[int, ...] = ()
    assessed_employee_ids: tuple[int, ...] = ()
    employee_id: int | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, role: Any) -> bool:  # Role member (a str); typed Any as mypy runs without django-stubs
        return str(role) in self.roles

    @property
    def sees_all_employees(self) -> bool:
        return bool(self.roles & {Role.ADMIN_BKPSDM, Role.INSPECTORATE, Role.BPKAD_HEAD})

    @property
    def is_supervisor(self) -> bool:
        return bool(self.supervised_paths)

    @property
    def unit_paths(self) -> tuple[str, ...]:
        return self.operator_paths + self.treasurer_paths

    def role_labels(self) -> list[str]:
        labels = [str(Role(r).label) for r in sorted(self.roles)]
        if self.is_supervisor:
            labels.append(gettext("Atasan"))
        if self.employee_id is not None:
            labels.append(gettext("Pegawai"))
        return labels


ANONYMOUS = Access(user_id=None, roles=frozenset())


def access_for(user: Any) -> Access:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_pamong_access", None)
    if cached is not None:
        return cached
    grants = list(RoleGrant.objects.filter(user=user).select_related("unit").values_list("role", "unit__path"))
    roles = frozenset(str(r) for r, _ in grants) | (
        {str(Role.ADMIN_BKPSDM)} if user.is_superuser else set()  # has_perm passes superusers; so must visibility
    )
    employee = getattr(user, "employee", None)  # reverse one-to-one: None when the login is no employee
    supervised: tuple[str, ...] = ()
    own_positions: tuple[int, ...] = ()
    if employee is not None:
        from pamong.org.models import Position

        # The position held, plus any held by a running Plt/Plh assignment, makes its holder an atasan.
        pos_ids = {employee.position_id}
        today = dt.date.today()
        pos_ids |= set(
            employee.position_history.filter(mode__in=["plt", "plh"], tmt__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values_list("position_id", flat=True)
        )
        own_positions = tuple(sorted(pos_ids))
        positions = Position.objects.filter(pk__in=pos_ids, subordinates__isnull=False).distinct()
        supervised = tuple(positions.values_list("path", flat=True))
    today = dt.date.today()
    assessed: tuple[int, ...] = ()
    if Role.ASSESSOR in roles:
        assessed = tuple(
            AssessorAssignment.objects.filter(assessor=user, valid_from__lte=today)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .values_list("employee_id", flat=True)
        )
    access = Access(
        user_id=user.pk,
        roles=roles,
        operator_paths=tuple(p for r, p in grants if r == Role.OPERATOR_OPD and p),
        treasurer_paths=tuple(p for r, p in grants if r == Role.TREASURER and p),
        supervised_paths=supervised,
        own_position_ids=own_positions,
        assessed_employee_ids=assessed,
        employee_id=employee.pk if employee is not None else None,
    )
    user._pamong_access = access
    return access


def path_q(field: str, paths: tuple[str, ...]) -> Q:
    """Rows whose `field` path lies in any of the given subtrees; an empty tuple matches nothing."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q
