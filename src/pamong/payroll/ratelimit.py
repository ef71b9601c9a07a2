"""A per-client-address request limit on the public pages (payslip verification), counted in Django's cache — the
database cache in settings, so every web process shares the counts. A fixed one-minute window: simple, and enough
to make guessing codes (64 random bits) hopeless. If the cache cannot be reached the request is let through: the
limit protects against abuse, it must not take the page down."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW = 60  # seconds
log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    header = getattr(settings, "PAMONG_CLIENT_IP_HEADER", "")
    raw = request.META.get(header, "") if header else ""
    # X-Forwarded-For style lists: the last address was added by our own proxy (the others the client may forge)
    return (raw.split(",")[-1].strip() if raw else "") or request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest, scope: str, limit: int) -> bool:
    """Count this request; True when it is beyond `limit` in the current window for its client address."""
    window = int(time.time() // WINDOW)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW * 2)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - a locked or missing cache must not turn the page into a 500
        log.warning("rate limit not counted (cache unavailable)", exc_info=True)
        return False
    return count > limit
