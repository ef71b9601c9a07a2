"""WSGI entry point: `gunicorn pamong.wsgi` (docs/deploy.md). Refuses to start with the default SECRET_KEY."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
application = get_wsgi_application()

from pamong.deploy import require_safe_secret_key  # noqa: E402  (needs the settings loaded)

require_safe_secret_key()
