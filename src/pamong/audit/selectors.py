"""Reads of the audit log, with visibility: only holders of audit.view_log (BKPSDM admin, Inspektorat).

The log grows without bound, so listing is keyset-paginated on `seq` (newest first): a page is one indexed range
query whatever its depth, and no COUNT(*) is ever run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pamong.core.errors import Forbidden

from .models import AuditEvent
from .services import VerifyResult, verify_chain

PERM = "audit.view_log"
MAX_PAGE = 200


def can_view_log(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_perm(PERM))


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Every event for auditors, nothing for anyone else."""
    if not can_view_log(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # exact action or its prefix ("employee." matches employee.created, employee.updated ...)
    object_type: str = ""  # e.g. "people.employee"
    object_id: str = ""
    actor: str = ""  # username at the time (actor_label), case-insensitive prefix
    date_from: dt.date | None = None  # local dates (Asia/Jakarta), inclusive
    date_to: dt.date | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    before: int | None  # the cursor this page was read from (None: the newest)
    next_before: int | None  # pass as `before` for the next (older) page; None when this is the last page


def _day_start(d: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, dt.time.min))


def audit_search(user: Any, f: AuditFilter) -> QuerySet[AuditEvent]:
    qs = audit_events_visible_to(user)
    if f.action:
        qs = qs.filter(action=f.action) if not f.action.endswith(".") else qs.filter(action__startswith=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.actor:
        qs = qs.filter(actor_label__istartswith=f.actor)
    # Date bounds as aware datetimes on the indexed `at` column (not __date, which defeats the index).
    if f.date_from:
        qs = qs.filter(at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_page(user: Any, f: AuditFilter, *, before: int | None = None, limit: int = 50) -> AuditPage:
    """One page of matching events, newest first, older than `before` (a seq). Forbidden without the perm."""
    if not can_view_log(user):
        raise Forbidden(_("Anda tidak berhak melihat log audit."))
    limit = max(1, min(limit, MAX_PAGE))
    qs = audit_search(user, f).select_related("actor")
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(events=rows, before=before, next_before=rows[-1].seq if more and rows else None)


def audit_chain_verify(user: Any) -> VerifyResult:
    """Recompute the whole hash chain (reads every event: run on request only). Forbidden without the perm."""
    if not can_view_log(user):
        raise Forbidden(_("Anda tidak berhak memeriksa log audit."))
    return verify_chain()
