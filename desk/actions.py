"""Every change at a desk happens here: setup, closures, shifts, bookings, walk-ins, session records.

Each function takes the actor, checks the rule, locks what it changes (select_for_update), writes
the new state and an audit row in one transaction, and queues mail through the outbox (sent after
commit). A refusal raises Refused with Japanese reasons and nothing is saved.
"""

import datetime
from collections import Counter

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import ORG_ROLES, Role
from companies.models import Membership
from consultations.actions import record_consultation
from core import audit
from notifications.mail import queue_mail

from . import access, ics
from .models import (
    DEFAULT_CLOSES, DEFAULT_OPENS, ROOM_PLACEHOLDER, Booking, ClosureDay, Desk, OpeningHours, ShokokaiMember,
    Shift, Weekday,
)
from .rules import DeskCalendar, at, day_label, japanese_span_label, moment_label, slot_refusal, span_label

TOKEN_SALT = "desk.booking.manage"
DESK_FIELDS = [
    "name", "description", "phone", "meeting_url_template", "slot_minutes", "min_consultants", "booking_weeks",
    "notice_hours", "max_open_bookings", "allow_fixed_consultant", "closed_year_end", "is_active",
]
# Consultation records of a session are written by the desk's consultants as well as its staff.
RECORD_ROLES = frozenset(ORG_ROLES | {Role.DESK})
DEFAULT_HOURS = [(day, DEFAULT_OPENS, DEFAULT_CLOSES, None) for day in range(5)]  # Monday to Friday


class Refused(Exception):
    """A rule refuses the action; `reasons` are Japanese sentences shown to the user."""

    def __init__(self, *reasons):
        self.reasons = [r for r in reasons if r]
        super().__init__(" ".join(self.reasons))


def _now(now):
    return now or timezone.now()


# ---- setup -----------------------------------------------------------------------------------

def meeting_template_refusal(value):
    """Why a Web-meeting link template is unusable (Japanese), or ""."""
    if not value:
        return ""
    if ROOM_PLACEHOLDER not in value:
        return _("Web会議URLのひな形に、予約ごとの会議室を表す {room} を入れてください"
                 "（例：https://meet.jit.si/yorozu-{room}）。")
    if "{" in value.replace(ROOM_PLACEHOLDER, "") or "}" in value.replace(ROOM_PLACEHOLDER, ""):
        return _("Web会議URLのひな形に使える差し込み文字は {room} だけです。")
    try:
        URLValidator(schemes=["https"])(value.replace(ROOM_PLACEHOLDER, "room123"))
    except ValidationError:
        return _("Web会議URLのひな形は https:// で始まるURLにしてください。")
    return ""


def _settings_refusals(data, hours):
    """hours: (weekday, opens_at, closes_at, theme) for each open weekday."""
    reasons = [meeting_template_refusal(data.get("meeting_url_template", ""))]
    if not data.get("phone") and not data.get("meeting_url_template"):
        reasons.append(_("相談方法として、電話番号かWeb会議URLのひな形の少なくとも一方を設定してください。"))
    if not hours:
        reasons.append(_("受付する曜日を1つ以上選んでください。"))
    slot = data.get("slot_minutes") or 60
    for weekday, opens_at, closes_at, _theme in hours:
        name = Weekday(weekday).label
        if closes_at <= opens_at:
            reasons.append(_("%(weekday)sの受付終了は、受付開始より後の時刻にしてください。") % {"weekday": name})
        elif _minutes(closes_at) - _minutes(opens_at) < slot:
            reasons.append(_("%(weekday)sの受付時間が1枠（%(n)s分）より短くなっています。") % {"weekday": name, "n": slot})
    return [r for r in reasons if r]


def _minutes(time):
    return time.hour * 60 + time.minute


def _hours_snapshot(hours):
    with translation.override("ja"):  # audit rows are Japanese whatever language the actor browses in
        return [f"{Weekday(d).label} {o:%H:%M}-{c:%H:%M} {t or ''}".strip()
                for d, o, c, t in sorted(hours, key=lambda h: h[0])]


@transaction.atomic
def open_desk(actor, organisation, data, hours=None, request=None):
    """Open a desk for `organisation` (its chief coordinator or an administrator)."""
    if not (access.is_admin(actor) or organisation.pk in actor.chief_organisation_ids()):
        raise PermissionDenied
    if Desk.objects.filter(organisation=organisation).exists():
        raise Refused(_("この支援機関の窓口はすでに開設されています。"))
    hours = DEFAULT_HOURS if hours is None else hours
    reasons = _settings_refusals(data, hours)
    if reasons:
        raise Refused(*reasons)
    desk = Desk.objects.create(organisation=organisation, **{k: data[k] for k in DESK_FIELDS if k in data})
    _write_hours(desk, hours)
    audit.record(actor, "desk.opened", desk, {**audit.snapshot(desk, DESK_FIELDS), "hours": _hours_snapshot(hours)},
                 request=request)
    return desk


def _write_hours(desk, hours):
    desk.hours.all().delete()
    OpeningHours.objects.bulk_create([
        OpeningHours(desk=desk, weekday=d, opens_at=o, closes_at=c, theme=t) for d, o, c, t in hours
    ])


@transaction.atomic
def update_desk(actor, desk_id, data, hours, request=None):
    desk = Desk.objects.select_for_update().get(pk=desk_id)
    if not access.can_administer(actor, desk):
        raise PermissionDenied
    reasons = _settings_refusals(data, hours)
    if reasons:
        raise Refused(*reasons)
    before = {**audit.snapshot(desk, DESK_FIELDS),
              "hours": _hours_snapshot([(h.weekday, h.opens_at, h.closes_at, h.theme) for h in desk.hours.select_related("theme")])}
    fields = [k for k in DESK_FIELDS if k in data]
    for name in fields:
        setattr(desk, name, data[name])
    desk.save(update_fields=[*fields, "updated_at"])
    _write_hours(desk, hours)
    changes = audit.diff(before, {**audit.snapshot(desk, DESK_FIELDS), "hours": _hours_snapshot(hours)})
    if changes:
        audit.record(actor, "desk.updated", desk, changes, request=request)
    return desk


def _admin_desk(actor, desk_id):
    desk = Desk.objects.select_for_update().get(pk=desk_id)
    if not access.can_administer(actor, desk):
        raise PermissionDenied
    return desk


@transaction.atomic
def add_closure(actor, desk_id, date, reason="", request=None):
    desk = _admin_desk(actor, desk_id)
    if date < timezone.localdate():
        raise Refused(_("過去の日は休業日にできません。"))
    if desk.closures.filter(date=date).exists():
        raise Refused(_("%(day)sはすでに休業日として登録されています。") % {"day": day_label(date)})
    booked = Booking.objects.active().filter(desk=desk, kind=Booking.Kind.BOOKED).overlapping(
        at(date, datetime.time.min), at(date + datetime.timedelta(days=1), datetime.time.min)).count()
    if booked:
        raise Refused(_("%(day)sには予約が%(n)s件入っています。先に予約の日程変更か取消しをしてから休業日にしてください。")
                      % {"day": day_label(date), "n": booked})
    closure = ClosureDay.objects.create(desk=desk, date=date, reason=reason)
    audit.record(actor, "desk.closure_added", desk, {"date": date.isoformat(), "reason": reason}, request=request)
    return closure


@transaction.atomic
def remove_closure(actor, closure_id, request=None):
    closure = ClosureDay.objects.select_for_update().select_related("desk").get(pk=closure_id)
    if not access.can_administer(actor, closure.desk):
        raise PermissionDenied
    closure.delete()
    audit.record(actor, "desk.closure_removed", closure.desk, {"date": closure.date.isoformat()}, request=request)


# ---- shifts ----------------------------------------------------------------------------------

@transaction.atomic
def sign_up(actor, desk_id, day, start_time, end_time, weeks=1, request=None, now=None):
    """The consultant signs up for `day` start–end, repeated weekly for `weeks` weeks.

    Closed days in a repeat are skipped (returned as (day, reason)); anything else wrong refuses
    the whole sign-up. Returns (shifts, skipped).
    """
    now = _now(now)
    desk = Desk.objects.get(pk=desk_id)
    if not access.is_consultant(actor, desk):
        raise PermissionDenied
    # One consultant's sign-ups one at a time, so two at once cannot both pass the overlap check.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    if not 1 <= weeks <= 12:
        raise Refused(_("繰り返しは1〜12週の範囲で指定してください。"))
    if end_time <= start_time:
        raise Refused(_("シフトの終了時刻は、開始時刻より後にしてください。"))
    last = day + datetime.timedelta(weeks=weeks - 1)
    calendar = DeskCalendar(desk, day, last)
    existing = list(
        Shift.objects.filter(consultant=actor, starts_at__lt=at(last, end_time), ends_at__gt=at(day, start_time))
        .select_related("desk__organisation")
    )
    shifts, skipped, reasons = [], [], []
    for n in range(weeks):
        current = day + datetime.timedelta(weeks=n)
        closed = calendar.closed_reason(current)
        if closed:
            skipped.append((current, closed))
            continue
        hours = calendar.hours_on(current)
        if start_time < hours.opens_at or end_time > hours.closes_at:
            reasons.append(_("%(day)sのシフトは、受付時間（%(opens)s〜%(closes)s）の中で登録してください。") % {
                "day": day_label(current), "opens": f"{hours.opens_at:%H:%M}", "closes": f"{hours.closes_at:%H:%M}"})
            continue
        starts_at, ends_at = at(current, start_time), at(current, end_time)
        if starts_at <= now:
            reasons.append(_("%(span)sはすでに始まっています。これから先のシフトを登録してください。")
                           % {"span": span_label(starts_at, ends_at)})
            continue
        clash = next((s for s in existing if s.starts_at < ends_at and s.ends_at > starts_at), None)
        if clash:
            reasons.append(_("%(span)sは、登録済みのシフト（%(other)s、%(desk)s）と重なっています。") % {
                "span": span_label(starts_at, ends_at), "other": span_label(clash.starts_at, clash.ends_at),
                "desk": clash.desk.organisation.name})
            continue
        shifts.append(Shift(desk=desk, consultant=actor, starts_at=starts_at, ends_at=ends_at))
    if reasons:
        raise Refused(*reasons)
    if not shifts:
        raise Refused(_("選んだ日は窓口がお休みです（%(days)s）。営業日を選んでください。") % {
            "days": "、".join(f"{day_label(d)}：{r}" for d, r in skipped)})
    Shift.objects.bulk_create(shifts)
    audit.record(actor, "desk.shifts_added", desk, {
        "shifts": [japanese_span_label(s.starts_at, s.ends_at) for s in shifts],
        "skipped": [d.isoformat() for d, _ in skipped],
    }, request=request)
    return shifts, skipped


@transaction.atomic
def withdraw_shift(actor, shift_id, request=None, now=None):
    shift = Shift.objects.select_for_update(of=("self",)).select_related("desk").get(pk=shift_id)
    if shift.consultant_id != actor.pk and not access.can_administer(actor, shift.desk):
        raise PermissionDenied
    if shift.starts_at <= _now(now):
        raise Refused(_("始まったシフトは取り消せません。"))
    booked = Booking.objects.active().filter(
        desk_id=shift.desk_id, consultant_id=shift.consultant_id).overlapping(shift.starts_at, shift.ends_at).count()
    if booked:
        raise Refused(_("このシフトの時間に予約が%(n)s件入っているため取り消せません。"
                        "予約の日程変更か取消しを窓口の管理者にご相談ください。") % {"n": booked})
    span = japanese_span_label(shift.starts_at, shift.ends_at)
    shift.delete()
    audit.record(actor, "desk.shift_withdrawn", shift.desk, {"shift": span, "consultant": shift.consultant_id},
                 request=request)


# ---- bookings --------------------------------------------------------------------------------

def token_for(booking):
    """The signed link of the booking mails. It carries the booking's version (ics_sequence, raised by
    every cancel and reschedule), so a link stops working once the booking changes; the new mail
    brings a new link. It works until the booking's start time (link_problem)."""
    return signing.dumps([booking.pk, booking.ics_sequence], salt=TOKEN_SALT)


def parse_token(token):
    """(booking id, version) of a link, or None when it is not ours. Links mailed before versions
    existed carry the id alone: version 0, i.e. valid only while the booking was never changed."""
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if isinstance(value, int):
        return value, 0
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return None


def booking_id_from_token(token):
    parsed = parse_token(token)
    return parsed[0] if parsed else None


def link_problem(booking, token, now=None):
    """Why the mailed link can no longer change the booking (Japanese), or "" while it can."""
    parsed = parse_token(token)
    if booking.status == Booking.Status.CANCELLED:
        return _("この予約は取り消されています。このリンクはもう使えません。")
    if parsed is None or parsed[1] != booking.ics_sequence:
        return _("この予約はリンクをお送りした後に日時が変更されたため、このリンクはもう使えません。"
                 "変更後にお送りしたメールのリンクをお使いください。")
    if booking.status != Booking.Status.BOOKED or booking.starts_at <= _now(now):
        return _("このリンクは相談の開始時刻（%(when)s）までのため、もう使えません。ご用件は窓口へ直接ご連絡ください。") % {
            "when": moment_label(booking.starts_at)}
    return ""


def manage_url(booking):
    return settings.SITE_URL + reverse("desk:manage", args=[token_for(booking)])


def _lock_booking(booking_id):
    # of=self: PostgreSQL cannot lock the nullable side of the company/theme outer joins.
    return Booking.objects.select_for_update(of=("self",)).select_related(
        "desk", "desk__organisation", "company", "consultant", "booked_by", "theme", "shokokai"
    ).get(pk=booking_id)


def _free_consultant(desk, starts_at, ends_at, requested_id=None, prefer_id=None, exclude_booking=None):
    """Lock the shifts covering the slot, then pick a consultant on duty who has no booking then.

    Two bookings of the same slot lock the same shift rows, so the second waits for the first
    to commit and then sees its booking (PostgreSQL, READ COMMITTED: each query a new snapshot).
    """
    on_duty = list(
        Shift.objects.select_for_update().filter(desk=desk, starts_at__lte=starts_at, ends_at__gte=ends_at)
        .order_by("pk").values_list("consultant_id", flat=True)
    )
    if requested_id is not None:
        on_duty = [c for c in on_duty if c == requested_id]
    busy_qs = Booking.objects.active().filter(consultant_id__in=on_duty).overlapping(starts_at, ends_at)
    if exclude_booking is not None:
        busy_qs = busy_qs.exclude(pk=exclude_booking)
    busy = set(busy_qs.values_list("consultant_id", flat=True))
    free = [c for c in on_duty if c not in busy]
    if not free:
        return None
    if prefer_id in free:
        return prefer_id
    # Spread the day's sessions: the consultant with the fewest bookings that day takes it.
    day = timezone.localtime(starts_at).date()
    load = Counter(
        Booking.objects.active().filter(desk=desk, consultant_id__in=free).overlapping(
            at(day, datetime.time.min), at(day + datetime.timedelta(days=1), datetime.time.min))
        .values_list("consultant_id", flat=True)
    )
    return min(free, key=lambda c: (load[c], free.index(c)))


def _save_guarded(booking, update_fields=None):
    """The unique constraint is the last guard against a double booking; its error is a refusal."""
    try:
        with transaction.atomic():
            booking.save(update_fields=update_fields)
    except IntegrityError:
        raise Refused(_("この枠はたった今ほかの予約で埋まりました。別の枠を選んでください。")) from None


def _booking_refusals(desk, company, starts_at, data, now):
    reasons = []
    if not desk.is_active:
        return [_("この窓口は現在、予約を受け付けていません。")]
    reasons.append(slot_refusal(desk, starts_at, now))
    if data.get("channel") not in dict(desk.channel_choices()):
        reasons.append(_("この窓口で受け付けている相談方法を選んでください。"))
    if not data.get("source"):
        reasons.append(_("窓口を知ったきっかけを選んでください。"))
    if data.get("consultant") and not desk.allow_fixed_consultant:
        reasons.append(_("この窓口では相談員を指名できません。"))
    open_count = Booking.objects.filter(
        desk=desk, company=company, kind=Booking.Kind.BOOKED, status=Booking.Status.BOOKED, starts_at__gt=now
    ).count()
    if open_count >= desk.max_open_bookings:
        reasons.append(_("%(company)sは、この窓口の予約をすでに%(n)s件お持ちです。相談が終わってから次の予約をしてください。")
                       % {"company": company.name, "n": open_count})
    return [r for r in reasons if r]


@transaction.atomic
def book(actor, desk_id, company_id, starts_at, data, request=None, now=None):
    """Book the slot at `starts_at` for a company: by one of its members, or by a 経営指導員 of a
    商工会 it belongs to. data: channel, theme, description, source, source_note, contact_phone,
    optional consultant (when the desk takes requests) and shokokai (SME's own 商工会)."""
    now = _now(now)
    desk = Desk.objects.select_related("organisation").get(pk=desk_id)
    company = access.bookable_companies(actor).filter(pk=company_id).first()
    if company is None:
        raise PermissionDenied
    reasons = _booking_refusals(desk, company, starts_at, data, now)
    if reasons:
        raise Refused(*reasons)
    is_member = Membership.objects.filter(company=company, user=actor).exists()
    if is_member:
        shokokai = data.get("shokokai")
        shokokai_id = shokokai.pk if shokokai else (
            ShokokaiMember.objects.filter(company=company).order_by("pk").values_list("organisation_id", flat=True).first())
    else:
        shokokai_id = access.shokokai_for_company(company.pk, access.shokokai_ids(actor))
    requested = data.get("consultant")
    ends_at = starts_at + desk.slot
    consultant_id = _free_consultant(desk, starts_at, ends_at, requested_id=requested.pk if requested else None)
    if consultant_id is None:
        raise Refused(
            _("指名した相談員は、この枠では対応できません。別の枠を選ぶか、指名せずに予約してください。") if requested
            else _("この枠はたった今ほかの予約で埋まりました。別の枠を選んでください。")
        )
    booking = Booking(
        desk=desk, company=company, booked_by=actor, shokokai_id=shokokai_id, by_adviser=not is_member,
        consultant_id=consultant_id, consultant_requested=bool(requested), starts_at=starts_at, ends_at=ends_at,
        channel=data["channel"], theme=data.get("theme"), description=data.get("description", ""),
        source=data["source"], source_note=data.get("source_note", ""),
        contact_phone=data.get("contact_phone") or actor.phone or company.phone,
        caller_name=actor.name if is_member else "",
    )
    _save_guarded(booking)
    booking = _lock_booking(booking.pk)
    audit.record(actor, "desk.booked", booking, {
        "company": company.name, "starts_at": japanese_span_label(starts_at, ends_at), "channel": booking.channel,
        "consultant": consultant_id, "by_adviser": booking.by_adviser, "source": booking.source,
    }, request=request)
    _notify(booking, "desk_booked")
    return booking


def _authorise_manage(actor, booking, link_token, now):
    if link_token is not None:
        if booking_id_from_token(link_token) != booking.pk:
            raise PermissionDenied
        problem = link_problem(booking, link_token, now)
        if problem:
            raise Refused(problem)
    elif not access.can_manage_booking(actor, booking):
        raise PermissionDenied


def _require_upcoming(booking, now, verb):
    if booking.kind != Booking.Kind.BOOKED or booking.status != Booking.Status.BOOKED:
        raise Refused(_("この予約は「%(status)s」のため、%(verb)sできません。") % {
            "status": booking.get_status_display(), "verb": verb})
    if booking.starts_at <= now:
        raise Refused(_("開始時刻を過ぎた予約は%(verb)sできません。") % {"verb": verb})


@transaction.atomic
def cancel_booking(actor, booking_id, reason="", link_token=None, request=None, now=None):
    """Cancel by a logged-in party or by the signed link from the booking mail."""
    now = _now(now)
    booking = _lock_booking(booking_id)
    _authorise_manage(actor, booking, link_token, now)
    _require_upcoming(booking, now, _("取消し"))
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at, booking.cancel_reason = now, reason[:200]
    booking.ics_sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "ics_sequence", "updated_at"])
    audit.record(actor, "desk.cancelled", booking, {
        "status": [Booking.Status.BOOKED, Booking.Status.CANCELLED], "reason": reason, "by_link": link_token is not None,
    }, request=request)
    _notify(booking, "desk_cancelled", method="CANCEL", extra={"reason": reason})
    return booking


@transaction.atomic
def reschedule_booking(actor, booking_id, starts_at, link_token=None, request=None, now=None):
    """Move the booking to another free slot (the same consultant when free, else another)."""
    now = _now(now)
    booking = _lock_booking(booking_id)
    _authorise_manage(actor, booking, link_token, now)
    _require_upcoming(booking, now, _("日程変更"))
    if starts_at == booking.starts_at:
        raise Refused(_("今の予約と同じ日時です。別の枠を選んでください。"))
    refusal = slot_refusal(booking.desk, starts_at, now)
    if refusal:
        raise Refused(refusal)
    ends_at = starts_at + booking.desk.slot
    requested = booking.consultant_id if booking.consultant_requested else None
    consultant_id = _free_consultant(booking.desk, starts_at, ends_at, requested_id=requested,
                                     prefer_id=booking.consultant_id, exclude_booking=booking.pk)
    if consultant_id is None:
        raise Refused(_("この枠はたった今ほかの予約で埋まりました。別の枠を選んでください。"))
    old = {"starts_at": booking.starts_at, "ends_at": booking.ends_at, "consultant": booking.consultant}
    booking.starts_at, booking.ends_at, booking.consultant_id = starts_at, ends_at, consultant_id
    booking.ics_sequence += 1
    booking.reminded_at = None
    _save_guarded(booking, update_fields=["starts_at", "ends_at", "consultant", "ics_sequence", "reminded_at", "updated_at"])
    booking = _lock_booking(booking.pk)
    audit.record(actor, "desk.rescheduled", booking, {
        "starts_at": [japanese_span_label(old["starts_at"], old["ends_at"]), japanese_span_label(starts_at, ends_at)],
        "consultant": [old["consultant"].pk, consultant_id], "by_link": link_token is not None,
    }, request=request)
    previous = japanese_span_label(old["starts_at"], old["ends_at"])
    if old["consultant"].pk != consultant_id:
        # The previous consultant's calendar drops the event; the new one gets it.
        _notify_consultant(booking, "desk_cancelled", old["consultant"], method="CANCEL",
                           extra={"reason": gettext_lazy("日程変更により、別の相談員が担当します。"), "previous": previous})
    _notify(booking, "desk_rescheduled", extra={"previous": previous})
    return booking


# ---- mail --------------------------------------------------------------------------------------

def sme_people(booking):
    """(name, email) of the SME side: whoever booked (a member or the 経営指導員) and the company's members."""
    people = []
    if booking.kind == Booking.Kind.BOOKED:
        people.append((booking.booked_by.name, booking.booked_by.email))
    if booking.company_id:
        people += list(
            Membership.objects.filter(company_id=booking.company_id, user__is_active=True)
            .order_by("pk").values_list("user__name", "user__email")
        )
    seen, unique = set(), []
    for name, email in people:
        if email not in seen:
            seen.add(email)
            unique.append((name, email))
    return unique


def _context(booking, extra=None):
    return {
        "booking": booking, "desk": booking.desk, "when": japanese_span_label(booking.starts_at, booking.ends_at),
        "meeting_url": booking.meeting_url, **(extra or {}),
    }


def _notify(booking, template, method="REQUEST", extra=None):
    people = sme_people(booking)
    consultant = booking.consultant
    attendees = [*people, (consultant.name, consultant.email)]
    attachment = ics.attachment_for(booking, attendees, method=method)
    context = _context(booking, extra)
    if people:
        queue_mail([email for _, email in people], template,
                   {**context, "for_consultant": False, "manage_url": manage_url(booking)}, [attachment])
    queue_mail(consultant.email, template, {**context, "for_consultant": True}, [attachment])


def _notify_reminder(booking):
    """The day before: how to join, no .ics (the event is already in both calendars)."""
    people = sme_people(booking)
    context = _context(booking)
    if people:
        queue_mail([email for _, email in people], "desk_reminder",
                   {**context, "for_consultant": False, "manage_url": manage_url(booking)})
    queue_mail(booking.consultant.email, "desk_reminder", {**context, "for_consultant": True})


def _notify_consultant(booking, template, consultant, method="REQUEST", extra=None):
    attachment = ics.attachment_for(booking, [(consultant.name, consultant.email)], method=method)
    queue_mail(consultant.email, template, {**_context(booking, extra), "for_consultant": True}, [attachment])


# ---- sessions ----------------------------------------------------------------------------------

@transaction.atomic
def log_walk_in(actor, desk_id, data, request=None, now=None):
    """A call that came in without a booking, logged by the consultant who took it.

    data: starts_at, minutes, channel, company (registered, optional) or caller_company, caller_name,
    contact_phone, shokokai, theme, description, source, source_note."""
    now = _now(now)
    desk = Desk.objects.select_related("organisation").get(pk=desk_id)
    if not (access.is_consultant(actor, desk) or desk.organisation_id in actor.organisation_ids()):
        raise PermissionDenied
    starts_at = data["starts_at"]
    reasons = []
    if starts_at > now:
        reasons.append(_("これから先の時刻は記録できません。予約なしの相談は、受けた後に記録してください。"))
    if not data.get("company") and not (data.get("caller_company") or "").strip():
        reasons.append(_("事業者名を入力するか、登録済みの事業者を番号で指定してください。"))
    if data.get("channel") not in dict(desk.channel_choices()):
        reasons.append(_("この窓口で受け付けている相談方法を選んでください。"))
    if reasons:
        raise Refused(*reasons)
    booking = Booking.objects.create(
        desk=desk, kind=Booking.Kind.WALK_IN, status=Booking.Status.DONE, company=data.get("company"),
        caller_company=data.get("caller_company", ""), caller_name=data.get("caller_name", ""),
        contact_phone=data.get("contact_phone", ""), booked_by=actor, consultant=actor,
        shokokai=data.get("shokokai"), starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=data.get("minutes") or desk.slot_minutes),
        channel=data["channel"], theme=data.get("theme"), description=data.get("description", ""),
        source=data.get("source", ""), source_note=data.get("source_note", ""),
    )
    audit.record(actor, "desk.walk_in_logged", booking, {
        "company": booking.company_name, "channel": booking.channel, "source": booking.source,
    }, request=request)
    return booking


@transaction.atomic
def mark_no_show(actor, booking_id, request=None, now=None):
    booking = _lock_booking(booking_id)
    if not access.can_record(actor, booking):
        raise PermissionDenied
    if booking.status != Booking.Status.BOOKED:
        raise Refused(_("この予約は「%(status)s」です。") % {"status": booking.get_status_display()})
    if booking.starts_at > _now(now):
        raise Refused(_("開始時刻より前には「現れなかった」と記録できません。"))
    booking.status = Booking.Status.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    audit.record(actor, "desk.no_show", booking, {"status": [Booking.Status.BOOKED, Booking.Status.NO_SHOW]},
                 request=request)
    return booking


@transaction.atomic
def record_session(actor, booking_id, company, data, request=None, now=None):
    """The consultant writes the consultation record of a session (consultations app, channel 電話 or
    Web会議, by the desk's organisation). A referral in it (e.g. to the company's 商工会 for an in-person
    consultation) follows the normal closed-loop path. data as for record_consultation, without
    held_on/channel/staff."""
    booking = _lock_booking(booking_id)
    if not access.can_record(actor, booking):
        raise PermissionDenied
    if booking.consultation_id:
        raise Refused(_("この相談はすでに記録されています。"))
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.NO_SHOW):
        raise Refused(_("「%(status)s」の予約には相談の記録を書けません。") % {"status": booking.get_status_display()})
    if booking.starts_at > _now(now):
        raise Refused(_("相談の開始時刻より前には記録できません。"))
    company = booking.company or company
    if company is None:
        raise Refused(_("相談した事業者を、法人番号または事業者番号で指定してください。"))
    consultation = record_consultation(actor, booking.desk.organisation, company, {
        **data, "held_on": timezone.localtime(booking.starts_at).date(), "channel": booking.channel,
        "staff": booking.consultant,
    }, request=request, roles=RECORD_ROLES)
    old = booking.status
    booking.consultation, booking.company, booking.status = consultation, company, Booking.Status.DONE
    booking.save(update_fields=["consultation", "company", "status", "updated_at"])
    audit.record(actor, "desk.session_recorded", booking, {"status": [old, booking.status],
                                                            "consultation": consultation.pk}, request=request)
    return consultation


# ---- 商工会 members --------------------------------------------------------------------------

@transaction.atomic
def add_member(actor, organisation_id, company, request=None):
    if organisation_id not in access.shokokai_ids(actor):
        raise PermissionDenied
    if ShokokaiMember.objects.filter(organisation_id=organisation_id, company=company).exists():
        raise Refused(_("%(company)sはすでに会員として登録されています。") % {"company": company.name})
    member = ShokokaiMember.objects.create(organisation_id=organisation_id, company=company, added_by=actor)
    audit.record(actor, "desk.member_added", member, {"company": company.name}, request=request)
    return member


@transaction.atomic
def remove_member(actor, member_id, request=None):
    member = ShokokaiMember.objects.select_for_update().select_related("company").get(pk=member_id)
    if member.organisation_id not in access.shokokai_ids(actor):
        raise PermissionDenied
    audit.record(actor, "desk.member_removed", member, {"company": member.company.name}, request=request)
    member.delete()

