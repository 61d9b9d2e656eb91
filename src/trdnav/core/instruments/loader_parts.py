"""Parsers for the scored parts of an instrument file: bands, cut-offs, safety, outcomes, LOINC."""

from __future__ import annotations

from trdnav.core.errors import KnowledgeBaseError
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
from trdnav.core.knowledge import Status, fields


def parse_band_schemes(
    document: fields.Table, default: Status, where: str
) -> tuple[BandScheme, ...]:
    schemes = []
    for index, spec in enumerate(fields.tables(document, "band_schemes", where)):
        here = f"{where} band_schemes[{index}]"
        bands = tuple(
            Band(
                code=fields.text(b, "code", here),
                label=fields.text(b, "label", here),
                minimum=fields.integer(b, "min", here),
                maximum=fields.integer(b, "max", here),
            )
            for b in fields.tables(spec, "bands", here)
        )
        schemes.append(
            BandScheme(
                name=fields.text(spec, "name", here),
                label=fields.text(spec, "label", here),
                default=fields.flag(spec, "default", here, default=False),
                bands=bands,
                status=fields.status(spec, here, default),
                source=fields.text(spec, "source", here),
                policy=fields.optional_text(spec, "policy", here),
            )
        )
    return tuple(schemes)


def parse_cutoffs(document: fields.Table, default: Status, where: str) -> tuple[Cutoff, ...]:
    return tuple(
        Cutoff(
            name=fields.text(spec, "name", where),
            label=fields.text(spec, "label", where),
            at_least=fields.integer(spec, "at_least", where),
            status=fields.status(spec, where, default),
            source=fields.text(spec, "source", where),
        )
        for spec in fields.tables(document, "cutoffs", where)
    )


def parse_safety(document: fields.Table, default: Status, where: str) -> SafetyRule | None:
    spec = fields.optional_table(document, "safety", where)
    if spec is None:
        return None
    here = f"{where} [safety]"
    return SafetyRule(
        item=fields.integer(spec, "item", here),
        positive_at_least=fields.integer(spec, "positive_at_least", here),
        high_priority_at_least=fields.optional_integer(spec, "high_priority_at_least", here),
        status=fields.status(spec, here, default),
        source=fields.text(spec, "source", here),
        policy=fields.text(spec, "policy", here),
    )


def parse_outcome(document: fields.Table, default: Status, where: str) -> OutcomeRules | None:
    spec = fields.optional_table(document, "outcome", where)
    if spec is None:
        return None
    here = f"{where} [outcome]"
    remission = tuple(
        _remission(rule, default, here) for rule in fields.tables(spec, "remission", here)
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
        minimal_important_points=_threshold(
            spec, "minimal_important_difference", "min_points", default, here
        ),
    )


def _threshold(
    spec: fields.Table, key: str, value_key: str, default: Status, where: str
) -> Threshold | None:
    part = fields.optional_table(spec, key, where)
    if part is None:
        return None
    here = f"{where}.{key}"
    return Threshold(
        value=fields.integer(part, value_key, here),
        status=fields.status(part, here, default),
        source=fields.text(part, "source", here),
    )


def _remission(rule: fields.Table, default: Status, where: str) -> RemissionRule:
    comparison = fields.text(rule, "comparison", where)
    if comparison not in ("lt", "le"):
        raise KnowledgeBaseError(f"{where}: remission comparison must be lt or le")
    name = fields.text(rule, "name", where)
    return RemissionRule(
        name=name,
        label=fields.optional_text(rule, "label", where) or name,
        comparison=comparison,
        value=fields.integer(rule, "value", where),
        default=fields.flag(rule, "default", where, default=False),
        status=fields.status(rule, where, default),
        source=fields.text(rule, "source", where),
    )


def parse_loinc(document: fields.Table, where: str) -> LoincCodes | None:
    spec = fields.optional_table(document, "loinc", where)
    if spec is None:
        return None
    here = f"{where} [loinc]"
    # A13: only verified codes may be emitted, so the table must say it is verified.
    if fields.status(spec, here) is not Status.VERIFIED:
        raise KnowledgeBaseError(f"{here}: only verified LOINC codes may be stored")
    codes = tuple(
        LoincCode(role=fields.text(c, "role", here), code=fields.text(c, "code", here))
        for c in fields.tables(spec, "codes", here)
    )
    return LoincCodes(
        codes=codes,
        status=Status.VERIFIED,
        source=fields.text(spec, "source", here),
        note=fields.optional_text(spec, "note", here),
    )
