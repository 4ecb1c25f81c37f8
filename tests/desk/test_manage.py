"""Cancel and reschedule from the signed link in the mail (no login), or from the booking page."""

import datetime
import re

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from desk import actions, ics
from desk.models import Booking
from notifications.models import Outbox
from tests import factories
from tests.desk.builders import at, business_day, open_day_weeks_after

pytestmark = pytest.mark.django_db


def mails_to(email, template):
    return [m for m in Outbox.objects.filter(template=template).order_by("created_at", "pk") if email in m.to]


def manage_path(email):
    mail = mails_to(email, "desk_booked")[-1]
    return re.search(r"https?://[^/\s]+(/desk/m/[^\s]+/)", mail.body_text).group(1)


def event(mail):
    import base64

    (item,) = mail.attachments
    calendar = icalendar.Calendar.from_ical(base64.b64decode(item["content"]))
    return calendar, next(c for c in calendar.walk() if c.name == "VEVENT")


@pytest.fixture
def booking(world):
    day = business_day(3)
    world.staff_day(day)
    return world.book(at(day, 10, 30))


def test_the_mailed_link_cancels_without_logging_in_and_both_sides_get_a_cancel(client, world, booking):
    path = manage_path(world.sme.email)
    page = client.get(path)
    assert page.status_code == 200 and "予約の確認・変更" in page.content.decode()
    response = client.post(path + "cancel/", {"reason": "急な来客のため"}, follow=True)
    assert "予約を取り消しました" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancel_reason == "急な来客のため"
    mails = Outbox.objects.filter(template="desk_cancelled")
    assert {tuple(m.to) for m in mails} == {(world.sme.email,), (booking.consultant.email,)}
    calendar, cancelled = event(mails[0])
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancelled["UID"]) == ics.uid_for(booking)
    assert int(cancelled["SEQUENCE"]) == 1


def test_a_forged_link_is_404(client, booking):
    assert client.get("/desk/m/123:forged/").status_code == 404
    assert client.post("/desk/m/123:forged/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_link_for_one_booking_cannot_cancel_another(world, booking):
    other_company, other_sme = factories.company_with_member()
    other = world.book(booking.starts_at, actor=other_sme, company=other_company)
    with pytest.raises(PermissionDenied):
        actions.cancel_booking(None, other.pk, link_token=actions.token_for(booking))


def test_the_mailed_link_reschedules_to_another_free_slot_and_updates_the_same_event(client, world, booking):
    path = manage_path(world.sme.email)
    day = timezone_date(booking.starts_at)
    new_start = at(day, 13, 30)
    page = client.get(path + "reschedule/" + f"?week={day.isoformat()}")
    assert "13:30〜14:30" in page.content.decode()
    client.post(path + "reschedule/", {"start": f"{day.isoformat()}T13:30"})
    booking.refresh_from_db()
    assert booking.starts_at == new_start and booking.ics_sequence == 1
    mails = Outbox.objects.filter(template="desk_rescheduled")
    assert len(mails) == 2
    _, updated = event(mails[0])
    assert str(updated["UID"]) == ics.uid_for(booking) and int(updated["SEQUENCE"]) == 1
    assert updated.decoded("DTSTART") == new_start


def test_rescheduling_to_a_taken_slot_is_refused_and_nothing_changes(world, booking):
    taken = at(timezone_date(booking.starts_at), 13, 30)
    for _ in range(2):  # both consultants busy at 13:30
        company, sme = factories.company_with_member()
        world.book(taken, actor=sme, company=company)
    with pytest.raises(actions.Refused) as refused:
        actions.reschedule_booking(world.sme, booking.pk, taken)
    assert "埋まりました" in str(refused.value)
    booking.refresh_from_db()
    assert booking.starts_at == at(timezone_date(taken), 10, 30) and booking.ics_sequence == 0


def test_rescheduling_keeps_the_consultant_when_free(world, booking):
    moved = actions.reschedule_booking(world.sme, booking.pk, at(timezone_date(booking.starts_at), 14, 30))
    assert moved.consultant == booking.consultant


def test_a_new_consultant_after_rescheduling_gets_the_event_and_the_old_one_a_cancel(world, booking):
    day = open_day_weeks_after(world.desk, timezone_date(booking.starts_at))
    other = world.consultant_b if booking.consultant == world.consultant_a else world.consultant_a
    world.shift(other, day)
    moved = actions.reschedule_booking(world.sme, booking.pk, at(day, 10, 30))
    assert moved.consultant == other
    cancels = Outbox.objects.filter(template="desk_cancelled")
    assert [m.to for m in cancels] == [[booking.consultant.email]]
    assert "別の相談員が担当します" in cancels[0].body_text
    assert mails_to(other.email, "desk_rescheduled")


def timezone_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_a_booking_cannot_be_cancelled_after_it_started(world, booking):
    with pytest.raises(actions.Refused) as refused:
        actions.cancel_booking(world.sme, booking.pk, now=booking.starts_at)
    assert "開始時刻を過ぎた予約は取消しできません" in str(refused.value)


def test_the_sme_cancels_from_the_booking_page(login, world, booking):
    response = login(world.sme).post(reverse("desk:cancel", args=[booking.pk]), {"reason": "体調不良"}, follow=True)
    assert "予約を取り消しました" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_the_adviser_who_booked_can_cancel(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30), actor=world.adviser)
    actions.cancel_booking(world.adviser, booking.pk, "日程の都合")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_an_outsider_cannot_see_or_cancel_a_booking(login, world, booking):
    _, outsider = factories.company_with_member()
    client = login(outsider)
    assert client.get(reverse("desk:booking", args=[booking.pk])).status_code == 404
    assert client.post(reverse("desk:cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED

