"""The cancel/reschedule link of a booking mail works until the session starts, and only for the
booking as it was mailed: after a cancel or a reschedule the old link says why it no longer works."""

import datetime
import re

import pytest
from django.core import signing

from desk import actions
from desk.models import Booking
from notifications.models import Outbox
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db


def link_in(mail):
    return re.search(r"https?://[^/\s]+(/desk/m/[^\s]+/)", mail.body_text).group(1)


def last_link(email, template):
    mails = [m for m in Outbox.objects.filter(template=template).order_by("pk") if email in m.to]
    return link_in(mails[-1])


@pytest.fixture
def booking(world):
    day = business_day(3)
    world.staff_day(day)
    return world.book(at(day, 10, 30))


def started(booking):
    """The session began a minute ago (the clock moved on; the booking itself is as mailed)."""
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    Booking.objects.filter(pk=booking.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=1))


def test_an_expired_link_says_so_and_changes_nothing(client, world, booking):
    path = last_link(world.sme.email, "desk_booked")
    started(booking)
    page = client.get(path).content.decode()
    assert "このリンクは相談の開始時刻" in page and "までのため、もう使えません" in page
    assert "予約を取り消す" not in page and booking.company.name not in page  # nothing of the booking shown
    page = client.post(path + "cancel/", {"reason": "遅れます"}, follow=True).content.decode()
    assert "もう使えません" in page and "予約を取り消しました" not in page
    page = client.post(path + "reschedule/", {"start": f"{business_day(3).isoformat()}T13:30"}, follow=True).content.decode()
    assert "もう使えません" in page
    before = (booking.starts_at, booking.ics_sequence)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and booking.ics_sequence == before[1]
    assert booking.starts_at != at(business_day(3), 13, 30) and not Outbox.objects.filter(template="desk_cancelled").exists()


def test_the_action_refuses_an_expired_link_in_japanese(booking):
    token = actions.token_for(booking)
    with pytest.raises(actions.Refused) as refused:
        actions.cancel_booking(None, booking.pk, link_token=token, now=booking.starts_at)
    assert "までのため、もう使えません" in str(refused.value)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_link_used_to_cancel_says_the_booking_is_cancelled(client, world, booking):
    path = last_link(world.sme.email, "desk_booked")
    page = client.post(path + "cancel/", {"reason": "体調不良"}, follow=True).content.decode()
    assert "予約を取り消しました" in page and "この予約は取り消されています。このリンクはもう使えません。" in page
    assert "この予約は取り消されています" in client.get(path).content.decode()
    assert Outbox.objects.filter(template="desk_cancelled").count() == 2  # the SME side and the consultant, once


def test_after_a_reschedule_the_old_link_is_spent_and_the_new_mail_brings_one_that_works(client, world, booking):
    old = last_link(world.sme.email, "desk_booked")
    day = business_day(3)
    response = client.post(old + "reschedule/", {"start": f"{day.isoformat()}T13:30"}, follow=True)
    page = response.content.decode()
    assert "予約の日時を変更しました" in page and "13:30〜14:30" in page and "予約を取り消す" in page  # the new link's page
    again = client.get(old).content.decode()
    assert "日時が変更されたため、このリンクはもう使えません" in again and "予約を取り消す" not in again
    client.post(old + "cancel/", {"reason": "古いリンクから"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and booking.starts_at == at(day, 13, 30)
    new = last_link(world.sme.email, "desk_rescheduled")
    assert new != old and response.redirect_chain[-1][0] == new
    client.post(new + "cancel/", {"reason": "新しいリンクから"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_a_reschedule_by_the_logged_in_sme_also_spends_the_mailed_link(client, world, booking):
    old = last_link(world.sme.email, "desk_booked")
    actions.reschedule_booking(world.sme, booking.pk, at(business_day(3), 14, 30))
    assert "日時が変更されたため" in client.get(old).content.decode()


def test_a_link_mailed_before_links_carried_a_version_works_until_the_booking_changes(client, world, booking):
    legacy = f"/desk/m/{signing.dumps(booking.pk, salt=actions.TOKEN_SALT)}/"
    assert "予約を取り消す" in client.get(legacy).content.decode()
    actions.reschedule_booking(world.sme, booking.pk, at(business_day(3), 14, 30))
    assert "このリンクはもう使えません" in client.get(legacy).content.decode()


def test_a_forged_link_is_still_404(client, booking):
    assert client.get("/desk/m/WzEsMF0:forged:sig/").status_code == 404
