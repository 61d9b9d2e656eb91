from typing import Any

from django.contrib import admin

from trdnav.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the site admin may look, never add, change or delete."""

    list_display = ("at", "actor_username", "clinic", "action", "object_type", "object_id", "via")
    list_filter = ("action", "via")
    search_fields = ("actor_username", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
