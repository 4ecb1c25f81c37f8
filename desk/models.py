"""The online consultation desk (オンライン相談窓口, seed 004): settings, hours, shifts, bookings.

A desk belongs to one organisation (e.g. a 商工会連合会). Consultants (RoleGrant
desk_consultant at that organisation) sign up for shifts; SMEs or a 商工会's 経営指導員 book a
slot, which is given to a consultant on shift who is free then. A call without a booking is a
walk-in entry of the same table, so reports count both in one place.
"""

import datetime
import secrets
import string

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

ROOM_PLACEHOLDER = "{room}"
ROOM_ALPHABET = string.ascii_lowercase + string.digits


class Weekday(models.IntegerChoices):
    MON = 0, _("月曜日")
    TUE = 1, _("火曜日")
    WED = 2, _("水曜日")
    THU = 3, _("木曜日")
    FRI = 4, _("金曜日")
    SAT = 5, _("土曜日")
    SUN = 6, _("日曜日")


DEFAULT_OPENS = datetime.time(9, 30)
DEFAULT_CLOSES = datetime.time(15, 30)


class Desk(models.Model):
    """One organisation's desk and its rules (the numbers an administrator sets)."""

    organisation = models.OneToOneField(
        "directory.Organisation", verbose_name=_("運営する支援機関"), on_delete=models.PROTECT, related_name="desk"
    )
    name = models.CharField(_("窓口の名称"), max_length=100, default="オンライン経営相談窓口")
    description = models.TextField(_("案内文"), blank=True)
    phone = models.CharField(_("相談用の電話番号"), max_length=20, blank=True)
    meeting_url_template = models.CharField(_("Web会議URLのひな形"), max_length=300, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("1枠の長さ（分）"), default=60)
    min_consultants = models.PositiveSmallIntegerField(_("最低配置人数（名）"), default=2)
    booking_weeks = models.PositiveSmallIntegerField(_("予約を受け付ける期間（週）"), default=4)
    notice_hours = models.PositiveSmallIntegerField(_("予約の締切（開始の何時間前まで）"), default=1)
    max_open_bookings = models.PositiveSmallIntegerField(_("1事業者が同時に持てる予約の数"), default=2)
    allow_fixed_consultant = models.BooleanField(_("相談員の指名を受け付ける"), default=False)
    closed_year_end = models.BooleanField(_("年末年始（12月29日〜1月3日）は休業"), default=True)
    is_active = models.BooleanField(_("予約を受け付けている"), default=True)
    created_at = models.DateTimeField(_("開設日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("オンライン相談窓口")
        verbose_name_plural = _("オンライン相談窓口")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gte=15, slot_minutes__lte=180), name="desk_slot_length"),
            models.CheckConstraint(condition=Q(min_consultants__gte=1), name="desk_min_consultants"),
        ]

    def __str__(self):
        return f"{self.organisation.name} {self.name}"

    @property
    def slot(self):
        return datetime.timedelta(minutes=self.slot_minutes)

    @property
    def offers_phone(self):
        return bool(self.phone)

    @property
    def offers_web(self):
        return bool(self.meeting_url_template)

    def channel_choices(self):
        return [(value, label) for value, label in Channel.choices
                if (value == Channel.PHONE and self.offers_phone) or (value == Channel.WEB and self.offers_web)]

    def meeting_url(self, room):
        # str.replace, not format(): the template is user input and may contain other braces.
        return self.meeting_url_template.replace(ROOM_PLACEHOLDER, room)


class OpeningHours(models.Model):
    """One weekday the desk is open (a weekday without a row is closed), with its optional theme."""

    desk = models.ForeignKey(Desk, verbose_name=_("窓口"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    opens_at = models.TimeField(_("受付開始"), default=DEFAULT_OPENS)
    closes_at = models.TimeField(_("受付終了"), default=DEFAULT_CLOSES)
    theme = models.ForeignKey(
        "reference.Specialty", verbose_name=_("曜日のテーマ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("受付時間")
        verbose_name_plural = _("受付時間")
        ordering = ["desk", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "weekday"], name="desk_hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="desk_hours_close_after_open"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}〜{self.closes_at:%H:%M}"

    @property
    def weekday_short(self):
        """月 (Mon in English)."""
        return WEEKDAYS_ABBR[self.weekday]


class ClosureDay(models.Model):
    """A day the desk is closed besides public holidays (e.g. 創立記念日, 研修日)."""

    desk = models.ForeignKey(Desk, verbose_name=_("窓口"), on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("休業日"))
    reason = models.CharField(_("理由"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("臨時休業日")
        verbose_name_plural = _("臨時休業日")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["desk", "date"], name="desk_closure_once_per_day")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reason}"


class Shift(models.Model):
    """A consultant on duty at the desk from starts_at to ends_at."""

    desk = models.ForeignKey(Desk, verbose_name=_("窓口"), on_delete=models.CASCADE, related_name="shifts")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("相談員"), on_delete=models.PROTECT, related_name="desk_shifts"
    )
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("シフト")
        verbose_name_plural = _("シフト")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["desk", "starts_at"]), models.Index(fields=["consultant", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="desk_shift_ends_after_start")]

    def __str__(self):
        return f"{self.consultant_id}: {self.starts_at:%Y-%m-%d %H:%M}〜{self.ends_at:%H:%M}"


class Channel(models.TextChoices):
    # Same codes as consultations.Consultation.Channel, so a session becomes a record as is.
    PHONE = "phone", _("電話")
    WEB = "web", _("Web会議")


class Source(models.TextChoices):
    """How the SME heard of the desk (seed 004: which promotion worked)."""

    FLYER = "flyer", _("チラシ")
    RADIO = "radio", _("ラジオCM")
    NEWSPAPER = "newspaper", _("新聞広告")
    SHOKOKAI = "shokokai", _("商工会の紹介")
    WEB = "web", "Web"
    OTHER = "other", _("その他")


class BookingQuerySet(models.QuerySet):
    def active(self):
        """Entries that hold a consultant's time."""
        return self.exclude(status=Booking.Status.CANCELLED)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


def new_room():
    return "".join(secrets.choice(ROOM_ALPHABET) for _ in range(12))


class Booking(models.Model):
    """A booked slot or a walk-in call, and what came of it."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("予約")
        WALK_IN = "walk_in", _("予約なし")

    class Status(models.TextChoices):
        BOOKED = "booked", _("予約済み")
        DONE = "done", _("相談済み")
        NO_SHOW = "no_show", _("相談者が現れず")
        CANCELLED = "cancelled", _("取消し")

    desk = models.ForeignKey(Desk, verbose_name=_("窓口"), on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices, default=Kind.BOOKED)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True)
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("事業者"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="desk_bookings",
    )
    caller_company = models.CharField(_("事業者名（未登録の場合）"), max_length=100, blank=True)
    caller_name = models.CharField(_("相談者の氏名"), max_length=60, blank=True)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=20, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("予約・記録した人"), on_delete=models.PROTECT, related_name="+"
    )
    shokokai = models.ForeignKey(
        "directory.Organisation", verbose_name=_("商工会"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="desk_bookings",
    )
    by_adviser = models.BooleanField(_("経営指導員による代理予約"), default=False)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("相談員"), on_delete=models.PROTECT, related_name="desk_bookings"
    )
    consultant_requested = models.BooleanField(_("相談員の指名"), default=False)
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    channel = models.CharField(_("相談方法"), max_length=10, choices=Channel.choices)
    theme = models.ForeignKey(
        "reference.Specialty", verbose_name=_("相談テーマ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(_("相談内容"), blank=True)
    source = models.CharField(_("窓口を知ったきっかけ"), max_length=12, choices=Source.choices, blank=True)
    source_note = models.CharField(_("きっかけ（その他の内容）"), max_length=100, blank=True)
    room = models.CharField(_("会議室ID"), max_length=20, unique=True, default=new_room)
    ics_sequence = models.PositiveIntegerField(_("予定表の版数（SEQUENCE）"), default=0)
    reminded_at = models.DateTimeField(_("前日のお知らせ送信日時"), null=True, blank=True)
    consultation = models.OneToOneField(
        "consultations.Consultation", verbose_name=_("相談の記録"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="desk_booking",
    )
    cancel_reason = models.CharField(_("取消しの理由"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消し日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("相談の予約")
        verbose_name_plural = _("相談の予約")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["desk", "starts_at"]),
            models.Index(fields=["consultant", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="desk_booking_ends_after_start"),
            # The database's own guard against double-booking a consultant (the action also locks the shifts).
            models.UniqueConstraint(
                fields=["consultant", "starts_at"], condition=Q(kind="booked") & ~Q(status="cancelled"),
                name="desk_booking_one_per_consultant_slot",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.company_name}"

    @property
    def company_name(self):
        return self.company.name if self.company_id else self.caller_company

    @property
    def meeting_url(self):
        return self.desk.meeting_url(self.room) if self.channel == Channel.WEB else ""

    @property
    def is_walk_in(self):
        return self.kind == self.Kind.WALK_IN

    @property
    def is_open(self):
        return self.status == self.Status.BOOKED


class ShokokaiMember(models.Model):
    """A company that is a member of a 商工会 (the 商工会's 経営指導員 may book the desk for it)."""

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("商工会"), on_delete=models.CASCADE, related_name="member_companies"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("事業者"), on_delete=models.CASCADE, related_name="shokokai_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登録者"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("商工会の会員事業者")
        verbose_name_plural = _("商工会の会員事業者")
        constraints = [models.UniqueConstraint(fields=["organisation", "company"], name="desk_shokokai_member_once")]

    def __str__(self):
        return f"{self.organisation}: {self.company}"


class GapNotice(models.Model):
    """The weekly gap mail for a desk and week was sent (so two runs never send it twice)."""

    desk = models.ForeignKey(Desk, verbose_name=_("窓口"), on_delete=models.CASCADE, related_name="gap_notices")
    week_start = models.DateField(_("対象週の月曜日"))
    gaps = models.PositiveIntegerField(_("不足している枠の数"), default=0)
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("シフト不足のお知らせ")
        verbose_name_plural = _("シフト不足のお知らせ")
        constraints = [models.UniqueConstraint(fields=["desk", "week_start"], name="desk_gap_notice_once_per_week")]

    def __str__(self):
        return f"{self.desk_id}: {self.week_start}"
