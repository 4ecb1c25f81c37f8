from django.contrib import admin

from .models import ProgrammeYear


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "dispatch_quota", "it_dispatch_quota", "application_deadline", "phone_consultation_allowed"]
    filter_horizontal = ["it_specialties"]
    readonly_fields = ["updated_at", "updated_by"]
