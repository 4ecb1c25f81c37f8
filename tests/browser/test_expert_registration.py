import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import Role
from directory.models import ExpertProfile
from reference.models import Prefecture
from tests import factories
from tests.browser.helpers import log_in, screenshot

pytestmark = pytest.mark.browser


def _photo(tmp_path):
    path = tmp_path / "face.jpg"
    Image.new("RGB", (480, 640), (200, 170, 150)).save(path, "JPEG")
    return path


def test_expert_registers_is_reviewed_by_the_secretariat_and_is_approved(page, open_page, tmp_path):
    # given a person signing up as an expert
    page.goto("/accounts/signup/expert/")
    page.locator("#id_name").fill("専門家花子")
    page.get_by_label("ふりがな").fill("せんもんかはなこ")
    page.get_by_label("メールアドレス").fill("hanako@consult.example.jp")
    page.locator("#id_password1").fill("hanako-consult-2026")
    page.get_by_label("パスワード（確認）").fill("hanako-consult-2026")
    page.get_by_label("利用規約と個人情報の取扱いに同意します").check()
    page.get_by_role("button", name="登録する").click()

    # when they fill in the profile with a photo, specialties and areas
    expect(page.get_by_role("heading", name="専門家プロフィール")).to_be_visible()
    expect(page.get_by_label("氏名（公開）")).to_have_value("専門家花子")
    page.get_by_label("ひとこと紹介").fill("Web集客と販路開拓の専門家です")
    page.get_by_label("顔写真").set_input_files(_photo(tmp_path))
    page.get_by_role("group", name="専門分野").get_by_label("IT・Web活用").check()
    page.get_by_label("活動拠点の都道府県").select_option(str(Prefecture.objects.get(code="13").pk))
    areas = page.get_by_role("group", name="対応地域")
    areas.get_by_label("東京都").check()
    areas.get_by_label("神奈川県").check()
    page.get_by_label("自己紹介・支援内容").fill("中小企業のホームページ改善とネット販売の立ち上げを支援します。")
    screenshot(page, "expert-01-profile-form")
    page.get_by_role("button", name="保存する").click()

    # then the profile waits for review, with the photo shown through the checked view
    expect(page.get_by_test_id("expert-status")).to_have_text("審査中")
    photo = page.get_by_role("img", name="登録済みの顔写真")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "expert-02-pending")
    expert = ExpertProfile.objects.get(user__email="hanako@consult.example.jp")
    assert expert.status == ExpertProfile.Status.PENDING

    # when the secretariat logs in with password and TOTP and approves the profile
    secretariat = factories.grant(factories.UserFactory(name="事務局一郎"), Role.SECRETARIAT)
    device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    staff = open_page()
    log_in(staff, secretariat.email, factories.PASSWORD, device=device)
    expect(staff.get_by_role("heading", name="マイページ")).to_be_visible()
    staff.get_by_role("link", name="専門家の審査").click()
    staff.get_by_role("link", name="専門家花子").click()
    expect(staff.get_by_role("img", name="顔写真")).to_be_visible()
    screenshot(staff, "expert-03-secretariat-review")
    staff.get_by_label("審査結果").select_option("approve")
    staff.get_by_role("button", name="登録する").click()
    expect(staff.get_by_text("審査結果を登録しました。")).to_be_visible()

    # then the expert sees the approval
    page.reload()
    expect(page.get_by_test_id("expert-status")).to_have_text("承認済み")
    screenshot(page, "expert-04-approved")
    expert.refresh_from_db()
    assert expert.status == ExpertProfile.Status.APPROVED
