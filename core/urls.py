from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.index, name="index"),
    path("audit/", views.audit_log, name="audit_log"),
    path("healthz", health.healthz, name="healthz"),
    path("hello", views.hello, name="hello"),
]
