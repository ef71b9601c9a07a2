"""Permission predicates (django-rules) for actions that are not plain row visibility."""

from __future__ import annotations

import rules

from .access import access_for
from .models import Role


@rules.predicate
def is_bkpsdm_admin(user) -> bool:
    return access_for(user).has(Role.ADMIN_BKPSDM)


@rules.predicate
def is_inspectorate(user) -> bool:
    return access_for(user).has(Role.INSPECTORATE)


@rules.predicate
def is_bpkad_head(user) -> bool:
    return access_for(user).has(Role.BPKAD_HEAD)


@rules.predicate
def is_opd_operator(user) -> bool:
    return bool(access_for(user).operator_paths)


@rules.predicate
def operates_unit(user, unit) -> bool:
    return unit is not None and any(unit.path.startswith(p) for p in access_for(user).operator_paths)


rules.add_perm("people.export_register", is_bkpsdm_admin | is_inspectorate | is_bpkad_head | is_opd_operator)
rules.add_perm("people.import_records", is_bkpsdm_admin | is_opd_operator)
rules.add_perm("people.change_employee", is_bkpsdm_admin | operates_unit)
rules.add_perm("org.change_structure", is_bkpsdm_admin)
# the TPP's monthly inputs and disciplinary sanctions by import (an operator: their OPD's employees only)
rules.add_perm("payroll.import_inputs", is_bkpsdm_admin | is_opd_operator)
rules.add_perm("audit.view_log", is_bkpsdm_admin | is_inspectorate)
