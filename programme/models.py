import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def february_end(fiscal_year):
    """Last day of February in the calendar year the fiscal year ends (leap years included)."""
    return datetime.date(fiscal_year + 1, 3, 1) - datetime.timedelta(days=1)


class ProgrammeYear(models.Model):
    """Every numeric rule of the dispatch programme for one fiscal year (edited by the secretariat)."""

    class TravelRule(models.TextChoices):
        ACTUAL = "actual", _("実費（公共交通機関の最安経路）")
        FLAT = "flat", _("定額")
        NONE = "none", _("支給しない")

    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦、4月始まり）"), unique=True)
    dispatch_quota = models.PositiveSmallIntegerField(_("1事業者あたりの派遣回数の上限（年度内）"), default=3)
    it_dispatch_quota = models.PositiveSmallIntegerField(
        _("IT分野を含めた派遣回数の上限（年度内）"), default=5,
        help_text=_("IT分野の派遣に限り、この回数まで利用できます。"),
    )
    it_specialties = models.ManyToManyField(
        "reference.Specialty", verbose_name=_("IT分野として数える専門分野"), blank=True, related_name="+"
    )
    application_deadline = models.DateField(_("派遣申請の締切日"))
    time_window_minutes = models.PositiveSmallIntegerField(_("開始・終了報告の許容幅（±分）"), default=20)
    honorarium_per_visit = models.PositiveIntegerField(_("謝金（1回あたり・円）"), default=30000)
    honorarium_per_hour = models.PositiveIntegerField(_("謝金（1時間あたり・円、0は回数払い）"), default=0)
    honorarium_max_hours = models.PositiveSmallIntegerField(_("謝金の対象となる1回の上限時間"), default=4)
    travel_rule = models.CharField(_("旅費の支給方法"), max_length=10, choices=TravelRule.choices, default=TravelRule.ACTUAL)
    travel_flat_amount = models.PositiveIntegerField(_("旅費の定額（円）"), default=0)
    travel_cap = models.PositiveIntegerField(_("旅費の上限（1回あたり・円、0は上限なし）"), default=0)
    phone_consultation_allowed = models.BooleanField(
        _("災害時特例：電話・Web会議での相談を派遣の根拠として認める"), default=False
    )
    reminder_business_days = models.PositiveSmallIntegerField(_("対応が止まってから催促するまでの営業日数"), default=3)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("事業年度の設定")
        verbose_name_plural = _("事業年度の設定")
        ordering = ["-fiscal_year"]

    def __str__(self):
        from core.dates import fiscal_year_label

        return f"{fiscal_year_label(self.fiscal_year)}（{self.fiscal_year}年度）"

    def is_it(self, specialty_ids):
        """True when any of the given specialties counts as IT this year."""
        wanted = {int(pk) for pk in specialty_ids if pk}
        return bool(wanted & set(self.it_specialty_ids()))

    def it_specialty_ids(self):
        if not hasattr(self, "_it_ids"):
            self._it_ids = list(self.it_specialties.values_list("pk", flat=True))
        return self._it_ids
