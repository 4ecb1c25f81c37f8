from django.urls import path

from . import health, views
from .cache import public_page

app_name = "core"

urlpatterns = [
    path("", public_page(views.index), name="index"),
    path("audit/", views.audit_log, name="audit_log"),
    path("healthz", health.healthz, name="healthz"),
    path("hello", views.hello, name="hello"),
]
