from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("下書き（支援機関）")
    APPLIED = "applied", _("申請中（事務局の審査待ち）")
    RETURNED = "returned", _("差戻し（支援機関）")
    APPROVED = "approved", _("承認済み（専門家の回答待ち）")
    DECLINED = "declined", _("専門家が辞退（支援機関）")
    SCHEDULED = "scheduled", _("日程確定")
    DONE = "done", _("支援実施済み")
    REPORTED = "reported", _("報告済み")
    CERTIFIED = "certified", _("従事証明済み")
    VERIFIED = "verified", _("確認済み")
    PAID = "paid", _("支払済み")
    CANCELLED = "cancelled", _("取消し")
    NO_SHOW = "no_show", _("不実施（当日来られず）")
    OUTSIDE = "outside", _("事業対象外（期限超過・自己負担）")


# Cases that use up the SME's free dispatches for the fiscal year.
COUNTED_STATES = [
    State.APPLIED, State.APPROVED, State.SCHEDULED, State.DONE, State.REPORTED,
    State.CERTIFIED, State.VERIFIED, State.PAID,
]
# Cases that book the expert's time.
BOOKED_STATES = [State.APPLIED, State.APPROVED, State.SCHEDULED]
# The organisation may edit and (re)apply.
EDITABLE_STATES = [State.DRAFT, State.RETURNED, State.DECLINED]
# Cancellable: every state before the visit.
CANCELLABLE_STATES = [State.DRAFT, State.APPLIED, State.RETURNED, State.APPROVED, State.DECLINED, State.SCHEDULED]
# Whose move it is, per state (shown as 次に対応が必要な人, and reminded).
HOLDER = {
    State.DRAFT: "organisation",
    State.RETURNED: "organisation",
    State.DECLINED: "organisation",
    State.APPLIED: "secretariat",
    State.APPROVED: "expert",
    State.SCHEDULED: "sme",
    State.DONE: "expert",  # the support report
    State.REPORTED: "sme",  # the service certification
    State.CERTIFIED: "secretariat",  # the evidence check
    State.VERIFIED: "secretariat",  # the payment
}
REMINDED_STATES = [State.APPLIED, State.APPROVED, State.RETURNED, State.DECLINED]


class DispatchCaseQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(state__in=COUNTED_STATES)

    def booked(self):
        return self.filter(state__in=BOOKED_STATES)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def overdue_first(self, before):
        """Cases waiting since before `before` in a reminded state come first."""
        return self.annotate(
            overdue=Case(
                When(state__in=REMINDED_STATES, step_started_at__lt=before, then=Value(0)),
                default=Value(1), output_field=IntegerField(),
            )
        ).order_by("overdue", "starts_at", "pk")


class DispatchCase(models.Model):
    """One expert dispatch (専門家派遣) from the organisation's proposal to payment."""

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("申請する支援機関"), on_delete=models.PROTECT, related_name="dispatch_cases"
    )
    company = models.ForeignKey("companies.Company", verbose_name=_("事業者"), on_delete=models.PROTECT, related_name="dispatch_cases")
    consultation = models.ForeignKey(
        "consultations.Consultation", verbose_name=_("根拠となる相談"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="dispatch_cases",
    )
    expert = models.ForeignKey(
        "directory.ExpertProfile", verbose_name=_("専門家"), on_delete=models.PROTECT, related_name="dispatch_cases"
    )
    topic = models.ForeignKey("reference.Specialty", verbose_name=_("支援分野"), on_delete=models.PROTECT, related_name="+")
    request_text = models.TextField(_("支援の内容"))
    place = models.CharField(_("支援場所"), max_length=200)
    starts_at = models.DateTimeField(_("支援開始予定"))
    ends_at = models.DateTimeField(_("支援終了予定"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    step_started_at = models.DateTimeField(_("現在の状態になった日時"))
    reminded_at = models.DateTimeField(_("催促した日時"), null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(_("予定表の版数（SEQUENCE）"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("作成者"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = DispatchCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("専門家派遣")
        verbose_name_plural = _("専門家派遣")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["company", "fiscal_year", "state"]),
            models.Index(fields=["expert", "starts_at"]),
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["state", "step_started_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="dispatch_ends_after_start"),
        ]

    def __str__(self):
        return f"派遣#{self.pk} {self.company} / {self.expert}"

    @property
    def holder(self):
        return HOLDER.get(self.state)

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def can_cancel(self):
        return self.state in CANCELLABLE_STATES


class DispatchEvent(models.Model):
    """One transition of a case: who, when, from, to, why. The case timeline."""

    case = models.ForeignKey(DispatchCase, verbose_name=_("派遣"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)
    from_state = models.CharField(_("変更前"), max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField(_("変更後"), max_length=10, choices=State.choices)
    reason = models.TextField(_("理由・メモ"), blank=True)

    class Meta:
        verbose_name = _("派遣の経過")
        verbose_name_plural = _("派遣の経過")
        ordering = ["created_at", "pk"]
        # "dispatches certified since …" (governance's actuals and surveys)
        indexes = [models.Index(fields=["to_state", "created_at"])]

    def __str__(self):
        return f"{self.case_id}: {self.from_state} → {self.to_state}"
