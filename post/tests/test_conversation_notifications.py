"""What conversations tell the notifications app: replies, comment likes, reposts, quotes."""

import pytest

from notifications.models import Notification
from post.tests.helpers import create_post

pytestmark = pytest.mark.django_db


def notices(user, type_):
    return list(
        Notification.objects.filter(recipient=user, type=type_).values_list(
            "actor_id", "post_id", "comment_id"
        )
    )


def test_a_reply_notifies_the_comments_author(auth_client, other_client, user, other_user):
    post = create_post(user, "Thread")
    top = auth_client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "First"}).json()

    reply = other_client.post(
        f"/api/v1/posts/{post.pk}/comments/", {"text": "Re", "in_reply_to": top["id"]}
    ).json()

    assert notices(user, "reply") == [(other_user.pk, post.pk, reply["id"])]


def test_a_comment_like_notifies_once_and_an_unlike_withdraws_it(
    auth_client, other_client, user, other_user
):
    post = create_post(user, "Thread")
    top = auth_client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "First"}).json()
    url = f"/api/v1/comments/{top['id']}/like/"

    other_client.post(url)
    other_client.post(url)
    assert notices(user, "comment_like") == [(other_user.pk, post.pk, top["id"])]
    other_client.delete(url)
    assert notices(user, "comment_like") == []


def test_reposts_and_quotes_notify_the_original_author(auth_client, other_client, user, other_user):
    original = create_post(user, "Original")

    other_client.post(f"/api/v1/posts/{original.pk}/repost/")
    other_client.post(f"/api/v1/posts/{original.pk}/repost/")
    assert notices(user, "repost") == [(other_user.pk, original.pk, None)]
    other_client.delete(f"/api/v1/posts/{original.pk}/repost/")
    assert notices(user, "repost") == []

    quote = other_client.post("/api/v1/posts/", {"text": "Hm", "quote_of": original.pk}).json()
    assert notices(user, "quote") == [(other_user.pk, quote["id"], None)]
