from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox changes through its services (portal page for resending)."""

    list_display = ("created_at", "recipient", "channel", "template", "status", "attempts")
    list_filter = ("status", "channel", "template")
    search_fields = ("recipient__username", "to_address", "subject")
    exclude = ("body",)  # may hold a one-time link until sent
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
