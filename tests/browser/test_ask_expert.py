import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from intake.models import ExpertRequest
from tests import factories
from tests.browser.helpers import log_in, screenshot

pytestmark = pytest.mark.browser


def test_sme_asks_for_an_expert_the_organisation_declines_with_a_reason_and_the_sme_sees_it(page, open_page):
    # given a Tokyo company, an approved expert and the Tokyo よろず支援拠点 with a coordinator
    organisation = factories.OrganisationFactory(name="東京都よろず支援拠点", municipality="千代田区")
    _, sme = factories.company_with_member()
    expert = factories.ExpertFactory(display_name="佐藤 健一")
    coordinator = factories.grant(factories.UserFactory(name="相談員 花子"), Role.COORDINATOR, organisation=organisation)
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)

    # the SME finds the organisation in the directory: no measured data yet, and it says so
    log_in(page, sme.email, factories.PASSWORD)
    page.goto("/organisations/")
    page.get_by_label("都道府県").select_option("13")
    page.get_by_role("button", name="検索").click()
    result = page.locator(".org-results li", has_text="東京都よろず支援拠点")
    expect(result.get_by_test_id("org-stats")).to_have_text("実績データなし")

    # when it opens the expert's page and asks for this expert
    page.goto(f"/experts/{expert.pk}/")
    page.get_by_role("link", name="この専門家に相談したい").click()
    expect(page.get_by_label("依頼先の支援機関")).to_have_value(str(organisation.pk))
    page.get_by_label("相談したい課題").fill("飲食店の集客をInstagramで始めたいが、何から手を付けるべきか分からない。")
    page.get_by_label("Web会議").check()
    screenshot(page, "ask-01-form")
    page.get_by_role("button", name="依頼を送信する").click()
    expect(page.get_by_test_id("request-state")).to_have_text("回答待ち")
    expect(page.get_by_test_id("next-actor")).to_contain_text("東京都よろず支援拠点")
    req = ExpertRequest.objects.get()

    # then the coordinator sees it in the inbox and declines with a written reason
    staff = open_page()
    log_in(staff, coordinator.email, factories.PASSWORD, device=device)
    staff.get_by_role("link", name="相談依頼の受付").click()
    staff.get_by_role("row", name="佐藤 健一").get_by_role("link").click()
    staff.get_by_role("button", name="お断りする").click()  # without a reason first
    expect(staff.get_by_text("お断りする場合は理由を必ず入力してください。")).to_be_visible()
    staff.get_by_label("お断りの理由").fill("今月は相談枠が埋まっています。東京都商工会連合会のオンライン相談窓口をご利用ください。")
    staff.get_by_role("button", name="お断りする").click()
    expect(staff.get_by_text("お断りの理由を事業者に連絡しました。")).to_be_visible()
    screenshot(staff, "ask-02-declined-by-organisation")

    # and the SME sees the state and the reason
    page.goto("/requests/")
    expect(page.get_by_test_id("request-state")).to_have_text("お断り")
    page.get_by_role("link", name=timezone.localtime(req.submitted_at).strftime("%Y-%m-%d")).click()
    expect(page.get_by_test_id("decline-reason")).to_contain_text("今月は相談枠が埋まっています")
    expect(page.get_by_test_id("timeline")).to_contain_text("お断り")
    screenshot(page, "ask-03-sme-sees-reason")
    req.refresh_from_db()
    assert req.state == ExpertRequest.State.DECLINED
