"""In-app notifications: one write for every module (appeals, SKP agreements, evaluations)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from .models import Notification


def notify(*, users: Iterable[Any], text: str, link: str = "") -> int:
    """Notify each distinct user (None entries — a party with no login — are skipped); returns how many rows."""
    ids = sorted({u if isinstance(u, int) else u.pk for u in users if u is not None})
    Notification.objects.bulk_create([Notification(user_id=i, text=text[:500], link=link) for i in ids])
    return len(ids)


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_for(user: Any, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])
