from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions
from .forms import CompanyForm, InviteForm
from .models import Company
from .sme import sme_status


@login_required
def company_new(request):
    if not request.user.email_verified:
        return render(request, "companies/verify_first.html", status=403)
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = actions.register_company(request.user, form.cleaned_data, request=request)
        messages.success(request, _("事業者情報を登録しました。"))
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/company_form.html", {"form": form, "is_new": True})


@login_required
def company_detail(request, pk):
    company = access.get_company_for_user(request.user, pk)
    context = {
        "company": company,
        "status": sme_status(company.industry, company.capital, company.employees),
        "members": company.memberships.select_related("user"),
        "is_owner": access.is_owner(request.user, company),
        "can_edit": company.memberships.filter(user=request.user).exists(),
        "invitations": company.invitations.filter(accepted_at=None),
        "invite_form": InviteForm(),
    }
    return render(request, "companies/company_detail.html", context)


@login_required
def company_edit(request, pk):
    company = access.get_company_for_user(request.user, pk, write=True)
    initial = {name: getattr(company, name) for name in actions.FIELDS}
    form = CompanyForm(request.POST or None, initial=initial, instance=company)
    if request.method == "POST" and form.is_valid():
        actions.update_company(request.user, company.pk, form.cleaned_data, request=request)
        messages.success(request, _("事業者情報を更新しました。"))
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/company_form.html", {"form": form, "company": company})


@login_required
@require_POST
def company_invite(request, pk):
    company = access.get_company_for_user(request.user, pk, write=True)
    form = InviteForm(request.POST)
    if not access.is_owner(request.user, company):
        messages.error(request, _("担当者を招待できるのは管理者だけです。"))
    elif form.is_valid():
        actions.invite_member(request.user, company, form.cleaned_data["email"], request=request)
        messages.success(request, _("%(email)s に招待メールを送りました。") % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, form.errors["email"][0])
    return redirect("companies:detail", pk=company.pk)


@login_required
def invitation_accept(request, token):
    if request.method == "POST":
        membership = actions.accept_invitation(request.user, token, request=request)
        if membership is None:
            return render(request, "companies/invitation_invalid.html", status=400)
        messages.success(request, _("%(company)s の担当者になりました。") % {"company": membership.company})
        return redirect("companies:detail", pk=membership.company_id)
    return render(request, "companies/invitation_accept.html", {"token": token})


@login_required
def company_list(request):
    companies = access.companies_for(request.user).select_related("prefecture", "industry").order_by("name")[:100]
    return render(request, "companies/company_list.html", {"companies": companies, "Company": Company})
