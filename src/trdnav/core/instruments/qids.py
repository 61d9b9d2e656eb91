"""QIDS-SR16 and QIDS-C16: nine DSM domains, max-of-items, total 0–27 (Part A4).

Never the sum of all 16 items. Each domain is the highest of its items; the appetite/weight domain
is complete when any of items 6–9 is answered, because 6/7 and 8/9 are either/or pairs (P-A3).
Any other domain needs every item: the max over only some sleep or psychomotor items could
under-score it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.instruments.answers import Values
from trdnav.core.instruments.definition import Definition
from trdnav.core.instruments.engine import Tally, score_form
from trdnav.core.instruments.loader import load_definition
from trdnav.core.instruments.result import ScoreResult
from trdnav.core.knowledge import fields

SR16 = "qids_sr16"
C16 = "qids_c16"


@dataclass(frozen=True)
class Domain:
    code: str
    label: str
    items: tuple[int, ...]
    complete_when: str  # "all" items answered, or "any" (P-A3 either/or pairs)

    def score(self, values: Values) -> int | None:
        answered = [v for n in self.items if (v := values[n - 1]) is not None]
        complete = (
            bool(answered) if self.complete_when == "any" else len(answered) == len(self.items)
        )
        return max(answered) if complete else None


def score_sr16(answers: Mapping[str, Any]) -> ScoreResult:
    return score_form(load_definition(SR16), answers, tally=domain_tally, details=_details)


def score_c16(answers: Mapping[str, Any]) -> ScoreResult:
    return score_form(load_definition(C16), answers, tally=domain_tally, details=_details)


@cache
def domains(code: str) -> tuple[Domain, ...]:
    where = f"instruments/{code}.toml [algorithm.domains]"
    found = tuple(
        Domain(
            code=fields.text(spec, "code", where),
            label=fields.text(spec, "label", where),
            items=fields.integers(spec, "items", where),
            complete_when=str(spec.get("complete_when", "all")),
        )
        for spec in fields.tables(load_definition(code).algorithm, "domains", where)
    )
    covered = sorted(n for domain in found for n in domain.items)
    if covered != list(range(1, load_definition(code).item_count + 1)):
        raise KnowledgeBaseError(f"{where}: domains must cover every item exactly once")
    return found


def domain_tally(definition: Definition, values: Values) -> Tally:
    """Sum of domain maxima; items of an incomplete domain are reported missing."""
    scores = [(domain, domain.score(values)) for domain in domains(definition.code)]
    missing = tuple(
        n
        for domain, value in scores
        if value is None
        for n in domain.items
        if values[n - 1] is None
    )
    if missing:
        return Tally(None, missing)
    return Tally(sum(value for _, value in scores if value is not None), ())


def _details(
    definition: Definition, answered: Values | None, total: int | None
) -> dict[str, object]:
    per_domain = {
        domain.code: domain.score(answered) if answered is not None else None
        for domain in domains(definition.code)
    }
    return {"domains": per_domain}
