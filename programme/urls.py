from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("<int:fy>/", views.year_edit, name="year_edit"),
]
