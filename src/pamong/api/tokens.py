"""Writes for API tokens: create (the key is returned once, only its SHA-256 is kept) and revoke. Both audited."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from pamong.accounts.models import ApiToken
from pamong.audit import services as audit
from pamong.core.errors import NotVisible, ValidationFailed

KEY_PREFIX = "pmg_"
DEFAULT_DAYS = 90
MAX_DAYS = 730  # a token for years is a password nobody rotates


def api_token_create(*, actor: Any, user: Any, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days; returns the row and the plain key (shown once, never stored).
    `actor` None is the system (the `pamong api_token` command)."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama token wajib diisi.", details={"field": "name"})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"Masa berlaku token 1 sampai {MAX_DAYS} hari.", details={"field": "days"})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], key_hash=ApiToken.hash_key(key), expires_at=expires_at
        )
        audit.record(
            actor=actor,
            action="api_token.created",
            obj=token,
            changes={"user": [None, user.pk], "name": [None, token.name], "expires_at": [None, expires_at.isoformat()]},
        )
    return token, key


def api_token_revoke(*, actor: Any, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; someone else's token is NotVisible (404). Revoking twice is a no-op."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user_id=actor.pk).first()
        if token is None:
            raise NotVisible("Token tidak ditemukan.")
        if not token.revoked:
            token.revoked = True
            token.save(update_fields=["revoked"])
            audit.record(actor=actor, action="api_token.revoked", obj=token, changes={"revoked": [False, True]})
    return token


def api_tokens_of(user: Any) -> Any:
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
