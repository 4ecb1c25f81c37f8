"""Per-client request limits in the cache: a fixed window counted with add + incr (atomic in
Redis and in the local-memory cache), so several app servers sharing a cache share the count."""

import time

from django.conf import settings
from django.core.cache import cache

from core.audit import client_ip


class RateLimited(Exception):
    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(retry_after)


def limits(scope):
    """(requests allowed, window in seconds) for a scope; settings API_<SCOPE>_RATE_LIMIT / _WINDOW."""
    name = scope.upper()
    return (
        getattr(settings, f"API_{name}_RATE_LIMIT", 60),
        getattr(settings, f"API_{name}_RATE_WINDOW", 60),
    )


def check(request, scope):
    """Count this request; raise RateLimited once the client has used up the window."""
    limit, window = limits(scope)
    if not limit:
        return
    now = time.time()
    slot = int(now // window)
    key = f"api-rate:{scope}:{client_ip(request)}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, int((slot + 1) * window - now) + 1))
