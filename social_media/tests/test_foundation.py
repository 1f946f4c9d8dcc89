import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import override_settings
from django.urls import reverse
from kombu import Connection

from social_media import views

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_ok_when_database_and_broker_answer(api_client):
    response = api_client.get("/api/v1/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_naming_the_database_when_it_is_unreachable(api_client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = api_client.get("/api/v1/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "ok"}


@pytest.mark.django_db
def test_health_is_503_naming_the_broker_when_it_is_unreachable(api_client, monkeypatch):
    # Nothing listens on port 1: the real check runs against a broker that refuses.
    unreachable = Connection("redis://127.0.0.1:1/0", connect_timeout=1)
    monkeypatch.setattr(views.celery_app, "connection_for_write", lambda: unreachable)

    response = api_client.get("/api/v1/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}


def test_schema_generates_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "social_media.settings_test"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    schema = yaml.safe_load(result.stdout)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/health/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_schema_endpoint_serves_yaml_and_json(api_client):
    assert api_client.get("/api/v1/schema/").status_code == 200
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Social Media API"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_use_only_local_assets(api_client, path):
    response = api_client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "fonts.googleapis.com"):
        assert cdn not in html


@pytest.mark.django_db
def test_docs_assets_are_served(client):
    with override_settings(DEBUG=True):
        html = client.get("/api/v1/docs/").content.decode()
    asset = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert asset in html
    finder_path = (
        Path(__import__("drf_spectacular_sidecar").__file__).parent
        / "static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    )
    assert finder_path.stat().st_size > 100_000


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", "import social_media.settings"],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = _import_settings(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_start_with_a_secret_key_or_in_debug():
    assert _import_settings(DEBUG="0", SECRET_KEY="x" * 50).returncode == 0
    assert _import_settings(DEBUG="1").returncode == 0


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/does-not-exist/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_oversized_request_body_is_refused_with_413(api_client, settings):
    settings.REQUEST_MAX_BYTES = 1000

    response = api_client.post("/api/v1/health/", data="x" * 2000, content_type="application/json")

    assert response.status_code == 413
    assert "detail" in response.json()


@pytest.mark.django_db
def test_admin_is_mounted(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
