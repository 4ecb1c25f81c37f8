"""Caches for what changes rarely: reference lists and the programme year (`remembered`, in process
memory), a user's role grants (`role_grants`) and anonymous public pages (`public_page`).

Each cached thing belongs to a *generation* kept in the shared cache (CACHE_URL): saving or deleting a
model it is built from bumps the generation, so every app server drops its copy on the next request.
Signals do the bumping (connected in CoreConfig.ready) because the models are written from many apps'
actions, the admin and management commands. Bulk updates send no signal: pages expire after
PUBLIC_PAGE_CACHE_SECONDS and roles after ROLES_SECONDS anyway; reference data and programme years
are written with save() (reference.loading, the programme views, the admin). When the cache server is
unreachable everything is read from the database as before: slower, never wrong. Without a shared cache
(CACHE_URL unset, settings.CACHE_SHARED off) nothing of this is cached: one process's write could not
tell the others.

The page cache serves anonymous GETs of public pages (`public_page`): never a logged-in user's page,
never a page with a flash message, never a cookie. The CSRF token in a cached page (the language switch
is a POST form on every page) is stored as a placeholder and each client gets its own on the way out.
"""

import functools
import hashlib
import logging
import re
import time

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.utils.translation import get_language

# What each generation covers: writing a model of these apps (or one of these models) bumps it.
GENERATIONS = {
    "reference": {"reference"},
    "public": {"reference", "directory", "intake.organisationstats"},
    "programme": {"reference", "programme"},
}
CSRF_PLACEHOLDER = "__yorozu_page_cache_csrf_token__"
TOKEN_CANDIDATE = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}(?![A-Za-z0-9])")
# A user's role grants are read on every logged-in request; kept at most this long (a lost bump).
ROLES_SECONDS = 300

log = logging.getLogger("yorozu.cache")


def _lifetime(name):
    return ROLES_SECONDS * 12 if name.startswith("roles:") else None  # one key per user: let them go


def generation(name, found=None):
    """The current generation of `name` (None when the cache server is unreachable: build afresh).
    A generation starts from the clock, so a counter lost to eviction never repeats an earlier value."""
    key = f"cachegen:{name}"
    try:
        value = found if found is not None else cache.get(key)
        if value is None:
            cache.add(key, time.time_ns() // 1000, timeout=_lifetime(name))
            value = cache.get(key)
        return value
    except Exception:  # a cache outage costs speed, never correctness or the page
        log.warning("cache unavailable: generation %s", name, exc_info=True)
        return None


def bump(name):
    _checked.pop(name, None)  # this process sees its own change at once
    key = f"cachegen:{name}"
    try:
        try:
            cache.incr(key)
        except ValueError:  # not there (evicted, cleared): a fresh start above every earlier value
            cache.add(key, time.time_ns() // 1000, timeout=_lifetime(name))
    except Exception:
        log.warning("cache unavailable: bump %s", name, exc_info=True)


def _bump_for(names):
    for name in names:
        bump(name)
        # Again after commit: a page rendered meanwhile from the old rows must not outlive the change.
        transaction.on_commit(functools.partial(bump, name))


def _watched():
    """{model: generations it feeds}, many-to-many tables included. Connected per model: a receiver
    for every model would cost every cascade delete its fast path."""
    watched = {}
    for model in apps.get_models():
        names = {name for name, covered in GENERATIONS.items()
                 if model._meta.app_label in covered or model._meta.label_lower in covered}
        if not names:
            continue
        watched[model] = names
        for field in model._meta.local_many_to_many:
            watched[field.remote_field.through] = watched.get(field.remote_field.through, set()) | names
    return watched


def _roles_changed(sender, instance, **kwargs):
    _bump_for([f"roles:{instance.user_id}"])


def connect_signals():
    post_save.connect(_roles_changed, sender="accounts.RoleGrant", dispatch_uid="core.cache.roles.save")
    post_delete.connect(_roles_changed, sender="accounts.RoleGrant", dispatch_uid="core.cache.roles.delete")
    for model, names in _watched().items():
        names = sorted(names)

        def on_write(sender, names=names, **kwargs):
            _bump_for(names)

        def on_m2m(sender, action, names=names, **kwargs):
            if action.startswith("post_"):
                _bump_for(names)

        uid = f"core.cache.{model._meta.label_lower}"
        post_save.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ".delete")
        m2m_changed.connect(on_m2m, sender=model, weak=False, dispatch_uid=uid + ".m2m")


_local = {}  # name -> (generation, value) of remembered values
# Generations as last read from the shared cache, with when: a page asks for the reference lists several
# times, and one look per second is enough for another process's change to arrive here.
CHECK_SECONDS = 1.0
_checked = {}


def _recent_generation(name):
    held = _checked.get(name)
    now = time.monotonic()
    if held is not None and now - held[1] < CHECK_SECONDS:
        return held[0]
    value = generation(name)
    if value is not None:
        _checked[name] = (value, now)
    return value


def forget_local():
    """Drop what this process holds (tests: every test starts from an empty cache)."""
    _local.clear()
    _checked.clear()


def shared():
    """Caching is on only where every process of the site sees the same cache (settings.CACHE_SHARED)."""
    return settings.CACHE_SHARED


def remembered(name, build, generation_name="reference"):
    """`build()` (e.g. the prefecture options) kept in this process until its generation changes."""
    if not shared():
        return build()
    current = _recent_generation(generation_name)
    if current is None:
        return build()
    held = _local.get(name)
    if held is not None and held[0] == current:
        return held[1]
    value = build()
    _local[name] = (current, value)
    return value


def role_grants(user_id, build):
    """A user's approved role grants, `build()` from the database, shared by every app server until a
    grant of the user is written (signals). Every logged-in request needs them: one query fewer."""
    if not shared():
        return build()
    key, gen_key = f"roles:{user_id}", f"cachegen:roles:{user_id}"
    try:
        found = cache.get_many([gen_key, key])
    except Exception:
        log.warning("cache unavailable: roles", exc_info=True)
        return build()
    current = generation(f"roles:{user_id}", found.get(gen_key))
    entry = found.get(key)
    if entry is not None and current is not None and entry[0] == current:
        return entry[1]
    grants = build()
    if current is not None:
        try:
            cache.set(key, (current, grants), timeout=ROLES_SECONDS)
        except Exception:
            log.warning("cache unavailable: roles", exc_info=True)
    return grants


def page_seconds():
    return settings.PUBLIC_PAGE_CACHE_SECONDS if shared() else 0


def _cacheable_request(request):
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return not len(get_messages(request))  # a flash message is for this client only (len does not consume it)


def _page_key(request):
    # The language is resolved by LocaleMiddleware (cookie or Accept-Language); htmx asks for fragments.
    parts = [request.get_host(), request.scheme, get_language() or "", request.headers.get("HX-Request", ""),
             request.headers.get("HX-Target", ""), request.get_full_path()]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request, response):
    """(content with placeholders, headers) for a response fit to share, else None."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if any(word in response.get("Cache-Control", "") for word in ("private", "no-store", "no-cache")):
        return None
    content = response.content.decode(response.charset)
    if CSRF_PLACEHOLDER in content:
        return None
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        def hide(match):
            return CSRF_PLACEHOLDER if _unmask_cipher_token(match.group(0)) == secret else match.group(0)

        content = TOKEN_CANDIDATE.sub(hide, content)
        if secret in content:
            return None
    return content, [(k, v) for k, v in response.items() if k.lower() != "content-length"]


def public_page(view):
    """Keep an anonymous visitor's page of `view` for PUBLIC_PAGE_CACHE_SECONDS (0: off), per full URL,
    language and htmx target, until the public data it shows changes. Put it inside any rate limit:
    every request still counts."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = page_seconds()
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        try:
            found = cache.get_many(["cachegen:public", key])
        except Exception:
            log.warning("cache unavailable: page", exc_info=True)
            return view(request, *args, **kwargs)
        current = generation("public", found.get("cachegen:public"))
        entry = found.get(key)
        if entry is not None and current is not None and entry[0] == current:
            return _from_entry(request, entry)
        response = view(request, *args, **kwargs)
        stored = _storable(request, response) if current is not None else None
        if stored is not None:
            try:
                cache.set(key, (current, *stored), timeout=seconds)
            except Exception:
                log.warning("cache unavailable: page", exc_info=True)
        return response

    return wrapped


def _from_entry(request, entry):
    _, content, headers = entry
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request))  # the client's own; sets its cookie
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
