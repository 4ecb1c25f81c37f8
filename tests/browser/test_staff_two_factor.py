import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from tests import factories
from tests.browser.helpers import log_in, screenshot

pytestmark = pytest.mark.browser


def test_staff_without_a_device_must_set_up_two_factor_before_reaching_my_page(page, organisation):
    # given an approved coordinator who has never enrolled an authenticator
    user = factories.grant(factories.UserFactory(name="相談員次郎"), Role.COORDINATOR, organisation=organisation)

    # when they log in with their password
    log_in(page, user.email, factories.PASSWORD)

    # then every page leads to the 2FA setup page
    expect(page.get_by_role("heading", name="2段階認証の設定")).to_be_visible()
    page.goto("/accounts/home/")
    expect(page.get_by_role("heading", name="2段階認証の設定")).to_be_visible()
    screenshot(page, "staff-01-otp-setup")

    # when a wrong code is entered, it is refused in Japanese next to the field
    page.get_by_label("確認コード（6桁）").fill("000000" if _code(page) != "000000" else "111111")
    page.get_by_role("button", name="設定する").click()
    expect(page.locator("#id_token_error")).to_contain_text("確認コードが正しくありません")
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # django-otp throttles a device for a second after a failed code, as a person retyping would wait.
    page.wait_for_timeout(1_100)

    # when the code from the shown secret is entered
    page.get_by_label("確認コード（6桁）").fill(_code(page))
    page.get_by_role("button", name="設定する").click()

    # then they land on マイページ with a confirmed device
    expect(page.get_by_role("heading", name="マイページ")).to_be_visible()
    expect(page.get_by_text("2段階認証を設定しました。")).to_be_visible()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    screenshot(page, "staff-02-home")


def _code(page):
    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    return f"{totp(base64.b32decode(secret)):06d}"
