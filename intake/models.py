"""An SME's request to consult a specific expert, answered by a support organisation within 2 business days.

Hook for the consultations app: once accepted, a request becomes a consultation when it is held.
The consultation form can be prefilled from the request (company, organisation, problem, channel,
appointment date); after `consultations.actions.record_consultation` the caller runs
`intake.actions.link_consultation(actor, request_pk, consultation.pk)`, which stores the id in
`ExpertRequest.consultation_ref` and writes a timeline row. (A real FK can replace the id field once
the consultations app is merged.)
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ExpertRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=ExpertRequest.State.SUBMITTED)

    def overdue(self, now=None):
        return self.open().filter(deadline_at__lt=now or timezone.now())

    def for_inbox(self):
        """Open requests first, oldest deadline first (overdue ones therefore on top), then the answered."""
        return self.order_by(
            models.Case(models.When(state=ExpertRequest.State.SUBMITTED, then=0), default=1),
            "deadline_at",
            "-submitted_at",
        )


class ExpertRequest(models.Model):
    """「この専門家に相談したい」: an SME asks a support organisation for a consultation with an expert."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", gettext_lazy("回答待ち")
        ACCEPTED = "accepted", gettext_lazy("受付済み（相談日程決定）")
        DECLINED = "declined", gettext_lazy("お断り")
        WITHDRAWN = "withdrawn", gettext_lazy("取り下げ")
        EXPIRED = "expired", gettext_lazy("期限切れ")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", gettext_lazy("対面")
        PHONE = "phone", gettext_lazy("電話")
        WEB = "web", gettext_lazy("Web会議")

    class Escalation(models.IntegerChoices):
        NONE = 0, gettext_lazy("なし")
        CHIEF = 1, gettext_lazy("チーフコーディネーターへ連絡済み")
        BUREAU = 2, gettext_lazy("経済産業局へ連絡済み")

    company = models.ForeignKey(
        "companies.Company", verbose_name=gettext_lazy("事業者"), on_delete=models.PROTECT, related_name="expert_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("依頼者"), on_delete=models.PROTECT, related_name="expert_requests"
    )
    expert = models.ForeignKey(
        "directory.ExpertProfile", verbose_name=gettext_lazy("希望する専門家"), on_delete=models.PROTECT, related_name="requests"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=gettext_lazy("依頼先の支援機関"), on_delete=models.PROTECT, related_name="expert_requests"
    )
    problem = models.TextField(gettext_lazy("相談したい課題"))
    preferred_channel = models.CharField(
        gettext_lazy("希望する相談方法"), max_length=10, choices=Channel.choices, default=Channel.IN_PERSON
    )
    state = models.CharField(gettext_lazy("状態"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_at = models.DateTimeField(gettext_lazy("依頼日時"), default=timezone.now)
    deadline_at = models.DateTimeField(gettext_lazy("回答期限"))
    first_response_at = models.DateTimeField(gettext_lazy("最初の回答日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("回答した職員"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decline_reason = models.TextField(gettext_lazy("お断りの理由"), blank=True)
    appointment_at = models.DateTimeField(gettext_lazy("相談日時"), null=True, blank=True)
    appointment_channel = models.CharField(gettext_lazy("相談方法"), max_length=10, choices=Channel.choices, blank=True)
    appointment_place = models.CharField(gettext_lazy("場所・接続先"), max_length=200, blank=True)
    appointment_note = models.TextField(gettext_lazy("事業者への連絡事項"), blank=True)
    escalation = models.PositiveSmallIntegerField(
        gettext_lazy("督促の段階"), choices=Escalation.choices, default=Escalation.NONE
    )
    consultation_ref = models.PositiveBigIntegerField(gettext_lazy("相談記録ID"), null=True, blank=True)
    updated_at = models.DateTimeField(gettext_lazy("更新日時"), auto_now=True)

    objects = ExpertRequestQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("専門家への相談依頼")
        verbose_name_plural = gettext_lazy("専門家への相談依頼")
        indexes = [
            models.Index(fields=["organisation", "state", "deadline_at"]),
            models.Index(fields=["organisation", "submitted_at"]),
            models.Index(fields=["state", "deadline_at"]),
        ]

    def __str__(self):
        return f"相談依頼 #{self.pk} {self.company}→{self.organisation}"

    @property
    def is_open(self):
        return self.state == self.State.SUBMITTED

    def is_overdue(self, now=None):
        return self.is_open and self.deadline_at < (now or timezone.now())

    def next_actor(self):
        """Who must act next, in words the SME understands (SPEC §5 item 5)."""
        if self.state == self.State.SUBMITTED:
            if self.escalation == self.Escalation.BUREAU:
                return _("%(org)s（経済産業局に督促済み）") % {"org": self.organisation}
            if self.escalation == self.Escalation.CHIEF:
                return _("%(org)s（チーフコーディネーターに督促済み）") % {"org": self.organisation}
            return _("%(org)sの相談員") % {"org": self.organisation}
        if self.state == self.State.ACCEPTED and self.consultation_ref:
            return _("%(org)s（相談の結果を受けて次の対応を決定）") % {"org": self.organisation}
        if self.state == self.State.ACCEPTED:
            return _("相談日に事業者と支援機関が面談")
        if self.state in (self.State.DECLINED, self.State.EXPIRED):
            return _("事業者（別の支援機関への依頼を検討）")
        return _("対応は終了しました")


class RequestEvent(models.Model):
    """One row per transition or escalation: the request's timeline."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", gettext_lazy("依頼")
        ACCEPTED = "accepted", gettext_lazy("受付・相談日程の提案")
        DECLINED = "declined", gettext_lazy("お断り")
        WITHDRAWN = "withdrawn", gettext_lazy("取り下げ")
        EXPIRED = "expired", gettext_lazy("期限切れ")
        ESCALATED_CHIEF = "escalated_chief", gettext_lazy("チーフコーディネーターへ督促")
        ESCALATED_BUREAU = "escalated_bureau", gettext_lazy("経済産業局へ督促")
        CONSULTED = "consulted", gettext_lazy("相談を実施（相談記録に引継ぎ）")

    request = models.ForeignKey(ExpertRequest, verbose_name=gettext_lazy("相談依頼"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(gettext_lazy("種類"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("実施者"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    at = models.DateTimeField(gettext_lazy("日時"), default=timezone.now)
    from_state = models.CharField(gettext_lazy("変更前"), max_length=10, choices=ExpertRequest.State.choices, blank=True)
    to_state = models.CharField(gettext_lazy("変更後"), max_length=10, choices=ExpertRequest.State.choices, blank=True)
    reason = models.TextField(gettext_lazy("理由・内容"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("相談依頼の経過")
        verbose_name_plural = gettext_lazy("相談依頼の経過")
        ordering = ["at", "pk"]
        constraints = [
            # Escalations happen once each, whatever the scheduler does.
            models.UniqueConstraint(
                fields=["request", "kind"],
                condition=models.Q(kind__in=["escalated_chief", "escalated_bureau", "expired"]),
                name="intake_escalation_once",
            )
        ]

    def __str__(self):
        return f"{self.request_id}: {self.get_kind_display()}"


class OrganisationStats(models.Model):
    """Measured responsiveness of one organisation, denormalised so the directory never aggregates per row.

    Written only by intake.stats (refresh_org_stats, on each first response, record_dispatch_applied).
    """

    organisation = models.OneToOneField(
        "directory.Organisation", verbose_name=gettext_lazy("支援機関"), on_delete=models.CASCADE, related_name="stats"
    )
    window_days = models.PositiveSmallIntegerField(gettext_lazy("集計期間（日）"), default=90)
    requests_measured = models.PositiveIntegerField(gettext_lazy("集計対象の依頼件数"), default=0)
    responded = models.PositiveIntegerField(gettext_lazy("回答済みの件数"), default=0)
    median_response_seconds = models.PositiveIntegerField(gettext_lazy("最初の回答までの時間（中央値・秒）"), null=True, blank=True)
    answered_in_time = models.PositiveIntegerField(gettext_lazy("2営業日以内に回答した件数"), default=0)
    share_in_time = models.FloatField(gettext_lazy("2営業日以内の回答率"), null=True, blank=True)
    dispatch_fiscal_year = models.PositiveSmallIntegerField(gettext_lazy("派遣申請の集計年度"), null=True, blank=True)
    dispatches_applied = models.PositiveIntegerField(gettext_lazy("今年度の派遣申請件数"), default=0)
    computed_at = models.DateTimeField(gettext_lazy("集計日時"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("支援機関の対応実績")
        verbose_name_plural = gettext_lazy("支援機関の対応実績")

    def __str__(self):
        return f"{self.organisation}の対応実績"

    @property
    def has_data(self):
        return self.requests_measured > 0

    @property
    def share_percent(self):
        return None if self.share_in_time is None else round(self.share_in_time * 100)

    def median_display(self):
        """「約3時間」「約1.5日」: coarse on purpose, the figure is a median."""
        seconds = self.median_response_seconds
        if seconds is None:
            return ""
        hours = seconds / 3600
        if hours < 1:
            return _("約%(n)s分") % {"n": max(1, round(seconds / 60))}
        if hours < 48:
            return _("約%(n)s時間") % {"n": round(hours)}
        return _("約%(n).1f日") % {"n": hours / 24}
