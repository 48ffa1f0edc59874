"""Settings come from the environment; production refuses to start without a secret key.

Each case starts a fresh interpreter, since Django settings are read once per process.
"""

import json
import os
import subprocess
import sys

PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
    "'db': str(settings.DATABASES['default']['NAME']), "
    "'engine': settings.DATABASES['default']['ENGINE']}))"
)


def run_settings(tmp_path, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("PARINDEX_") and k != "DATABASE_URL"
    }
    clean["DJANGO_SETTINGS_MODULE"] = "parindex.web.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = run_settings(tmp_path, PARINDEX_DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PARINDEX_SECRET_KEY" in result.stderr


def test_production_with_secret_key_starts_without_debug(tmp_path):
    result = run_settings(
        tmp_path,
        PARINDEX_DEBUG="0",
        PARINDEX_SECRET_KEY="a-long-random-production-key",
        PARINDEX_ALLOWED_HOSTS="par.example.gov.vn, localhost",
    )

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["debug"] is False
    assert settings["hosts"] == ["par.example.gov.vn", "localhost"]


def test_development_defaults_to_sqlite_under_var(tmp_path):
    result = run_settings(tmp_path)

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["debug"] is True
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["db"] == str((tmp_path / "var" / "parindex.sqlite3").resolve())
    assert (tmp_path / "var").is_dir()


def test_data_dir_and_database_url_come_from_the_environment(tmp_path):
    data = tmp_path / "data"
    on_sqlite = run_settings(tmp_path, PARINDEX_DATA_DIR=str(data))
    on_postgres = run_settings(
        tmp_path, DATABASE_URL="postgres://parindex@db.internal:5432/parindex"
    )

    assert json.loads(on_sqlite.stdout)["db"] == str(data.resolve() / "parindex.sqlite3")
    assert json.loads(on_postgres.stdout)["engine"] == "django.db.backends.postgresql"


def test_unrecognised_debug_value_is_an_error(tmp_path):
    result = run_settings(tmp_path, PARINDEX_DEBUG="maybe")

    assert result.returncode != 0
    assert "PARINDEX_DEBUG" in result.stderr


def test_test_run_uses_the_database_named_by_database_url():
    """Guards the PostgreSQL run of `make test` against silently falling back to SQLite."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        assert connection.vendor == "sqlite"
    elif url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"


STORAGE_PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.STORAGES['default']))"
)


def test_evidence_goes_to_a_local_folder_by_default_and_to_s3_when_configured(tmp_path):
    def storage(**env):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PARINDEX_")}
        clean.update(DJANGO_SETTINGS_MODULE="parindex.web.settings", **env)
        out = subprocess.run(
            [sys.executable, "-c", STORAGE_PROBE],
            env=clean,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        return json.loads(out)

    local = storage(PARINDEX_DATA_DIR=str(tmp_path))
    assert local["BACKEND"].endswith("FileSystemStorage")
    assert local["OPTIONS"]["location"] == str(tmp_path / "media")

    s3 = storage(
        PARINDEX_S3_BUCKET="minh-chung",
        PARINDEX_S3_ENDPOINT_URL="http://minio.local:9000",
        PARINDEX_S3_ACCESS_KEY="k",
        PARINDEX_S3_SECRET_KEY="s",
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "minh-chung"
    assert s3["OPTIONS"]["endpoint_url"] == "http://minio.local:9000"
    assert s3["OPTIONS"]["querystring_auth"] is True  # files are never public links
