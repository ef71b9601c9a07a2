"""One settings module, configured by environment variables.

DATABASE_URL   sqlite:///path or postgres://user@host:port/name (default: SQLite file in PAMONG_DATA_DIR)
PAMONG_DATA_DIR  where the SQLite database and uploads live (default: ./var)
SECRET_KEY, DEBUG, ALLOWED_HOSTS
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PAMONG_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "pamong-development-key-not-for-production")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

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
AXES_VERBOSE = False  # one warning line per lockout is enough (logging below)
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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# The audit chain's anchor (docs/audit.md): signed checkpoints, with a key kept outside the database.
AUDIT_KEY = os.environ.get("PAMONG_AUDIT_KEY", "")  # empty: derived from SECRET_KEY
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("PAMONG_AUDIT_CHECKPOINTS", "") or DATA_DIR / "audit-checkpoints.jsonl")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
