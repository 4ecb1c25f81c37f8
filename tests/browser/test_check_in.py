"""Issue 5 point 1 in Chromium: on the day, the SME checks in and out on a 375 px phone with the
code the expert's screen shows; the case page then shows both reports in the window."""

import pytest
from playwright.sync_api import expect

from dispatch.models import State
from tests import factories
from tests.browser.helpers import log_in, screenshot
from tests.dispatch.builders import World
from tests.visits.builders import scheduled_now
from visits.models import TimeReport

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def _shown_code(expert_page, case):
    expert_page.goto(f"/visits/case/{case.pk}/code/")
    code = expert_page.locator(".checkin-code")
    expect(code).to_be_visible()
    return code.get_attribute("data-code")


def test_sme_checks_in_and_out_on_a_phone_with_the_experts_code(open_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given a visit that started five minutes ago, the SME on a phone and the expert on a tablet
    world = World()
    case = scheduled_now(world, started_minutes_ago=5)
    sme_page = open_page(PHONE)
    expert_page = open_page({"width": 768, "height": 1024})
    log_in(sme_page, world.sme.email, factories.PASSWORD)
    log_in(expert_page, world.expert.user.email, factories.PASSWORD)

    # when the SME opens the case and follows the check-in link
    sme_page.goto(f"/dispatch/{case.pk}/")
    sme_page.get_by_role("link", name="チェックイン・チェックアウト（スマートフォン）").click()
    expect(sme_page.get_by_role("heading", name="支援を始めるときにチェックイン")).to_be_visible()
    assert sme_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(sme_page, "visits-checkin-phone")

    # and types the code the expert's screen shows
    code = _shown_code(expert_page, case)
    screenshot(expert_page, "visits-expert-code")
    sme_page.get_by_label("確認コード（6桁）", exact=False).fill(code[:3] + " " + code[3:])
    sme_page.get_by_role("button", name="チェックインする").click()

    # then the start is recorded and the page moves on to check-out
    expect(sme_page.get_by_text("チェックインを", exact=False)).to_be_visible()
    expect(sme_page.get_by_role("heading", name="支援が終わったらチェックアウト")).to_be_visible()

    # when a wrong code is typed at check-out, it is refused with a reason and nothing is recorded
    sme_page.get_by_label("確認コード（6桁）", exact=False).fill("000000" if code != "000000" else "111111")
    sme_page.get_by_role("button", name="チェックアウトする").click()
    expect(sme_page.get_by_text("確認コードが違います", exact=False)).to_be_visible()
    assert not TimeReport.objects.filter(case=case, kind="end").exists()

    # and with the expert's new (check-out) code it is recorded
    end_code = _shown_code(expert_page, case)
    sme_page.get_by_label("確認コード（6桁）", exact=False).fill(end_code)
    sme_page.get_by_role("button", name="チェックアウトする").click()
    expect(sme_page.get_by_text("チェックインとチェックアウトは記録済みです", exact=False)).to_be_visible()
    assert sme_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(sme_page, "visits-checked-out-phone")

    # then the visit is done and both reports are in the window
    case.refresh_from_db()
    assert case.state == State.DONE
    reports = TimeReport.objects.filter(case=case, source="checkin")
    assert {r.kind for r in reports} == {"start", "end"}
    assert reports.get(kind="start").in_window

    # and the expert's case page lists both reports
    expert_page.goto(f"/dispatch/{case.pk}/")
    evidence = expert_page.locator("#evidence")
    expect(evidence.get_by_text("チェックイン（画面）").first).to_be_visible()
    expect(evidence.get_by_role("cell", name="支援終了")).to_be_visible()
    screenshot(expert_page, "visits-case-evidence")


def test_the_expert_cannot_check_in_from_the_smes_page(open_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World()
    case = scheduled_now(world, started_minutes_ago=5)
    page = open_page(PHONE)
    log_in(page, world.expert.user.email, factories.PASSWORD)

    page.goto(f"/visits/case/{case.pk}/checkin/")

    expect(page.get_by_text("代理の報告はできません", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="チェックインする")).to_have_count(0)
