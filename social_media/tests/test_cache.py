"""The Redis cache backend (social_media/cache.py): Django's, with its redis-py client reused."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    settings.CACHES["default"]["BACKEND"] != "social_media.cache.RedisCache",
    reason="needs CACHE_URL=redis://",
)


def test_one_client_serves_every_call():
    backend = cache._cache

    assert backend.get_client("a", write=True) is backend.get_client("b", write=True)
    assert backend.get_client(write=False) is backend.get_client(write=True)  # one server


def test_the_shared_client_works_from_several_threads():
    errors = []

    def use(n):
        try:
            for i in range(50):
                cache.set(f"cache-test:{n}:{i}", i, 30)
                assert cache.get(f"cache-test:{n}:{i}") == i
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=use, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert cache.get_many([f"cache-test:{n}:49" for n in range(6)]) == {
        f"cache-test:{n}:49": 49 for n in range(6)
    }
