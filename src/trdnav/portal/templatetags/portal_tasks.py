"""``{% portal_tasks %}``: the portal's open tasks on the clinician dashboard."""

from __future__ import annotations

from typing import Any

from django import template

from trdnav.portal.services.tasks import open_tasks

register = template.Library()


@register.inclusion_tag("portal/care/_tasks.html", takes_context=True)
def portal_tasks(context: dict[str, Any], safety: Any = None) -> dict[str, Any]:
    """``safety``: the page's open safety items (the dashboard's rows), so that the card and
    the rows show one state without reading it twice."""
    request = context["request"]
    return {
        "tasks": open_tasks(user=request.user, safety=safety),
        "next": "dashboard",
        "csrf_token": context.get("csrf_token"),
    }
