"""Django's Redis cache, with one redis client per connection pool kept and reused.

Django builds a new `redis.Redis` for every cache call; building one (its ~170 response callbacks) cost
more CPU than the call itself, and a logged-in request makes several (session, roles). redis-py clients
are thread-safe and share the pool's connections, so one per pool serves the whole process."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
