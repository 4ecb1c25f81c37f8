"""Under the Content Security Policy the page's own script still works and the browser reports no violation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_language_switch_works_and_nothing_is_blocked(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto("/experts/")
    assert page.locator("h1").first.is_visible()
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations == []
