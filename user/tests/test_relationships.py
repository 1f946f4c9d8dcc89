"""`GET /users/relationships/?id=…`: the caller's relationship with many accounts at once."""

import pytest

from user.models import User
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/relationships/"


def ask(client, *ids):
    return client.get(URL, {"id": [str(i) for i in ids]})


def test_each_asked_account_in_the_order_asked(auth_client, user):
    followed, follower, both, stranger = UserFactory.create_batch(4)
    FollowFactory(follower=user, followee=followed)
    FollowFactory(follower=follower, followee=user)
    FollowFactory(follower=user, followee=both)
    FollowFactory(follower=both, followee=user)

    response = ask(auth_client, stranger.pk, both.pk, followed.pk, follower.pk)

    assert response.status_code == 200
    flags = [(r["id"], r["is_following"], r["follows_you"]) for r in response.json()]
    assert flags == [
        (stranger.pk, False, False),
        (both.pk, True, True),
        (followed.pk, True, False),
        (follower.pk, False, True),
    ]
    for row in response.json():
        assert row == {
            **row,
            "is_blocking": False,
            "is_muting": False,
            "follow_requested": False,
        }


def test_unknown_inactive_and_repeated_ids(auth_client):
    active, inactive = UserFactory.create_batch(2)
    User.objects.filter(pk=inactive.pk).update(is_active=False)

    response = ask(auth_client, active.pk, 999_999, inactive.pk, active.pk)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [active.pk]


def test_one_query_for_forty_accounts(auth_client, user, django_assert_num_queries):
    others = UserFactory.create_batch(40)
    for other in others[::2]:
        FollowFactory(follower=user, followee=other)

    # The token, the caller's blocks, mutes and followed private accounts (read once per
    # request for the visibility rule), then the relationships.
    with django_assert_num_queries(3):
        response = ask(auth_client, *(o.pk for o in others))

    assert len(response.json()) == 40
    assert sum(row["is_following"] for row in response.json()) == 20


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ((), "This field is required."),
        (range(1, 42), "Ensure this field has no more than 40 elements."),
        (("abc",), "A valid integer is required."),
        ((0,), "Ensure this value is greater than or equal to 1."),
        ((2**64,), "Ensure this value is less than or equal to 9223372036854775807."),
    ],
)
def test_bad_ids_are_a_400(auth_client, ids, message):
    response = ask(auth_client, *ids)

    assert response.status_code == 400
    assert message in str(response.json()["id"])


def test_it_needs_a_token(api_client, user):
    response = ask(api_client, user.pk)

    assert response.status_code == 401


@pytest.mark.parametrize("ids", [("abc",), (0,), (2**64,), (1, "abc")])
def test_a_bad_id_is_one_message_in_the_documented_list_of_messages(auth_client, ids):
    # DRF keys a list's item errors by position ({"id": {"0": [...]}}), which is not the
    # `{"id": [message, ...]}` the schema documents for this 400 (schemathesis found it).
    response = ask(auth_client, *ids)

    assert response.status_code == 400
    assert isinstance(response.json()["id"], list)
    assert all(isinstance(message, str) for message in response.json()["id"])
