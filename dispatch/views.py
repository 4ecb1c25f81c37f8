from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from companies.access import get_company_for_user
from companies.models import Membership
from consultations.access import get_consultation_for_user, staff_organisation_ids
from core import cache
from core.dates import fiscal_year
from directory.models import Organisation
from programme.models import ProgrammeYear
from programme.services import programme_for_year

from . import access, actions
from .forms import CaseForm, ListFilterForm, ReasonForm, RescheduleForm
from .models import HOLDER, State
from .recommend import expert_choices
from .reminders import overdue_cutoff
from .wallet import wallet_for


LIST_COLUMNS = [
    "starts_at", "state", "step_started_at", "organisation__name", "company__name", "expert__display_name",
]


def next_actor_label(case, open_dispute=False):
    """Who must act next and on what (次に対応が必要な人), per state.

    open_dispute: the SME said the report is wrong, so the expert must correct it first.
    """
    holder = HOLDER.get(case.state)
    if holder is None:
        return _("なし（手続きは終了しています）")
    if case.state == State.REPORTED and open_dispute:
        return _("%(name)s（専門家）：中小企業者の異議を受けた支援報告書の修正") % {"name": case.expert.display_name}
    by_state = {
        State.APPLIED: _("事務局：申請の審査"),
        State.APPROVED: _("%(name)s（専門家）：派遣依頼への回答") % {"name": case.expert.display_name},
        State.SCHEDULED: _("%(company)s（中小企業者）：支援当日の開始・終了時刻の報告と写真") % {"company": case.company},
        State.DONE: _("%(name)s（専門家）：支援報告書の提出") % {"name": case.expert.display_name},
        State.REPORTED: _("%(company)s（中小企業者）：従事証明と専門家の評価の入力") % {"company": case.company},
        State.CERTIFIED: _("事務局：証憑（時刻報告・写真・同意書・従事証明）の確認"),
        State.VERIFIED: _("事務局：謝金の支払"),
    }
    if case.state in by_state:
        return by_state[case.state]
    return _("%(org)s（支援機関）：専門家・日程を見直して申請してください") % {"org": case.organisation}


def cached_programme(fy):
    """The year's rules with its IT specialties, from memory until a programme year or reference data
    changes: the list and wallet pages show them on every request. For display only; the rules of
    actions are read fresh."""
    def build():
        programme = ProgrammeYear.objects.prefetch_related("it_specialties").get(pk=programme_for_year(fy).pk)
        programme.it_specialty_ids()
        return programme

    return cache.remembered(f"programme:{fy}", build, "programme")


def _has_open_dispute(case):
    return case.state == State.REPORTED and case.report_disputes.filter(resolved_at__isnull=True).exists()


@login_required
def case_list(request):
    user = request.user
    form = ListFilterForm(request.GET or None)
    qs = access.cases_for(user)
    queue = request.GET.get("view") == "queue" and user.has_role(Role.SECRETARIAT, Role.ADMIN)
    state, fy = "", None
    if form.is_valid():
        state, fy = form.cleaned_data["state"], form.cleaned_data["fiscal_year"]
    if queue:
        state = state or State.APPLIED
    if state:
        qs = qs.filter(state=state)
    if fy:
        qs = qs.filter(fiscal_year=fy)
    programme = cached_programme(fiscal_year())
    before = overdue_cutoff(programme.reminder_business_days)
    # Only the columns the list shows: compiling and reading four whole rows per case was a third of the page.
    cases = qs.select_related("organisation", "company", "expert").only(*LIST_COLUMNS).overdue_first(before)[:200]
    rows = [{"case": c, "overdue": c.overdue == 0, "next": next_actor_label(c)} for c in cases]
    return render(request, "dispatch/list.html", {
        "rows": rows, "form": form, "queue": queue,
        "is_secretariat": user.has_role(Role.SECRETARIAT, Role.ADMIN),
        "can_propose": bool(staff_organisation_ids(user)),
        "reminder_days": programme.reminder_business_days,
    })


@login_required
def wallet(request):
    """The SME's free dispatches used/left this fiscal year, per company."""
    fy = fiscal_year()
    memberships = Membership.objects.filter(user=request.user).select_related("company")
    programme = cached_programme(fy)
    wallets = [(m.company, wallet_for(m.company_id, fy, programme=programme)) for m in memberships]
    if not wallets:
        raise Http404
    return render(request, "dispatch/wallet.html", {"wallets": wallets, "fy": fy})


def _organisations(user):
    orgs = list(Organisation.objects.filter(pk__in=staff_organisation_ids(user)))
    if not orgs:
        raise Http404
    return orgs


@login_required
def case_new(request):
    orgs = _organisations(request.user)
    if request.GET.get("consultation"):
        consultation = get_consultation_for_user(request.user, _int(request.GET["consultation"]))
        company = consultation.company
        initial = {"consultation": consultation.pk, "topic": consultation.topics.values_list("pk", flat=True).first(),
                   "request_text": consultation.problem, "place": f"{company.prefecture}{company.municipality}{company.address}"}
    else:
        company = get_company_for_user(request.user, _int(request.GET.get("company")))
        initial = {"place": f"{company.prefecture}{company.municipality}{company.address}"}
    organisation = orgs[0]
    if request.POST.get("organisation"):
        organisation = next((o for o in orgs if str(o.pk) == request.POST["organisation"]), None) or _404()
    text = request.POST.get("request_text") or initial.get("request_text", "")
    experts, explanations = expert_choices(text, company)
    form = CaseForm(request.POST or None, initial=initial, company=company,
                    organisation_ids=[o.pk for o in orgs], experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.create_case(request.user, organisation, form.cleaned_data, request=request)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, _("派遣の下書きを作成しました。内容を確認して申請してください。"))
            return redirect("dispatch:detail", pk=case.pk)
    return render(request, "dispatch/form.html", {
        "form": form, "company": company, "orgs": orgs, "organisation": organisation,
        "wallet": wallet_for(company.pk, fiscal_year()), "explanations": explanations,
    })


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _404():
    raise Http404


@login_required
def case_edit(request, pk):
    case = access.get_case_for_user(request.user, pk)
    if case.organisation_id not in staff_organisation_ids(request.user) or not case.is_editable:
        raise Http404
    local_start, local_end = timezone.localtime(case.starts_at), timezone.localtime(case.ends_at)
    initial = {
        "consultation": case.consultation_id, "topic": case.topic_id, "request_text": case.request_text,
        "expert": case.expert_id, "day": local_start.date(), "start_time": local_start.time(),
        "end_time": local_end.time(), "place": case.place,
    }
    experts, explanations = expert_choices(request.POST.get("request_text") or case.request_text, case.company)
    form = CaseForm(request.POST or None, initial=initial, company=case.company,
                    organisation_ids=[case.organisation_id], experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case(request.user, case.pk, form.cleaned_data, request=request)
        except actions.Refused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, _("派遣の内容を更新しました。"))
            return redirect("dispatch:detail", pk=case.pk)
    return render(request, "dispatch/form.html", {
        "form": form, "company": case.company, "case": case, "orgs": [case.organisation],
        "organisation": case.organisation, "wallet": wallet_for(case.company_id, case.fiscal_year, exclude_case_id=case.pk),
        "explanations": explanations,
    })


@login_required
def case_detail(request, pk):
    case = access.get_case_for_user(request.user, pk)
    roles = access.roles_on_case(request.user, case)
    events = case.events.select_related("actor")
    context = {
        "case": case, "roles": roles, "events": events, "next_actor": next_actor_label(case, open_dispute=_has_open_dispute(case)),
        "reason_form": ReasonForm(), "reschedule_form": RescheduleForm(),
        "show_wallet": bool(roles & {"organisation", "sme", "secretariat"}),
        "wallet": wallet_for(case.company_id, case.fiscal_year),
        "past_start": case.starts_at <= timezone.now(),
    }
    return render(request, "dispatch/detail.html", context)


def _run(request, pk, action, *args, success):
    case = access.get_case_for_user(request.user, pk)
    try:
        action(request.user, case.pk, *args, request=request)
    except actions.Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, success)
    return redirect("dispatch:detail", pk=case.pk)


def _reason(request):
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@login_required
@require_POST
def case_apply(request, pk):
    return _run(request, pk, actions.apply_case, success=_("申請しました。事務局の審査をお待ちください。"))


@login_required
@require_POST
def case_approve(request, pk):
    return _run(request, pk, actions.approve_case, success=_("承認しました。専門家に依頼を送りました。"))


@login_required
@require_POST
def case_return(request, pk):
    return _run(request, pk, actions.return_case, _reason(request), success=_("差し戻しました。"))


@login_required
@require_POST
def case_accept(request, pk):
    return _run(request, pk, actions.accept_case, success=_("派遣を引き受けました。日程を関係者に送りました。"))


@login_required
@require_POST
def case_decline(request, pk):
    return _run(request, pk, actions.decline_case, _reason(request), success=_("辞退を支援機関に伝えました。"))


@login_required
@require_POST
def case_cancel(request, pk):
    return _run(request, pk, actions.cancel_case, _reason(request), success=_("派遣を取り消しました。"))


@login_required
@require_POST
def case_no_show(request, pk):
    return _run(request, pk, actions.mark_no_show, _reason(request), success=_("不実施として記録しました。"))


@login_required
@require_POST
def case_reschedule(request, pk):
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        case = access.get_case_for_user(request.user, pk)
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("dispatch:detail", pk=case.pk)
    d = form.cleaned_data
    return _run(request, pk, actions.reschedule_case, d["starts_at"], d["ends_at"], d["place"], d["reason"],
                success=_("日程を変更し、関係者に新しい予定を送りました。"))
