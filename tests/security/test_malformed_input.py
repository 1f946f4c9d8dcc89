"""Regressions for what the fuzzer (test_fuzz.py) found: malformed input must get a 400 in
the documented shape `{"field": ["message", ...]}`, never a 500 or an undocumented status.
"""

import base64

import pytest

from post.models import Comment
from post.tests.factories import CommentFactory
from post.tests.helpers import create_post

pytestmark = pytest.mark.django_db

# Every cursor-paginated list, by a URL template filled in from `ids` below.
LISTS = [
    "/api/v1/posts/",
    "/api/v1/feed/",
    "/api/v1/users/",
    "/api/v1/users/{user}/posts/",
    "/api/v1/users/{user}/followers/",
    "/api/v1/users/{user}/following/",
    "/api/v1/users/me/liked-posts/",
    "/api/v1/posts/{post}/comments/",
    "/api/v1/posts/{post}/likes/",
    "/api/v1/hashtags/",
    "/api/v1/hashtags/tag/posts/",
    "/api/v1/scheduled-posts/",
]


def forged(raw: str) -> str:
    """A cursor that decodes fine but carries a position of the client's choosing."""
    return base64.b64encode(raw.encode()).decode()


# Any list refuses these: not base64 of a cursor, or a NUL byte (a 500 on PostgreSQL when
# the position is compared with a name).
UNDECODABLE = ["garbage", "cD0%00", "\u00e9\u00e9", forged("p=\x00")]
# Decodable, but the position is not a time or a number. Every list except `/hashtags/`
# (ordered by name, where any text is a position) orders by one; for a count
# (`-followers_count`) these reached the database as int("x"): a 500.
NOT_A_TIME_OR_NUMBER = [forged("p=notadate"), forged("o=1&p=x"), forged("r=1&p=2020-13-45")]
FORGED = [
    *((url, cursor) for url in LISTS for cursor in UNDECODABLE),
    *(
        (url, cursor)
        for url in [*LISTS, "/api/v1/users/?ordering=-followers_count"]
        if url != "/api/v1/hashtags/"
        for cursor in NOT_A_TIME_OR_NUMBER
    ),
]


@pytest.mark.parametrize(("url", "cursor"), FORGED)
def test_a_forged_cursor_is_a_400_naming_it(auth_client, user, url, cursor):
    post = create_post(user, "a post #tag")
    url = url.format(user=user.pk, post=post.pk)

    separator = "&" if "?" in url else "?"

    response = auth_client.get(f"{url}{separator}cursor={cursor}")

    # DRF's default is a 404 "Invalid cursor", undocumented on every list.
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["cursor"]


@pytest.mark.parametrize("body", [{}, {"unknown": "field"}])
def test_patching_a_comment_without_text_changes_nothing(auth_client, user, body):
    comment = CommentFactory(author=user, text="as it was")

    # An empty PATCH (the fuzzer sent it form-encoded, which is now a 415) was a KeyError (500).
    response = auth_client.patch(f"/api/v1/comments/{comment.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert Comment.objects.get(pk=comment.pk).text == "as it was"


@pytest.mark.parametrize("url", ["/api/v1/posts/", "/api/v1/scheduled-posts/"])
def test_media_id_item_errors_are_a_list_of_messages(auth_client, url):
    body = {"text": "hi", "media_ids": [0, "x"], "publish_at": "2099-01-01T00:00:00Z"}

    response = auth_client.post(url, body, format="json")

    assert response.status_code == 400
    errors = response.json()["media_ids"]
    # DRF's default is {"0": [...], "1": [...]}, which the schema (a list) does not allow.
    assert isinstance(errors, list)
    assert all(isinstance(message, str) for message in errors)
    assert any(message.startswith("Item 0:") for message in errors)


def test_a_nul_character_in_user_search_is_a_400_naming_search(api_client):
    response = api_client.get("/api/v1/users/", {"search": "a\x00b"})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]


def test_an_empty_website_is_documented_as_a_plain_string(api_client):
    # `format: uri` rejected the "" every account without a website has (fuzz: ST108).
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()

    for name in ("User", "OwnUser"):
        website = schema["components"]["schemas"][name]["properties"]["website"]
        assert website.get("format") != "uri", name


DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/posts/"),
        ("patch", "/api/v1/users/me/"),
        ("post", "/api/v1/auth/login/"),
        ("post", "/api/v1/scheduled-posts/"),
    ],
)
def test_deeply_nested_json_is_a_400(auth_client, method, url):
    # The decoder's RecursionError escaped DRF's parser: a 500 for 200 kB of brackets.
    response = getattr(auth_client, method)(url, DEEP_JSON, content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("fmt", ["multipart", "urlencoded"])
def test_too_many_form_fields_is_a_json_400(auth_client, fmt):
    fields = {f"field{n}": "x" for n in range(1500)}  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000
    # The upload view parses forms; the JSON-only views refuse them unparsed (415).
    if fmt == "multipart":
        response = auth_client.post("/api/v1/media/", fields, format="multipart")
    else:
        body = "&".join(f"{name}={value}" for name, value in fields.items())
        response = auth_client.post(
            "/api/v1/media/", body, content_type="application/x-www-form-urlencoded"
        )

    # Django's SuspiciousOperation answer was its HTML "Bad Request (400)" page.
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_disallowed_host_is_a_json_400(api_client):
    response = api_client.get("/api/v1/posts/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/api/v1/posts/", "/api/v1/scheduled-posts/"])
def test_a_media_id_past_64_bits_is_a_400(auth_client, url):
    # Found by the fuzzer on SQLite: `id IN (2**70)` raised OverflowError, a 500.
    body = {"text": "hi", "media_ids": [2**70], "publish_at": "2099-01-01T00:00:00Z"}

    response = auth_client.post(url, body, format="json")

    assert response.status_code == 400
    assert "media_ids" in response.json()
