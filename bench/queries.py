"""Query budget: SQL statements per request for every list endpoint, at page_size 1 and 100.

In-process with Django's test client against the bench database, authenticated with a real
knox token (so the token lookup is counted), each request measured after a warm-up request
to the same URL. The statements of the largest page are kept for EXPLAIN.
"""

import time
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import notifications
from bench.scenario import Scenario


@dataclass
class Budget:
    name: str
    path: str
    queries_1: int
    queries_100: int
    rows_1: int
    rows_100: int
    status: int
    ms_100: float
    sql_100: list[str] = field(default_factory=list)

    @property
    def stable(self) -> bool:
        return self.queries_1 == self.queries_100


def list_endpoints(s: Scenario) -> list[tuple[str, str, int]]:
    """(name, path, viewer id): every list endpoint of the API, with data to fill 100 rows."""
    typical = s.typical[0]
    return [
        ("users", "/api/v1/users/", typical),
        ("users ?search=", f"/api/v1/users/?search={s.user_search}", typical),
        ("users ?search= (rare)", f"/api/v1/users/?search={quote(s.rare_user)}", typical),
        ("users/{id}/followers", f"/api/v1/users/{s.most_followed}/followers/", typical),
        ("users/{id}/following", f"/api/v1/users/{s.heavy[0]}/following/", typical),
        ("users/{id}/posts", f"/api/v1/users/{s.top_author}/posts/", typical),
        ("users/me/liked-posts", "/api/v1/users/me/liked-posts/", s.top_liker),
        ("posts", "/api/v1/posts/", typical),
        ("posts ?hashtag=", f"/api/v1/posts/?hashtag={s.hashtag}", typical),
        ("posts ?search=", f"/api/v1/posts/?search={s.search_word}", typical),
        ("posts ?search= (rare)", f"/api/v1/posts/?search={quote(s.rare_phrase)}", typical),
        ("feed (typical)", "/api/v1/feed/", typical),
        ("feed (heavy)", "/api/v1/feed/", s.heavy[0]),
        ("hashtags", "/api/v1/hashtags/", typical),
        ("hashtags ?search=", "/api/v1/hashtags/?search=p", typical),
        ("hashtags/trending", "/api/v1/hashtags/trending/?hours=168", typical),
        ("hashtags/{name}/posts", f"/api/v1/hashtags/{s.hashtag}/posts/", typical),
        ("posts/{id}/likes", f"/api/v1/posts/{s.most_liked_post}/likes/", typical),
        ("posts/{id}/comments", f"/api/v1/posts/{s.most_commented_post}/comments/", typical),
        ("scheduled-posts", "/api/v1/scheduled-posts/", s.typical[1]),
        *notifications.budget_endpoints(s),
    ]


def ensure_scheduled(user_id: int, count: int = 120) -> None:
    """Give the viewer of `/scheduled-posts/` more than a page of pending rows (no tasks)."""
    from datetime import timedelta

    from django.utils import timezone

    from post.models import ScheduledPost

    if ScheduledPost.objects.filter(author_id=user_id).count() >= count:
        return
    at = timezone.now() + timedelta(days=300)
    ScheduledPost.objects.bulk_create(
        ScheduledPost(author_id=user_id, text=f"later {i}", publish_at=at + timedelta(minutes=i))
        for i in range(count)
    )


def measure(s: Scenario) -> list[Budget]:
    from django.test import override_settings

    # The budget is the one of the queries behind each list. With the feed's first-page cache
    # on, the warm-up below would leave a cached page, answered with the token query alone.
    with override_settings(FEED_CACHE_SECONDS=0):
        return _measure(s)


def _measure(s: Scenario) -> list[Budget]:
    ensure_scheduled(s.typical[1])
    client = Client(HTTP_HOST="localhost")
    results = []
    for name, path, viewer in list_endpoints(s):
        headers = {"HTTP_AUTHORIZATION": f"Token {s.token(viewer)}"}
        counts, rows, sql, ms, status = {}, {}, [], 0.0, 0
        for size in (1, 100):
            url = f"{path}{'&' if '?' in path else '?'}page_size={size}"
            client.get(url, **headers)  # warm-up: first-use caches are not the budget
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, **headers)
                elapsed = (time.perf_counter() - started) * 1000
            status = response.status_code
            counts[size] = len(ctx.captured_queries)
            body = response.json() if status == 200 else {}
            rows[size] = len(body.get("results", [])) if isinstance(body, dict) else 0
            if size == 100:
                sql = [q["sql"] for q in ctx.captured_queries]
                ms = elapsed
        results.append(
            Budget(name, path, counts[1], counts[100], rows[1], rows[100], status, ms, sql)
        )
    return results
