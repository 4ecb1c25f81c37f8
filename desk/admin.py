from django.contrib import admin

from .models import Booking, ClosureDay, Desk, OpeningHours, Shift, ShokokaiMember


class HoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = ClosureDay
    extra = 0


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: changes go through desk/actions.py (locks, audit, mail)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Desk)
class DeskAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "name", "slot_minutes", "min_consultants", "is_active"]
    inlines = [HoursInline, ClosureInline]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "desk", "kind", "status", "company", "consultant", "channel", "source"]
    list_filter = ["kind", "status", "channel", "source"]
    search_fields = ["company__name", "caller_company"]
    raw_id_fields = ["company", "consultant", "booked_by", "consultation"]


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "ends_at", "desk", "consultant"]


@admin.register(ShokokaiMember)
class ShokokaiMemberAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "company", "created_at"]
