"""The audit trail: one row per create/update of personal data and per workflow transition."""

from django.conf import settings

from .models import AuditEvent

# Fields never copied into the audit log.
SECRET_FIELDS = {"password", "account_number", "key", "token"}


def client_ip(request):
    """The client's address. Behind our own reverse proxy (REMOTE_ADDR in TRUSTED_PROXIES) it is the
    right-most X-Forwarded-For entry not added by a trusted proxy; entries further left are whatever
    the client sent and are never believed."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return remote


def diff(before, after):
    """Changed keys between two dicts of plain values, secrets masked."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            if key in SECRET_FIELDS:
                old, new = "***", "***"
            changes[key] = [_plain(old), _plain(new)]
    return changes


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return str(value)


def record(actor, action, obj, changes=None, request=None):
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        ip_address=client_ip(request),
    )


def snapshot(obj, fields):
    """Plain values of `fields` for diffing before/after an update."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "all"):
            value = sorted(str(v) for v in value.all())
        values[name] = _plain(value)
    return values
