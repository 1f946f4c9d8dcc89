"""OWASP API8 (security misconfiguration).

Also covered elsewhere: security headers, HSTS over HTTPS, CORS off by default and
configurable, JSON 500s without tracebacks for non-API paths
(social_media/tests/test_security_settings.py); served uploads typed and `nosniff`
(tests/security/test_uploads.py::test_corpus).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from post.services import posts as post_services

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-" + "k" * 40,
    "ALLOWED_HOSTS": "api.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "DJANGO_SETTINGS_MODULE": "social_media.settings",
}


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**os.environ, **PRODUCTION},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, **PRODUCTION}
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@override_settings(DEBUG=False)
def test_an_unexpected_error_in_an_api_view_is_json_without_a_traceback(auth_client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("db password is hunter2")

    monkeypatch.setattr(post_services, "_link_hashtags", explode)
    auth_client.raise_request_exception = False

    response = auth_client.post("/api/v1/posts/", {"text": "boom"})

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Internal server error."}
    assert b"hunter2" not in response.content
    assert b"Traceback" not in response.content


def test_no_html_browsable_api_when_debug_is_off(api_client):
    # The renderers are fixed when settings load; the test settings run with DEBUG off.
    response = api_client.get("/api/v1/posts/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406 or response["Content-Type"] == "application/json"
    assert b"<html" not in response.content.lower()


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/users/me/", 401),
        ("get", "/api/v1/posts/999999/", 404),
        ("delete", "/api/v1/posts/", 401),
        ("post", "/api/v1/auth/login/", 400),
        ("get", "/api/v1/nothing-here/", 404),
    ],
)
def test_error_responses_carry_the_security_headers(api_client, method, url, status):
    response = getattr(api_client, method)(url, {})

    assert response.status_code == status
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Server" not in response  # no framework or version banner
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/api/v1/users/me/", "/api/v1/feed/", "/api/v1/posts/"])
def test_responses_to_a_token_are_never_marked_shareable(auth_client, url):
    """A shared cache may not reuse a response to a request with `Authorization` unless the
    response says it may (RFC 9111, 3.5): nothing here says so, nor is heuristically
    cacheable (no Expires, no Last-Modified)."""
    response = auth_client.get(url)

    cache_control = response.get("Cache-Control", "")
    assert "public" not in cache_control
    assert "s-maxage" not in cache_control
    assert "Expires" not in response
    assert "Last-Modified" not in response
