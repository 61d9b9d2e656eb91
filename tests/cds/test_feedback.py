"""The feedback endpoint: stored once, scoped to the calling EHR's clinic, audited."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.cds.helpers import FEEDBACK_URL, SERVICE, bearer, recorded, token
from tests.factories import make_clinic
from trdnav.accounts.models import Clinic
from trdnav.audit.models import AuditEvent
from trdnav.cds.models import CardFeedback

URL = f"/cds-services/{SERVICE}/feedback"


def _post(client: Client, body: Any) -> Any:
    return client.post(URL, body, content_type="application/json",
                       headers=bearer(token(FEEDBACK_URL)))  # fmt: skip


def test_feedback_is_stored_for_the_callers_clinic_once(client: Client, north: Clinic) -> None:
    make_clinic("south")
    body = recorded("feedback.json")
    response = _post(client, body)
    assert response.status_code == 200 and response.json() == {"stored": 2}
    overridden = CardFeedback.objects.get(outcome="overridden")
    assert overridden.clinic == north
    assert overridden.override_code == "patient-declined"
    assert overridden.override_comment == "Discussed; declined today."
    accepted = CardFeedback.objects.get(outcome="accepted")
    assert accepted.accepted_suggestions == ["e56e1945-20b3-4393-8503-a1a20fd73152"]
    assert _post(client, body).json() == {"stored": 0}
    assert CardFeedback.objects.count() == 2
    events = AuditEvent.objects.filter(object_type="cds_feedback")
    assert events.count() == 2 and all(e.clinic == north and e.via == "cds" for e in events)
    assert all("declined" not in e.summary for e in events)


def test_bad_feedback_is_400_naming_each_field_and_stores_nothing(
    client: Client, north: Clinic
) -> None:
    good = recorded("feedback.json")["feedback"][0]
    body = {
        "feedback": [
            good,
            {"card": "", "outcome": "ignored", "outcomeTimestamp": "yesterday", "x": 1},
            {"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-11-02T10:00:00Z"},
            {"card": "d", "outcome": "overridden", "overrideReason": {"reason": {"code": 1}},
             "outcomeTimestamp": "2026-11-02T10:00:00+01:00"},
            "not an object",
        ]
    }  # fmt: skip
    response = _post(client, body)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {
        "feedback[1].x",
        "feedback[1].card",
        "feedback[1].outcome",
        "feedback[1].outcomeTimestamp",
        "feedback[2].acceptedSuggestions",
        "feedback[3].overrideReason",
        "feedback[4]",
    }
    assert not CardFeedback.objects.exists()
    assert _post(client, {"feedback": []}).status_code == 400
    assert _post(client, [1]).status_code == 400


def test_accepted_suggestions_must_name_ids(client: Client, north: Clinic) -> None:
    entry = {"card": "c", "outcome": "accepted", "acceptedSuggestions": [{"uuid": "x"}],
             "outcomeTimestamp": "2026-11-02T10:00:00Z"}  # fmt: skip
    response = _post(client, {"feedback": [entry]})
    assert [e["field"] for e in response.json()["errors"]] == ["feedback[0].acceptedSuggestions"]
    entry["overrideReason"] = "no"
    entry["outcome"] = "overridden"
    response = _post(client, {"feedback": [entry]})
    assert [e["field"] for e in response.json()["errors"]] == ["feedback[0].overrideReason"]
