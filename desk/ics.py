"""iCalendar invitations for a desk booking, built with dispatch.ics's RFC 5545 helpers.

UID is stable per booking and SEQUENCE rises on every change, so a reschedule or cancellation
updates the one event in the SME's and the consultant's calendars.
"""

from django.conf import settings
from django.utils import timezone, translation

from dispatch.ics import escape_text, fold, quote_param, utc

from .models import Channel


def uid_for(booking):
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "yorozu.local"
    return f"desk-booking-{booking.pk}@{domain}"


def where(booking):
    """How to join: the meeting link, or the number to call."""
    if booking.channel == Channel.WEB:
        return booking.meeting_url
    return f"電話 {booking.desk.phone}"


def calendar_for(booking, attendees, method="REQUEST", now=None):
    """The .ics text; attendees: (name, email) pairs. method: REQUEST or CANCEL."""
    now = now or timezone.now()
    desk = booking.desk
    with translation.override("ja"):  # the invitation travels with the Japanese mail
        summary = f"オンライン経営相談（{booking.get_channel_display()}）：{booking.company_name}"
    how = (
        f"Web会議に参加：{booking.meeting_url}" if booking.channel == Channel.WEB
        else f"開始時刻に {desk.phone} へお電話ください。"
    )
    description = "\n".join(line for line in [
        f"窓口：{desk.organisation.name} {desk.name}",
        f"事業者：{booking.company_name}",
        f"相談テーマ：{booking.theme.name}" if booking.theme_id else "",
        how,
        f"{settings.SITE_URL}/desk/bookings/{booking.pk}/",
    ] if line)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//yorozu//desk//JA",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid_for(booking)}",
        f"SEQUENCE:{booking.ics_sequence}",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(booking.starts_at)}",
        f"DTEND:{utc(booking.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(where(booking))}",
        f"DESCRIPTION:{escape_text(description)}",
    ]
    if booking.channel == Channel.WEB:
        lines.append(f"URL:{booking.meeting_url}")
    organiser = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].strip("> ")
    lines += [
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}",
        f"ORGANIZER;CN={quote_param(desk.organisation.name)}:mailto:{organiser}",
    ]
    for name, email in attendees:
        lines.append(f"ATTENDEE;CN={quote_param(name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{email}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def attachment_for(booking, attendees, method="REQUEST"):
    name = "cancel.ics" if method == "CANCEL" else "invite.ics"
    return (f"desk-{booking.pk}-{name}", calendar_for(booking, attendees, method).encode("utf-8"), "text/calendar")
