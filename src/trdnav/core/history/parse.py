"""``parse_history``: JSON-like input → a checked ``TreatmentHistory`` (docs/history-schema.md).

Every problem is reported with its field path (``treatments[2].doses[0].mg_per_day``) in one
``InvalidInput``; nothing half-parsed is returned.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.history.knowledge import cgi_s_range
from trdnav.core.history.model import (
    DrugTrial,
    Episode,
    Role,
    Severity,
    Treatment,
    TreatmentHistory,
    TreatmentKind,
)
from trdnav.core.history.parse_treatments import parse_treatment
from trdnav.core.input import Fields

EPISODE_FIELDS = ("id", "start", "end", "severity", "psychotic_features", "cgi_s")


def parse_history(raw: Mapping[str, Any]) -> TreatmentHistory:
    """Parse and cross-check a treatment history; raise ``InvalidInput`` listing every error."""
    errors: list[FieldError] = []
    top = Fields(raw, "", errors)
    top.only(("episodes", "treatments", "current_episode"))
    episodes = _episodes(top, errors)
    indexed = _treatments(top, errors)
    _check_references(episodes, indexed, errors)
    current = _current_episode(top, episodes, errors)
    if errors or current is None:
        raise InvalidInput(errors or [FieldError("episodes", "no usable episode")])
    return TreatmentHistory(tuple(episodes), tuple(t for _, t in indexed), current)


def _episodes(top: Fields, errors: list[FieldError]) -> list[Episode]:
    episodes: list[Episode] = []
    raw_episodes = top.items("episodes")  # read once: every read re-reports a missing field
    for i, raw in enumerate(raw_episodes):
        episode = _episode(Fields(raw, f"episodes[{i}]", errors))
        if episode and any(e.id == episode.id for e in episodes):
            errors.append(FieldError(f"episodes[{i}].id", f"duplicate episode id {episode.id!r}"))
        elif episode:
            episodes.append(episode)
    if top.ok and not raw_episodes and isinstance(top.raw.get("episodes"), list):
        top.error("episodes", "needs at least one episode")
    _check_overlap(episodes, errors)
    return episodes


def _episode(f: Fields) -> Episode | None:
    f.only(EPISODE_FIELDS)
    ident, start, end = f.text("id"), f.day("start"), f.day("end", required=False)
    severity = f.choice("severity", Severity, required=False)
    psychotic = f.flag("psychotic_features")
    low, high = cgi_s_range()
    cgi_s = f.integer("cgi_s", required=False, low=low)
    if cgi_s is not None and cgi_s > high:
        f.error("cgi_s", f"must be between {low} and {high}; got {cgi_s}")
    if cgi_s is not None and severity is not None:
        f.error("cgi_s", "give either severity or cgi_s, not both")
    if psychotic and severity is Severity.SEVERE_WITHOUT_PSYCHOSIS:
        f.error("severity", "severe_without_psychosis contradicts psychotic_features: true")
    if start and end and end < start:
        f.error("end", f"is before start ({end} < {start})")
    if ident is None or start is None:
        return None
    return Episode(ident, start, end, severity, psychotic, cgi_s)


def _check_overlap(episodes: Sequence[Episode], errors: list[FieldError]) -> None:
    ordered = sorted(episodes, key=lambda e: e.start)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.end is None or earlier.end > later.start:
            errors.append(
                FieldError(
                    "episodes",
                    f"episode {earlier.id!r} overlaps episode {later.id!r}; "
                    "only the latest episode may be open (end: null)",
                )
            )


def _treatments(top: Fields, errors: list[FieldError]) -> list[tuple[int, Treatment]]:
    """Parsed treatments with their index in the input, for error paths."""
    indexed: list[tuple[int, Treatment]] = []
    for i, raw in enumerate(top.items("treatments", required=False)):
        f = Fields(raw, f"treatments[{i}]", errors)
        treatment = parse_treatment(f) if f.ok else None
        if treatment and any(t.id == treatment.id for _, t in indexed):
            f.error("id", f"duplicate treatment id {treatment.id!r}")
        elif treatment:
            indexed.append((i, treatment))
    return indexed


def _check_references(
    episodes: Sequence[Episode],
    indexed: Sequence[tuple[int, Treatment]],
    errors: list[FieldError],
) -> None:
    episode_ids = {e.id for e in episodes}
    by_id = {t.id: t for _, t in indexed}
    for i, treatment in indexed:
        where = f"treatments[{i}]"
        if treatment.episode not in episode_ids:
            errors.append(
                FieldError(
                    f"{where}.episode",
                    (
                        f"unknown episode {treatment.episode!r}; "
                        f"known: {', '.join(sorted(episode_ids))}"
                    ),
                )
            )
        if isinstance(treatment, DrugTrial) and treatment.partner is not None:
            _check_partner(treatment, by_id, where, errors)


def _check_partner(
    trial: DrugTrial, by_id: Mapping[str, Treatment], where: str, errors: list[FieldError]
) -> None:
    key = "augments" if trial.kind is TreatmentKind.AUGMENTATION else "with"
    partner = by_id.get(trial.partner or "")
    if not isinstance(partner, DrugTrial) or partner.kind is not TreatmentKind.ANTIDEPRESSANT:
        errors.append(
            FieldError(
                f"{where}.{key}",
                f"must name an antidepressant treatment's id; got {trial.partner!r}",
            )
        )
    elif partner.id == trial.id or _mutual(trial, partner):
        message = "a treatment cannot name itself or a treatment that names it"
        errors.append(FieldError(f"{where}.{key}", message))
    elif partner.episode != trial.episode:
        errors.append(FieldError(f"{where}.{key}", "must name a treatment in the same episode"))
    elif trial.start < partner.start or (partner.end is not None and trial.start >= partner.end):
        errors.append(
            FieldError(
                f"{where}.start",
                (
                    f"must fall while {partner.id!r} was being taken ({partner.start} to "
                    f"{partner.end or 'ongoing'})"
                ),
            )
        )


def _mutual(trial: DrugTrial, partner: DrugTrial) -> bool:
    return partner.role is Role.COMBINATION and partner.partner == trial.id


def _current_episode(
    top: Fields, episodes: Sequence[Episode], errors: list[FieldError]
) -> str | None:
    chosen = top.text("current_episode", required=False)
    ids = [e.id for e in episodes]
    if chosen is not None:
        if chosen not in ids:
            top.error("current_episode", f"unknown episode {chosen!r}; known: {', '.join(ids)}")
        return chosen
    open_ids = [e.id for e in episodes if e.end is None]
    if len(open_ids) == 1:
        return open_ids[0]
    if episodes and not open_ids:
        errors.append(
            FieldError(
                "episodes",
                (
                    'no current episode: give one episode "end": null, or name the episode to '
                    'assess in "current_episode"'
                ),
            )
        )
    return None
