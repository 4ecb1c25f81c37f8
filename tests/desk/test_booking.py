"""SMEs and 経営指導員 book free slots; a consultant is never double-booked; both sides get mail and an .ics."""

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from desk import actions, ics
from desk.models import Booking, Channel, Source
from tests import factories
from tests.desk.builders import at, business_day

pytestmark = pytest.mark.django_db


def calendars(message):
    return [icalendar.Calendar.from_ical(part.get_payload(decode=True))
            for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]


def event_of(calendar):
    return next(c for c in calendar.walk() if c.name == "VEVENT")


def body(message):
    return message.get_body(("plain",)).get_content()


def test_an_sme_books_a_free_slot_and_a_consultant_on_shift_takes_it(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30))
    assert booking.consultant == world.consultant_a
    assert (booking.starts_at, booking.ends_at) == (at(day, 10, 30), at(day, 11, 30))
    assert booking.source == Source.RADIO and not booking.by_adviser
    assert booking.shokokai == world.shokokai  # the company's registered 商工会


def test_both_sides_get_the_meeting_link_and_the_same_invitation_over_smtp(world, smtp_server, deliver_mail):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30))
    deliver_mail()
    by_recipient = {tuple(m["to"]): m["message"] for m in smtp_server.messages}
    sme_mail, consultant_mail = by_recipient[(world.sme.email,)], by_recipient[(world.consultant_a.email,)]
    assert "ご予約を承りました" in sme_mail["Subject"]
    assert "担当が決まりました" in consultant_mail["Subject"]
    room_url = f"https://meet.jit.si/yorozu-{booking.room}"
    assert room_url in body(sme_mail) and room_url in body(consultant_mail)
    assert "/desk/m/" in body(sme_mail) and "/desk/m/" not in body(consultant_mail)
    assert "来月の資金繰りが厳しく" in body(consultant_mail)
    for message in (sme_mail, consultant_mail):
        (calendar,) = calendars(message)
        event = event_of(calendar)
        assert str(event["UID"]) == ics.uid_for(booking)
        assert event.decoded("DTSTART") == booking.starts_at and event.decoded("DTEND") == booking.ends_at
        assert str(event["LOCATION"]) == room_url
        attendees = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")}
        assert attendees == {world.sme.email, world.consultant_a.email}


def test_a_phone_booking_mails_the_desk_number(world, smtp_server, deliver_mail):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 13, 30), channel=Channel.PHONE)
    deliver_mail()
    sme_mail = next(m["message"] for m in smtp_server.messages if m["to"] == [world.sme.email])
    assert "043-305-1234" in body(sme_mail)
    assert str(event_of(calendars(sme_mail)[0])["LOCATION"]) == "電話 043-305-1234"
    assert booking.meeting_url == ""


def test_a_shokokai_adviser_books_for_a_member_company_and_the_members_are_mailed(world, smtp_server, deliver_mail):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30), actor=world.adviser, source=Source.SHOKOKAI)
    assert booking.by_adviser and booking.shokokai == world.shokokai and booking.booked_by == world.adviser
    deliver_mail()
    sme_side = next(m for m in smtp_server.messages if world.consultant_a.email not in m["to"])
    assert set(sme_side["to"]) == {world.adviser.email, world.sme.email}


def test_an_adviser_may_book_for_a_company_the_shokokai_has_consulted(world):
    from tests.consultations.builders import consult

    day = business_day(3)
    world.shift(world.consultant_a, day)
    company, _ = factories.company_with_member(name="有限会社府中青果")
    consult(world.adviser, world.shokokai, company)
    booking = world.book(at(day, 10, 30), actor=world.adviser, company=company)
    assert booking.shokokai == world.shokokai


def test_an_adviser_cannot_book_for_a_company_outside_the_shokokai(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    stranger, _ = factories.company_with_member()
    with pytest.raises(PermissionDenied):
        world.book(at(day, 10, 30), actor=world.adviser, company=stranger)
    assert not Booking.objects.exists()


def test_an_sme_cannot_book_for_someone_elses_company(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    _, other_sme = factories.company_with_member()
    with pytest.raises(PermissionDenied):
        world.book(at(day, 10, 30), actor=other_sme)


def test_a_slot_without_a_free_consultant_is_refused(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    world.book(at(day, 10, 30))
    other_company, other_sme = factories.company_with_member()
    with pytest.raises(actions.Refused) as refused:
        world.book(at(day, 10, 30), actor=other_sme, company=other_company)
    assert "たった今ほかの予約で埋まりました" in str(refused.value)
    assert Booking.objects.count() == 1


def test_two_consultants_on_duty_take_two_bookings_of_the_same_slot(world):
    day = business_day(3)
    world.staff_day(day)
    other_company, other_sme = factories.company_with_member()
    first = world.book(at(day, 10, 30))
    second = world.book(at(day, 10, 30), actor=other_sme, company=other_company)
    assert {first.consultant, second.consultant} == {world.consultant_a, world.consultant_b}


def test_the_day_is_spread_over_the_consultants_on_duty(world):
    day = business_day(3)
    world.staff_day(day)
    first = world.book(at(day, 9, 30))
    other_company, other_sme = factories.company_with_member()
    second = world.book(at(day, 11, 30), actor=other_sme, company=other_company)
    assert first.consultant != second.consultant


@pytest.mark.parametrize("when, message", [
    (lambda: at(business_day(3), 8, 30), "受付時間外です"),
    (lambda: at(business_day(3), 15, 0), "受付時間外です"),
    (lambda: at(datetime.date(2027, 1, 11), 10, 30), "祝日（成人の日）"),
    (lambda: at(business_day(3) + datetime.timedelta(days=(5 - business_day(3).weekday()) % 7 or 7), 10, 30), "定休日"),
])
def test_a_booking_outside_hours_or_on_a_closed_day_is_refused_and_nothing_saved(world, when, message):
    with pytest.raises(actions.Refused) as refused:
        world.book(when())
    assert message in str(refused.value)
    assert not Booking.objects.exists()


def test_a_booking_too_close_to_its_start_is_refused(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    with pytest.raises(actions.Refused) as refused:
        actions.book(world.sme, world.desk.pk, world.company.pk, at(day, 10, 30),
                     {"channel": Channel.WEB, "source": Source.WEB}, now=at(day, 10))
    assert "締め切りました" in str(refused.value)


def test_a_company_may_hold_only_the_desks_number_of_open_bookings(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    world.book(at(day, 9, 30))
    world.book(at(day, 10, 30))
    with pytest.raises(actions.Refused) as refused:
        world.book(at(day, 11, 30))
    assert "すでに2件お持ちです" in str(refused.value)


def test_without_the_fixed_consultant_setting_a_consultant_cannot_be_requested(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    with pytest.raises(actions.Refused) as refused:
        world.book(at(day, 10, 30), consultant=world.consultant_a)
    assert "相談員を指名できません" in str(refused.value)


def test_a_requested_consultant_gets_the_booking_or_it_is_refused(world):
    world.desk.allow_fixed_consultant = True
    world.desk.save(update_fields=["allow_fixed_consultant"])
    day = business_day(3)
    world.staff_day(day)
    booking = world.book(at(day, 10, 30), consultant=world.consultant_b)
    assert booking.consultant == world.consultant_b and booking.consultant_requested
    other_company, other_sme = factories.company_with_member()
    with pytest.raises(actions.Refused) as refused:
        world.book(at(day, 10, 30), actor=other_sme, company=other_company, consultant=world.consultant_b)
    assert "指名した相談員は、この枠では対応できません" in str(refused.value)


def test_the_booking_page_books_and_shows_the_booking(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    client = login(world.sme)
    url = reverse("desk:book", args=[world.desk.pk]) + f"?start={day.isoformat()}T10:30"
    page = client.get(url)
    assert page.status_code == 200 and "相談を予約する" in page.content.decode()
    response = client.post(url, {
        "company": world.company.pk, "channel": "web", "theme": world.theme.pk,
        "description": "事業承継について相談したい。", "source": "flyer", "contact_phone": "090-1234-5678",
    }, follow=True)
    booking = Booking.objects.get()
    assert response.redirect_chain[-1][0] == reverse("desk:booking", args=[booking.pk])
    content = response.content.decode()
    assert "予約しました" in content and booking.meeting_url in content
    assert booking.contact_phone == "090-1234-5678" and booking.source == Source.FLYER


def test_the_booking_page_says_when_the_slot_was_taken_meanwhile(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    other_company, other_sme = factories.company_with_member()
    client = login(other_sme)
    url = reverse("desk:book", args=[world.desk.pk]) + f"?start={day.isoformat()}T10:30"
    client.get(url)
    world.book(at(day, 10, 30))  # someone else is quicker
    response = client.post(url, {"company": other_company.pk, "channel": "web", "description": "販路の相談",
                                 "source": "web"})
    assert response.status_code == 200
    assert "たった今ほかの予約で埋まりました" in response.content.decode()
    assert Booking.objects.count() == 1


def test_the_booking_page_refuses_a_holiday_with_a_clear_message(login, world):
    client = login(world.sme)
    url = reverse("desk:book", args=[world.desk.pk]) + "?start=2027-01-11T10:30"
    response = client.post(url, {"company": world.company.pk, "channel": "web", "description": "相談",
                                 "source": "web"})
    assert "成人の日" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_booking_page_asks_how_they_heard_of_the_desk(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    url = reverse("desk:book", args=[world.desk.pk]) + f"?start={day.isoformat()}T10:30"
    response = login(world.sme).post(url, {"company": world.company.pk, "channel": "web", "description": "相談"})
    assert "窓口を知ったきっかけを選んでください" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_booking_is_downloadable_as_ics(login, world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30))
    response = login(world.sme).get(reverse("desk:ics", args=[booking.pk]))
    event = event_of(icalendar.Calendar.from_ical(response.content))
    assert event.decoded("DTSTART") == booking.starts_at
