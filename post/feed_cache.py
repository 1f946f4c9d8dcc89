"""A few seconds' cache of the first page of each user's home feed, fresh after own writes.

The first page of `GET /feed/` is what every client asks for when it opens and on each
pull-to-refresh, and it is the most expensive read of the API (the followed accounts' posts
with counts, hashtags, media and the caller's likes). Its rendered JSON is kept for
`FEED_CACHE_SECONDS` per user and URL, so a client polling the feed costs a token check and
one cache round trip instead of the page query.

What a client sees:
- Other accounts' new posts, edits, deletions, likes and comments reach a cached first page
  within `FEED_CACHE_SECONDS` (like a home timeline that is built ahead of time).
- The caller's own writes show at once. Every successful write request (POST, PUT, PATCH,
  DELETE) of a user moves that user's *generation* (`FeedCacheGenerationMiddleware`), and a
  cached page counts only under the generation it was built under. A page stored by a
  request that raced with a write is stored under the generation read *before* its query,
  and the write moves the generation only *after* its commit, so such a page is never
  served once the write has answered.
- Pages after the first (`cursor=`) are never cached; nor is anything but JSON.

Both keys are read in one Redis `MGET`; `FEED_CACHE_SECONDS=0` turns all of this off, the
middleware included.
"""

import hashlib
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.permissions import SAFE_METHODS

logger = logging.getLogger(__name__)

# A generation must outlive every page stored under the previous one, including a page
# whose request was still running when the generation moved (gunicorn kills requests after
# its timeout, 30 s by default); otherwise the expired generation would read as "none" again
# and revive a page stored under "none".
GENERATION_EXTRA_SECONDS = 300


def generation_key(user_id) -> str:
    return f"feed:generation:{user_id}"


def feed_cache_invalidate(*, user_ids: Iterable[int]) -> None:
    """Make every cached first page of these users' feeds stale (one round trip).

    It runs after a write has committed: a cache outage must not turn that success into an
    error the client would retry (a duplicate post). The pages then expire by themselves
    within `FEED_CACHE_SECONDS`, and the failure is logged.
    """
    seconds = settings.FEED_CACHE_SECONDS
    if seconds <= 0:
        return
    user_ids = list(user_ids)
    generations = {generation_key(pk): uuid.uuid4().hex for pk in user_ids}
    try:
        cache.set_many(generations, seconds + GENERATION_EXTRA_SECONDS)
    except Exception:
        logger.exception("Could not move the feed cache generation of users %s", user_ids)


class FirstPageCache:
    """The cached first page for one request; `for_request` says whether it may be cached."""

    def __init__(self, request, seconds: int):
        self.seconds = seconds
        self.generation_key = generation_key(request.user.pk)
        # Host, path and query string (page_size, and anything echoed into `next`), and the
        # negotiated media type (`; indent=4` changes the body).
        variant = f"{request.accepted_media_type}\n{request.build_absolute_uri()}"
        digest = hashlib.sha256(variant.encode()).hexdigest()[:32]
        self.page_key = f"feed:page:{request.user.pk}:{digest}"

    @classmethod
    def for_request(cls, request) -> "FirstPageCache | None":
        seconds = settings.FEED_CACHE_SECONDS
        if (
            seconds <= 0
            or "cursor" in request.query_params
            or getattr(request.accepted_renderer, "format", None) != "json"
        ):
            return None
        return cls(request, seconds)

    @property
    def keys(self) -> tuple[str, str]:
        return (self.generation_key, self.page_key)

    def lookup(self, request) -> tuple[HttpResponse | None, str | None]:
        """The stored page if it was built under the current generation (else None), and the
        current generation, under which a page built now must be stored."""
        found = cache.get_many(self.keys)
        generation = found.get(self.generation_key)
        entry = found.get(self.page_key)
        if entry is None or entry[0] != generation:
            return None, generation
        _, content, content_type = entry
        return HttpResponse(content, content_type=content_type), generation

    def store_when_rendered(self, response, *, generation: str | None) -> None:
        """Keep the page once DRF has rendered it, under the generation `lookup` read before
        the page's query ran (never a later one: see the module's docstring)."""

        def store(rendered):
            if rendered.status_code == 200:
                entry = (generation, rendered.content, rendered["Content-Type"])
                cache.set(self.page_key, entry, self.seconds)

        response.add_post_render_callback(store)


class FeedCacheGenerationMiddleware:
    """After a successful write by an authenticated user, moves that user's feed generation.

    Here rather than in each service so that no write path can be forgotten: a new post, an
    edit, a like, a comment, a follow, a profile change (the author block of one's own posts)
    all answer through this. It runs after the view has returned, so after its commit.
    New posts made outside a request (scheduled posts published by the worker) do the same
    for their authors: every new post does, in `post.services.posts._posts_created`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and settings.FEED_CACHE_SECONDS > 0
        ):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                feed_cache_invalidate(user_ids=[user.pk])
        return response
