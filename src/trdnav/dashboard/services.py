"""What the dashboard lists, and in which order.

Each active patient gets the reasons they need attention (policies P-W1 to P-W3,
docs/clinical-policies.md), and rows are sorted by the most urgent reason, then by name. The
order and the rules are the pure ``trdnav.core.triage`` (with an explicit ``as_of``); this
module fetches the data and words the reasons. The whole list costs a fixed number of
queries, however many patients there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from trdnav.assessments.queries import (
    Total,
    last_measured_subquery,
    latest_safety_among,
    latest_series,
    recent_rows_for,
    series_from,
    worsening_in,
)
from trdnav.core.instruments import get_instrument
from trdnav.core.scheduling import DueState
from trdnav.core.triage import (
    Reason,
    Urgency,
    by_urgency,
    days_overdue,
    most_urgent,
    safety_urgency,
    triage_order,
)
from trdnav.courses.loop.alerts import OPEN_STATUSES, CourseAlert, CourseNotices, notices_of
from trdnav.courses.loop.measures import RatingReminder
from trdnav.courses.models import Course
from trdnav.dashboard.facts import (
    SPARK_POINTS,
    Sparkline,
    sparkline,
    stages_and_treatments,
)
from trdnav.patients.access import visible_patients
from trdnav.patients.models import Patient
from trdnav.safety.settings import policy_from, worsening_rule_subquery
from trdnav.safety.state import SafetyItem, open_items, safety_items_for


@dataclass(frozen=True)
class DashboardRow:
    patient: Patient
    reasons: tuple[Reason, ...] = field(default=())
    last_measured: date | None = None
    checkpoints: tuple[CourseAlert, ...] = field(default=())
    safety_items: tuple[SafetyItem, ...] = field(default=())
    stage: str = ""
    treatment: str = ""
    spark: Sparkline | None = None
    # The recent totals the sparkline is drawn from; drawn only for the rows a page shows.
    totals: tuple[Total, ...] = field(default=(), repr=False)

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    @property
    def open_safety(self) -> list[SafetyItem]:
        return open_items(self.safety_items)

    @property
    def urgency(self) -> Urgency:
        return most_urgent(self.reasons)

    @property
    def listed_reasons(self) -> tuple[Reason, ...]:
        """The reasons shown as badges; checkpoint alerts are shown with their acknowledge
        button instead (``checkpoints``)."""
        return tuple(r for r in self.reasons if r.urgency != Urgency.COURSE_CHECKPOINT)


def _abbreviation(code: str) -> str:
    return get_instrument(code).abbreviation


_SAFETY_WORDS = {
    Urgency.SAFETY_UNKNOWN: "unanswered",
    Urgency.SAFETY_HIGH: "positive, high priority",
    Urgency.SAFETY_POSITIVE: "positive",
}


def _safety_reason(item: SafetyItem) -> Reason:
    """An open safety item, in the words the dashboard has always used."""
    day = f"{item.raised_on:%Y-%m-%d}"
    if item.kind == "report":
        return Reason(Urgency.SAFETY_POSITIVE, f"self-harm thoughts reported ({day})")
    # Only open items that need review reach here, so the urgency is never None.
    urgency = safety_urgency(item.safety, high_priority=item.high_priority)
    urgency = urgency or Urgency.SAFETY_UNKNOWN
    name = _abbreviation(item.instrument)
    return Reason(urgency, f"{name} safety item {_SAFETY_WORDS[urgency]} ({day})")


def _overdue_reason(last: date | None, as_of: date) -> Reason | None:
    due_days: int = settings.TRDNAV_MEASURES_DUE_DAYS
    if last is None:
        return Reason(Urgency.OVERDUE, "no measures recorded")
    days = days_overdue(last, as_of=as_of, due_days=due_days)
    if days is None:
        return None
    return Reason(Urgency.OVERDUE, f"measures overdue (last {last:%Y-%m-%d}, {days} days ago)")


def _reminder_reason(reminder: RatingReminder) -> Reason:
    due = reminder.status.due_on
    state = "overdue" if reminder.status.state == DueState.OVERDUE else "due"
    when = f" since {due:%Y-%m-%d}" if due is not None else ""
    name = _abbreviation(reminder.instrument)
    return Reason(Urgency.OVERDUE, f"{name} rating {state}{when} ({reminder.course.protocol_name})")


def _course_reasons(notices: CourseNotices | None) -> list[Reason]:
    if notices is None:
        return []
    found = [Reason(Urgency.COURSE_CHECKPOINT, alert.text) for alert in notices.alerts]
    return found + [_reminder_reason(r) for r in notices.reminders]


def dashboard_rows(*, user: Any, as_of: date | None = None) -> list[DashboardRow]:
    """The user's active patients, most urgent first (then by name).

    A fixed number of queries: patients, safety state (``trdnav.safety.state``), the clinic's
    worsening rule, worsening, last measured, open courses (and their notices), stages,
    current trials, sparkline totals. The sparklines themselves are drawn by
    ``with_sparklines`` for the rows a page shows."""
    as_of = as_of or timezone.localdate()
    # The last measured date and the clinic's worsening rule come with the patients.
    patients = list(
        visible_patients(user)
        .filter(active=True)
        .annotate(last_measured=last_measured_subquery(), worsening_rule=worsening_rule_subquery())
        .order_by("family_name", "given_name", "pk")
    )
    ids = [patient.pk for patient in patients]
    policy = policy_from(patients[0].worsening_rule if patients else None)
    # One read of each instrument's recent results serves the safety state (the newest one),
    # the worsening check and the sparkline (the valid totals among them).
    recent = recent_rows_for(ids, SPARK_POINTS)
    series = series_from(recent)
    safety = safety_items_for(ids, latest=latest_safety_among(recent))
    worse = worsening_in(series, policy)
    last = {p.pk: p.last_measured for p in patients if p.last_measured is not None}
    totals = latest_series(series)
    courses = list(
        Course.objects.filter(patient_id__in=ids, status__in=OPEN_STATUSES).order_by(
            "patient_id", "start_date", "pk"
        )
    )
    notices = notices_of(courses, as_of=as_of)
    stages, treatments = stages_and_treatments(ids, courses, as_of)
    rows = []
    for patient in patients:
        items = tuple(safety.get(patient.pk, []))
        reasons = [_safety_reason(item) for item in open_items(items)]
        reasons += [Reason(Urgency.WORSENING, w.explanation) for w in worse.get(patient.pk, [])]
        overdue = _overdue_reason(last.get(patient.pk), as_of)
        reasons += [overdue] if overdue is not None else []
        found = notices.get(patient.pk)
        reasons += _course_reasons(found)
        rows.append(
            DashboardRow(
                patient,
                by_urgency(reasons),
                last.get(patient.pk),
                found.alerts if found is not None else (),
                items,
                stages.get(patient.pk, ""),
                treatments.get(patient.pk, ""),
                totals=tuple(totals.get(patient.pk, [])),
            )
        )
    # A stable sort keeps the name order within each urgency.
    return triage_order(rows, lambda row: row.urgency)


def with_sparklines(rows: Sequence[DashboardRow]) -> list[DashboardRow]:
    """The rows with their sparklines drawn: called on one page of rows, not the whole clinic."""
    return [replace(row, spark=sparkline(row.totals)) for row in rows]
