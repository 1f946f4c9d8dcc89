"""Every error under /api/ is `{"detail": "…"}` JSON, whether or not DEBUG is on: with DEBUG
on, Django answers an unroutable path or an unhandled exception with its technical HTML
pages and never calls handler404/handler500."""

import pytest
from django.test import override_settings
from django.urls import path
from django.views.decorators.http import require_POST
from rest_framework.test import APIClient

from social_media import urls as root_urls


def _boom(request):
    raise RuntimeError("secret detail that must not reach the client")


@require_POST
def _post_only(request):
    raise AssertionError("never reached by a GET")


urlpatterns = [
    *root_urls.urlpatterns,
    path("api/v1/boom/", _boom),
    path("boom/", _boom),
    path("api/v1/post-only/", _post_only),
]
handler404 = root_urls.handler404
handler500 = root_urls.handler500

pytestmark = pytest.mark.django_db

BOTH_MODES = pytest.mark.parametrize("debug", [True, False], ids=["debug", "no-debug"])


def assert_json_detail(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json()["detail"], str)
    assert b"<html" not in response.content.lower()


@BOTH_MODES
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/posts/0.5/",
        "/api/v1/nope/",
        "/api/v1/users/%00/posts/",
        "/api/v1/users/1/posts/x.y/",
        "/api/v2/",
        "/api/",
    ],
)
def test_an_unroutable_api_path_is_a_json_404(debug, url):
    with override_settings(DEBUG=debug):
        response = APIClient().get(url)

    assert_json_detail(response, 404)


@BOTH_MODES
def test_an_unroutable_api_path_is_json_for_a_logged_in_post_too(debug, auth_client):
    with override_settings(DEBUG=debug):
        response = auth_client.post("/api/v1/posts/1/nope/", {"text": "x"})

    assert_json_detail(response, 404)


@BOTH_MODES
def test_a_method_a_plain_django_view_refuses_is_a_json_405_keeping_allow(debug):
    with override_settings(ROOT_URLCONF=__name__, DEBUG=debug):
        response = APIClient().get("/api/v1/post-only/")

    assert_json_detail(response, 405)
    assert response["Allow"] == "POST"


@BOTH_MODES
def test_a_method_a_drf_view_refuses_is_a_json_405(debug, auth_client):
    with override_settings(DEBUG=debug):
        response = auth_client.put("/api/v1/feed/", {})

    assert_json_detail(response, 405)


@BOTH_MODES
def test_an_unexpected_error_is_a_json_500_without_details(debug):
    client = APIClient(raise_request_exception=False)

    with override_settings(ROOT_URLCONF=__name__, DEBUG=debug):
        response = client.get("/api/v1/boom/")

    assert_json_detail(response, 500)
    assert b"secret detail" not in response.content
    assert b"Traceback" not in response.content


def test_the_json_error_keeps_the_headers_middleware_added(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    with override_settings(DEBUG=True):
        response = APIClient().get("/api/v1/nope/", HTTP_ORIGIN="https://app.example.com")

    assert_json_detail(response, 404)
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert int(response["Content-Length"]) == len(response.content)


def test_outside_the_api_django_keeps_its_own_debug_404_page():
    with override_settings(DEBUG=True):
        response = APIClient().get("/nope/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_outside_the_api_without_debug_the_404_handler_still_answers():
    with override_settings(DEBUG=False):
        response = APIClient().get("/nope/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_outside_the_api_a_debug_500_is_still_django_s_page():
    client = APIClient(raise_request_exception=False)

    with override_settings(ROOT_URLCONF=__name__, DEBUG=True):
        response = client.get("/boom/")

    assert response.status_code == 500
    assert not response["Content-Type"].startswith("application/json")
