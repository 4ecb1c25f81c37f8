from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from core import audit
from core.dates import fiscal_year
from directory.access import expert_for_user
from dispatch.models import DispatchCase, State

from . import access, actions, anomalies, calc, waiting, zengin
from .config import settings_for_year
from .forms import BatchForm, DecisionForm, PeriodForm, ReasonForm, SettingsForm, default_transfer_date, last_month
from .models import AnomalyFlag, PaymentBatch
from .pdf import statement_pdf

PREVIEW_ROWS = 500
WAITING_WINDOW = 500


def _require_payer(user):
    if not access.is_payer(user):
        raise Http404


def _refused(request, refused):
    for reason in refused.reasons:
        messages.error(request, reason)


# ---- batches -----------------------------------------------------------------------------------

@login_required
def batch_list(request):
    _require_payer(request.user)
    page = Paginator(access.batches_for(request.user), 50).get_page(request.GET.get("page"))
    open_flags = AnomalyFlag.objects.filter(status=AnomalyFlag.Status.OPEN).count()
    verified = DispatchCase.objects.filter(state=State.VERIFIED).exclude(payment_lines__active=True).count()
    return render(request, "payments/batch_list.html", {"page": page, "open_flags": open_flags, "verified": verified})


def _period(request):
    start, end = last_month()
    form = PeriodForm(request.GET or None, initial={"period_start": start, "period_end": end})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    return form, start, end


def _preview(cases):
    """Rows for the candidate table: amounts under each year's rules, bank problems, blocking flags."""
    programmes = {}
    flags = actions.blocking_flags([c.pk for c in cases])
    problems = {}
    rows = []
    for case in cases:
        if case.expert_id not in problems:
            problems[case.expert_id] = calc.bank_problems(case.expert, calc.account_of(case.expert))
        rows.append({
            "case": case, "amounts": calc.amounts_for(case, programmes), "report": calc.report_of(case),
            "problems": problems[case.expert_id], "flags": flags.get(case.pk, []),
        })
    return rows


@login_required
def batch_new(request):
    _require_payer(request.user)
    period_form, start, end = _period(request)
    qs = actions.candidates(start, end)
    candidate_ids = list(qs.values_list("pk", flat=True))
    form = BatchForm(request.POST or None, candidate_ids=candidate_ids, initial={
        "period_start": start, "period_end": end, "transfer_date": default_transfer_date(), "expected": len(candidate_ids),
    })
    query = urlencode({"period_start": start.isoformat(), "period_end": end.isoformat()})
    if request.method == "POST" and request.POST.get("action") == "scan":
        found = anomalies.scan(candidate_ids)
        messages.info(request, _("支払前点検を行いました。未確認の指摘は%(n)d件です。") % {"n": found})
        return redirect(f"{reverse('payments:batch_new')}?{query}")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            batch = actions.create_batch(request.user, d["period_start"], d["period_end"], d["transfer_date"],
                                         exclude_ids=d["exclude"], expected_count=d["expected"], request=request)
        except actions.Refused as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("支払バッチを作成しました。合計を確認して振込ファイルを出力してください。"))
            return redirect("payments:batch_detail", pk=batch.pk)
    cases = list(qs.select_related("company", "expert", "expert__bank_account", "support_report")[:PREVIEW_ROWS])
    rows = _preview(cases)
    totals = {
        "honorarium": sum(r["amounts"].honorarium for r in rows),
        "travel_claimed": sum(r["amounts"].travel_claimed for r in rows),
        "travel": sum(r["amounts"].travel_allowed for r in rows),
    }
    return render(request, "payments/batch_new.html", {
        "period_form": period_form, "form": form, "rows": rows, "count": len(candidate_ids), "totals": totals,
        "shown": len(rows), "query": query, "excluded": [r["case"].pk for r in rows if r["problems"] or r["flags"]],
    })


@login_required
def batch_detail(request, pk):
    batch = access.get_batch_for_user(request.user, pk)
    if request.htmx and request.GET.get("part") == "paying":
        # The progress box polls this page; once the task is done the whole page shows the result.
        if batch.state != PaymentBatch.State.PAYING:
            return HttpResponseClientRefresh()
        return render(request, "payments/_paying.html", _paying_context(batch))
    remittances = batch.remittances.annotate(case_count=Count("lines")).order_by("payee_name", "pk")
    page = Paginator(remittances, 100).get_page(request.GET.get("page"))
    blockers, cut = [], []
    is_open = batch.state == PaymentBatch.State.OPEN
    if is_open:
        case_ids = list(batch.remittances.values_list("lines__case_id", flat=True))
        blockers = actions.batch_refusals(case_ids)
    if is_open or batch.state == PaymentBatch.State.EXPORTED:
        cut, problems = calc.holder_names(batch, is_open)
        blockers += problems
    return render(request, "payments/batch_detail.html", {
        "batch": batch, "page": page, "blockers": blockers, "reason_form": ReasonForm(), "cut": cut,
        "name_width": zengin.NAME_WIDTH, **_paying_context(batch),
    })


def _paying_context(batch):
    percent = 100 * batch.paying_done // batch.case_count if batch.case_count else 100
    return {"batch": batch, "stalled": actions.paying_stalled(batch), "percent": percent,
            "problems": batch.paying_problem.splitlines()}


@login_required
@require_POST
def batch_export(request, pk):
    batch = access.get_batch_for_user(request.user, pk)
    try:
        data = actions.export_batch(request.user, batch.pk, request=request)
    except actions.Refused as refused:
        _refused(request, refused)
        return redirect("payments:batch_detail", pk=batch.pk)
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="zengin-sogo-furikomi-{batch.pk}-{batch.transfer_date:%m%d}.txt"'
    return response


@login_required
@require_POST
def batch_paid(request, pk):
    batch = access.get_batch_for_user(request.user, pk)
    resuming = batch.state == PaymentBatch.State.PAYING
    try:
        actions.start_paying(request.user, batch.pk, request=request)
    except actions.Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("支払済みにする処理を再開しました。") if resuming else
                         _("支払済みにする処理を始めました。終わると各専門家に支払のお知らせを送ります。"))
    return redirect("payments:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_cancel(request, pk):
    batch = access.get_batch_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.cancel_batch(request.user, batch.pk, reason, request=request)
    except actions.Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("支払バッチを取り消しました。含まれていた派遣は再び支払の対象になります。"))
    return redirect("payments:batch_detail", pk=batch.pk)


# ---- statements --------------------------------------------------------------------------------

@login_required
def remittance_detail(request, pk):
    remittance = access.get_remittance_for_user(request.user, pk)
    lines = list(remittance.lines.all())
    return render(request, "payments/remittance_detail.html", {
        "remittance": remittance, "lines": lines, "is_payer": access.is_payer(request.user),
    })


@login_required
def remittance_pdf(request, pk):
    remittance = access.get_remittance_for_user(request.user, pk)
    data = statement_pdf(remittance, list(remittance.lines.all()))
    audit.record(request.user, "payments.statement_viewed", remittance, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="shiharai-meisai-{remittance.batch_id}-{remittance.pk}.pdf"'
    return response


@login_required
def my_payments(request):
    """The expert's payments, calendar-year totals (支払調書) and cases still waiting to be payable."""
    expert = expert_for_user(request.user)
    if expert is None:
        raise Http404
    remittances = (access.remittances_for(request.user).filter(expert=expert).select_related("batch")
                   .annotate(case_count=Count("lines")).order_by("-batch__transfer_date", "-pk"))
    years = (access.remittances_for(request.user).filter(expert=expert, batch__state=PaymentBatch.State.PAID)
             .annotate(year=ExtractYear("paid_on")).values("year")
             .annotate(count=Count("pk"), total_honorarium=Sum("honorarium"), total_travel=Sum("travel"),
                       total_gross=Sum(F("honorarium") + F("travel")), total_withholding=Sum("withholding"),
                       total_net=Sum("net"))
             .order_by("-year"))
    cases = DispatchCase.objects.filter(expert=expert)
    verified = cases.filter(state=State.VERIFIED).exclude(payment_lines__active=True).select_related("company")[:100]
    pending = waiting.waiting_cases(waiting.waiting_queryset(cases)[:100])
    return render(request, "payments/my_payments.html", {
        "expert": expert, "remittances": remittances[:200], "years": years, "verified": verified, "pending": pending,
    })


# ---- the secretariat's lists -------------------------------------------------------------------

@login_required
def waiting_list(request):
    """Cases visited but not payable yet, oldest first, with who is holding each one up."""
    _require_payer(request.user)
    who = request.GET.get("who", "sme")
    if who not in waiting.PARTIES and who != "all":
        who = "sme"
    window = waiting.waiting_queryset()[:WAITING_WINDOW]
    rows = waiting.waiting_cases(window)
    if who != "all":
        rows = [r for r in rows if who in r.parties]
    return render(request, "payments/waiting.html", {
        "rows": rows[:200], "who": who, "parties": waiting.PARTIES, "window": WAITING_WINDOW,
    })


@login_required
def flag_list(request):
    _require_payer(request.user)
    status = request.GET.get("status", AnomalyFlag.Status.OPEN)
    flags = access.flags_for(request.user).select_related("case", "case__company", "case__expert", "decided_by")
    if status in AnomalyFlag.Status.values:
        flags = flags.filter(status=status)
    page = Paginator(flags.order_by("-detected_at", "-pk"), 100).get_page(request.GET.get("page"))
    return render(request, "payments/flag_list.html", {
        "page": page, "status": status, "statuses": AnomalyFlag.Status.choices, "form": DecisionForm(),
    })


@login_required
@require_POST
def flag_decide(request, pk):
    flag = access.get_flag_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    decision = form.cleaned_data["decision"] if form.is_valid() else request.POST.get("decision", "")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.decide_flag(request.user, flag.pk, decision, reason, request=request)
    except actions.Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("派遣#%(id)sの指摘を「%(status)s」にしました。") % {
            "id": flag.case_id, "status": AnomalyFlag.Status(decision).label})
    return redirect(_safe_next(request.POST.get("next", "")) or reverse("payments:flag_list"))


def _safe_next(url):
    """Back to the page the form was on: only our own flag list or a case page."""
    return url if url.startswith(("/payments/", "/dispatch/")) and "//" not in url else ""


@login_required
def settings_edit(request):
    _require_payer(request.user)
    try:
        fy = int(request.GET.get("fy") or fiscal_year())
    except ValueError:
        raise Http404 from None
    if not 2000 <= fy <= 2100:
        raise Http404
    row = settings_for_year(fy)
    form = SettingsForm(request.POST or None, initial={name: getattr(row, name) for name in actions.SETTINGS_FIELDS})
    if request.method == "POST" and form.is_valid():
        actions.update_settings(request.user, fy, form.cleaned_data, request=request)
        messages.success(request, _("%(fy)s年度の支払前点検の設定を保存しました。") % {"fy": fy})
        return redirect(f"{reverse('payments:settings')}?fy={fy}")
    return render(request, "payments/settings.html", {"form": form, "fy": fy, "row": row})
