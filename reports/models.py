import datetime
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportRules(models.Model):
    """This app's numeric rules for one programme year (kept beside ProgrammeYear, edited in the admin)."""

    programme = models.OneToOneField(
        "programme.ProgrammeYear", verbose_name=_("事業年度"), on_delete=models.CASCADE, related_name="report_rules"
    )
    certification_link_days = models.PositiveSmallIntegerField(
        _("従事証明リンクの有効日数"), default=14,
        help_text=_("支援報告の提出時に中小企業者へ送るリンクが使える日数です。"),
    )

    class Meta:
        verbose_name = _("支援報告・従事証明の設定")
        verbose_name_plural = _("支援報告・従事証明の設定")

    def __str__(self):
        return f"{self.programme}：支援報告・従事証明の設定"


class SupportReport(models.Model):
    """The expert's support report (支援報告書), filed after the visit."""

    case = models.OneToOneField(
        "dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.PROTECT, related_name="support_report"
    )
    activities = models.TextField(_("実施した支援の内容"))
    advice = models.TextField(_("助言・提案の内容"))
    hours = models.DecimalField(_("支援時間（時間）"), max_digits=4, decimal_places=2)
    travel_route = models.TextField(_("旅費の経路・交通手段"), blank=True)
    travel_claimed = models.PositiveIntegerField(_("請求する旅費（円）"), default=0)
    submitted_at = models.DateTimeField(_("提出日時"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出者"), on_delete=models.PROTECT, related_name="+"
    )
    revised_at = models.DateTimeField(_("修正日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援報告書")
        verbose_name_plural = _("支援報告書")
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="support_report_hours_positive"),
        ]

    def __str__(self):
        return f"支援報告書（派遣#{self.case_id}）"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(32)


class CertificationLink(models.Model):
    """A mailed, single-use, expiring link to certify one case. Only the token's hash is stored."""

    case = models.ForeignKey(
        "dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="certification_links"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("送信先"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(_("トークンのハッシュ（SHA-256）"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    used_at = models.DateTimeField(_("使用日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("無効化日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("従事証明リンク")
        verbose_name_plural = _("従事証明リンク")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"従事証明リンク（派遣#{self.case_id} / {self.recipient_id}）"


class Certification(models.Model):
    """The SME's service certification (従事証明): the visit took place on this date, at these times, as reported.

    support_date is the day the support began; a visit past midnight (an evening seminar 20:00–翌1:00)
    ends on the next day (ends_next_day), so the span is always longer than zero and shorter than a day.
    """

    class Channel(models.TextChoices):
        LINK = "link", _("メールのリンクから")
        LOGIN = "login", _("ログインして派遣の画面から")

    case = models.OneToOneField(
        "dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.PROTECT, related_name="certification"
    )
    support_date = models.DateField(_("支援日"))
    start_time = models.TimeField(_("支援開始時刻"))
    end_time = models.TimeField(_("支援終了時刻"))
    ends_next_day = models.BooleanField(_("終了は翌日"), default=False)
    content_confirmed = models.BooleanField(_("支援報告の内容が事実と相違ないことの確認"), default=False)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("証明した人"), on_delete=models.PROTECT, related_name="+"
    )
    certified_at = models.DateTimeField(_("証明日時"))
    channel = models.CharField(_("入力経路"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("従事証明")
        verbose_name_plural = _("従事証明")
        constraints = [
            # Same day: the end after the start. Next day: the end before the start's time (under 24 hours).
            models.CheckConstraint(
                condition=models.Q(ends_next_day=False, end_time__gt=models.F("start_time"))
                | models.Q(ends_next_day=True, end_time__lt=models.F("start_time")),
                name="certification_span_under_a_day",
            ),
            models.CheckConstraint(condition=models.Q(content_confirmed=True), name="certification_content_confirmed"),
        ]

    def __str__(self):
        return f"従事証明（派遣#{self.case_id}）"

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.support_date, self.start_time))

    @property
    def ends_at(self):
        day = self.support_date + datetime.timedelta(days=1 if self.ends_next_day else 0)
        return timezone.make_aware(datetime.datetime.combine(day, self.end_time))

    @property
    def hours(self):
        """The certified duration in hours (22:00–翌1:30 → 3.5)."""
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)


SCORE_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class Evaluation(models.Model):
    """The SME's evaluation of the expert for one dispatch (satisfaction feeds the public average)."""

    case = models.OneToOneField(
        "dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.PROTECT, related_name="evaluation"
    )
    satisfaction = models.PositiveSmallIntegerField(_("満足度"), choices=SCORE_CHOICES)
    usefulness = models.PositiveSmallIntegerField(_("役に立ったか"), choices=SCORE_CHOICES)
    punctuality = models.PositiveSmallIntegerField(_("時間を守ったか"), choices=SCORE_CHOICES)
    would_recommend = models.BooleanField(_("他の事業者に勧めたいか"))
    comment = models.TextField(_("ご意見（事務局・支援機関のみが読みます）"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("評価した人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("評価日時"))

    class Meta:
        verbose_name = _("専門家の評価")
        verbose_name_plural = _("専門家の評価")
        constraints = [
            models.CheckConstraint(condition=models.Q(satisfaction__gte=1, satisfaction__lte=5), name="evaluation_satisfaction_1_5"),
            models.CheckConstraint(condition=models.Q(usefulness__gte=1, usefulness__lte=5), name="evaluation_usefulness_1_5"),
            models.CheckConstraint(condition=models.Q(punctuality__gte=1, punctuality__lte=5), name="evaluation_punctuality_1_5"),
        ]

    def __str__(self):
        return f"専門家の評価（派遣#{self.case_id}）"


class Dispute(models.Model):
    """The SME says the report is not what happened (内容が事実と異なる); the case stays reported."""

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="report_disputes")
    reason = models.TextField(_("事実と異なる点"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申し出た人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("申出日時"))
    resolved_at = models.DateTimeField(_("報告の修正日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援報告への異議")
        verbose_name_plural = _("支援報告への異議")
        ordering = ["-raised_at", "-pk"]

    def __str__(self):
        return f"異議（派遣#{self.case_id}）"
