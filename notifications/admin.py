from django.contrib import admin

from .models import InboundMail, Outbox


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in Outbox._meta.fields]


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    """Read-only: the raw message stays out of the admin (it is read, audited, in the secretariat's inbox)."""

    list_display = ["received_at", "from_address", "subject", "status", "kind", "needs_review"]
    list_filter = ["status", "kind", "needs_review", "source"]
    search_fields = ["subject", "from_address"]
    exclude = ["raw"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in InboundMail._meta.fields if f.name != "raw"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
