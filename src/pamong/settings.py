"""One settings module, configured by environment variables (deployment: docs/deploy.md).

Where it runs
  PAMONG_ENV        demo | test | production. Unset: "test" under pytest, "demo" for `pamong demo` (`./dev` exports
                    demo, or test for its test commands), otherwise "production". Outside demo/test the web app
                    (gunicorn pamong.wsgi, `pamong serve`) refuses to start with the default or a short SECRET_KEY.
  SECRET_KEY        signs sessions and CSRF tokens; in production a long random value of your own
  DEBUG             1 only on a developer's machine (never in production)
  ALLOWED_HOSTS     comma-separated host names the site answers to (default 127.0.0.1,localhost,testserver)
  CSRF_TRUSTED_ORIGINS  comma-separated https://host origins, only if forms are posted from another origin
Data
  DATABASE_URL      sqlite:///path or postgres://user@host:port/name (default: SQLite file in PAMONG_DATA_DIR)
  PAMONG_DATA_DIR   where the SQLite database, uploads and audit checkpoints live (default: ./var)
  PAMONG_AUDIT_KEY, PAMONG_AUDIT_CHECKPOINTS   the audit chain's anchor (docs/audit.md)
Payroll and staff
  PAMONG_REGION     the city's rule pack under rules/regions/ (default sawahlunto): TPP, discipline, performance
  PAMONG_PUBLIC_URL, PAMONG_VERIFY_RATE, PAMONG_CLIENT_IP_HEADER  (see the cache block below)
  PAMONG_DASHBOARD_CACHE_SECONDS  how long a performance dashboard's figures are reused (default 300; 0 under tests)
  PAMONG_KGB_SK_NUMBER  the SK KGB number pattern (default 800.1.11.13/{seq:04d}/SK-KGB/{year})
HTTPS (behind a reverse proxy that terminates TLS)
  PAMONG_HTTPS=1    Secure session and CSRF cookies, HSTS, redirect http → https
  PAMONG_HSTS_SECONDS  HSTS max-age (default 31536000, one year; 0 turns HSTS off)
  PAMONG_HSTS_INCLUDE_SUBDOMAINS=1, PAMONG_HSTS_PRELOAD=1   only if every subdomain is HTTPS too
  PAMONG_SSL_REDIRECT=0  leave the http → https redirect to the proxy
  PAMONG_TRUSTED_PROXIES  how many proxies in front (default 0). With 1 or more, the proxy's X-Forwarded-Proto
                    says whether the request was HTTPS, and X-Forwarded-For gives the client address (login
                    throttling). Set it only when the app is reachable through the proxy alone.
Logins
  PAMONG_LOGIN_FAILURE_LIMIT (default 5), PAMONG_LOGIN_LOCKOUT_MINUTES (default 15)
Always on: a Content-Security-Policy without inline scripts (django-csp), nosniff, Referrer-Policy same-origin,
X-Frame-Options DENY. Static files are served by WhiteNoise from the app itself (no collectstatic step needed).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PAMONG_DATA_DIR", Path.cwd() / "var"))

ENVIRONMENTS = ("demo", "test", "production")


def _environment(environ: Mapping[str, str], argv: list[str]) -> str:
    """demo | test | production: PAMONG_ENV if set; else test under pytest, demo for `pamong demo`; else production."""
    env = environ.get("PAMONG_ENV", "").strip().lower()
    if env:
        if env not in ENVIRONMENTS:
            raise ImproperlyConfigured(f"PAMONG_ENV={env!r}: use one of {', '.join(ENVIRONMENTS)}")
        return env
    if "pytest" in sys.modules:
        return "test"
    if argv[1:2] == ["demo"]:
        return "demo"
    return "production"


PAMONG_ENV = _environment(os.environ, sys.argv)
if PAMONG_ENV != "production":
    os.environ.setdefault("PAMONG_ENV", PAMONG_ENV)  # the demo's background worker inherits it

DEFAULT_SECRET_KEY = "pamong-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "") or DEFAULT_SECRET_KEY
DEBUG = os.environ.get("DEBUG", "0") == "1"
PAMONG_REGION = os.environ.get("PAMONG_REGION", "sawahlunto")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "pgtrigger",
    "pghistory",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "ninja",  # its templates and static files: the API docs page from this server, not a CDN (CSP)
    "axes",
    "pamong.core",
    "pamong.audit",
    "pamong.accounts",
    "pamong.org",
    "pamong.people",
    "pamong.web",
    "pamong.demo",
    "pamong.rules",
    "pamong.payroll",
    "pamong.kgb",
    "pamong.performance",
    "pamong.attendance",
    "django_tasks",
    "django_tasks_db",
]

# Background tasks (payroll chunks): stored in the database, run by `pamong worker` (db_worker). Tests and the demo
# seed compute in-process instead; PAMONG_TASKS=immediate runs each task as it is enqueued.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("PAMONG_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pamong.deploy.StaticFilesMiddleware",  # WhiteNoise: static files from the app process, no proxy rule needed
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pamong.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the 429 page
]

ROOT_URLCONF = "pamong.urls"
WSGI_APPLICATION = "pamong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pamong.web.context.navigation",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'pamong.sqlite3'}"
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["ENGINE"] = "pamong.audit.sqlite_backend"  # Django's, with a flush that passes append-only triggers
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue instead of failing with "database is locked" half-way (stack.md §5.9).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif db["ENGINE"].endswith("postgresql"):
        # pgtrigger's trigger functions look this setting up per row inside an exception block; a default
        # ("ignore no trigger") keeps bulk inserts from raising and catching an error per row.
        db["OPTIONS"] = {"options": "-c pgtrigger.ignore={}"}
    return db


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Row history by triggers exists only on PostgreSQL; its middleware tags each change with the request's user.
    # (On SQLite it would fail: it calls cursor.nextset(), which sqlite3 lacks.)
    MIDDLEWARE.append("pghistory.middleware.HistoryMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password is checked
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins (django-axes, pamong/accounts/throttle.py): after AXES_FAILURE_LIMIT failures for one username, or
# from one address, that username or address is refused for the cool-off time, even with the right password.
AXES_FAILURE_LIMIT = int(os.environ.get("PAMONG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("PAMONG_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per user and per address
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "pamong.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "pamong.accounts.throttle.client_ip"
AXES_VERBOSE = False  # no start-up banner; each failure and lockout is still one warning line
# How many reverse proxies in front append to X-Forwarded-For (0: none; the client is REMOTE_ADDR).
PAMONG_TRUSTED_PROXIES = int(os.environ.get("PAMONG_TRUSTED_PROXIES", "0"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# WhiteNoise serves the app's static files straight from the packages (finders), so a deployment needs no
# collectstatic step; the vendored files carry their version in the path.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from this server, no inline <script> or on*=
# handlers (templates keep JavaScript in web/static/web/*.js; JSON data blocks from json_script are not scripts).
# Inline style *attributes* stay allowed (style-src-attr): templates set CSS variables such as --depth, and a
# style attribute cannot run code; <style> elements stay refused (htmx's own is off: includeIndicatorStyles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


def _https(environ: Mapping[str, str]) -> dict[str, Any]:
    """HTTPS settings from the environment (see the module docstring); applied to this module below."""
    out: dict[str, Any] = {}
    if int(environ.get("PAMONG_TRUSTED_PROXIES", "0") or 0) > 0:
        out["SECURE_PROXY_SSL_HEADER"] = ("HTTP_X_FORWARDED_PROTO", "https")
    if environ.get("PAMONG_HTTPS", "0") == "1":
        out["SESSION_COOKIE_SECURE"] = out["CSRF_COOKIE_SECURE"] = out["LANGUAGE_COOKIE_SECURE"] = True
        out["SECURE_SSL_REDIRECT"] = environ.get("PAMONG_SSL_REDIRECT", "1") == "1"
        out["SECURE_HSTS_SECONDS"] = int(environ.get("PAMONG_HSTS_SECONDS", "31536000"))
        out["SECURE_HSTS_INCLUDE_SUBDOMAINS"] = environ.get("PAMONG_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
        out["SECURE_HSTS_PRELOAD"] = environ.get("PAMONG_HSTS_PRELOAD", "0") == "1"
    return out


globals().update(_https(os.environ))

# The audit chain's anchor (docs/audit.md): signed checkpoints, with a key kept outside the database.
AUDIT_KEY = os.environ.get("PAMONG_AUDIT_KEY", "")  # empty: derived from SECRET_KEY
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("PAMONG_AUDIT_CHECKPOINTS", "") or DATA_DIR / "audit-checkpoints.jsonl")

# --- cache, rate limits, public address (payroll) -------------------------------------------------------------
# The database cache: every process (web workers, `pamong worker`) sees the same counters, with no extra service;
# the table is created by `migrate`. PAMONG_VERIFY_RATE: requests to the public payslip verification page per client
# address per minute (the 31st in a minute gets 429). PAMONG_CLIENT_IP_HEADER: behind a reverse proxy, the request
# header that carries the client address (e.g. HTTP_X_REAL_IP); unset, REMOTE_ADDR is used. PAMONG_PUBLIC_URL: the
# public address printed in payslip QR codes (https://pamong.example.go.id); unset, the host of the request (the
# worker and the CLI fall back to http://127.0.0.1:8000).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pamong_cache",
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
}
PAMONG_VERIFY_RATE = int(os.environ.get("PAMONG_VERIFY_RATE", "30"))
PAMONG_DASHBOARD_CACHE_SECONDS = int(
    os.environ.get("PAMONG_DASHBOARD_CACHE_SECONDS", "0" if PAMONG_ENV == "test" else "300")
)
PAMONG_CLIENT_IP_HEADER = os.environ.get("PAMONG_CLIENT_IP_HEADER", "")
PAMONG_PUBLIC_URL = os.environ.get("PAMONG_PUBLIC_URL", "")
# The SK KGB number pattern ({seq} counts the year's SK KGB from 1, {year}); empty: kgb/services.py's default.
PAMONG_KGB_SK_NUMBER = os.environ.get("PAMONG_KGB_SK_NUMBER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_one_line": {"()": "pamong.logs.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refusals_one_line"]}},  # 4xx: one line, no traceback
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
