from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.batch_new, name="batch_new"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/export/", views.batch_export, name="batch_export"),
    path("<int:pk>/paid/", views.batch_paid, name="batch_paid"),
    path("<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("statements/<int:pk>/", views.remittance_detail, name="remittance_detail"),
    path("statements/<int:pk>/pdf/", views.remittance_pdf, name="remittance_pdf"),
    path("mine/", views.my_payments, name="mine"),
    path("waiting/", views.waiting_list, name="waiting"),
    path("checks/", views.flag_list, name="flag_list"),
    path("checks/<int:pk>/decide/", views.flag_decide, name="flag_decide"),
    path("settings/", views.settings_edit, name="settings"),
]
