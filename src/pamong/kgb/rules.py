"""KGB permissions (django-rules): the due list and drafts for admin BKPSDM and OPD operators (their OPD, scoped in
kgb/selectors.py); approval for admin BKPSDM only."""

from __future__ import annotations

import rules
from pamong.accounts.rules import is_bkpsdm_admin, is_opd_operator

rules.add_perm("kgb.manage", is_bkpsdm_admin | is_opd_operator)
rules.add_perm("kgb.approve", is_bkpsdm_admin)
