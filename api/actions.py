"""Creating and revoking API tokens: checked, written and audited in one transaction."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from . import tokens
from .models import ApiToken

# More live tokens than this is a sign of tokens being made instead of reused.
MAX_LIVE_TOKENS = 20


class Refused(Exception):
    """A rule refuses the action; `reasons` are Japanese sentences shown to the user."""

    def __init__(self, *reasons):
        self.reasons = [r for r in reasons if r]
        super().__init__(" ".join(self.reasons))


def live_tokens(user, now=None):
    now = now or timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at=None).exclude(expires_at__lte=now)


@transaction.atomic
def create_token(actor, name, expires_at=None, request=None):
    """A new token for `actor` itself: returns (ApiToken, token string to show once)."""
    name = (name or "").strip()
    now = timezone.now()
    if not name:
        raise Refused(_("トークンの名前（用途）を入力してください。"))
    if expires_at is not None and expires_at <= now:
        raise Refused(_("有効期限は現在より後の日時にしてください。"))
    # Lock the user's row so two simultaneous requests cannot both pass the count.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if live_tokens(actor, now).count() >= MAX_LIVE_TOKENS:
        raise Refused(
            _("有効なトークンは%(n)d個までです。使っていないトークンを無効にしてください。") % {"n": MAX_LIVE_TOKENS}
        )
    raw, digest = tokens.new_token()
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=raw[: len(tokens.TOKEN_PREFIX) + 4], token_hash=digest, expires_at=expires_at
    )
    audit.record(actor, "api_token.create", token, {"name": name, "expires_at": expires_at}, request=request)
    return token, raw


@transaction.atomic
def revoke_token(actor, token_id, request=None):
    """Revoke one of the actor's own tokens; it stops working at once."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise ApiToken.DoesNotExist
    if token.revoked_at is not None:
        raise Refused(_("このトークンはすでに無効です。"))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "api_token.revoke", token, {"revoked_at": [None, token.revoked_at]}, request=request)
    return token
