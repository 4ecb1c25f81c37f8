from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("ask/<int:expert_pk>/", views.ask, name="ask"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
