"""The access matrix: every URL pattern × every persona, as the table in tests/access/table.py says.

The world is built once for the module (inside a transaction rolled back at the end); every request runs
in its own savepoint, rolled back after it, so a POST that succeeds changes nothing for the next one.
A URL pattern without a row fails test_every_url_pattern_has_a_row.
"""

import copy
import shutil
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from tests.access import table
from tests.access.world import build

pytestmark = pytest.mark.django_db  # also what makes pytest-django create the test database

ROWS = table.rows()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("access-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        with transaction.atomic():
            world = build()
            world.media, world.pristine = media, tmp_path_factory.mktemp("access-media-copy")
            shutil.copytree(media, world.pristine, dirs_exist_ok=True)
            yield world
            transaction.set_rollback(True)


def sign_in(client, user, second_factor=True):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if second_factor and user.requires_2fa():
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="matrix", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def url_of(world, row):
    if row.args.startswith("="):
        return row.args[1:], {}
    args, query = [], {}
    for part in ([] if row.args == "-" else row.args.split(",")):
        if part.startswith("?"):
            name, value = part[1:].split("=")
            query[name] = world.arg(value) if hasattr(world, value.split(".")[0]) else value
        elif part.isdigit():
            args.append(int(part))
        elif hasattr(world, part.split(".")[0]):
            args.append(world.arg(part))
        else:
            args.append(part)
    return reverse(row.pattern, args=args), query


def post_data(world, row):
    data = table.POST_DATA.get(row.key, {})
    return data(world) if callable(data) else data


def outcome(world, row, response, wrote):
    status = response.status_code
    if status == 302:
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return "L"
        if location.startswith((reverse("accounts:otp_setup"), reverse("accounts:otp_verify"))):
            return "otp"
    if row.method == "POST" and wrote:
        return "done" if status < 400 else f"{status}+write"
    if status == 200:
        if row.method == "GET*" and not wrote:
            return "ok(unaudited)"
        return "ok"
    if status == 404 and world.company_a.name in response.content.decode(errors="ignore"):
        return "404(leaks)"
    return str(status)


def request(world, client, row, persona):
    """One request in a savepoint rolled back afterwards; cookies (session, messages) restored too."""
    url, query = url_of(world, row)
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = AuditEvent.objects.count()
        try:
            if row.method == "API":
                token = world.tokens.get(persona)
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                response = Client().get(url, query, headers=headers)
            elif row.method == "POST":
                response = client.post(url + (f"?{urlencode(query)}" if query else ""), post_data(world, row))
            else:
                response = client.get(url, query)
            got = outcome(world, row, response, AuditEvent.objects.count() > before)
        except Exception as error:  # a 500 is a finding like any other
            got = f"500:{type(error).__name__}"
        transaction.set_rollback(True)
    client.cookies = cookies
    if row.method == "POST":
        restore_files(world)
    return url, got


def restore_files(world):
    """The rollback brings rows back, not files: put back any file a POST replaced or deleted."""
    for path in world.pristine.rglob("*"):
        target = world.media / path.relative_to(world.pristine)
        if path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


@pytest.mark.parametrize("persona", table.PERSONAS)
def test_each_persona_gets_what_the_table_says(world, client, persona):
    cache.clear()  # rate-limit counters of the previous persona
    user = world.people[persona]
    if user is not None:
        sign_in(client, user)
    mismatches = []
    for row in ROWS:
        url, got = request(world, client, row, persona)
        expected = row.expected[persona]
        if got != expected:
            mismatches.append(f"{row.method:5} {url:60} {persona:6} expected {expected:6} got {got}")
    assert not mismatches, "\n" + "\n".join(mismatches)


@pytest.mark.parametrize("persona", ["crdX", "secr"])
def test_staff_without_the_second_factor_reach_only_the_two_factor_pages(world, client, persona):
    sign_in(client, world.people[persona], second_factor=False)
    two_factor_pages = {"accounts:otp_setup": "ok", "accounts:otp_verify": "ok"}
    mismatches = []
    for row in ROWS:
        if row.method == "API" or row.key == "accounts:logout":
            continue  # tokens carry no session; logging out is always allowed
        url, got = request(world, client, row, persona)
        expected = two_factor_pages.get(row.key, "otp")
        if got != expected:
            mismatches.append(f"{row.method:5} {url:60} {persona:6} expected {expected:6} got {got}")
    assert not mismatches, "\n" + "\n".join(mismatches)


def _patterns(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _patterns(entry, route, ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or str(entry.pattern)
            yield route, f"{namespace}:{name}" if namespace else name


def test_every_role_is_held_by_a_persona(world):
    from accounts.roles import Role

    held = set().union(*(user.role_set() for user in world.people.values() if user is not None))
    assert held == set(Role), "a role without a persona has no column in the table"


def test_every_url_pattern_has_a_row():
    patterns = {
        key for route, key in _patterns(get_resolver())
        if key not in table.EXCLUDED and not route.startswith(table.EXCLUDED_PREFIXES)
    }
    in_table = {row.pattern for row in ROWS}
    assert sorted(patterns - in_table) == [], "URL patterns without a row in tests/access/table.py"
    assert sorted(in_table - patterns) == [], "rows for URL patterns that no longer exist"


def test_every_posted_pattern_has_a_get_row_too():
    posts = {row.key for row in ROWS if row.method == "POST" and "#" not in row.key}
    gets = {row.key for row in ROWS if row.method in ("GET", "GET*")}
    assert sorted(posts - gets) == [], "a POST-only pattern needs its GET row (405)"


# Patterns that answer nobody: the API's root and its catch-all are JSON 404s by design.
CLOSED_PATTERNS = {"api:v1:api-root", "api:^(?P<path>.*)$"}


def test_every_pattern_lets_someone_in_somewhere_in_the_table():
    allowed = {"ok", "done", "302"}
    open_patterns = {row.pattern for row in ROWS if allowed & set(row.expected.values())}
    closed = {row.pattern for row in ROWS} - open_patterns - CLOSED_PATTERNS
    assert sorted(closed) == [], "patterns nobody can use in the table: their pages are untested"
