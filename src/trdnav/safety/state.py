"""The one safety state every page shows: the dashboard, the chart, the portal panel and the
inbox all call ``safety_items_for`` (P-SR1, docs/clinical-policies.md).

An item is one event, whatever raised it:

* an assessment whose safety item needs review (positive or unanswered) and is the latest of
  its instrument (P-W1), entered by the clinic or in the portal;
* the same kind of answer from the portal that a later answer has superseded, while its
  portal notice is still open (the patient was shown crisis help; someone must look);
* a concern report in which the patient said they had thoughts of self-harm, while its notice
  is open.

A portal answer raises both a chart flag and a portal notice: they name the same assessment,
so they are merged into one item (keyed by kind and row id). Reviewed items stay listed, as
reviewed, while the answer is still the latest or for ``REVIEWED_SHOWN_DAYS`` after the review.
The whole state costs a fixed number of queries, however many patients.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from trdnav.assessments.models import Assessment
from trdnav.assessments.queries import latest_safety_rows
from trdnav.core.instruments import UnknownInstrument, get_instrument
from trdnav.core.measurement.safety import needs_review
from trdnav.patients.models import Patient
from trdnav.portal.models import ConcernReport, SafetyNotice, SafetySource
from trdnav.safety.models import ItemKind, SafetyReview

# P-SR5: how long a reviewed item whose answer is no longer the latest stays listed.
REVIEWED_SHOWN_DAYS = 14

Key = tuple[str, int]


@dataclass(frozen=True)
class SafetyItem:
    patient_id: int
    kind: str
    reference: int
    raised_on: date
    safety: str  # "positive" or "unknown" (a report of self-harm thoughts is positive)
    high_priority: bool
    instrument: str = ""
    item_number: int | None = None
    from_portal: bool = False
    review: SafetyReview | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.reference}"

    @property
    def is_open(self) -> bool:
        return self.review is None

    @property
    def what(self) -> str:
        """'PHQ-9 item 9' or 'self-harm question of a concern report'."""
        if self.kind == ItemKind.REPORT:
            return "self-harm question of a concern report"
        name = _abbreviation(self.instrument)
        return f"{name} item {self.item_number}" if self.item_number else f"{name} safety item"

    @property
    def title(self) -> str:
        """What a button acts on: 'safety answer from 30 Nov 2026 (PHQ-9 item 9)'."""
        noun = "self-harm report" if self.kind == ItemKind.REPORT else "safety answer"
        return f"{noun} from {self.raised_on:%-d %b %Y} ({self.what})"

    @property
    def answer_words(self) -> str:
        if self.kind == ItemKind.REPORT:
            return "thoughts of self-harm reported"
        words = "positive" if self.safety == "positive" else "not answered (unknown)"
        return words + (", high priority" if self.high_priority else "")


def _abbreviation(code: str) -> str:
    try:
        return get_instrument(code).abbreviation
    except UnknownInstrument:
        return code


def _item_number(code: str) -> int | None:
    try:
        rule = get_instrument(code).definition.safety
    except UnknownInstrument:
        return None
    return rule.item if rule is not None else None


def _from_assessment(row: Assessment, review: SafetyReview | None) -> SafetyItem:
    return SafetyItem(
        patient_id=row.patient_id, kind=ItemKind.ANSWER, reference=row.pk,
        raised_on=row.administered_on, safety=str(row.safety),
        high_priority=row.safety_priority == "high", instrument=row.instrument,
        item_number=_item_number(row.instrument), from_portal=row.source == "patient",
        review=review,
    )  # fmt: skip


def _from_report(row: ConcernReport, review: SafetyReview | None) -> SafetyItem:
    return SafetyItem(
        patient_id=row.patient_id, kind=ItemKind.REPORT, reference=row.pk,
        raised_on=timezone.localdate(row.created_at), safety="positive", high_priority=False,
        from_portal=True, review=review,
    )  # fmt: skip


def _notice_key(notice: SafetyNotice) -> Key | None:
    if not notice.reference.isdigit():
        return None
    kind = ItemKind.ANSWER if notice.source == SafetySource.QUESTIONNAIRE else ItemKind.REPORT
    return str(kind), int(notice.reference)


def _wanted(
    ids: list[int], now: datetime, latest_rows: list[Assessment] | None
) -> tuple[list[Assessment], set[Key], dict[Key, SafetyReview]]:
    """The latest flagged answers, the keys of every item to list, and each item's standing
    review (three queries; two when the caller read the latest answers already)."""
    rows = latest_safety_rows(ids) if latest_rows is None else latest_rows
    latest = [row for row in rows if needs_review(row.safety)]
    keys = {_key(row) for row in latest}
    notices = SafetyNotice.objects.filter(patient_id__in=ids, acknowledged_at__isnull=True)
    keys |= {key for key in map(_notice_key, notices) if key is not None}
    reviews = list(SafetyReview.objects.filter(patient_id__in=ids).select_related("reviewed_by"))
    standing = {(r.kind, r.reference): r for r in reviews if r.reopened_at is None}
    since = now - timedelta(days=REVIEWED_SHOWN_DAYS)
    keys |= {key for key, review in standing.items() if review.reviewed_at >= since}
    # A reopened item is open again until someone reviews it anew (P-SR4), however old.
    keys |= {(r.kind, r.reference) for r in reviews if r.reopened_at is not None}
    return latest, keys, standing


def safety_items_for(
    patient_ids: Iterable[int],
    *,
    now: datetime | None = None,
    latest: list[Assessment] | None = None,
) -> dict[int, list[SafetyItem]]:
    """Per patient, their safety items: open first (high priority first), then reviewed, each
    group newest first. Callers pass only patients the user may see. Three queries, and one
    or two more only when an item is not a latest answer (a superseded portal answer, a
    report, a reviewed or reopened older item). ``latest``: the latest safety answer of each
    (patient, instrument), when the caller has read them already
    (``assessments.queries.latest_safety_among``)."""
    ids = list(patient_ids)
    latest, keys, standing = _wanted(ids, now or timezone.now(), latest)
    known = {row.pk for row in latest}
    older = [ref for kind, ref in keys if kind == ItemKind.ANSWER and ref not in known]
    # Voided assessments are left out (the default manager): an answer entered in error is
    # no safety item. An empty id list costs no query.
    rows = latest + list(Assessment.objects.filter(pk__in=older, patient_id__in=ids))
    items: dict[int, list[SafetyItem]] = defaultdict(list)
    for row in rows:
        if needs_review(row.safety):
            items[row.patient_id].append(_from_assessment(row, standing.get(_key(row))))
    report_ids = [ref for kind, ref in keys if kind == ItemKind.REPORT]
    reports = ConcernReport.objects.filter(
        pk__in=report_ids, patient_id__in=ids, self_harm_thoughts=True
    )
    for report in reports if report_ids else []:
        items[report.patient_id].append(
            _from_report(report, standing.get((str(ItemKind.REPORT), report.pk)))
        )
    return {pid: sorted(found, key=_order) for pid, found in items.items()}


def _key(row: Assessment) -> Key:
    return str(ItemKind.ANSWER), row.pk


def _order(item: SafetyItem) -> tuple[bool, bool, int, int]:
    return (not item.is_open, not item.high_priority, -item.raised_on.toordinal(), -item.reference)


def open_items(items: Iterable[SafetyItem]) -> list[SafetyItem]:
    return [item for item in items if item.is_open]


def item_for(patient_id: int, kind: str, reference: int) -> SafetyItem | None:
    """One item of the patient's state, or None when it is not (or no longer) listed."""
    for item in safety_items_for([patient_id]).get(patient_id, []):
        if item.kind == kind and item.reference == reference:
            return item
    return None


@dataclass(frozen=True)
class ClinicItem:
    """An open safety item with its patient, for the clinic-wide lists (inbox, dashboard card)."""

    patient: Patient
    item: SafetyItem


def open_items_in_clinic(clinic_id: int) -> list[ClinicItem]:
    """Every open safety item of the clinic's patients (active or not), high priority first,
    then newest first: the inbox and the dashboard's portal card (a fixed number of queries)."""
    patients = {p.pk: p for p in Patient.objects.filter(clinic_id=clinic_id)}
    found = [
        ClinicItem(patients[pid], item)
        for pid, items in safety_items_for(patients).items()
        for item in items
        if item.is_open
    ]
    return sorted(found, key=lambda row: _order(row.item))
