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
            # Who must pass first (cheap: session, cached roles), then whether this page is exempt (a URL
            # resolution): most logged-in users (SMEs, experts without a device) never need the second.
            if request.session.get("otp_enrolled"):
                target = "accounts:otp_verify"
            elif user.requires_2fa():
                target = "accounts:otp_setup"
            else:
                target = None
            if target and not self._exempt(request):
                return redirect(reverse(target))
        return self.get_response(request)

    def _exempt(self, request):
        return request.path_info.startswith(("/static/", "/i18n/")) or self._is_2fa_page(request)

    def _is_2fa_page(self, request):
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.namespace == "accounts" and match.url_name in ALLOWED_URL_NAMES
