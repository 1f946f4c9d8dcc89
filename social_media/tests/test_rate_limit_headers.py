"""`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every throttled response:
the caller's limit closest to running out. The suite's throttle clock stands still 30 s into
a window (conftest.py), which is also 30 s into an hour: resets are exact."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.throttling import SimpleRateThrottle

from social_media.throttling import FixedWindowRateThrottle
from user.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")


@pytest.fixture
def rates(monkeypatch):
    """Set scopes' rates for this test (DRF's throttles all read this one class dict)."""

    def set_rates(**scopes):
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **scopes}
        )

    return set_rates


def limit_of(response) -> tuple[int, int, int]:
    return tuple(int(response[header]) for header in HEADERS)


def login(client, email, address="10.1.0.1"):
    return client.post(
        "/api/v1/auth/login/", {"email": email, "password": "wrong"}, REMOTE_ADDR=address
    )


def test_remaining_goes_down_by_one_per_request(api_client, rates):
    rates(anon="5/min")

    responses = [api_client.get("/api/v1/posts/") for _ in range(3)]

    assert [limit_of(r) for r in responses] == [(5, 4, 30), (5, 3, 30), (5, 2, 30)]


def test_remaining_starts_over_with_the_next_window(api_client, rates, monkeypatch):
    rates(anon="5/min")
    api_client.get("/api/v1/posts/")
    api_client.get("/api/v1/posts/")

    # 5 s into the next minute.
    monkeypatch.setattr(FixedWindowRateThrottle, "timer", staticmethod(lambda: 1_800_000_065.0))
    response = api_client.get("/api/v1/posts/")

    assert limit_of(response) == (5, 4, 55)


def test_an_anonymous_get_shows_the_per_address_limit(api_client):
    response = api_client.get("/api/v1/posts/")

    assert response.status_code == 200
    assert limit_of(response) == (100, 99, 30)  # anon 100/min before user 1000/min
    assert "Retry-After" not in response


def test_an_authenticated_post_shows_the_limit_closest_to_running_out(auth_client, rates):
    rates(user="1000/min", posts="3/hour")

    response = auth_client.post("/api/v1/posts/", {"text": "hello"})

    assert response.status_code == 201
    assert limit_of(response) == (3, 2, 3570)
    assert "Retry-After" not in response


def test_login_shows_whichever_of_the_address_and_account_limits_is_closer(api_client, rates):
    rates(login="4/min", login_email="3/min")

    shown = [limit_of(login(api_client, email))[:2] for email in ("a@x.io", "a@x.io", "b@x.io")]
    fourth = login(api_client, "b@x.io")

    # Per account and address: 2 then 1 left; a new account has 2 left, the address only 1.
    assert shown == [(3, 2), (3, 1), (4, 1)]
    assert limit_of(fourth)[:2] == (4, 0)


def test_a_tie_shows_the_limit_that_resets_last(api_client, rates):
    rates(login="3/min", login_email="3/hour")

    assert limit_of(login(api_client, "a@x.io")) == (3, 2, 3570)


def test_a_limit_that_never_refuses_is_not_shown(api_client, rates):
    # The per-account ceiling only alerts an operator; it is no limit the caller runs into.
    rates(login_account="1/hour")

    responses = [login(api_client, "a@x.io", address=f"10.1.0.{n}") for n in range(3)]

    assert all(r.status_code == 400 for r in responses)
    assert [int(r["RateLimit-Limit"]) for r in responses] == [10, 10, 10]


def test_a_429_has_the_headers_with_nothing_remaining_and_retry_after(api_client, rates):
    rates(anon="2/min")

    responses = [api_client.get("/api/v1/posts/") for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 429, 429]
    assert [limit_of(r) for r in responses[2:]] == [(2, 0, 30), (2, 0, 30)]
    assert all(int(r["Retry-After"]) == 30 for r in responses[2:])


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "shown"),
    [
        ("get", "/api/v1/posts/999999/", None, 404, (1000, 999, 30)),
        ("post", "/api/v1/posts/", {"text": ""}, 400, (120, 119, 3570)),  # posts: 120/hour
        ("delete", "/api/v1/users/{other}/", None, 403, (1000, 999, 30)),
    ],
)
def test_client_errors_have_the_headers_too(auth_client, method, url, body, status, shown):
    other = UserFactory()

    response = getattr(auth_client, method)(url.format(other=other.pk), body)

    assert response.status_code == status
    assert limit_of(response) == shown
    assert "Retry-After" not in response


def test_a_refused_token_counts_and_shows_against_the_address(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/posts/")

    assert response.status_code == 401
    assert limit_of(response) == (100, 99, 30)


def test_a_successful_login_has_the_headers(api_client):
    user = UserFactory()

    response = api_client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert limit_of(response) == (10, 9, 30)


def test_health_is_not_throttled_and_has_no_headers(api_client):
    response = api_client.get("/api/v1/health/")

    assert response.status_code == 200
    assert not any(header in response for header in HEADERS)


# --- The OpenAPI document ------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def responses_of(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                yield f"{method.upper()} {path}", status, response


def test_the_schema_documents_the_headers_on_every_response_of_throttled_operations(schema):
    undocumented, optional_where_always_sent = [], []
    for operation, status, response in responses_of(schema):
        if operation == "GET /api/v1/health/":
            continue
        headers = response.get("headers", {})
        if any(header not in headers for header in HEADERS):
            undocumented.append(f"{operation} {status}")
        elif (status.startswith("2") or status == "429") and not all(
            headers[header]["required"] for header in HEADERS
        ):
            optional_where_always_sent.append(f"{operation} {status}")

    assert undocumented == []
    assert optional_where_always_sent == []


def test_the_schema_documents_retry_after_on_429s_only(schema):
    documented = {
        (f"{operation} {status}", "Retry-After" in response.get("headers", {}))
        for operation, status, response in responses_of(schema)
    }

    assert {name for name, has_it in documented if has_it != name.endswith(" 429")} == set()
    assert any(name.endswith(" 429") for name, _ in documented)


def test_the_schema_documents_no_rate_limit_on_the_unthrottled_health_check(schema):
    for status, response in schema["paths"]["/api/v1/health/"]["get"]["responses"].items():
        assert "headers" not in response, status
