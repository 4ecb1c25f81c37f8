import base64

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.http import safe_next
from notifications.mail import queue_mail

from . import actions
from .forms import DecisionForm, EmailChangeForm, LoginForm, ProfileForm, SignupForm, StaffSignupForm, TokenForm
from .roles import Role

SIGNUP_KINDS = {
    "sme": (SignupForm, Role.SME, gettext_lazy("中小企業の方の会員登録")),
    "expert": (SignupForm, Role.EXPERT, gettext_lazy("専門家の登録")),
    "staff": (StaffSignupForm, None, gettext_lazy("支援機関職員の登録")),
}


def signup(request, kind="sme"):
    if kind not in SIGNUP_KINDS:
        kind = "sme"
    form_class, role, title = SIGNUP_KINDS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = actions.register_user(
            email=data["email"],
            password=data["password1"],
            name=data["name"],
            name_kana=data["name_kana"],
            role=role or data["role"],
            organisation=data.get("organisation"),
            request=request,
        )
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("登録しました。確認のメールを %(email)s に送りました。") % {"email": user.email})
        if kind == "expert":
            return redirect("directory:expert_profile_edit")
        return redirect("accounts:home")
    return render(request, "accounts/signup.html", {"form": form, "title": title, "kind": kind})


def verify_email(request, token):
    user = actions.verify_email(token)
    if user is None:
        return render(request, "accounts/verify_failed.html", status=400)
    messages.success(request, _("メールアドレスを確認しました。"))
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return redirect("accounts:login")


@login_required
@require_POST
def resend_verification(request):
    if not request.user.email_verified:
        actions.send_verification(request.user)
        messages.info(request, _("確認のメールを再送しました。"))
    return redirect("accounts:home")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        # Remember whether a second factor is due, so the middleware need not query devices.
        self.request.session["otp_enrolled"] = any(True for _ in devices_for_user(user, confirmed=True))
        if self.request.session["otp_enrolled"]:
            return redirect(f"{reverse('accounts:otp_verify')}?next={safe_next(self.request, '')}")
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def otp_setup(request):
    """Enrol a TOTP authenticator app: show the QR code, confirm with one code."""
    user = request.user
    if not user.is_verified() and any(True for _ in devices_for_user(user, confirmed=True)):
        # Half logged in with an enrolled device: enrolling another would skip the second factor.
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session["otp_enrolled"] = True
            from core import audit

            audit.record(user, "user.2fa_enrolled", user, request=request)
            messages.success(request, _("2段階認証を設定しました。"))
            return redirect("accounts:home")
        form.add_error("token", _("確認コードが正しくありません。アプリに表示されている最新のコードを入力してください。"))
    qr_svg = segno.make(device.config_url, micro=False).svg_inline(scale=4)
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret})


@login_required
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(safe_next(request, reverse("accounts:home")))
        form.add_error("token", _("確認コードが正しくありません。"))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def home(request):
    from directory.access import expert_for_user

    user = request.user
    context = {
        "memberships": user.memberships.select_related("company", "company__prefecture"),
        "grants": user.role_grants.select_related("organisation", "bureau"),
        "expert": expert_for_user(user),
        "pending_approvals": actions.pending_grants_for(user).count() if user.requires_2fa() else 0,
    }
    return render(request, "accounts/home.html", context)


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "name_kana": user.name_kana, "phone": user.phone})
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user, request=request, **form.cleaned_data)
        messages.success(request, _("登録情報を更新しました。"))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "email_form": EmailChangeForm(user)})


@login_required
@require_POST
def change_email(request):
    form = EmailChangeForm(request.user, request.POST)
    if form.is_valid():
        actions.request_email_change(request.user, form.cleaned_data["email"], request=request)
        messages.info(request, _("新しいメールアドレスに確認のメールを送りました。確認が済むまでは現在のアドレスが使われます。"))
        return redirect("accounts:profile")
    profile_form = ProfileForm(initial={"name": request.user.name, "name_kana": request.user.name_kana})
    return render(request, "accounts/profile.html", {"form": profile_form, "email_form": form}, status=400)


@login_required
def approvals(request):
    if not (request.user.has_role(Role.CHIEF, Role.ADMIN)):
        return render(request, "404.html", status=404)
    grants = actions.pending_grants_for(request.user).order_by("created_at")
    return render(request, "accounts/approvals.html", {"grants": grants})


@login_required
@require_POST
def decide_grant(request, pk):
    grant = get_object_or_404(actions.pending_grants_for(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []) + form.errors.get("decision", []):
            messages.error(request, error)
        return redirect("accounts:approvals")
    approve = form.cleaned_data["decision"] == "approve"
    actions.decide_role(request.user, grant.pk, approve, form.cleaned_data["reason"], request=request)
    messages.success(request, _("%(name)s さんを承認しました。") % {"name": grant.user.name} if approve else _("却下しました。"))
    return redirect("accounts:approvals")


class PasswordResetView(auth_views.PasswordResetView):
    """Reset mails go through the outbox like every other mail."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        form.send_mail = _send_reset_mail
        return super().form_valid(form)


def _send_reset_mail(subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
    queue_mail(to_email, "password_reset", {"uid": context["uid"], "token": context["token"], "user": context["user"]})
