"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call. With
redis-py 8 that constructor registers ~170 response callbacks, about 0.25 ms each time (cProfile,
this machine): more than the Redis round trip itself, and every throttled request makes one
or two cache calls. A client only wraps its pool (the connections), and redis-py documents
clients as safe to share between threads, so one per pool is kept.

It also counts and reads in one round trip (`count_and_get_many`), which the rate throttles
use (social_media/throttling.py).

`CACHE_URL=redis://...` selects this backend (social_media/settings.py).
"""

from django.core.cache.backends import redis

COUNT_AND_GET_MANY = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCR', KEYS[1])
if #KEYS == 1 then
    return {count}
end
return {count, redis.call('MGET', unpack(KEYS, 2))}
"""


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count_and_get_many(self, counter: str, ttl: int, keys: list[str]) -> tuple[int, dict]:
        """`INCR` of `counter` (created with a lifetime of `ttl` seconds) and `MGET` of `keys`
        in one Lua script: one round trip, and less Python than a redis-py pipeline of the
        same commands. Scripts run atomically, so concurrent processes never lose a count.
        All keys live on the one server (no Redis Cluster)."""
        client = self.get_client(write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(COUNT_AND_GET_MANY)
        count, *found = script(keys=[counter, *keys], args=[ttl])
        values = found[0] if found else []
        loads = self._serializer.loads
        return count, {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None}


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def count_and_get_many(self, counter: str, ttl: int, keys=()) -> tuple[int, dict]:
        """Add one to the integer `counter` and read `keys`, as `get_many` would, at once."""
        made = {self.make_and_validate_key(key): key for key in keys}
        count, found = self._cache.count_and_get_many(
            self.make_and_validate_key(counter), ttl, list(made)
        )
        return count, {made[k]: value for k, value in found.items()}
