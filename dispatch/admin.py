from django.contrib import admin

from .models import DispatchCase, DispatchEvent


class EventInline(admin.TabularInline):
    model = DispatchEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_state", "to_state", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DispatchCase)
class DispatchCaseAdmin(admin.ModelAdmin):
    """Read-only: every change goes through dispatch/actions.py."""

    list_display = ["pk", "company", "expert", "organisation", "starts_at", "state", "fiscal_year"]
    list_filter = ["state", "fiscal_year"]
    search_fields = ["company__name", "expert__display_name"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
