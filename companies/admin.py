from django.contrib import admin

from .models import Company, Invitation, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "corporate_number", "prefecture", "industry", "is_sme", "is_small_business"]
    list_filter = ["prefecture", "is_sme", "is_small_business", "legal_form"]
    search_fields = ["name", "name_kana", "corporate_number"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["company", "email", "created_at", "accepted_at"]
    exclude = ["token"]
