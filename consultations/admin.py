from django.contrib import admin

from .models import Consultation, Referral


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["held_on", "organisation", "company", "channel", "outcome"]
    list_filter = ["channel", "outcome"]
    raw_id_fields = ["organisation", "company", "staff", "sme_members", "created_by"]
    exclude = ["photo"]  # photos are seen only through the audited view


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["created_at", "from_organisation", "to_organisation", "status"]
    list_filter = ["status"]
    raw_id_fields = ["consultation", "from_organisation", "to_organisation", "created_by", "answered_by", "follow_up"]
