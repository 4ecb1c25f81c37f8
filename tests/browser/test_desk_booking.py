"""Issue 7 in Chromium: a 商工会's 経営指導員 books the online desk for a member company; the SME,
the adviser and the consultant get the number and the invitation over SMTP; the SME opens the
mailed link on a phone and reschedules; the consultant sees the booking on the roster."""

import re

import icalendar
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from desk.models import Booking
from desk.rules import day_label, monday_of
from tests.browser.helpers import log_in, screenshot
from tests import factories
from tests.desk.builders import DeskWorld, at, business_day

pytestmark = pytest.mark.browser


def _calendar(message):
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return next(c for c in calendar.walk() if c.name == "VEVENT")


def _body(message):
    return message.get_body(("plain",)).get_content()


def test_an_adviser_books_for_a_member_company_and_the_sme_reschedules_from_the_mail(
    page, open_page, smtp_server, deliver_mail
):
    # given the federation's desk with a consultant on shift, and 府中市商工会's adviser whose member
    # company ぱそな建設 has an SME user
    world = DeskWorld()
    day = business_day(3)
    world.shift(world.consultant_a, day, (9, 30), (15, 30))
    device = TOTPDevice.objects.create(user=world.adviser, name="phone", confirmed=True)
    hours = world.desk.hours.get(weekday=day.weekday())
    hours.theme = world.theme
    hours.save(update_fields=["theme"])

    # when the adviser logs in, opens the online desk and looks at the week of that day
    log_in(page, world.adviser.email, factories.PASSWORD, device=device)
    page.get_by_role("navigation").get_by_role("link", name="オンライン相談").click()
    expect(page.get_by_role("heading", name="オンライン相談窓口", exact=True)).to_be_visible()
    page.get_by_role("link", name="空き時間を見て予約する").click()
    if monday_of(day) != monday_of(timezone.localdate()):
        page.get_by_role("link", name=re.compile("次の週")).click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(day_label(day))))).to_contain_text("資金繰り・財務")
    screenshot(page, "desk-01-free-slots")
    page.get_by_role("link", name=f"{day_label(day)} 10:30〜11:30 予約する").click()

    # and books for the member company: by phone, with the theme of the day preselected
    expect(page.get_by_text(f"{day.year}年{day_label(day)} 10:30〜11:30")).to_be_visible()
    page.get_by_label("相談する事業者").select_option(label="株式会社ぱそな建設（府中市）")
    page.get_by_role("group", name="相談方法").get_by_label("電話").check()
    expect(page.get_by_label("相談テーマ")).to_have_value(str(world.theme.pk))
    page.get_by_label("相談したいこと（簡単に）").fill("資材高騰で来月の資金繰りが厳しい。借入れの相談をしたい。")
    page.get_by_role("group", name="この窓口を何で知りましたか").get_by_label("商工会の紹介").check()
    screenshot(page, "desk-02-booking-form")
    page.get_by_role("button", name="予約する").click()

    # then the booking page shows it, booked on the member's behalf
    expect(page.get_by_text("予約しました。")).to_be_visible()
    expect(page.locator(".status-line")).to_have_text("予約済み")
    expect(page.get_by_text("経営指導員 指導 三郎 による代理予約")).to_be_visible()
    expect(page.get_by_role("link", name="043-305-1234")).to_have_attribute("href", "tel:0433051234")
    screenshot(page, "desk-03-booked")
    booking = Booking.objects.get()
    assert booking.by_adviser and booking.company == world.company and booking.consultant == world.consultant_a
    assert booking.starts_at == at(day, 10, 30)

    # and the SME member and the adviser get one mail, the consultant another, both with the invitation
    deliver_mail()
    sme_side = next(m for m in smtp_server.messages if world.sme.email in m["to"])
    assert set(sme_side["to"]) == {world.adviser.email, world.sme.email}
    consultant_mail = next(m for m in smtp_server.messages if m["to"] == [world.consultant_a.email])
    for received in (sme_side, consultant_mail):
        event = _calendar(received["message"])
        assert event.decoded("DTSTART") == at(day, 10, 30)
        assert str(event["LOCATION"]) == "電話 043-305-1234"
    assert "043-305-1234" in _body(sme_side["message"])

    # when the SME opens the mailed link on a phone (no login) and moves the session to 13:30
    link = re.search(r"https?://[^/\s]+(/desk/m/\S+/)", _body(sme_side["message"])).group(1)
    phone = open_page({"width": 375, "height": 812})
    phone.goto(link)
    expect(phone.get_by_role("heading", name="予約の確認・変更")).to_be_visible()
    screenshot(phone, "desk-04-mailed-link-phone")
    phone.get_by_role("link", name="日時を変更する").click()
    phone.get_by_role("button", name=f"{day_label(day)} 13:30〜14:30 に変更する").click()
    expect(phone.get_by_text("予約の日時を変更しました。")).to_be_visible()
    screenshot(phone, "desk-05-rescheduled-phone")
    booking.refresh_from_db()
    assert booking.starts_at == at(day, 13, 30) and booking.ics_sequence == 1

    # then the consultant's roster shows the booking in the new hour
    consultant_device = TOTPDevice.objects.create(user=world.consultant_a, name="phone", confirmed=True)
    staff = open_page()
    log_in(staff, world.consultant_a.email, factories.PASSWORD, device=consultant_device)
    staff.goto(f"/desk/{world.desk.pk}/roster/?week={day.isoformat()}")
    row = staff.get_by_role("row", name=re.compile("^13:30"))
    expect(row).to_contain_text("予約 1件")
    expect(row).to_contain_text("1名（1名不足）")
    screenshot(staff, "desk-06-roster")
