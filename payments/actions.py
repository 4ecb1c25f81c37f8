"""Every state change of payments: batches, the transfer file, paying, the secretariat's decisions
on anomaly flags and the check thresholds.

Each function takes the actor, locks what it changes, checks the rules, writes and audits in one
transaction and queues mail on commit. Refusals raise dispatch.actions.Refused with Japanese reasons;
nothing is written then.
"""

import datetime
import hashlib
import logging
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core import audit
from core.dates import is_business_day
from dispatch.actions import Refused, _transition
from dispatch.models import DispatchCase, State
from notifications.mail import queue_mail

from . import anomalies, calc, rules, zengin
from .config import remitter, settings_for_year
from .models import AnomalyFlag, PaymentBatch, PaymentLine, PaymentSettings, Remittance

log = logging.getLogger(__name__)

BANK_FIELDS = ["bank_code", "bank_name", "branch_code", "branch_name", "account_type", "account_number", "holder_kana"]
SETTINGS_FIELDS = ["travel_speed_kmh", "pair_visits_threshold", "similarity_percent"]


def can_pay(user):
    return user is not None and user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.ADMIN)


def _require_secretariat(actor, allow_system=False):
    if actor is None and allow_system:
        return  # management commands run by the operator
    if not can_pay(actor):
        raise PermissionDenied


# ---- choosing cases -----------------------------------------------------------------------------

def _period_bounds(period_start, period_end):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def candidates(period_start, period_end):
    """Verified cases visited in the period and not in a batch that is still valid."""
    start, end = _period_bounds(period_start, period_end)
    return (DispatchCase.objects.filter(state=State.VERIFIED, starts_at__gte=start, starts_at__lt=end)
            .exclude(payment_lines__active=True).order_by("starts_at", "pk"))


def _load(case_ids):
    return list(
        DispatchCase.objects.filter(pk__in=case_ids)
        .select_related("company", "expert", "expert__bank_account", "support_report")
        .order_by("expert_id", "starts_at", "pk")
    )


def blocking_flags(case_ids):
    """{case id: [flag, …]} of flags not cleared by the secretariat."""
    found = defaultdict(list)
    for flag in AnomalyFlag.objects.filter(case_id__in=case_ids).exclude(status=AnomalyFlag.Status.CLEARED):
        found[flag.case_id].append(flag)
    return found


def _case_refusals(cases, period_start=None, period_end=None):
    reasons = []
    ids = [c.pk for c in cases]
    in_batches = dict(PaymentLine.objects.filter(case_id__in=ids, active=True).values_list("case_id", "remittance__batch_id"))
    flags = blocking_flags(ids)
    not_checked = set(anomalies.unchecked(ids))
    bounds = _period_bounds(period_start, period_end) if period_start else None
    for case in cases:
        if case.pk in not_checked and case.state == State.VERIFIED:
            reasons.append(_("派遣#%(id)sは確認済みになった後の支払前点検がまだです。点検してから支払ってください。") % {"id": case.pk})
        if case.state != State.VERIFIED:
            reasons.append(_("派遣#%(id)sは「%(state)s」のため支払に含められません（事務局の確認が済んだ派遣だけが対象です）。")
                           % {"id": case.pk, "state": case.get_state_display()})
        if case.pk in in_batches:
            reasons.append(_("派遣#%(id)sは既に支払バッチ#%(batch)sに含まれています。") % {"id": case.pk, "batch": in_batches[case.pk]})
        if bounds and not (bounds[0] <= case.starts_at < bounds[1]):
            reasons.append(_("派遣#%(id)sの支援日は対象期間の外です。") % {"id": case.pk})
        for flag in flags.get(case.pk, ()):
            reasons.append(_("派遣#%(id)sに支払前点検の指摘「%(kind)s」（%(status)s）があります。確認してから支払ってください。")
                           % {"id": case.pk, "kind": flag.get_kind_display(), "status": flag.get_status_display()})
    return reasons


def _bank_refusals(experts):
    reasons = []
    for expert in experts:
        reasons += calc.bank_problems(expert, calc.account_of(expert))
    return reasons


def _new_code(expert_id, snapshot, previous):
    """全銀 新規コード: 1 for the first transfer to the expert, 2 when the account changed since."""
    last = previous.get(expert_id)
    if last is None:
        return "1"
    return "0" if all(last[name] == snapshot[name] for name in BANK_FIELDS) else "2"


def _previous_accounts(expert_ids):
    latest = {}
    rows = (Remittance.objects.filter(expert_id__in=expert_ids, batch__state=PaymentBatch.State.PAID)
            .order_by("expert_id", "-paid_on", "-pk").values("expert_id", *BANK_FIELDS))
    for row in rows:
        latest.setdefault(row["expert_id"], row)
    return latest


# ---- batches ------------------------------------------------------------------------------------

def _check_dates(period_start, period_end, transfer_date):
    reasons = []
    if period_start > period_end:
        reasons.append(_("対象期間の初日は末日より前にしてください。"))
    if transfer_date < timezone.localdate():
        reasons.append(_("振込指定日は今日以降の日付にしてください。"))
    elif not is_business_day(transfer_date):
        reasons.append(_("振込指定日は銀行の営業日（土日祝日・年末年始以外）にしてください。"))
    return reasons


def create_batch(actor, period_start, period_end, transfer_date, exclude_ids=(), expected_count=None, request=None):
    """A batch of every verified case of the period except `exclude_ids`. Refused as a whole, with every
    reason, when a case is not payable or an expert cannot be paid by transfer. Cases not checked since
    they were verified are checked first (the flags are kept even when the batch is refused)."""
    _require_secretariat(actor)
    excluded = set(exclude_ids)
    anomalies.scan(anomalies.unchecked(pk for pk in candidates(period_start, period_end).values_list("pk", flat=True)
                                       if pk not in excluded))
    return _create_batch(actor, period_start, period_end, transfer_date, excluded, expected_count, request)


@transaction.atomic
def _create_batch(actor, period_start, period_end, transfer_date, excluded, expected_count, request):
    reasons = _check_dates(period_start, period_end, transfer_date)
    if reasons:
        raise Refused(*reasons)
    every = list(candidates(period_start, period_end).values_list("pk", flat=True))
    if expected_count is not None and expected_count != len(every):
        raise Refused(_("一覧を表示した後に対象の派遣が変わりました（%(then)d件→%(now)d件）。一覧を確認し直してください。")
                      % {"then": expected_count, "now": len(every)})
    case_ids = [pk for pk in every if pk not in excluded]
    if not case_ids:
        raise Refused(_("この期間に支払の対象となる派遣（確認済み）はありません。"))
    return _create(actor, _load(case_ids), period_start, period_end, transfer_date, request)


def create_batch_of_cases(actor, case_ids, period_start, period_end, transfer_date, request=None):
    """A batch of exactly these cases (all must be payable; unchecked ones are checked first)."""
    _require_secretariat(actor)
    anomalies.scan(anomalies.unchecked(DispatchCase.objects.filter(pk__in=case_ids, state=State.VERIFIED)
                                       .values_list("pk", flat=True)))
    return _create_batch_of_cases(actor, case_ids, period_start, period_end, transfer_date, request)


@transaction.atomic
def _create_batch_of_cases(actor, case_ids, period_start, period_end, transfer_date, request):
    reasons = _check_dates(period_start, period_end, transfer_date)
    cases = _load(case_ids)
    missing = set(case_ids) - {c.pk for c in cases}
    reasons += [_("派遣#%(id)sは見つかりません。") % {"id": pk} for pk in sorted(missing)]
    if reasons:
        raise Refused(*reasons)
    return _create(actor, cases, period_start, period_end, transfer_date, request)


def _create(actor, cases, period_start, period_end, transfer_date, request):
    experts = list({c.expert_id: c.expert for c in cases}.values())
    reasons = _case_refusals(cases, period_start, period_end) + _bank_refusals(experts)
    if reasons:
        raise Refused(*reasons)
    batch = PaymentBatch.objects.create(period_start=period_start, period_end=period_end, transfer_date=transfer_date,
                                        created_by=actor)
    previous = _previous_accounts([e.pk for e in experts])
    programmes = {}
    by_expert = defaultdict(list)
    for case in cases:
        by_expert[case.expert_id].append((case, calc.amounts_for(case, programmes)))
    remittances = []
    for expert in experts:
        amounts = [a for _c, a in by_expert[expert.pk]]
        payment = rules.payment_amounts(amounts, expert.is_corporation)
        snapshot = calc.bank_snapshot(expert.bank_account)
        remittances.append(Remittance(
            batch=batch, expert=expert, payee_name=expert.display_name, is_corporation=expert.is_corporation,
            invoice_number=expert.invoice_number, honorarium=sum(a.honorarium for a in amounts),
            travel=sum(a.travel_allowed for a in amounts), withholding=payment.withholding, net=payment.net,
            new_code=_new_code(expert.pk, snapshot, previous), **snapshot,
        ))
    Remittance.objects.bulk_create(remittances, batch_size=1000)
    remittance_of = {r.expert_id: r for r in remittances}
    lines = []
    for expert_id, items in by_expert.items():
        for case, a in items:
            report = calc.report_of(case)
            lines.append(PaymentLine(
                remittance=remittance_of[expert_id], case=case, visit_date=calc.visit_date(case),
                company_name=case.company.name[:100], hours=calc.hours_of(case, report).quantize(Decimal("0.01")),
                honorarium=a.honorarium, travel_claimed=a.travel_claimed, travel_allowed=a.travel_allowed,
                travel_route=report.travel_route if report else "",
            ))
    try:
        with transaction.atomic():
            PaymentLine.objects.bulk_create(lines, batch_size=1000)
    except IntegrityError:  # another batch took one of these cases meanwhile
        raise Refused(_("同じ派遣を含む支払バッチが同時に作成されました。一覧を確認し直してください。")) from None
    _set_totals(batch, remittances, len(lines))
    audit.record(actor, "payments.batch_created", batch, {
        "cases": batch.case_count, "payees": batch.payee_count, "net_total": batch.net_total,
        "period": [str(period_start), str(period_end)], "transfer_date": str(transfer_date),
    }, request=request)
    return batch


def _set_totals(batch, remittances, case_count):
    batch.case_count = case_count
    batch.payee_count = len(remittances)
    batch.honorarium_total = sum(r.honorarium for r in remittances)
    batch.travel_total = sum(r.travel for r in remittances)
    batch.withholding_total = sum(r.withholding for r in remittances)
    batch.net_total = sum(r.net for r in remittances)
    batch.save(update_fields=["case_count", "payee_count", "honorarium_total", "travel_total", "withholding_total", "net_total"])


def _lock_batch(batch_id):
    return PaymentBatch.objects.select_for_update().get(pk=batch_id)


@transaction.atomic
def cancel_batch(actor, batch_id, reason, request=None):
    _require_secretariat(actor)
    if not reason.strip():
        raise Refused(_("取消しの理由を入力してください。"))
    batch = _lock_batch(batch_id)
    if batch.state not in (PaymentBatch.State.OPEN, PaymentBatch.State.EXPORTED):
        raise Refused(_("このバッチは「%(state)s」のため取り消せません。") % {"state": batch.get_state_display()})
    old = batch.state
    PaymentLine.objects.filter(remittance__batch=batch).update(active=False)
    batch.state = PaymentBatch.State.CANCELLED
    batch.cancel_reason = reason
    batch.save(update_fields=["state", "cancel_reason"])
    audit.record(actor, "payments.batch_cancelled", batch, {"state": [old, batch.state], "reason": reason}, request=request)
    return batch


# ---- the transfer file --------------------------------------------------------------------------

def _transfers(batch):
    remittances = list(batch.remittances.order_by("pk"))
    return [
        zengin.Transfer(
            bank_code=r.bank_code, bank_name=r.bank_name, branch_code=r.branch_code, branch_name=r.branch_name,
            account_type=r.account_type, account_number=r.account_number, name=r.holder_kana, amount=r.net,
            new_code=r.new_code, customer_code1=str(r.expert_id), customer_code2=str(r.pk),
        )
        for r in remittances
    ]


def _refresh_accounts(batch):
    """Before the first export: the accounts as they are now (an expert may have corrected one)."""
    remittances = list(batch.remittances.select_related("expert", "expert__bank_account"))
    reasons = _bank_refusals([r.expert for r in remittances])
    if reasons:
        raise Refused(*reasons)
    previous = _previous_accounts([r.expert_id for r in remittances])
    changed = []
    for r in remittances:
        snapshot = calc.bank_snapshot(r.expert.bank_account)
        snapshot["new_code"] = _new_code(r.expert_id, snapshot, previous)
        if any(getattr(r, name) != value for name, value in snapshot.items()):
            for name, value in snapshot.items():
                setattr(r, name, value)
            changed.append(r)
    Remittance.objects.bulk_update(changed, BANK_FIELDS + ["new_code"], batch_size=200)


def _file_bytes(batch):
    data = zengin.build(remitter(), batch.transfer_date, _transfers(batch))
    parsed = zengin.parse(data)  # never hand out a file that does not read back
    if int(parsed.trailer["total"]) != batch.net_total or len(parsed.records) != batch.payee_count:
        raise AssertionError("transfer file does not match the batch totals")
    return data


def _unconvertible(exc):
    """The reason a name cannot go into the file, saying whose it is."""
    if exc.transfer is None:
        return _("振込依頼人（事務局の口座）：") + exc.reason
    payee = Remittance.objects.filter(pk=exc.transfer.customer_code2).values_list("payee_name", flat=True).first()
    return _("%(name)s：振込先を振込ファイルに書けません。") % {"name": payee} + exc.reason


@transaction.atomic
def export_batch(actor, batch_id, write=None, request=None):
    """The 全銀 総合振込 file of the batch (bytes). The first export freezes the batch and the accounts;
    a later export of an unpaid batch gives the same bytes. `write(data)` runs inside the transaction
    (the command writes the file there, so a failed write leaves the batch as it was)."""
    _require_secretariat(actor, allow_system=True)
    batch = _lock_batch(batch_id)
    if batch.state in (PaymentBatch.State.PAID, PaymentBatch.State.PAYING):
        raise Refused(_("支払済みのバッチの振込ファイルは出力できません（二重の振込を防ぐため）。"))
    if batch.state == PaymentBatch.State.CANCELLED:
        raise Refused(_("取り消したバッチの振込ファイルは出力できません。"))
    if batch.state == PaymentBatch.State.OPEN:
        case_ids = list(PaymentLine.objects.filter(remittance__batch=batch).values_list("case_id", flat=True))
        reasons = batch_refusals(case_ids)
        if reasons:
            raise Refused(*reasons)
        _refresh_accounts(batch)
    try:
        data = _file_bytes(batch)
    except zengin.UnconvertibleName as exc:
        raise Refused(_unconvertible(exc)) from None
    digest = hashlib.sha256(data).hexdigest()
    if batch.state == PaymentBatch.State.OPEN:
        batch.state = PaymentBatch.State.EXPORTED
        batch.exported_at = timezone.now()
        batch.exported_by = actor
        batch.file_sha256 = digest
    batch.export_count += 1
    batch.save(update_fields=["state", "exported_at", "exported_by", "file_sha256", "export_count"])
    audit.record(actor, "payments.batch_exported", batch, {"sha256": digest, "export_count": batch.export_count,
                                                            "bytes": len(data)}, request=request)
    if write is not None:
        write(data)
    return data


def batch_refusals(case_ids):
    reasons = []
    states = dict(DispatchCase.objects.filter(pk__in=case_ids).values_list("pk", "state"))
    labels = dict(State.choices)
    for pk in sorted(case_ids):
        if states.get(pk) != State.VERIFIED:
            reasons.append(_("派遣#%(id)sは「%(state)s」になっているため支払えません。バッチを取り消して作り直してください。")
                           % {"id": pk, "state": labels.get(states.get(pk), "")})
    for case_id, flags in sorted(blocking_flags(case_ids).items()):
        for flag in flags:
            reasons.append(_("派遣#%(id)sに支払前点検の指摘「%(kind)s」（%(status)s）があります。確認してから支払ってください。")
                           % {"id": case_id, "kind": flag.get_kind_display(), "status": flag.get_status_display()})
    return reasons


# ---- paying ------------------------------------------------------------------------------------
#
# Marking a batch paid moves every case verified → paid and mails each expert. For thousands of cases
# that is minutes of work, so the request only moves the batch to "paying" and queues the task
# (payments.tasks.pay_batch), which works in chunks of cases, each chunk in its own transaction under
# the batch row's lock. A case's own state is the progress marker (only verified cases are taken) and
# a remittance's paid_on marks its mail as queued, so a run killed midway and run again continues where
# it stopped and pays each case and mails each expert once.

PAY_CHUNK = 200  # cases per transaction: short enough that other writers never wait long
PAYING_STALLED_AFTER = datetime.timedelta(minutes=5)  # no progress for this long: the run is lost


def paying_stalled(batch, now=None):
    """True when a paying batch needs the task queued again (stopped on a problem, or no progress)."""
    if batch.state != PaymentBatch.State.PAYING:
        return False
    if batch.paying_problem:
        return True
    last = batch.paying_progress_at or batch.paying_started_at
    return last is None or last < (now or timezone.now()) - PAYING_STALLED_AFTER


def _enqueue_paying(batch_id):
    from .tasks import pay_batch

    try:
        pay_batch.enqueue(batch_id)
    except Exception:  # the batch stays "paying"; after PAYING_STALLED_AFTER it is queued again
        log.exception("could not enqueue paying batch %s", batch_id)


def _unpaid_case_refusals(case_ids):
    labels = dict(State.choices)
    states = DispatchCase.objects.filter(pk__in=case_ids).exclude(state=State.VERIFIED).values_list("pk", "state")
    return [_("派遣#%(id)sは「%(state)s」のため支払済みにできません。") % {"id": pk, "state": labels.get(state, state)}
            for pk, state in sorted(states)]


@transaction.atomic
def start_paying(actor, batch_id, request=None, now=None):
    """The bank has carried out the transfers: the batch becomes "paying" at once and the task that
    marks its cases paid is queued on commit. Pressing again while it runs is refused; pressing on a
    batch whose run stopped or was lost queues it again (it continues where it stopped)."""
    _require_secretariat(actor)
    now = now or timezone.now()
    batch = _lock_batch(batch_id)
    if batch.state == PaymentBatch.State.PAID:
        raise Refused(_("このバッチは既に支払済みです。"))
    if batch.state == PaymentBatch.State.OPEN:
        raise Refused(_("先に振込ファイルを出力し、銀行で振込を行ってから支払済みにしてください。"))
    if batch.state == PaymentBatch.State.PAYING:
        if not paying_stalled(batch, now):
            raise Refused(_("支払済みにする処理を実行中です（%(done)d／%(total)d件済み）。終わるまでお待ちください。")
                          % {"done": batch.paying_done, "total": batch.case_count})
        action = "payments.batch_paying_resumed"
    elif batch.state != PaymentBatch.State.EXPORTED:
        raise Refused(_("このバッチは「%(state)s」のため支払済みにできません。") % {"state": batch.get_state_display()})
    else:
        refusals = _unpaid_case_refusals(PaymentLine.objects.filter(remittance__batch=batch).values_list("case_id", flat=True))
        if refusals:
            raise Refused(*refusals)
        batch.state = PaymentBatch.State.PAYING
        batch.paid_by = actor
        batch.paying_started_at = now
        batch.paying_done = 0
        action = "payments.batch_paying"
    batch.paying_problem = ""
    batch.paying_progress_at = now
    batch.save(update_fields=["state", "paid_by", "paying_started_at", "paying_done", "paying_problem", "paying_progress_at"])
    audit.record(actor, action, batch, {"cases": batch.case_count, "done": batch.paying_done}, request=request)
    transaction.on_commit(lambda: _enqueue_paying(batch.pk))
    return batch


def resume_stalled(now=None):
    """Queue again the task of every batch whose run was lost (no progress for a while, no problem
    recorded); `manage.py resume_payments`. Returns the number of batches queued."""
    now = now or timezone.now()
    stale = now - PAYING_STALLED_AFTER
    queued = 0
    for batch_id in PaymentBatch.objects.filter(state=PaymentBatch.State.PAYING, paying_problem="",
                                                paying_progress_at__lt=stale).values_list("pk", flat=True):
        with transaction.atomic():
            # Claimed by moving the clock, so two sweeps at once queue it once.
            if PaymentBatch.objects.filter(pk=batch_id, state=PaymentBatch.State.PAYING,
                                           paying_progress_at__lt=stale).update(paying_progress_at=now) != 1:
                continue
            audit.record(None, "payments.batch_paying_resumed", PaymentBatch.objects.get(pk=batch_id), {"by": "sweep"})
            transaction.on_commit(lambda pk=batch_id: _enqueue_paying(pk))
            queued += 1
    return queued


def pay_all(batch_id, size=PAY_CHUNK):
    """What the task does: chunks until the batch is paid or stops on a problem. Returns the state."""
    while pay_next_chunk(batch_id, size):
        pass
    return PaymentBatch.objects.values_list("state", flat=True).get(pk=batch_id)


@transaction.atomic
def pay_next_chunk(batch_id, size=PAY_CHUNK):
    """Mark up to `size` of the batch's still verified cases paid, queue the mail of each remittance
    whose cases are now all paid, and finish the batch when nothing is left. True while work remains."""
    batch = _lock_batch(batch_id)  # one run at a time per batch, whatever the number of workers
    if batch.state != PaymentBatch.State.PAYING or batch.paying_problem:
        return False
    now = timezone.now()
    todo = list(PaymentLine.objects.filter(remittance__batch=batch, case__state=State.VERIFIED)
                .order_by("remittance_id", "case_id").values_list("case_id", flat=True)[:size])
    reason = _("支払バッチ#%(id)s（振込指定日 %(day)s）で支払") % {"id": batch.pk, "day": f"{batch.transfer_date:%Y-%m-%d}"}
    # In id order, so concurrent lockers of several cases cannot deadlock.
    for case in (DispatchCase.objects.select_for_update(of=("self",)).select_related("company", "expert")
                 .filter(pk__in=todo, state=State.VERIFIED).order_by("pk")):
        _transition(case, batch.paid_by, State.PAID, reason)
        batch.paying_done += 1
    _mail_paid_remittances(batch)
    fields = ["paying_done", "paying_progress_at"]
    batch.paying_progress_at = now
    more = bool(todo)
    if not more:
        left = _unpaid_case_refusals(PaymentLine.objects.filter(remittance__batch=batch).exclude(
            case__state=State.PAID).values_list("case_id", flat=True))
        if left:  # a case left "verified" some other way meanwhile: stop and show why on the batch page
            batch.paying_problem = "\n".join(left)
            fields.append("paying_problem")
        else:
            batch.state = PaymentBatch.State.PAID
            batch.paid_at = now
            fields += ["state", "paid_at"]
            audit.record(batch.paid_by, "payments.batch_paid", batch, {"cases": batch.case_count, "net_total": batch.net_total})
    batch.save(update_fields=fields)
    return more


def _mail_paid_remittances(batch):
    """Each remittance whose cases are all paid gets its date and its mail, once (paid_on marks it)."""
    done = list(batch.remittances.filter(paid_on=None)
                .annotate(unpaid=Count("lines", filter=~Q(lines__case__state=State.PAID))).filter(unpaid=0)
                .select_related("expert__user"))
    if not done:
        return
    Remittance.objects.filter(pk__in=[r.pk for r in done]).update(paid_on=batch.transfer_date)
    for remittance in done:
        remittance.paid_on = batch.transfer_date
        queue_mail(remittance.expert.user.email, "payment_paid", {"remittance": remittance, "batch": batch})


# ---- the secretariat's decisions -----------------------------------------------------------------

@transaction.atomic
def decide_flag(actor, flag_id, decision, reason, request=None):
    """Clear (pay) or hold (do not pay) a flagged case, with the reason."""
    _require_secretariat(actor)
    if decision not in (AnomalyFlag.Status.CLEARED, AnomalyFlag.Status.HELD):
        raise Refused(_("確認結果を選んでください。"))
    if not reason.strip():
        raise Refused(_("確認の理由を入力してください。"))
    flag = AnomalyFlag.objects.select_for_update().get(pk=flag_id)
    old = flag.status
    flag.status = decision
    flag.decided_by = actor
    flag.decided_at = timezone.now()
    flag.decision_reason = reason
    flag.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(actor, f"payments.flag_{decision}", flag, {"status": [old, decision], "reason": reason,
                                                          "case": flag.case_id}, request=request)
    return flag


@transaction.atomic
def update_settings(actor, fiscal_year, data, request=None):
    _require_secretariat(actor)
    settings_for_year(fiscal_year)
    row = PaymentSettings.objects.select_for_update().get(fiscal_year=fiscal_year)
    before = audit.snapshot(row, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        setattr(row, name, data[name])
    row.updated_by = actor
    row.save(update_fields=SETTINGS_FIELDS + ["updated_by", "updated_at"])
    audit.record(actor, "payments.settings_updated", row, audit.diff(before, audit.snapshot(row, SETTINGS_FIELDS)), request=request)
    return row
