"""The response and remission lines drawn on a score chart (policy P-W4,
docs/clinical-policies.md).

The response line sits the instrument's response percentage below the *baseline* (the first
recorded total of that instrument); the remission line at the instrument's default remission
cut-off. Both numbers come from the instrument's knowledge file; this module only does the
arithmetic, so that the app formats lines and never computes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from trdnav.core.instruments.definition import OutcomeRules


@dataclass(frozen=True)
class ChartLine:
    """One horizontal line: ``kind`` is "response" or "remission"."""

    kind: str
    value: float | int
    label: str
    status: str

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "value": self.value, "label": self.label, "status": self.status}


def response_line_value(baseline: int, response_min_pct: int) -> float:
    """The total that is ``response_min_pct`` percent below ``baseline``, to one decimal."""
    return round(baseline * (100 - response_min_pct) / 100, 1)


def chart_lines(outcome: OutcomeRules | None, baseline: int) -> tuple[ChartLine, ...]:
    """The response line (relative to ``baseline``) and the default remission line, when the
    instrument defines them; nothing for an instrument without outcome rules."""
    if outcome is None:
        return ()
    lines: list[ChartLine] = []
    if outcome.response_min_pct is not None:
        pct = outcome.response_min_pct.value
        lines.append(
            ChartLine(
                kind="response",
                value=response_line_value(baseline, pct),
                label=f"response: {pct}% below baseline {baseline}",
                status=outcome.response_min_pct.status.value,
            )
        )
    rule = next((r for r in outcome.remission if r.default), None)
    if rule is not None:
        lines.append(
            ChartLine(
                kind="remission",
                value=rule.value,
                label=f"remission: {rule.describe()}",
                status=rule.status.value,
            )
        )
    return tuple(lines)
