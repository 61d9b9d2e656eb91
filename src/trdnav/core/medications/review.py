"""What a medication list means on a given day, and what a therapy would add to it.

Pure: the assessment date is passed in (``as_of``); nothing reads the clock.

* A current drug counts. A stopped drug counts while ``(as_of - stopped_on).days`` is less than
  its washout (so a 14-day washout ends on day 14 after stopping); without a washout in the drug
  table it stops counting on its stop date.
* Each pair of counting drugs is checked once; when several rules match, the most severe wins
  (ties: the first rule in the file). Warnings are ordered by severity, then by drug ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from trdnav.core.errors import InvalidInput, KnowledgeBaseError
from trdnav.core.medications.model import (
    Drug,
    InteractionFinding,
    InteractionRule,
    MedicationEntry,
    MedicationReview,
    MedicationTable,
    Severity,
)
from trdnav.core.medications.names import normalise, resolve


def counts_on(drug: Drug, stopped_on: date | None, as_of: date) -> bool:
    """Whether a drug stopped on ``stopped_on`` (None = current) still counts on ``as_of``."""
    if stopped_on is None:
        return True
    days = drug.washout.days if drug.washout else 0
    return (as_of - stopped_on).days < days


def _check_dates(entries: Sequence[MedicationEntry], as_of: date, field: str) -> None:
    for i, entry in enumerate(entries):
        if entry.stopped_on is not None and entry.stopped_on > as_of:
            raise InvalidInput.single(
                f"{field}[{i}].stopped_on",
                f"{entry.stopped_on.isoformat()} is after the assessment date {as_of.isoformat()}",
            )


def terms_of(drug_id: str, table: MedicationTable) -> frozenset[str]:
    """What a drug can match in a rule side: its id and its classes."""
    drug = table.drugs[drug_id]
    return frozenset({drug.id}) | drug.classes


def _matches(rule: InteractionRule, x: frozenset[str], y: frozenset[str]) -> bool:
    return bool((x & rule.a and y & rule.b) or (x & rule.b and y & rule.a))


def best_rule(
    x: frozenset[str], y: frozenset[str], rules: Iterable[InteractionRule]
) -> InteractionRule | None:
    """The most severe rule matching the pair (first in file order on a tie)."""
    best: InteractionRule | None = None
    for rule in rules:
        if _matches(rule, x, y) and (best is None or rule.severity.rank > best.severity.rank):
            best = rule
    return best


def _label(term: str, table: MedicationTable) -> str:
    drug = table.drugs.get(term)
    return drug.label if drug else f"a drug of class {term.replace('_', ' ')}"


def _washout_days(term: str, table: MedicationTable) -> int:
    drug = table.drugs.get(term)
    return drug.washout.days if drug and drug.washout else 0


def _finding(
    rule: InteractionRule,
    pair: tuple[str, str],
    table: MedicationTable,
    in_washout: frozenset[str],
) -> InteractionFinding:
    first, second = (_label(t, table) for t in pair)
    text = f"{first} + {second}: {rule.fact.text}"
    for term in pair:
        if term in in_washout:
            days = _washout_days(term, table)
            text += f" ({_label(term, table)} was stopped but still counts for {days} days.)"
    if rule.washout_days:
        interval = max(rule.washout_days, *(_washout_days(t, table) for t in pair))
        text += f" Allow at least {interval} days between stopping one and starting the other."
    return InteractionFinding(
        rule=rule.id,
        severity=rule.severity,
        drugs=pair,
        text=text,
        fact=rule.fact,
        mechanism=rule.mechanism,
    )


def _order(findings: Iterable[InteractionFinding]) -> tuple[InteractionFinding, ...]:
    return tuple(sorted(findings, key=lambda f: (-f.severity.rank, f.drugs, f.rule)))


def _pair_warnings(
    active: Sequence[str], table: MedicationTable, in_washout: frozenset[str]
) -> tuple[InteractionFinding, ...]:
    found = []
    for i, x in enumerate(active):
        for y in active[i + 1 :]:
            rule = best_rule(terms_of(x, table), terms_of(y, table), table.rules)
            if rule is not None:
                pair = (x, y) if x <= y else (y, x)
                found.append(_finding(rule, pair, table, in_washout))
    return _order(found)


def review_medications(
    entries: Sequence[MedicationEntry],
    table: MedicationTable,
    *,
    as_of: date,
    field: str = "medications",
) -> MedicationReview:
    """Active drugs (inside washout too), unrecognised names, warnings, and classes present."""
    _check_dates(entries, as_of, field)
    current: dict[str, None] = {}
    active: dict[str, None] = {}
    unrecognised: dict[str, str] = {}
    for entry in entries:
        drug_id = resolve(entry.name, table.names)
        if drug_id is None:
            unrecognised.setdefault(normalise(entry.name), entry.name.strip())
        elif counts_on(table.drugs[drug_id], entry.stopped_on, as_of):
            active[drug_id] = None
            if entry.stopped_on is None:
                current[drug_id] = None
    in_washout = frozenset(active) - frozenset(current)
    ids = tuple(active)
    return MedicationReview(
        active=ids,
        unrecognised=tuple(unrecognised.values()),
        warnings=_pair_warnings(ids, table, in_washout),
        classes=frozenset(c for d in ids for c in table.drugs[d].classes),
        stopped_in_washout=tuple(d for d in ids if d in in_washout),
    )


def _class_finding(
    class_id: str, drug_id: str, table: MedicationTable, in_washout: frozenset[str]
) -> InteractionFinding | None:
    """Adding "a drug of class C": contraindicated only if every member is; if only some members
    interact, the finding says so and is capped at major (the engine shows caution)."""
    other = terms_of(drug_id, table)
    members = [m.id for m in table.members(class_id) if m.id != drug_id]
    rules = [best_rule(terms_of(m, table), other, table.rules) for m in members]
    hits = [r for r in rules if r is not None]
    if not hits:
        return None
    worst = max(hits, key=lambda r: r.severity.rank)
    certain = min(r.severity.rank for r in hits) if len(hits) == len(rules) else 0
    rank = max(certain, min(worst.severity.rank, Severity.MAJOR.rank))
    finding = _finding(worst, (class_id, drug_id), table, in_washout)
    if rank == worst.severity.rank and len(hits) == len(rules):
        return finding
    severity = next(s for s in Severity if s.rank == rank)
    text = f"some drugs of class {class_id.replace('_', ' ')} — {finding.text}"
    return replace(finding, severity=severity, text=text)


def _added_finding(
    add: str, drug_id: str, table: MedicationTable, in_washout: frozenset[str]
) -> InteractionFinding | None:
    if add in table.drugs:
        rule = best_rule(terms_of(add, table), terms_of(drug_id, table), table.rules)
        return None if rule is None else _finding(rule, (add, drug_id), table, in_washout)
    if add in table.classes and table.members(add):
        return _class_finding(add, drug_id, table, in_washout)
    raise _unknown_id(add)


def _unknown_id(term: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(f"unknown medication or class {term!r} (not in the drug table)")


def _replaced(
    replaces: Sequence[str], review: MedicationReview, table: MedicationTable
) -> set[str]:
    for term in replaces:
        if term not in table.drugs and term not in table.classes:
            raise _unknown_id(term)
    wanted = frozenset(replaces)
    return {d for d in review.active if terms_of(d, table) & wanted}


def _as_switch(finding: InteractionFinding, table: MedicationTable) -> InteractionFinding:
    """A contraindicated pair where the present drug is being replaced: a washout, not a ban."""
    added, present = finding.drugs
    days = max(_washout_days(present, table), _washout_days(added, table))
    rule = next(r for r in table.rules if r.id == finding.rule)
    days = max(days, rule.washout_days or 0)
    wait = f"allow at least {days} days after stopping it" if days else "stop it first"
    text = (
        f"Switching: {_label(present, table)} must be stopped and {wait} before starting "
        f"{_label(added, table)}. {finding.text}"
    )
    return replace(finding, severity=Severity.MAJOR, text=text)


def interactions_added(
    adds: Sequence[str],
    review: MedicationReview,
    table: MedicationTable,
    *,
    replaces: Sequence[str] = (),
) -> tuple[InteractionFinding, ...]:
    """Dangerous pairs a therapy would create: each added drug or class id with each active drug.

    ``drugs`` in a finding is (added, already present). An added id equal to an active drug id
    is not a new pair; interactions among the added items themselves are not checked here. An
    added class is contraindicated only when every member of the class is (see _class_finding).

    ``replaces`` (drug or class ids) names what a *switch* stops: a contraindicated pair with a
    drug being replaced becomes a washout instruction of severity major, since the two are
    never taken together. Other pairs are unchanged.
    """
    in_washout = frozenset(review.stopped_in_washout)
    replaced = _replaced(replaces, review, table)
    found = []
    for add in dict.fromkeys(adds):
        for drug_id in review.active:
            finding = None if drug_id == add else _added_finding(add, drug_id, table, in_washout)
            if finding is None:
                continue
            if drug_id in replaced and finding.severity is Severity.CONTRAINDICATED:
                finding = _as_switch(finding, table)
            found.append(finding)
    return _order(found)
