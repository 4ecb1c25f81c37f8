from django.contrib import admin

from .models import Certification, CertificationLink, Dispute, Evaluation, ReportRules, SupportReport


@admin.register(ReportRules)
class ReportRulesAdmin(admin.ModelAdmin):
    list_display = ["programme", "certification_link_days"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every change goes through reports/actions.py."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupportReport)
class SupportReportAdmin(ReadOnlyAdmin):
    list_display = ["case", "hours", "travel_claimed", "submitted_at", "revised_at"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["case", "support_date", "start_time", "end_time", "ends_next_day", "certified_by", "certified_at", "channel"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["case", "satisfaction", "usefulness", "punctuality", "would_recommend", "submitted_at"]


@admin.register(CertificationLink)
class CertificationLinkAdmin(ReadOnlyAdmin):
    list_display = ["case", "recipient", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ["case", "raised_by", "raised_at", "resolved_at"]
