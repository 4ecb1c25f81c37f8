"""Desk pages in English: the booking's state, channel, source and date read in English; Japanese pages
are unchanged, and the mails stay Japanese whoever books."""

import base64

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse

from notifications.models import Outbox
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db


def booked(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    return day, world.book(at(day, 10, 30))


def test_the_booking_page_shows_state_channel_and_date_in_english(login, world):
    day, booking = booked(world)
    client = login(world.sme)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("desk:booking", args=[booking.pk])).content.decode()
    assert ">Booked</span>" in page
    assert "<dd>Video call</dd>" in page and "Radio advertisement" in page
    assert f"<dd>{day:%a}, {day:%b} {day.day}, {day.year} 10:30〜11:30</dd>" in page
    assert "予約済み" not in page and "ラジオCM" not in page and f"{day.month}月{day.day}日" not in page


def test_the_booking_page_stays_japanese_by_default(login, world):
    day, booking = booked(world)
    page = login(world.sme).get(reverse("desk:booking", args=[booking.pk])).content.decode()
    weekday = "月火水木金土日"[day.weekday()]
    assert ">予約済み</span>" in page and "<dd>Web会議</dd>" in page and "ラジオCM" in page
    assert f"<dd>{day.year}年{day.month}月{day.day}日（{weekday}） 10:30〜11:30</dd>" in page


def test_booking_mails_stay_japanese_when_the_sme_books_in_english(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    client = login(world.sme)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("desk:book", args=[world.desk.pk]) + f"?start={day.isoformat()}T10:30", {
        "company": world.company.pk, "channel": "phone", "theme": world.theme.pk,
        "description": "事業承継について相談したい。", "source": "flyer",
    })
    weekday = "月火水木金土日"[day.weekday()]
    mails = list(Outbox.objects.filter(template="desk_booked"))
    assert len(mails) == 2  # the SME's and the consultant's
    for mail in mails:
        assert mail.subject.startswith("【よろず】オンライン相談の")
        assert f"日時：{day.year}年{day.month}月{day.day}日（{weekday}） 10:30〜11:30" in mail.body_text
        assert "相談方法：電話" in mail.body_text
        invitation = icalendar.Calendar.from_ical(base64.b64decode(mail.attachments[0]["content"]))
        event = next(c for c in invitation.walk() if c.name == "VEVENT")
        assert str(event["SUMMARY"]) == "オンライン経営相談（電話）：株式会社ぱそな建設"
