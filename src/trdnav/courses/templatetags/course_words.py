"""Words for the course pages: ``{{ key|citation }}`` (a protocol source key, ``a+b`` for
several, as its full citations) and ``{{ code|instrument }}`` (an instrument's abbreviation)."""

from __future__ import annotations

from django import template

from trdnav.core.instruments import UnknownInstrument, get_instrument
from trdnav.courses.present import citation as cite

register = template.Library()


@register.filter
def citation(source: object) -> str:
    return cite(str(source or ""))


@register.filter
def instrument(code: object) -> str:
    """An instrument code as its abbreviation (``phq9`` → ``PHQ-9``)."""
    try:
        return get_instrument(str(code)).definition.abbreviation
    except UnknownInstrument:
        return str(code or "").upper()
