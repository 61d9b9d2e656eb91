"""What the patient chart shows about courses: the patient's courses (with signed-session
counts) and which next-step options can be planned as a course (a protocol delivers the
therapy). Contraindicated options are not offered for planning (policy P-CW1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Q

from trdnav.core.protocols import protocols_for_therapy
from trdnav.courses.models import Course, SessionState
from trdnav.patients.models import Patient

NOT_PLANNABLE = frozenset({"contraindicated"})


def plannable(options: Iterable[Mapping[str, Any]]) -> set[str]:
    """The ids of the options a course can be planned for."""
    return {
        str(o["id"])
        for o in options
        if o.get("status") not in NOT_PLANNABLE and protocols_for_therapy(str(o["id"]))
    }


def courses_on_chart(patient: Patient) -> list[Course]:
    signed = Count("sessions", filter=Q(sessions__state=SessionState.SIGNED))
    return list(Course.objects.filter(patient=patient).annotate(signed_count=signed))
