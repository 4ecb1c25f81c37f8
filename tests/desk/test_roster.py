"""The roster shows every hour below the minimum in red, with words and an icon; the desk
administrator gets a weekly mail of the gaps."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from desk.models import GapNotice
from desk.notices import send_gap_mails
from desk.rules import monday_of
from notifications.models import Outbox
from tests import factories
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db


def next_week_monday():
    from django.utils import timezone

    return monday_of(timezone.localdate()) + datetime.timedelta(days=7)


def cells(html):
    return re.findall(r'<td class="(gap|covered|closed)">(.*?)</td>', html, re.S)


def test_hours_below_the_minimum_are_marked_as_gaps_in_words(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day, (9, 30), (12, 30))
    world.shift(world.consultant_b, day, (9, 30), (10, 30))
    response = login(world.chief).get(reverse("desk:roster", args=[world.desk.pk]) + f"?week={day.isoformat()}")
    html = response.content.decode()
    marked = [(cls, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for cls, text in cells(html) if cls != "closed"]
    # the day's column: 09:30 has both, 10:30 and 11:30 one, 12:30–14:30 none (other days: none)
    assert ("covered", "✓ 2名 佐藤 健一、鈴木 美咲") in marked  # names in kana order
    assert any(cls == "gap" and text.startswith("⚠ 1名（1名不足）") and "佐藤 健一" in text for cls, text in marked)
    assert any(cls == "gap" and text.startswith("⚠ 0名（2名不足）") for cls, text in marked)
    assert "最低配置人数（2名）に届かない時間帯が" in html


def test_a_holiday_column_says_why_it_is_closed(login, world):
    response = login(world.chief).get(reverse("desk:roster", args=[world.desk.pk]) + "?week=2027-01-11")
    html = response.content.decode()
    assert "祝日（成人の日）" in html
    assert '<td class="closed">休</td>' in html


def test_bookings_are_counted_in_the_roster(login, world):
    day = business_day(3)
    world.staff_day(day)
    world.book(at(day, 10, 30))
    html = login(world.consultant_a).get(reverse("desk:roster", args=[world.desk.pk]) + f"?week={day.isoformat()}").content.decode()
    assert "予約 1件" in html


def test_the_roster_page_needs_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    day = business_day(3)
    client = login(world.consultant_a)
    url = reverse("desk:roster", args=[world.desk.pk]) + f"?week={day.isoformat()}"
    world.shift(world.consultant_a, day)
    client.get(url)
    with django_assert_max_num_queries(11) as few:
        client.get(url)
    for index in range(6):  # more consultants, shifts and bookings
        consultant = world.consultant(f"相談員{index}", "そうだんいん")
        world.shift(consultant, day)
        company, sme = factories.company_with_member()
        world.book(at(day, 9, 30 if index % 2 else 30) + datetime.timedelta(hours=index % 5), actor=sme, company=company)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_an_outsider_does_not_see_the_roster(login, world):
    _, sme = factories.company_with_member()
    assert login(sme).get(reverse("desk:roster", args=[world.desk.pk])).status_code == 404


def test_the_weekly_gap_mail_lists_next_weeks_gaps_to_the_desk_chief(world):
    monday = next_week_monday()
    tuesday = monday + datetime.timedelta(days=1)
    from desk import actions

    for day in (monday, tuesday):
        if not actions.DeskCalendar(world.desk, day, day).closed_reason(day):
            world.staff_day(day)
    world.desk.min_consultants = 3
    world.desk.save(update_fields=["min_consultants"])
    call_command("send_desk_gaps")
    (mail,) = Outbox.objects.filter(template="desk_gaps")
    assert mail.to == [world.chief.email]
    assert "来週のシフトに不足があります" in mail.subject
    assert "09:30〜10:30：2名（1名不足）" in mail.body_text
    assert "0名（3名不足）" in mail.body_text  # the unstaffed days
    assert f"/desk/{world.desk.pk}/roster/?week={monday.isoformat()}" in mail.body_text


def test_the_gap_mail_is_sent_once_per_week(world):
    assert send_gap_mails() == 1
    assert send_gap_mails() == 0
    assert GapNotice.objects.count() == 1
    assert Outbox.objects.filter(template="desk_gaps").count() == 1


def test_no_gap_mail_when_every_hour_is_covered(world):
    world.desk.min_consultants = 1
    world.desk.save(update_fields=["min_consultants"])
    monday = next_week_monday()
    from desk.rules import DeskCalendar

    calendar = DeskCalendar(world.desk, monday, monday + datetime.timedelta(days=6))
    for offset in range(5):
        day = monday + datetime.timedelta(days=offset)
        if not calendar.closed_reason(day):
            world.shift(world.consultant_a, day)
    assert send_gap_mails() == 0
    assert GapNotice.objects.get().gaps == 0
