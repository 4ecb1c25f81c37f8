from django.urls import path, re_path

from . import views
from .main import api

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("docs/", views.docs, name="docs"),
    path("", api.urls),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
