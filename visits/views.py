import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.dates import fiscal_year
from core.http import safe_next
from dispatch.access import cases_for
from dispatch.models import State

from . import access, actions, codes
from .declaration import build_declaration_pdf
from .evidence import evidence_for, evidence_for_cases
from .forms import CheckinForm, ConsentForm, DeclarationForm, PhotoForm, ReasonForm, ReviewForm, RulesForm
from .models import CasePhoto, DeclarationScan, TimeReport


def _back(request, case):
    from django.urls import reverse

    return redirect(safe_next(request, reverse("dispatch:detail", args=[case.pk])))


def _refusals(request, refused):
    for reason in refused.reasons:
        messages.error(request, reason)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


# ---- the day of support --------------------------------------------------------------------

def _checkin_reports(case):
    return {r.kind: r for r in TimeReport.objects.filter(case=case, source=TimeReport.Source.CHECKIN)}


def _next_kind(done):
    if TimeReport.Kind.START not in done:
        return TimeReport.Kind.START
    if TimeReport.Kind.END not in done:
        return TimeReport.Kind.END
    return None


def _is_visit_day(case):
    return actions.is_visit_day(case)


@login_required
def checkin(request, pk):
    """The SME's phone page: check in and out with the expert's code, and send the photo."""
    case, roles = access.get_case_for_party(request.user, pk)
    done = _checkin_reports(case)
    kind = _next_kind(done)
    form = CheckinForm(request.POST or None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.check_in(request.user, case.pk, form.cleaned_data["kind"], form.cleaned_data["code"], request=request)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error("code" if _("コード") in reason else None, reason)
        else:
            message = _("%(kind)sを%(time)sに記録しました。") % {
                "kind": _("チェックイン") if report.kind == TimeReport.Kind.START else _("チェックアウト"),
                "time": f"{timezone.localtime(report.received_at):%H:%M}",
            }
            if not report.in_window:
                message += _("予定の時刻から±%(m)d分を超えているため、事務局が確認します。") % {"m": report.window_minutes}
            messages.success(request, message)
            return redirect("visits:checkin", pk=case.pk)
    return render(request, "visits/checkin.html", {
        "case": case, "done": done, "kind": kind, "form": form, "is_sme": "sme" in roles,
        "visit_day": _is_visit_day(case), "open": case.state in actions.EVIDENCE_STATES,
        "photo_form": PhotoForm(), "photos": CasePhoto.objects.filter(case=case).count(),
    })


@login_required
def expert_code(request, pk):
    """The expert shows this code to the SME; it changes every few minutes (refreshed by htmx)."""
    case, roles = access.get_case_for_party(request.user, pk)
    if "expert" not in roles:
        raise Http404
    kind = _next_kind(_checkin_reports(case))
    code, until = None, None
    if kind and _is_visit_day(case) and case.state in actions.EVIDENCE_STATES:
        code, until = codes.current_code(case.pk, kind)
    context = {
        "case": case, "kind": kind, "code": code, "visit_day": _is_visit_day(case),
        "seconds_left": max(0, int(until - time.time())) if until else None,
    }
    template = "visits/_code.html" if request.htmx else "visits/code.html"
    return _private(render(request, template, context))


# ---- photos --------------------------------------------------------------------------------

@login_required
@require_POST
def photo_add(request, pk):
    case, _roles = access.get_case_for_party(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("photo", []):
            messages.error(request, error)
        return _back(request, case)
    upload = form.cleaned_data["photo"]
    try:
        actions.attach_photo(case.pk, upload, source=CasePhoto.Source.UPLOAD, actor=request.user,
                             filename=upload.name, request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("写真を保存しました。"))
    return _back(request, case)


@login_required
def photo_view(request, pk):
    """Photos only through here, each read audited."""
    photo = access.get_photo_for_user(request.user, pk)
    actions.record_photo_view(request.user, photo, request=request)
    return _private(FileResponse(photo.image.open("rb"), content_type="image/jpeg"))


@login_required
@require_POST
def photo_review(request, pk):
    photo = access.get_photo_for_user(request.user, pk)
    if not access.is_secretariat(request.user):
        raise Http404
    try:
        if request.POST.get("decision") == "accept":
            actions.accept_photo(request.user, photo.pk, request=request)
            messages.success(request, _("写真を確認済みにしました。"))
        else:
            actions.reject_photo(request.user, photo.pk, request.POST.get("reason", ""), request=request)
            messages.success(request, _("写真を不備ありにしました。関係者に知らせました。"))
    except actions.Refused as refused:
        _refusals(request, refused)
    return _back(request, photo.case)


# ---- photo consent -------------------------------------------------------------------------

@login_required
@require_POST
def consent_add(request, pk):
    case, roles = access.get_case_for_party(request.user, pk)
    if not roles & {"sme", "organisation", "secretariat"}:
        raise Http404
    form = ConsentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("document", []):
            messages.error(request, error)
        return _back(request, case)
    try:
        actions.attach_consent(case.company_id, case.fiscal_year, form.cleaned_data["document"], source="upload",
                               actor=request.user, request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("写真提出の同意書を受け付けました。"))
    return _back(request, case)


@login_required
@require_POST
def consent_post(request, pk):
    case = access.get_case_for_secretariat(request.user, pk)
    try:
        actions.mark_consent_received_by_post(request.user, case.company_id, case.fiscal_year, request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("同意書の原本を受領済みにしました。"))
    return _back(request, case)


@login_required
def consent_view(request, pk):
    consent = access.get_consent_for_user(request.user, pk)
    audit.record(request.user, "visits.consent_viewed", consent.company, {"consent": consent.pk}, request=request)
    return _private(FileResponse(consent.document.open("rb"), content_type="application/pdf"))


@login_required
@require_POST
def consent_reject(request, pk):
    consent = access.get_consent_for_user(request.user, pk)
    if not access.is_secretariat(request.user):
        raise Http404
    try:
        actions.reject_consent(request.user, consent.pk, request.POST.get("reason", ""), request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("同意書を不備ありにしました。"))
    target = safe_next(request, "")
    return redirect(target) if target else redirect("visits:evidence_list")


# ---- the declaration -----------------------------------------------------------------------

@login_required
def declaration_pdf(request, pk):
    case, _roles = access.get_case_for_party(request.user, pk)
    evidence = evidence_for(case)
    pdf = build_declaration_pdf(case, evidence)
    audit.record(request.user, "visits.declaration_printed", case, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="declaration-{case.pk}.pdf"'
    return _private(response)


@login_required
@require_POST
def declaration_add(request, pk):
    case, _roles = access.get_case_for_party(request.user, pk)
    form = DeclarationForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("document", []):
            messages.error(request, error)
        return _back(request, case)
    try:
        actions.upload_declaration(request.user, case.pk, form.cleaned_data["document"], request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("申告書を提出しました。事務局が確認します。"))
    return _back(request, case)


@login_required
def declaration_view(request, pk):
    scan = access.get_declaration_for_user(request.user, pk)
    audit.record(request.user, "visits.declaration_viewed", scan.case, {"scan": scan.pk}, request=request)
    return _private(FileResponse(scan.document.open("rb"), content_type=scan.content_type))


@login_required
@require_POST
def declaration_review(request, pk):
    scan = access.get_declaration_for_user(request.user, pk)
    if not access.is_secretariat(request.user):
        raise Http404
    try:
        if request.POST.get("decision") == "accept":
            actions.accept_declaration(request.user, scan.pk, request=request)
            messages.success(request, _("申告書を受理しました。"))
        else:
            actions.reject_declaration(request.user, scan.pk, request.POST.get("reason", ""), request=request)
            messages.success(request, _("申告書を不備ありにしました。関係者に知らせました。"))
    except actions.Refused as refused:
        _refusals(request, refused)
    return redirect("visits:evidence", pk=scan.case_id)


# ---- the secretariat's evidence check ------------------------------------------------------

def _awaiting(user):
    """Cases whose evidence the secretariat must look at: certified ones, and any with items to review."""
    pending_report = TimeReport.objects.filter(case=OuterRef("pk"), review=TimeReport.Review.PENDING)
    pending_scan = DeclarationScan.objects.filter(case=OuterRef("pk"), status=DeclarationScan.Status.SUBMITTED)
    open_states = [State.SCHEDULED, State.DONE, State.REPORTED, State.CERTIFIED]
    return (
        cases_for(user).filter(state__in=open_states)
        .annotate(pending_report=Exists(pending_report), pending_scan=Exists(pending_scan))
        .filter(Q(state=State.CERTIFIED) | Q(pending_report=True) | Q(pending_scan=True))
    )


@login_required
def evidence_list(request):
    if not access.is_secretariat(request.user):
        raise Http404
    cases = list(
        _awaiting(request.user).select_related("company", "expert", "organisation")
        .order_by("step_started_at", "pk")[:200]
    )
    evidence = evidence_for_cases(cases)
    rules = {fy: actions.rules_for_year(fy) for fy in {c.fiscal_year for c in cases}}
    rows = [{"case": c, "evidence": evidence[c.pk], "deadline": actions.deadline_for(c, rules[c.fiscal_year])} for c in cases]
    return render(request, "visits/evidence_list.html", {"rows": rows})


@login_required
def evidence(request, pk):
    case = access.get_case_for_secretariat(request.user, pk)
    ev = evidence_for(case)
    deadline = actions.deadline_for(case)
    return render(request, "visits/evidence.html", {
        "case": case, "ev": ev, "deadline": deadline, "past_deadline": timezone.localdate() > deadline,
        "reason_form": ReasonForm(), "review_form": ReviewForm(), "open": case.state in actions.EVIDENCE_STATES,
    })


@login_required
@require_POST
def report_review(request, pk):
    report = TimeReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    case = access.get_case_for_secretariat(request.user, report.case_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_time_report(request.user, report.pk, form.cleaned_data["decision"] == "accept",
                                       form.cleaned_data["reason"], request=request)
        except actions.Refused as refused:
            _refusals(request, refused)
        else:
            messages.success(request, _("時刻報告の確認結果を記録しました。"))
    else:
        messages.error(request, _("認めるか認めないかを選んでください。"))
    return redirect("visits:evidence", pk=case.pk)


@login_required
@require_POST
def verify(request, pk):
    case = access.get_case_for_secretariat(request.user, pk)
    try:
        actions.verify_case(request.user, case.pk, request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("証憑を確認済みにしました。支払の対象になります。"))
    return redirect("visits:evidence", pk=case.pk)


@login_required
@require_POST
def outside(request, pk):
    case = access.get_case_for_secretariat(request.user, pk)
    try:
        actions.mark_outside(request.user, case.pk, request.POST.get("reason", ""), request=request)
    except actions.Refused as refused:
        _refusals(request, refused)
    else:
        messages.success(request, _("事業対象外にしました。関係者に知らせました。"))
    return redirect("visits:evidence", pk=case.pk)


@login_required
def rules(request, fy=None):
    """The evidence deadline and warning days of a programme year (secretariat)."""
    if not access.is_secretariat(request.user):
        raise Http404
    fy = fy or fiscal_year()
    if not 2000 <= fy <= 2100:
        raise Http404
    current = actions.rules_for_year(fy)
    form = RulesForm(request.POST or None, initial={name: getattr(current, name) for name in actions.RULE_FIELDS})
    if request.method == "POST" and form.is_valid():
        actions.update_rules(request.user, fy, form.cleaned_data, request=request)
        messages.success(request, _("証憑の期限の設定を保存しました。"))
        return redirect("visits:evidence_list")
    return render(request, "visits/rules.html", {"form": form, "rules": current, "fy": fy})
