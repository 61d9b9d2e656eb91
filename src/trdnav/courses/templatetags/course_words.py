"""``{{ key|citation }}``: a protocol source key (``a+b`` for several) as its full citations."""

from __future__ import annotations

from django import template

from trdnav.courses.present import citation as cite

register = template.Library()


@register.filter
def citation(source: object) -> str:
    return cite(str(source or ""))
