"""Per-client request limits in the cache: a fixed window counted with add + incr (atomic in Redis
and in the local-memory cache), so app servers sharing a cache (CACHE_URL) share the count."""

import functools
import time

from django.core.cache import cache
from django.shortcuts import render

from core.audit import client_ip


class RateLimited(Exception):
    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(retry_after)


def check(request, scope, limit, window):
    """Count this request; raise RateLimited once the client has used up the window (limit 0: no limit)."""
    if not limit:
        return
    now = time.time()
    slot = int(now // window)
    key = f"rate:{scope}:{client_ip(request)}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, int((slot + 1) * window - now) + 1))


def rate_limited(scope, limit_setting, window_setting):
    """View decorator: over the limit, a 429 page in Japanese with Retry-After (settings read per request)."""
    from django.conf import settings

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                check(request, scope, getattr(settings, limit_setting), getattr(settings, window_setting))
            except RateLimited as exc:
                response = render(request, "429.html", {"retry_after": exc.retry_after}, status=429)
                response["Retry-After"] = str(exc.retry_after)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
