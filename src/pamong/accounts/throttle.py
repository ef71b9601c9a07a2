"""Failed-login throttling (django-axes): who the client is, and what a locked-out person sees.

Axes counts failed logins per username and per client address (settings.AXES_*); at the limit, further attempts
are refused for the cool-off time even with the right password. API tokens are not passwords (256 random bits,
looked up by hash) and are not counted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind PAMONG_TRUSTED_PROXIES reverse proxies, the address the outermost trusted proxy
    saw: the n-th entry from the right of X-Forwarded-For (entries further left are whatever the client sent)."""
    proxies = settings.PAMONG_TRUSTED_PROXIES
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """HTTP 429 with the login page's look and a plain Indonesian explanation (no form: it would be refused)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
