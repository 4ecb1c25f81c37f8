"""Every transition of a dispatch case, and nothing else, happens here.

Each function takes the actor, locks the case (select_for_update), checks the rule, writes
the new state and a DispatchEvent (who, when, from, to, why) plus an audit row in one
transaction, and queues mail (sent after commit by the outbox worker).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import Role
from companies.models import Company
from consultations.actions import organisation_emails
from consultations.models import Consultation
from core import audit
from core.dates import fiscal_year, span_end
from core.records import in_japanese
from directory.models import ExpertProfile
from notifications.mail import queue_mail
from programme.services import programme_for_year

from . import ics
from .models import CANCELLABLE_STATES, EDITABLE_STATES, DispatchCase, DispatchEvent, State
from .wallet import wallet_for

try:  # measured responsiveness per organisation (intake)
    from intake.stats import record_dispatch_applied
except ImportError:  # pragma: no cover
    def record_dispatch_applied(organisation, when=None):
        return None

try:  # the directory's measured facts (open dispatches per expert) when that module is present
    from directory.stats import record_expert_activity
except ImportError:  # pragma: no cover
    def record_expert_activity(expert_id, **changes):
        return None


class Refused(Exception):
    """A rule refuses the action; `reasons` are Japanese sentences shown to the user."""

    def __init__(self, *reasons):
        self.reasons = [r for r in reasons if r]
        super().__init__(" ".join(self.reasons))


CASE_FIELDS = ["company", "consultation", "expert", "topic", "request_text", "place", "starts_at", "ends_at"]


def _is_staff_of(actor, case):
    return case.organisation_id in actor.organisation_ids()


def _is_secretariat(actor):
    return actor.has_role(Role.SECRETARIAT, Role.ADMIN)


def _lock(case_id):
    return DispatchCase.objects.select_for_update(of=("self",)).select_related(
        "company", "expert", "expert__user", "organisation", "topic", "consultation"
    ).get(pk=case_id)


def _transition(case, actor, to_state, reason="", request=None, extra_fields=()):
    old = case.state
    now = timezone.now()
    case.state = to_state
    case.step_started_at = now
    case.reminded_at = None
    case.save(update_fields=["state", "step_started_at", "reminded_at", "updated_at", *extra_fields])
    DispatchEvent.objects.create(case=case, actor=actor, from_state=old, to_state=to_state, reason=reason)
    audit.record(actor, f"dispatch.{to_state}", case, {"state": [old, to_state], "reason": reason}, request=request)
    return case


# ---- recipients ----------------------------------------------------------------------------

def sme_emails(case):
    return list(case.company.memberships.filter(user__is_active=True).values_list("user__email", flat=True))


def _attendees(case):
    people = [(m.user.name, m.user.email) for m in case.company.memberships.select_related("user")]
    people.append((case.expert.display_name, case.expert.user.email))
    people += [(case.organisation.name, email) for email in organisation_emails(case.organisation)]
    return people


def _everyone(case):
    return list(dict.fromkeys(sme_emails(case) + [case.expert.user.email] + organisation_emails(case.organisation)))


# ---- rules ---------------------------------------------------------------------------------

def _check_case_data(case, programme):
    """Reasons the case may not be applied for (Japanese), empty when it may."""
    reasons = []
    today = timezone.localdate()
    if today > programme.application_deadline:
        reasons.append(
            _("%(fy)s年度の派遣申請の締切（%(date)s）を過ぎています。")
            % {"fy": programme.fiscal_year, "date": date_format(programme.application_deadline, "DATE_FORMAT")}
        )
    if case.starts_at <= timezone.now():
        reasons.append(_("支援日時が過ぎています。日程を変更してから申請してください。"))
    reasons.append(_consultation_refusal(case, programme))
    reasons.append(_expert_refusal(case))
    wallet = wallet_for(case.company_id, case.fiscal_year, exclude_case_id=case.pk)
    reasons.append(wallet.refusal(programme.is_it([case.topic_id])))
    return [r for r in reasons if r]


def _consultation_refusal(case, programme):
    c = case.consultation
    if c is None or c.company_id != case.company_id:
        return _("この事業者の経営相談の記録がありません。派遣の前に支援機関での相談（原則対面）を記録してください。")
    if c.held_on > timezone.localtime(case.starts_at).date():
        return _("根拠となる相談は、支援日より前に行われたものを選んでください。")
    if c.channel != Consultation.Channel.IN_PERSON and not programme.phone_consultation_allowed:
        return _("電話・Web会議での相談は派遣の根拠にできません（災害時の特例がある年度を除く）。対面での相談を記録してください。")
    if c.channel == Consultation.Channel.IN_PERSON and not c.photo:
        return _("相談時の写真（支援を受ける方が写っているもの）が登録されていません。相談の記録に写真を追加してください。")
    return ""


def _expert_refusal(case):
    expert = case.expert
    if expert.status != ExpertProfile.Status.APPROVED:
        return _("この専門家は事務局の承認を受けていないため、派遣できません。")
    if not expert.areas.filter(pk=case.company.prefecture_id).exists():
        return _("この専門家は%(pref)sに対応していません。対応地域の専門家を選んでください。") % {"pref": case.company.prefecture}
    return _overlap_refusal(case)


def _overlap_refusal(case):
    clash = (
        DispatchCase.objects.booked().filter(expert_id=case.expert_id)
        .overlapping(case.starts_at, case.ends_at).exclude(pk=case.pk).first()
    )
    if clash:
        start = timezone.localtime(clash.starts_at)
        return _("この専門家は%(start)s〜%(end)sに別の派遣の予定があります。日時か専門家を変更してください。") % {
            "start": date_format(start, "MONTH_DAY_TIME_FORMAT"), "end": span_end(clash.starts_at, clash.ends_at),
        }
    return ""


# ---- transitions ---------------------------------------------------------------------------

def _validate_times(starts_at, ends_at):
    if ends_at <= starts_at:
        raise Refused(_("終了予定は開始予定より後にしてください。"))


@transaction.atomic
def create_case(actor, organisation, data, request=None):
    """A draft proposed by the organisation (no checks of the quota yet: those run at application)."""
    if organisation.pk not in actor.organisation_ids():
        raise PermissionDenied
    _validate_times(data["starts_at"], data["ends_at"])
    case = DispatchCase(organisation=organisation, created_by=actor, state=State.DRAFT, step_started_at=timezone.now())
    for name in CASE_FIELDS:
        setattr(case, name, data.get(name))
    case.fiscal_year = fiscal_year(timezone.localtime(case.starts_at).date())
    case.save()
    DispatchEvent.objects.create(case=case, actor=actor, from_state="", to_state=State.DRAFT, reason=in_japanese(gettext_noop("下書きを作成")))
    audit.record(actor, "dispatch.created", case, {"company": case.company.name, "expert": case.expert.display_name}, request=request)
    return case


@transaction.atomic
def update_case(actor, case_id, data, request=None):
    case = _lock(case_id)
    if not _is_staff_of(actor, case):
        raise PermissionDenied
    if case.state not in EDITABLE_STATES:
        raise Refused(_("この状態の派遣は編集できません。"))
    _validate_times(data["starts_at"], data["ends_at"])
    before = audit.snapshot(case, CASE_FIELDS)
    for name in CASE_FIELDS:
        setattr(case, name, data.get(name))
    case.fiscal_year = fiscal_year(timezone.localtime(case.starts_at).date())
    case.save()
    audit.record(actor, "dispatch.updated", case, audit.diff(before, audit.snapshot(case, CASE_FIELDS)), request=request)
    return case


@transaction.atomic
def apply_case(actor, case_id, request=None):
    # Lock the company first: applications by two organisations for one SME queue here, so the quota holds.
    company_id = DispatchCase.objects.values_list("company_id", flat=True).get(pk=case_id)
    Company.objects.select_for_update().get(pk=company_id)
    case = _lock(case_id)
    if not _is_staff_of(actor, case):
        raise PermissionDenied
    if case.state not in EDITABLE_STATES:
        raise Refused(_("この派遣は「%(state)s」のため申請できません。") % {"state": case.get_state_display()})
    ExpertProfile.objects.select_for_update().get(pk=case.expert_id)  # serialise bookings of one expert
    programme = programme_for_year(case.fiscal_year)
    reasons = _check_case_data(case, programme)
    if reasons:
        raise Refused(*reasons)
    _transition(case, actor, State.APPLIED, request=request)
    record_dispatch_applied(case.organisation)  # the directory shows dispatches applied this year per organisation
    queue_mail(settings.SECRETARIAT_EMAIL, "dispatch_applied", {"case": case})
    return case


def _secretariat_case(actor, case_id, expected):
    if not _is_secretariat(actor):
        raise PermissionDenied
    case = _lock(case_id)
    if case.state != expected:
        raise Refused(_("この派遣は「%(state)s」のため、この操作はできません。") % {"state": case.get_state_display()})
    return case


@transaction.atomic
def approve_case(actor, case_id, request=None):
    case = _secretariat_case(actor, case_id, State.APPLIED)
    _transition(case, actor, State.APPROVED, request=request)
    queue_mail(case.expert.user.email, "dispatch_request", {"case": case})
    queue_mail(organisation_emails(case.organisation) or [settings.SECRETARIAT_EMAIL], "dispatch_approved", {"case": case})
    return case


@transaction.atomic
def return_case(actor, case_id, reason, request=None):
    if not reason.strip():
        raise Refused(_("差戻しの理由を入力してください。"))
    case = _secretariat_case(actor, case_id, State.APPLIED)
    _transition(case, actor, State.RETURNED, reason, request=request)
    queue_mail(organisation_emails(case.organisation) or [settings.SECRETARIAT_EMAIL], "dispatch_returned", {"case": case, "reason": reason})
    return case


def _expert_case(actor, case_id):
    case = _lock(case_id)
    if case.expert.user_id != actor.pk:
        raise PermissionDenied
    if case.state != State.APPROVED:
        raise Refused(_("この派遣は「%(state)s」のため、回答できません。") % {"state": case.get_state_display()})
    return case


@transaction.atomic
def accept_case(actor, case_id, request=None):
    expert_id = DispatchCase.objects.values_list("expert_id", flat=True).get(pk=case_id)
    ExpertProfile.objects.select_for_update().get(pk=expert_id)
    case = _expert_case(actor, case_id)
    if case.expert.status != ExpertProfile.Status.APPROVED:
        raise Refused(_("専門家の登録が停止されているため、引き受けられません。事務局にお問い合わせください。"))
    refusal = _overlap_refusal(case)
    if refusal:
        raise Refused(refusal)
    _transition(case, actor, State.SCHEDULED, request=request)
    record_expert_activity(case.expert_id, open_dispatches=1)
    attachment = ics.attachment_for(case, _attendees(case), method="REQUEST")
    queue_mail(_everyone(case), "dispatch_scheduled", {"case": case}, attachments=[attachment])
    return case


@transaction.atomic
def decline_case(actor, case_id, reason, request=None):
    if not reason.strip():
        raise Refused(_("辞退の理由を入力してください。"))
    case = _expert_case(actor, case_id)
    _transition(case, actor, State.DECLINED, reason, request=request)
    queue_mail(organisation_emails(case.organisation) or [settings.SECRETARIAT_EMAIL], "dispatch_declined", {"case": case, "reason": reason})
    return case


@transaction.atomic
def reschedule_case(actor, case_id, starts_at, ends_at, place, reason, request=None):
    """Move a scheduled visit: everyone gets the updated invitation (same UID, SEQUENCE + 1)."""
    case = _lock(case_id)
    if not (_is_staff_of(actor, case) or _is_secretariat(actor)):
        raise PermissionDenied
    if case.state != State.SCHEDULED:
        raise Refused(_("日程を変更できるのは日程確定後の派遣だけです。"))
    if not reason.strip():
        raise Refused(_("日程変更の理由を入力してください。"))
    _validate_times(starts_at, ends_at)
    if starts_at <= timezone.now():
        raise Refused(_("過去の日時には変更できません。"))
    if fiscal_year(timezone.localtime(starts_at).date()) != case.fiscal_year:
        raise Refused(_("年度をまたぐ日程変更はできません。取り消して新たに申請してください。"))
    ExpertProfile.objects.select_for_update().get(pk=case.expert_id)
    before = {"starts_at": case.starts_at, "ends_at": case.ends_at, "place": case.place}
    case.starts_at, case.ends_at, case.place = starts_at, ends_at, place
    refusal = _overlap_refusal(case)
    if refusal:
        raise Refused(refusal)
    case.ics_sequence += 1
    case.save(update_fields=["starts_at", "ends_at", "place", "ics_sequence", "updated_at"])
    DispatchEvent.objects.create(case=case, actor=actor, from_state=case.state, to_state=case.state, reason=in_japanese(gettext_noop("日程変更：")) + reason)
    audit.record(actor, "dispatch.rescheduled", case, audit.diff(before, {"starts_at": starts_at, "ends_at": ends_at, "place": place}), request=request)
    attachment = ics.attachment_for(case, _attendees(case), method="REQUEST")
    queue_mail(_everyone(case), "dispatch_rescheduled", {"case": case, "reason": reason}, attachments=[attachment])
    return case


@transaction.atomic
def cancel_case(actor, case_id, reason, request=None):
    case = _lock(case_id)
    if not (_is_staff_of(actor, case) or _is_secretariat(actor)):
        raise PermissionDenied
    if not reason.strip():
        raise Refused(_("取消しの理由を入力してください。"))
    if case.state not in CANCELLABLE_STATES:
        raise Refused(_("この派遣は「%(state)s」のため取り消せません。") % {"state": case.get_state_display()})
    was_scheduled = case.state == State.SCHEDULED
    was_visible_to_expert = case.state in (State.APPROVED, State.SCHEDULED)
    if was_scheduled:
        case.ics_sequence += 1
    _transition(case, actor, State.CANCELLED, reason, request=request, extra_fields=["ics_sequence"])
    context = {"case": case, "reason": reason}
    if was_scheduled:
        record_expert_activity(case.expert_id, open_dispatches=-1)
        attachment = ics.attachment_for(case, _attendees(case), method="CANCEL")
        queue_mail(_everyone(case), "dispatch_cancelled", context, attachments=[attachment])
    else:
        recipients = organisation_emails(case.organisation) + ([case.expert.user.email] if was_visible_to_expert else [])
        queue_mail(recipients or [settings.SECRETARIAT_EMAIL], "dispatch_cancelled", context)
    return case


@transaction.atomic
def mark_no_show(actor, case_id, reason, request=None):
    case = _lock(case_id)
    if not (_is_staff_of(actor, case) or _is_secretariat(actor)):
        raise PermissionDenied
    if case.state != State.SCHEDULED:
        raise Refused(_("不実施にできるのは日程確定済みの派遣だけです。"))
    if case.starts_at > timezone.now():
        raise Refused(_("支援開始予定の前には不実施にできません。来られない場合は取消しにしてください。"))
    if not reason.strip():
        raise Refused(_("不実施の理由を入力してください。"))
    _transition(case, actor, State.NO_SHOW, reason, request=request)
    record_expert_activity(case.expert_id, open_dispatches=-1)
    queue_mail(_everyone(case), "dispatch_no_show", {"case": case, "reason": reason})
    return case


@transaction.atomic
def mark_reminded(case_id, now):
    """Claim the reminder for the case's current step; False when it was already sent."""
    return DispatchCase.objects.filter(pk=case_id, reminded_at=None).update(reminded_at=now) == 1
