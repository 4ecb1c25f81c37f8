from django.contrib import admin

from .models import CasePhoto, DeclarationScan, PhotoConsent, TimeReport, VisitRules


@admin.register(VisitRules)
class VisitRulesAdmin(admin.ModelAdmin):
    list_display = ["programme", "evidence_deadline_days", "warn_days_before"]


@admin.register(TimeReport)
class TimeReportAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "source", "reported_at", "received_at", "in_window", "review"]
    list_filter = ["kind", "source", "in_window", "review"]
    raw_id_fields = ["case", "actor", "reviewed_by"]


@admin.register(PhotoConsent)
class PhotoConsentAdmin(admin.ModelAdmin):
    list_display = ["company", "fiscal_year", "source", "status", "created_at", "original_received_at"]
    list_filter = ["fiscal_year", "source", "status"]
    raw_id_fields = ["company", "submitted_by", "original_received_by"]
    exclude = ["document"]  # documents only through the audited view


@admin.register(CasePhoto)
class CasePhotoAdmin(admin.ModelAdmin):
    list_display = ["case", "source", "status", "created_at"]
    list_filter = ["source", "status"]
    raw_id_fields = ["case", "uploaded_by", "reviewed_by"]
    exclude = ["image"]  # photos only through the audited view


@admin.register(DeclarationScan)
class DeclarationScanAdmin(admin.ModelAdmin):
    list_display = ["case", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["case", "uploaded_by", "reviewed_by"]
    exclude = ["document"]
