from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Company
from directory.models import ExpertProfile

from . import access, actions
from .forms import AcceptForm, AskForm, DeclineForm, WithdrawForm


@login_required
def ask(request, expert_pk):
    """「この専門家に相談したい」: only for approved experts and SME members with a registered company."""
    expert = get_object_or_404(ExpertProfile, pk=expert_pk, status=ExpertProfile.Status.APPROVED)
    companies = Company.objects.filter(memberships__user=request.user).select_related("prefecture").order_by("pk")
    if not companies.exists():
        messages.info(request, _("専門家への相談を依頼するには、先に事業者情報を登録してください。"))
        return redirect("companies:new")
    form = AskForm(request.POST or None, companies=companies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = actions.submit_request(
                request.user, data["company"], expert, data["organisation"], data["problem"],
                data["preferred_channel"], request=request,
            )
        except actions.IntakeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("相談依頼を送りました。支援機関から2営業日以内に回答があります。"))
            return redirect("intake:detail", pk=req.pk)
    single = companies.first() if len(companies) == 1 else None
    return render(request, "intake/ask.html", {"form": form, "expert": expert, "single_company": single})


@login_required
def mine(request):
    """相談依頼の状況: the SME's requests, newest first."""
    qs = access.mine_for(request.user).select_related("organisation", "expert", "company").order_by("-submitted_at")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "intake/mine.html", {"page": page, "requests": page.object_list})


@login_required
def inbox(request):
    """The organisation's staff: open requests by deadline (overdue on top), then answered ones."""
    if not request.user.organisation_ids():
        raise Http404
    qs = access.inbox_for(request.user).select_related("organisation", "expert", "company", "company__prefecture")
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.open()
    page = Paginator(qs.for_inbox(), 50).get_page(request.GET.get("page"))
    context = {"page": page, "requests": page.object_list, "state": state, "now": timezone.now()}
    return render(request, "intake/inbox.html", context)


def _detail_context(request, req, **forms):
    user = request.user
    can_answer = req.is_open and access.can_answer(user, req)
    can_withdraw = req.is_open and access.can_withdraw(user, req)
    return {
        "req": req,
        "events": req.events.select_related("actor"),
        "now": timezone.now(),
        "can_answer": can_answer,
        "can_withdraw": can_withdraw,
        "accept_form": forms.get("accept_form") or (AcceptForm(initial={"channel": req.preferred_channel}) if can_answer else None),
        "decline_form": forms.get("decline_form") or (DeclineForm() if can_answer else None),
        "withdraw_form": forms.get("withdraw_form") or (WithdrawForm() if can_withdraw else None),
    }


@login_required
def detail(request, pk):
    req = access.get_request_for_user(request.user, pk)
    return render(request, "intake/request_detail.html", _detail_context(request, req))


def _transition(request, req, form_key, form, call):
    """Run an action from a valid form; on bad input or a refused rule, show the page again unchanged."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except actions.IntakeError as exc:
            form.add_error(None, str(exc))
        else:
            return None
    context = _detail_context(request, req, **{form_key: form})
    return render(request, "intake/request_detail.html", context, status=400)


@login_required
@require_POST
def accept(request, pk):
    req = access.get_request_for_user(request.user, pk)
    response = _transition(
        request, req, "accept_form", AcceptForm(request.POST),
        lambda d: actions.accept_request(
            request.user, req.pk, d["appointment_at"], d["channel"], d["place"], d["note"], request=request
        ),
    )
    if response is None:
        messages.success(request, _("相談依頼を受け付け、相談日程を事業者に連絡しました。"))
        return redirect("intake:detail", pk=req.pk)
    return response


@login_required
@require_POST
def decline(request, pk):
    req = access.get_request_for_user(request.user, pk)
    response = _transition(
        request, req, "decline_form", DeclineForm(request.POST),
        lambda d: actions.decline_request(request.user, req.pk, d["reason"], request=request),
    )
    if response is None:
        messages.success(request, _("お断りの理由を事業者に連絡しました。"))
        return redirect("intake:detail", pk=req.pk)
    return response


@login_required
@require_POST
def withdraw(request, pk):
    req = access.get_request_for_user(request.user, pk)
    response = _transition(
        request, req, "withdraw_form", WithdrawForm(request.POST),
        lambda d: actions.withdraw_request(request.user, req.pk, d["reason"], request=request),
    )
    if response is None:
        messages.success(request, _("相談依頼を取り下げました。"))
        return redirect("intake:detail", pk=req.pk)
    return response
