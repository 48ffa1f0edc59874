"""Django settings for parindex, read from the environment.

Development needs no configuration: DEBUG is on, a development secret key is used and the
database is a SQLite file under the data directory. Production (``PARINDEX_DEBUG=0``) refuses
to start without ``PARINDEX_SECRET_KEY``. docs/operations.md lists every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
WEB_DIR = PACKAGE_DIR / "web"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything unrecognised is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} không hợp lệ; dùng 1/0, true/false, yes/no hoặc on/off."
    )


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; an unset variable gives the default."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("PARINDEX_DEBUG", default=True)

SECRET_KEY = os.environ.get("PARINDEX_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PARINDEX_SECRET_KEY chưa được đặt: chế độ vận hành (PARINDEX_DEBUG=0) "
            "không khởi động khi thiếu khóa bí mật. "
            "(PARINDEX_SECRET_KEY is required when PARINDEX_DEBUG=0.)"
        )
    SECRET_KEY = "parindex-development-only-insecure-key"

ALLOWED_HOSTS = env_list(
    "PARINDEX_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("PARINDEX_CSRF_TRUSTED_ORIGINS", [])

# Data directory: the SQLite database (and later local evidence files) live here.
DATA_DIR = Path(os.environ.get("PARINDEX_DATA_DIR") or Path.cwd() / "var").resolve()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'parindex.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        _database_url(),
        conn_max_age=int(os.environ.get("PARINDEX_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "parindex.web.urls"
WSGI_APPLICATION = "parindex.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PARINDEX_STATIC_ROOT") or DATA_DIR / "static")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("PARINDEX_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
