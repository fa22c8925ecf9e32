"""A Redis cache that fails open: when Redis is unreachable the site serves uncached.

Django's RedisCache raises on connection errors, which would turn a cache outage into a site outage.
This subclass logs the failure and behaves as a cache miss (reads) or a no-op (writes). After a failure
it stops trying reads and writes for `retry_after` seconds, so an outage costs one timeout per worker
every few seconds rather than one per cache call. Invalidation (`incr`, `delete`, `clear`) always tries.

It also keeps one `redis.Redis` client per connection pool instead of Django's one per cache call:
building a client sets up its table of about 170 response callbacks, which cost more than the cached-page
hit's Redis round trip itself (0.3 ms of a 1 ms hit, profiled on the benchmark's home page). A client
holds no connection of its own, only its pool, which redis-py already shares between threads and
resets in a forked worker.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("lore.cache")

# LOCATION -> monotonic time until which that Redis is treated as down, shared by the process's threads.
_down_until = {}


def _fail_open(method_name, fallback, *, skip_while_down=True):
    def method(self, *args, **kwargs):
        if skip_while_down and time.monotonic() < _down_until.get(self._server_key, 0):
            return fallback(*args, **kwargs)
        try:
            return getattr(super(FailOpenRedisCache, self), method_name)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            _down_until[self._server_key] = time.monotonic() + self.retry_after
            logger.warning("cache %s failed, serving uncached for %ss: %s", method_name, self.retry_after, exc)
            return fallback(*args, **kwargs)

    method.__name__ = method_name
    return method


def _returns(value_factory):
    return lambda *args, **kwargs: value_factory()


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # connection pool index -> redis.Redis

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class FailOpenRedisCache(RedisCache):
    retry_after = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._server_key = str(server)

    get = _fail_open("get", lambda key, default=None, version=None: default)
    get_many = _fail_open("get_many", _returns(dict))
    set = _fail_open("set", _returns(lambda: None))
    add = _fail_open("add", _returns(lambda: False))
    set_many = _fail_open("set_many", lambda data, *args, **kwargs: list(data))  # every key failed
    touch = _fail_open("touch", _returns(lambda: False))
    has_key = _fail_open("has_key", _returns(lambda: False))
    incr = _fail_open("incr", _returns(lambda: None), skip_while_down=False)
    delete = _fail_open("delete", _returns(lambda: False), skip_while_down=False)
    delete_many = _fail_open("delete_many", _returns(lambda: None), skip_while_down=False)
    clear = _fail_open("clear", _returns(lambda: None), skip_while_down=False)
