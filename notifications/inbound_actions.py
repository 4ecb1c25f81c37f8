"""The secretariat's work on received mail: match by hand, re-run, close. Each audited.

A manual match goes through the same `inbound.process` as an automatic one (so the
visits app decides and records), with the case, kind and time the secretariat chose.
When visits refuses, everything rolls back and the reasons are shown.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core import audit
from dispatch.actions import Refused
from dispatch.models import DispatchCase

from .inbound import Decision, process
from .models import InboundMail


def can_handle(user):
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.ADMIN)


def _check(actor):
    if not can_handle(actor):
        raise PermissionDenied


def match_manually(actor, mail_id, case_id, kind, reported_at=None, request=None):
    """Link the mail to a case and apply it as `kind`; raises Refused with the reasons otherwise."""
    _check(actor)
    if kind not in InboundMail.Kind.values:
        raise Refused(_("種別を選んでください。"))
    if kind in (InboundMail.Kind.START, InboundMail.Kind.END) and reported_at is None:
        raise Refused(_("開始・終了の報告には、報告された時刻を入力してください。"))
    case = DispatchCase.objects.select_related("company").filter(pk=case_id).first()
    if case is None:
        raise Refused(_("派遣#%(id)sは見つかりません。") % {"id": case_id})

    def chosen(reading):
        if kind == InboundMail.Kind.PHOTO and not reading.photos:
            return Decision(kind=kind).refuse(_("このメールには登録できる写真（JPEG・PNG・HEIC）がありません。"))
        if kind == InboundMail.Kind.CONSENT and not reading.pdfs:
            return Decision(kind=kind).refuse(_("このメールには同意書のPDFがありません。"))
        return Decision(
            status=InboundMail.Status.MATCHED, kind=kind, case=case if kind != InboundMail.Kind.CONSENT else None,
            company=case.company, reported_at=reported_at,
        )

    with transaction.atomic():
        mail = InboundMail.objects.select_for_update().without_raw().get(pk=mail_id)
        if mail.status == InboundMail.Status.MATCHED:
            raise Refused(_("受信#%(id)sは反映済みです。") % {"id": mail.pk})
        mail = process(mail.pk, actor=actor, override=chosen)
        if mail.status != InboundMail.Status.MATCHED:
            raise Refused(mail.reason or _("反映できませんでした。"))
        # Seen and decided by the secretariat: no longer waiting for review.
        mail.needs_review = False
        if kind == InboundMail.Kind.CONSENT:  # the consent is the company's; remember which case led to it
            mail.case = case
        mail.save(update_fields=["needs_review", "case"])
        audit.record(actor, "mail.matched_manually", mail, {
            "case": case.pk, "kind": kind, "reported_at": reported_at.isoformat() if reported_at else None,
        }, request=request)
    return mail


@transaction.atomic
def reprocess(actor, mail_id, request=None):
    """Run the automatic matching again (after the sender's address or the case was corrected)."""
    _check(actor)
    mail = InboundMail.objects.select_for_update().without_raw().get(pk=mail_id)
    if mail.status == InboundMail.Status.MATCHED:
        raise Refused(_("受信#%(id)sは反映済みです。") % {"id": mail.pk})
    before = mail.status
    mail = process(mail.pk)
    audit.record(actor, "mail.reprocessed", mail, {"status": [before, mail.status]}, request=request)
    return mail


@transaction.atomic
def close(actor, mail_id, note, request=None):
    """Nothing more to do with this mail (spam, a question answered by phone…); the note says why."""
    _check(actor)
    if not note.strip():
        raise Refused(_("対応済みにする理由をメモに書いてください。"))
    mail = InboundMail.objects.select_for_update().without_raw().get(pk=mail_id)
    if mail.handled_at:
        raise Refused(_("受信#%(id)sは対応済みです。") % {"id": mail.pk})
    mail.handled_at, mail.handled_by, mail.note = timezone.now(), actor, note.strip()
    mail.save(update_fields=["handled_at", "handled_by", "note"])
    audit.record(actor, "mail.closed", mail, {"note": mail.note}, request=request)
    return mail


@transaction.atomic
def update_rules(actor, rules_id, data, request=None):
    from .models import InboundRules

    _check(actor)
    fields = ["accept_any_sender", "match_tolerance_minutes", "max_attachment_mb"]
    rules = InboundRules.objects.select_for_update().get(pk=rules_id)
    before = audit.snapshot(rules, fields)
    for name in fields:
        setattr(rules, name, data[name])
    rules.save(update_fields=fields + ["updated_at"])
    audit.record(actor, "mail.rules_updated", rules, audit.diff(before, audit.snapshot(rules, fields)), request=request)
    return rules
