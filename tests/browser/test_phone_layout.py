import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot

pytestmark = pytest.mark.browser

# Inputs a person can see and type into, with the accessible name the browser computes.
UNLABELLED_INPUTS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)"""


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/"])
def test_public_pages_fit_a_phone_screen_with_labelled_inputs(phone_page, path):
    # when a public page is opened 375 px wide
    phone_page.goto(path)

    # then nothing scrolls sideways
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    # and every visible input has a label
    assert phone_page.evaluate(UNLABELLED_INPUTS) == []
    screenshot(phone_page, "phone" + path.rstrip("/").replace("/", "-"))


def test_signup_fields_are_found_by_their_labels_on_a_phone(phone_page):
    phone_page.goto("/accounts/signup/")
    fields = {"氏名": "id_name", "ふりがな": "id_name_kana", "メールアドレス": "id_email",
              "パスワード（確認）": "id_password2", "利用規約と個人情報の取扱いに同意します": "id_agree"}
    for label, field_id in fields.items():
        field = phone_page.get_by_label(label)
        expect(field).to_have_count(1)
        expect(field).to_have_attribute("id", field_id)
        expect(field).to_be_visible()


def test_keyboard_focus_is_visible_on_a_phone(phone_page):
    # given the home page
    phone_page.goto("/")
    # when the keyboard moves through the first stops
    for _ in range(4):
        phone_page.keyboard.press("Tab")
        focused = phone_page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    shadow: style.boxShadow, matches: el.matches(':focus-visible')};
        }""")
        # then the focused element carries a visible focus ring
        assert focused["tag"] != "BODY"
        assert focused["matches"]
        assert (focused["outline"] != "none" and focused["width"] >= 2) or focused["shadow"] != "none", focused
    # and the first stop is the skip link, which becomes visible
    phone_page.goto("/")
    phone_page.keyboard.press("Tab")
    skip = phone_page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    screenshot(phone_page, "phone-skip-link-focus")
