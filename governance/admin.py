from django.contrib import admin

from .models import ChecklistItem, GovernanceYear


@admin.register(GovernanceYear)
class GovernanceYearAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "survey_sample_percent", "weight_indicators", "weight_survey", "weight_org_evaluation", "weight_hearing"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "category", "text", "max_score", "sort_order"]
    list_filter = ["fiscal_year", "category"]
