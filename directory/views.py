from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from core import audit

from . import access, actions
from .forms import BankAccountForm, ExpertProfileForm, ReviewForm
from .models import ExpertProfile, ExpertQualification


def _profile_initial(expert, user):
    if expert is None:
        return {"display_name": user.name, "display_name_kana": user.name_kana}
    return {
        "display_name": expert.display_name,
        "display_name_kana": expert.display_name_kana,
        "headline": expert.headline,
        "bio": expert.bio,
        "career": expert.career,
        "base_prefecture": expert.base_prefecture_id,
        "is_corporation": expert.is_corporation,
        "invoice_number": expert.invoice_number,
        "specialties": list(expert.specialties.values_list("pk", flat=True)),
        "industries": list(expert.industries.values_list("pk", flat=True)),
        "areas": list(expert.areas.values_list("pk", flat=True)),
        "qualifications": list(expert.qualifications.values_list("qualification_id", flat=True)),
    }


@login_required
def expert_profile_edit(request):
    expert = access.expert_for_user(request.user)
    form = ExpertProfileForm(request.POST or None, request.FILES or None, initial=_profile_initial(expert, request.user))
    if request.method == "POST" and form.is_valid():
        actions.save_expert_profile(request.user, form.cleaned_data, request=request)
        messages.success(request, _("専門家プロフィールを保存しました。"))
        return redirect("directory:expert_profile_edit")
    return render(request, "directory/expert_profile_form.html", {"form": form, "expert": expert})


@login_required
def bank_account_edit(request):
    expert = access.expert_for_user(request.user)
    if expert is None:
        messages.info(request, _("先に専門家プロフィールを登録してください。"))
        return redirect("directory:expert_profile_edit")
    account = getattr(expert, "bank_account", None)
    initial = {}
    if account:
        initial = {f: getattr(account, f) for f in ["bank_code", "branch_code", "account_type", "account_number", "holder_kana"]}
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.save_bank_account(request.user, expert, form.cleaned_data, request=request)
        messages.success(request, _("振込先口座を保存しました。"))
        return redirect("directory:expert_profile_edit")
    return render(request, "directory/bank_account_form.html", {"form": form, "expert": expert, "account": account})


def expert_photo(request, pk):
    """Profile photos are served only through this view: public once approved, else to the owner and secretariat."""
    try:
        expert = access.experts_visible_to(request.user).get(pk=pk)
    except ExpertProfile.DoesNotExist:
        raise Http404 from None
    if not expert.photo:
        raise Http404
    response = FileResponse(expert.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def review_list(request):
    if not request.user.has_role(Role.SECRETARIAT, Role.ADMIN):
        raise Http404
    status = request.GET.get("status", ExpertProfile.Status.PENDING)
    if status not in ExpertProfile.Status.values:
        status = ExpertProfile.Status.PENDING
    experts = (
        access.experts_for_review(request.user)
        .filter(status=status)
        .select_related("user", "base_prefecture")
        .order_by("created_at")[:200]
    )
    return render(
        request, "directory/review_list.html",
        {"experts": experts, "status": status, "statuses": ExpertProfile.Status.choices},
    )


@login_required
def review_detail(request, pk):
    expert = access.get_expert_for_review(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        actions.decide_expert(request.user, expert.pk, approve, form.cleaned_data["reason"], request=request)
        messages.success(request, _("審査結果を登録しました。"))
        return redirect("directory:review_list")
    audit.record(request.user, "expert.review_viewed", expert, request=request)
    context = {
        "expert": expert,
        "form": form,
        "qualifications": expert.qualifications.select_related("qualification", "verified_by"),
        "account": getattr(expert, "bank_account", None),
    }
    return render(request, "directory/review_detail.html", context)


@login_required
@require_POST
def verify_qualification(request, pk, item_pk):
    expert = access.get_expert_for_review(request.user, pk)
    try:
        item = expert.qualifications.get(pk=item_pk)
    except ExpertQualification.DoesNotExist:
        raise Http404 from None
    actions.set_qualification_verified(request.user, item.pk, request.POST.get("verified") == "1", request=request)
    return redirect("directory:review_detail", pk=expert.pk)
