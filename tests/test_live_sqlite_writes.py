"""`make run`'s stack takes concurrent writes on SQLite without a `500 database is locked`.

Its web server, Celery worker and beat are separate processes writing one SQLite file. A
deferred transaction that has read and then wants to write cannot wait for another writer:
SQLite fails it at once. Here several gunicorn workers take waves of concurrent writes of
every kind, while the Celery worker publishes scheduled posts into the same file, and every
write the API acknowledged must be in the database afterwards.

In CI the suite runs on PostgreSQL, but the live stack is always SQLite (tests/live_stack.py),
so this runs there too.
"""

import contextlib
import logging
import re
import sqlite3
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.live_stack import LiveStack, live_stack

WRITES_OF_EACH_KIND = 20
THREADS = 20
PASSWORD = "concurrent-writes-1843"
PUBLISH_WITHIN = 30  # seconds for the worker to publish the scheduled posts of the wave
# Several web processes, so writes really are concurrent; each process counts throttles on
# its own (locmem), and none of these limits is what this test is about.
STACK_ENV = {
    "WEB_CONCURRENCY": "3",
    "THROTTLE_ANON": "100000/min",
    "THROTTLE_USER": "100000/min",
    "THROTTLE_REGISTER": "100000/min",
    "THROTTLE_LOGIN": "100000/min",
    "THROTTLE_LOGIN_EMAIL": "100000/min",
    "THROTTLE_LOGIN_ACCOUNT": "100000/hour",
    "THROTTLE_POSTS": "100000/min",
}


class Api:
    def __init__(self, stack: LiveStack):
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
        self.client = httpx.Client(
            base_url=f"{stack.base_url}/api/v1",
            timeout=60,
            limits=httpx.Limits(max_connections=THREADS * 2),
        )
        self.replies: list[tuple[str, httpx.Response]] = []
        self.stack = stack

    def call(self, label: str, method: str, path: str, token: str | None = None, body=None):
        headers = {"Authorization": f"Token {token}"} if token else {}
        reply = self.client.request(method, path, json=body, headers=headers)
        self.replies.append((label, reply))
        return reply

    def wave(self, calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
        """Run the calls at once and return their replies in order, once all succeeded."""
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            replies = list(pool.map(lambda call: call(), calls))
        failures = [
            f"{label}: {reply.status_code} {gist(reply)}"
            for label, reply in self.replies
            if not reply.is_success
        ]
        server_errors = [
            f"{label}: {reply.status_code}"
            for label, reply in self.replies
            if reply.status_code >= 500
        ]
        # The 5xx first: they are what this test is about; a 4xx would be the test's fault.
        assert not failures, (
            f"{len(server_errors)} server errors: {server_errors}\n"
            + "\n".join(failures[:10])
            + "\n"
            + self.stack.log_tails()
        )
        return replies


def gist(reply: httpx.Response) -> str:
    """The error of a reply: DEBUG's HTML error page names the exception in its title."""
    title = re.search(r"<title>(.*?)</title>", reply.text, re.DOTALL)
    return " ".join(title.group(1).split()) if title else reply.text[:300]


def register_and_login(api: Api, count: int, *, login: bool = True) -> list[tuple[int, str]]:
    """`count` new accounts, registered at once, then logged in at once: (id, token) each."""
    emails = [f"w{uuid.uuid4().hex[:12]}@example.org" for _ in range(count)]
    body = {"password": PASSWORD}
    users = api.wave(
        [
            lambda email=email: api.call(
                "register", "POST", "/auth/register/", None, {**body, "email": email}
            )
            for email in emails
        ]
    )
    if not login:
        return [(user.json()["id"], "") for user in users]
    tokens = api.wave(
        [
            lambda email=email: api.call(
                "login", "POST", "/auth/login/", None, {**body, "email": email}
            )
            for email in emails
        ]
    )
    return [
        (user.json()["id"], token.json()["token"])
        for user, token in zip(users, tokens, strict=True)
    ]


def iso_in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def schedulings(api: Api, token: str, text: str, count: int, *, in_seconds: float) -> list:
    """`count` calls scheduling a post "`text` i" each, due `in_seconds` after the call."""
    return [
        lambda i=i: api.call(
            "schedule",
            "POST",
            "/scheduled-posts/",
            token,
            {"text": f"{text} {i}", "publish_at": iso_in(in_seconds)},
        )
        for i in range(count)
    ]


def query(stack: LiveStack, sql: str, params=()) -> list[tuple]:
    path = stack.env["DATABASE_URL"].removeprefix("sqlite:///")
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql, params).fetchall()


def ids(stack: LiveStack, table: str) -> set[int]:
    return {row[0] for row in query(stack, f"SELECT id FROM {table}")}  # noqa: S608


@pytest.mark.worker
def test_concurrent_writes_of_every_kind_all_succeed_and_persist(tmp_path):
    n = WRITES_OF_EACH_KIND
    with live_stack(tmp_path, **STACK_ENV) as stack:
        api = Api(stack)
        # Setup, itself concurrent writes: accounts, tokens, posts and scheduled posts.
        (
            (_, poster_token),
            (liker, liker_token),
            (_, commenter_token),
            (
                scheduler,
                scheduler_token,
            ),
        ) = register_and_login(api, 4)
        leavers = register_and_login(api, n)
        followees = [pk for pk, _ in register_and_login(api, n, login=False)]
        posts = api.wave(
            [
                lambda i=i: api.call("post", "POST", "/posts/", poster_token, {"text": f"seed {i}"})
                for i in range(2 * n)
            ]
        )
        to_delete = [reply.json()["id"] for reply in posts[:n]]
        to_keep = [reply.json()["id"] for reply in posts[n:]]
        later = api.wave(schedulings(api, liker_token, "later", n, in_seconds=86_400))
        to_edit = [reply.json()["id"] for reply in later]

        # The wave: n writes of each kind at once, while the worker publishes the scheduled
        # posts that come due a few seconds in.
        kinds = {
            "create post": [
                lambda i=i: api.call(
                    "create post", "POST", "/posts/", commenter_token, {"text": f"new {i}"}
                )
                for i in range(n)
            ],
            "delete post": [
                lambda pk=pk: api.call("delete post", "DELETE", f"/posts/{pk}/", poster_token)
                for pk in to_delete
            ],
            "like": [
                lambda pk=pk: api.call("like", "POST", f"/posts/{pk}/like/", liker_token)
                for pk in to_keep
            ],
            "comment": [
                lambda pk=pk: api.call(
                    "comment", "POST", f"/posts/{pk}/comments/", commenter_token, {"text": "Nice"}
                )
                for pk in to_keep
            ],
            "follow": [
                lambda pk=pk: api.call("follow", "POST", f"/users/{pk}/follow/", scheduler_token)
                for pk in followees
            ],
            "schedule": schedulings(api, scheduler_token, "soon", n, in_seconds=2),
            "edit schedule": [
                lambda pk=pk: api.call(
                    "edit schedule",
                    "PATCH",
                    f"/scheduled-posts/{pk}/",
                    liker_token,
                    {"text": f"edited {pk}"},
                )
                for pk in to_edit
            ],
            "delete account": [
                lambda token=token: api.call("delete account", "DELETE", "/users/me/", token)
                for _, token in leavers
            ],
        }
        # Interleaved, so every kind runs alongside every other.
        calls = [call for group in zip(*kinds.values(), strict=True) for call in group]
        replies = api.wave(calls)
        by_kind = {kind: replies[index :: len(kinds)] for index, kind in enumerate(kinds)}

        # Every acknowledged write is in the database file.
        created = {reply.json()["id"] for reply in by_kind["create post"]}
        assert created <= ids(stack, "post_post")
        assert not set(to_delete) & ids(stack, "post_post")
        likes = set(query(stack, "SELECT post_id FROM post_like WHERE user_id = ?", (liker,)))
        assert {(pk,) for pk in to_keep} == likes
        comments = {reply.json()["id"] for reply in by_kind["comment"]}
        assert comments <= ids(stack, "post_comment")
        follows = query(
            stack, "SELECT followee_id FROM user_follow WHERE follower_id = ?", (scheduler,)
        )
        assert {(pk,) for pk in followees} == set(follows)
        texts = dict(
            query(stack, "SELECT id, text FROM post_scheduledpost WHERE author_id = ?", (liker,))
        )
        assert texts == {pk: f"edited {pk}" for pk in to_edit}
        assert not {pk for pk, _ in leavers} & ids(stack, "user_user")

        # And the worker, writing the same file meanwhile, published every scheduled post.
        scheduled = {reply.json()["id"] for reply in by_kind["schedule"]}
        placeholders = ",".join("?" * len(scheduled))
        status_sql = f"SELECT id, status FROM post_scheduledpost WHERE id IN ({placeholders})"  # noqa: S608
        deadline = time.monotonic() + PUBLISH_WITHIN
        while time.monotonic() < deadline:
            statuses = dict(query(stack, status_sql, tuple(scheduled)))
            if set(statuses.values()) == {"published"}:
                break
            time.sleep(0.5)
        assert set(statuses.values()) == {"published"}, f"{statuses}\n{stack.log_tails()}"
        published = query(stack, "SELECT COUNT(*) FROM post_post WHERE author_id = ?", (scheduler,))
        assert published == [(n,)]
