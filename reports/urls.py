from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("case/<int:pk>/report/", views.report_form, name="report"),
    path("case/<int:pk>/certify/", views.certify, name="certify"),
    path("case/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("case/<int:pk>/reissue/", views.reissue, name="reissue"),
    path("disputes/", views.dispute_list, name="disputes"),
    # The mailed link: no login needed, good for this one case only.
    path("certify/<int:pk>/<str:token>/", views.certify_link, name="certify_link"),
    path("certify/<int:pk>/<str:token>/dispute/", views.dispute_link, name="dispute_link"),
]
