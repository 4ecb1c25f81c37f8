from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentSettings(models.Model):
    """Thresholds of the secretariat's anomaly checks for one fiscal year (edited by the secretariat)."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    travel_speed_kmh = models.PositiveSmallIntegerField(
        _("移動の速さの上限（km/時）"), default=150,
        help_text=_("都道府県庁間の直線距離をこの速さで割った時間より、前の支援の終了から次の支援の開始までが短いと確認の対象にします。"),
    )
    pair_visits_threshold = models.PositiveSmallIntegerField(
        _("同じ専門家と事業者の組合せの年度内の派遣回数（この回数以上で確認）"), default=3
    )
    similarity_percent = models.PositiveSmallIntegerField(
        _("支援報告の本文の一致率（％、この値以上で確認）"), default=85
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("支払前点検の設定")
        verbose_name_plural = _("支払前点検の設定")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"{self.fiscal_year}年度の支払前点検の設定"


class PaymentBatch(models.Model):
    """One run of payments: verified cases of a period, one 全銀 file, one transfer per expert."""

    class State(models.TextChoices):
        OPEN = "open", _("作成済み（振込ファイル未出力）")
        EXPORTED = "exported", _("振込ファイル出力済み（支払待ち）")
        PAYING = "paying", _("支払済みにする処理中")
        PAID = "paid", _("支払済み")
        CANCELLED = "cancelled", _("取消し")

    period_start = models.DateField(_("対象期間（支援日）の初日"))
    period_end = models.DateField(_("対象期間（支援日）の末日"))
    transfer_date = models.DateField(_("振込指定日"))
    state = models.CharField(_("状態"), max_length=9, choices=State.choices, default=State.OPEN, db_index=True)
    case_count = models.PositiveIntegerField(_("派遣件数"), default=0)
    payee_count = models.PositiveIntegerField(_("振込件数（専門家）"), default=0)
    honorarium_total = models.PositiveBigIntegerField(_("謝金の合計（円）"), default=0)
    travel_total = models.PositiveBigIntegerField(_("旅費の合計（円）"), default=0)
    withholding_total = models.PositiveBigIntegerField(_("源泉徴収税額の合計（円）"), default=0)
    net_total = models.PositiveBigIntegerField(_("振込金額の合計（円）"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作成者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    exported_at = models.DateTimeField(_("振込ファイルの初回出力日時"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("振込ファイルの出力者"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    export_count = models.PositiveSmallIntegerField(_("振込ファイルの出力回数"), default=0)
    file_sha256 = models.CharField(_("振込ファイルのSHA-256"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("支払済みにした日時"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("支払済みにした人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(_("取消しの理由"), blank=True)
    # Progress of the background task that marks the cases paid (payments.tasks.pay_batch).
    paying_started_at = models.DateTimeField(_("支払済みにする処理の開始日時"), null=True, blank=True)
    paying_progress_at = models.DateTimeField(_("支払済みにする処理の最終進捗日時"), null=True, blank=True)
    paying_done = models.PositiveIntegerField(_("支払済みにした派遣の数"), default=0)
    paying_problem = models.TextField(_("支払済みにする処理が止まった理由"), blank=True)

    class Meta:
        verbose_name = _("支払バッチ")
        verbose_name_plural = _("支払バッチ")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"支払バッチ#{self.pk}（振込指定日 {self.transfer_date:%Y-%m-%d}）"

    @property
    def gross_total(self):
        return self.honorarium_total + self.travel_total


class Remittance(models.Model):
    """One payment (支払) to one expert in a batch: one data record of the 全銀 file, one statement.
    Withholding is computed on this total, as the tax applies per payment."""

    batch = models.ForeignKey(PaymentBatch, verbose_name=_("支払バッチ"), on_delete=models.CASCADE, related_name="remittances")
    expert = models.ForeignKey(
        "directory.ExpertProfile", verbose_name=_("専門家"), on_delete=models.PROTECT, related_name="remittances"
    )
    payee_name = models.CharField(_("支払先の氏名・名称"), max_length=60)
    is_corporation = models.BooleanField(_("法人（源泉徴収なし）"))
    invoice_number = models.CharField(_("適格請求書発行事業者登録番号"), max_length=14, blank=True)
    honorarium = models.PositiveIntegerField(_("謝金（円）"))
    travel = models.PositiveIntegerField(_("旅費（円）"))
    withholding = models.PositiveIntegerField(_("源泉徴収税額（円）"))
    net = models.PositiveIntegerField(_("振込金額（円）"))
    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    bank_name = models.CharField(_("金融機関名"), max_length=60)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    branch_name = models.CharField(_("支店名"), max_length=60)
    account_type = models.CharField(_("預金種目"), max_length=1)
    account_number = models.CharField(_("口座番号"), max_length=7)
    holder_kana = models.CharField(_("口座名義（カナ）"), max_length=60)
    new_code = models.CharField(_("新規コード"), max_length=1, default="0")
    paid_on = models.DateField(_("支払日"), null=True, blank=True)

    class Meta:
        verbose_name = _("専門家への支払")
        verbose_name_plural = _("専門家への支払")
        ordering = ["batch", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "expert"], name="payments_one_remittance_per_expert")]
        indexes = [models.Index(fields=["expert", "paid_on"])]

    def __str__(self):
        return f"{self.payee_name}：{self.net}円（バッチ#{self.batch_id}）"

    @property
    def gross(self):
        return self.honorarium + self.travel

    @property
    def masked_account(self):
        return f"****{self.account_number[-3:]}"


class PaymentLine(models.Model):
    """One case in a payment: the honorarium and travel computed from the year's rules and the report."""

    remittance = models.ForeignKey(Remittance, verbose_name=_("支払"), on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.PROTECT, related_name="payment_lines")
    active = models.BooleanField(_("有効（取消しでないバッチ）"), default=True)
    visit_date = models.DateField(_("支援日"))
    company_name = models.CharField(_("事業者"), max_length=100)
    hours = models.DecimalField(_("支援時間（報告）"), max_digits=4, decimal_places=2)
    honorarium = models.PositiveIntegerField(_("謝金（円）"))
    travel_claimed = models.PositiveIntegerField(_("旅費の請求額（円）"))
    travel_allowed = models.PositiveIntegerField(_("旅費の支給額（円）"))
    travel_route = models.TextField(_("旅費の経路"), blank=True)

    class Meta:
        verbose_name = _("支払の明細")
        verbose_name_plural = _("支払の明細")
        ordering = ["visit_date", "pk"]
        constraints = [
            # A case is paid once: it may be in one batch that is not cancelled.
            models.UniqueConstraint(fields=["case"], condition=Q(active=True), name="payments_case_in_one_batch"),
        ]

    def __str__(self):
        return f"派遣#{self.case_id}：{self.honorarium + self.travel_allowed}円"

    @property
    def gross(self):
        return self.honorarium + self.travel_allowed


class AnomalyFlag(models.Model):
    """Something the secretariat should look at before paying a case, with the reason why."""

    class Kind(models.TextChoices):
        OVERLAP = "overlap", _("同じ専門家の支援時間の重なり")
        TRAVEL = "travel", _("移動が間に合わない2つの支援")
        PAIR = "pair", _("同じ専門家と事業者の組合せが多い")
        TEXT = "text", _("支援報告の本文がほぼ同じ")

    class Status(models.TextChoices):
        OPEN = "open", _("未確認")
        CLEARED = "cleared", _("確認済み（支払ってよい）")
        HELD = "held", _("保留（支払を止める）")

    case = models.ForeignKey("dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="anomaly_flags")
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices)
    key = models.CharField(_("識別子"), max_length=40, help_text=_("同じ指摘を二重に作らないための値"))
    related_case = models.ForeignKey(
        "dispatch.DispatchCase", verbose_name=_("関係する派遣"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("理由"))
    detected_at = models.DateTimeField(_("検出日時"), auto_now_add=True)
    status = models.CharField(_("確認結果"), max_length=7, choices=Status.choices, default=Status.OPEN, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    decision_reason = models.TextField(_("確認の理由"), blank=True)

    class Meta:
        verbose_name = _("支払前点検の指摘")
        verbose_name_plural = _("支払前点検の指摘")
        ordering = ["case", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="payments_one_flag_per_finding")]

    def __str__(self):
        return f"派遣#{self.case_id}：{self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def blocks_payment(self):
        return self.status != self.Status.CLEARED


class AnomalyCheck(models.Model):
    """When a case was last checked: a case is paid only if checked after it was verified."""

    case = models.OneToOneField(
        "dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("点検日時"))

    class Meta:
        verbose_name = _("支払前点検の実施")
        verbose_name_plural = _("支払前点検の実施")


class ReportFingerprint(models.Model):
    """MinHash bands of a support report's text (see similarity.py), refreshed when the text changes."""

    case = models.OneToOneField(
        "dispatch.DispatchCase", verbose_name=_("派遣"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    expert = models.ForeignKey("directory.ExpertProfile", verbose_name=_("専門家"), on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(_("本文のハッシュ"), max_length=32)
    refreshed_at = models.DateTimeField(_("作成日時"), auto_now=True)

    class Meta:
        verbose_name = _("支援報告の指紋")
        verbose_name_plural = _("支援報告の指紋")


class ReportBand(models.Model):
    fingerprint = models.ForeignKey(ReportFingerprint, verbose_name=_("指紋"), on_delete=models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField(_("帯"))
    value = models.BigIntegerField(_("値"))

    class Meta:
        verbose_name = _("支援報告の指紋の帯")
        verbose_name_plural = _("支援報告の指紋の帯")
        indexes = [models.Index(fields=["band", "value"])]
        constraints = [models.UniqueConstraint(fields=["fingerprint", "band"], name="payments_one_value_per_band")]
