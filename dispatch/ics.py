"""iCalendar (RFC 5545) invitations for a dispatch, written by hand (no dependency needed).

Times are written in UTC ("Z" form), so every calendar shows them in its own zone without
needing a VTIMEZONE block. UID is stable per case; SEQUENCE comes from the case and rises on
every change, so calendars update the one event instead of adding another (RFC 5546 §2.1.4).
"""

import datetime

from django.conf import settings
from django.utils import timezone


def escape_text(value):
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def quote_param(value):
    """Parameter values may not contain DQUOTE; quote them as they may contain ':', ';' or ','."""
    return '"' + str(value).replace('"', "'") + '"'


def fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 character (§3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with one space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def uid_for(case):
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "yorozu.local"
    return f"dispatch-{case.pk}@{domain}"


def calendar_for(case, attendees, method="REQUEST", now=None):
    """The .ics text for `case`; attendees: (name, email) pairs. method: REQUEST or CANCEL."""
    now = now or timezone.now()
    cancelled = method == "CANCEL"
    organiser = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].strip("> ")
    summary = f"専門家派遣：{case.company.name}（{case.expert.display_name}）"
    description = "\n".join([
        f"事業者：{case.company.name}",
        f"専門家：{case.expert.display_name}",
        f"支援機関：{case.organisation.name}",
        f"支援分野：{case.topic.name}",
        f"支援の内容：{case.request_text}",
        "当日は、中小企業者のご担当者が開始時刻と終了時刻を報告してください（±20分以内）。",
        f"{settings.SITE_URL}/dispatch/{case.pk}/",
    ])
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//yorozu//dispatch//JA",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid_for(case)}",
        f"SEQUENCE:{case.ics_sequence}",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(case.starts_at)}",
        f"DTEND:{utc(case.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(case.place)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{settings.SITE_URL}/dispatch/{case.pk}/",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"ORGANIZER;CN={quote_param('よろず 専門家派遣')}:mailto:{organiser}",
    ]
    for name, email in attendees:
        lines.append(
            f"ATTENDEE;CN={quote_param(name)};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{email}"
        )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def attachment_for(case, attendees, method="REQUEST"):
    text = calendar_for(case, attendees, method=method)
    name = "cancel.ics" if method == "CANCEL" else "invite.ics"
    return (f"dispatch-{case.pk}-{name}", text.encode("utf-8"), "text/calendar")
