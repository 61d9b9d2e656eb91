"""Site administration: each clinic's crisis guidance is set here (docs/portal.md, "Safety").
Patient-facing records (messages, reports) are not exposed in the admin: they are read only
through the audited portal pages."""

from django.contrib import admin

from trdnav.portal.models import CrisisGuidance


@admin.register(CrisisGuidance)
class CrisisGuidanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("clinic", "updated_at")
