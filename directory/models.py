from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import validate_invoice_number, validate_kana_reading, validate_katakana_name


class Organisation(models.Model):
    """A support organisation (支援機関)."""

    class Kind(models.TextChoices):
        YOROZU = "yorozu", _("よろず支援拠点")
        SHOKOKAI = "shokokai", _("商工会")
        CCI = "cci", _("商工会議所")
        SHOKOKAI_FED = "shokokai_fed", _("商工会連合会")
        FINANCIAL = "financial", _("金融機関")
        PROFESSIONAL = "professional", _("士業")
        SME_CENTER = "sme_center", _("中小企業支援センター")
        OTHER = "other", _("その他")

    name = models.CharField(_("名称"), max_length=100)
    name_kana = models.CharField(_("ふりがな"), max_length=100, blank=True, validators=[validate_kana_reading])
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    prefecture = models.ForeignKey(
        "reference.Prefecture", verbose_name=_("都道府県"), on_delete=models.PROTECT, related_name="organisations"
    )
    municipality = models.CharField(_("市区町村"), max_length=40, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("代表メールアドレス"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    hours = models.CharField(_("受付時間"), max_length=100, blank=True, default="平日 9:00〜17:00")
    channel_in_person = models.BooleanField(_("対面相談"), default=True)
    channel_phone = models.BooleanField(_("電話相談"), default=False)
    channel_web = models.BooleanField(_("Web会議相談"), default=False)
    handles_dispatch = models.BooleanField(_("専門家派遣を取り扱う"), default=True)
    is_active = models.BooleanField(_("有効"), default=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("支援機関")
        verbose_name_plural = _("支援機関")
        ordering = ["prefecture_id", "kind", "name"]
        indexes = [models.Index(fields=["prefecture", "kind"])]

    def __str__(self):
        return self.name

    @property
    def bureau(self):
        return self.prefecture.bureau

    def channels(self):
        labels = []
        if self.channel_in_person:
            labels.append(_("対面"))
        if self.channel_phone:
            labels.append(_("電話"))
        if self.channel_web:
            labels.append(_("Web会議"))
        return labels


class ExpertProfile(models.Model):
    """A registered expert (専門家). Usable once the secretariat approves the expert RoleGrant."""

    class Status(models.TextChoices):
        PENDING = "pending", _("審査中")
        APPROVED = "approved", _("承認済み")
        REJECTED = "rejected", _("却下")
        SUSPENDED = "suspended", _("停止中")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    display_name = models.CharField(_("氏名（表示名）"), max_length=60)
    display_name_kana = models.CharField(_("ふりがな"), max_length=60, validators=[validate_kana_reading])
    photo = models.ImageField(_("顔写真"), upload_to="experts/photos/", blank=True)
    headline = models.CharField(_("ひとこと紹介"), max_length=100, blank=True)
    bio = models.TextField(_("自己紹介"), blank=True)
    career = models.TextField(_("経歴"), blank=True)
    specialties = models.ManyToManyField("reference.Specialty", verbose_name=_("専門分野"), related_name="experts")
    industries = models.ManyToManyField(
        "reference.Industry", verbose_name=_("得意業種"), blank=True, related_name="experts"
    )
    areas = models.ManyToManyField("reference.Prefecture", verbose_name=_("対応地域"), related_name="experts")
    base_prefecture = models.ForeignKey(
        "reference.Prefecture",
        verbose_name=_("活動拠点の都道府県"),
        on_delete=models.PROTECT,
        related_name="based_experts",
    )
    is_corporation = models.BooleanField(_("法人として受け取る（源泉徴収なし）"), default=False)
    invoice_number = models.CharField(
        _("適格請求書発行事業者登録番号"), max_length=14, blank=True, validators=[validate_invoice_number]
    )
    status = models.CharField(_("審査状況"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(_("審査コメント"), max_length=200, blank=True)
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("専門家")
        verbose_name_plural = _("専門家")
        indexes = [models.Index(fields=["status", "base_prefecture"])]

    def __str__(self):
        return self.display_name

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED


class ExpertQualification(models.Model):
    expert = models.ForeignKey(
        ExpertProfile, verbose_name=_("専門家"), on_delete=models.CASCADE, related_name="qualifications"
    )
    qualification = models.ForeignKey("reference.Qualification", verbose_name=_("資格"), on_delete=models.PROTECT)
    detail = models.CharField(_("登録番号・補足"), max_length=100, blank=True)
    verified_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("確認者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("専門家の保有資格")
        verbose_name_plural = _("専門家の保有資格")
        constraints = [models.UniqueConstraint(fields=["expert", "qualification"], name="unique_expert_qualification")]

    def __str__(self):
        return f"{self.expert}: {self.qualification}"

    @property
    def is_verified(self):
        return self.verified_at is not None


class BankAccount(models.Model):
    """Where an expert's honorarium is transferred (全銀 codes checked against zengin-code)."""

    class AccountType(models.TextChoices):
        ORDINARY = "1", _("普通")
        CURRENT = "2", _("当座")
        SAVINGS = "4", _("貯蓄")

    expert = models.OneToOneField(
        ExpertProfile, verbose_name=_("専門家"), on_delete=models.CASCADE, related_name="bank_account"
    )
    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    bank_name = models.CharField(_("金融機関名"), max_length=60)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    branch_name = models.CharField(_("支店名"), max_length=60)
    account_type = models.CharField(_("預金種目"), max_length=1, choices=AccountType.choices, default=AccountType.ORDINARY)
    account_number = models.CharField(_("口座番号"), max_length=7)
    holder_kana = models.CharField(_("口座名義（カナ）"), max_length=60, validators=[validate_katakana_name])
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("振込先口座")
        verbose_name_plural = _("振込先口座")

    def __str__(self):
        return f"{self.bank_name} {self.branch_name} {self.get_account_type_display()} ****{self.account_number[-3:]}"


class ExpertStats(models.Model):
    """Facts measured by the system about an expert, kept denormalised so that search and sorting
    never aggregate dispatches or ratings. Written only through directory/stats.py."""

    expert = models.OneToOneField(
        ExpertProfile, verbose_name=_("専門家"), on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    dispatches_completed = models.PositiveIntegerField(_("派遣実施件数"), default=0)
    open_dispatches = models.PositiveIntegerField(_("対応中の派遣件数"), default=0)
    rating_sum = models.PositiveIntegerField(_("評価の合計"), default=0)
    rating_count = models.PositiveIntegerField(_("評価件数"), default=0)
    rating_average = models.FloatField(_("平均評価"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("最終活動日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("専門家の実績")
        verbose_name_plural = _("専門家の実績")
        indexes = [
            models.Index(fields=["-rating_average", "-rating_count"], name="expertstats_rating"),
            models.Index(fields=["-last_activity_at"], name="expertstats_activity"),
        ]

    def __str__(self):
        return f"{self.expert_id}: {self.dispatches_completed}"


class ExpertSearchDoc(models.Model):
    """The expert as the full-text index sees it (normalised tokens, see directory/text.py).
    SQLite mirrors `tokens` into the FTS5 table directory_expert_fts by triggers; PostgreSQL keeps a
    generated tsvector column `tsv` with a GIN index (both created in migration 0002)."""

    expert = models.OneToOneField(
        ExpertProfile, verbose_name=_("専門家"), on_delete=models.CASCADE, primary_key=True, related_name="search_doc"
    )
    tokens = models.TextField(_("索引語"))
    name_key = models.CharField(_("氏名の照合用文字列"), max_length=130)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("専門家の検索索引")
        verbose_name_plural = _("専門家の検索索引")

    def __str__(self):
        return self.name_key
