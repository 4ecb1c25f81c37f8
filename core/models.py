from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what to which object, when. Written by `core.audit.record` only."""

    created_at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("対象の種類", max_length=64)
    object_id = models.CharField("対象ID", max_length=64)
    object_repr = models.CharField("対象", max_length=200, blank=True)
    changes = models.JSONField("内容", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IPアドレス", null=True, blank=True)

    class Meta:
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ScheduledJob(models.Model):
    """When each periodic job last ran. A row is claimed with a conditional UPDATE, so several
    scheduler processes (one per app server) never run the same job twice at once."""

    name = models.CharField("ジョブ", max_length=64, unique=True)
    last_started_at = models.DateTimeField("前回の開始", null=True, blank=True)
    last_finished_at = models.DateTimeField("前回の終了", null=True, blank=True)
    last_ok = models.BooleanField("前回の成否", null=True)
    last_output = models.TextField("前回の出力", blank=True)

    class Meta:
        verbose_name = "定期ジョブ"
        verbose_name_plural = "定期ジョブ"
        ordering = ["name"]

    def __str__(self):
        return self.name
