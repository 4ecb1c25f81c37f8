from django.urls import path

from . import report_views, views

app_name = "desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.desk_open, name="open"),
    path("<int:pk>/", views.desk_detail, name="detail"),
    path("<int:pk>/settings/", views.desk_settings, name="settings"),
    path("<int:pk>/closures/", views.closure_add, name="closure_add"),
    path("closures/<int:pk>/delete/", views.closure_delete, name="closure_delete"),
    path("<int:pk>/roster/", views.roster, name="roster"),
    path("<int:pk>/shifts/", views.shift_add, name="shift_add"),
    path("shifts/<int:pk>/withdraw/", views.shift_withdraw, name="shift_withdraw"),
    path("<int:pk>/slots/", views.slots, name="slots"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("<int:pk>/reports/", report_views.report, name="reports"),
    path("<int:pk>/reports/export.csv", report_views.export_csv, name="export_csv"),
    path("<int:pk>/reports/export.xlsx", report_views.export_xlsx, name="export_xlsx"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/invite.ics", views.booking_ics, name="ics"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("bookings/<int:pk>/reschedule/", views.booking_reschedule, name="reschedule"),
    path("bookings/<int:pk>/no-show/", views.booking_no_show, name="no_show"),
    path("bookings/<int:pk>/record/", views.booking_record, name="record"),
    path("m/<str:token>/", views.manage, name="manage"),
    path("m/<str:token>/cancel/", views.manage_cancel, name="manage_cancel"),
    path("m/<str:token>/reschedule/", views.manage_reschedule, name="manage_reschedule"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
