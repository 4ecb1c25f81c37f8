"""On acceptance everyone gets the schedule with an .ics; changes and cancellation update the same event."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from dispatch import actions, ics
from dispatch.models import State

pytestmark = pytest.mark.django_db


def calendars(message):
    found = []
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            found.append(icalendar.Calendar.from_ical(part.get_payload(decode=True)))
    return found


def event_of(calendar):
    return next(c for c in calendar.walk() if c.name == "VEVENT")


def test_acceptance_mails_sme_expert_and_staff_an_invitation_through_smtp(world, smtp_server, deliver_mail):
    # given an approved case and a real SMTP server
    case = world.case_in(State.APPROVED)
    deliver_mail()
    smtp_server.messages.clear()
    # when the expert accepts
    actions.accept_case(world.expert.user, case.pk)
    deliver_mail()
    # then one mail reaches the SME member, the expert and the coordinator, with the invitation
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert set(received["to"]) >= {world.sme.email, world.expert.user.email, world.staff.email}
    assert "日程が確定しました" in received["message"]["Subject"]
    (calendar,) = calendars(received["message"])
    assert str(calendar["METHOD"]) == "REQUEST"
    event = event_of(calendar)
    case.refresh_from_db()
    assert str(event["UID"]) == ics.uid_for(case)
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == case.starts_at
    assert event.decoded("DTEND") == case.ends_at
    assert event["DTSTART"].to_ical().decode().endswith("Z")
    assert str(event["LOCATION"]) == case.place
    assert world.company.name in str(event["SUMMARY"])
    attendees = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")}
    assert {world.sme.email, world.expert.user.email, world.staff.email} <= attendees


def test_cancelling_a_scheduled_case_sends_a_cancel_for_the_same_event(world, smtp_server, deliver_mail):
    case = world.case_in(State.SCHEDULED)
    deliver_mail()
    smtp_server.messages.clear()
    actions.cancel_case(world.staff, case.pk, "事業者の体調不良のため")
    deliver_mail()
    (received,) = smtp_server.messages
    assert "取り消されました" in received["message"]["Subject"]
    assert "事業者の体調不良のため" in received["message"].get_body(("plain",)).get_content()
    (calendar,) = calendars(received["message"])
    event = event_of(calendar)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == ics.uid_for(case)
    assert int(event["SEQUENCE"]) == 1


def test_rescheduling_sends_the_same_event_with_a_higher_sequence(world, smtp_server, deliver_mail):
    case = world.case_in(State.SCHEDULED)
    deliver_mail()
    smtp_server.messages.clear()
    start = case.starts_at + datetime.timedelta(days=2, hours=3)
    actions.reschedule_case(world.staff, case.pk, start, start + datetime.timedelta(hours=1), "Web会議", "専門家の都合")
    deliver_mail()
    (received,) = smtp_server.messages
    event = event_of(calendars(received["message"])[0])
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == start
    assert str(event["UID"]) == ics.uid_for(case)


def test_ics_text_escapes_folds_and_uses_crlf(world):
    case = world.case_in(State.SCHEDULED)
    case.place = "東京都千代田区霞が関1-3-1; 本館, 3階\n会議室A" + "（長い説明）" * 20
    text = ics.calendar_for(case, [("中小 太郎", "taro@example.jp")], now=timezone.now())
    # every line ends in CRLF and no line is longer than 75 octets
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "\n" not in text.replace("\r\n", "")
    # and a real parser reads the place back exactly
    event = event_of(icalendar.Calendar.from_ical(text))
    assert str(event["LOCATION"]) == case.place
    assert event.decoded("DTSTART") == case.starts_at
