from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from user.authentication import ExpiringTokenAuthentication
from user.models import User
from user.tests.factories import DEFAULT_PASSWORD, UserFactory
from user.throttling import (
    LoginAccountCeiling,
    LoginEmailThrottle,
    LoginIPThrottle,
    RegisterIPThrottle,
)

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
LOGOUT_ALL = "/api/v1/auth/logout-all/"
PASSWORD = "/api/v1/auth/password/"
ME = "/api/v1/users/me/"
STRONG = "ultramarine-kettle-orbit-42"


def login(api_client, email, password=DEFAULT_PASSWORD):
    return api_client.post(LOGIN, {"email": email, "password": password})


def client_with(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


# --- Register ---------------------------------------------------------------------------


def test_register_creates_account_with_lowercased_email(api_client):
    response = api_client.post(
        REGISTER, {"email": "Ada.Lovelace@Example.ORG", "password": STRONG, "username": "Ada_L"}
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["email"] == "ada.lovelace@example.org"
    assert body["username"] == "Ada_L"
    assert body["followers_count"] == body["following_count"] == body["posts_count"] == 0
    assert "password" not in body
    user = User.objects.get(pk=body["id"])
    assert user.email == "ada.lovelace@example.org"
    assert user.check_password(STRONG)
    assert user.password.startswith("md5$")  # hashed by the test hasher, never stored plain


def test_register_derives_a_unique_username_when_omitted(api_client):
    UserFactory(username="grace")
    response = api_client.post(REGISTER, {"email": "grace@example.org", "password": STRONG})
    assert response.status_code == 201, response.data
    username = response.json()["username"]
    assert username.lower() != "grace"
    assert username.startswith("grace_")


def test_register_duplicate_email_in_another_case(api_client):
    UserFactory(email="ada@example.org")
    response = api_client.post(REGISTER, {"email": "ADA@Example.org", "password": STRONG})
    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1


def test_register_duplicate_username_in_another_case(api_client):
    UserFactory(username="turing")
    response = api_client.post(
        REGISTER, {"email": "alan@example.org", "password": STRONG, "username": "TURING"}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["username"]


@pytest.mark.parametrize("username", ["ab", "a" * 31, "with space", "dash-ed", "émile"])
def test_register_invalid_username(api_client, username):
    response = api_client.post(
        REGISTER, {"email": "x@example.org", "password": STRONG, "username": username}
    )
    assert response.status_code == 400
    assert "username" in response.json()


@pytest.mark.parametrize(
    "password",
    ["short1", "password123", "12345678901", "lovelace_ada"],
    ids=["too-short", "common", "numeric", "similar-to-email"],
)
def test_register_weak_password(api_client, password):
    response = api_client.post(
        REGISTER, {"email": "lovelace_ada@example.org", "password": password}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.exists()


def test_register_invalid_email(api_client):
    response = api_client.post(REGISTER, {"email": "not-an-email", "password": STRONG})
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_register_missing_fields(api_client):
    response = api_client.post(REGISTER, {})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


@pytest.mark.parametrize("body", [[], "text", {"email": ["a@b.io"], "password": 1}])
def test_register_malformed_body_is_a_400(api_client, body):
    response = api_client.post(REGISTER, body, format="json")
    assert response.status_code == 400


def test_register_ignores_privilege_fields(api_client):
    response = api_client.post(
        REGISTER,
        {"email": "eve@example.org", "password": STRONG, "is_staff": True, "is_superuser": True},
    )
    assert response.status_code == 201
    user = User.objects.get(email="eve@example.org")
    assert not user.is_staff
    assert not user.is_superuser


def test_register_with_a_stale_token_still_works(api_client):
    client_with(api_client, "stale-token-from-an-old-install")
    response = api_client.post(REGISTER, {"email": "new@example.org", "password": STRONG})
    assert response.status_code == 201


# --- Login ------------------------------------------------------------------------------


def test_login_with_a_stale_token_still_works(api_client, user):
    client_with(api_client, "stale-token-from-an-old-install")
    assert login(api_client, user.email).status_code == 200


def test_login_returns_token_expiry_and_own_user(api_client, user, settings):
    response = login(api_client, user.email.upper())
    assert response.status_code == 200, response.data
    body = response.json()
    assert set(body) == {"token", "expires_at", "user"}
    assert body["user"]["id"] == user.id
    assert body["user"]["email"] == user.email
    token = AuthToken.objects.get(user=user)
    expected = timezone.now() + settings.TOKEN_TTL
    assert abs(token.expiry - expected) < timedelta(minutes=1)
    # Stored hashed: neither the key nor the digest column holds the plain token.
    assert token.digest != body["token"]
    assert not AuthToken.objects.filter(digest=body["token"]).exists()
    me = client_with(api_client, body["token"]).get(ME)
    assert me.status_code == 200
    assert me.json()["email"] == user.email


def test_each_login_issues_a_new_token(api_client, user):
    first = login(api_client, user.email).json()["token"]
    second = login(api_client, user.email).json()["token"]
    assert first != second
    assert AuthToken.objects.filter(user=user).count() == 2


def test_wrong_password_and_unknown_email_give_the_same_answer(api_client, user):
    wrong_password = login(api_client, user.email, "not-the-password")
    unknown_email = login(api_client, "nobody@example.org")
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert wrong_password.json() == unknown_email.json()
    assert "non_field_errors" in wrong_password.json()


def test_inactive_user_cannot_log_in(api_client):
    inactive = UserFactory(is_active=False)
    response = login(api_client, inactive.email)
    assert response.status_code == 400
    assert response.json() == login(api_client, "nobody@example.org").json()
    assert not AuthToken.objects.exists()


def test_login_missing_fields(api_client):
    response = api_client.post(LOGIN, {})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


# --- Tokens: logout, logout-all, password, expiry ----------------------------------------


def test_logout_revokes_only_the_token_used(make_client, user):
    phone, laptop = make_client(user), make_client(user)
    assert phone.post(LOGOUT).status_code == 204
    response = phone.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert laptop.get(ME).status_code == 200


def test_logout_twice_gives_401(auth_client):
    assert auth_client.post(LOGOUT).status_code == 204
    assert auth_client.post(LOGOUT).status_code == 401


def test_logout_requires_a_token(api_client):
    response = api_client.post(LOGOUT)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_logout_over_get_is_not_allowed(auth_client):
    assert auth_client.get(LOGOUT).status_code == 405


def test_logout_all_revokes_every_token(make_client, user, other_user):
    phone, laptop = make_client(user), make_client(user)
    bystander = make_client(other_user)
    assert phone.post(LOGOUT_ALL).status_code == 204
    assert phone.get(ME).status_code == 401
    assert laptop.get(ME).status_code == 401
    assert bystander.get(ME).status_code == 200


def test_password_change_keeps_current_token_and_revokes_others(make_client, api_client, user):
    current, other_device = make_client(user), make_client(user)
    response = current.post(PASSWORD, {"old_password": DEFAULT_PASSWORD, "new_password": STRONG})
    assert response.status_code == 204, response.data
    assert current.get(ME).status_code == 200
    assert other_device.get(ME).status_code == 401
    assert login(api_client, user.email, DEFAULT_PASSWORD).status_code == 400
    assert login(api_client, user.email, STRONG).status_code == 200


def test_password_change_wrong_old_password(make_client, user):
    client, other_device = make_client(user), make_client(user)
    response = client.post(PASSWORD, {"old_password": "wrong", "new_password": STRONG})
    assert response.status_code == 400
    assert list(response.json()) == ["old_password"]
    assert other_device.get(ME).status_code == 200


def test_password_change_weak_new_password(auth_client, user):
    response = auth_client.post(
        PASSWORD, {"old_password": DEFAULT_PASSWORD, "new_password": user.username}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["new_password"]


def test_password_change_requires_a_token(api_client):
    response = api_client.post(PASSWORD, {"old_password": "a", "new_password": STRONG})
    assert response.status_code == 401


def test_expired_token_gives_401(api_client, user):
    _, key = AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))
    response = client_with(api_client, key).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token not-a-real-token", "Token " + "f" * 200, "Token ünïcode"],
)
def test_malformed_or_unknown_token_gives_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_a_deactivated_user_gives_401(auth_client, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert auth_client.get(ME).status_code == 401


# --- Throttles --------------------------------------------------------------------------


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test (DRF copies the settings into the class at import)."""

    def set_rates(**scopes):
        for throttle in (
            LoginIPThrottle,
            LoginEmailThrottle,
            LoginAccountCeiling,
            RegisterIPThrottle,
        ):
            merged = {**throttle.THROTTLE_RATES, **scopes}
            monkeypatch.setattr(throttle, "THROTTLE_RATES", merged)

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


def test_login_is_throttled_per_ip(api_client, rates):
    rates(login="3/min", login_email="100/min")
    for n in range(3):
        assert login(api_client, f"someone{n}@example.org").status_code == 400
    assert_throttled(login(api_client, "someone-else@example.org"))


def test_login_is_throttled_per_account_and_address(api_client, user, rates):
    rates(login="100/min", login_email="2/min")
    for _ in range(2):
        response = api_client.post(
            LOGIN, {"email": user.email, "password": "guess"}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 400
    # The email in another case is still the same account.
    response = api_client.post(
        LOGIN, {"email": user.email.upper(), "password": "guess"}, REMOTE_ADDR="10.0.0.1"
    )
    assert_throttled(response)
    # The same account from another address, and another account from the same address,
    # are counted apart.
    elsewhere = api_client.post(
        LOGIN, {"email": user.email, "password": "guess"}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.status_code == 400
    other = api_client.post(
        LOGIN, {"email": "other@example.org", "password": "x"}, REMOTE_ADDR="10.0.0.1"
    )
    assert other.status_code == 400


def test_the_account_ceiling_alerts_once_and_never_locks_the_owner_out(
    api_client, user, rates, caplog
):
    """Guessing from many addresses passes the per-account ceiling: one warning for the
    window, and the owner's correct password still works."""
    rates(login="100/min", login_email="100/min", login_account="3/min")
    for n in range(6):
        response = api_client.post(
            LOGIN, {"email": user.email, "password": "guess"}, REMOTE_ADDR=f"10.8.0.{n + 1}"
        )
        assert response.status_code == 400

    owner = api_client.post(
        LOGIN, {"email": user.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.8.1.1"
    )

    assert owner.status_code == 200
    alerts = [r for r in caplog.records if "password-guessing" in r.getMessage()]
    assert len(alerts) == 1
    assert alerts[0].levelname == "WARNING"
    assert user.email not in alerts[0].getMessage()


def test_register_is_throttled_per_ip(api_client, rates):
    rates(register="2/min")
    for n in range(2):
        body = {"email": f"new{n}@example.org", "password": STRONG}
        assert api_client.post(REGISTER, body).status_code == 201
    assert_throttled(api_client.post(REGISTER, {"email": "new9@example.org", "password": STRONG}))
    assert User.objects.count() == 2


# --- Token lookup (user/authentication.py) ----------------------------------------------


def test_a_token_is_checked_in_one_query_with_its_user(api_client, user, django_assert_num_queries):
    auth_token, key = AuthToken.objects.create(user=user)
    authentication = ExpiringTokenAuthentication()

    with django_assert_num_queries(1):
        found_user, found_token = authentication.authenticate_credentials(key.encode())

    loaded = User.objects.get(pk=user.pk)
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(found_user, f) for f in fields] == [getattr(loaded, f) for f in fields]
    assert found_token.digest == auth_token.digest
    assert found_token.expiry == AuthToken.objects.get(digest=auth_token.digest).expiry
    assert timezone.is_aware(found_token.expiry)
    assert found_token.user is found_user


def test_a_sliding_token_is_renewed_on_use(api_client, user, monkeypatch):
    """TOKEN_SLIDING (knox AUTO_REFRESH): each use pushes the expiry to now + TOKEN_TTL."""
    monkeypatch.setattr(knox_settings, "AUTO_REFRESH", True)
    auth_token, key = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))

    assert client_with(api_client, key).get(ME).status_code == 200

    renewed = AuthToken.objects.get(digest=auth_token.digest).expiry
    assert renewed > timezone.now() + knox_settings.TOKEN_TTL - timedelta(minutes=1)
