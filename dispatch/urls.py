from django.urls import path

from . import views

app_name = "dispatch"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("wallet/", views.wallet, name="wallet"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/apply/", views.case_apply, name="apply"),
    path("<int:pk>/approve/", views.case_approve, name="approve"),
    path("<int:pk>/return/", views.case_return, name="return"),
    path("<int:pk>/accept/", views.case_accept, name="accept"),
    path("<int:pk>/decline/", views.case_decline, name="decline"),
    path("<int:pk>/cancel/", views.case_cancel, name="cancel"),
    path("<int:pk>/no-show/", views.case_no_show, name="no_show"),
    path("<int:pk>/reschedule/", views.case_reschedule, name="reschedule"),
]
