"""API: who am I, and the caller's own API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from pamong.api import tokens
from pamong.api.auth import session_auth
from pamong.api.schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut, errors

from .access import access_for
from .models import ApiToken

router = Router(tags=["akun"])


def token_out(t: ApiToken) -> dict[str, Any]:
    return {f: getattr(t, f) for f in TokenOut.model_fields}


@router.get("/me", response={200: MeOut, **errors()}, summary="Siapa saya")
def me(request: HttpRequest) -> Any:
    user = request.user
    access = access_for(user)
    employee = getattr(user, "employee", None) if access.employee_id is not None else None
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "roles": sorted(access.roles),
        "role_labels": access.role_labels(),
        "is_supervisor": access.is_supervisor,
        "employee_nip": employee.nip if employee is not None else None,
        "auth": "token" if isinstance(request.auth, ApiToken) else "session",  # type: ignore[attr-defined]
    }


@router.get("/tokens", response={200: list[TokenOut], **errors()}, summary="Token API milik saya")
def token_list(request: HttpRequest) -> Any:
    return [token_out(t) for t in tokens.api_tokens_of(request.user)]


@router.post(
    "/tokens",
    auth=session_auth,
    response={201: TokenCreatedOut, **errors(403, 422)},
    summary="Buat token API (hanya dengan sesi login)",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    """The key is in this response only; store it now. A token cannot create tokens (session login only)."""
    token, key = tokens.api_token_create(actor=request.user, user=request.user, name=payload.name, days=payload.days)
    return Status(201, token_out(token) | {"key": key})


@router.delete("/tokens/{token_id}", response={204: None, **errors(404)}, summary="Cabut token API")
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    tokens.api_token_revoke(actor=request.user, token_id=token_id)
    return Status(204, None)
