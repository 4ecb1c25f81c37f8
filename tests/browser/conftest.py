"""Playwright fixtures: one Chromium per session, a fresh context per test, pages on the live server.

Use the `page` fixture (desktop, 1280x900), `phone_page` (375x812) or `open_page(viewport)` for
a second user in its own context; all open on
pytest-django's live server, so `page.goto("/accounts/login/")` works. Mark the tests
`@pytest.mark.browser`. Helpers (screenshots, real login with TOTP, mailed links) are in
tests/browser/helpers.py.
"""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium (/usr/bin/chromium) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _media_url_for_live_server():
    """MEDIA_URL is None on purpose (uploads are never served from a public URL), but Django's
    live server wraps a media handler that needs a string; give it one no page links to
    only while the server builds its handlers."""
    from django.test.utils import override_settings

    override = override_settings(MEDIA_URL="/__media-not-served__/")
    override.enable()
    return override


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server, live_server):
    _media_url_for_live_server.disable()
    return live_server


@pytest.fixture
def open_page(browser, live_server):
    """Open another page in its own context (own cookies), e.g. for a second user."""
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url, locale="ja-JP", timezone_id="Asia/Tokyo", viewport=viewport
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page(DESKTOP)


@pytest.fixture
def phone_page(open_page):
    return open_page(PHONE)
