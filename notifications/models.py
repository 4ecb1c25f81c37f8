from django.db import models
from django.utils import timezone


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Outbox.Status.PENDING, next_attempt_at__lte=now)


class Outbox(models.Model):
    """Every outgoing mail is a row here first; the worker sends it and retries on failure."""

    class Status(models.TextChoices):
        PENDING = "pending", "送信待ち"
        SENDING = "sending", "送信中"
        SENT = "sent", "送信済み"
        FAILED = "failed", "送信失敗（再送上限）"

    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    template = models.CharField("テンプレート", max_length=60)
    to = models.JSONField("宛先")
    subject = models.CharField("件名", max_length=200)
    body_text = models.TextField("本文")
    body_html = models.TextField("本文（HTML）", blank=True)
    attachments = models.JSONField("添付", default=list, blank=True)
    message_id = models.CharField("Message-ID", max_length=200, unique=True)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField("送信試行回数", default=0)
    next_attempt_at = models.DateTimeField("次回送信日時", default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField("送信開始日時", null=True, blank=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    last_error = models.TextField("直近のエラー", blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = "送信メール"
        verbose_name_plural = "送信メール"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
