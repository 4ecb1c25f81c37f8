from django.db import models
from django.utils.translation import gettext_lazy as _


class Bureau(models.Model):
    """A regional bureau of METI (経済産業局) or 沖縄総合事務局."""

    code = models.CharField(_("コード"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    short_name = models.CharField(_("略称"), max_length=10)
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)

    class Meta:
        verbose_name = _("経済産業局")
        verbose_name_plural = _("経済産業局")
        ordering = ["sort_order"]

    def __str__(self):
        return self.name


class Prefecture(models.Model):
    code = models.CharField(_("都道府県コード"), max_length=2, primary_key=True)  # JIS X 0401
    name = models.CharField(_("都道府県名"), max_length=10)
    bureau = models.ForeignKey(Bureau, verbose_name=_("経済産業局"), on_delete=models.PROTECT, related_name="prefectures")
    latitude = models.FloatField(_("緯度（県庁）"))
    longitude = models.FloatField(_("経度（県庁）"))

    class Meta:
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Industry(models.Model):
    """日本標準産業分類: major divisions (A–T) and the middle divisions the rules need."""

    class Sector(models.TextChoices):
        MANUFACTURING = "M", _("製造業その他")
        WHOLESALE = "W", _("卸売業")
        RETAIL = "R", _("小売業")
        SERVICES = "S", _("サービス業")

    code = models.CharField(_("分類コード"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name=_("大分類"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sme_sector = models.CharField(_("中小企業基本法の業種区分"), max_length=1, choices=Sector.choices, blank=True)
    sort_key = models.CharField(_("並び順"), max_length=8, db_index=True)

    class Meta:
        verbose_name = _("業種（日本標準産業分類）")
        verbose_name_plural = _("業種（日本標準産業分類）")
        ordering = ["sort_key"]

    def __str__(self):
        if self.parent_id:
            return f"{self.parent.code}{self.code} {self.name}"
        return f"{self.code} {self.name}"

    @property
    def major_code(self):
        return self.parent.code if self.parent_id else self.code


class Qualification(models.Model):
    name = models.CharField(_("資格名"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("資格")
        verbose_name_plural = _("資格")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Specialty(models.Model):
    """専門分野: a managed taxonomy the secretariat edits in the admin."""

    name = models.CharField(_("専門分野"), max_length=60, unique=True)
    keywords = models.TextField(_("関連語（検索・推薦用、空白区切り）"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("専門分野")
        verbose_name_plural = _("専門分野")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name
