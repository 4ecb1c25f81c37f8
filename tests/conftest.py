import os

import pytest
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests import factories

# The suite runs in one process, so its per-process cache is shared by everything it runs: the caches
# of core/cache.py are on, as in production with CACHE_URL.
settings.CACHE_SHARED = True

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# that unless told it is safe (it is: the loop does not touch the database).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def login(client):
    """Log a user in through the session, passing the second factor for staff."""

    def do_login(user, otp=None):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if otp if otp is not None else user.requires_2fa():
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return do_login


@pytest.fixture
def sme(db):
    company, user = factories.company_with_member()
    return user


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def chief(organisation):
    return factories.grant(factories.UserFactory(name="チーフ花子"), Role.CHIEF, organisation=organisation)


@pytest.fixture
def secretariat(db):
    return factories.grant(factories.UserFactory(name="事務局一郎"), Role.SECRETARIAT)


@pytest.fixture
def admin_user(db):
    return factories.grant(factories.UserFactory(name="管理者"), Role.ADMIN)


@pytest.fixture
def outbox_sent(settings):
    """Deliver outbox mail synchronously through Django's locmem backend; returns mail.outbox."""
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


@pytest.fixture
def smtp_server(settings):
    """Point Django at a real local SMTP server for the test."""
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def deliver_mail():
    """Run what the worker would: send every due outbox mail now."""
    from notifications.mail import deliver_due

    return deliver_due


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2's cost is for attackers, not tests: every factory user hashes a password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _is_transactional(request):
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the database afterwards, taking the migration-loaded reference
    data (prefectures, industries…) with it: put it back for the next one. Autouse, so it runs
    before data fixtures that need prefectures."""
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from reference.loading import sync_reference_data
    from reference.models import Prefecture

    if not Prefecture.objects.exists():
        sync_reference_data()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nothing cached (rate-limit counters, cached lists) leaks from one test into the next."""
    from django.core.cache import cache

    from core.cache import forget_local

    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (LocaleMiddleware) leaves English active in the thread: every test starts
    and ends in Japanese, the site's language."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
