"""What an option would add to the current medication list (``trdnav.core.medications``).

An option checks the list when it adds medicines (``adds_medications`` in its therapy file) or
uses anaesthesia. For such an option:

* each interaction it would add (``interactions_added``, with ``replaces_medications`` for a
  switch) is a reason of kind ``interaction`` citing the rule's source: severity
  ``contraindicated`` → absolute contraindication; ``major`` or ``moderate`` → caution;
* a medication list that is not recorded → at most caution, an ``unknown`` reason and an entry
  to check (``medications``);
* a medication not recognised → at most caution, "not recognised: interactions not checked",
  and an entry to check (``unrecognised_medications``);
* an add-on that names a drug already in the list today (taken, or stopped inside its washout,
  which weighs like a current drug everywhere else) → caution, "already in the list": the option
  would add the same medicine twice (e.g. "add lithium" for a patient on lithium). A switch
  stops the current drug first and is not checked for this.
"""

from __future__ import annotations

from dataclasses import dataclass

from trdnav.core.knowledge.therapies import RuleEffect, Therapy
from trdnav.core.medications import (
    InteractionFinding,
    MedicationReview,
    Severity,
    interactions_added,
    load_medication_table,
)
from trdnav.core.recommend.context import UNKNOWN_MEDICATIONS, UNRECOGNISED_MEDICATIONS, Context
from trdnav.core.recommend.reasons import Reason, ReasonKind, cited

NOT_RECORDED_RULE = "medications.not_recorded"
UNRECOGNISED_RULE = "medications.unrecognised"
ALREADY_TAKING_RULE = "medications.already_taking"


@dataclass(frozen=True)
class MedicationCheck:
    """The interactions an option would add and what they do to its status."""

    findings: tuple[InteractionFinding, ...] = ()
    effects: tuple[RuleEffect, ...] = ()
    reasons: tuple[Reason, ...] = ()
    unknowns: tuple[tuple[str, str], ...] = ()
    """(unknown, rule) pairs: what to check before the option can be suitable."""


def effect_of(finding: InteractionFinding) -> RuleEffect:
    """Contraindicated → absolute contraindication; major and moderate → caution."""
    if finding.severity is Severity.CONTRAINDICATED:
        return RuleEffect.ABSOLUTE_CONTRAINDICATION
    return RuleEffect.CAUTION


def _reason(finding: InteractionFinding) -> Reason:
    return cited(ReasonKind.INTERACTION, f"interaction.{finding.rule}", finding.fact, finding.text)


def _not_recorded() -> MedicationCheck:
    text = (
        "Not yet checked: medications — medication list not recorded, so the interactions "
        "of this option were not checked."
    )
    return MedicationCheck(
        reasons=(Reason(ReasonKind.UNKNOWN, NOT_RECORDED_RULE, text),),
        unknowns=((UNKNOWN_MEDICATIONS, NOT_RECORDED_RULE),),
    )


def _unrecognised(names: tuple[str, ...]) -> tuple[Reason, tuple[str, str]]:
    text = f"Not recognised: interactions not checked — {', '.join(names)}."
    reason = Reason(ReasonKind.UNKNOWN, UNRECOGNISED_RULE, text)
    return reason, (UNRECOGNISED_MEDICATIONS, UNRECOGNISED_RULE)


def _already_taking(therapy: Therapy, review: MedicationReview) -> tuple[str, ...]:
    """Drug ids the option adds that count today (taken, or stopped inside the washout); a
    switch stops the current drug first, so it never adds a duplicate."""
    if therapy.replaces_medications:
        return ()
    return tuple(d for d in therapy.adds_medications if d in review.active)


def _duplicate(drugs: tuple[str, ...]) -> Reason:
    names = ", ".join(d.replace("_", " ") for d in drugs)
    text = (
        f"Already in the medication list: {names} (taken now, or stopped so recently that it "
        "still counts). This option would add the same medicine again: review the dose (or "
        "blood level) of the current one, or the reason it was stopped, instead."
    )
    return Reason(ReasonKind.CAUTION, ALREADY_TAKING_RULE, text)


def check_medications(therapy: Therapy, ctx: Context) -> MedicationCheck:
    """The interactions ``therapy`` would add to the list in ``ctx``, as reasons and effects."""
    if not therapy.checks_medications:
        return MedicationCheck()
    review = ctx.review
    if review is None:
        return _not_recorded()
    findings: tuple[InteractionFinding, ...] = ()
    if therapy.adds_medications:
        findings = interactions_added(
            therapy.adds_medications,
            review,
            load_medication_table(),
            replaces=therapy.replaces_medications,
        )
    reasons = [_reason(f) for f in findings]
    effects = [effect_of(f) for f in findings]
    duplicates = _already_taking(therapy, review)
    if duplicates:
        reasons.append(_duplicate(duplicates))
        effects.append(RuleEffect.CAUTION)
    unknowns: list[tuple[str, str]] = []
    if review.unrecognised:
        reason, unknown = _unrecognised(review.unrecognised)
        reasons.append(reason)
        unknowns.append(unknown)
    return MedicationCheck(
        findings=findings,
        effects=tuple(effects),
        reasons=tuple(reasons),
        unknowns=tuple(unknowns),
    )
