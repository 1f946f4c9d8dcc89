"""Notifications through the HTTP API: who is told of what, once, and what they see."""

import pytest

from notifications.models import Notification
from post.tests.factories import CommentFactory, PostFactory
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"
COUNT_URL = "/api/v1/notifications/unread-count/"
READ_URL = "/api/v1/notifications/read/"


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def listed(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    return response.data["results"]


def kinds(client, query=""):
    return [item["type"] for item in listed(client, query)]


def unread(client):
    response = client.get(COUNT_URL)
    assert response.status_code == 200, response.content
    return response.data["count"]


def test_a_like_notifies_the_author_with_actor_and_post_as_in_the_feed(make_client, alice, bob):
    post = PostFactory(author=alice, text="Hello")
    assert make_client(bob).post(f"/api/v1/posts/{post.pk}/like/").status_code == 201
    client = make_client(alice)
    [item] = listed(client)
    assert item["type"] == "like"
    assert item["actor"] == {
        "id": bob.pk,
        "username": "bob",
        "display_name": bob.display_name,
        "avatar": None,
    }
    feed_post = client.get(f"/api/v1/posts/{post.pk}/").data
    assert item["post"] == feed_post
    assert item["comment"] is None
    assert item["read"] is False
    assert set(item) == {"id", "type", "actor", "post", "comment", "created_at", "read"}
    assert unread(client) == 1


def test_like_unlike_like_leaves_one_notification(make_client, alice, bob):
    post = PostFactory(author=alice)
    client = make_client(bob)
    client.post(f"/api/v1/posts/{post.pk}/like/")
    assert client.delete(f"/api/v1/posts/{post.pk}/like/").status_code == 204
    assert kinds(make_client(alice)) == []
    client.post(f"/api/v1/posts/{post.pk}/like/")
    assert client.post(f"/api/v1/posts/{post.pk}/like/").status_code == 200
    assert kinds(make_client(alice)) == ["like"]


def test_unliking_keeps_a_read_like_notification_and_liking_again_adds_none(
    make_client, alice, bob
):
    post = PostFactory(author=alice)
    client, own = make_client(bob), make_client(alice)
    client.post(f"/api/v1/posts/{post.pk}/like/")
    assert own.post(READ_URL).status_code == 204
    client.delete(f"/api/v1/posts/{post.pk}/like/")
    client.post(f"/api/v1/posts/{post.pk}/like/")
    items = listed(own)
    assert [(i["type"], i["read"]) for i in items] == [("like", True)]
    assert unread(own) == 0


def test_nobody_is_notified_of_their_own_actions(make_client, alice):
    post = PostFactory(author=alice)
    client = make_client(alice)
    client.post(f"/api/v1/posts/{post.pk}/like/")
    client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "Me again"}, format="json")
    assert client.post(f"/api/v1/users/{alice.pk}/follow/").status_code == 400
    assert kinds(client) == []
    assert unread(client) == 0


def test_a_comment_notifies_the_post_author_with_the_comment(make_client, alice, bob):
    post = PostFactory(author=alice)
    response = make_client(bob).post(
        f"/api/v1/posts/{post.pk}/comments/", {"text": "Nice"}, format="json"
    )
    assert response.status_code == 201
    client = make_client(alice)
    [item] = listed(client)
    assert item["type"] == "comment"
    assert item["post"]["id"] == post.pk
    comments = client.get(f"/api/v1/posts/{post.pk}/comments/").data["results"]
    assert item["comment"] == comments[0]


def test_follow_notifies_and_unfollow_takes_back_the_unread_one(make_client, alice, bob):
    client = make_client(bob)
    assert client.post(f"/api/v1/users/{alice.pk}/follow/").status_code == 201
    assert client.post(f"/api/v1/users/{alice.pk}/follow/").status_code == 200
    own = make_client(alice)
    [item] = listed(own)
    assert (item["type"], item["actor"]["id"], item["post"], item["comment"]) == (
        "follow",
        bob.pk,
        None,
        None,
    )
    assert client.delete(f"/api/v1/users/{alice.pk}/follow/").status_code == 204
    assert kinds(own) == []
    client.post(f"/api/v1/users/{alice.pk}/follow/")
    assert kinds(own) == ["follow"]


def test_newest_first_and_filtered_by_types_and_unread(make_client, alice, bob):
    post = PostFactory(author=alice)
    client = make_client(bob)
    client.post(f"/api/v1/users/{alice.pk}/follow/")
    client.post(f"/api/v1/posts/{post.pk}/like/")
    client.post(f"/api/v1/posts/{post.pk}/comments/", {"text": "Hi"}, format="json")
    own = make_client(alice)
    assert kinds(own) == ["comment", "like", "follow"]
    assert kinds(own, "?types=like,follow") == ["like", "follow"]
    assert kinds(own, "?types=follow") == ["follow"]
    follow_id = listed(own, "?types=follow")[0]["id"]
    assert own.post(READ_URL, {"up_to": follow_id}, format="json").status_code == 204
    assert kinds(own, "?unread=true") == ["comment", "like"]
    assert kinds(own, "?unread=false") == ["follow"]


def test_pages_follow_the_cursor(make_client, alice):
    post = PostFactory(author=alice)
    for _ in range(5):
        make_client(UserFactory()).post(f"/api/v1/posts/{post.pk}/like/")
    own = make_client(alice)
    first = own.get(URL + "?page_size=2").data
    second = own.get(first["next"]).data
    seen = [i["id"] for i in first["results"]] + [i["id"] for i in second["results"]]
    assert seen == sorted(seen, reverse=True)
    assert len(set(seen)) == 4


@pytest.mark.parametrize(
    "query", ["?types=likes", "?types=like,nope", "?unread=maybe", "?cursor=nonsense"]
)
def test_bad_list_parameters_are_400(make_client, alice, query):
    response = make_client(alice).get(URL + query)
    assert response.status_code == 400, response.content


def test_mark_read_up_to_an_id_or_all(make_client, alice):
    post = PostFactory(author=alice)
    for _ in range(3):
        make_client(UserFactory()).post(f"/api/v1/posts/{post.pk}/like/")
    own = make_client(alice)
    oldest = listed(own)[-1]["id"]
    assert own.post(READ_URL, {"up_to": oldest}, format="json").status_code == 204
    assert unread(own) == 2
    assert [i["read"] for i in listed(own)] == [False, False, True]
    assert own.post(READ_URL, format="json").status_code == 204
    assert unread(own) == 0
    assert own.post(READ_URL, {}, format="json").status_code == 204


@pytest.mark.parametrize("body", [{"up_to": "x"}, {"up_to": 0}, {"up_to": -3}, {"up_to": 2**63}])
def test_mark_read_rejects_a_bad_up_to(make_client, alice, body):
    response = make_client(alice).post(READ_URL, body, format="json")
    assert response.status_code == 400
    assert "up_to" in response.data


def test_marking_read_touches_only_the_callers_notifications(make_client, alice, bob):
    make_client(bob).post(f"/api/v1/posts/{PostFactory(author=alice).pk}/like/")
    make_client(alice).post(f"/api/v1/posts/{PostFactory(author=bob).pk}/like/")
    assert make_client(alice).post(READ_URL).status_code == 204
    assert unread(make_client(bob)) == 1


def test_dismiss_own_is_204_and_someone_elses_is_404(make_client, alice, bob):
    make_client(bob).post(f"/api/v1/posts/{PostFactory(author=alice).pk}/like/")
    own = make_client(alice)
    [item] = listed(own)
    assert make_client(bob).delete(f"{URL}{item['id']}/").status_code == 404
    assert own.delete(f"{URL}{item['id']}/").status_code == 204
    assert own.delete(f"{URL}{item['id']}/").status_code == 404
    assert own.delete(f"{URL}{'9' * 18}/").status_code == 404
    assert own.delete(f"{URL}{'9' * 30}/").status_code == 404
    assert listed(own) == []


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", URL), ("get", COUNT_URL), ("post", READ_URL), ("delete", f"{URL}1/")],
)
def test_anonymous_is_401(api_client, method, url):
    assert getattr(api_client, method)(url).status_code == 401


def test_wrong_methods_are_405(make_client, alice):
    client = make_client(alice)
    assert client.get(READ_URL).status_code == 405
    assert client.post(COUNT_URL).status_code == 405
    assert client.post(URL).status_code == 405


def test_deleting_the_post_or_comment_removes_its_notifications(make_client, alice, bob):
    post = PostFactory(author=alice)
    other = PostFactory(author=alice)
    client = make_client(bob)
    client.post(f"/api/v1/posts/{post.pk}/like/")
    comment_id = client.post(
        f"/api/v1/posts/{other.pk}/comments/", {"text": "Hi"}, format="json"
    ).data["id"]
    own = make_client(alice)
    assert kinds(own) == ["comment", "like"]
    assert client.delete(f"/api/v1/comments/{comment_id}/").status_code == 204
    assert kinds(own) == ["like"]
    assert own.delete(f"/api/v1/posts/{post.pk}/").status_code == 204
    assert kinds(own) == []
    assert unread(own) == 0


def test_a_deactivated_actor_hides_the_notification_until_they_return(make_client, alice, bob):
    make_client(bob).post(f"/api/v1/users/{alice.pk}/follow/")
    own = make_client(alice)
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert (kinds(own), unread(own)) == ([], 0)
    bob.is_active = True
    bob.save(update_fields=["is_active"])
    assert (kinds(own), unread(own)) == (["follow"], 1)


def test_a_post_no_longer_visible_hides_its_notifications(make_client, alice, bob):
    carol = UserFactory()
    post = PostFactory(author=carol)
    comment = CommentFactory(post=post, author=alice)
    # A like of alice's comment on carol's post: about a post alice does not own.
    Notification.objects.create(
        recipient=alice, type="comment_like", actor=bob, post=post, comment=comment
    )
    own = make_client(alice)
    assert kinds(own) == ["comment_like"]
    carol.is_active = False
    carol.save(update_fields=["is_active"])
    assert (kinds(own), unread(own)) == ([], 0)


def test_a_comment_by_a_deactivated_author_hides_its_notification(make_client, alice, bob):
    post = PostFactory(author=alice)
    make_client(bob).post(f"/api/v1/posts/{post.pk}/comments/", {"text": "x"}, format="json")
    # The notification is kept, the comment hidden: a mention made by someone else in it
    # must not show the comment either.
    comment = Notification.objects.get().comment
    carol = UserFactory()
    Notification.objects.create(
        recipient=alice, type="mention", actor=carol, post=post, comment=comment
    )
    own = make_client(alice)
    assert unread(own) == 2
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert (kinds(own), unread(own)) == ([], 0)
