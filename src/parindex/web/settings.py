"""Django settings for parindex, read from the environment.

Development needs no configuration: DEBUG is on, a development secret key is used and the
database is a SQLite file under the data directory. Production (``PARINDEX_DEBUG=0``) refuses
to start without ``PARINDEX_SECRET_KEY``. docs/operations.md lists every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import plotly
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
    "django_htmx",
    "bootstrap",
    "parindex.web.ui",
    "parindex.web.accounts",
    "parindex.web.units",
    "parindex.web.periods",
    "parindex.web.assessments",
    "parindex.web.evidence",
    "parindex.web.appraisal",
    "parindex.web.results",
    "parindex.web.surveys",
    "parindex.web.api",
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Argon2 first: new and changed passwords are hashed with it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out: this many failed logins for one user name lock it for LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = int(os.environ.get("PARINDEX_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("PARINDEX_LOGIN_LOCKOUT_MINUTES", "15"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "parindex.web.ui.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "parindex.web.ui.middleware.RejectNullCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "parindex.web.ui.context.version",
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
STATICFILES_DIRS = [
    WEB_DIR / "static",
    ("plotly", Path(plotly.__file__).resolve().parent / "package_data"),
]

# Evidence files: a local folder by default; S3-compatible object storage when
# PARINDEX_S3_BUCKET is set (needs the `s3` extra: pip install 'parindex[s3]').
MEDIA_ROOT = Path(os.environ.get("PARINDEX_MEDIA_ROOT") or DATA_DIR / "media")
EVIDENCE_MAX_BYTES = int(os.environ.get("PARINDEX_EVIDENCE_MAX_MB", "50")) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5_000_000
_S3_BUCKET = os.environ.get("PARINDEX_S3_BUCKET", "")
STORAGES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if _S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": os.environ.get("PARINDEX_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PARINDEX_S3_REGION") or None,
            "access_key": os.environ.get("PARINDEX_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("PARINDEX_S3_SECRET_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("PARINDEX_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
