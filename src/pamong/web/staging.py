"""Holding an uploaded import file between its dry run and the user's confirmation.

The confirmed import must apply exactly the bytes that were previewed, without asking the user to upload again.
The file is kept under MEDIA_ROOT/import-staging/, named by user and a random token; the session holds the token,
kind, original filename and SHA-256, so a confirmation can only apply the file this session previewed, unchanged.
Files older than a day are swept whenever a new one is staged.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "pamong_import_staged"
MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Staged:
    token: str
    kind: str
    filename: str
    reason: str
    content: bytes


def _dir() -> Path:
    d = Path(settings.MEDIA_ROOT) / "import-staging"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _path(user_id: int, token: str) -> Path:
    return _dir() / f"{user_id}-{token}.bin"


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for p in _dir().glob("*.bin"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def stage(request: HttpRequest, *, kind: str, filename: str, content: bytes, reason: str = "") -> str:
    discard(request)
    _sweep()
    token = secrets.token_urlsafe(18)
    _path(request.user.pk, token).write_bytes(content)
    request.session[SESSION_KEY] = {
        "token": token,
        "kind": kind,
        "filename": filename,
        "reason": reason,
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    return token


def take(request: HttpRequest, token: str) -> Staged | None:
    """The staged file for this session and token, if it is still there and unchanged; else None."""
    meta = request.session.get(SESSION_KEY)
    if not meta or not secrets.compare_digest(str(meta.get("token", "")), token or ""):
        return None
    try:
        content = _path(request.user.pk, meta["token"]).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(content).hexdigest() != meta["sha256"]:
        return None
    return Staged(
        token=meta["token"],
        kind=meta["kind"],
        filename=meta["filename"],
        reason=meta.get("reason", ""),
        content=content,
    )


def discard(request: HttpRequest) -> None:
    meta = request.session.pop(SESSION_KEY, None)
    if meta:
        _path(request.user.pk, meta["token"]).unlink(missing_ok=True)
