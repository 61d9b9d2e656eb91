"""``{% portal_tasks %}``: the portal's open tasks on the clinician dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from trdnav.portal.services.tasks import open_tasks

register = template.Library()


@register.inclusion_tag("portal/care/_tasks.html", takes_context=True)
def portal_tasks(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {
        "tasks": open_tasks(user=request.user),
        "next": "dashboard",
        "csrf_token": context.get("csrf_token"),
    }
