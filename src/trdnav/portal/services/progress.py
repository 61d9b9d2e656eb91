"""My progress: each questionnaire's trend in plain words and as a small chart.

On every portal instrument (PHQ-9, PHQ-2, GAD-7) a lower score means fewer symptoms, so a fall
is an improvement. The percentage is the one the clinic uses (``percent_reduction``), rounded
to a whole number; no clinical terms (response, remission) are shown to the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from trdnav.core.instruments import get_instrument
from trdnav.core.measurement import percent_reduction
from trdnav.patients.models import Patient
from trdnav.portal.completions import ScorePoint, score_points
from trdnav.portal.services.schedules import patient_instruments

CHART_WIDTH, CHART_HEIGHT, PAD = 600, 220, 30


@dataclass(frozen=True)
class Trend:
    instrument: str
    abbreviation: str
    name: str
    maximum: int
    points: tuple[ScorePoint, ...]
    sentence: str

    @property
    def first(self) -> ScorePoint:
        return self.points[0]

    @property
    def latest(self) -> ScorePoint:
        return self.points[-1]

    def svg_points(self) -> str:
        """Polyline coordinates: x spreads the dates, y = 0 at the bottom."""
        start, end = self.first.administered_on, self.latest.administered_on
        span = max((end - start).days, 1)
        coords = []
        for point in self.points:
            x = PAD + (point.administered_on - start).days * (CHART_WIDTH - 2 * PAD) / span
            y = CHART_HEIGHT - PAD - point.total * (CHART_HEIGHT - 2 * PAD) / max(self.maximum, 1)
            coords.append(f"{x:.1f},{y:.1f}")
        return " ".join(coords)


def _whole(value: Fraction) -> int:
    """Round half away from zero (42.86 → 43, 42.5 → 43)."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def plain_sentence(abbreviation: str, first: ScorePoint, latest: ScorePoint) -> str:
    begin, end = first.total, latest.total
    if first is latest:
        return f"Your {abbreviation} score was {end}."
    if begin == end:
        return f"Your {abbreviation} score stayed at {end}."
    opening = f"Your {abbreviation} score went from {begin} to {end}"
    change = percent_reduction(begin, end)
    if change is None:  # from 0: a percentage of nothing means nothing
        return f"{opening}. Lower scores mean fewer symptoms."
    if end < begin:
        return f"{opening}, a {_whole(change)}% improvement."
    return f"{opening}, {_whole(-change)}% higher. Lower scores mean fewer symptoms."


def trends(*, patient: Patient, since: date | None = None) -> list[Trend]:
    """One trend per portal instrument the patient has scores for (whoever entered them), in
    the order first measured. Clinician-rated scales stay on the clinician's chart."""
    shown = {i.code for i in patient_instruments()}
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
        sentence = plain_sentence(definition.abbreviation, points[0], points[-1])
        result.append(
            Trend(code, definition.abbreviation, definition.name, maximum, tuple(points), sentence)
        )
    return result
