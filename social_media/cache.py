"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call. With
redis-py 8 that constructor registers ~170 response callbacks, about 0.25 ms each time (cProfile,
this machine): more than the Redis round trip itself, and every throttled request makes one
or two cache calls. A client only wraps its pool (the connections), and redis-py documents
clients as safe to share between threads, so one per pool is kept.

`CACHE_URL=redis://...` selects this backend (social_media/settings.py).
"""

from django.core.cache.backends import redis


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
