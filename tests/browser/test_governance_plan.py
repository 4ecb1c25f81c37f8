"""In Chromium: the chief writes and submits the plan, the bureau confirms it at the start-of-year
interview, the plan is locked, and the centre's dashboard shows targets against actuals with charts."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.dates import fiscal_year
from governance import actions
from tests import factories
from tests.browser.helpers import log_in, screenshot
from tests.governance.builders import Centre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_plans_bureau_confirms_and_the_dashboard_shows_the_year(page, open_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    gov = Centre()
    fy = fiscal_year()
    actions.save_policy(gov.hq, fy, "活動方針", "成果につながる支援を。", publish=True)
    chief_device = TOTPDevice.objects.create(user=gov.chief, name="phone", confirmed=True)
    bureau_device = TOTPDevice.objects.create(user=gov.bureau, name="phone", confirmed=True)

    log_in(page, gov.chief.email, factories.PASSWORD, device=chief_device)
    page.goto(f"/governance/centre/{gov.centre.pk}/plan/{fy}/")
    page.get_by_label("地域の中小企業・支援の実状とニーズの分析").fill("多摩地域で事業承継の相談が増えている。")
    page.get_by_label("事業計画", exact=True).fill("商工会と連携して事業承継を重点的に支援する。")
    for label, value in [("目標：相談対応件数", "1200"), ("目標：来訪相談者数", "400"), ("目標：課題解決件数", "300"),
                         ("目標：ネットワーク活動件数", "60")]:
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="保存する").click()
    page.get_by_label(re.compile(r"^重点分野")).fill("事業承継")
    page.get_by_role("checkbox", name="事業承継", exact=True).check()
    page.get_by_label("目標（相談件数）").fill("80")
    page.get_by_role("button", name="追加する").click()
    page.get_by_role("button", name="提出する").click()
    assert page.get_by_text("提出済み（期初面談待ち）").is_visible()
    screenshot(page, "governance-1-plan-submitted")

    office = open_page()
    log_in(office, gov.bureau.email, factories.PASSWORD, device=bureau_device)
    office.goto(f"/governance/centre/{gov.centre.pk}/plan/{fy}/")
    office.get_by_label("期初面談の記録").fill("重点分野の目標の根拠を確認した。")
    office.get_by_role("button", name="確定する").click()
    assert office.get_by_text("確定（変更不可）").is_visible()
    screenshot(office, "governance-2-plan-confirmed")

    page.goto(f"/governance/centre/{gov.centre.pk}/plan/{fy}/")
    assert page.get_by_text("変更はできません").is_visible()
    assert page.get_by_role("button", name="保存する").count() == 0
    page.goto(f"/governance/centre/{gov.centre.pk}/")
    assert page.locator("svg.pygal-chart").count() == 2
    assert page.get_by_role("heading", name="目標と実績").is_visible()
    screenshot(page, "governance-3-centre-dashboard")
