"""The admin site's login is limited per client address and per account (django-axes)."""

import pytest
from django.conf import settings
from django.test import Client

from user.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff():
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


def attempt(email: str, password: str, address: str = "10.2.0.1"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": email, "password": password})


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_a_correct_password_logs_in(staff):
    assert logged_in(attempt(staff.email, DEFAULT_PASSWORD))


def test_guessing_stops_at_the_limit_and_the_right_password_is_refused_then(staff):
    limit = settings.AXES_FAILURE_LIMIT
    codes = [attempt(staff.email, f"guess-{n}").status_code for n in range(limit + 5)]

    assert codes[: limit - 1] == [200] * (limit - 1)  # the form again, with an error
    assert set(codes[limit:]) == {429}
    refused = attempt(staff.email, DEFAULT_PASSWORD)
    assert refused.status_code == 429
    assert not logged_in(refused)


def test_the_limit_holds_per_account_across_addresses(staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(staff.email, "guess", address=f"10.3.0.{n + 1}")

    assert attempt(staff.email, DEFAULT_PASSWORD, address="10.3.1.1").status_code == 429


def test_the_limit_holds_per_address_across_accounts(staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"nobody{n}@example.com", "guess", address="10.4.0.1")

    assert attempt(staff.email, DEFAULT_PASSWORD, address="10.4.0.1").status_code == 429
    assert logged_in(attempt(staff.email, DEFAULT_PASSWORD, address="10.4.0.2"))


def test_forwarded_headers_do_not_change_the_address(staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.5.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
            LOGIN, {"username": f"nobody{n}@example.com", "password": "x"}
        )

    assert attempt(staff.email, DEFAULT_PASSWORD, address="10.5.0.1").status_code == 429


def test_api_logins_are_not_recorded_by_the_admin_limit(api_client, staff):
    """The API's login has its own throttles; its failures must not lock the admin."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            "/api/v1/auth/login/",
            {"email": staff.email, "password": "guess"},
            REMOTE_ADDR="10.6.0.1",
        )

    assert logged_in(attempt(staff.email, DEFAULT_PASSWORD, address="10.6.0.1"))
