from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from post.models import Comment, Hashtag, Like, Media, Post, PostHashtag
from post.tests.factories import CommentFactory, LikeFactory, MediaFactory, PostFactory
from post.tests.helpers import create_post, follow_pages, ids, upload
from user.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POST_FIELDS = {
    "mentions",
    "repost_count",
    "reposted_by_me",
    "bookmarked_by_me",
    "repost_of",
    "quote_of",
    "id",
    "author",
    "text",
    "hashtags",
    "media",
    "created_at",
    "updated_at",
    "like_count",
    "comment_count",
    "liked_by_me",
}


def test_create_post_with_media(auth_client, user):
    first, second = upload(auth_client).json(), upload(auth_client, description="alt").json()

    response = auth_client.post(
        "/api/v1/posts/",
        {"text": "  Hello #World  ", "media_ids": [second["id"], first["id"]]},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == POST_FIELDS
    assert body["text"] == "Hello #World"
    assert body["hashtags"] == ["world"]
    assert body["author"] == {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "avatar": None,
    }
    assert [item["id"] for item in body["media"]] == [second["id"], first["id"]]
    assert body["media"][0] == second
    assert (body["like_count"], body["comment_count"], body["liked_by_me"]) == (0, 0, False)


def test_create_ignores_read_only_fields(auth_client, user, other_user):
    response = auth_client.post(
        "/api/v1/posts/",
        {
            "text": "mine",
            "author": other_user.pk,
            "like_count": 99,
            "created_at": "2001-01-01T00:00:00Z",
            "id": 123456,
        },
    )

    assert response.status_code == 201
    post = Post.objects.get()
    assert post.author == user
    assert post.pk != 123456
    assert post.created_at > timezone.now() - timedelta(minutes=1)
    assert response.json()["like_count"] == 0


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 2001}, {"text": "nul\x00char"}],
    ids=["missing", "empty", "blank", "too-long", "nul"],
)
def test_create_validates_text(auth_client, payload):
    response = auth_client.post("/api/v1/posts/", payload)

    assert response.status_code == 400
    assert "text" in response.json()
    assert not Post.objects.exists()


def test_text_of_2000_chars_is_accepted(auth_client):
    assert auth_client.post("/api/v1/posts/", {"text": "x" * 2000}).status_code == 201


def test_anonymous_cannot_post(api_client):
    response = api_client.post("/api/v1/posts/", {"text": "hi"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Post.objects.exists()


def test_post_creation_is_throttled(auth_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "posts", "2/min")

    statuses = [auth_client.post("/api/v1/posts/", {"text": "hi"}).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
    # Reading is not post creation: the scope does not apply to it.
    assert auth_client.get("/api/v1/posts/").status_code == 200


# --- Media attachment ---------------------------------------------------------------------


def attach(client, media_ids):
    return client.post("/api/v1/posts/", {"text": "with media", "media_ids": media_ids})


def test_someone_elses_upload_cannot_be_attached(auth_client, other_client):
    theirs = upload(other_client).json()["id"]

    response = attach(auth_client, [theirs])

    assert response.status_code == 400
    assert "media_ids" in response.json()
    assert Media.objects.get(pk=theirs).post is None
    assert not Post.objects.exists()


def test_an_upload_is_attached_once(auth_client):
    media_id = upload(auth_client).json()["id"]
    assert attach(auth_client, [media_id]).status_code == 201

    response = attach(auth_client, [media_id])

    assert response.status_code == 400
    assert "media_ids" in response.json()
    assert Post.objects.count() == 1


def test_unknown_media_is_refused(auth_client):
    response = attach(auth_client, [987654])

    assert response.status_code == 400
    assert "media_ids" in response.json()


def test_at_most_four_media(auth_client):
    media_ids = [upload(auth_client).json()["id"] for _ in range(5)]

    response = attach(auth_client, media_ids)

    assert response.status_code == 400
    assert "media_ids" in response.json()
    assert not Media.objects.filter(post__isnull=False).exists()
    assert attach(auth_client, media_ids[:4]).status_code == 201


def test_duplicate_media_ids_are_refused(auth_client):
    media_id = upload(auth_client).json()["id"]

    response = attach(auth_client, [media_id, media_id])

    assert response.status_code == 400
    assert "media_ids" in response.json()


@pytest.mark.parametrize("media_ids", ["1", [0], ["x"], [None]])
def test_malformed_media_ids_are_refused(auth_client, media_ids):
    assert attach(auth_client, media_ids).status_code == 400


# --- Hashtags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#Django and #django and #DJANGO", ["django"]),
        ("Loving #python, #rust! (#go) #js.", ["python", "rust", "go", "js"]),
        ("See https://example.com/page#section and www.example.org/#top", []),
        ("a#b is not one, &#39; neither, but #ok is", ["ok"]),
        ("Unicode: #Café #東京 #ΑΘΗΝΑ", ["café", "東京", "αθηνα"]),
        ("issue #42 is numeric but #py3 is not", ["py3"]),
        ("#" + "a" * 51 + " #" + "b" * 50, ["b" * 50]),
        ("snake #under_score", ["under_score"]),
        ("no tags here", []),
    ],
    ids=[
        "case-and-duplicates",
        "punctuation",
        "url-fragment",
        "mid-word",
        "unicode",
        "numeric",
        "length",
        "underscore",
        "none",
    ],
)
def test_hashtags_are_parsed_from_text(auth_client, text, expected):
    response = auth_client.post("/api/v1/posts/", {"text": text})

    assert response.status_code == 201
    # Listed by name, like every list of tags.
    assert response.json()["hashtags"] == sorted(expected)
    assert set(Hashtag.objects.values_list("name", flat=True)) == set(expected)


def test_same_tag_in_two_posts_is_one_row(auth_client):
    auth_client.post("/api/v1/posts/", {"text": "#Django"})
    auth_client.post("/api/v1/posts/", {"text": "#django rocks"})

    assert list(Hashtag.objects.values_list("name", flat=True)) == ["django"]
    assert PostHashtag.objects.count() == 2


def test_edit_reparses_hashtags(auth_client):
    post_id = auth_client.post("/api/v1/posts/", {"text": "#one #two"}).json()["id"]

    response = auth_client.patch(f"/api/v1/posts/{post_id}/", {"text": "#two #Three"})

    assert response.status_code == 200
    assert set(response.json()["hashtags"]) == {"two", "three"}
    assert auth_client.get("/api/v1/posts/?hashtag=one").json()["results"] == []
    assert ids(auth_client.get("/api/v1/posts/?hashtag=three")) == [post_id]


# --- Reading and filtering ----------------------------------------------------------------


def test_list_is_newest_first_and_public(api_client, user):
    older = create_post(user, "older", created_at=timezone.now() - timedelta(hours=1))
    newer = create_post(user, "newer")

    response = api_client.get("/api/v1/posts/")

    assert response.status_code == 200
    assert ids(response) == [newer.pk, older.pk]
    assert response.json()["next"] is None
    assert response.json()["results"][0]["liked_by_me"] is None


def test_retrieve_and_unknown(api_client, user):
    post = create_post(user, "hello #x")

    assert api_client.get(f"/api/v1/posts/{post.pk}/").json()["hashtags"] == ["x"]
    assert api_client.get("/api/v1/posts/999999/").status_code == 404
    assert api_client.get("/api/v1/posts/abc/").status_code == 404
    assert api_client.get("/api/v1/posts/99999999999999999999999/").status_code == 404


def test_posts_of_inactive_authors_are_hidden(api_client):
    gone = UserFactory(is_active=False)
    post = create_post(gone, "hidden")

    assert api_client.get("/api/v1/posts/").json()["results"] == []
    assert api_client.get(f"/api/v1/posts/{post.pk}/").status_code == 404


def test_filter_by_author(api_client, user, other_user):
    mine = create_post(user, "mine")
    create_post(other_user, "theirs")

    assert ids(api_client.get(f"/api/v1/posts/?author={user.pk}")) == [mine.pk]
    assert api_client.get("/api/v1/posts/?author=999999").json()["results"] == []


@pytest.mark.parametrize("value", ["#Django", "django", "DJANGO", "%23django"])
def test_filter_by_hashtag_any_form(api_client, user, value):
    tagged = create_post(user, "I like #Django")
    create_post(user, "I like #flask")

    assert ids(api_client.get(f"/api/v1/posts/?hashtag={value}")) == [tagged.pk]


def test_filter_by_search(api_client, user):
    match = create_post(user, "The Quick brown fox")
    create_post(user, "a lazy dog")

    assert ids(api_client.get("/api/v1/posts/?search=qUICK")) == [match.pk]


def test_filter_by_dates(api_client, user):
    now = timezone.now()
    old = create_post(user, "old", created_at=now - timedelta(days=3))
    mid = create_post(user, "mid", created_at=now - timedelta(days=2))
    create_post(user, "new", created_at=now - timedelta(days=1))
    after = (now - timedelta(days=3)).isoformat().replace("+00:00", "Z")
    before = (now - timedelta(days=1)).isoformat()

    response = api_client.get("/api/v1/posts/", {"created_after": after, "created_before": before})

    assert ids(response) == [mid.pk, old.pk]


@pytest.mark.parametrize(
    "query",
    [
        "created_after=yesterday",
        "created_before=2024-13-45T00:00:00Z",
        "created_after=2024-01-01T25:00",
        "author=abc",
        "author=0",
        "author=99999999999999999999999",
        "search=a%00b",
        "hashtag=" + "x" * 80,
    ],
)
def test_malformed_filters_are_400(api_client, query):
    response = api_client.get(f"/api/v1/posts/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_user_posts(api_client, auth_client, user, other_user):
    mine = create_post(user, "mine")
    create_post(other_user, "theirs")

    assert ids(api_client.get(f"/api/v1/users/{user.pk}/posts/")) == [mine.pk]
    assert ids(auth_client.get("/api/v1/users/me/posts/")) == [mine.pk]
    assert api_client.get("/api/v1/users/me/posts/").status_code == 401
    assert api_client.get("/api/v1/users/999999/posts/").status_code == 404
    assert api_client.get("/api/v1/users/nobody/posts/").status_code == 404


def test_pagination_survives_inserts_between_pages(auth_client, user):
    base = timezone.now() - timedelta(hours=1)
    # Several posts share a timestamp so the cursor has to break ties on the id.
    originals = [
        create_post(user, f"post {n}", created_at=base + timedelta(seconds=n // 3))
        for n in range(25)
    ]
    url = "/api/v1/posts/?page_size=10"
    seen, pages = [], 0
    while url:
        response = auth_client.get(url)
        seen.extend(ids(response))
        url = response.json()["next"]
        pages += 1
        create_post(user, f"inserted after page {pages}")

    assert pages == 3
    assert len(seen) == len(set(seen)) == 25
    assert seen == [post.pk for post in sorted(originals, key=lambda p: (p.created_at, p.pk))][::-1]


def test_page_size_is_honoured(api_client, user):
    for n in range(3):
        create_post(user, f"post {n}")

    assert len(api_client.get("/api/v1/posts/?page_size=2").json()["results"]) == 2
    items, pages = follow_pages(api_client, "/api/v1/posts/?page_size=100")
    assert (len(items), pages) == (3, 1)


def test_page_size_max_is_100(api_client, user):
    Post.objects.bulk_create(Post(author=user, text=f"p{n}") for n in range(101))

    response = api_client.get("/api/v1/posts/?page_size=100")

    assert len(response.json()["results"]) == 100
    assert response.json()["next"] is not None
    assert api_client.get("/api/v1/posts/?page_size=101").status_code == 400


# --- Writes by the author only ------------------------------------------------------------


def test_author_edits_with_put_and_patch(auth_client, user):
    post = create_post(user, "before")

    put = auth_client.put(f"/api/v1/posts/{post.pk}/", {"text": "after #put"})
    patch = auth_client.patch(f"/api/v1/posts/{post.pk}/", {"author": 999, "like_count": 5})

    assert put.status_code == 200
    assert put.json()["hashtags"] == ["put"]
    assert patch.status_code == 200
    post.refresh_from_db()
    assert (post.text, post.author) == ("after #put", user)


def test_put_requires_text(auth_client, user):
    post = create_post(user, "before")

    assert auth_client.put(f"/api/v1/posts/{post.pk}/", {}).status_code == 400
    assert auth_client.patch(f"/api/v1/posts/{post.pk}/", {"text": ""}).status_code == 400
    post.refresh_from_db()
    assert post.text == "before"


def test_delete_cascades_to_likes_comments_and_files(
    auth_client, user, django_capture_on_commit_callbacks
):
    media = MediaFactory(owner=user)
    post = create_post(user, "bye #tag", media_ids=[media.pk])
    LikeFactory(post=post)
    CommentFactory(post=post)
    files = [media.file.name, media.thumbnail.name]
    assert all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.delete(f"/api/v1/posts/{post.pk}/")

    assert response.status_code == 204
    assert not Post.objects.exists()
    assert not Like.objects.exists()
    assert not Comment.objects.exists()
    assert not Media.objects.exists()
    assert not PostHashtag.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
    assert auth_client.delete(f"/api/v1/posts/{post.pk}/").status_code == 404


def test_unknown_post_writes_are_404(auth_client):
    assert auth_client.patch("/api/v1/posts/999999/", {"text": "x"}).status_code == 404
    assert auth_client.delete("/api/v1/posts/999999/").status_code == 404


def test_posts_of_other_authors_are_untouched_by_delete(auth_client, user, other_user):
    PostFactory(author=other_user)
    mine = create_post(user)

    auth_client.delete(f"/api/v1/posts/{mine.pk}/")

    assert Post.objects.count() == 1
