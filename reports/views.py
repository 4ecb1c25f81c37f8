from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.roles import Role
from companies.models import Membership
from dispatch.access import get_case_for_user
from dispatch.models import State

from . import actions, rules
from .forms import CertifyForm, DisputeForm, ReportForm
from .models import Certification, Dispute, SupportReport

# ---- the expert's report -------------------------------------------------------------------


@login_required
def report_form(request, pk):
    """File the support report, or correct it before certification (phone-friendly)."""
    case = get_case_for_user(request.user, pk)
    if case.expert.user_id != request.user.pk:
        raise Http404
    report = SupportReport.objects.filter(case=case).first()
    revising = report is not None
    if revising and not _revisable(case):
        messages.error(request, _("従事証明の前の報告だけを修正できます（現在：%(state)s）。") % {"state": case.get_state_display()})
        return redirect("dispatch:detail", pk=case.pk)
    refusal = "" if revising else rules.report_refusal(case)
    if refusal:
        messages.error(request, refusal)
        return redirect("dispatch:detail", pk=case.pk)
    initial = {name: getattr(report, name) for name in actions.REPORT_FIELDS} if revising else {"travel_claimed": "0"}
    form = ReportForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = actions.revise_report if revising else actions.submit_report
        try:
            action(request.user, case.pk, form.cleaned_data, request=request)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, _("支援報告書を修正し、事業者に確認のメールを送りました。") if revising
                             else _("支援報告書を提出しました。事業者に従事証明の入力を依頼するメールを送りました。"))
            return redirect("dispatch:detail", pk=case.pk)
    return render(request, "reports/report_form.html", {
        "case": case, "form": form, "revising": revising,
        "planned_hours": rules.format_hours(rules.planned_hours(case)),
        "disputes": Dispute.objects.filter(case=case, resolved_at=None).select_related("raised_by") if revising else [],
    })


def _revisable(case):
    return case.state == State.REPORTED and not Certification.objects.filter(case=case).exists()


# ---- certification by a logged-in SME member ---------------------------------------------

def _sme_case(request, pk):
    case = get_case_for_user(request.user, pk)
    if not Membership.objects.filter(company_id=case.company_id, user=request.user).exists():
        raise Http404
    return case


@login_required
def certify(request, pk):
    case = _sme_case(request, pk)
    refusal = actions.certification_refusal(case)
    if refusal:
        messages.error(request, refusal)
        return redirect("dispatch:detail", pk=case.pk)
    form = _certify_form(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.certify(request.user, case.pk, form.certification(), form.evaluation(), request=request)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, _("従事証明と専門家の評価を受け付けました。ありがとうございました。"))
            return redirect("dispatch:detail", pk=case.pk)
    return render(request, "reports/certify.html", _certify_context(case, form, dispute_url=None))


@login_required
@require_POST
def dispute(request, pk):
    case = _sme_case(request, pk)
    try:
        actions.dispute(request.user, case.pk, request.POST.get("reason", ""), request=request)
    except actions.Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return redirect("reports:certify", pk=case.pk)
    messages.success(request, _("「内容が事実と異なる」ことを専門家・支援機関・事務局に伝えました。報告が修正されるとメールでお知らせします。"))
    return redirect("dispatch:detail", pk=case.pk)


def _certify_form(case, data=None):
    day, start, end, next_day = actions.default_times(case)
    planned_overnight = timezone.localtime(case.starts_at).date() != timezone.localtime(case.ends_at).date()
    return CertifyForm(data, overnight=planned_overnight or next_day, initial={
        "support_date": day, "start_time": start, "end_time": end, "ends_next_day": next_day,
    })


def _certify_context(case, form, dispute_url, link=None):
    report = SupportReport.objects.get(case=case)
    return {
        "case": case, "report": report, "form": form, "dispute_form": DisputeForm(), "dispute_url": dispute_url,
        "link": link, "photo_missing": _photo_missing(case),
        "disputes": Dispute.objects.filter(case=case, resolved_at=None).select_related("raised_by"),
    }


def _photo_missing(case):
    try:
        from visits.models import CasePhoto
    except ImportError:  # pragma: no cover
        return False
    return not CasePhoto.objects.filter(case=case).exclude(status=CasePhoto.Status.REJECTED).exists()


# ---- certification by the mailed link (no login, only for that case) ----------------------

def _refused(request, reasons, status=410):
    return render(request, "reports/link_refused.html", {"reasons": reasons}, status=status)


@never_cache
def certify_link(request, pk, token):
    try:
        link = actions.find_link(pk, token)
    except actions.LinkRefused as refused:
        return _refused(request, refused.reasons, status=404)
    case = link.case
    refusal = actions.link_refusal(link, case)
    if refusal:
        return _refused(request, [refusal])
    form = _certify_form(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.certify_by_link(pk, token, form.certification(), form.evaluation(), request=request)
        except actions.LinkRefused as refused:
            return _refused(request, refused.reasons)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            return render(request, "reports/certified.html", {"case": case})
    dispute_url = reverse("reports:dispute_link", args=[pk, token])
    return render(request, "reports/certify.html", _certify_context(case, form, dispute_url, link=link))


@never_cache
@require_POST
def dispute_link(request, pk, token):
    reason = request.POST.get("reason", "")
    try:
        actions.dispute_by_link(pk, token, reason, request=request)
    except actions.LinkRefused as refused:
        return _refused(request, refused.reasons, status=404 if not _known(pk, token) else 410)
    except actions.Refused as refused:
        link = actions.find_link(pk, token)
        context = _certify_context(link.case, _certify_form(link.case), request.path, link=link)
        context.update(dispute_form=DisputeForm(request.POST), dispute_errors=refused.reasons)
        return render(request, "reports/certify.html", context, status=400)
    return render(request, "reports/disputed.html", {})


def _known(pk, token):
    try:
        actions.find_link(pk, token)
    except actions.LinkRefused:
        return False
    return True


# ---- staff -----------------------------------------------------------------------------


@login_required
@require_POST
def reissue(request, pk):
    case = get_case_for_user(request.user, pk)
    try:
        sent = actions.reissue_links(request.user, case.pk, request=request)
    except actions.Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("事業者の担当者%(n)d名に新しいリンクを送りました。") % {"n": sent})
    return redirect("dispatch:detail", pk=case.pk)


@login_required
def dispute_list(request):
    """Open disputes: the secretariat sees all, an organisation its own cases."""
    user = request.user
    disputes = Dispute.objects.filter(resolved_at=None, case__state=State.REPORTED)
    if not user.has_role(Role.SECRETARIAT, Role.ADMIN):
        orgs = user.organisation_ids()
        if not orgs:
            raise Http404
        disputes = disputes.filter(case__organisation_id__in=orgs)
    disputes = disputes.select_related("case", "case__company", "case__expert", "case__organisation", "raised_by")[:200]
    return render(request, "reports/dispute_list.html", {"disputes": disputes})
