from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

# The admin also requires the second factor.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "よろず 管理画面"
admin.site.site_title = "よろず 管理画面"

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("companies/", include("companies.urls")),
    path("", include("directory.urls")),
    path("requests/", include("intake.urls")),
    path("programme/", include("programme.urls")),
    path("consultations/", include("consultations.urls")),
    path("dispatch/", include("dispatch.urls")),
    path("visits/", include("visits.urls")),
    path("reports/", include("reports.urls")),
    path("payments/", include("payments.urls")),
    path("desk/", include("desk.urls")),
    path("governance/", include("governance.urls")),
    path("mail/", include("notifications.urls")),
    path("api/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "core.errors.not_found"
