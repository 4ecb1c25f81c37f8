from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_new, name="new"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/photo/", views.consultation_photo, name="photo"),
    path("<int:pk>/photo/upload/", views.consultation_photo_upload, name="photo_upload"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
]
