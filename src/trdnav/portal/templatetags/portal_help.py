"""``{{ number|tel_value }}``: a written phone number as a dialable ``tel:`` value."""

from __future__ import annotations

from django import template

from trdnav.portal.services.crisis_help import tel_value as _tel_value

register = template.Library()


@register.filter
def tel_value(number: object) -> str:
    return _tel_value(str(number or ""))
