"""Writes for API tokens: create (the key is returned once, only its SHA-256 is kept) and revoke. Both audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from pamong.accounts.models import ApiToken
from pamong.audit import services as audit
from pamong.core.errors import NotVisible, ValidationFailed

KEY_PREFIX = "pmg_"


def api_token_create(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plain key (shown once, never stored). `actor` None is the
    system (the `pamong api_token` command)."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama token wajib diisi.", details={"field": "name"})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], key_hash=ApiToken.hash_key(key))
        audit.record(
            actor=actor,
            action="api_token.created",
            obj=token,
            changes={"user": [None, user.pk], "name": [None, token.name]},
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
