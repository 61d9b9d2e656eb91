"""After an edit, one message says what it changed (issue 13, item 2; policy P-CH5).

Every edit that can move TRD status or a stage (a history episode or trial added, changed or
removed, the clinical profile, an assessment) compares the chart summary before and after
(``header.summary_of``: TRD status, failed-trial count, every stage) and says the difference
in plain words ("TRD status: now met (2 failed adequate trials); Thase–Rush I → II"), or that
nothing changed. The comparison is the pure ``header.describe_change``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone

from trdnav.clinical.header import describe_change, summary_of
from trdnav.clinical.services import options_for
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient

UNKNOWN = "Saved. TRD status and stages could not be computed: see the treatment history page."


def chart_summary(patient: Patient) -> dict[str, Any] | None:
    """TRD status and stages as the chart shows them now; None when they cannot be computed
    (a stored profile that no longer validates)."""
    try:
        recommendation = options_for(patient=patient, as_of=timezone.localdate())
    except InvalidInput:
        return None
    return summary_of(recommendation.history.to_dict())


def change_message(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if after is None:
        return UNKNOWN
    if before is None:
        return "Saved. " + describe_change(summary_of(None), after)
    return describe_change(before, after)


@contextmanager
def saying_what_changed(request: HttpRequest, patient: Patient) -> Iterator[None]:
    """Wrap a successful save: the next page says what it changed. When the block raises
    (refused input, a stale revision) nothing is said and the exception goes on."""
    before = chart_summary(patient)
    yield
    messages.success(request, change_message(before, chart_summary(patient)))
