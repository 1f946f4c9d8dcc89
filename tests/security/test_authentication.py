"""OWASP API2 (broken authentication): which credentials the API accepts, everywhere.

user/tests/test_auth.py proves each token rule on `/users/me/`; here the same refusals are
applied to every protected operation of the API, and the storage of tokens is inspected.
"""

from datetime import timedelta

import pytest
from django.db import connection
from knox.crypto import hash_token
from knox.models import AuthToken

from conftest import token_for
from tests.security.conftest import snapshot
from tests.security.operations import OWNER_ONLY_READS, WRITES, call
from user.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROTECTED = WRITES + OWNER_ONLY_READS


def revoked(user, api_client):
    key = token_for(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    return f"Token {key}"


def expired(user, api_client):
    _, key = AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))
    return f"Token {key}"


def prefix_only(user, api_client):
    # Knox stores the first characters of each key in clear, to find the row: that prefix
    # alone must not be a credential.
    key = token_for(user)
    return f"Token {key[:15]}"


def digest_as_key(user, api_client):
    # Someone who read the table (a backup, an SQL injection elsewhere) has digests only.
    token_for(user)
    return f"Token {AuthToken.objects.filter(user=user).first().digest}"


BAD_CREDENTIALS = {
    "revoked by logout": revoked,
    "expired": expired,
    "stored prefix only": prefix_only,
    "stored digest as key": digest_as_key,
    "keyword only": lambda user, client: "Token",
    "two keys": lambda user, client: f"Token {token_for(user)} {token_for(user)}",
    "non-ascii": lambda user, client: "Token clé-ünïcode",
    "bearer scheme": lambda user, client: f"Bearer {token_for(user)}",
    "lower-case keyword": lambda user, client: f"token {token_for(user)}x",
    "basic auth": lambda user, client: "Basic dXNlcjpwYXNz",
    "empty": lambda user, client: "",
    # psycopg2 refuses a NUL in a string parameter: a 500 on PostgreSQL before the fix.
    "NUL byte": lambda user, client: f"Token {token_for(user)[:5]}\x00{token_for(user)[6:]}",
}


@pytest.mark.parametrize("op", PROTECTED, ids=lambda op: op.id)
@pytest.mark.parametrize("credential", BAD_CREDENTIALS.values(), ids=BAD_CREDENTIALS.keys())
def test_bad_credentials_are_401_everywhere_and_change_nothing(
    api_client, user, world, op, credential
):
    header = credential(user, api_client)
    api_client.credentials(HTTP_AUTHORIZATION=header)
    before = snapshot()

    response = call(api_client, op, world)

    assert response.status_code == 401, (header, response.content)
    assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


def test_a_token_in_the_query_string_is_not_a_credential(api_client, user):
    key = token_for(user)

    response = api_client.get("/api/v1/users/me/", {"token": key, "auth_token": key})

    assert response.status_code == 401


def test_another_users_token_acts_as_that_user_only(make_client, user, other_user):
    response = make_client(other_user).get("/api/v1/users/me/")

    assert response.json()["id"] == other_user.pk
    assert response.json()["email"] == other_user.email


def test_the_database_holds_no_plain_key(api_client, user):
    response = api_client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    key = response.json()["token"]
    token = AuthToken.objects.get(user=user)

    assert token.digest == hash_token(key)
    assert key not in token.digest
    assert len(token.token_key) < len(key) // 2
    # Search the raw table too, not only the columns the model knows about.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")  # noqa: S608
        for row in cursor.fetchall():
            assert not any(isinstance(value, str) and key in value for value in row)


def test_the_key_is_shown_once_at_login_and_never_again(api_client, user):
    key = api_client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": DEFAULT_PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    for url in ["/api/v1/users/me/", f"/api/v1/users/{user.pk}/", "/api/v1/users/"]:
        response = api_client.get(url)
        assert key not in response.content.decode()
        assert key[:15] not in response.content.decode()


def test_password_change_revokes_every_other_session_only(make_client, user, other_user):
    current, stolen = make_client(user), make_client(user)
    bystander = make_client(other_user)

    response = current.post(
        "/api/v1/auth/password/",
        {"old_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-passphrase-77"},
    )

    assert response.status_code == 204
    assert stolen.post("/api/v1/posts/", {"text": "as the thief"}).status_code == 401
    assert current.post("/api/v1/posts/", {"text": "as the owner"}).status_code == 201
    assert bystander.get("/api/v1/users/me/").status_code == 200


def test_a_django_session_does_not_authenticate_the_api(client, user):
    """Only tokens authenticate: a browser logged into the admin cannot be made to call
    the API cross-site with its session cookie (no CSRF exposure on the API)."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.post("/api/v1/posts/", {"text": "csrf"}, content_type="application/json")

    assert response.status_code == 401


def test_tokens_expire_after_the_configured_ttl(api_client, user, settings):
    response = api_client.post(
        "/api/v1/auth/login/", {"email": user.email, "password": DEFAULT_PASSWORD}
    )
    token = AuthToken.objects.get(user=user)

    assert response.json()["expires_at"] is not None
    lifetime = token.expiry - token.created
    assert abs(lifetime - settings.REST_KNOX["TOKEN_TTL"]) < timedelta(seconds=1)


def test_failed_authentications_are_throttled_per_address(api_client, make_client, user):
    """A token-guessing client costs a lookup per request: it is counted against the
    address's anonymous allowance and gets 429 once over, from any address it fakes."""
    from rest_framework.throttling import SimpleRateThrottle

    limit = SimpleRateThrottle.parse_rate(None, SimpleRateThrottle.THROTTLE_RATES["anon"])[0]
    codes = []
    for n in range(limit + 1):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {n:064x}")
        codes.append(
            api_client.get(
                "/api/v1/posts/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n % 250}"
            ).status_code
        )

    assert set(codes[:-1]) == {401}
    assert codes[-1] == 429
    # Other addresses, and valid tokens from this one, are unaffected.
    api_client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert api_client.get("/api/v1/posts/", REMOTE_ADDR="10.7.0.1").status_code == 401
    assert make_client(user).get("/api/v1/users/me/").status_code == 200
