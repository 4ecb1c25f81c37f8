"""Evidence of the day of support: time reports, photos, the yearly photo consent, the declaration,
and the rules (deadlines) that go with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VisitRules(models.Model):
    """The evidence rules of one programme year that the programme page does not hold yet."""

    programme = models.OneToOneField(
        "programme.ProgrammeYear", verbose_name=_("事業年度"), on_delete=models.CASCADE, related_name="visit_rules"
    )
    evidence_deadline_days = models.PositiveSmallIntegerField(
        _("支援日から証憑（時刻報告・写真・従事証明・申告書）をそろえるまでの日数"), default=30,
        help_text=_("この日数を過ぎると、事務局は派遣を事業対象外（自己負担）にできます。"),
    )
    warn_days_before = models.PositiveSmallIntegerField(_("期限の何日前に関係者へ知らせるか"), default=7)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("証憑の期限の設定")
        verbose_name_plural = _("証憑の期限の設定")

    def __str__(self):
        return f"{self.programme}：{self.evidence_deadline_days}日"


class TimeReport(models.Model):
    """A start or end time of the support, reported by the SME (check-in page or legacy mail)."""

    class Kind(models.TextChoices):
        START = "start", _("支援開始")
        END = "end", _("支援終了")

    class Source(models.TextChoices):
        CHECKIN = "checkin", _("チェックイン（画面）")
        MAIL = "mail", _("メール")

    class Review(models.TextChoices):
        NONE = "", _("確認不要")
        PENDING = "pending", _("事務局の確認待ち")
        ACCEPTED = "accepted", _("事務局が認めた")
        REJECTED = "rejected", _("事務局が認めない")

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="time_reports")
    kind = models.CharField(_("種類"), max_length=5, choices=Kind.choices)
    source = models.CharField(_("報告の方法"), max_length=7, choices=Source.choices)
    reported_at = models.DateTimeField(_("報告された時刻"))
    received_at = models.DateTimeField(_("受信した時刻（サーバー）"))
    planned_at = models.DateTimeField(_("予定の時刻（判定時）"))
    in_window = models.BooleanField(_("許容幅の内"))
    window_minutes = models.PositiveSmallIntegerField(_("許容幅（±分）"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("報告した人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.CharField(_("送信元アドレス"), max_length=254, blank=True)
    review = models.CharField(_("事務局の確認"), max_length=8, choices=Review.choices, default=Review.NONE, blank=True)
    review_reason = models.TextField(_("確認が必要な理由・結果"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("開始・終了時刻の報告")
        verbose_name_plural = _("開始・終了時刻の報告")
        ordering = ["case", "kind", "received_at"]
        constraints = [
            # Nothing double-counted: one report of each kind per way of reporting.
            models.UniqueConstraint(fields=["case", "kind", "source"], name="visits_one_report_per_kind_source"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()} {self.reported_at:%Y-%m-%d %H:%M}"

    @property
    def minutes_off(self):
        """Signed minutes between the reported and the planned time."""
        return round((self.reported_at - self.planned_at).total_seconds() / 60)

    @property
    def counts(self):
        """Whether this report proves the time without a declaration."""
        return self.in_window and self.review in (self.Review.NONE, self.Review.ACCEPTED)


class CheckinAttempt(models.Model):
    """One code entered on the check-in page; wrong ones are throttled per case."""

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("入力した人"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    succeeded = models.BooleanField(_("正しいコード"))

    class Meta:
        verbose_name = _("確認コードの入力")
        verbose_name_plural = _("確認コードの入力")
        indexes = [models.Index(fields=["case", "created_at"])]


class CasePhoto(models.Model):
    """A photo of the support (SME and expert together), private, served only by an audited view."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("画面からの登録")
        MAIL = "mail", _("メール")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("提出済み")
        ACCEPTED = "accepted", _("事務局が確認済み")
        REJECTED = "rejected", _("不備あり（事務局）")

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("写真"), upload_to="visits/photos/")
    source = models.CharField(_("提出の方法"), max_length=6, choices=Source.choices)
    original_filename = models.CharField(_("元のファイル名"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出した人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提出日時"), auto_now_add=True)
    status = models.CharField(_("状態"), max_length=9, choices=Status.choices, default=Status.SUBMITTED)
    status_reason = models.TextField(_("不備の理由"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援状況写真")
        verbose_name_plural = _("支援状況写真")
        ordering = ["case", "created_at", "pk"]

    def __str__(self):
        return f"派遣#{self.case_id}の写真#{self.pk}"


class PhotoConsent(models.Model):
    """写真提出の同意書: once per SME per fiscal year (PDF by mail/upload, or the paper original by post)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("画面からの登録")
        MAIL = "mail", _("メール")
        POST = "post", _("郵送（原本）")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受領済み")
        REJECTED = "rejected", _("不備あり（再提出が必要）")

    company = models.ForeignKey("companies.Company", verbose_name=_("事業者"), on_delete=models.CASCADE, related_name="photo_consents")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    document = models.FileField(_("同意書（PDF）"), upload_to="visits/consents/", blank=True)
    source = models.CharField(_("提出の方法"), max_length=6, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出・記録した人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("受領日時"), auto_now_add=True)
    original_received_at = models.DateTimeField(_("原本の受領日時"), null=True, blank=True)
    original_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("原本を受領した人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状態"), max_length=8, choices=Status.choices, default=Status.RECEIVED)
    status_reason = models.TextField(_("不備の理由"), blank=True)

    class Meta:
        verbose_name = _("写真提出の同意書")
        verbose_name_plural = _("写真提出の同意書")
        ordering = ["company", "-fiscal_year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "fiscal_year"], condition=Q(status="received"), name="visits_one_consent_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.company} {self.fiscal_year}年度の同意書"


class DeclarationScan(models.Model):
    """The signed 支援実施申告書兼再発防止誓約書 (scan), needed when a time report or the photo is missing."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("提出済み（事務局の確認待ち）")
        ACCEPTED = "accepted", _("受理")
        REJECTED = "rejected", _("不備あり（再提出が必要）")

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="declarations")
    document = models.FileField(_("署名・押印済みの申告書"), upload_to="visits/declarations/")
    content_type = models.CharField(_("形式"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出した人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("提出日時"), auto_now_add=True)
    status = models.CharField(_("状態"), max_length=9, choices=Status.choices, default=Status.SUBMITTED)
    status_reason = models.TextField(_("不備の理由"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援実施申告書兼再発防止誓約書")
        verbose_name_plural = _("支援実施申告書兼再発防止誓約書")
        ordering = ["case", "-created_at", "-pk"]

    def __str__(self):
        return f"派遣#{self.case_id}の申告書#{self.pk}"


class DeadlineWarning(models.Model):
    """The warning that a case is about to fall outside the programme, sent once per case and deadline."""

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField(_("期限"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限の事前通知")
        verbose_name_plural = _("期限の事前通知")
        constraints = [models.UniqueConstraint(fields=["case", "deadline"], name="visits_one_warning_per_deadline")]
