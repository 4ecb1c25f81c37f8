from django.contrib import admin

from .models import BankAccount, ExpertProfile, ExpertQualification, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "prefecture", "handles_dispatch", "is_active"]
    list_filter = ["kind", "prefecture__bureau", "handles_dispatch", "is_active"]
    search_fields = ["name", "name_kana", "municipality"]


class QualificationInline(admin.TabularInline):
    model = ExpertQualification
    extra = 0
    raw_id_fields = ["verified_by"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "base_prefecture", "status", "created_at"]
    list_filter = ["status", "base_prefecture"]
    search_fields = ["display_name", "display_name_kana", "user__email"]
    raw_id_fields = ["user"]
    filter_horizontal = ["specialties", "industries", "areas"]
    inlines = [QualificationInline]
    exclude = ["photo"]


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ["expert", "bank_name", "branch_name", "account_type"]
    raw_id_fields = ["expert"]
