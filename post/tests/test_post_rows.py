"""How a page of posts is read (`PostQuerySet.as_rows`): the page's ids first, then the rows
of those ids and of their originals. Through the API where a client can see it; the race
between the two statements through the queryset, where it can be made to happen."""

import pytest

import post.models.rows as rows_module
from post.models import Post
from post.tests.helpers import create_post
from user.tests.factories import FollowFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_post_that_is_in_the_page_and_quoted_in_it_shows_both_ways(make_client, user):
    author = UserFactory()
    FollowFactory(follower=user, followee=author)
    first = create_post(author, "First")
    middle = create_post(author, "Quoting the first", quote_of=first.pk)
    last = create_post(author, "Quoting the middle one", quote_of=middle.pk)
    make_client(user).post(f"/api/v1/posts/{middle.pk}/like/")

    response = make_client(user).get("/api/v1/feed/")

    assert response.status_code == 200
    by_id = {item["id"]: item for item in response.json()["results"]}
    assert list(by_id) == [last.pk, middle.pk, first.pk]
    # In the page: its own original and the viewer's state.
    assert by_id[middle.pk]["quote_of"]["id"] == first.pk
    assert by_id[middle.pk]["liked_by_me"] is True
    # Nested as the last one's original: one level deep, the same state.
    nested = by_id[last.pk]["quote_of"]
    assert (nested["id"], nested["quote_of"], nested["repost_of"]) == (middle.pk, None, None)
    assert (nested["liked_by_me"], nested["like_count"]) == (True, 1)


def test_an_original_the_viewer_may_not_read_is_null_though_the_quote_is_shown(make_client, user):
    author, hidden = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=user, followee=author)
    quote = create_post(author, "About a private post", quote_of=create_post(hidden, "Mine").pk)

    response = make_client(user).get("/api/v1/feed/")

    assert [(item["id"], item["quote_of"]) for item in response.json()["results"]] == [
        (quote.pk, None)
    ]


def test_a_post_deleted_between_the_page_and_its_rows_is_left_out(monkeypatch, user):
    kept, gone = create_post(user, "Kept"), create_post(user, "Gone")
    read_rows = rows_module._rows

    def delete_first(queryset, page_ids, other_originals):
        Post.objects.filter(pk=gone.pk).delete()
        return read_rows(queryset, page_ids, other_originals)

    monkeypatch.setattr(rows_module, "_rows", delete_first)

    rows = list(Post.objects.for_viewer(user).filter(author=user).as_rows())

    assert [row["id"] for row in rows] == [kept.pk]
