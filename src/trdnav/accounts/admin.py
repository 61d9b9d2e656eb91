from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from trdnav.accounts.forms import AdminLoginForm
from trdnav.accounts.models import ApiToken, Clinic, Membership, User

# The admin log-in page is throttled like the ordinary one.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Membership
    can_delete = False


@admin.register(User)
class TrdnavUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = (MembershipInline,)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Digests are never shown; issuing happens on the user's own tokens page."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "user", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request: Any) -> bool:
        return False
