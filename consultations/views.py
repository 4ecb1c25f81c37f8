from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Company
from directory.models import Organisation

from . import access, actions
from .forms import CloseReferralForm, CompanyLookupForm, ConsultationForm, PhotoForm
from .models import Consultation, Referral


def _staff_organisations(user):
    orgs = Organisation.objects.filter(pk__in=access.staff_organisation_ids(user))
    if not orgs:
        raise Http404
    return orgs


def _find_company(ref):
    ref = (ref or "").strip()
    if len(ref) == 13 and ref.isdigit():
        return Company.objects.filter(corporate_number=ref).first()
    if ref.isdigit():
        return Company.objects.filter(pk=int(ref)).first()
    return None


@login_required
def consultation_list(request):
    qs = access.consultations_for(request.user)
    outcome = request.GET.get("outcome", "")
    if outcome in Consultation.Outcome.values:
        qs = qs.filter(outcome=outcome)
    consultations = qs.select_related("organisation", "company", "staff").order_by("-held_on", "-id")[:100]
    referrals = (
        access.referrals_for(request.user).exclude(status=Referral.Status.CLOSED)
        .select_related("consultation__company", "from_organisation", "to_organisation")[:50]
    )
    return render(request, "consultations/list.html", {
        "consultations": consultations, "referrals": referrals, "outcome": outcome,
        "outcomes": Consultation.Outcome.choices, "can_record": bool(access.staff_organisation_ids(request.user)),
        "my_orgs": access.staff_organisation_ids(request.user),
    })


def _expert_request(user, pk):
    """An accepted 「この専門家に相談したい」 request of the user's organisation, to record as a consultation."""
    from intake.access import can_answer, get_request_for_user
    from intake.models import ExpertRequest

    req = get_request_for_user(user, pk)
    if not can_answer(user, req) or req.state != ExpertRequest.State.ACCEPTED:
        raise Http404
    return req


def _initial_from_request(req):
    held = timezone.localtime(req.appointment_at).date() if req.appointment_at else timezone.localdate()
    return {
        "organisation": req.organisation_id, "held_on": min(held, timezone.localdate()),
        "channel": req.appointment_channel or req.preferred_channel, "problem": req.problem,
        "topics": list(req.expert.specialties.values_list("pk", flat=True)),
    }


@login_required
def consultation_new(request):
    organisations = _staff_organisations(request.user)
    expert_request, initial = None, {}
    if request.GET.get("request"):
        expert_request = _expert_request(request.user, _int(request.GET["request"]))
        company, initial = expert_request.company, _initial_from_request(expert_request)
        organisations = organisations.filter(pk=expert_request.organisation_id)
    else:
        company = _find_company(request.GET.get("company_ref"))
    if company is None:
        lookup = CompanyLookupForm(request.GET or None)
        if request.GET.get("company_ref"):
            lookup.add_error("company_ref", _("該当する事業者が見つかりません。番号を確認してください。"))
        return render(request, "consultations/lookup.html", {"form": lookup})
    form = ConsultationForm(request.POST or None, request.FILES or None, initial=initial,
                            organisations=organisations, company=company)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if expert_request:
                consultation = actions.record_consultation_for_request(request.user, expert_request, data, request=request)
            else:
                consultation = actions.record_consultation(request.user, data["organisation"], company, data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("相談を記録しました。"))
            return redirect("consultations:detail", pk=consultation.pk)
    return render(request, "consultations/form.html", {"form": form, "company": company, "expert_request": expert_request})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@login_required
def consultation_detail(request, pk):
    consultation = access.get_consultation_for_user(request.user, pk)
    my_orgs = access.staff_organisation_ids(request.user)
    context = {
        "c": consultation,
        "topics": consultation.topics.all(),
        "members": consultation.sme_members.all(),
        "referrals": consultation.referrals.select_related("to_organisation", "from_organisation", "answered_by"),
        "can_edit": consultation.organisation_id in my_orgs,
        "my_orgs": my_orgs,
        "photo_form": PhotoForm(),
        "show_photo": bool(consultation.photo) and access.may_see_photo(request.user, consultation),
        "close_form": CloseReferralForm(),
        "cases": _cases_for(request.user, consultation),
    }
    return render(request, "consultations/detail.html", context)


def _cases_for(user, consultation):
    from dispatch.access import cases_for

    return cases_for(user).filter(consultation=consultation).select_related("expert").order_by("starts_at")


@login_required
def consultation_photo(request, pk):
    """Face photos only through here, each read audited."""
    consultation = access.get_consultation_for_user(request.user, pk)
    if not consultation.photo or not access.may_see_photo(request.user, consultation):
        raise Http404
    actions.record_photo_view(request.user, consultation, request=request)
    response = FileResponse(consultation.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def consultation_photo_upload(request, pk):
    consultation = access.get_consultation_for_user(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        actions.attach_photo(request.user, consultation.pk, form.cleaned_data["photo"], request=request)
        messages.success(request, _("写真を保存しました。"))
    else:
        for error in form.errors.get("photo", []):
            messages.error(request, error)
    return redirect("consultations:detail", pk=consultation.pk)


@login_required
@require_POST
def referral_accept(request, pk):
    referral = access.get_referral_for_receiver(request.user, pk)
    try:
        actions.accept_referral(request.user, referral.pk, request=request)
        messages.success(request, _("紹介を受け付けました。"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("consultations:detail", pk=referral.consultation_id)


@login_required
@require_POST
def referral_close(request, pk):
    referral = access.get_referral_for_receiver(request.user, pk)
    form = CloseReferralForm(request.POST)
    if form.is_valid():
        try:
            actions.close_referral(request.user, referral.pk, form.cleaned_data["result"], request=request)
            messages.success(request, _("紹介を完了にしました。紹介元に通知しました。"))
        except ValidationError as error:
            messages.error(request, error.messages[0])
    else:
        messages.error(request, _("紹介先での対応結果を入力してください。"))
    return redirect("consultations:detail", pk=referral.consultation_id)
