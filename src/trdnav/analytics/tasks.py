"""The analytics' long work as background jobs (``trdnav.jobs``; docs/analytics.md):
``refresh_analytics`` (each course's stage, the table the report groups by) and ``synth`` (a
synthetic cohort). Both are the functions ``trdnav refresh-analytics`` and ``trdnav synth``
call, given the job's progress reporter, so a queued run and a command-line run do the same."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone

from trdnav.accounts.models import Clinic
from trdnav.analytics.refresh import refresh_course_stages
from trdnav.analytics.synthetic import DEFAULT_CLINIC, write_cohort
from trdnav.core.errors import InvalidInput
from trdnav.jobs.context import JobContext


def refresh_analytics(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """``{"clinic": slug}`` (optional; every clinic without it)."""
    slug = payload.get("clinic")
    clinic = None
    if slug is not None:
        clinic = Clinic.objects.filter(slug=str(slug)).first()
        if clinic is None:
            raise InvalidInput.single("clinic", "no clinic with this slug")
    count = refresh_course_stages(clinic=clinic, progress=ctx.progress)
    return {"clinic": slug, "courses_refreshed": count}


def synthesize_cohort(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """``{"patients": n, "seed": s, "clinic": slug?, "end": "YYYY-MM-DD"?, "follow_up_weeks": w?}``;
    the same refusals as
    ``trdnav synth`` (never into a clinic with real patients unless the payload says
    ``"into_clinic_with_real_patients": true``)."""
    result = write_cohort(
        patients=_whole_number(payload, "patients"),
        seed=_whole_number(payload, "seed"),
        clinic_slug=str(payload.get("clinic") or DEFAULT_CLINIC),
        end=_day(payload.get("end")),
        into_clinic_with_real_patients=payload.get("into_clinic_with_real_patients") is True,
        progress=ctx.progress,
        follow_up_weeks=_whole_number(payload, "follow_up_weeks", default=0),
    )
    return dict(result.__dict__)


def _whole_number(payload: Mapping[str, Any], field: str, default: int | None = None) -> int:
    value = payload.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.single(field, "must be a whole number")
    return value


def _day(raw: object) -> date:
    if raw is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput.single("end", "must be a date as YYYY-MM-DD") from None
