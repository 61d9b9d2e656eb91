"""The course summary (and its printout): sessions, vitals trends, safety events and
overrides, the score trajectory against the protocol's expected response, and the outcome.

The response and remission lines come from the instrument's knowledge file
(``trdnav.core.measurement.chart_lines``, policy P-W4) and the checkpoints from the protocol:
nothing is computed here that the core defines.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from trdnav.assessments.models import Assessment
from trdnav.core.instruments import UnknownInstrument, get_instrument
from trdnav.core.measurement.chart_lines import chart_lines
from trdnav.core.protocols import Protocol
from trdnav.courses import present
from trdnav.courses.models import Course, TreatmentSession

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 220, 40


def _baseline(course: Course) -> Assessment | None:
    if course.baseline_assessment_id is not None:
        return course.baseline_assessment
    earlier = Assessment.objects.filter(
        patient_id=course.patient_id,
        instrument=course.instrument,
        valid=True,
        total__isnull=False,
        administered_on__lte=course.start_date,
    )
    return earlier.order_by("-administered_on", "-recorded_at").first()


def _scores(course: Course, baseline: Assessment | None) -> list[Assessment]:
    after = Assessment.objects.filter(
        patient_id=course.patient_id,
        instrument=course.instrument,
        valid=True,
        total__isnull=False,
        administered_on__gte=course.start_date,
    )
    if course.ended_on is not None:
        after = after.filter(administered_on__lte=course.ended_on)
    rows = list(after.order_by("administered_on", "recorded_at"))
    if baseline is not None and all(a.pk != baseline.pk for a in rows):
        rows.insert(0, baseline)
    return rows


def trajectory(course: Course) -> dict[str, Any]:
    """The course's scores with their change from baseline, and the lines they are judged
    against (response, remission) with their status."""
    baseline = _baseline(course)
    scores = _scores(course, baseline)
    try:
        definition = get_instrument(course.instrument).definition
    except UnknownInstrument:
        definition = None
    if baseline is None or baseline.total is None or definition is None:
        return {"scores": scores, "rows": [], "lines": [], "definition": definition}
    base = baseline.total
    found = chart_lines(definition.outcome, base)
    lines = [line.to_dict() for line in found]
    rows = [
        {
            "assessment": a,
            "baseline": a.pk == baseline.pk,
            "change": _change(base, a.total),
            "met": [line.kind for line in found if (a.total or 0) <= line.value],
        }
        for a in scores
    ]
    high = (
        definition.total_range[1] if definition.total_range else max(a.total or 0 for a in scores)
    )
    return {
        "scores": scores,
        "rows": rows,
        "lines": lines,
        "definition": definition,
        "chart": _chart(scores, lines, high),
    }


def _change(base: int, total: int | None) -> float | None:
    if not base or total is None:
        return None
    return round(100 * (total - base) / base, 1)


def _chart(scores: list[Assessment], lines: list[dict[str, Any]], high: int) -> dict[str, Any]:
    """Inline SVG coordinates: the score line and one horizontal line per threshold."""
    inner_w = CHART_WIDTH - 2 * CHART_PAD
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    first = scores[0].administered_on
    span = max((scores[-1].administered_on - first).days, 1)

    def x(day: date) -> float:
        return round(CHART_PAD + (day - first).days / span * inner_w, 1)

    def y(value: float) -> float:
        return round(CHART_PAD + inner_h - value / max(high, 1) * inner_h, 1)

    points = [{"x": x(a.administered_on), "y": y(a.total or 0), "a": a} for a in scores]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "bottom": CHART_HEIGHT - CHART_PAD,
        "high": high,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "lines": [{**line, "y": y(float(line["value"]))} for line in lines],
    }


def safety_events(
    protocol: Protocol | None, sessions: list[TreatmentSession]
) -> list[dict[str, Any]]:
    """Every block or warning raised at the last save of each session, with its overrides."""
    events = []
    for session in sessions:
        overrides = {o.rule: o for o in session.overrides.all()}
        for row in present.findings(session.findings, protocol, overrides):
            if row["level"] in ("block", "warn"):
                events.append(
                    {"session": session, "finding": row, "override": overrides.get(row["rule"])}
                )
    return events


def summary_context(course: Course, protocol: Protocol | None, now: datetime) -> dict[str, Any]:
    sessions = list(
        course.sessions.all()
        .select_related("signed_by", "recorded_by")
        .prefetch_related("overrides__by", "amendments__by")
    )
    # Measurements and safety events of signed sessions only: a draft may still change.
    signed = [s for s in sessions if s.is_signed]
    return {
        "course": course,
        "patient": course.patient,
        "protocol": protocol,
        "sessions": sessions,
        "rows": present.session_rows(course.plan or {}, sessions),
        "signed": signed,
        "vitals": present.vitals(protocol, signed) if protocol else [],
        "spark": {"width": present.SPARK_WIDTH, "height": present.SPARK_HEIGHT},
        "events": safety_events(protocol, signed),
        "overrides": [o for s in sessions for o in s.overrides.all()],
        "amendments": [a for s in sessions for a in s.amendments.all()],
        "trajectory": trajectory(course),
        "outcome": course.outcome or {},
        "outcome_words": present.outcome_words(course.outcome),
        "checkpoints": list(protocol.checkpoints) if protocol else [],
        "now": now,
    }
