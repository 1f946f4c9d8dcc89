"""Security defaults that live in settings and middleware, not in any one endpoint."""

import pytest
from django.test import override_settings
from django.urls import path

from social_media import urls as root_urls


def _boom(request):
    raise RuntimeError("secret detail that must not reach the client")


urlpatterns = [*root_urls.urlpatterns, path("boom/", _boom)]
handler404 = root_urls.handler404
handler500 = root_urls.handler500


@pytest.mark.django_db
def test_responses_carry_security_headers(api_client):
    response = api_client.get("/api/v1/health/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_configured(api_client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = api_client.get("/api/v1/health/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_cors_is_off_by_default(api_client):
    response = api_client.get("/api/v1/health/", HTTP_ORIGIN="https://evil.example")

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_cors_allows_configured_origins_only(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    allowed = api_client.get("/api/v1/health/", HTTP_ORIGIN="https://app.example.com")
    refused = api_client.get("/api/v1/health/", HTTP_ORIGIN="https://evil.example")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.django_db
def test_an_allowed_origin_can_read_the_rate_limit_and_idempotency_headers(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = api_client.get("/api/v1/posts/", HTTP_ORIGIN="https://app.example.com")

    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= exposed
    assert {"retry-after", "idempotent-replayed"} <= exposed
    assert response["RateLimit-Remaining"].isdigit()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_unhandled_errors_are_json_without_traceback(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}
    assert b"secret detail" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unknown_paths_are_json_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_api_responses_vary_on_authorization_and_are_private_with_a_token(make_client, user):
    anonymous = make_client().get("/api/v1/users/")
    authenticated = make_client(user).get("/api/v1/users/")

    assert "Authorization" in anonymous["Vary"]
    assert "Authorization" in authenticated["Vary"]
    assert "private" in authenticated["Cache-Control"]
