from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ["organisation", "decided_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "email_verified_at", "is_active", "is_staff"]
    search_fields = ["email", "name", "name_kana"]
    list_filter = ["is_active", "is_staff", "role_grants__role"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("個人情報", {"fields": ["name", "name_kana", "phone", "email_verified_at", "pending_email"]}),
        ("権限", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]
    inlines = [RoleGrantInline]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "bureau", "status", "decided_at"]
    list_filter = ["role", "status"]
    raw_id_fields = ["user", "organisation", "decided_by"]
