"""Inbound mail becomes records: the legacy time reports, photos and consent forms (seed 003).

`ingest(raw)` first stores the mail whole (nothing is ever dropped; a re-delivered
Message-ID is counted, not stored twice), then `process` reads it, matches it to a
dispatch case and applies it through the visits app. What cannot be matched stays
in the secretariat's inbox with the reason, for manual matching.
"""

import dataclasses
import datetime
import hashlib
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from companies.models import Company, Membership
from core.dates import fiscal_year
from dispatch.models import DispatchCase

from .inbound_parse import parse_message
from .inbound_subject import company_key, keys_match, parse_subject, person_key
from .models import InboundMail, InboundRules

log = logging.getLogger(__name__)
MB = 1024 * 1024


# ---- storing -------------------------------------------------------------------------------

@dataclasses.dataclass
class Outcome:
    mail: InboundMail
    duplicate: bool = False

    def as_dict(self):
        mail = self.mail
        reason = mail.reason
        if self.duplicate:
            reason = f"同じメール（Message-ID）は受信#{mail.pk}として受信済みです。二重には数えません。{reason}"
        return {
            "status": mail.status if mail.status != InboundMail.Status.RECEIVED else InboundMail.Status.UNMATCHED,
            "case": mail.case_id,
            "kind": mail.kind or None,
            "reason": reason,
            "mail": mail.pk,
            "duplicate": self.duplicate,
        }


def dedupe_key(message_id, raw):
    return message_id or "sha256:" + hashlib.sha256(raw).hexdigest()


def store(raw, *, source=InboundMail.Source.FILE, envelope_from="", envelope_to=(), received_at=None):
    """Keep the mail whole. Returns (mail, created); a known Message-ID only counts a delivery."""
    parsed = parse_message(raw)
    key = dedupe_key(parsed.message_id, raw)
    try:
        with transaction.atomic():
            mail = InboundMail.objects.create(
                dedupe_key=key[:300],
                message_id=parsed.message_id,
                received_at=received_at or timezone.now(),
                source=source,
                envelope_from=(envelope_from or "")[:254],
                envelope_to=list(envelope_to),
                from_address=parsed.from_address[:254],
                from_name=parsed.from_name[:200],
                subject=parsed.subject[:500],
                sent_at=parsed.date,
                size=len(raw),
                raw=raw,
                attachments=[_attachment_row(a) for a in parsed.attachments],
            )
        return mail, True
    except IntegrityError:
        InboundMail.objects.filter(dedupe_key=key[:300]).update(delivery_count=F("delivery_count") + 1)
        return InboundMail.objects.without_raw().get(dedupe_key=key[:300]), False


def _attachment_row(attachment):
    return {
        "index": attachment.index, "filename": attachment.filename[:255], "content_type": attachment.content_type,
        "size": attachment.size, "type": attachment.sniffed, "problem": "", "applied": "",
    }


def ingest(raw, *, source=InboundMail.Source.FILE, envelope_from="", envelope_to=(), received_at=None):
    """Store, then process. The mail is saved before anything can go wrong with it."""
    mail, created = store(raw, source=source, envelope_from=envelope_from, envelope_to=envelope_to,
                          received_at=received_at)
    if not created:
        return Outcome(mail, duplicate=True)
    try:
        mail = process(mail.pk)
    except Exception:  # kept as received; the secretariat sees it and can re-run it
        log.exception("inbound mail %s could not be processed", mail.pk)
        InboundMail.objects.filter(pk=mail.pk).update(
            reason="自動処理中にエラーが発生しました。内容を確認して手動で照合してください。", needs_review=True
        )
        mail.refresh_from_db()
    return Outcome(mail)


# ---- rules ---------------------------------------------------------------------------------

def rules_for_year(fy):
    from programme.services import programme_for_year

    programme = programme_for_year(fy)
    try:
        return programme.inbound_rules
    except InboundRules.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return InboundRules.objects.create(programme=programme)
    except IntegrityError:  # created meanwhile
        return InboundRules.objects.get(programme=programme)


# ---- deciding ------------------------------------------------------------------------------

@dataclasses.dataclass
class Decision:
    status: str = InboundMail.Status.UNMATCHED
    kind: str = ""
    case: DispatchCase | None = None
    company: Company | None = None
    reported_at: datetime.datetime | None = None
    actor: User | None = None  # the SME member who sent it (None for an unregistered address)
    reasons: list = dataclasses.field(default_factory=list)
    needs_review: bool = False
    review_reason: str = ""

    def refuse(self, reason, status=InboundMail.Status.UNMATCHED):
        self.status = status
        self.reasons.append(reason)
        return self


def _fmt_day(day):
    return f"{day.month}月{day.day}日"


def _fmt_time(moment):
    return f"{timezone.localtime(moment):%H:%M}"


class Reading:
    """One stored mail being read: its parsed parts, sender and attachments, checked."""

    def __init__(self, mail, parsed, rules):
        self.mail = mail
        self.parsed = parsed
        self.rules = rules
        self.subject = parse_subject(parsed.subject)
        self.address = parsed.from_address
        self.user = User.objects.filter(email__iexact=self.address, is_active=True).first() if self.address else None
        self.company_ids = set(
            Membership.objects.filter(user=self.user).values_list("company_id", flat=True)
        ) if self.user else set()
        applied = {row["index"]: row.get("applied", "") for row in mail.attachments}
        self.rows = {a.index: {**_attachment_row(a), "applied": applied.get(a.index, "")} for a in parsed.attachments}
        self.photos, self.pdfs, self.problems = [], [], []
        limit = rules.max_attachment_mb * MB
        for attachment in parsed.attachments:
            problem = _attachment_problem(attachment, limit)
            if problem:
                self.problems.append(problem)
                self.rows[attachment.index]["problem"] = problem
            elif attachment.is_image:
                self.photos.append(attachment)
            elif attachment.is_pdf:
                self.pdfs.append(attachment)

    @property
    def received_day(self):
        return timezone.localtime(self.mail.received_at).date()


def _attachment_problem(attachment, limit):
    name = attachment.filename
    if attachment.size > limit:
        return (f"添付ファイル「{name}」（{attachment.size / MB:.1f}MB）は上限の{limit // MB}MBを超えているため"
                "受け付けられません。小さくして送り直してください。")
    if attachment.declared == "image" and not attachment.is_image:
        return f"添付ファイル「{name}」は画像ではありません（中身がJPEG・PNG・HEICの形式ではありません）。"
    if attachment.declared == "pdf" and not attachment.is_pdf:
        return f"添付ファイル「{name}」はPDFではありません（中身がPDFの形式ではありません）。"
    if attachment.declared == "other" and not (attachment.is_image or attachment.is_pdf):
        return f"添付ファイル「{name}」は受け付けない形式です（写真はJPEG・PNG・HEIC、同意書はPDF）。"
    return ""


def _names_match(subject, case):
    """Company and expert as written in the subject against the case, 表記ゆれ folded."""
    companies = [company_key(case.company.name), company_key(case.company.name_kana)]
    experts = [person_key(case.expert.display_name), person_key(case.expert.display_name_kana),
               person_key(case.expert.user.name)]
    if subject.company and subject.expert:
        written_company, written_expert = company_key(subject.company), person_key(subject.expert)
        company_ok = any(keys_match(written_company, key) for key in companies)
        expert_ok = any(keys_match(written_expert, key) for key in experts)
    else:  # names not separated by slashes: look for each name in the whole head
        head_company, head_person = company_key(subject.head), person_key(subject.head)
        company_ok = any(len(key) >= 2 and key in head_company for key in companies)
        expert_ok = any(len(key) >= 2 and key in head_person for key in experts)
    return company_ok, expert_ok


def _sender_refusal(reading, case, decision):
    """The SME's registered address, or (when the year allows it) any address flagged for review."""
    if reading.user is not None and case.company_id in reading.company_ids:
        decision.actor = reading.user
        return ""
    if reading.user is not None and (
        case.expert.user_id == reading.user.pk or case.organisation_id in reading.user.organisation_ids()
    ):
        return "専門家や支援機関からのメール報告は受け付けられません。支援を受けた事業者の担当者が、登録したアドレスから送信してください。"
    if reading.rules.accept_any_sender:
        decision.needs_review = True
        decision.review_reason = f"事業者の登録アドレス以外（{reading.address or '差出人不明'}）から送信されたため、事務局の確認が必要です。"
        return ""
    return (f"送信元アドレス（{reading.address or '差出人不明'}）は「{case.company.name}」の登録アドレスではありません。"
            "事業者の登録アドレスから送信してください。")


def _gap(delta):
    hours, minutes = divmod(int(abs(delta).total_seconds() // 60), 60)
    if not hours:
        return f"{minutes}分"
    return f"{hours}時間{minutes}分" if minutes else f"{hours}時間"


def _cases_on(day):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return list(
        # Cases on that day, including one that runs past midnight (its end report names the next day).
        DispatchCase.objects.filter(
            starts_at__gte=start - datetime.timedelta(days=1), starts_at__lt=start + datetime.timedelta(days=1),
            ends_at__gt=start,
        )
        .select_related("company", "expert", "expert__user", "organisation")
        .order_by("starts_at", "pk")
    )


def _choose_kind(reading, case, reported_at):
    hint = reading.subject.kind_hint
    if hint:
        return hint
    to_start, to_end = abs(reported_at - case.starts_at), abs(reported_at - case.ends_at)
    if abs(to_start - to_end) < datetime.timedelta(minutes=1):  # exactly midway: the first report is the start
        from visits.models import TimeReport

        started = TimeReport.objects.filter(case=case, kind=TimeReport.Kind.START).exists()
        return "end" if started else "start"
    return "start" if to_start < to_end else "end"


def decide_visit(reading):
    """A time report or a photo: which case, which kind, which time."""
    decision = Decision()
    subject = reading.subject
    if subject.problem:
        return decision.refuse(subject.problem)
    try:
        day = subject.day_near(reading.received_day)
    except ValueError:
        return decision.refuse(f"件名の日付（{subject.month}月{subject.day}日）が正しくありません。")
    cases = _cases_on(day)
    if not cases:
        return decision.refuse(f"{_fmt_day(day)}に予定された専門家派遣が見つかりません。件名の日付を確認してください。")
    checked = [(case, *_names_match(subject, case)) for case in cases]
    named = [case for case, company_ok, expert_ok in checked if company_ok and expert_ok]
    if not named:
        company_text = subject.company or subject.head
        if not any(company_ok for _, company_ok, _ in checked):
            return decision.refuse(f"事業者名「{company_text}」に該当する、{_fmt_day(day)}の専門家派遣が見つかりません。")
        if not any(expert_ok for _, _, expert_ok in checked):
            return decision.refuse(f"専門家名「{subject.expert or subject.head}」に該当する、{_fmt_day(day)}の専門家派遣が見つかりません。")
        return decision.refuse(f"事業者名と専門家名の組み合わせに該当する、{_fmt_day(day)}の専門家派遣が見つかりません。")
    reported_at = timezone.make_aware(datetime.datetime.combine(day, subject.time))
    case = min(named, key=lambda c: min(abs(reported_at - c.starts_at), abs(reported_at - c.ends_at)))
    decision.case, decision.company = case, case.company
    tolerance = datetime.timedelta(minutes=reading.rules.match_tolerance_minutes)
    late = abs(reading.mail.received_at - reported_at) > tolerance
    if subject.is_range or (reading.photos and not subject.kind_hint and late):
        # 支援日時 (a range), or a photo sent long after the time it names: a photo mail, not a time report.
        decision.kind = InboundMail.Kind.PHOTO
        planned, label = case.starts_at, "開始"
    else:
        decision.kind = _choose_kind(reading, case, reported_at)
        planned, label = (case.starts_at, "開始") if decision.kind == "start" else (case.ends_at, "終了")
    decision.reported_at = reported_at
    refusal = _sender_refusal(reading, case, decision)
    if refusal:
        decision.case = None
        return decision.refuse(refusal, InboundMail.Status.REJECTED)
    if abs(reported_at - planned) > tolerance:
        compared = [(label, planned)]
        if not subject.kind_hint and decision.kind != InboundMail.Kind.PHOTO:
            compared = [("開始", case.starts_at), ("終了", case.ends_at)]
        gaps = "、".join(f"{name}時刻（{_fmt_time(moment)}）と{_gap(reported_at - moment)}" for name, moment in compared)
        decision.case = None
        return decision.refuse(
            f"件名の時刻（{_fmt_day(day)} {subject.time:%H:%M}）が派遣#{case.pk}の予定の{gaps}ずれているため、"
            "自動では反映していません。事務局が確認します。"
        )
    if decision.kind == InboundMail.Kind.PHOTO and not reading.photos:
        decision.case = None
        return decision.refuse("支援日時の件名ですが、写真（JPEG・PNG・HEIC）が添付されていません。", InboundMail.Status.REJECTED
                               if reading.problems else InboundMail.Status.UNMATCHED)
    decision.status = InboundMail.Status.MATCHED
    return decision


def decide_consent(reading):
    """A consent PDF: which company (the sender's, or the one named by an organisation's staff)."""
    decision = Decision(kind=InboundMail.Kind.CONSENT)
    if not reading.pdfs:
        reason = "写真提出の同意書のPDFが添付されていません。"
        return decision.refuse(reason, InboundMail.Status.REJECTED if reading.problems else InboundMail.Status.UNMATCHED)
    subject = reading.subject
    written = company_key(subject.company or subject.head.replace("写真提出の同意書", "").replace("同意書", ""))
    candidates = Company.objects.none()
    decision.actor = reading.user
    if reading.company_ids:
        candidates = Company.objects.filter(pk__in=reading.company_ids)
    elif reading.user is not None and reading.user.organisation_ids():
        orgs = reading.user.organisation_ids()
        candidates = Company.objects.filter(dispatch_cases__organisation_id__in=orgs).distinct()
    elif reading.rules.accept_any_sender and written:
        decision.actor = None
        candidates = Company.objects.all()
        decision.needs_review = True
        decision.review_reason = f"事業者の登録アドレス以外（{reading.address}）から送信されたため、事務局の確認が必要です。"
    else:
        return decision.refuse(
            f"送信元アドレス（{reading.address or '差出人不明'}）は事業者・支援機関の登録アドレスではありません。",
            InboundMail.Status.REJECTED,
        )
    companies = list(candidates.only("pk", "name", "name_kana")[:5000])
    if len(companies) > 1 or (decision.needs_review and written):
        companies = [c for c in companies if written and (
            keys_match(written, company_key(c.name)) or keys_match(written, company_key(c.name_kana))
        )]
    if len(companies) != 1:
        return decision.refuse("同意書がどの事業者のものか特定できません。件名に事業者名を書いてください（例：ぱそな建設/写真提出の同意書）。")
    decision.company = companies[0]
    decision.status = InboundMail.Status.MATCHED
    return decision


def _consent_year(reading):
    import re

    text = reading.subject.text
    match = re.search(r"(\d{4})\s*年度", text)
    if match:
        return int(match.group(1))
    match = re.search(r"令和\s*(\d{1,2}|元)\s*年度", text)
    if match:
        return 2018 + (1 if match.group(1) == "元" else int(match.group(1)))
    return fiscal_year(reading.received_day)


def decide(reading):
    if not reading.subject.has_time and (reading.pdfs or reading.subject.mentions_consent):
        return decide_consent(reading)
    return decide_visit(reading)


# ---- applying ------------------------------------------------------------------------------

def _refusal_text(exc):
    return " ".join(getattr(exc, "reasons", None) or [str(exc)])


def _apply(reading, decision):
    """Call the visits app; every refusal becomes a reason. Returns True when anything was recorded."""
    from django.core.exceptions import PermissionDenied

    from dispatch.actions import Refused
    from visits import actions as visits

    recorded = False

    def attempt(label, call):
        nonlocal recorded
        try:
            with transaction.atomic():
                result = call()
            recorded = True
            return result
        except (Refused, PermissionDenied) as exc:
            decision.needs_review = True
            decision.reasons.append(f"{label}{_refusal_text(exc) or 'この操作は受け付けられません。'}")
            return None

    mail, case = reading.mail, decision.case
    if decision.kind in ("start", "end"):
        attempt("", lambda: visits.record_time_report(
            case.pk, decision.kind, decision.reported_at, source="mail", actor=decision.actor,
            sender=reading.address, needs_review=decision.needs_review, review_reason=decision.review_reason,
            received_at=mail.received_at,
        ))
    if case is not None:
        for photo in reading.photos:
            if reading.rows[photo.index]["applied"]:
                continue
            saved = attempt(f"写真「{photo.filename}」：", lambda p=photo: visits.attach_photo(
                case.pk, p.data, source="mail", actor=decision.actor, filename=p.filename))
            if saved is not None:
                reading.rows[photo.index]["applied"] = f"photo:{saved.pk}"
    company = decision.company or (case.company if case is not None else None)
    if company is not None:
        year = case.fiscal_year if case is not None else _consent_year(reading)
        for pdf in reading.pdfs[:1]:
            if reading.rows[pdf.index]["applied"]:
                continue
            consent = attempt(f"同意書「{pdf.filename}」：", lambda p=pdf: visits.attach_consent(
                company.pk, year, p.data, source="mail", actor=decision.actor))
            if consent is not None:
                reading.rows[pdf.index]["applied"] = f"consent:{consent.pk}"
    return recorded


def _summary(reading, decision):
    mail_kind = dict(InboundMail.Kind.choices).get(decision.kind, "")
    parts = []
    if decision.case is not None:
        parts.append(f"派遣#{decision.case.pk}（{decision.case.company.name}／{decision.case.expert.display_name}）の{mail_kind}として反映しました。")
    elif decision.company is not None:
        parts.append(f"「{decision.company.name}」の{mail_kind}として反映しました。")
    photos = sum(1 for row in reading.rows.values() if row.get("applied", "").startswith("photo:"))
    if photos and decision.kind != "photo":
        parts.append(f"添付の写真{photos}枚も登録しました。")
    if any(row.get("applied", "").startswith("consent:") for row in reading.rows.values()) and decision.kind != "consent":
        parts.append("添付の同意書も受領しました。")
    return parts


def process(mail_id, *, actor=None, override=None):
    """Read a stored mail, match it and apply it; the row records the outcome. Safe to re-run."""
    with transaction.atomic():
        mail = InboundMail.objects.select_for_update().get(pk=mail_id)
        if mail.status == InboundMail.Status.MATCHED:
            return mail
        parsed = parse_message(bytes(mail.raw))
        rules = rules_for_year(fiscal_year(timezone.localtime(mail.received_at).date()))
        reading = Reading(mail, parsed, rules)
        decision = override(reading) if override else decide(reading)
        if actor is not None:
            decision.actor = actor
        if decision.status == InboundMail.Status.MATCHED:
            if not _apply(reading, decision):
                decision.status = InboundMail.Status.REJECTED
        if reading.problems:  # a 20 MB file, a non-image named .jpg…: kept for review, said first
            decision.needs_review = True
            if decision.status != InboundMail.Status.MATCHED:
                decision.status = InboundMail.Status.REJECTED
            decision.reasons = reading.problems + [r for r in decision.reasons if r not in reading.problems]
        reasons = decision.reasons
        if decision.status == InboundMail.Status.MATCHED:
            reasons = _summary(reading, decision) + reasons
            if decision.review_reason:
                reasons.append(decision.review_reason)
        mail.status = decision.status
        mail.kind = decision.kind
        mail.case = decision.case if decision.status == InboundMail.Status.MATCHED else None
        mail.company = decision.company or (decision.case.company if decision.case else None)
        mail.reported_at = decision.reported_at
        mail.needs_review = decision.needs_review or decision.status != InboundMail.Status.MATCHED
        mail.reason = " ".join(dict.fromkeys(r for r in reasons if r))
        mail.attachments = [reading.rows[i] for i in sorted(reading.rows)]
        mail.processed_at = timezone.now()
        if actor is not None and decision.status == InboundMail.Status.MATCHED:
            mail.matched_by = actor
        mail.save(update_fields=[
            "status", "kind", "case", "company", "reported_at", "needs_review", "reason", "attachments",
            "processed_at", "matched_by",
        ])
        return mail
