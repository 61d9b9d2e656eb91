"""``{% safety_panel patient next %}``: one patient's safety items, from the one state
(``trdnav.safety.state``), on the chart and the portal panel."""

from __future__ import annotations

from typing import Any

from django import template

from trdnav.accounts.permissions import Capability, has_capability
from trdnav.safety.state import safety_items_for

register = template.Library()


@register.inclusion_tag("safety/_panel.html", takes_context=True)
def safety_panel(context: dict[str, Any], patient: Any, next: str = "chart") -> dict[str, Any]:
    return _safety_context(context, patient, next)


@register.inclusion_tag("safety/_cell.html", takes_context=True)
def safety_cell(context: dict[str, Any], patient: Any, next: str = "chart") -> dict[str, Any]:
    """The same items without the card around them (the chart's header has its own cell)."""
    return _safety_context(context, patient, next)


def _safety_context(context: dict[str, Any], patient: Any, next: str) -> dict[str, Any]:
    request = context["request"]
    items = safety_items_for([patient.pk]).get(patient.pk, [])
    return {
        "items": items,
        "open_count": sum(item.is_open for item in items),
        "patient": patient,
        "next": next,
        "can_review": has_capability(request.user, Capability.REVIEW_SAFETY),
        "csrf_token": context.get("csrf_token"),
    }
