from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import NATIONAL_ROLES, ORG_ROLES, STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may do comes from their approved RoleGrants."""

    email = models.EmailField(_("メールアドレス"), unique=True)
    name = models.CharField(_("氏名"), max_length=60)
    name_kana = models.CharField(_("ふりがな"), max_length=60, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(_("メール確認日時"), null=True, blank=True)
    pending_email = models.EmailField(_("変更予定のメールアドレス"), blank=True)
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("管理サイトへのアクセス"), default=False)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def email_verified(self):
        return self.email_verified_at is not None

    # Role helpers: read once per request (cached on the instance), from the shared cache while no grant
    # of the user has been written since (core.cache.role_grants), else one query.
    def _grants(self):
        if not hasattr(self, "_grant_cache"):
            from core.cache import role_grants

            self._grant_cache = role_grants(self.pk, self._load_grants) if self.pk else self._load_grants()
        return self._grant_cache

    def _load_grants(self):
        return list(
            self.role_grants.filter(status=RoleGrant.Status.APPROVED).values_list("role", "organisation_id", "bureau_id")
        )

    def role_set(self):
        roles = {role for role, _, _ in self._grants()}
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return roles

    def has_role(self, *roles):
        return bool(self.role_set() & set(roles))

    def is_national(self):
        return self.has_role(*NATIONAL_ROLES)

    def organisation_ids(self, roles=ORG_ROLES):
        return {org for role, org, _ in self._grants() if role in roles and org}

    def chief_organisation_ids(self):
        return self.organisation_ids(roles={Role.CHIEF})

    def bureau_codes(self):
        return {bureau for role, _, bureau in self._grants() if role == Role.BUREAU and bureau}

    def requires_2fa(self):
        return bool(self.role_set() & STAFF_ROLES)

    def forget_roles(self):
        self.__dict__.pop("_grant_cache", None)


class RoleGrant(models.Model):
    """A role held by a user, with the organisation or bureau it applies to and its approval."""

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        APPROVED = "approved", _("承認済み")
        REJECTED = "rejected", _("却下")

    user = models.ForeignKey(User, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("所属支援機関"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    bureau = models.ForeignKey(
        "reference.Bureau", verbose_name=_("経済産業局"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("承認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation"], name="unique_role_per_org"),
        ]

    def __str__(self):
        where = self.organisation or self.bureau or ""
        return f"{self.user.name}: {self.get_role_display()} {where}".strip()
