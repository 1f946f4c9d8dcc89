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
"""

import math

from rest_framework import throttling
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


def client_address(request) -> str | None:
    """The address every per-client limit counts: `REMOTE_ADDR`, or with `NUM_PROXIES`
    trusted proxies in front, the address the outermost of them appended to X-Forwarded-For.
    DRF's rule, shared with the admin's login limit (django-axes)."""
    return BaseThrottle().get_ident(request)


def count_hit(cache, key: str, ttl: int, *, also_get=()) -> tuple[int, dict]:
    """Add one to the counter `key` (created with a lifetime of `ttl` seconds); return the new
    count and the values found under the keys `also_get`, as `cache.get_many` gives them.

    On Redis (`social_media.cache.RedisCache`) both are one round trip. Other caches (the
    in-memory default of `make run` and the tests) use `add`, `incr` and `get_many`.
    """
    if hasattr(cache, "count_and_get_many"):
        return cache.count_and_get_many(key, ttl, also_get)
    cache.add(key, 0, ttl)
    try:
        count = cache.incr(key)
    except ValueError:
        # The counter expired between `add` and `incr`: this hit opens the next window.
        cache.add(key, 1, ttl)
        count = 1
    return count, (cache.get_many(also_get) if also_get else {})


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
        prefetch = self.prefetch_keys(request, view)
        self.count, found = count_hit(
            self.cache, f"{self.key}:{window}", lifetime, also_get=prefetch
        )
        if prefetch:
            request.throttle_prefetched = (prefetch, found)
        return self.count <= self.num_requests

    @staticmethod
    def prefetch_keys(request, view) -> tuple[str, ...]:
        """Cache keys the view will read next (`view.throttle_prefetch(request)`), fetched in
        the counter's round trip and left on the request as `throttle_prefetched`: a cached
        response then costs one cache round trip, not two. Once per request, by the first
        throttle that counts it."""
        prefetch = getattr(view, "throttle_prefetch", None)
        if prefetch is None or hasattr(request, "throttle_prefetched"):
            return ()
        return tuple(prefetch(request))

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
