"""Issue 4 end to end in Chromium: consultation → dispatch draft → application → approval →
acceptance, with the mail received by a real SMTP server and the invitation parsed back."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import Role
from consultations.models import Consultation
from dispatch.models import DispatchCase, State
from reference.models import Prefecture
from tests import factories
from tests.browser.helpers import log_in, screenshot
from tests.dispatch.builders import open_programme

pytestmark = pytest.mark.browser

PROBLEM = "ホームページからの問い合わせが月に1件もない。Instagramも更新が止まっている。"


def _consultation_photo(tmp_path):
    path = tmp_path / "consultation.jpg"
    Image.new("RGB", (640, 480), (180, 150, 120)).save(path, "JPEG")
    return path


def _received(smtp_server, subject_part):
    return [m for m in smtp_server.messages if subject_part in m["message"]["Subject"]]


def _link_path(message):
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/dispatch/\d+/)", body).group(1)


def _step(*parts):
    """A timeline entry's text, whatever whitespace the template puts between its parts."""
    return re.compile(r"\s*".join(re.escape(p) for p in parts))


def _calendars(message):
    return [
        icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for part in message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def test_coordinator_proposes_secretariat_approves_expert_accepts_and_everyone_gets_the_invitation(
    page, open_page, tmp_path, settings, smtp_server, deliver_mail
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # given a Tokyo SME with a member, the Tokyo organisation's coordinator, the secretariat,
    # an approved expert covering Tokyo and one who covers only Osaka
    organisation = factories.OrganisationFactory(name="東京都よろず支援拠点", municipality="千代田区")
    company, sme = factories.company_with_member(name="株式会社みなと製作所")
    coordinator = factories.grant(factories.UserFactory(name="相談員 花子"), Role.COORDINATOR, organisation=organisation)
    secretariat = factories.grant(factories.UserFactory(name="事務局 一郎"), Role.SECRETARIAT)
    expert = factories.ExpertFactory(
        user=factories.UserFactory(name="佐藤 健一"), display_name="佐藤 健一", headline="Web集客の専門家"
    )
    osaka_only = factories.ExpertFactory(display_name="大阪 次郎")
    osaka_only.areas.set(Prefecture.objects.filter(code="27"))
    coordinator_device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    secretariat_device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    day = timezone.localdate() + datetime.timedelta(days=10)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
    ends_at = starts_at + datetime.timedelta(hours=2)
    open_programme(starts_at)  # the year's application deadline must not be behind today

    # when the coordinator logs in (password + TOTP) and records an in-person consultation with a photo
    log_in(page, coordinator.email, factories.PASSWORD, device=coordinator_device)
    page.get_by_role("navigation").get_by_role("link", name="経営相談", exact=True).click()
    page.get_by_role("link", name="相談を記録する").click()
    page.get_by_label("法人番号または事業者番号").fill(str(company.pk))
    page.get_by_role("button", name="次へ").click()
    expect(page.get_by_role("heading", name="株式会社みなと製作所 の相談を記録する")).to_be_visible()
    page.get_by_label("相談日").fill(timezone.localdate().isoformat())
    page.get_by_role("group", name="相談方法").get_by_label("対面").check()
    page.get_by_role("group", name="相談に来た事業者の担当者").get_by_label(sme.name).check()
    topics = page.get_by_role("group", name="相談分野")
    topics.get_by_label("IT・Web活用").check()
    topics.get_by_label("販路開拓・マーケティング").check()
    page.get_by_label("課題").fill(PROBLEM)
    page.get_by_role("group", name="対応結果").get_by_label("専門家派遣を提案").check()
    page.get_by_label("相談時の写真").set_input_files(_consultation_photo(tmp_path))
    screenshot(page, "dispatch-01-consultation-form")
    page.get_by_role("button", name="記録する").click()

    # then the consultation page shows it, with the photo served through the checked view
    expect(page.get_by_text("相談を記録しました。")).to_be_visible()
    photo = page.get_by_role("img", name="相談時の写真")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete", arg=photo.element_handle())
    assert photo.evaluate("img => img.naturalWidth") > 0
    consultation = Consultation.objects.get()
    assert consultation.channel == Consultation.Channel.IN_PERSON and consultation.photo
    assert set(consultation.topics.values_list("name", flat=True)) == {"IT・Web活用", "販路開拓・マーケティング"}

    # when they draft a dispatch from it: only experts covering Tokyo are offered
    page.get_by_role("link", name="この相談から専門家派遣の下書きを作る").click()
    expect(page.get_by_label("支援の内容")).to_have_value(PROBLEM)
    expert_select = page.get_by_role("combobox", name=re.compile("^専門家"))
    expect(expert_select).to_contain_text("佐藤 健一")
    expect(expert_select).not_to_contain_text("大阪 次郎")
    page.get_by_label("支援分野").select_option(label="IT・Web活用")
    expert_select.select_option(label="佐藤 健一（東京都）・Web集客の専門家")
    page.get_by_label("支援日").fill(day.isoformat())
    page.get_by_label("開始時刻").fill("14:00")
    page.get_by_label("終了時刻").fill("16:00")
    page.get_by_label("支援場所").fill("東京都港区芝公園4-2-8 みなと製作所 本社会議室")
    screenshot(page, "dispatch-02-draft-form")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("派遣の下書きを作成しました。")).to_be_visible()
    expect(page.locator(".status-line")).to_have_text("下書き（支援機関）")

    # and apply
    page.get_by_role("button", name="事務局に申請する").click()
    expect(page.get_by_text("申請しました。事務局の審査をお待ちください。")).to_be_visible()
    expect(page.locator(".status-line")).to_have_text("申請中（事務局の審査待ち）")
    case = DispatchCase.objects.get()
    case_path = f"/dispatch/{case.pk}/"
    assert case.consultation == consultation and case.expert == expert
    assert (case.starts_at, case.ends_at) == (starts_at, ends_at)
    deliver_mail()
    (applied,) = _received(smtp_server, "派遣")
    assert applied["to"] == [settings.SECRETARIAT_EMAIL]

    # when the secretariat logs in (TOTP), finds it in the review queue and approves it
    office = open_page()
    log_in(office, secretariat.email, factories.PASSWORD, device=secretariat_device)
    office.get_by_role("link", name="審査待ちの派遣申請").first.click()
    office.get_by_role("row", name="株式会社みなと製作所").get_by_role("link").click()
    expect(office).to_have_url(re.compile(re.escape(case_path) + "$"))
    screenshot(office, "dispatch-03-secretariat-review")
    office.get_by_role("button", name="承認する").click()
    expect(office.get_by_text("承認しました。専門家に依頼を送りました。")).to_be_visible()
    expect(office.locator(".status-line")).to_have_text("承認済み（専門家の回答待ち）")

    # then the expert and the organisation get mail through SMTP
    smtp_server.messages.clear()
    deliver_mail()
    (request_mail,) = _received(smtp_server, "専門家派遣のご依頼")
    assert request_mail["to"] == [expert.user.email]
    (approved_mail,) = _received(smtp_server, "派遣申請が承認されました")
    assert coordinator.email in approved_mail["to"]
    assert len(smtp_server.messages) == 2

    # when the expert logs in, follows the link in the request mail and accepts
    expert_page = open_page()
    log_in(expert_page, expert.user.email, factories.PASSWORD)
    expert_page.goto(_link_path(request_mail["message"]))
    expect(expert_page.get_by_role("heading", name=f"専門家派遣 #{case.pk}：株式会社みなと製作所")).to_be_visible()
    expect(expert_page.locator(".facts")).to_contain_text(f"{day.year}年{day.month}月{day.day}日 14:00〜16:00")
    screenshot(expert_page, "dispatch-04-expert-request")
    expert_page.get_by_role("button", name="引き受ける").click()
    expect(expert_page.get_by_text("派遣を引き受けました。日程を関係者に送りました。")).to_be_visible()

    # then the coordinator's case page shows the scheduled state and the whole timeline
    page.goto(case_path)
    expect(page.locator(".status-line")).to_have_text("日程確定")
    expect(page.get_by_role("status")).to_contain_text("株式会社みなと製作所（中小企業者）")
    timeline = page.locator(".timeline li")
    expect(timeline).to_have_count(4)
    expect(timeline.nth(0)).to_contain_text(_step("下書き（支援機関）", "（相談員 花子）"))
    expect(timeline.nth(1)).to_contain_text(_step("下書き（支援機関） →", "申請中（事務局の審査待ち）", "（相談員 花子）"))
    expect(timeline.nth(2)).to_contain_text(
        _step("申請中（事務局の審査待ち） →", "承認済み（専門家の回答待ち）", "（事務局 一郎）")
    )
    expect(timeline.nth(3)).to_contain_text(_step("承認済み（専門家の回答待ち） →", "日程確定", "（佐藤 健一）"))
    screenshot(page, "dispatch-05-scheduled")
    case.refresh_from_db()
    assert case.state == State.SCHEDULED

    # and the SME member, the expert and the coordinator receive the invitation at the proposed time
    smtp_server.messages.clear()
    deliver_mail()
    (scheduled,) = _received(smtp_server, "日程が確定しました")
    assert len(smtp_server.messages) == 1
    assert {sme.email, expert.user.email, coordinator.email} <= set(scheduled["to"])
    assert f"{day.month}月{day.day}日 14:00" in scheduled["message"]["Subject"]
    (attachment,) = [p for p in scheduled["message"].iter_attachments() if p.get_content_type() == "text/calendar"]
    assert attachment.get_filename().endswith(".ics")
    (calendar,) = _calendars(scheduled["message"])
    event = next(c for c in calendar.walk() if c.name == "VEVENT")
    assert event.decoded("DTSTART") == starts_at
    assert event.decoded("DTEND") == ends_at
    assert str(event["LOCATION"]) == "東京都港区芝公園4-2-8 みなと製作所 本社会議室"
    attendees = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")}
    assert {sme.email, expert.user.email, coordinator.email} <= attendees
