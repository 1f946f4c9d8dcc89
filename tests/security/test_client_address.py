"""Every per-address limit counts the address the connection came from.

With the default settings no proxy is trusted, so a client that writes its own
X-Forwarded-For (a new value each request) is still one client.
"""

import pytest
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from social_media.throttling import client_address

pytestmark = pytest.mark.django_db


def rotating(n: int) -> dict:
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n % 250}, 198.51.100.{n % 250}"}


def until_throttled(send, limit: int) -> list[int]:
    """Status codes of `limit` + 1 requests, each with another X-Forwarded-For."""
    return [send(n).status_code for n in range(limit + 1)]


def limit_of(scope: str) -> int:
    return SimpleRateThrottle.parse_rate(None, SimpleRateThrottle.THROTTLE_RATES[scope])[0]


def test_no_proxy_is_trusted_by_default():
    assert settings.NUM_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


@pytest.mark.parametrize(
    ("scope", "password"), [("register", "a-long-passphrase-19"), ("login", "guess")]
)
def test_account_endpoints_count_the_connection_not_the_header(api_client, scope, password):
    def send(n):
        return api_client.post(
            f"/api/v1/auth/{scope}/",
            {"email": f"probe{n}@example.com", "password": password},
            **rotating(n),
        )

    codes = until_throttled(send, limit_of(scope))

    assert 429 not in codes[:-1]
    assert codes[-1] == 429


def test_anonymous_reads_count_the_connection_not_the_header(api_client):
    codes = until_throttled(
        lambda n: api_client.get("/api/v1/hashtags/", **rotating(n)), limit_of("anon")
    )

    assert 429 not in codes[:-1]
    assert codes[-1] == 429


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [(0, "192.0.2.7"), (1, "198.51.100.9"), (2, "203.0.113.5"), (5, "203.0.113.5")],
)
def test_trusted_proxies_pick_the_entry_they_appended(rf, monkeypatch, proxies, expected):
    """Behind N proxies the client is the Nth address from the right: the leftmost ones are
    whatever the client wrote."""
    from rest_framework.settings import api_settings

    monkeypatch.setattr(api_settings, "NUM_PROXIES", proxies, raising=False)
    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9")

    assert client_address(request) == expected


def test_https_is_only_believed_from_a_trusted_proxy(client):
    """X-Forwarded-Proto is a header like any other: with no proxy configured it must not
    make a plain-HTTP request count as secure."""
    assert getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is None
