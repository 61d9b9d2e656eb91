"""Parsers for the scored parts of an instrument file: bands, cut-offs, safety, outcomes, LOINC."""

from __future__ import annotations

from trdnav.core.errors import KnowledgeBaseError
from trdnav.core.instruments import raw
from trdnav.core.instruments.definition import (
    Band,
    BandScheme,
    Cutoff,
    LoincCode,
    LoincCodes,
    OutcomeRules,
    RemissionRule,
    SafetyRule,
    Threshold,
)
from trdnav.core.knowledge import Status


def parse_band_schemes(document: raw.Table, default: Status, where: str) -> tuple[BandScheme, ...]:
    schemes = []
    for index, spec in enumerate(raw.tables(document, "band_schemes", where)):
        here = f"{where} band_schemes[{index}]"
        bands = tuple(
            Band(
                code=raw.text(b, "code", here),
                label=raw.text(b, "label", here),
                minimum=raw.integer(b, "min", here),
                maximum=raw.integer(b, "max", here),
            )
            for b in raw.tables(spec, "bands", here)
        )
        schemes.append(
            BandScheme(
                name=raw.text(spec, "name", here),
                label=raw.text(spec, "label", here),
                default=raw.flag(spec, "default", here),
                bands=bands,
                status=raw.status(spec, here, default),
                source=raw.text(spec, "source", here),
                policy=raw.optional_text(spec, "policy", here),
            )
        )
    return tuple(schemes)


def parse_cutoffs(document: raw.Table, default: Status, where: str) -> tuple[Cutoff, ...]:
    return tuple(
        Cutoff(
            name=raw.text(spec, "name", where),
            label=raw.text(spec, "label", where),
            at_least=raw.integer(spec, "at_least", where),
            status=raw.status(spec, where, default),
            source=raw.text(spec, "source", where),
        )
        for spec in raw.tables(document, "cutoffs", where)
    )


def parse_safety(document: raw.Table, default: Status, where: str) -> SafetyRule | None:
    spec = raw.optional_table(document, "safety", where)
    if spec is None:
        return None
    here = f"{where} [safety]"
    return SafetyRule(
        item=raw.integer(spec, "item", here),
        positive_at_least=raw.integer(spec, "positive_at_least", here),
        high_priority_at_least=raw.optional_integer(spec, "high_priority_at_least", here),
        status=raw.status(spec, here, default),
        source=raw.text(spec, "source", here),
        policy=raw.text(spec, "policy", here),
    )


def parse_outcome(document: raw.Table, default: Status, where: str) -> OutcomeRules | None:
    spec = raw.optional_table(document, "outcome", where)
    if spec is None:
        return None
    here = f"{where} [outcome]"
    remission = tuple(
        _remission(rule, default, here) for rule in raw.tables(spec, "remission", here)
    )
    if remission and sum(rule.default for rule in remission) != 1:
        raise KnowledgeBaseError(f"{here}: exactly one remission rule must be the default")
    return OutcomeRules(
        response_min_pct=_threshold(spec, "response", "min_pct", default, here),
        partial_min_pct=_threshold(spec, "partial_response", "min_pct", default, here),
        remission=remission,
        reliable_improvement_points=_threshold(
            spec, "reliable_improvement", "min_points", default, here
        ),
    )


def _threshold(
    spec: raw.Table, key: str, value_key: str, default: Status, where: str
) -> Threshold | None:
    part = raw.optional_table(spec, key, where)
    if part is None:
        return None
    here = f"{where}.{key}"
    return Threshold(
        value=raw.integer(part, value_key, here),
        status=raw.status(part, here, default),
        source=raw.text(part, "source", here),
    )


def _remission(rule: raw.Table, default: Status, where: str) -> RemissionRule:
    comparison = raw.text(rule, "comparison", where)
    if comparison not in ("lt", "le"):
        raise KnowledgeBaseError(f"{where}: remission comparison must be lt or le")
    name = raw.text(rule, "name", where)
    return RemissionRule(
        name=name,
        label=raw.optional_text(rule, "label", where) or name,
        comparison=comparison,
        value=raw.integer(rule, "value", where),
        default=raw.flag(rule, "default", where),
        status=raw.status(rule, where, default),
        source=raw.text(rule, "source", where),
    )


def parse_loinc(document: raw.Table, where: str) -> LoincCodes | None:
    spec = raw.optional_table(document, "loinc", where)
    if spec is None:
        return None
    here = f"{where} [loinc]"
    # A13: only verified codes may be emitted, so the table must say it is verified.
    if raw.status(spec, here) is not Status.VERIFIED:
        raise KnowledgeBaseError(f"{here}: only verified LOINC codes may be stored")
    codes = tuple(
        LoincCode(role=raw.text(c, "role", here), code=raw.text(c, "code", here))
        for c in raw.tables(spec, "codes", here)
    )
    return LoincCodes(
        codes=codes,
        status=Status.VERIFIED,
        source=raw.text(spec, "source", here),
        note=raw.optional_text(spec, "note", here),
    )
