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

from rest_framework import throttling
from rest_framework.throttling import SimpleRateThrottle


def count_hit(cache, key: str, ttl: int) -> int:
    """Add one to the counter `key` (created with a lifetime of `ttl` seconds) and return it.

    On Redis this is `SET key 0 EX ttl NX` and `INCR key` in one pipeline: atomic per command,
    so concurrent workers never lose a hit, and a single round trip. Other caches (the
    in-memory default of `make run` and the tests) use `add` and `incr`.
    """
    client = _redis_client(cache, key)
    if client is not None:
        full_key = cache.make_and_validate_key(key)
        pipeline = client.pipeline(transaction=False)
        pipeline.set(full_key, 0, ex=ttl, nx=True)
        pipeline.incr(full_key)
        return pipeline.execute()[1]
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between `add` and `incr`: this hit opens the next window.
        cache.add(key, 1, ttl)
        return 1


def _redis_client(cache, key: str):
    # Django's RedisCache exposes no atomic "increment or create"; its client wrapper
    # (`_cache`, stable since Django 4.0) hands out the redis-py client for a key.
    backend = getattr(cache, "_cache", None)
    get_client = getattr(backend, "get_client", None)
    if get_client is None or not hasattr(cache, "make_and_validate_key"):
        return None
    return get_client(cache.make_and_validate_key(key), write=True)


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
        return count_hit(self.cache, f"{self.key}:{window}", self.duration) <= self.num_requests

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
