"""The API's limits per scope (settings API_<SCOPE>_RATE_LIMIT / _WINDOW); counting is core.ratelimit's."""

from django.conf import settings

from core.ratelimit import RateLimited, check as _check

__all__ = ["RateLimited", "check", "limits"]


def limits(scope):
    """(requests allowed, window in seconds) for a scope."""
    name = scope.upper()
    return (
        getattr(settings, f"API_{name}_RATE_LIMIT", 60),
        getattr(settings, f"API_{name}_RATE_WINDOW", 60),
    )


def check(request, scope):
    """Count this request; raise RateLimited once the client has used up the window."""
    limit, window = limits(scope)
    _check(request, f"api-{scope}", limit, window)
