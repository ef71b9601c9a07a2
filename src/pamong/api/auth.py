"""Session auth for the UI (with CSRF on writes), bearer tokens for integrations.

Order matters: a request carrying `Authorization: Bearer ...` is judged by the token alone (a bad, revoked or
expired token is a 401 even if a session cookie is present; expired: details.reason "expired_token"); otherwise
the session cookie is used, and an unsafe method (POST/PATCH/PUT/DELETE) on a session must pass Django's CSRF
check (403 `csrf_failed`). No credentials → 401.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from pamong.accounts.models import ApiToken
from pamong.core.errors import Forbidden, NotAuthenticated

# last_used_at is written at most this often per token, so reads with a token do not each take the write lock
TOUCH_INTERVAL = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; the key's SHA-256 is looked up. Returns the ApiToken (request.auth)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token.strip()), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            raise NotAuthenticated("Token API tidak valid atau sudah dicabut.", details={"reason": "invalid_token"})
        now = timezone.now()
        if row.expires_at <= now:
            raise NotAuthenticated(
                "Token API sudah kedaluwarsa; buat token baru.",
                details={"reason": "expired_token", "expired_at": row.expires_at.isoformat()},
            )
        if row.last_used_at is None or now - row.last_used_at > TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row


class SessionAuth(APIKeyCookie):
    """Django's session cookie (the user comes from AuthenticationMiddleware); CSRF is checked on writes."""

    def __init__(self, csrf: bool = True) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=csrf)

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check runs in authenticate(), only once a session user is found: a request without a session
        # must get 401 (not a CSRF 403) whatever its method.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise Forbidden(
                "Pemeriksaan CSRF gagal: kirim header X-CSRFToken sesuai cookie csrftoken.", code="csrf_failed"
            )
        return user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
session_or_token = [token_auth, session_auth]
