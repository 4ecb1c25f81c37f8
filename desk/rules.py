"""When the desk is open, which slots exist, who is on duty and who is free (no side effects).

Everything for one week is read in a fixed number of queries (hours, closures, shifts,
bookings) and computed in Python, so roster and slot pages do not grow queries with data.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from accounts.roles import Role
from core.dates import holiday_name, is_year_end_closure

from .models import Booking, Shift


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def at(day, time):
    """An aware datetime for a local date and time (Asia/Tokyo)."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def day_label(day):
    """11月25日（火）, or "Wed, Nov 25" in English."""
    return formats.date_format(day, "MONTH_DAY_WEEKDAY_FORMAT")


def moment_label(moment):
    """2026年11月25日（火） 10:30, or "Wed, Nov 25, 2026 10:30" in English."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_WEEKDAY_FORMAT")


def span_label(starts_at, ends_at):
    return f"{moment_label(starts_at)}〜{timezone.localtime(ends_at):%H:%M}"


def japanese_span_label(starts_at, ends_at):
    """The span for audit rows and mails, which are Japanese whatever language the actor browses in."""
    with translation.override("ja"):
        return span_label(starts_at, ends_at)


class DeskCalendar:
    """The desk's weekly hours and the closures between two dates, read once."""

    def __init__(self, desk, first, last, hours=None):
        self.desk = desk
        hours = hours if hours is not None else desk.hours.select_related("theme")
        self.hours = {h.weekday: h for h in hours}
        self.closures = {c.date: c.reason for c in desk.closures.filter(date__range=(first, last))}

    def closed_reason(self, day):
        """Why the desk is closed on `day` (Japanese), or "" when it is open."""
        if day in self.closures:
            reason = self.closures[day]
            return _("臨時休業（%(reason)s）") % {"reason": reason} if reason else _("臨時休業")
        name = holiday_name(day)
        if name:
            return _("祝日（%(name)s）") % {"name": name}
        if self.desk.closed_year_end and is_year_end_closure(day):
            return _("年末年始の休業")
        if day.weekday() not in self.hours:
            return _("定休日")
        return ""

    def hours_on(self, day):
        return self.hours.get(day.weekday())

    def theme_on(self, day):
        hours = self.hours_on(day)
        return hours.theme if hours else None

    def slots(self, day):
        """(start, end) of every slot on `day`; none when closed."""
        if self.closed_reason(day):
            return []
        hours = self.hours_on(day)
        start, close, step = at(day, hours.opens_at), at(day, hours.closes_at), self.desk.slot
        found = []
        while start + step <= close:
            found.append((start, start + step))
            start += step
        return found


@dataclass
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    on_duty: list = field(default_factory=list)  # (consultant id, name)
    busy: set = field(default_factory=set)  # consultant ids with a booking then
    booked: int = 0  # bookings of this desk in the slot
    minimum: int = 1

    @property
    def free_ids(self):
        return [pk for pk, _ in self.on_duty if pk not in self.busy]

    @property
    def shortfall(self):
        return max(self.minimum - len(self.on_duty), 0)

    @property
    def start_param(self):
        """The slot's start as the booking links carry it (local time)."""
        return f"{timezone.localtime(self.starts_at):%Y-%m-%dT%H:%M}"

    @property
    def time_label(self):
        return f"{timezone.localtime(self.starts_at):%H:%M}〜{timezone.localtime(self.ends_at):%H:%M}"


@dataclass
class Day:
    day: datetime.date
    closed: str
    theme: object
    slots: list
    scheduled: bool = True  # the desk has hours on this weekday (closed or not)

    @property
    def label(self):
        return day_label(self.day)


def week(desk, monday):
    """The seven days from `monday` with every slot's duty and bookings (4 queries)."""
    last = monday + datetime.timedelta(days=6)
    calendar = DeskCalendar(desk, monday, last)
    start, end = at(monday, datetime.time.min), at(last + datetime.timedelta(days=1), datetime.time.min)
    shifts = list(
        Shift.objects.filter(desk=desk, starts_at__lt=end, ends_at__gt=start)
        .order_by("consultant__name_kana", "consultant_id")
        .values_list("consultant_id", "consultant__name", "starts_at", "ends_at")
    )
    consultant_ids = {s[0] for s in shifts}
    bookings = list(
        Booking.objects.active().filter(Q(desk=desk) | Q(consultant_id__in=consultant_ids))
        .overlapping(start, end).values_list("desk_id", "consultant_id", "starts_at", "ends_at", "kind")
    )
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        slots = []
        for slot_start, slot_end in calendar.slots(day):
            slot = Slot(slot_start, slot_end, minimum=desk.min_consultants)
            slot.on_duty = [(pk, name) for pk, name, s, e in shifts if s <= slot_start and e >= slot_end]
            for desk_id, consultant_id, s, e, kind in bookings:
                if s < slot_end and e > slot_start:
                    slot.busy.add(consultant_id)
                    if desk_id == desk.pk and kind == Booking.Kind.BOOKED:
                        slot.booked += 1
            slots.append(slot)
        days.append(Day(day, calendar.closed_reason(day), calendar.theme_on(day), slots,
                        scheduled=calendar.hours_on(day) is not None))
    return days


def grid(days):
    """Rows of the roster table over the union of slot times: (time, [(day, slot or None) per day])."""
    times = sorted({timezone.localtime(s.starts_at).time() for d in days for s in d.slots})
    by_day = [{timezone.localtime(s.starts_at).time(): s for s in d.slots} for d in days]
    return [(t, [(day, cells.get(t)) for day, cells in zip(days, by_day)]) for t in times]


def booking_window(desk, now=None):
    """The first and last moment a new booking may start."""
    now = now or timezone.now()
    first = now + datetime.timedelta(hours=desk.notice_hours)
    last_day = timezone.localtime(now).date() + datetime.timedelta(weeks=desk.booking_weeks)
    return first, at(last_day + datetime.timedelta(days=1), datetime.time.min)


def slot_refusal(desk, starts_at, now=None):
    """Why a booking may not start at `starts_at` (Japanese), or "" when the slot exists and is open."""
    now = now or timezone.now()
    local = timezone.localtime(starts_at)
    day = local.date()
    calendar = DeskCalendar(desk, day, day)
    closed = calendar.closed_reason(day)
    if closed:
        return _("%(day)sは%(reason)sのため、窓口はお休みです。別の日を選んでください。") % {
            "day": day_label(day), "reason": closed}
    if starts_at not in {s for s, _ in calendar.slots(day)}:
        hours = calendar.hours_on(day)
        return _("受付時間外です。%(day)sの受付は%(opens)s〜%(closes)sです（1枠%(minutes)s分）。") % {
            "day": day_label(day), "opens": f"{hours.opens_at:%H:%M}", "closes": f"{hours.closes_at:%H:%M}",
            "minutes": desk.slot_minutes}
    if starts_at <= now:
        return _("この時間はすでに過ぎています。別の枠を選んでください。")
    first, last = booking_window(desk, now)
    if starts_at < first:
        return _("この枠の予約受付は締め切りました（開始の%(n)s時間前まで）。別の枠を選んでください。") % {
            "n": desk.notice_hours}
    if starts_at >= last:
        return _("予約は%(n)s週間先まで受け付けています。") % {"n": desk.booking_weeks}
    return ""


def free_days(desk, monday, consultant_id=None, now=None):
    """The week as the booking page shows it: per day, the slots a consultant is free in."""
    first, last = booking_window(desk, now)
    days = week(desk, monday)
    for day in days:
        day.slots = [
            s for s in day.slots
            if first <= s.starts_at < last
            and (s.free_ids if consultant_id is None else consultant_id in s.free_ids)
        ]
    return days


def consultants(desk):
    """Users who staff this desk: an approved オンライン相談員 role at its organisation."""
    return User.objects.filter(
        is_active=True,
        role_grants__role=Role.DESK, role_grants__organisation_id=desk.organisation_id,
        role_grants__status=RoleGrant.Status.APPROVED,
    ).order_by("name_kana", "pk")
