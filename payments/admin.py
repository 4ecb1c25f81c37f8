from django.contrib import admin

from .models import AnomalyFlag, PaymentBatch, PaymentSettings, Remittance


class ReadOnly(admin.ModelAdmin):
    """Read-only: every change goes through payments/actions.py (locks, audit, mail)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnly):
    list_display = ["pk", "period_start", "period_end", "transfer_date", "state", "case_count", "net_total"]
    list_filter = ["state"]


@admin.register(Remittance)
class RemittanceAdmin(ReadOnly):
    list_display = ["pk", "batch", "payee_name", "gross", "withholding", "net", "paid_on"]
    search_fields = ["payee_name"]


@admin.register(AnomalyFlag)
class AnomalyFlagAdmin(ReadOnly):
    list_display = ["pk", "case", "kind", "status", "detected_at"]
    list_filter = ["kind", "status"]


@admin.register(PaymentSettings)
class PaymentSettingsAdmin(ReadOnly):
    list_display = ["fiscal_year", "travel_speed_kmh", "pair_visits_threshold", "similarity_percent"]
