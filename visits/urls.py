from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:fy>/", views.rules, name="rules_year"),
    path("case/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("case/<int:pk>/code/", views.expert_code, name="code"),
    path("case/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("case/<int:pk>/consent/", views.consent_add, name="consent_add"),
    path("case/<int:pk>/consent/post/", views.consent_post, name="consent_post"),
    path("case/<int:pk>/declaration.pdf", views.declaration_pdf, name="declaration_pdf"),
    path("case/<int:pk>/declaration/", views.declaration_add, name="declaration_add"),
    path("case/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("case/<int:pk>/verify/", views.verify, name="verify"),
    path("case/<int:pk>/outside/", views.outside, name="outside"),
    path("photos/<int:pk>/", views.photo_view, name="photo"),
    path("photos/<int:pk>/review/", views.photo_review, name="photo_review"),
    path("consents/<int:pk>/", views.consent_view, name="consent"),
    path("consents/<int:pk>/reject/", views.consent_reject, name="consent_reject"),
    path("declarations/<int:pk>/", views.declaration_view, name="declaration"),
    path("declarations/<int:pk>/review/", views.declaration_review, name="declaration_review"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
]
