"""Every change of reports, certifications, evaluations and disputes happens here.

Each function takes the actor, locks the dispatch case (dispatch.actions._lock), checks the rule,
writes the rows, moves the case with dispatch.actions._transition (timeline + audit) and queues mail,
all in one transaction. Refusals raise dispatch.actions.Refused with Japanese reasons.

Lock order is always the case first, then its certification links, so a revision and a
certification racing on one case cannot deadlock.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from companies.models import Membership
from consultations.actions import organisation_emails
from core import audit
from core.records import in_japanese
from directory.stats import record_expert_activity
from dispatch.actions import Refused, _is_secretariat, _is_staff_of, _lock, _transition
from dispatch.models import DispatchEvent, State
from notifications.mail import queue_mail

from . import rules
from .models import Certification, CertificationLink, Dispute, Evaluation, SupportReport, hash_token, new_token

REPORT_FIELDS = ["activities", "advice", "hours", "travel_route", "travel_claimed"]
CERTIFICATION_FIELDS = ["support_date", "start_time", "end_time", "ends_next_day", "content_confirmed"]
EVALUATION_FIELDS = ["satisfaction", "usefulness", "punctuality", "would_recommend", "comment"]


class LinkRefused(Refused):
    """A certification link that cannot be used (unknown, for another case, expired, used, revoked)."""


# ---- the expert's report -------------------------------------------------------------------

def _expert_case(actor, case_id):
    case = _lock(case_id)
    if case.expert.user_id != actor.pk:
        raise PermissionDenied
    return case


def _check_report(case, data):
    reasons = [
        "" if (data.get("activities") or "").strip() else _("実施した支援の内容を入力してください。"),
        "" if (data.get("advice") or "").strip() else _("助言・提案の内容を入力してください。"),
        rules.hours_refusal(case, data.get("hours")),
        rules.travel_refusal(data.get("travel_claimed"), data.get("travel_route")),
    ]
    if any(reasons):
        raise Refused(*reasons)


@transaction.atomic
def submit_report(actor, case_id, data, request=None):
    """The expert files the support report after the visit; the SME members are mailed a certification link."""
    case = _expert_case(actor, case_id)
    refusal = rules.report_refusal(case)
    if refusal:
        raise Refused(refusal)
    _check_report(case, data)
    now = timezone.now()
    report = SupportReport.objects.create(
        case=case, submitted_at=now, submitted_by=actor, **{name: data[name] for name in REPORT_FIELDS}
    )
    was_scheduled = case.state == State.SCHEDULED
    _transition(case, actor, State.REPORTED, in_japanese(gettext_noop("支援報告書を提出")), request=request)
    if was_scheduled:
        # No check-out moved the case to DONE, so the expert's open dispatch ends here.
        record_expert_activity(case.expert_id, open_dispatches=-1, at=now)
    audit.record(actor, "reports.submitted", report, audit.snapshot(report, REPORT_FIELDS), request=request)
    _send_links(case, report, revised=False)
    return report


@transaction.atomic
def revise_report(actor, case_id, data, request=None):
    """The expert corrects the report before certification (e.g. after a dispute); fresh links go out."""
    case = _expert_case(actor, case_id)
    if case.state != State.REPORTED or Certification.objects.filter(case=case).exists():
        raise Refused(_("従事証明の前の報告だけを修正できます（現在：%(state)s）。") % {"state": case.get_state_display()})
    _check_report(case, data)
    report = SupportReport.objects.get(case=case)
    before = audit.snapshot(report, REPORT_FIELDS)
    for name in REPORT_FIELDS:
        setattr(report, name, data[name])
    now = timezone.now()
    report.revised_at = now
    report.save(update_fields=[*REPORT_FIELDS, "revised_at"])
    Dispute.objects.filter(case=case, resolved_at=None).update(resolved_at=now)
    DispatchEvent.objects.create(case=case, actor=actor, from_state=case.state, to_state=case.state, reason=in_japanese(gettext_noop("支援報告書を修正")))
    audit.record(actor, "reports.revised", report, audit.diff(before, audit.snapshot(report, REPORT_FIELDS)), request=request)
    _send_links(case, report, revised=True)
    return report


@transaction.atomic
def reissue_links(actor, case_id, request=None):
    """The secretariat or the organisation sends fresh links (e.g. the first ones expired)."""
    case = _lock(case_id)
    if not (_is_staff_of(actor, case) or _is_secretariat(actor)):
        raise PermissionDenied
    if case.state != State.REPORTED:
        raise Refused(_("従事証明の入力待ちの派遣ではありません（現在：%(state)s）。") % {"state": case.get_state_display()})
    report = SupportReport.objects.get(case=case)
    audit.record(actor, "reports.links_reissued", case, {}, request=request)
    return _send_links(case, report, revised=False)


@transaction.atomic
def remind_certification(case_id):
    """The reminder to certify (sent by reports.reminders): fresh links, so the mail in hand works."""
    case = _lock(case_id)
    if case.state != State.REPORTED:
        return 0
    return _send_links(case, SupportReport.objects.get(case=case), revised=False, reminder=True)


def _send_links(case, report, revised, reminder=False):
    """One single-use link per active SME member; earlier unused links stop working."""
    now = timezone.now()
    CertificationLink.objects.filter(case=case, used_at=None, revoked_at=None).update(revoked_at=now)
    expires_at = rules.link_expiry(case.fiscal_year, now)
    members = Membership.objects.filter(company_id=case.company_id, user__is_active=True).select_related("user")
    sent = 0
    for member in members:
        token = new_token()
        CertificationLink.objects.create(
            case=case, recipient=member.user, token_hash=hash_token(token), expires_at=expires_at
        )
        url = settings.SITE_URL + reverse("reports:certify_link", args=[case.pk, token])
        queue_mail(member.user.email, "report_submitted", {
            "case": case, "report": report, "recipient": member.user, "url": url,
            "expires_at": expires_at, "revised": revised, "reminder": reminder,
        })
        sent += 1
    if not sent:  # nobody to certify: the secretariat must know, or the case would wait silently
        queue_mail(settings.SECRETARIAT_EMAIL, "report_no_member", {"case": case})
    return sent


# ---- certification links ------------------------------------------------------------------

def find_link(case_id, token):
    """The link for this token, refused when unknown or meant for another case (read only)."""
    link = CertificationLink.objects.select_related(
        "recipient", "case", "case__company", "case__expert", "case__organisation"
    ).filter(token_hash=hash_token(token or "")).first()
    if link is None:
        raise LinkRefused(_("このリンクは無効です。メールに記載されたURLを、途中で切れていないか確認してください。"))
    if link.case_id != case_id:
        raise LinkRefused(_("このリンクは別の派遣のためのものです。メールに記載されたURLをそのまま開いてください。"))
    return link


def link_refusal(link, case, now=None):
    """Why the link cannot be used now (Japanese), or ''."""
    now = now or timezone.now()
    if link.used_at:
        return _("このリンクは%(when)sに使用済みです。リンクは1回限り有効です。") % {"when": _when(link.used_at)}
    done = certification_refusal(case)
    if done:
        return done
    if link.revoked_at:
        return _("このリンクは、新しいリンクの送信により無効になりました。最新のメールのリンクを開いてください。")
    if link.expires_at <= now:
        return _(
            "このリンクの有効期限（%(when)s）が切れています。ログインして派遣の画面から入力するか、"
            "支援機関または事務局に新しいリンクの送信を依頼してください。"
        ) % {"when": _when(link.expires_at)}
    if not Membership.objects.filter(company_id=case.company_id, user_id=link.recipient_id, user__is_active=True).exists():
        return _("このリンクの宛先の方は、現在この事業者の担当者として登録されていません。")
    return ""


def certification_refusal(case):
    certification = Certification.objects.select_related("certified_by").filter(case=case).first()
    if certification:
        return _("この派遣の従事証明は%(when)sに%(name)sさんが入力済みです。") % {
            "when": _when(certification.certified_at), "name": certification.certified_by.name,
        }
    if case.state != State.REPORTED:
        return _("この派遣は「%(state)s」のため、従事証明を入力できません。") % {"state": case.get_state_display()}
    return ""


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_MINUTE_FORMAT")


def _locked_link(case_id, token):
    case_of_link = find_link(case_id, token).case_id
    case = _lock(case_of_link)
    link = CertificationLink.objects.select_for_update().select_related("recipient").get(token_hash=hash_token(token))
    refusal = link_refusal(link, case)
    if refusal:
        raise LinkRefused(refusal)
    return case, link


@transaction.atomic
def certify_by_link(case_id, token, certification, evaluation, request=None):
    """The mailed link: certify and evaluate as its recipient, once."""
    case, link = _locked_link(case_id, token)
    result = _certify(link.recipient, case, certification, evaluation, Certification.Channel.LINK, request)
    link.used_at = result.certified_at
    link.save(update_fields=["used_at"])
    return result


@transaction.atomic
def certify(actor, case_id, certification, evaluation, request=None):
    """A logged-in SME member certifies from the case page."""
    case = _lock(case_id)
    if not Membership.objects.filter(company_id=case.company_id, user=actor).exists():
        raise PermissionDenied
    refusal = certification_refusal(case)
    if refusal:
        raise Refused(refusal)
    return _certify(actor, case, certification, evaluation, Certification.Channel.LOGIN, request)


def _check_certification(case, data):
    reasons = []
    first, last = timezone.localtime(case.starts_at).date(), timezone.localtime(case.ends_at).date()
    day = data.get("support_date")
    # The support began on one of the visit's days (an evening visit past midnight may have begun after it).
    if not (isinstance(day, datetime.date) and first <= day <= last):
        planned = date_format(first, "DATE_FORMAT")
        if last != first:
            planned = f"{planned}〜{date_format(last, 'DATE_FORMAT')}"
        reasons.append(_(
            "支援日が派遣の予定日（%(day)s）と異なります。実際の支援日が違う場合は、証明せずに"
            "「内容が事実と異なる」からお知らせください。"
        ) % {"day": planned})
    refusal = rules.span_refusal(data.get("start_time"), data.get("end_time"), data.get("ends_next_day", False))
    if refusal:
        reasons.append(refusal)
    if not data.get("content_confirmed"):
        reasons.append(_("支援報告の内容を確認し、確認欄にチェックを入れてください。"))
    return reasons


def _check_evaluation(data):
    reasons = []
    for name, label in [("satisfaction", _("満足度")), ("usefulness", _("役に立ったか")), ("punctuality", _("時間を守ったか"))]:
        value = data.get(name)
        if not (isinstance(value, int) and 1 <= value <= 5):
            reasons.append(_("%(label)sを1〜5で選んでください。") % {"label": label})
    if not isinstance(data.get("would_recommend"), bool):
        reasons.append(_("他の事業者に勧めたいかを選んでください。"))
    return reasons


def _certify(actor, case, certification, evaluation, channel, request):
    reasons = _check_certification(case, certification) + _check_evaluation(evaluation)
    if reasons:
        raise Refused(*reasons)
    now = timezone.now()
    certification = {"ends_next_day": False, **certification}  # a same-day visit need not say so
    result = Certification.objects.create(
        case=case, certified_by=actor, certified_at=now, channel=channel,
        **{name: certification[name] for name in CERTIFICATION_FIELDS},
    )
    Evaluation.objects.create(
        case=case, submitted_by=actor, submitted_at=now, comment=evaluation.get("comment", ""),
        **{name: evaluation[name] for name in EVALUATION_FIELDS if name != "comment"},
    )
    Dispute.objects.filter(case=case, resolved_at=None).update(resolved_at=now)  # certifying withdraws a dispute
    _transition(case, actor, State.CERTIFIED, in_japanese(
        gettext_noop("従事証明・専門家の評価を入力（%(channel)s）"), channel=result.Channel(result.channel).label), request=request)
    record_expert_activity(case.expert_id, rating=evaluation["satisfaction"], at=now)
    audit.record(actor, "reports.certified", result, {
        **audit.snapshot(result, CERTIFICATION_FIELDS), "channel": channel,
        # The scores are not personal data; the free comment stays out of the log.
        **{name: evaluation[name] for name in EVALUATION_FIELDS if name != "comment"},
    }, request=request)
    queue_mail([case.expert.user.email, *organisation_emails(case.organisation)], "report_certified", {"case": case, "certification": result})
    return result


# ---- disputes -------------------------------------------------------------------------------

def _raise_dispute(actor, case, reason, request):
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("事実と異なる点を具体的に入力してください。"))
    if len(reason) > 2000:
        raise Refused(_("事実と異なる点は2000文字以内で入力してください。"))
    dispute = Dispute.objects.create(case=case, reason=reason, raised_by=actor, raised_at=timezone.now())
    DispatchEvent.objects.create(
        case=case, actor=actor, from_state=case.state, to_state=case.state, reason=in_japanese(gettext_noop("支援報告に異議：")) + reason
    )
    audit.record(actor, "reports.disputed", dispute, {"reason": reason}, request=request)
    recipients = [case.expert.user.email, *organisation_emails(case.organisation), settings.SECRETARIAT_EMAIL]
    queue_mail(recipients, "report_disputed", {"case": case, "dispute": dispute})
    return dispute


@transaction.atomic
def dispute_by_link(case_id, token, reason, request=None):
    """「内容が事実と異なる」 from the mailed link; the link stays usable for certifying after a correction."""
    case, link = _locked_link(case_id, token)
    return _raise_dispute(link.recipient, case, reason, request)


@transaction.atomic
def dispute(actor, case_id, reason, request=None):
    case = _lock(case_id)
    if not Membership.objects.filter(company_id=case.company_id, user=actor).exists():
        raise PermissionDenied
    refusal = certification_refusal(case)
    if refusal:
        raise Refused(refusal)
    return _raise_dispute(actor, case, reason, request)


def default_times(case):
    """(day, start, end, ends_next_day) to propose on the certification form: the SME's own
    check-in/out or time reports when there are any (a visit past midnight ends on the next day),
    else the plan."""
    start, end = _minute(timezone.localtime(case.starts_at)), _minute(timezone.localtime(case.ends_at))
    try:
        from visits.models import TimeReport
    except ImportError:  # pragma: no cover
        return _proposal(start, end)
    reported = {}
    for kind, at in TimeReport.objects.filter(case=case).order_by("received_at").values_list("kind", "reported_at"):
        reported.setdefault(kind, _minute(timezone.localtime(at)))
    real_start, real_end = reported.get("start", start), reported.get("end", end)
    if _certifiable(case, real_start, real_end):
        return _proposal(real_start, real_end)
    return _proposal(start, end)  # reports that make no sense as a span: propose the plan instead


def _certifiable(case, start, end):
    first, last = timezone.localtime(case.starts_at).date(), timezone.localtime(case.ends_at).date()
    return first <= start.date() <= last and datetime.timedelta(0) < end - start < datetime.timedelta(days=1)


def _proposal(start, end):
    return start.date(), start.time(), end.time(), end.date() != start.date()


def _minute(moment):
    return moment.replace(second=0, microsecond=0)
