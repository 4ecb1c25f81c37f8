from django.contrib import admin

from .models import ExpertRequest, OrganisationStats, RequestEvent


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "from_state", "to_state", "reason"]


@admin.register(ExpertRequest)
class ExpertRequestAdmin(admin.ModelAdmin):
    # Read-only: transitions only through intake.actions.
    list_display = ["pk", "company", "organisation", "expert", "state", "deadline_at", "escalation"]
    list_filter = ["state", "escalation"]
    inlines = [RequestEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OrganisationStats)
class OrganisationStatsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "requests_measured", "median_response_seconds", "share_in_time", "dispatches_applied"]

    def has_change_permission(self, request, obj=None):
        return False
