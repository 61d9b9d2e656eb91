"""The instrument registry: one entry per instrument code, in the order the catalogue lists them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from trdnav.core.errors import UnknownCode
from trdnav.core.instruments import cadss, cgi, cssrs_screen, gad7, hamd17, madrs, phq2, phq9, qids
from trdnav.core.instruments.definition import Definition, Respondent
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult

Scorer = Callable[[Mapping[str, Any]], ScoreResult]

_SCORERS: dict[str, Scorer] = {
    "phq9": phq9.score,
    "phq2": phq2.score,
    "gad7": gad7.score,
    "qids_sr16": qids.score_sr16,
    "qids_c16": qids.score_c16,
    "madrs": madrs.score,
    "hamd17": hamd17.score,
    "cgi_s": cgi.score_cgi_s,
    "cgi_i": cgi.score_cgi_i,
    "pgi_i": cgi.score_pgi_i,
    "cadss": cadss.score,
    "cssrs_screen": cssrs_screen.score,
}
INSTRUMENT_CODES: tuple[str, ...] = tuple(_SCORERS)


class UnknownInstrument(UnknownCode):
    """An instrument code that is not in the registry; the message lists the known codes."""

    def __init__(self, code: str) -> None:
        super().__init__("instrument", code, INSTRUMENT_CODES)


@dataclass(frozen=True)
class Instrument:
    """A registered instrument: its knowledge-base definition and its scoring rule."""

    definition: Definition
    scorer: Scorer

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def abbreviation(self) -> str:
        return self.definition.abbreviation

    @property
    def respondent(self) -> Respondent:
        return self.definition.respondent

    @property
    def item_count(self) -> int:
        return self.definition.item_count

    def score(self, answers: Mapping[str, Any]) -> ScoreResult:
        """Never raises for wrong answers: the result says ``rejected`` and names each error."""
        return self.scorer(answers)


def get_instrument(code: str) -> Instrument:
    if code not in _SCORERS:
        raise UnknownInstrument(code)
    return Instrument(load_definition(code), _SCORERS[code])


def list_instruments() -> list[Instrument]:
    return [get_instrument(code) for code in INSTRUMENT_CODES]


def score_instrument(code: str, answers: Mapping[str, Any]) -> ScoreResult:
    """Score one form; raises only ``UnknownInstrument`` (wrong answers come back as errors)."""
    return get_instrument(code).score(answers)
