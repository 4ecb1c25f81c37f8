from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Outbox.Status.PENDING, next_attempt_at__lte=now)


class Outbox(models.Model):
    """Every outgoing mail is a row here first; the worker sends it and retries on failure."""

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗（再送上限）")

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    template = models.CharField(_("テンプレート"), max_length=60)
    to = models.JSONField(_("宛先"))
    subject = models.CharField(_("件名"), max_length=200)
    body_text = models.TextField(_("本文"))
    body_html = models.TextField(_("本文（HTML）"), blank=True)
    attachments = models.JSONField(_("添付"), default=list, blank=True)
    message_id = models.CharField("Message-ID", max_length=200, unique=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("送信試行回数"), default=0)
    next_attempt_at = models.DateTimeField(_("次回送信日時"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(_("送信開始日時"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    last_error = models.TextField(_("直近のエラー"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class InboundMailQuerySet(models.QuerySet):
    def open(self):
        """Waiting for the secretariat: not applied automatically, or applied but flagged, and not closed."""
        return self.filter(handled_at__isnull=True).filter(
            models.Q(status__in=[InboundMail.Status.RECEIVED, InboundMail.Status.UNMATCHED, InboundMail.Status.REJECTED])
            | models.Q(needs_review=True)
        )

    def without_raw(self):
        return self.defer("raw")


class InboundMail(models.Model):
    """Every mail received for the secretariat, kept whole, with what the system made of it."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("受信（未処理）")
        MATCHED = "matched", _("反映済み")
        UNMATCHED = "unmatched", _("照合できず（要確認）")
        REJECTED = "rejected", _("受付不可（要確認）")

    class Kind(models.TextChoices):
        START = "start", _("支援開始の報告")
        END = "end", _("支援終了の報告")
        PHOTO = "photo", _("支援状況の写真")
        CONSENT = "consent", _("写真提出の同意書")

    class Source(models.TextChoices):
        SMTP = "smtp", _("SMTP受信")
        FILE = "file", _("ファイル取込")
        DEMO = "demo", _("デモ")

    dedupe_key = models.CharField(_("重複判定キー（Message-ID）"), max_length=300, unique=True)
    message_id = models.CharField("Message-ID", max_length=250, blank=True)
    received_at = models.DateTimeField(_("受信日時"), default=timezone.now, db_index=True)
    source = models.CharField(_("受信経路"), max_length=10, choices=Source.choices, default=Source.FILE)
    envelope_from = models.CharField(_("エンベロープ送信者"), max_length=254, blank=True)
    envelope_to = models.JSONField(_("エンベロープ宛先"), default=list, blank=True)
    from_address = models.CharField(_("差出人アドレス"), max_length=254, blank=True, db_index=True)
    from_name = models.CharField(_("差出人名"), max_length=200, blank=True)
    subject = models.CharField(_("件名"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("送信日時（Dateヘッダー）"), null=True, blank=True)
    size = models.PositiveIntegerField(_("サイズ（バイト）"), default=0)
    raw = models.BinaryField(_("受信したメール（原文）"))
    attachments = models.JSONField(_("添付ファイル"), default=list, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices, blank=True)
    reason = models.TextField(_("判定の理由"), blank=True)
    needs_review = models.BooleanField(_("事務局の確認が必要"), default=False)
    case = models.ForeignKey(
        "dispatch.DispatchCase", verbose_name=_("照合した派遣"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="inbound_mails",
    )
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("事業者"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="inbound_mails",
    )
    reported_at = models.DateTimeField(_("件名の時刻"), null=True, blank=True)
    delivery_count = models.PositiveIntegerField(_("受信回数"), default=1)
    processed_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("手動で照合した人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    handled_at = models.DateTimeField(_("対応済みにした日時"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("対応済みにした人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    note = models.TextField(_("事務局のメモ"), blank=True)

    objects = InboundMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("受信メール")
        verbose_name_plural = _("受信メール")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"受信#{self.pk} {self.subject or '（件名なし）'}"


class InboundRules(models.Model):
    """The mail-report rules of one programme year (kept here so this app owns its migrations)."""

    programme = models.OneToOneField(
        "programme.ProgrammeYear", verbose_name=_("事業年度"), on_delete=models.CASCADE, related_name="inbound_rules"
    )
    accept_any_sender = models.BooleanField(
        _("登録アドレス以外（スマートフォン等）からの報告も受け付ける"), default=False,
        help_text=_("受け付けたメールは事務局の確認対象になります。"),
    )
    match_tolerance_minutes = models.PositiveSmallIntegerField(
        _("件名の時刻と予定時刻のずれの上限（分）"), default=90,
        help_text=_("これを超えてずれた報告は自動では反映せず、事務局が確認します。"),
    )
    max_attachment_mb = models.PositiveSmallIntegerField(_("添付ファイル1件の上限（MB）"), default=10)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("メール報告の設定")
        verbose_name_plural = _("メール報告の設定")

    def __str__(self):
        return str(self.programme)
