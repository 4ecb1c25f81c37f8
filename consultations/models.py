from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consultation(models.Model):
    """A management consultation (経営相談) recorded by a support organisation."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("対面")
        PHONE = "phone", _("電話")
        WEB = "web", _("Web会議")

    class Outcome(models.TextChoices):
        SOLVED = "solved", _("その場で解決")
        CONTINUE = "continue", _("継続相談")
        REFERRED = "referred", _("他機関へ紹介")
        DISPATCH = "dispatch", _("専門家派遣を提案")

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("支援機関"), on_delete=models.PROTECT, related_name="consultations"
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("事業者"), on_delete=models.PROTECT, related_name="consultations"
    )
    held_on = models.DateField(_("相談日"))
    channel = models.CharField(_("相談方法"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("対応した職員"), on_delete=models.PROTECT, related_name="consultations_handled"
    )
    sme_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("相談に来た事業者の担当者"), blank=True, related_name="consultations_attended"
    )
    attendees_note = models.CharField(_("相談者（氏名・役職）"), max_length=200, blank=True)
    topics = models.ManyToManyField("reference.Specialty", verbose_name=_("相談分野"), related_name="consultations")
    problem = models.TextField(_("課題"))
    outcome = models.CharField(_("対応結果"), max_length=10, choices=Outcome.choices)
    next_steps = models.TextField(_("今後の対応"), blank=True)
    photo = models.ImageField(_("相談時の写真"), upload_to="consultations/photos/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("記録者"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("経営相談")
        verbose_name_plural = _("経営相談")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "held_on"]),
            models.Index(fields=["company", "held_on"]),
            # governance's periodic scan reads what changed since its last run
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.company} ({self.get_channel_display()})"


class Referral(models.Model):
    """A consultation handed to another organisation; stays open for both until the receiver closes it."""

    class Status(models.TextChoices):
        OPEN = "open", _("紹介先の対応待ち")
        ACCEPTED = "accepted", _("紹介先が対応中")
        CLOSED = "closed", _("完了")

    consultation = models.ForeignKey(Consultation, verbose_name=_("元の相談"), on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("紹介元"), on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("紹介先"), on_delete=models.PROTECT, related_name="referrals_received"
    )
    note = models.TextField(_("紹介の内容"))
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("紹介者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("紹介日時"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("紹介先の担当者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    result = models.TextField(_("紹介先での対応結果"), blank=True)
    follow_up = models.OneToOneField(
        Consultation, verbose_name=_("紹介先での相談"), null=True, blank=True, on_delete=models.SET_NULL, related_name="referred_from"
    )

    class Meta:
        verbose_name = _("他機関への紹介")
        verbose_name_plural = _("他機関への紹介")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["to_organisation", "status"])]

    def __str__(self):
        return f"{self.from_organisation} → {self.to_organisation}: {self.consultation.company}"
