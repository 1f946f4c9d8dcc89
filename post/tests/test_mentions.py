"""`@username` mentions: the parser's edge cases, and what posts and comments make of them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from post.mentions import MENTIONS_PER_TEXT_MAX, parse_mentions
from post.services.publishing import scheduled_posts_publish_due
from post.tests.factories import ScheduledPostFactory
from post.tests.helpers import create_post
from user.tests.factories import UserFactory


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Hello @Ada_L!", ["ada_l"]),
        ("write to bob@example.com", []),
        ("(@carol), and @dave.", ["carol", "dave"]),
        ("@ada and @ADA and @Ada", ["ada"]),
        ("see https://example.com/@ada and www.example.org/@bob", []),
        ("@ab is too short, @" + "a" * 31 + " too long", []),
        ("a@@ada, x/@bob, @carol@host", []),
        ("@bob_smith is not @bob", ["bob_smith", "bob"]),
    ],
    ids=["plain", "email", "punctuation", "twice", "url", "length", "glued", "prefix"],
)
def test_parse_mentions(text, names):
    assert parse_mentions(text) == names


def test_only_the_first_ten_names_are_mentions():
    text = " ".join(f"@user{n:02}" for n in range(MENTIONS_PER_TEXT_MAX + 1))

    names = parse_mentions(text)

    assert names == [f"user{n:02}" for n in range(MENTIONS_PER_TEXT_MAX)]
    assert "user10" not in names


def mention_notices(user):
    return Notification.objects.filter(recipient=user, type="mention")


@pytest.mark.django_db
def test_a_posts_mentions_are_existing_accounts_notified_once(auth_client, user):
    ada = UserFactory(username="ada_l")
    UserFactory(username="gone_away", is_active=False)

    response = auth_client.post(
        "/api/v1/posts/", {"text": "Hi @ADA_L, @gone_away and @nobody_at_all @ada_l"}
    )

    assert response.status_code == 201
    assert [m["id"] for m in response.json()["mentions"]] == [ada.pk]
    post_id = response.json()["id"]
    assert mention_notices(ada).count() == 1

    # Edits re-parse: a name dropped leaves `mentions`, and coming back notifies nobody again.
    url = f"/api/v1/posts/{post_id}/"
    assert auth_client.patch(url, {"text": "No one"}).json()["mentions"] == []
    again = auth_client.patch(url, {"text": "Again @ada_l"}).json()
    assert [m["id"] for m in again["mentions"]] == [ada.pk]
    assert mention_notices(ada).count() == 1
    bob = UserFactory(username="bob_b")
    auth_client.patch(url, {"text": "Now @bob_b and @ada_l"})
    assert mention_notices(bob).count() == 1
    assert mention_notices(ada).count() == 1


@pytest.mark.django_db
def test_a_scheduled_posts_mentions_are_linked_when_it_is_published(user):
    ada = UserFactory(username="ada_l")
    ScheduledPostFactory(
        author=user, text="Launch, @ada_l!", publish_at=timezone.now() - timedelta(seconds=1)
    )

    scheduled_posts_publish_due()

    assert mention_notices(ada).count() == 1


@pytest.mark.django_db
def test_a_quote_has_its_own_mentions(auth_client):
    ada = UserFactory(username="ada_l")
    original = create_post(UserFactory(), "Original")

    response = auth_client.post("/api/v1/posts/", {"text": "cc @ada_l", "quote_of": original.pk})

    assert [m["username"] for m in response.json()["mentions"]] == ["ada_l"]
    assert mention_notices(ada).count() == 1
