"""Start-up guard for the web app: outside the demo and the tests, a known SECRET_KEY is refused.

Anyone who knows the key can forge a session cookie (log in as anyone) and, when PAMONG_AUDIT_KEY is unset,
sign audit checkpoints. The key only matters where requests are served, so the guard runs where serving starts
(pamong.wsgi for gunicorn, `pamong serve`); commands such as `pamong payroll simulate` are not refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from whitenoise.middleware import WhiteNoiseMiddleware

MIN_KEY_LENGTH = 32


def secret_key_problem() -> str | None:
    """Why the SECRET_KEY may not be used here, or None."""
    if settings.PAMONG_ENV in ("demo", "test"):
        return None
    key = str(settings.SECRET_KEY)
    if key == settings.DEFAULT_SECRET_KEY:
        return "SECRET_KEY belum diisi (masih kunci bawaan demo)"
    if len(key) < MIN_KEY_LENGTH or len(set(key)) < 10:
        return f"SECRET_KEY terlalu pendek atau sederhana (minimal {MIN_KEY_LENGTH} karakter acak)"
    return None


def require_safe_secret_key() -> None:
    problem = secret_key_problem()
    if problem:
        raise ImproperlyConfigured(
            f"Pamong menolak berjalan (PAMONG_ENV={settings.PAMONG_ENV}): {problem}. Isi SECRET_KEY dengan nilai "
            "acak, mis. `python3 -c \"import secrets; print(secrets.token_urlsafe(50))\"`, atau setel "
            "PAMONG_ENV=demo untuk demo. / Refusing to start: set SECRET_KEY to a long random value (docs/deploy.md)."
        )


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise reading the app's static folders directly (WHITENOISE_USE_FINDERS), so no collectstatic step;
    STATIC_ROOT is read too when it exists (after `pamong collectstatic`), without a warning when it does not."""

    def add_files(self, root: Any, prefix: Any = None) -> None:
        if Path(root).is_dir():
            super().add_files(root, prefix)
