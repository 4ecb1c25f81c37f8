from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/rules/", views.rules, name="rules"),
    path("inbox/<int:pk>/", views.mail_detail, name="mail_detail"),
    path("inbox/<int:pk>/match/", views.mail_match, name="mail_match"),
    path("inbox/<int:pk>/reprocess/", views.mail_reprocess, name="mail_reprocess"),
    path("inbox/<int:pk>/close/", views.mail_close, name="mail_close"),
    path("inbox/<int:pk>/attachments/<int:index>/", views.mail_attachment, name="mail_attachment"),
    path("inbox/<int:pk>/raw/", views.mail_raw, name="mail_raw"),
]
