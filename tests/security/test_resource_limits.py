"""OWASP API4 (unrestricted resource consumption): page sizes, text and body caps, and the
throttles, each of which must trip with a 429 and a Retry-After header.

Upload byte and pixel caps are in test_uploads.py; the fuzzer (test_fuzz.py) sends random
page sizes and bodies to every operation.
"""

import json
import os
import sys
from pathlib import Path

import pytest
from rest_framework.throttling import SimpleRateThrottle

from moderation.models import Report
from post.models import Comment, Like, Post, ScheduledPost
from post.tests.helpers import create_post
from tests.processes import run_captured
from tests.security.conftest import png_upload
from tests.security.operations import later
from user.models import Follow, User
from user.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# --- Page size ----------------------------------------------------------------------------


@pytest.fixture
def crowd(user):
    """101 of each listed thing, so a page of 100 is one short of everything."""
    others = User.objects.bulk_create(
        User(username=f"crowd_{n}", email=f"crowd_{n}@example.com") for n in range(101)
    )
    post = create_post(user, "popular #crowded")
    Post.objects.bulk_create(Post(author=user, text=f"post {n}") for n in range(100))
    Like.objects.bulk_create(Like(user=other, post=post) for other in others)
    Comment.objects.bulk_create(Comment(author=other, post=post, text="hi") for other in others)
    Follow.objects.bulk_create(Follow(follower=other, followee=user) for other in others)
    return post


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/posts/",
        "/api/v1/users/",
        "/api/v1/users/{user}/posts/",
        "/api/v1/users/{user}/followers/",
        "/api/v1/posts/{post}/likes/",
        "/api/v1/posts/{post}/comments/",
    ],
)
@pytest.mark.parametrize(("asked", "served"), [(100, 100), (7, 7), (None, 20)])
def test_page_size_is_honoured_up_to_100(api_client, user, crowd, url, asked, served):
    params = {} if asked is None else {"page_size": asked}

    response = api_client.get(url.format(user=user.pk, post=crowd.pk), params)

    assert response.status_code == 200
    assert len(response.json()["results"]) == served
    assert response.json()["next"] is not None


@pytest.mark.parametrize("url", ["/api/v1/posts/", "/api/v1/users/", "/api/v1/hashtags/trending/"])
def test_a_page_size_over_100_is_refused(api_client, url):
    assert api_client.get(url, {"page_size": 101}).status_code == 400


# --- Text caps ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "field", "limit", "extra"),
    [
        ("post", "/api/v1/posts/", "text", 2000, {}),
        ("patch", "/api/v1/posts/{post}/", "text", 2000, {}),
        ("post", "/api/v1/posts/{post}/comments/", "text", 1000, {}),
        ("patch", "/api/v1/comments/{comment}/", "text", 1000, {}),
        ("post", "/api/v1/scheduled-posts/", "text", 2000, {"publish_at": "later"}),
        ("patch", "/api/v1/users/me/", "bio", 300, {}),
        ("patch", "/api/v1/users/me/", "display_name", 50, {}),
        ("patch", "/api/v1/users/me/", "location", 100, {}),
        ("patch", "/api/v1/users/me/", "username", 30, {}),
        ("post", "/api/v1/media/", "description", 1500, {"file": "upload"}),
    ],
)
def test_text_fields_are_capped(auth_client, world, method, url, field, limit, extra):
    def send(length):
        body = {field: "a" * length}
        for key, value in extra.items():
            body[key] = later() if value == "later" else png_upload() if value == "upload" else 0
        fmt = "multipart" if "file" in body else "json"
        return getattr(auth_client, method)(url.format(**world), body, format=fmt)

    too_long = send(limit + 1)

    assert too_long.status_code == 400
    assert field in too_long.json()
    assert send(limit).status_code in (200, 201)


def test_website_is_capped(auth_client):
    response = auth_client.patch("/api/v1/users/me/", {"website": "https://a.example/" + "a" * 200})

    assert response.status_code == 400
    assert "website" in response.json()


# --- Body caps ----------------------------------------------------------------------------


def test_a_json_body_over_the_memory_limit_is_413(auth_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"text": "a" * 20_000})

    response = auth_client.post("/api/v1/posts/", body, content_type="application/json")

    assert response.status_code == 413
    assert not Post.objects.exists()


@pytest.mark.parametrize("url", ["/api/v1/media/", "/api/v1/users/me/avatar/"])
def test_a_request_over_the_body_cap_is_413_before_parsing(auth_client, settings, url):
    # REQUEST_MAX_BYTES is checked on Content-Length by middleware, before Django spools the
    # multipart file parts to disk (which its own memory limit does not count).
    settings.REQUEST_MAX_BYTES = 5_000
    data = {"file": png_upload(data=b"\x89PNG" + b"\0" * 10_000)}
    if url.endswith("avatar/"):
        data = {"avatar": data["file"]}
    method = "post" if url == "/api/v1/media/" else "put"

    response = getattr(auth_client, method)(url, data, format="multipart")

    assert response.status_code == 413
    assert "detail" in response.json()


# --- Throttles ----------------------------------------------------------------------------


@pytest.fixture
def rate(monkeypatch):
    """Set one scope's rate for this test. DRF copies DEFAULT_THROTTLE_RATES into the class
    when it is imported; every throttle class reads that one dict, so patch a copy of it."""

    def set_rate(scope, value):
        rates = {**SimpleRateThrottle.THROTTLE_RATES, scope: value}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)

    return set_rate


def login_as_anyone(client, n):
    return client.post("/api/v1/auth/login/", {"email": f"x{n}@example.com", "password": "x"})


def login_to_one_account_from_one_address(client, n):
    return client.post(
        "/api/v1/auth/login/",
        {"email": "target@example.com", "password": f"guess{n}"},
        REMOTE_ADDR="10.1.0.1",
    )


def register(client, n):
    return client.post(
        "/api/v1/auth/register/",
        {"email": f"new{n}@example.com", "password": "a-long-passphrase-19"},
    )


def upload(client, n):
    return client.post("/api/v1/media/", {"file": png_upload()}, format="multipart")


def post(client, n):
    return client.post("/api/v1/posts/", {"text": f"post {n}"})


def schedule(client, n):
    return client.post("/api/v1/scheduled-posts/", {"text": f"later {n}", "publish_at": later()})


def report(client, n):
    target = UserFactory().pk
    return client.post(
        "/api/v1/reports/", {"target_type": "user", "target_id": target, "reason": "spam"}
    )


def read(client, n):
    return client.get("/api/v1/hashtags/")


# (scope, authenticated?, request, the rows a throttled request must not have added)
THROTTLED = {
    "login (per IP)": ("login", False, login_as_anyone, None),
    "login_email (per account and address)": (
        "login_email",
        False,
        login_to_one_account_from_one_address,
        None,
    ),
    "register (per IP)": ("register", False, register, User),
    "media": ("media", True, upload, None),
    "posts": ("posts", True, post, Post),
    "posts (scheduling)": ("posts", True, schedule, ScheduledPost),
    "reports": ("reports", True, report, Report),
    "anon": ("anon", False, read, None),
    "user": ("user", True, read, None),
}


@pytest.mark.parametrize("case", THROTTLED.values(), ids=THROTTLED.keys())
def test_every_throttle_trips_with_429_and_retry_after(api_client, auth_client, rate, case):
    scope, authenticated, send, model = case
    client = auth_client if authenticated else api_client
    rate(scope, "2/min")

    allowed = [send(client, n).status_code for n in range(2)]
    rows = model.objects.count() if model else None
    throttled = send(client, 2)

    assert 429 not in allowed
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in throttled.json()["detail"].lower()
    if model:
        assert model.objects.count() == rows, "a throttled request still wrote"


def test_the_login_throttle_counts_failures_and_successes_alike(api_client, rate):
    """A correct password from the throttled address is still refused: no oracle for the
    attacker. The owner, from any other address, still logs in."""
    target = UserFactory(email="target@example.com")
    rate("login_email", "2/min")
    for n in range(2):
        login_to_one_account_from_one_address(api_client, n)
    correct = {"email": target.email, "password": DEFAULT_PASSWORD}

    attacker = api_client.post("/api/v1/auth/login/", correct, REMOTE_ADDR="10.1.0.1")
    owner = api_client.post("/api/v1/auth/login/", correct, REMOTE_ADDR="10.9.9.9")

    assert attacker.status_code == 429
    assert "token" not in attacker.json()
    assert owner.status_code == 200
    assert "token" in owner.json()


def test_throttles_count_in_the_shared_cache():
    """Counters must live where every gunicorn worker sees them: the default cache, which
    CACHE_URL makes Redis in production (checked in the settings test below)."""
    from django.core.cache import cache

    assert SimpleRateThrottle.cache is cache


SCOPES = {
    "THROTTLE_ANON": "anon",
    "THROTTLE_USER": "user",
    "THROTTLE_LOGIN": "login",
    "THROTTLE_LOGIN_EMAIL": "login_email",
    "THROTTLE_LOGIN_ACCOUNT": "login_account",
    "THROTTLE_REGISTER": "register",
    "THROTTLE_MEDIA": "media",
    "THROTTLE_POSTS": "posts",
    "THROTTLE_REPORTS": "reports",
}


def test_every_rate_comes_from_its_environment_variable():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "social_media.settings",
        "SECRET_KEY": "x" * 50,
        "CACHE_URL": "redis://127.0.0.1:6379/15",
    }
    env.update({name: f"{n + 3}/min" for n, name in enumerate(SCOPES)})
    script = (
        "import json, django; django.setup();"
        "from django.conf import settings;"
        "from rest_framework.throttling import SimpleRateThrottle as T;"
        "print(json.dumps([T.THROTTLE_RATES, settings.CACHES['default']['BACKEND']]))"
    )

    output = run_captured([sys.executable, "-c", script], env=env, timeout=60, check=True).stdout
    rates, cache_backend = json.loads(output.strip().splitlines()[-1])

    assert rates == {scope: f"{n + 3}/min" for n, scope in enumerate(SCOPES.values())}
    assert cache_backend == "django_redis.cache.RedisCache"


def test_every_rate_variable_is_documented():
    documented = (ROOT / ".env.sample").read_text() + (ROOT / "README.md").read_text()

    assert [name for name in SCOPES if name not in documented] == []
