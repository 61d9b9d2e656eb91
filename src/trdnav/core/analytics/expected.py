"""The knowledge base's response and remission figures per therapy (expected_outcomes.toml).

Used to calibrate the synthetic cohort, never to predict a patient's outcome. A therapy card
without one of the two figures gets it derived (P-AN2): the missing figure is the present one
scaled by the mean remission-to-response ratio of the therapies that have both, capped so
that remission never exceeds response.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from statistics import fmean

from trdnav.core.knowledge import Status, fields, load_document
from trdnav.core.knowledge.fields import Table

EXPECTED_FILE = "measurement/expected_outcomes.toml"
DERIVED = "derived"  # the source of a figure made by P-AN2


@dataclass(frozen=True)
class Figure:
    rate: float
    source: str
    status: Status
    text: str
    by_stage: tuple[tuple[str, float], ...] = ()

    def at_stage(self, stage: str) -> float:
        return dict(self.by_stage).get(stage, self.rate)


@dataclass(frozen=True)
class ExpectedOutcome:
    therapy: str
    protocol: str
    weeks: int
    response: Figure
    remission: Figure

    def rates_at(self, stage: str) -> tuple[float, float]:
        """(response, remission) at a Thase–Rush stage, remission never above response."""
        response = self.response.at_stage(stage)
        return response, min(self.remission.at_stage(stage), response)


@cache
def expected_outcomes() -> tuple[ExpectedOutcome, ...]:
    document = load_document(EXPECTED_FILE)
    raw = fields.tables(document, "therapy", EXPECTED_FILE)
    ratio = _remission_to_response(raw)
    return tuple(_expected(entry, ratio) for entry in raw)


def expected_for(therapy: str) -> ExpectedOutcome:
    for expected in expected_outcomes():
        if expected.therapy == therapy:
            return expected
    raise KeyError(therapy)


def _remission_to_response(raw: list[Table]) -> float:
    both = [entry for entry in raw if "response" in entry and "remission" in entry]
    return fmean(
        fields.number(e["remission"], "rate", EXPECTED_FILE)
        / fields.number(e["response"], "rate", EXPECTED_FILE)
        for e in both
    )


def _expected(entry: Table, ratio: float) -> ExpectedOutcome:
    where = f"{EXPECTED_FILE} [{entry.get('therapy')}]"
    response = _figure(entry, "response", where)
    remission = _figure(entry, "remission", where)
    if response is None and remission is not None:
        response = _derived(remission, 1 / ratio)
    elif remission is None and response is not None:
        remission = _derived(response, ratio)
    if response is None or remission is None:
        raise fields.fail(where, "needs a response or a remission figure")
    return ExpectedOutcome(
        therapy=fields.text(entry, "therapy", where),
        protocol=fields.text(entry, "protocol", where),
        weeks=fields.integer(entry, "weeks", where),
        response=response,
        remission=remission,
    )


def _figure(entry: Table, key: str, where: str) -> Figure | None:
    raw = fields.optional_table(entry, key, where)
    if raw is None:
        return None
    stages = fields.optional_table(raw, "by_stage", where) or {}
    return Figure(
        rate=fields.number(raw, "rate", where),
        source=fields.text(raw, "source", where),
        status=fields.status(raw, where),
        text=fields.text(raw, "text", where),
        by_stage=tuple((str(k), float(v)) for k, v in stages.items()),
    )


def _derived(present: Figure, factor: float) -> Figure:
    """The missing figure: the present one (and its stage figures) times ``factor``."""
    stages = tuple((stage, min(1.0, rate * factor)) for stage, rate in present.by_stage)
    rate = min(1.0, present.rate * factor)
    return Figure(rate, DERIVED, present.status, "derived by policy P-AN2", stages)
