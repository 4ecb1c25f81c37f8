from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token itself is shown once.

    A request with the token acts as its user, with the user's current roles (no separate scopes):
    the API sees exactly what the user sees in the web UI.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="利用者", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名前（用途）", max_length=60)
    prefix = models.CharField("トークンの先頭", max_length=12)
    token_hash = models.CharField("トークンのハッシュ（SHA-256）", max_length=64, unique=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    expires_at = models.DateTimeField("有効期限", null=True, blank=True)
    last_used_at = models.DateTimeField("最終利用日時", null=True, blank=True)
    revoked_at = models.DateTimeField("無効にした日時", null=True, blank=True)

    class Meta:
        verbose_name = "APIトークン"
        verbose_name_plural = "APIトークン"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now=None):
        return self.revoked_at is None and not self.is_expired(now)
