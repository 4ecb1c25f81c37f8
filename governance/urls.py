from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("nation/", views.nation, name="nation"),
    path("nation/export/<slug:key>.<str:fmt>", views.nation_export, name="nation_export"),
    path("region/<slug:code>/", views.region, name="region"),
    path("region/<slug:code>/export/<slug:key>.<str:fmt>", views.region_export, name="region_export"),
    path("centre/<int:pk>/", views.centre, name="centre"),
    path("centre/<int:pk>/export/<slug:key>.<str:fmt>", views.centre_export, name="centre_export"),
    path("centre/<int:pk>/plan/<int:fy>/", views.plan, name="plan"),
    path("centre/<int:pk>/plan/<int:fy>/focus/", views.focus_add, name="focus_add"),
    path("centre/<int:pk>/plan/<int:fy>/focus/<int:focus_id>/remove/", views.focus_remove, name="focus_remove"),
    path("centre/<int:pk>/plan/<int:fy>/submit/", views.plan_submit, name="plan_submit"),
    path("centre/<int:pk>/plan/<int:fy>/confirm/", views.plan_confirm, name="plan_confirm"),
    path("centre/<int:pk>/plan/<int:fy>/return/", views.plan_return, name="plan_return"),
    path("centre/<int:pk>/network/", views.network, name="network"),
    path("centre/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("centre/<int:pk>/hearing/<int:fy>/", views.hearing, name="hearing"),
    path("centre/<int:pk>/rating/<int:fy>/", views.rating, name="rating"),
    path("centre/<int:pk>/rating/<int:fy>/compute/", views.rating_compute, name="rating_compute"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("policy/<int:fy>/", views.policy, name="policy"),
    path("settings/<int:fy>/", views.settings_view, name="settings"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/<int:pk>/", views.training, name="training"),
    path("qualifications/", views.qualifications, name="qualifications"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:pk>/", views.audit, name="audit"),
    path("audit/<int:pk>/export.<str:fmt>", views.audit_export, name="audit_export"),
    path("audit/items/<int:pk>/check/", views.audit_check, name="audit_check"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("outcome/<str:token>/", views.follow_up, name="follow_up"),
]
