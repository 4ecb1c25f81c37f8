"""The slot page offers only times when a consultant on shift is free."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db


def offered(html):
    return re.findall(r'\?start=([0-9T:-]+)', html)


def test_only_hours_with_a_free_consultant_on_shift_are_offered(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day, (9, 30), (11, 30))
    world.book(at(day, 9, 30))
    html = login(world.sme).get(reverse("desk:slots", args=[world.desk.pk]) + f"?week={day.isoformat()}").content.decode()
    assert offered(html) == [f"{day.isoformat()}T10:30"]


def test_the_weekday_theme_is_shown(login, world):
    day = business_day(3)
    hours = world.desk.hours.get(weekday=day.weekday())
    hours.theme = world.theme
    hours.save(update_fields=["theme"])
    html = login(world.sme).get(reverse("desk:slots", args=[world.desk.pk]) + f"?week={day.isoformat()}").content.decode()
    assert "テーマ：資金繰り・財務" in html


def test_a_holiday_is_shown_as_closed(login, world):
    html = login(world.sme).get(reverse("desk:slots", args=[world.desk.pk]) + "?week=2027-01-11").content.decode()
    assert "祝日（成人の日）のため、お休みです" in html


def test_a_requested_consultant_filters_the_slots(login, world):
    world.desk.allow_fixed_consultant = True
    world.desk.save(update_fields=["allow_fixed_consultant"])
    day = business_day(3)
    world.shift(world.consultant_a, day, (9, 30), (10, 30))
    world.shift(world.consultant_b, day, (13, 30), (14, 30))
    url = reverse("desk:slots", args=[world.desk.pk]) + f"?week={day.isoformat()}&consultant={world.consultant_b.pk}"
    html = login(world.sme).get(url).content.decode()
    assert offered(html) == [f"{day.isoformat()}T13:30"]


def test_the_slot_page_needs_a_fixed_number_of_queries(login, world, django_assert_max_num_queries):
    day = business_day(3)
    client = login(world.sme)
    url = reverse("desk:slots", args=[world.desk.pk]) + f"?week={day.isoformat()}"
    world.shift(world.consultant_a, day)
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for index in range(6):
        consultant = world.consultant(f"相談員{index}", "そうだんいん")
        world.shift(consultant, day)
        company, sme = factories.company_with_member()
        world.book(at(day, 9, 30) + datetime.timedelta(hours=index % 5), actor=sme, company=company)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(offered(response.content.decode())) == 6


def test_anonymous_visitors_are_asked_to_log_in_to_see_slots(client, world):
    response = client.get(reverse("desk:slots", args=[world.desk.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
