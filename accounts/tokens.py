"""Signed, expiring links for e-mail verification (stateless, single-use by state)."""

from django.core import signing

VERIFY_SALT = "accounts.verify-email"
VERIFY_MAX_AGE = 3 * 24 * 3600


def make_verify_token(user, email):
    return signing.dumps({"u": user.pk, "e": email.lower()}, salt=VERIFY_SALT)


def read_verify_token(token):
    """(user_id, email) or None when the link is forged or expired."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    return data.get("u"), data.get("e")
