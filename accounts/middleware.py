from django.shortcuts import redirect
from django.urls import reverse

# Pages a half-logged-in user may still reach.
ALLOWED_URL_NAMES = {"otp_setup", "otp_verify", "logout"}


class StaffTwoFactorMiddleware:
    """Staff roles must pass a second factor; so must anyone who enrolled one.

    The user is logged in after the password; until the one-time code is
    verified, every page but the 2FA pages and logout redirects there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            path = request.path_info
            exempt = path.startswith(("/static/", "/i18n/")) or self._is_2fa_page(request)
            if not exempt:
                if request.session.get("otp_enrolled"):
                    return redirect(f"{reverse('accounts:otp_verify')}")
                if user.requires_2fa():
                    return redirect(reverse("accounts:otp_setup"))
        return self.get_response(request)

    def _is_2fa_page(self, request):
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.namespace == "accounts" and match.url_name in ALLOWED_URL_NAMES
