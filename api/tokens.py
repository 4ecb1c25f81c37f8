"""Token strings and their lookup: a token is random, so a plain SHA-256 is enough to store it
(no salt or slow hash is needed for 256 random bits, and lookup stays one indexed query)."""

import datetime
import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "yrz_"  # nosec B105: a public marker that tells tokens apart, not a secret
# last_used_at is written at most once a minute per token, not on every request.
TOUCH_INTERVAL = datetime.timedelta(seconds=60)


def new_token():
    """(token, hash): the token is shown to the user once, the hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def user_for_token(token, now=None):
    """The active user a usable token belongs to, else None. Marks the token as used."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    now = now or timezone.now()
    try:
        api_token = ApiToken.objects.select_related("user").get(token_hash=hash_token(token))
    except ApiToken.DoesNotExist:
        return None
    if not api_token.is_usable(now) or not api_token.user.is_active:
        return None
    if api_token.last_used_at is None or api_token.last_used_at < now - TOUCH_INTERVAL:
        # A conditional UPDATE: concurrent requests do not queue on a row lock.
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
