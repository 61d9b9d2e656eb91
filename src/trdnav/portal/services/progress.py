"""My progress: each questionnaire's trend in plain words and as a small chart.

On every portal instrument (PHQ-9, PHQ-2, GAD-7) a lower score means fewer symptoms, so a fall
is an improvement. The percentage is the one the clinic uses (``percent_reduction``), rounded
to a whole number; no clinical terms (response, remission) are shown to the patient.

When the latest result of a questionnaire answered its safety item positively or left it
unanswered, its change is stated without a percentage or "improvement" and followed by a
sentence pointing to the crisis guidance at the top of the page; the other questionnaires' changes
are then stated without a percentage too (P-P9, P-P10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from trdnav.core.instruments import get_instrument
from trdnav.core.measurement import percent_reduction
from trdnav.courses.models import ENDED_STATUSES, Course
from trdnav.patients.models import Patient
from trdnav.portal.completions import ScorePoint, latest_safety, score_points
from trdnav.portal.services.safety import triggers_guidance
from trdnav.portal.services.schedules import patient_instruments

CHART_WIDTH, CHART_HEIGHT, PAD = 600, 220, 30
SAFETY_SENTENCES = {
    "positive": (
        "You also told us you have had thoughts of being better off dead or of hurting "
        "yourself. Please read the help at the top of this page."
    ),
    "unknown": (
        "The question about thoughts of being better off dead or of hurting yourself was not "
        "answered. If you have had such thoughts, please read the help at the top of this page."
    ),
}


@dataclass(frozen=True)
class Trend:
    instrument: str
    abbreviation: str
    name: str
    maximum: int
    points: tuple[ScorePoint, ...]
    sentence: str
    # What the latest result's safety item said when it calls for crisis guidance, else None.
    safety: str | None = None

    @property
    def first(self) -> ScorePoint:
        return self.points[0]

    @property
    def latest(self) -> ScorePoint:
        return self.points[-1]

    def _xy(self, point: ScorePoint) -> tuple[float, float]:
        """x spreads the dates, y = 0 at the bottom."""
        start, end = self.first.administered_on, self.latest.administered_on
        span = max((end - start).days, 1)
        x = PAD + (point.administered_on - start).days * (CHART_WIDTH - 2 * PAD) / span
        y = CHART_HEIGHT - PAD - point.total * (CHART_HEIGHT - 2 * PAD) / max(self.maximum, 1)
        return x, y

    def svg_points(self) -> str:
        """Polyline coordinates."""
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in map(self._xy, self.points))

    def markers(self) -> list[dict[str, object]]:
        """One marker per score (its date and score are the marker's tooltip)."""
        return [
            {"x": f"{x:.1f}", "y": f"{y:.1f}", "point": point}
            for point, (x, y) in zip(self.points, map(self._xy, self.points), strict=True)
        ]


def _whole(value: Fraction) -> int:
    """Round half away from zero (42.86 → 43, 42.5 → 43)."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def plain_sentence(
    abbreviation: str,
    first: ScorePoint,
    latest: ScorePoint,
    *,
    safety: str | None = None,
    sober: bool = False,
) -> str:
    """The change in plain words. With a triggering ``safety`` answer: the bare change and the
    pointer to the crisis guidance; ``sober`` (guidance shown for another questionnaire): the
    bare change. Neither has a percentage or "improvement" (P-P10)."""
    if safety is not None:
        return f"{_bare_change(abbreviation, first, latest)} {SAFETY_SENTENCES[safety]}"
    begin, end = first.total, latest.total
    if sober or first is latest or begin == end:
        return _bare_change(abbreviation, first, latest)
    opening = f"Your {abbreviation} score went from {begin} to {end}"
    change = percent_reduction(begin, end)
    if change is None:  # from 0: a percentage of nothing means nothing
        return f"{opening}. Lower scores mean fewer symptoms."
    if end < begin:
        return f"{opening}, a {_whole(change)}% improvement."
    return f"{opening}, {_whole(-change)}% higher. Lower scores mean fewer symptoms."


def _bare_change(abbreviation: str, first: ScorePoint, latest: ScorePoint) -> str:
    begin, end = first.total, latest.total
    if first is latest:
        return f"Your {abbreviation} score was {end}."
    if begin == end:
        return f"Your {abbreviation} score stayed at {end}."
    return f"Your {abbreviation} score went from {begin} to {end}."


def safety_concerns(*, patient: Patient) -> dict[str, str]:
    """Portal instruments whose latest result's safety item was positive or unanswered, with
    that answer (P-P9): the progress page then shows the crisis guidance at the top."""
    codes = [i.code for i in patient_instruments()]
    latest = latest_safety(patient=patient, instruments=codes)
    return {code: safety for code, safety in latest.items() if triggers_guidance(safety)}


def trends(
    *, patient: Patient, since: date | None = None, concerns: dict[str, str] | None = None
) -> list[Trend]:
    """One trend per portal instrument the patient has scores for (whoever entered them), in
    the order first measured. Clinician-rated scales stay on the clinician's chart. The safety
    answer is the latest overall, even when ``since`` leaves that result out."""
    shown = {i.code for i in patient_instruments()}
    if concerns is None:
        concerns = safety_concerns(patient=patient)
    grouped: dict[str, list[ScorePoint]] = {}
    for point in score_points(patient=patient, since=since):
        if point.instrument in shown:
            grouped.setdefault(point.instrument, []).append(point)
    result = []
    for code, points in grouped.items():
        definition = get_instrument(code).definition
        maximum = (
            definition.total_range[1] if definition.total_range else max(p.total for p in points)
        )
        safety = concerns.get(code)
        sentence = plain_sentence(
            definition.abbreviation, points[0], points[-1], safety=safety, sober=bool(concerns)
        )
        result.append(
            Trend(
                code,
                definition.abbreviation,
                definition.name,
                maximum,
                tuple(points),
                sentence,
                safety,
            )
        )
    return result


# Course outcomes (``CourseOutcome.outcome``) that mean the course did not bring a response.
WITHOUT_RESPONSE = ("none", "partial_response")


def courses_ended_without_response(*, patient: Patient) -> list[Course]:
    """The patient's ended treatment courses whose last outcome was no response (or only a
    partial one), latest first: the progress page says there are other treatments (P-PH6)."""
    ended = Course.objects.filter(patient=patient, status__in=ENDED_STATUSES).order_by(
        "-ended_on", "-pk"
    )
    return [c for c in ended if (c.outcome or {}).get("outcome") in WITHOUT_RESPONSE]
