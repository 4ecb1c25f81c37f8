"""Every change to the evidence of a visit happens here: time reports (check-in page or mail),
photos, the yearly photo consent, the declaration, the secretariat's evidence check and the
programme deadline.

Each function takes the actor (None for a mail already matched to its sender), locks the case,
checks the rule, writes and audits in one transaction, and queues mail. Refusals raise Refused
with Japanese reasons; nothing is changed then.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from companies.models import Company, Membership
from consultations.actions import organisation_emails
from core import audit
from core.dates import fiscal_year_label
from core.images import sanitize_image
from core.records import in_japanese
from dispatch.actions import Refused, _lock, _transition, record_expert_activity
from dispatch.models import DispatchCase, State
from notifications.mail import queue_mail
from programme.services import programme_for_year

from . import codes
from .models import CasePhoto, CheckinAttempt, DeadlineWarning, DeclarationScan, PhotoConsent, TimeReport, VisitRules

__all__ = [
    "Refused", "record_time_report", "check_in", "attach_photo", "attach_consent", "mark_consent_received_by_post",
    "consent_status", "review_time_report", "reject_photo", "accept_photo", "reject_consent", "upload_declaration",
    "accept_declaration", "reject_declaration", "verify_case", "mark_outside", "rules_for_year", "deadline_for",
    "update_rules",
]

# States in which the day's evidence may still come in.
EVIDENCE_STATES = [State.SCHEDULED, State.DONE, State.REPORTED, State.CERTIFIED]
MAX_PHOTOS_PER_CASE = 10


def _max_document_bytes():
    return getattr(settings, "MAX_DOCUMENT_UPLOAD_BYTES", 10 * 1024 * 1024)


# ---- who is who on a case ------------------------------------------------------------------

def is_sme_member(actor, company_id):
    return actor is not None and Membership.objects.filter(company_id=company_id, user_id=actor.pk).exists()


def _is_secretariat(actor):
    from accounts.roles import Role

    return actor is not None and actor.has_role(Role.SECRETARIAT, Role.ADMIN)


def _is_party(actor, case):
    return (
        is_sme_member(actor, case.company_id)
        or case.expert.user_id == actor.pk
        or case.organisation_id in actor.organisation_ids()
        or _is_secretariat(actor)
    )


def _everyone(case):
    members = list(case.company.memberships.filter(user__is_active=True).values_list("user__email", flat=True))
    return list(dict.fromkeys(members + [case.expert.user.email] + organisation_emails(case.organisation)))


def _state_refusal(case):
    if case.state not in EVIDENCE_STATES:
        return _("この派遣は「%(state)s」のため、支援当日の記録は受け付けられません。") % {"state": case.get_state_display()}
    return ""


# ---- rules of the year ---------------------------------------------------------------------

def rules_for_year(fy):
    programme = programme_for_year(fy)
    try:
        return programme.visit_rules
    except VisitRules.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return VisitRules.objects.create(programme=programme)
    except IntegrityError:  # created meanwhile by a concurrent request
        return VisitRules.objects.get(programme=programme)


def deadline_for(case, rules=None):
    """The last day the evidence may be completed before the case falls outside the programme."""
    rules = rules or rules_for_year(case.fiscal_year)
    return timezone.localtime(case.ends_at).date() + datetime.timedelta(days=rules.evidence_deadline_days)


# ---- time reports --------------------------------------------------------------------------

def _fmt(moment):
    return date_format(timezone.localtime(moment), "MONTH_DAY_TIME_FORMAT")


@transaction.atomic
def record_time_report(case_id, kind, reported_at, *, source, actor=None, sender="", needs_review=False,
                       review_reason="", received_at=None, request=None):
    """Record the start or end time the SME reports; an end report closes the visit (SCHEDULED → DONE).

    reported_at: the time the report states (check-in: the server's now). received_at: when the server
    got it (defaults to now). In the window when both the stated time is within ±N minutes of the
    planned time and the report arrived within ±N minutes of the time it states (the rulebook's rule).
    """
    if kind not in TimeReport.Kind.values:
        raise Refused(_("報告の種類（開始・終了）が分かりません。"))
    if source not in TimeReport.Source.values:
        raise Refused(_("報告の方法が分かりません。"))
    if timezone.is_naive(reported_at):
        reported_at = timezone.make_aware(reported_at)
    received_at = received_at or timezone.now()
    case = _lock(case_id)
    if source == TimeReport.Source.CHECKIN and not is_sme_member(actor, case.company_id):
        raise Refused(_("開始・終了の報告は、支援を受ける事業者の担当者だけができます。専門家や支援機関による代理の報告はできません。"))
    refusal = _state_refusal(case)
    if refusal:
        raise Refused(refusal)
    if timezone.localtime(received_at).date() < timezone.localtime(case.starts_at).date():
        raise Refused(_("支援日（%(day)s）より前には時刻を報告できません。") % {"day": date_format(timezone.localtime(case.starts_at), "DATE_FORMAT")})
    previous = TimeReport.objects.filter(case=case, kind=kind, source=source).first()
    if previous:
        raise Refused(
            _("この派遣の%(kind)s時刻は%(when)sに報告済みです（%(source)s）。二重には記録しません。")
            % {"kind": previous.get_kind_display(), "when": _fmt(previous.received_at), "source": previous.get_source_display()}
        )
    window = programme_for_year(case.fiscal_year).time_window_minutes
    planned = case.starts_at if kind == TimeReport.Kind.START else case.ends_at
    limit = datetime.timedelta(minutes=window)
    in_window = abs(reported_at - planned) <= limit and abs(received_at - reported_at) <= limit
    report = TimeReport.objects.create(
        case=case, kind=kind, source=source, reported_at=reported_at, received_at=received_at, planned_at=planned,
        in_window=in_window, window_minutes=window, actor=actor, sender=sender[:254],
        review=TimeReport.Review.PENDING if needs_review else TimeReport.Review.NONE, review_reason=review_reason,
    )
    audit.record(actor, f"visits.time_reported.{kind}", case, {
        "source": source, "reported_at": reported_at.isoformat(), "in_window": in_window, "sender": sender,
    }, request=request)
    if kind == TimeReport.Kind.END and case.state == State.SCHEDULED:
        _transition(case, actor, State.DONE, in_japanese(gettext_noop("終了時刻の報告（%(source)s）"), source=TimeReport.Source(report.source).label), request=request)
        record_expert_activity(case.expert_id, open_dispatches=-1)
    return report


def is_visit_day(case, now=None):
    """A visit's days run from its start's date to its end's: an evening visit past midnight can be
    checked out (or in, a few minutes late) after the date has changed."""
    today = timezone.localtime(now or timezone.now()).date()
    return timezone.localtime(case.starts_at).date() <= today <= timezone.localtime(case.ends_at).date()


def check_in(actor, case_id, kind, code, request=None):
    """The SME's check-in/out with the expert's code; wrong codes are counted (and survive the refusal)."""
    now = timezone.now()
    with transaction.atomic():
        case = _lock(case_id)
        if not is_sme_member(actor, case.company_id):
            raise Refused(_("開始・終了の報告は、支援を受ける事業者の担当者だけができます。専門家や支援機関による代理の報告はできません。"))
        since = now - datetime.timedelta(minutes=codes.WRONG_WINDOW_MINUTES)
        wrong = CheckinAttempt.objects.filter(case=case, succeeded=False, created_at__gte=since).count()
        if wrong >= codes.MAX_WRONG:
            raise Refused(_("確認コードの誤りが続いたため、%(m)d分間入力できません。専門家の画面のコードを確かめてください。") % {"m": codes.WRONG_WINDOW_MINUTES})
        if not is_visit_day(case, now):
            raise Refused(_("チェックインできるのは支援日（%(day)s）の当日だけです。") % {"day": date_format(timezone.localtime(case.starts_at), "DATE_FORMAT")})
        ok = codes.is_valid(case.pk, kind, code, now=now.timestamp())
        CheckinAttempt.objects.create(case=case, user=actor, succeeded=ok)
    if not ok:
        raise Refused(_("確認コードが違います。専門家の画面に表示されている6桁の数字を入力してください（コードは5分ごとに変わります）。"))
    return record_time_report(case_id, kind, now, source=TimeReport.Source.CHECKIN, actor=actor, received_at=now, request=request)


@transaction.atomic
def review_time_report(actor, report_id, accept, reason="", request=None):
    """The secretariat accepts or refuses a report flagged for review (e.g. from an unregistered address)."""
    if not _is_secretariat(actor):
        raise PermissionDenied
    report = TimeReport.objects.select_for_update().get(pk=report_id)
    if not accept and not reason.strip():
        raise Refused(_("認めない理由を入力してください。"))
    report.review = TimeReport.Review.ACCEPTED if accept else TimeReport.Review.REJECTED
    if reason.strip():
        report.review_reason = reason.strip()
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
    audit.record(actor, "visits.time_report_reviewed", report.case, {"report": report.pk, "review": report.review, "reason": reason}, request=request)
    return report


# ---- photos --------------------------------------------------------------------------------

def _as_upload(uploaded, filename):
    if isinstance(uploaded, (bytes, bytearray)):
        return ContentFile(bytes(uploaded), name=filename or "upload")
    return uploaded


def _sanitized(uploaded, max_bytes=None):
    try:
        return sanitize_image(uploaded, max_bytes=max_bytes)
    except ValidationError as error:
        raise Refused(*error.messages) from None


@transaction.atomic
def attach_photo(case_id, uploaded, *, source, actor=None, filename="", request=None):
    """A photo of the support from a party (page) or a matched mail, re-encoded without metadata."""
    if source not in CasePhoto.Source.values:
        raise Refused(_("提出の方法が分かりません。"))
    uploaded = _as_upload(uploaded, filename)
    filename = filename or getattr(uploaded, "name", "") or ""
    case = _lock(case_id)
    if actor is not None and not _is_party(actor, case):
        raise PermissionDenied
    refusal = _state_refusal(case)
    if refusal:
        raise Refused(refusal)
    if case.starts_at > timezone.now() + datetime.timedelta(hours=1):
        raise Refused(_("支援の写真は支援日以降に登録してください。"))
    if CasePhoto.objects.filter(case=case).count() >= MAX_PHOTOS_PER_CASE:
        raise Refused(_("1件の派遣に登録できる写真は%(n)d枚までです。") % {"n": MAX_PHOTOS_PER_CASE})
    clean = _sanitized(uploaded)
    photo = CasePhoto(case=case, source=source, uploaded_by=actor, original_filename=filename[:255])
    photo.image.save(clean.name, clean, save=False)
    photo.save()
    audit.record(actor, "visits.photo_attached", case, {"photo": photo.pk, "source": source, "filename": filename}, request=request)
    return photo


def record_photo_view(actor, photo, request=None):
    """Every read of a face photo is audited (SPEC §8)."""
    audit.record(actor, "visits.photo_viewed", photo.case, {"photo": photo.pk}, request=request)


def _review_photo(actor, photo_id, status, reason, request):
    if not _is_secretariat(actor):
        raise PermissionDenied
    photo = CasePhoto.objects.select_for_update().select_related("case").get(pk=photo_id)
    photo.status, photo.status_reason = status, reason
    photo.reviewed_by, photo.reviewed_at = actor, timezone.now()
    photo.save(update_fields=["status", "status_reason", "reviewed_by", "reviewed_at"])
    audit.record(actor, f"visits.photo_{status}", photo.case, {"photo": photo.pk, "reason": reason}, request=request)
    return photo


@transaction.atomic
def reject_photo(actor, photo_id, reason, request=None):
    """Not acceptable (faces not identifiable, wrong person…): the parties see the reason and are told."""
    if not reason.strip():
        raise Refused(_("写真を認めない理由を入力してください。"))
    photo = _review_photo(actor, photo_id, CasePhoto.Status.REJECTED, reason.strip(), request)
    case = DispatchCase.objects.select_related("company", "expert__user", "organisation").get(pk=photo.case_id)
    queue_mail(_everyone(case), "visits_photo_rejected", {"case": case, "reason": photo.status_reason})
    return photo


@transaction.atomic
def accept_photo(actor, photo_id, request=None):
    return _review_photo(actor, photo_id, CasePhoto.Status.ACCEPTED, "", request)


# ---- photo consent (once per SME per fiscal year) ------------------------------------------

class ConsentStatus:
    """Whether the SME's photo consent for a fiscal year is in, and how."""

    def __init__(self, fiscal_year, consent):
        self.fiscal_year = fiscal_year
        self.consent = consent

    @property
    def received(self):
        return self.consent is not None

    def __bool__(self):
        return self.received

    @property
    def label(self):
        year = fiscal_year_label(self.fiscal_year)
        if self.consent is None:
            return _("%(year)sの写真提出の同意書：未提出") % {"year": year}
        how = self.consent.get_source_display()
        if self.consent.original_received_at and self.consent.source != PhotoConsent.Source.POST:
            how += _("・原本受領済み")
        return _("%(year)sの写真提出の同意書：受領済み（%(how)s）") % {"year": year, "how": how}


def consent_status(company_id, fiscal_year):
    consent = PhotoConsent.objects.filter(
        company_id=company_id, fiscal_year=fiscal_year, status=PhotoConsent.Status.RECEIVED
    ).first()
    return ConsentStatus(fiscal_year, consent)


def may_act_for_company(actor, company_id):
    """The SME's members, staff of an organisation that consulted it or dispatches to it, the secretariat."""
    if is_sme_member(actor, company_id) or _is_secretariat(actor):
        return True
    orgs = actor.organisation_ids()
    if not orgs:
        return False
    from consultations.models import Consultation

    return (
        DispatchCase.objects.filter(company_id=company_id, organisation_id__in=orgs).exists()
        or Consultation.objects.filter(company_id=company_id, organisation_id__in=orgs).exists()
    )


def check_pdf(uploaded, max_bytes=None):
    """The bytes of an uploaded PDF, checked by content (not by name or declared type)."""
    max_bytes = max_bytes or _max_document_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise Refused(_("ファイルサイズが上限（%(mb)dMB）を超えています。") % {"mb": max_bytes // (1024 * 1024)})
    data = uploaded.read(max_bytes + 1) if hasattr(uploaded, "read") else bytes(uploaded)
    if len(data) > max_bytes:
        raise Refused(_("ファイルサイズが上限（%(mb)dMB）を超えています。") % {"mb": max_bytes // (1024 * 1024)})
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise Refused(_("PDFファイルとして読み込めませんでした。署名した書類をPDFで保存して送ってください。"))
    return data


def _lock_company(company_id):
    try:
        return Company.objects.select_for_update().get(pk=company_id)
    except Company.DoesNotExist:
        raise Refused(_("事業者が見つかりません。")) from None


@transaction.atomic
def attach_consent(company_id, fiscal_year, uploaded_pdf, *, source, actor=None, request=None):
    """The signed consent as a PDF, from the SME, the organisation for it, or a matched mail."""
    if source not in (PhotoConsent.Source.UPLOAD, PhotoConsent.Source.MAIL):
        raise Refused(_("提出の方法が分かりません。"))
    company = _lock_company(company_id)
    if actor is not None and not may_act_for_company(actor, company.pk):
        raise PermissionDenied
    existing = consent_status(company.pk, fiscal_year)
    if existing:
        raise Refused(
            _("%(year)sの写真提出の同意書は%(when)sに受領済みです。同意書は年度に1回だけ提出します。")
            % {"year": fiscal_year_label(fiscal_year), "when": date_format(timezone.localtime(existing.consent.created_at), "DATE_FORMAT")}
        )
    data = check_pdf(_as_upload(uploaded_pdf, "consent.pdf"))
    consent = PhotoConsent(company=company, fiscal_year=fiscal_year, source=source, submitted_by=actor)
    consent.document.save(f"consent-{company.pk}-{fiscal_year}.pdf", ContentFile(data), save=False)
    consent.save()
    audit.record(actor, "visits.consent_received", company, {"fiscal_year": fiscal_year, "source": source}, request=request)
    return consent


@transaction.atomic
def mark_consent_received_by_post(actor, company_id, fiscal_year, request=None):
    """The secretariat received the paper original (alone, or after the PDF)."""
    if not _is_secretariat(actor):
        raise PermissionDenied
    company = _lock_company(company_id)
    now = timezone.now()
    consent = consent_status(company.pk, fiscal_year).consent
    if consent is None:
        consent = PhotoConsent.objects.create(
            company=company, fiscal_year=fiscal_year, source=PhotoConsent.Source.POST, submitted_by=actor,
            original_received_at=now, original_received_by=actor,
        )
    elif consent.original_received_at:
        raise Refused(_("%(year)sの同意書の原本は受領済みとして記録されています。") % {"year": fiscal_year_label(fiscal_year)})
    else:
        consent.original_received_at, consent.original_received_by = now, actor
        consent.save(update_fields=["original_received_at", "original_received_by"])
    audit.record(actor, "visits.consent_original_received", company, {"fiscal_year": fiscal_year}, request=request)
    return consent


@transaction.atomic
def reject_consent(actor, consent_id, reason, request=None):
    """An unsigned or wrong form: it no longer counts and a new one can be sent."""
    if not _is_secretariat(actor):
        raise PermissionDenied
    if not reason.strip():
        raise Refused(_("同意書を認めない理由を入力してください。"))
    consent = PhotoConsent.objects.select_for_update().select_related("company").get(pk=consent_id)
    if consent.status == PhotoConsent.Status.REJECTED:
        raise Refused(_("この同意書はすでに不備ありとして記録されています。"))
    consent.status, consent.status_reason = PhotoConsent.Status.REJECTED, reason.strip()
    consent.save(update_fields=["status", "status_reason"])
    audit.record(actor, "visits.consent_rejected", consent.company, {"fiscal_year": consent.fiscal_year, "reason": reason}, request=request)
    return consent


# ---- the declaration (支援実施申告書兼再発防止誓約書) ----------------------------------------

@transaction.atomic
def upload_declaration(actor, case_id, uploaded, request=None):
    """The signed scan (PDF or photo of the paper) by a party."""
    from .evidence import evidence_for

    case = _lock(case_id)
    if not _is_party(actor, case):
        raise PermissionDenied
    refusal = _state_refusal(case)
    if refusal:
        raise Refused(refusal)
    evidence = evidence_for(case)
    if not evidence.declaration_required:
        raise Refused(_("この派遣は時刻報告と写真がそろっているため、申告書は不要です。"))
    if evidence.declaration_accepted:
        raise Refused(_("この派遣の申告書は受理済みです。"))
    head = uploaded.read(5)
    uploaded.seek(0)
    if head == b"%PDF-":
        data, content_type, ext = check_pdf(uploaded), "application/pdf", "pdf"
    else:
        clean = _sanitized(uploaded, max_bytes=_max_document_bytes())
        data, content_type, ext = clean.read(), "image/jpeg", "jpg"
    scan = DeclarationScan(case=case, content_type=content_type, uploaded_by=actor)
    scan.document.save(f"declaration-{case.pk}.{ext}", ContentFile(data), save=False)
    scan.save()
    audit.record(actor, "visits.declaration_submitted", case, {"scan": scan.pk}, request=request)
    queue_mail(settings.SECRETARIAT_EMAIL, "visits_declaration_submitted", {"case": case})
    return scan


def _review_declaration(actor, scan_id, status, reason, request):
    if not _is_secretariat(actor):
        raise PermissionDenied
    case_id = DeclarationScan.objects.values_list("case_id", flat=True).get(pk=scan_id)
    case = _lock(case_id)
    scan = DeclarationScan.objects.select_for_update().get(pk=scan_id)
    if scan.status != DeclarationScan.Status.SUBMITTED:
        raise Refused(_("この申告書はすでに確認済みです（%(status)s）。") % {"status": scan.get_status_display()})
    scan.status, scan.status_reason = status, reason
    scan.reviewed_by, scan.reviewed_at = actor, timezone.now()
    scan.save(update_fields=["status", "status_reason", "reviewed_by", "reviewed_at"])
    audit.record(actor, f"visits.declaration_{status}", case, {"scan": scan.pk, "reason": reason}, request=request)
    return case, scan


@transaction.atomic
def accept_declaration(actor, scan_id, request=None):
    return _review_declaration(actor, scan_id, DeclarationScan.Status.ACCEPTED, "", request)[1]


@transaction.atomic
def reject_declaration(actor, scan_id, reason, request=None):
    if not reason.strip():
        raise Refused(_("申告書を認めない理由を入力してください。"))
    case, scan = _review_declaration(actor, scan_id, DeclarationScan.Status.REJECTED, reason.strip(), request)
    queue_mail(_everyone(case), "visits_declaration_rejected", {"case": case, "reason": scan.status_reason})
    return scan


# ---- the secretariat's evidence check and the deadline ------------------------------------

@transaction.atomic
def verify_case(actor, case_id, request=None):
    """CERTIFIED → VERIFIED, only when the evidence is complete (then the expert can be paid)."""
    from .evidence import evidence_for

    if not _is_secretariat(actor):
        raise PermissionDenied
    case = _lock(case_id)
    if case.state != State.CERTIFIED:
        raise Refused(_("証憑の確認ができるのは従事証明済みの派遣だけです（現在：%(state)s）。") % {"state": case.get_state_display()})
    evidence = evidence_for(case)
    if not evidence.complete:
        raise Refused(*evidence.missing)
    _transition(case, actor, State.VERIFIED, in_japanese(gettext_noop("証憑を確認しました")), request=request)
    record_expert_activity(case.expert_id, dispatches_completed=1, at=case.ends_at)
    queue_mail([case.expert.user.email, *organisation_emails(case.organisation)], "visits_verified", {"case": case})
    return case


@transaction.atomic
def mark_outside(actor, case_id, reason, request=None):
    """Past the deadline, the secretariat puts the case outside the programme (the SME pays)."""
    if not _is_secretariat(actor):
        raise PermissionDenied
    if not reason.strip():
        raise Refused(_("事業対象外とする理由を入力してください。"))
    case = _lock(case_id)
    if case.state not in EVIDENCE_STATES:
        raise Refused(_("この派遣は「%(state)s」のため、事業対象外にできません。") % {"state": case.get_state_display()})
    from .evidence import evidence_for

    deadline = deadline_for(case)
    if evidence_for(case).complete:
        raise Refused(_("この派遣の証憑はそろっています。事業対象外にせず、証憑を確認してください。"))
    if timezone.localdate() <= deadline:
        raise Refused(_("証憑の期限（%(d)s）を過ぎていないため、事業対象外にはできません。") % {"d": date_format(deadline, "DATE_FORMAT")})
    was_scheduled = case.state == State.SCHEDULED
    _transition(case, actor, State.OUTSIDE, reason.strip(), request=request)
    if was_scheduled:
        record_expert_activity(case.expert_id, open_dispatches=-1)
    queue_mail(_everyone(case), "visits_outside", {"case": case, "reason": reason.strip(), "deadline": deadline})
    return case


def claim_deadline_warning(case_id, deadline):
    """Take the right to warn about this case's deadline; False when it was already warned."""
    try:
        with transaction.atomic():
            DeadlineWarning.objects.create(case_id=case_id, deadline=deadline)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def warn_deadline(case_id, deadline, today):
    """Warn every party once that the case will fall outside the programme after `deadline`."""
    from .evidence import evidence_for

    if not claim_deadline_warning(case_id, deadline):
        return False
    case = DispatchCase.objects.select_related("company", "expert__user", "organisation").get(pk=case_id)
    missing = evidence_for(case).todo
    queue_mail(_everyone(case), "visits_deadline_warning", {
        "case": case, "deadline": deadline, "days_left": (deadline - today).days, "missing": missing,
    })
    audit.record(None, "visits.deadline_warned", case, {"deadline": deadline.isoformat()})
    return True


RULE_FIELDS = ["evidence_deadline_days", "warn_days_before"]


@transaction.atomic
def update_rules(actor, fy, data, request=None):
    """The secretariat sets the evidence deadline and the warning days of a programme year."""
    if not _is_secretariat(actor):
        raise PermissionDenied
    rules = VisitRules.objects.select_for_update().get(pk=rules_for_year(fy).pk)
    before = audit.snapshot(rules, RULE_FIELDS)
    for name in RULE_FIELDS:
        setattr(rules, name, data[name])
    rules.save(update_fields=[*RULE_FIELDS, "updated_at"])
    audit.record(actor, "visits.rules_updated", rules, audit.diff(before, audit.snapshot(rules, RULE_FIELDS)), request=request)
    return rules
