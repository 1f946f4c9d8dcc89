"""Fixed-window rate throttles: one counter per client and window, one cache round trip.

DRF's `SimpleRateThrottle` keeps the timestamp of every request in the window and reads
and rewrites the whole list on each request: two round trips, and at 1,000 requests a minute
a 1,000-float list pickled both ways on every call. Here each (scope, client, window) has an
integer that Redis increments in place; the request is allowed while the count is within the
rate. The trade-off is the usual one of fixed windows: a client can spend its allowance at
the end of one window and again at the start of the next, so up to twice the rate over a
span that straddles a boundary. `Retry-After` is the time left in the current window.

The classes keep `SimpleRateThrottle`'s interface (`scope`, `rate`, `THROTTLE_RATES`,
`get_cache_key`), so rates still come from `DEFAULT_THROTTLE_RATES`.

Each count also leaves the caller's standing on the request, for the `RateLimit-*` headers
(social_media/middleware.py): of all the limits the request counted against, the one with the
fewest requests left, since that is the one a client has to pace itself by.
"""

import math
from typing import NamedTuple

from rest_framework import throttling
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str | None:
    """The address every per-client limit counts: `REMOTE_ADDR`, or with `NUM_PROXIES`
    trusted proxies in front, the address the outermost of them appended to X-Forwarded-For.
    DRF's rule, shared with the admin's login limit (django-axes)."""
    return BaseThrottle().get_ident(request)


def count_hit(cache, key: str, ttl: int) -> int:
    """Add one to the counter `key`, created with a lifetime of `ttl` seconds; the new count.

    On Redis (django-redis) an `INCR` creates the counter, so the usual request is one round
    trip; the first hit of a window also sets its expiry. Other caches (the in-memory
    default of `make run` and the tests) use `add` then `incr`.
    """
    if hasattr(cache, "expire"):
        count = cache.incr(key, ignore_key_check=True)
        if count == 1:
            cache.expire(key, ttl)
        return count
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between `add` and `incr`: this hit opens the next window.
        cache.add(key, 1, ttl)
        return 1


# Throttles that only count: over the rate they alert an operator but refuse nothing, so they
# are no limit a client runs into (and their count is no business of the client's).
NEVER_REFUSES = {"login_account"}


class RateLimit(NamedTuple):
    limit: int
    remaining: int
    reset: int  # whole seconds until the window ends, at least 1

    def is_closer_than(self, other: "RateLimit") -> bool:
        # Equally close: the limit that resets last keeps the client waiting longer.
        return (self.remaining, -self.reset) < (other.remaining, -other.reset)


def rate_limit_record(request, rate_limit: RateLimit) -> None:
    """Keep `rate_limit` on the Django request if it is the closest to running out so far.

    On the underlying `HttpRequest` (DRF's `request._request`): that is the object the
    middleware sees once the view has answered.
    """
    http_request = getattr(request, "_request", request)
    current = getattr(http_request, "rate_limit", None)
    if current is None or rate_limit.is_closer_than(current):
        http_request.rate_limit = rate_limit


class FixedWindowRateThrottle(SimpleRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        # The counter is useless once its window is over: it lives only as long as that.
        lifetime = max(1, math.ceil(self.window_ends_at - self.now))
        self.count = count_hit(self.cache, f"{self.key}:{window}", lifetime)
        if self.scope not in NEVER_REFUSES:
            remaining = max(0, self.num_requests - self.count)
            rate_limit_record(request, RateLimit(self.num_requests, remaining, lifetime))
        return self.count <= self.num_requests

    def wait(self):
        return max(self.window_ends_at - self.now, 1.0)


# DRF's class first: `ScopedRateThrottle.allow_request` picks the view's scope and rate, then
# its `super()` reaches the fixed-window count.


class AnonRateThrottle(throttling.AnonRateThrottle, FixedWindowRateThrottle):
    """Anonymous requests, per client address (scope `anon`)."""


class UserRateThrottle(throttling.UserRateThrottle, FixedWindowRateThrottle):
    """Every request of an authenticated user, per user (scope `user`)."""


class ScopedRateThrottle(throttling.ScopedRateThrottle, FixedWindowRateThrottle):
    """Per view `throttle_scope`, per user or address."""


class ScopedThrottleMixin:
    """For a view whose every request also counts against its `throttle_scope` rate, on top
    of the default limits (uploads, reports)."""

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]
