"""The fixed-window counter behind every throttle (the 429s themselves are tested per scope
in tests/security/test_resource_limits.py)."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import override_settings

from social_media.throttling import UserRateThrottle, count_hit

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = "django_redis.cache.RedisCache"


@pytest.fixture(params=["configured", "locmem"])
def counter_cache(request):
    """The cache the suite runs on (Redis in CI) and the in-memory fallback path."""
    if request.param == "configured":
        yield cache
        return
    with override_settings(CACHES=LOCMEM):
        caches["default"].clear()
        yield caches["default"]


def count(*args, **kwargs) -> int:
    return count_hit(*args, **kwargs)


def test_count_hit_counts_each_key_from_one(counter_cache):
    assert [count(counter_cache, "t:a", 60) for _ in range(3)] == [1, 2, 3]
    assert count(counter_cache, "t:b", 60) == 1


def test_count_hit_starts_over_when_the_counter_expires(counter_cache):
    count(counter_cache, "t:gone", 60)
    counter_cache.delete("t:gone")

    assert count(counter_cache, "t:gone", 60) == 1


@pytest.mark.skipif(
    settings.CACHES["default"]["BACKEND"] != REDIS, reason="needs CACHE_URL=redis://"
)
def test_on_redis_the_counter_is_an_integer_that_expires_with_its_window():
    count(cache, "t:ttl", 60)
    assert 0 < cache.ttl("t:ttl") <= 60
    assert cache.get("t:ttl") == 1


def test_concurrent_hits_are_all_counted(counter_cache):
    """Workers share one counter: no increment may be lost to a read-modify-write race."""
    threads, hits = 8, 25
    barrier = threading.Barrier(threads)

    def hammer():
        barrier.wait()
        for _ in range(hits):
            count(counter_cache, "t:race", 60)

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert count(counter_cache, "t:race", 60) == threads * hits + 1


class FakeUser:
    is_authenticated = True
    pk = 7


class FakeRequest:
    user = FakeUser()
    META = {"REMOTE_ADDR": "10.0.0.1"}


def throttle_at(now, rate="3/min"):
    throttle = UserRateThrottle()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = lambda: now
    return throttle


def test_a_window_allows_the_rate_then_refuses_until_it_ends():
    start = 6000.0  # a window boundary for a 60-second window
    allowed = [throttle_at(start + i).allow_request(FakeRequest(), None) for i in range(3)]
    refused = throttle_at(start + 45)

    assert allowed == [True, True, True]
    assert refused.allow_request(FakeRequest(), None) is False
    assert refused.wait() == 15
    assert throttle_at(start + 60).allow_request(FakeRequest(), None) is True


def test_wait_is_never_below_one_second():
    throttle = throttle_at(6059.5, rate="1/min")

    assert throttle.allow_request(FakeRequest(), None) is True
    assert throttle.allow_request(FakeRequest(), None) is False
    assert throttle.wait() == 1.0


@pytest.mark.skipif(
    settings.CACHES["default"]["BACKEND"] != REDIS, reason="needs CACHE_URL=redis://"
)
def test_a_counter_lives_only_until_its_window_ends():
    throttle = throttle_at(6045.0, rate="3/min")  # 15 s before the window ends
    throttle.allow_request(FakeRequest(), None)

    assert 0 < cache.ttl(f"{throttle.key}:100") <= 15
