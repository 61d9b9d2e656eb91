"""A completed or stopped course becomes part of the treatment history (issue 12, item 4;
policies P-L3 to P-L5, P-L8 and P-L9).

On ``course_ended`` the course is written as one treatment of the current episode through the
history services (``save_history`` with ``expected_revision``, under the profile's row lock):
the kind and detail fields its protocol and therapy give, its dates, the signed sessions and
what its measures showed (``trdnav.core.history.from_course``). The entry's id is derived from
the course (``course-<id>``), so ending twice writes once. TRD status, stages and options are
computed from the history, so they change on their own; what changed is stored with the
course (``Course.outcome["history_entry"]``) for the chart to say so.

When the course cannot be written (no current episode, a protocol the history does not record
as a course, no signed session, or a history the new entry would make invalid) nothing is
written, the course still ends and the reason is stored for the chart to show.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from django.utils import timezone

from trdnav.audit.models import Action
from trdnav.audit.services import Actor, audit_patient
from trdnav.clinical.fact_words import status_words
from trdnav.clinical.models import ClinicalProfile
from trdnav.clinical.services import options_for
from trdnav.core.errors import InvalidInput
from trdnav.core.history.from_course import EndedCourse, history_entry, trial_entry
from trdnav.core.knowledge import load_therapies
from trdnav.core.protocols import CourseOutcome, ProtocolError, get_protocol
from trdnav.core.recommend import Recommendation
from trdnav.courses.loop.outcome import KEPT_KEYS, measured_for, outcome_of, stored_form
from trdnav.courses.loop.trial import MEDICATION_TRIAL, ended_trial
from trdnav.courses.models import Course, CourseStatus, SessionState, TreatmentSession
from trdnav.history.document import put, revision
from trdnav.history.services import StaleRevision, save_history

# The history kind of each protocol modality (docs/history-schema.md, "Courses").
KIND_OF_MODALITY = {
    "ketamine_iv": "ketamine",
    "esketamine": "esketamine",
    "tms": "tms",
    "ect": "ect",
    "psychotherapy": "psychotherapy",
}
# ECT electrode placement by protocol: the therapy's history match does not name it [P-L3].
ECT_LATERALITY = {"ect_rul_ultrabrief": "right_unilateral", "ect_bitemporal": "bitemporal"}
# The session form's electrode placement in history terms; sessions win over the protocol.
PLACEMENT = {"rul": "right_unilateral", "bitemporal": "bitemporal", "bifrontal": "bifrontal"}
DETAIL_FIELDS = ("laterality", "protocol", "modality")
# Stop reasons that mean side effects or intolerance [P-L5]; compared case-insensitively with
# the start of the reason given when the course was stopped.
SIDE_EFFECT_REASONS = ("side effect", "side_effect", "side-effect", "intoler", "adverse")
LEAD_INS = ("stopped", "because of", "due to", "owing to", "for", "after", "the", "of")
NOT_A_COURSE = (
    "the treatment history does not record this kind of course as a course: "
    "add it in the history editor"
)
NO_EPISODE = (
    "the treatment history has no current episode: "
    "record the episode, then add the course in the history editor"
)
STAGING_WORDS = {
    "thase_rush": "Thase–Rush stage",
    "european": "European stage",
    "mgh_s": "MGH-S score",
    "maudsley": "Maudsley (MSM) score",
}


def entry_id(course: Course) -> str:
    return f"course-{course.pk}"


def stopped_for_side_effects(course: Course) -> bool:
    """Whether the stop reason begins by naming side effects [P-L5] ("Side effects: …",
    "Stopped because of side effects", "intolerable nausea"); a reason that merely mentions
    them later ("not working; no side effects") does not count."""
    reason = course.stop_reason.strip().lower()
    changed = True
    while changed:
        changed = False
        for lead in LEAD_INS:
            if reason.startswith(lead):
                reason, changed = reason[len(lead) :].lstrip(" :,-"), True
    return course.status == CourseStatus.STOPPED and reason.startswith(SIDE_EFFECT_REASONS)


def history_fields(course: Course) -> tuple[str, dict[str, str]] | None:
    """The history kind and detail fields of the course, or None when the history does not
    record its protocol as a course (a medication trial is a drug trial: ``loop.trial``)."""
    try:
        modality = str(get_protocol(course.protocol_id).modality)
    except ProtocolError:
        return None
    kind = KIND_OF_MODALITY.get(modality)
    if kind is None:
        return None
    details: dict[str, str] = {}
    therapy = load_therapies().therapies.get(course.therapy_id)
    matches = [m for m in therapy.history_match if m.kind == kind] if therapy is not None else []
    if len(matches) == 1:
        details = {k: v for k, v in matches[0].fields if k in DETAIL_FIELDS}
    if kind == "ect" and course.protocol_id in ECT_LATERALITY:
        details["laterality"] = ECT_LATERALITY[course.protocol_id]
    return kind, details


def ect_laterality(signed: Sequence[TreatmentSession]) -> str | None:
    """The placement the signed sessions record [P-L3]: a bilateral one (the most used) when
    any session used one, else right unilateral; None when no session recorded it."""
    used = [PLACEMENT.get(str(s.values.get("placement"))) for s in signed]
    bilateral = [p for p in used if p is not None and p != "right_unilateral"]
    if bilateral:
        return max(dict.fromkeys(bilateral), key=bilateral.count)
    return "right_unilateral" if "right_unilateral" in used else None


def current_episode(doc: Mapping[str, Any] | None) -> str | None:
    """The episode a new treatment belongs to: ``current_episode``, else the one open episode."""
    if not doc:
        return None
    episodes = [e for e in doc.get("episodes") or [] if isinstance(e, Mapping)]
    named = doc.get("current_episode")
    if named and any(e.get("id") == named for e in episodes):
        return str(named)
    open_ = [e for e in episodes if e.get("end") is None]
    return str(open_[0]["id"]) if len(open_) == 1 else None


def _note(course: Course, outcome: CourseOutcome | None, sessions: int) -> str:
    """What the entry's notes say: the protocol, sessions given of planned, how it ended."""
    said = (
        f"{course.protocol_name}: {sessions} of {course.planned_sessions} sessions, {course.status}"
    )
    if course.status == CourseStatus.STOPPED and course.stop_reason:
        said += f" ({course.stop_reason.strip()})"
    if outcome is not None:
        said += f"; course outcome {outcome.outcome}"
    return said + " (written when the course ended)."


def ended_course(
    course: Course, outcome: CourseOutcome | None, sessions: int
) -> EndedCourse | None:
    fields = history_fields(course)
    if fields is None or course.ended_on is None:
        return None
    kind, details = fields
    measured = "too_early" if outcome is None else str(outcome.outcome)
    pct = (
        None if outcome is None or outcome.percent_change is None else float(outcome.percent_change)
    )
    return EndedCourse(
        kind=kind, details=details, start=course.start_date,
        end=max(course.ended_on, course.start_date), sessions=sessions, measured=measured,
        improvement_pct=pct, stopped_for_intolerance=stopped_for_side_effects(course),
        note=_note(course, outcome, sessions),
    )  # fmt: skip


def _headlines(recommendation: Recommendation) -> dict[str, str]:
    summary = recommendation.history.to_dict()
    found: dict[str, str] = {}
    if summary.get("trd_met") is not None:
        found["TRD status"] = "met" if summary["trd_met"] else "not met"
    if summary.get("failed_antidepressants") is not None:
        found["Failed adequate antidepressant trials"] = str(summary["failed_antidepressants"])
    for key, words in STAGING_WORDS.items():
        model = (summary.get("staging") or {}).get(key) or {}
        value = model.get("stage", model.get("score", model.get("total")))
        if value is not None:
            band = f" ({model['band']})" if model.get("band") else ""
            found[words] = f"{value}{band}"
    for option in recommendation.options:
        found[f"option:{option.therapy.name}"] = status_words(str(option.status.value))
    return found


def changes(before: Recommendation | None, after: Recommendation | None) -> list[dict[str, str]]:
    """What the new entry changed in TRD status, stages and options (in words)."""
    if before is None or after is None:
        return []
    old, new = _headlines(before), _headlines(after)
    rows = []
    for key in dict.fromkeys([*old, *new]):
        if old.get(key) != new.get(key):
            kind, _, name = key.partition(":") if key.startswith("option:") else ("stage", "", key)
            rows.append({"kind": kind, "what": name, "before": old.get(key, "—"),
                         "after": new.get(key, "—")})  # fmt: skip
    return rows


def _options(
    course: Course, profile: ClinicalProfile, doc: Any, as_of: date
) -> Recommendation | None:
    trial = copy.copy(profile)
    trial.history = doc
    try:
        return options_for(patient=course.patient, as_of=as_of, profile=trial)
    except InvalidInput:
        return None


def _record(course: Course, info: dict[str, Any]) -> dict[str, Any]:
    course.outcome = {**(course.outcome or {}), "history_entry": info}
    course.save(update_fields=["outcome", "history_treatment_ref"])
    return info


def _written_ids(doc: Mapping[str, Any] | None) -> set[str]:
    return {str(t.get("id")) for t in (doc or {}).get("treatments", []) if isinstance(t, Mapping)}


def write_to_history(*, course: Course, by: Actor, as_of: date | None = None) -> dict[str, Any]:
    """Write the ended course into the current episode once; what was done, as stored."""
    if not course.is_ended or course.ended_on is None:
        raise ValueError("only a completed or stopped course is written to the history")
    ended_on = course.ended_on
    as_of = max(as_of or timezone.localdate(), ended_on)
    # The row lock serialises this write with any other change of the history; without a
    # profile there is no history (and so no episode) to write into.
    profile = ClinicalProfile.objects.select_for_update().filter(patient=course.patient).first()
    doc, ident = (profile.history if profile is not None else None), entry_id(course)
    if course.history_treatment_ref or ident in _written_ids(doc):
        return dict((course.outcome or {}).get("history_entry") or {"treatment": ident})
    measured = measured_for(course, ended_on)
    outcome = outcome_of(course, measured, ended_on)
    kept = {k: v for k, v in (course.outcome or {}).items() if k in KEPT_KEYS}
    course.outcome = {**stored_form(outcome, measured, ended_on), **kept}
    made = _entry(course, outcome, measured.sessions_done, doc, ident)
    if profile is None or isinstance(made, str):
        return _record(course, {"written": False, "reason": made or NO_EPISODE})
    return _write(course, profile, made, by=by, as_of=as_of)


def _entry(
    course: Course,
    outcome: CourseOutcome | None,
    sessions: int,
    doc: Mapping[str, Any] | None,
    ident: str,
) -> dict[str, Any] | str:
    """The history entry of the ended course, or why there is none."""
    episode = current_episode(doc)
    if sessions == 0:
        return "no session was signed, so no treatment was given"
    if episode is None:
        return NO_EPISODE
    note = _note(course, outcome, sessions)
    signed = list(
        TreatmentSession.objects.filter(course=course, state=SessionState.SIGNED).order_by("number")
    )
    if course.protocol_id == MEDICATION_TRIAL:
        trial = ended_trial(
            course, outcome, signed, doc, episode,
            intolerance=stopped_for_side_effects(course), note=note,
        )  # fmt: skip
        if isinstance(trial, str):
            return trial
        return trial_entry(trial, entry_id=ident, episode=episode)
    ended = ended_course(course, outcome, sessions)
    if ended is None:
        return NOT_A_COURSE
    placement = ect_laterality(signed) if ended.kind == "ect" else None
    if placement is not None:
        ended = replace(ended, details={**ended.details, "laterality": placement})
    return history_entry(ended, entry_id=ident, episode=episode)


def _write(
    course: Course, profile: ClinicalProfile, entry: dict[str, Any], *, by: Actor, as_of: date
) -> dict[str, Any]:
    doc = profile.history
    new_doc = put(doc, "treatments", entry, None)
    before = _options(course, profile, doc, as_of)
    try:
        save_history(
            patient=course.patient, history=new_doc, by=by, as_of=as_of,
            summary=f"added treatment {entry['id']} ({entry['kind']}) from an ended course",
            expected_revision=revision(doc),
        )  # fmt: skip
    except (InvalidInput, StaleRevision) as exc:
        return _record(course, {"written": False, "reason": _refused(exc)})
    after = _options(course, profile, new_doc, as_of)
    course.history_treatment_ref = entry["id"]
    info = {"written": True, "treatment": entry["id"], "episode": entry["episode"],
            "kind": entry["kind"], "changes": changes(before, after)}  # fmt: skip
    audit_patient(
        by, course.patient_id, Action.UPDATE, "course", course,
        summary=f"written to the treatment history as {entry['id']}",
    )  # fmt: skip
    return _record(course, info)


def _refused(exc: Exception) -> str:
    if isinstance(exc, InvalidInput):
        problems = "; ".join(f"{e.field}: {e.message}" for e in exc.errors[:3])
        return f"the history would not be valid with it ({problems}): add it in the history editor"
    return "the history was changed at the same moment: add it in the history editor"
