"""Template filters for ``trdnav.clinical.words``: ``{% load words %}`` then, for example,
``{{ key|staging_model }}``, ``{{ a.severity|band }}``, ``{{ option.status|status }}``,
``{{ code|fact }}``, ``{{ item|treatment_name }}``, ``{{ episode|episode_name }}``,
``{{ start|month_span:end }}``."""

from __future__ import annotations

from typing import Any

from django import template

from trdnav.clinical import words

register = template.Library()


@register.filter
def staging_model(key: Any) -> str:
    return words.staging_model_name(str(key or ""))


@register.filter
def stage(code: Any) -> str:
    return words.stage_words(code)


@register.filter
def band(value: Any) -> str:
    return words.band_words(value)


@register.filter
def status(code: Any) -> str:
    return words.status_words(str(code or ""))


@register.filter
def fact(code: Any) -> str:
    return words.fact_label(str(code or ""))


@register.filter
def drug(code: Any) -> str:
    return words.drug_name(code)


@register.filter
def treatment_name(item: Any) -> str:
    return words.treatment_name(item if isinstance(item, dict) else None)


@register.filter
def episode_name(item: Any) -> str:
    return words.episode_name(item if isinstance(item, dict) else None)


@register.filter
def month_span(start: Any, end: Any = None) -> str:
    return words.month_span(start, end)


@register.filter
def plain(code: Any) -> str:
    return words.plain(code)
