"""OWASP API1 (broken object level authorization): every write of the API, and every
owner-only read, x {anonymous, another user, the owner}.

A refused write must leave every row as it was, so each refusal is followed by a full
snapshot comparison (tests/security/conftest.py::snapshot), not a look at one field.
"""

import pytest

from tests.security.conftest import snapshot
from tests.security.operations import OWNER_ONLY_READS, WRITES, call

pytestmark = pytest.mark.django_db

OWNER_ONLY = [op for op in WRITES + OWNER_ONLY_READS if op.who == "owner"]
EVERYTHING = WRITES + OWNER_ONLY_READS


def ids(op):
    return op.id


@pytest.mark.parametrize("op", EVERYTHING, ids=ids)
def test_anonymous_is_401_with_a_token_challenge_and_nothing_changes(api_client, world, op):
    before = snapshot()

    response = call(api_client, op, world)

    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert snapshot() == before


@pytest.mark.parametrize("op", OWNER_ONLY, ids=ids)
def test_another_user_is_refused_and_nothing_changes(other_client, world, op):
    before = snapshot()

    response = call(other_client, op, world)

    assert response.status_code == op.other_status, response.content
    assert set(response.json()) == {"detail"}
    # The refusal must not leak the object (e.g. a scheduled post's text) either.
    assert b"secret plan" not in response.content
    assert snapshot() == before


@pytest.mark.parametrize("op", EVERYTHING, ids=ids)
def test_the_owner_may(auth_client, world, op):
    response = call(auth_client, op, world)

    assert response.status_code == op.owner_status, response.content


def test_another_users_scheduled_posts_are_not_in_their_list(other_client, world):
    response = other_client.get("/api/v1/scheduled-posts/")

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/posts/", {"text": "stolen", "media_ids": ["{media}"]}),
        ("/api/v1/posts/", {"text": "stolen", "media_ids": ["{scheduled_media}"]}),
        (
            "/api/v1/scheduled-posts/",
            {"text": "stolen", "media_ids": ["{media}"], "publish_at": "later"},
        ),
    ],
)
def test_another_users_upload_cannot_be_attached(other_client, world, url, body):
    """Uploads are objects too: ids are guessable integers, ownership is the only guard."""
    from tests.security.operations import later

    body = {
        key: (
            [int(str(item).format(**world)) for item in value]
            if key == "media_ids"
            else later()
            if value == "later"
            else value
        )
        for key, value in body.items()
    }
    before = snapshot()

    response = other_client.post(url, body, format="json")

    assert response.status_code == 400
    assert "media_ids" in response.json()
    assert snapshot() == before


def test_the_catalogue_covers_every_write_route():
    """A new write route must be added to operations.WRITES, or this fails."""
    from tests.test_schema_completeness import routed_operations

    writes = {op for op in routed_operations() if not op.startswith("GET ")}
    excluded = {"POST /api/v1/auth/register/", "POST /api/v1/auth/login/"}  # public by design
    catalogued = {
        f"{op.method.upper()} "
        + op.url.replace("{owner}", "{}")
        .replace("{other}", "{}")
        .replace("/me/", "/{}/")
        .replace("{post}", "{}")
        .replace("{comment}", "{}")
        .replace("{scheduled}", "{}")
        .replace("{notification}", "{}")
        .replace("{requester}", "{}")
        for op in WRITES
    }
    assert sorted(writes - excluded - catalogued) == []
