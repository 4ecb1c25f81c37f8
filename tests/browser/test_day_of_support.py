"""Issue 5 end to end in Chromium: on the day the SME checks in and out with the expert's code (phone),
the expert files the support report, and the SME opens the mailed link (no login) and certifies."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from directory.models import ExpertStats
from dispatch.models import DispatchCase, State
from reports.models import Certification, Evaluation, SupportReport
from tests import factories
from tests.browser.conftest import PHONE
from tests.browser.helpers import log_in, screenshot
from tests.dispatch.builders import World
from tests.visits.builders import scheduled_now
from visits.models import TimeReport

pytestmark = pytest.mark.browser

ACTIVITIES = "ホームページの問い合わせ導線とスマートフォン表示を一緒に点検した。"
ADVICE = "施工事例を毎月2件掲載し、問い合わせフォームの項目を4つに減らす。"


def _code(expert_page, case):
    expert_page.goto(f"/visits/case/{case.pk}/code/")
    code = expert_page.locator("[data-code]")
    expect(code).to_be_visible()
    return code.get_attribute("data-code")


def _check(sme_page, code, button):
    sme_page.get_by_label("専門家の画面に表示されている確認コード（6桁）").fill(code)
    sme_page.get_by_role("button", name=button).click()


def test_check_in_check_out_report_and_certification_through_the_mailed_link(
    open_page, tmp_path, settings, smtp_server, deliver_mail
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given a dispatch scheduled for now (built through the real actions), the SME member on a phone
    # and the expert on a laptop, both logged in
    world = World()
    case = scheduled_now(world, started_minutes_ago=0)
    sme_page = open_page(PHONE)
    log_in(sme_page, world.sme.email, factories.PASSWORD)
    expert_page = open_page()
    log_in(expert_page, world.expert.user.email, factories.PASSWORD)

    # when the SME opens the check-in page from the case page and enters the code on the expert's screen
    sme_page.goto(f"/dispatch/{case.pk}/")
    sme_page.get_by_role("link", name="チェックイン・チェックアウト（スマートフォン）").click()
    _check(sme_page, _code(expert_page, case), "チェックインする")
    expect(sme_page.get_by_text(re.compile("チェックインを.*に記録しました"))).to_be_visible()
    screenshot(sme_page, "day-01-sme-checked-in-phone")

    # and at the end checks out with the next code
    _check(sme_page, _code(expert_page, case), "チェックアウトする")
    expect(sme_page.get_by_text(re.compile("チェックアウトを.*に記録しました"))).to_be_visible()
    screenshot(sme_page, "day-02-sme-checked-out-phone")

    # then both times are recorded by the server and the visit is done
    case.refresh_from_db()
    assert case.state == State.DONE
    assert set(TimeReport.objects.filter(case=case).values_list("kind", "source")) == {("start", "checkin"), ("end", "checkin")}

    # when the expert files the support report from the case page
    expert_page.goto(f"/dispatch/{case.pk}/")
    expect(expert_page.locator(".status-line")).to_have_text("支援実施済み")
    expert_page.get_by_role("link", name="支援報告書を提出する").click()
    expert_page.get_by_label("実施した支援の内容").fill(ACTIVITIES)
    expert_page.get_by_label("助言・提案の内容").fill(ADVICE)
    expert_page.get_by_label("支援時間（時間）").fill("2")
    expert_page.get_by_label("請求する旅費（円）").fill("１，３２０")  # full-width, as typed on a phone
    expert_page.get_by_role("button", name="提出する").click()
    # a missing route is refused in Japanese and nothing is filed
    expect(expert_page.get_by_text("経路と交通手段（例：JR中央線 立川→東京 往復）を入力してください")).to_be_visible()
    assert not SupportReport.objects.exists()
    expert_page.get_by_label("経路・交通手段").fill("JR中央線 立川→東京 往復")
    screenshot(expert_page, "day-03-expert-report-form")
    expert_page.get_by_role("button", name="提出する").click()
    expect(expert_page.get_by_text("支援報告書を提出しました。")).to_be_visible()
    expect(expert_page.locator(".status-line")).to_have_text("報告済み")
    report = SupportReport.objects.get(case=case)
    assert report.travel_claimed == 1320 and report.hours == 2

    # then the SME member receives, over SMTP, a mail with a personal link
    deliver_mail()
    (mail,) = [m for m in smtp_server.messages if "従事証明" in m["message"]["Subject"]]
    assert mail["to"] == [world.sme.email]
    body = mail["message"].get_body(("plain",)).get_content()
    link = urlsplit(re.search(r"https?://\S+/reports/certify/\S+", body).group(0))

    # when the SME opens the link on a phone where nobody is logged in, checks the report and certifies
    mail_page = open_page(PHONE)
    mail_page.goto(link.path)
    expect(mail_page.get_by_role("heading", name="従事証明と専門家の評価")).to_be_visible()
    expect(mail_page.get_by_text(ACTIVITIES)).to_be_visible()
    expect(mail_page.get_by_text("1320")).to_have_count(0)  # the travel claim is not the SME's business
    expect(mail_page.get_by_label("支援日")).to_have_value(timezone.localtime(case.starts_at).date().isoformat())
    # the SME confirms the times it actually received support (here: from its check-in, for an hour)
    checked_in = timezone.localtime(TimeReport.objects.get(case=case, kind="start").received_at)
    start = checked_in.replace(second=0, microsecond=0)
    end = min(start + datetime.timedelta(hours=1), start.replace(hour=23, minute=59))
    mail_page.get_by_label("支援開始時刻").fill(f"{start:%H:%M}")
    mail_page.get_by_label("支援終了時刻").fill(f"{end:%H:%M}")
    mail_page.get_by_label("上記の支援報告の内容が事実と相違ないことを確認しました").check()
    for name, score in [("満足度", "5"), ("役に立ったか", "4"), ("時間を守ったか", "5")]:
        mail_page.get_by_role("group", name=name).get_by_label(score, exact=True).check()
    mail_page.get_by_role("group", name="この専門家を他の事業者に勧めたいですか").get_by_label("はい").check()
    mail_page.get_by_label("ご意見・ご感想（任意）").fill("すぐに試せる助言ばかりでした。")
    screenshot(mail_page, "day-04-sme-certification-phone")
    mail_page.get_by_role("button", name="証明して評価を送る").click()
    expect(mail_page.get_by_role("heading", name="従事証明を受け付けました")).to_be_visible()

    # then the case is certified, the rating feeds the expert's average, and the link cannot be reused
    case.refresh_from_db()
    assert case.state == State.CERTIFIED
    certification = Certification.objects.get(case=case)
    assert certification.certified_by == world.sme and certification.channel == "link"
    assert (certification.start_time, certification.end_time) == (start.time(), end.time())
    assert Evaluation.objects.get(case=case).satisfaction == 5
    assert ExpertStats.objects.get(expert=world.expert).rating_average == 5
    mail_page.goto(link.path)
    expect(mail_page.get_by_role("heading", name="このリンクは使えません")).to_be_visible()
    expect(mail_page.get_by_text(re.compile("使用済みです"))).to_be_visible()
    screenshot(mail_page, "day-05-link-used")

    # and the expert sees the certification on the case page
    expert_page.goto(f"/dispatch/{case.pk}/")
    expect(expert_page.locator(".status-line")).to_have_text("従事証明済み")
    expect(expert_page.locator("#certification")).to_contain_text(world.sme.name)
    screenshot(expert_page, "day-06-expert-case-certified")
    assert DispatchCase.objects.get(pk=case.pk).state == State.CERTIFIED
