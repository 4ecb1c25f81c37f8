"""Matching a mail by hand: the suggested cases show an evening visit past midnight as 20:00〜翌1:00."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import State
from notifications.inbound import ingest
from tests.notifications.inbound_builders import build_mail, inbound_media, pasona  # noqa: F401  (fixtures)
from tests.visits.builders import move_visit

pytestmark = pytest.mark.django_db


def mail_page(login, world):
    mail = ingest(build_mail("お世話になっております", sender=world.sme.email)).mail
    return login(world.secretariat).get(reverse("notifications:mail_detail", args=[mail.pk])).content.decode()


def evening_of(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(20)))


def test_a_suggested_evening_visit_past_midnight_shows_its_next_day_end(login, pasona):
    # given the SME's visit planned from 20:00 to 1:00 the next day
    case = move_visit(pasona.case_in(State.SCHEDULED), evening_of(3), hours=5)
    # when the secretariat opens an unmatched mail from that SME
    page = mail_page(login, pasona)
    # then the case it suggests reads 20:00〜翌1:00
    assert f"#{case.pk} {evening_of(3):%Y-%m-%d} 20:00〜翌1:00 株式会社パソナ建設" in page


def test_a_suggested_daytime_visit_reads_as_before(login, pasona):
    case = pasona.case_in(State.SCHEDULED)
    start = timezone.localtime(case.starts_at)

    page = mail_page(login, pasona)

    assert f"#{case.pk} {start:%Y-%m-%d} 10:00〜12:00 株式会社パソナ建設" in page
