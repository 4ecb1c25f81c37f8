import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import validate_corporate_number, validate_kana_reading

from .sme import sme_status


class Company(models.Model):
    """A business registered by its members (2nd stage of registration, seed 003)."""

    class LegalForm(models.TextChoices):
        CORPORATION = "corporation", _("法人")
        SOLE = "sole", _("個人事業主")

    legal_form = models.CharField(_("事業形態"), max_length=12, choices=LegalForm.choices)
    corporate_number = models.CharField(
        _("法人番号"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    name = models.CharField(_("事業者名"), max_length=100)
    name_kana = models.CharField(_("事業者名（ふりがな）"), max_length=100, validators=[validate_kana_reading])
    representative = models.CharField(_("代表者氏名"), max_length=60)
    industry = models.ForeignKey(
        "reference.Industry", verbose_name=_("業種"), on_delete=models.PROTECT, related_name="companies"
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture", verbose_name=_("都道府県"), on_delete=models.PROTECT, related_name="companies"
    )
    municipality = models.CharField(_("市区町村"), max_length=40)
    address = models.CharField(_("番地・建物名"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    capital = models.BigIntegerField(_("資本金（円）"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("常時使用する従業員数"))
    founded_on = models.DateField(_("創業・設立日"), null=True, blank=True)
    is_sme = models.BooleanField(_("中小企業者"), default=False, editable=False)
    is_small_business = models.BooleanField(_("小規模事業者"), default=False, editable=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("事業者")
        verbose_name_plural = _("事業者")
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~models.Q(corporate_number=""),
                name="unique_corporate_number",
            )
        ]
        indexes = [models.Index(fields=["prefecture", "industry"])]

    def __str__(self):
        return self.name

    def compute_sme_status(self):
        """Set the stored SME flags from industry, capital and employees (kept for filtering)."""
        status = sme_status(self.industry, self.capital, self.employees)
        self.is_sme = status.is_sme
        self.is_small_business = status.is_small
        return status


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("管理者")
        MEMBER = "member", _("担当者")

    company = models.ForeignKey(Company, verbose_name=_("事業者"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("権限"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("事業者の担当者")
        verbose_name_plural = _("事業者の担当者")
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="unique_membership")]

    def __str__(self):
        return f"{self.company}: {self.user.name}"


def new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An owner invites another person by e-mail to become a member of the company."""

    company = models.ForeignKey(Company, verbose_name=_("事業者"), on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("招待先メールアドレス"))
    token = models.CharField(_("招待トークン"), max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("招待者"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("招待日時"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("承諾日時"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承諾者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("担当者の招待")
        verbose_name_plural = _("担当者の招待")

    def __str__(self):
        return f"{self.company} → {self.email}"
