"""Every role against every page and endpoint. A leak — another clinic's patient, another
patient's record, a role reaching beyond its capabilities — fails here.

Expected outcomes: 200/201/302 allowed; 403 the role may not do this; 404 the record is outside
the user's scope (reported as missing, so its existence does not leak); ``login`` a redirect
to the log-in page; 401 the API without credentials.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve
from django.utils import timezone

from tests.courses.helpers import ESKETAMINE, GOOD, HIGH_BP, HIGH_BP_RULE, REMS_FORM, START
from tests.courses.page_helpers import form_data
from tests.factories import make_clinic, make_member, make_patient
from tests.personas import PERSONAS
from trdnav.accounts.models import Role, User
from trdnav.api.main import api as API
from trdnav.assessments.models import Assessment, Source
from trdnav.assessments.services import record_assessment
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.clinical.models import ClinicalProfile
from trdnav.courses.models import (
    Course,
    RemsReport,
    SessionAmendment,
    SessionOverride,
    TreatmentSession,
)
from trdnav.courses.services import plan_course, record_session, sign_session
from trdnav.history import document as history_doc
from trdnav.history.models import HistorySnapshot
from trdnav.patients.models import Patient
from trdnav.portal.models import (
    ConcernReport,
    Invitation,
    Message,
    QuestionnaireSchedule,
    SafetyNotice,
    Thread,
    VisitQuestion,
)

FORM = {
    "record_number": "NEW-1",
    "given_name": "New",
    "family_name": "Person",
    "date_of_birth": "1970-01-01",
    "active": "on",
}
JSON_NEW = {k: v for k, v in FORM.items() if k != "active"}
PHQ9_FORM = {"administered_on": "2025-02-01", **{f"item_{n}": "1" for n in range(1, 10)}}
FACTS = {"facts": ["pregnancy"]}
PROFILE_FORM = {"fact__pregnancy": "present"}
FOREIGN_PROFILE = "/api/v1/patients/{foreign}/clinical-profile"
# The own patient's stored history (the Ben persona); forms carry the document's revision.
HISTORY = PERSONAS["ben"].history
REVISION = "{revision}"
EPISODE_FORM = {"start": "2010-01-01", "end": "2010-06-01", "revision": REVISION}
ECT_FORM = {"episode": "current", "start": "2025-09-01", "sessions": "6", "revision": REVISION}
REMOVE_FORM = {"revision": REVISION}
HISTORY_URL = "/patients/{own}/history/"
SIBLING_QUESTION_DONE = "/portal/visit/questions/{question_sibling}/done/"
VOID_URL = "/patients/{own}/assessments/{assessment_own}/void/"
FOREIGN_VOID_URL = "/patients/{foreign}/assessments/{assessment_foreign}/void/"
FHIR_QR: dict[str, Any] = {"subject": "{own}"}  # the body is built in _fhir_body
FHIR_QR_FOREIGN: dict[str, Any] = {"subject": "{foreign}"}
FHIR_MS: dict[str, Any] = {"subject": "{own}", "trial": True}
PHQ9_JSON = {"instrument": "phq9", "answers": {"items": [1] * 9}, "administered_on": "2025-02-01"}
PORTAL_REPORT = {
    "kind": "concern", "what": "w", "severity": "mild", "since": "2025-01-01",
    "self_harm_thoughts": "no",
}  # fmt: skip
SCHEDULE = {"instrument": "gad7", "every_days": "28", "start": "2025-01-01"}
# Each patient's PHQ-9 (all items 1) has a positive item 9: one open safety item.
SAFETY_REVIEW = "/safety/patients/{own}/answer/{assessment_own}/review/"
FOREIGN_SAFETY_REVIEW = "/safety/patients/{foreign}/answer/{assessment_foreign}/review/"
SAFETY_REVIEW_FORM = {
    "actions": ["phone_call"], "done_at": "2025-06-01T10:00", "mark_high_risk": "no",
}  # fmt: skip
SELF_CHECK = {f"item{n}": "1" for n in range(1, 10)}
PLAN = {"protocol_id": ESKETAMINE, "start": "2026-03-02"}
END = {"status": "completed"}
SESSION = {"values": GOOD}
FOREIGN_SESSIONS = "/api/v1/courses/{course_foreign}/sessions"
OVERRIDE = {"overrides": {HIGH_BP_RULE: "rechecked after rest; clinician present"}}
AMEND = {"values": {"dose_mg": 84, "devices_used": 3}, "reason": "typing error"}
REMS = {"fields": REMS_FORM}
# The course pages, on the same rows: session 1 signed, 2 a clean draft, 3 a blocked draft.
PLAN_URL = "/courses/plan/{own}/esketamine/"
PLAN_FORM = {"protocol": "esketamine_induction", "start": "2026-12-01", "action": "create"}
COURSE_URL = "/courses/{course_own}/"
SESSION_FORM = form_data(GOOD)
AMEND_FORM = form_data({**GOOD, "lot_number": "LOT-9"}, reason="misread")
REMS_PAGE_FORM = form_data(REMS_FORM)
BULK_JOB = "00000000-0000-4000-8000-000000000001"
CRISIS_HELP = {"text": "", "label_1": "Emergency services", "number_1": "112"}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    url: str  # {own}: the role's patient in reach; {sibling}: another patient, same clinic
    body: dict[str, Any] | None = None
    api: bool = False
    fhir: bool = False  # /fhir/R4/: the role's own API token, not the session (401 without)

    @property
    def writes(self) -> bool:
        return self.method in ("post", "patch", "put")


ROUTES = [
    Route("dashboard", "get", "/dashboard/"),
    Route("patient list", "get", "/patients/"),
    Route("new patient form", "get", "/patients/new/"),
    Route("create patient", "post", "/patients/new/", FORM),
    Route("patient page", "get", "/patients/{own}/"),
    Route("sibling patient page", "get", "/patients/{sibling}/"),
    Route("foreign patient page", "get", "/patients/{foreign}/"),
    Route("edit form", "get", "/patients/{own}/edit/"),
    Route("edit patient", "post", "/patients/{own}/edit/", {**FORM, "record_number": "N-001"}),
    Route("foreign edit", "post", "/patients/{foreign}/edit/", {**FORM, "record_number": "X"}),
    Route("assessments page", "get", "/patients/{own}/assessments/"),
    Route("sibling assessments page", "get", "/patients/{sibling}/assessments/"),
    Route("foreign assessments page", "get", "/patients/{foreign}/assessments/"),
    Route("choose instrument", "get", "/patients/{own}/assessments/new/"),
    Route("assessment form", "get", "/patients/{own}/assessments/new/phq9/"),
    Route("record assessment", "post", "/patients/{own}/assessments/new/phq9/", PHQ9_FORM),
    Route("foreign record", "post", "/patients/{foreign}/assessments/new/phq9/", PHQ9_FORM),
    Route("clinical profile form", "get", "/patients/{own}/clinical/"),
    Route("edit clinical profile", "post", "/patients/{own}/clinical/", PROFILE_FORM),
    Route("foreign clinical profile", "get", "/patients/{foreign}/clinical/"),
    Route("audit log", "get", "/audit/"),
    Route("outcomes page", "get", "/analytics/"),
    Route("api tokens page", "get", "/accounts/tokens/"),
    Route("create api token", "post", "/accounts/tokens/", {"name": "script"}),
    Route("revoke api token", "post", "/accounts/tokens/999999/revoke/"),
    Route("api list", "get", "/api/v1/patients", api=True),
    Route("api outcomes", "get", "/api/v1/analytics/outcomes", api=True),
    Route("api create", "post", "/api/v1/patients", JSON_NEW, api=True),
    Route("api read", "get", "/api/v1/patients/{own}", api=True),
    Route("api read sibling", "get", "/api/v1/patients/{sibling}", api=True),
    Route("api read foreign", "get", "/api/v1/patients/{foreign}", api=True),
    Route("api patch", "patch", "/api/v1/patients/{own}", {"email": "x@example.org"}, api=True),
    Route("api patch foreign", "patch", "/api/v1/patients/{foreign}", {"email": "x@e.org"}, True),
    Route("api assessments", "get", "/api/v1/patients/{own}/assessments", api=True),
    Route("api sibling assessments", "get", "/api/v1/patients/{sibling}/assessments", api=True),
    Route("api foreign assessments", "get", "/api/v1/patients/{foreign}/assessments", api=True),
    Route("api record", "post", "/api/v1/patients/{own}/assessments", PHQ9_JSON, api=True),
    Route("api record foreign", "post", "/api/v1/patients/{foreign}/assessments", PHQ9_JSON, True),
    Route("api options", "get", "/api/v1/patients/{own}/options", api=True),
    Route("api foreign options", "get", "/api/v1/patients/{foreign}/options", api=True),
    Route("api profile", "get", "/api/v1/patients/{own}/clinical-profile", api=True),
    Route("api profile patch", "patch", "/api/v1/patients/{own}/clinical-profile", FACTS, True),
    Route("api foreign profile", "patch", FOREIGN_PROFILE, FACTS, api=True),
    # The patient portal: a patient reaches only their own rows; the care team its clinic's.
    Route("portal home", "get", "/portal/"),
    Route("portal progress", "get", "/portal/progress/"),
    Route("portal treatment page", "get", "/portal/treatments/ect/"),
    Route("portal visit summary", "get", "/portal/visit/summary/"),
    Route("portal own form", "get", "/portal/questionnaires/{schedule_own}/"),
    Route("portal sibling form", "get", "/portal/questionnaires/{schedule_sibling}/"),
    Route("portal own thread", "get", "/portal/messages/{thread_own}/"),
    Route("portal sibling thread", "get", "/portal/messages/{thread_sibling}/"),
    Route("portal reply sibling", "post", "/portal/messages/{thread_sibling}/", {"body": "hi"}),
    Route("portal new message", "post", "/portal/messages/", {"subject": "s", "body": "b"}),
    Route("portal report", "post", "/portal/reports/", PORTAL_REPORT),
    Route("care inbox", "get", "/portal/care/"),
    # The clinic settings hub: one entry for the clinic admin, linking each section's page.
    Route("clinic settings hub", "get", "/clinic/settings/"),
    Route("clinic crisis help page", "get", "/portal/care/crisis-help/"),
    Route("set clinic crisis help", "post", "/portal/care/crisis-help/", CRISIS_HELP),
    Route("care panel", "get", "/portal/care/patients/{own}/"),
    Route("care panel foreign", "get", "/portal/care/patients/{foreign}/"),
    Route("care invite", "post", "/portal/care/patients/{own}/invite/", {"email": "a@e.org"}),
    Route("care schedule", "post", "/portal/care/patients/{own}/schedules/", SCHEDULE),
    Route("care thread", "get", "/portal/care/messages/{thread_own}/"),
    Route("care foreign thread", "get", "/portal/care/messages/{thread_foreign}/"),
    Route("care reply foreign", "post", "/portal/care/messages/{thread_foreign}/", {"body": "x"}),
    Route("care ack report", "post", "/portal/care/reports/{report_own}/acknowledge/"),
    Route("care ack foreign report", "post", "/portal/care/reports/{report_foreign}/acknowledge/"),
    Route("care ack safety", "post", "/portal/care/safety/{notice_own}/acknowledge/"),
    # Safety review (P-SR2): clinicians and clinic administrators; the settings, administrators.
    Route("safety review form", "get", SAFETY_REVIEW),
    Route("safety review", "post", SAFETY_REVIEW, SAFETY_REVIEW_FORM),
    Route("foreign safety review", "get", FOREIGN_SAFETY_REVIEW),
    Route("foreign safety review post", "post", FOREIGN_SAFETY_REVIEW, SAFETY_REVIEW_FORM),
    Route("reopen safety review", "post", "/safety/patients/{own}/reviews/999999/reopen/"),
    Route("safety settings", "get", "/safety/settings/"),
    Route("save safety settings", "post", "/safety/settings/", {"worsening_rule": "any_band"}),
    Route("portal treatments list", "get", "/portal/treatments/"),
    Route("portal crisis page", "get", "/portal/help-now/"),
    Route("portal reports page", "get", "/portal/reports/"),
    Route("portal messages page", "get", "/portal/messages/"),
    Route("portal visit page", "get", "/portal/visit/"),
    Route(
        "care invite foreign",
        "post",
        "/portal/care/patients/{foreign}/invite/",
        {"email": "a@e.org"},
    ),
    Route("care schedule foreign", "post", "/portal/care/patients/{foreign}/schedules/", SCHEDULE),
    Route("care stop schedule", "post", "/portal/care/schedules/{schedule_own}/stop/"),
    Route("care stop foreign schedule", "post", "/portal/care/schedules/{schedule_foreign}/stop/"),
    Route(
        "care new thread",
        "post",
        "/portal/care/patients/{own}/messages/",
        {"subject": "s", "body": "b"},
    ),
    Route(
        "care new foreign thread",
        "post",
        "/portal/care/patients/{foreign}/messages/",
        {"subject": "s", "body": "b"},
    ),
    Route("care ack foreign safety", "post", "/portal/care/safety/{notice_foreign}/acknowledge/"),
    Route("history page", "get", HISTORY_URL),
    Route("sibling history page", "get", "/patients/{sibling}/history/"),
    Route("foreign history page", "get", "/patients/{foreign}/history/"),
    Route("add episode form", "get", HISTORY_URL + "episodes/new/"),
    Route("add episode", "post", HISTORY_URL + "episodes/new/", EPISODE_FORM),
    Route("edit episode form", "get", HISTORY_URL + "episodes/0/"),
    Route("remove episode", "post", HISTORY_URL + "episodes/0/remove/", REMOVE_FORM),
    Route("choose treatment kind", "get", HISTORY_URL + "treatments/new/"),
    Route("add treatment form", "get", HISTORY_URL + "treatments/new/antidepressant/"),
    Route("add treatment", "post", HISTORY_URL + "treatments/new/ect/", ECT_FORM),
    Route("edit treatment form", "get", HISTORY_URL + "treatments/0/"),
    Route("edit treatment", "post", HISTORY_URL + "treatments/2/", ECT_FORM | {"modality": "act"}),
    Route("remove treatment", "post", HISTORY_URL + "treatments/2/remove/", REMOVE_FORM),
    Route(
        "foreign add treatment", "post", "/patients/{foreign}/history/treatments/new/ect/", ECT_FORM
    ),
    Route("history import form", "get", HISTORY_URL + "import/"),
    Route("history import", "post", HISTORY_URL + "import/", {"history": "", "revision": REVISION}),
    Route("api history", "get", "/api/v1/patients/{own}/history", api=True),
    Route("api sibling history", "get", "/api/v1/patients/{sibling}/history", api=True),
    Route("api foreign history", "get", "/api/v1/patients/{foreign}/history", api=True),
    Route("api history put", "put", "/api/v1/patients/{own}/history", HISTORY, api=True),
    Route("api foreign history put", "put", "/api/v1/patients/{foreign}/history", HISTORY, True),
    Route("api staging", "get", "/api/v1/patients/{own}/staging", api=True),
    Route("api foreign staging", "get", "/api/v1/patients/{foreign}/staging", api=True),
    # Treatment courses (docs/courses.md): nurses document and sign, clinicians plan and
    # override; {course_*} is an esketamine course, {draft_*} a clean draft, {blocked_*} a draft
    # with a blocking finding, {signed_*} a signed session with its REMS form open.
    Route("api courses", "get", "/api/v1/patients/{own}/courses", api=True),
    Route("api foreign courses", "get", "/api/v1/patients/{foreign}/courses", api=True),
    Route("api plan course", "post", "/api/v1/patients/{own}/courses", PLAN, api=True),
    Route("api plan foreign course", "post", "/api/v1/patients/{foreign}/courses", PLAN, True),
    Route("api course", "get", "/api/v1/courses/{course_own}", api=True),
    Route("api foreign course", "get", "/api/v1/courses/{course_foreign}", api=True),
    Route("api end course", "post", "/api/v1/courses/{course_own}/end", END, api=True),
    Route("api end foreign course", "post", "/api/v1/courses/{course_foreign}/end", END, True),
    Route("api sessions", "get", "/api/v1/courses/{course_own}/sessions", api=True),
    Route("api foreign sessions", "get", "/api/v1/courses/{course_foreign}/sessions", api=True),
    Route("api record session", "post", "/api/v1/courses/{course_own}/sessions", SESSION, True),
    Route("api foreign record session", "post", FOREIGN_SESSIONS, SESSION, api=True),
    Route("api sign session", "post", "/api/v1/sessions/{draft_own}/sign", {}, api=True),
    Route("api sign override", "post", "/api/v1/sessions/{blocked_own}/sign", OVERRIDE, True),
    Route("api foreign sign", "post", "/api/v1/sessions/{draft_foreign}/sign", {}, api=True),
    Route("api amend session", "post", "/api/v1/sessions/{signed_own}/amend", AMEND, api=True),
    Route("api foreign amend", "post", "/api/v1/sessions/{signed_foreign}/amend", AMEND, True),
    Route("api rems form", "post", "/api/v1/sessions/{signed_own}/rems", REMS, api=True),
    Route("api foreign rems form", "post", "/api/v1/sessions/{signed_foreign}/rems", REMS, True),
    # FHIR Bulk Data $export takes a clinic administrator's bearer token only (the roles with
    # tokens: tests/interop/test_bulk_export.py); a logged-in browser session gets 401.
    Route("bulk export kick-off", "get", "/fhir/R4/$export"),
    Route("bulk patient export", "get", "/fhir/R4/Patient/$export"),
    Route("bulk export status", "get", f"/fhir/R4/$export-status/{BULK_JOB}"),
    Route("bulk export cancel", "delete", f"/fhir/R4/$export-status/{BULK_JOB}"),
    Route("bulk export file", "get", f"/fhir/R4/$export-file/{BULK_JOB}/Patient/1"),
    # Routes the resolver walk below found without a row.
    Route("void form", "get", "/patients/{own}/assessments/{assessment_own}/void/"),
    Route("void assessment", "post", VOID_URL, {"reason": "entered twice"}),
    Route("foreign void", "post", FOREIGN_VOID_URL, {"reason": "entered twice"}),
    Route("portal question done", "post", "/portal/visit/questions/{question_own}/done/"),
    Route("portal sibling question done", "post", SIBLING_QUESTION_DONE),
    Route("portal unknown invitation", "get", "/portal/invitation/not-a-token/"),
    Route("mfa setup page", "get", "/accounts/mfa/setup/"),
    Route("mfa verify page", "get", "/accounts/mfa/verify/"),
    Route("start page", "get", "/"),
    Route("instrument list", "get", "/instruments/"),
    Route("instrument page", "get", "/instruments/phq9/"),
    Route("api me", "get", "/api/v1/me", api=True),
    Route("api root", "get", "/api/v1/", api=True),
    Route("api schema", "get", "/api/v1/openapi.json", api=True),
    Route("api docs", "get", "/api/v1/docs", api=True),
    # The public treatment guide and self-check: open to everyone, nothing stored.
    Route("public guide", "get", "/guide/"),
    Route("public treatment page", "get", "/guide/treatments/ect/"),
    Route("self-check page", "get", "/guide/self-check/"),
    Route("self-check", "post", "/guide/self-check/", SELF_CHECK),
    Route("clinic guide", "get", "/guide/north/"),
    Route("clinic treatment page", "get", "/guide/north/treatments/ect/"),
    Route("clinic self-check", "post", "/guide/north/self-check/", SELF_CHECK),
    # Treatment courses: plan from the chart, sessions, REMS, summary, the portal calendar.
    Route("plan course page", "get", PLAN_URL),
    Route("plan course", "post", PLAN_URL, PLAN_FORM),
    Route("foreign plan course", "post", "/courses/plan/{foreign}/esketamine/", PLAN_FORM),
    Route("course page", "get", COURSE_URL),
    Route("foreign course page", "get", "/courses/{course_foreign}/"),
    Route("course summary", "get", COURSE_URL + "summary/"),
    Route("foreign course summary", "get", "/courses/{course_foreign}/summary/"),
    Route("end course form", "get", COURSE_URL + "end/"),
    Route("end course", "post", COURSE_URL + "end/", {"status": "completed"}),
    Route("foreign end course", "post", "/courses/{course_foreign}/end/", {"status": "completed"}),
    Route("session form", "get", COURSE_URL + "sessions/2/"),
    Route("save session draft", "post", COURSE_URL + "sessions/2/", SESSION_FORM),
    Route("foreign session draft", "post", "/courses/{course_foreign}/sessions/2/", SESSION_FORM),
    Route("sign session", "post", COURSE_URL + "sessions/2/sign/", SESSION_FORM),
    Route("foreign sign", "post", "/courses/{course_foreign}/sessions/2/sign/", SESSION_FORM),
    Route("amend form", "get", COURSE_URL + "sessions/1/amend/"),
    Route("amend session", "post", COURSE_URL + "sessions/1/amend/", AMEND_FORM),
    Route("foreign amend", "post", "/courses/{course_foreign}/sessions/1/amend/", AMEND_FORM),
    Route("rems task list", "get", "/courses/rems/"),
    Route("rems form", "get", "/courses/rems/{signed_own}/"),
    Route("submit rems form", "post", "/courses/rems/{signed_own}/", REMS_PAGE_FORM),
    Route("foreign rems form", "post", "/courses/rems/{signed_foreign}/", REMS_PAGE_FORM),
    Route("portal course calendar", "get", "/portal/courses/"),
    # A course outside every clinic: the acknowledging itself is in tests/courses/loop.
    Route("ack course checkpoint", "post", "/dashboard/courses/999999/checkpoints/r/acknowledge/"),
    # CDS Hooks: the EHR authenticates with a signed JWT, never a session (tests/cds); a
    # session of any role gets 401. Discovery holds no patient data and is open (P-CDS1).
    Route("cds discovery", "get", "/cds-services"),
    Route("cds service", "post", "/cds-services/trdnav-patient-view", {"hook": "patient-view"}),
    Route("cds feedback", "post", "/cds-services/trdnav-patient-view/feedback", {"feedback": []}),
    # FHIR R4 (docs/interop.md): bearer token only; metadata is open, as FHIR clients read it
    # before they authenticate. A patient login's token does not authenticate (401).
    Route("fhir metadata", "get", "/fhir/R4/metadata", fhir=True),
    Route("fhir search", "get", "/fhir/R4/Observation?patient={own}", fhir=True),
    Route("fhir search clinic", "get", "/fhir/R4/Patient", fhir=True),
    Route("fhir read", "get", "/fhir/R4/Patient/{own}", fhir=True),
    Route("fhir read sibling", "get", "/fhir/R4/Patient/{sibling}", fhir=True),
    Route("fhir read foreign", "get", "/fhir/R4/Patient/{foreign}", fhir=True),
    Route("fhir search foreign", "get", "/fhir/R4/Observation?patient={foreign}", fhir=True),
    Route("fhir create response", "post", "/fhir/R4/QuestionnaireResponse", FHIR_QR, fhir=True),
    Route(
        "fhir create foreign", "post", "/fhir/R4/QuestionnaireResponse", FHIR_QR_FOREIGN, fhir=True
    ),
    Route("fhir create trial", "post", "/fhir/R4/MedicationStatement", FHIR_MS, fhir=True),
]

ROLES = ("anonymous", "clinic_admin", "clinician", "staff", "patient", "no_membership")
L = "login"
# fmt: off
EXPECTED: dict[str, tuple[Any, ...]] = {
    #                        anonymous  admin clinician staff patient no_membership
    "dashboard":             (L,         200,  200,      200,  403,    403),
    "patient list":          (L,         200,  200,      200,  403,    403),
    "new patient form":      (L,         200,  200,      403,  403,    403),
    "create patient":        (L,         302,  302,      403,  403,    403),
    "patient page":          (L,         200,  200,      200,  403,    404),
    "sibling patient page":  (L,         200,  200,      200,  403,    404),
    "foreign patient page":  (L,         404,  404,      404,  403,    404),
    "edit form":             (L,         200,  200,      403,  403,    403),
    "edit patient":          (L,         302,  302,      403,  403,    403),
    "foreign edit":          (L,         404,  404,      403,  403,    403),
    "assessments page":      (L,         200,  200,      200,  403,    404),
    "sibling assessments page": (L,      200,  200,      200,  403,    404),
    "foreign assessments page": (L,      404,  404,      404,  403,    404),
    "choose instrument":     (L,         200,  200,      200,  403,    403),
    "assessment form":       (L,         200,  200,      200,  403,    403),
    "record assessment":     (L,         302,  302,      302,  403,    403),
    "foreign record":        (L,         404,  404,      404,  403,    403),
    "clinical profile form": (L,         200,  200,      403,  403,    403),
    "edit clinical profile": (L,         302,  302,      403,  403,    403),
    "foreign clinical profile": (L,      404,  404,      403,  403,    403),
    "audit log":             (L,         200,  403,      403,  403,    403),
    "outcomes page":         (L,         200,  403,      403,  403,    403),
    "api tokens page":       (L,         200,  200,      200,  403,    200),
    "create api token":      (L,         200,  200,      200,  403,    200),
    "revoke api token":      (L,         404,  404,      404,  403,    404),
    "api list":              (401,       200,  200,      200,  403,    403),
    "api outcomes":          (401,       200,  403,      403,  403,    403),
    "api create":            (401,       201,  201,      403,  403,    403),
    "api read":              (401,       200,  200,      200,  403,    404),
    "api read sibling":      (401,       200,  200,      200,  403,    404),
    "api read foreign":      (401,       404,  404,      404,  403,    404),
    "api patch":             (401,       200,  200,      403,  403,    403),
    "api patch foreign":     (401,       404,  404,      403,  403,    403),
    "api assessments":       (401,       200,  200,      200,  403,    404),
    "api sibling assessments": (401,     200,  200,      200,  403,    404),
    "api foreign assessments": (401,     404,  404,      404,  403,    404),
    "api record":            (401,       201,  201,      201,  403,    403),
    "api record foreign":    (401,       404,  404,      404,  403,    403),
    "api options":           (401,       200,  200,      200,  403,    403),
    "api foreign options":   (401,       404,  404,      404,  403,    403),
    "api profile":           (401,       200,  200,      200,  403,    403),
    "api profile patch":     (401,       200,  200,      403,  403,    403),
    "api foreign profile":   (401,       404,  404,      403,  403,    403),
    "portal home":           (L,         404,  404,      404,  200,    404),
    "portal progress":       (L,         404,  404,      404,  200,    404),
    "portal treatment page": (L,         404,  404,      404,  200,    404),
    "portal visit summary":  (L,         404,  404,      404,  200,    404),
    "portal own form":       (L,         404,  404,      404,  200,    404),
    "portal sibling form":   (L,         404,  404,      404,  404,    404),
    "portal own thread":     (L,         404,  404,      404,  200,    404),
    "portal sibling thread": (L,         404,  404,      404,  404,    404),
    "portal reply sibling":  (L,         404,  404,      404,  404,    404),
    "portal new message":    (L,         404,  404,      404,  302,    404),
    "portal report":         (L,         404,  404,      404,  302,    404),
    "care inbox":            (L,         200,  200,      200,  403,    403),
    "clinic settings hub":   (L,         200,  403,      403,  403,    403),
    "clinic crisis help page": (L,       200,  403,      403,  403,    403),
    "set clinic crisis help": (L,        302,  403,      403,  403,    403),
    "care panel":            (L,         200,  200,      200,  403,    403),
    "care panel foreign":    (L,         404,  404,      404,  403,    403),
    # The own patient already has a login: only an admin may send its reset elsewhere (D10).
    "care invite":           (L,         302,  400,      403,  403,    403),
    "care schedule":         (L,         302,  302,      403,  403,    403),
    "care thread":           (L,         200,  200,      200,  403,    403),
    "care foreign thread":   (L,         404,  404,      404,  403,    403),
    "care reply foreign":    (L,         404,  404,      404,  403,    403),
    "care ack report":       (L,         302,  302,      302,  403,    403),
    "care ack foreign report": (L,       404,  404,      404,  403,    403),
    "care ack safety":       (L,         302,  302,      403,  403,    403),
    "safety review form":    (L,         200,  200,      403,  403,    403),
    "safety review":         (L,         302,  302,      403,  403,    403),
    "foreign safety review": (L,         404,  404,      403,  403,    403),
    "foreign safety review post": (L,    404,  404,      403,  403,    403),
    "reopen safety review":  (L,         404,  404,      403,  403,    403),
    "safety settings":       (L,         200,  403,      403,  403,    403),
    "save safety settings":  (L,         302,  403,      403,  403,    403),
    "portal treatments list": (L,        404,  404,      404,  200,    404),
    "portal crisis page":    (L,         404,  404,      404,  200,    404),
    "portal reports page":   (L,         404,  404,      404,  200,    404),
    "portal messages page":  (L,         404,  404,      404,  200,    404),
    "portal visit page":     (L,         404,  404,      404,  200,    404),
    "care invite foreign":   (L,         404,  404,      403,  403,    403),
    "care schedule foreign": (L,         404,  404,      403,  403,    403),
    "care stop schedule":    (L,         302,  302,      403,  403,    403),
    "care stop foreign schedule": (L,    404,  404,      403,  403,    403),
    "care new thread":       (L,         302,  302,      302,  403,    403),
    "care new foreign thread": (L,       404,  404,      404,  403,    403),
    "care ack foreign safety": (L,       404,  404,      403,  403,    403),
    "history page":          (L,         200,  200,      200,  403,    403),
    "sibling history page":  (L,         200,  200,      200,  403,    403),
    "foreign history page":  (L,         404,  404,      404,  403,    403),
    "add episode form":      (L,         200,  200,      403,  403,    403),
    "add episode":           (L,         302,  302,      403,  403,    403),
    "edit episode form":     (L,         200,  200,      403,  403,    403),
    "remove episode":        (L,         400,  400,      403,  403,    403),
    "choose treatment kind": (L,         200,  200,      403,  403,    403),
    "add treatment form":    (L,         200,  200,      403,  403,    403),
    "add treatment":         (L,         302,  302,      403,  403,    403),
    "edit treatment form":   (L,         200,  200,      403,  403,    403),
    "edit treatment":        (L,         302,  302,      403,  403,    403),
    "remove treatment":      (L,         302,  302,      403,  403,    403),
    "foreign add treatment": (L,         404,  404,      403,  403,    403),
    "history import form":   (L,         200,  200,      403,  403,    403),
    "history import":        (L,         302,  302,      403,  403,    403),
    "api history":           (401,       200,  200,      200,  403,    403),
    "api sibling history":   (401,       200,  200,      200,  403,    403),
    "api foreign history":   (401,       404,  404,      404,  403,    403),
    "api history put":       (401,       200,  200,      403,  403,    403),
    "api foreign history put": (401,     404,  404,      403,  403,    403),
    "api staging":           (401,       200,  200,      200,  403,    403),
    "api foreign staging":   (401,       404,  404,      404,  403,    403),
    "api courses":           (401,       200,  200,      200,  403,    403),
    "api foreign courses":   (401,       404,  404,      404,  403,    403),
    "api plan course":       (401,       201,  201,      403,  403,    403),
    "api plan foreign course": (401,     404,  404,      403,  403,    403),
    "api course":            (401,       200,  200,      200,  403,    403),
    "api foreign course":    (401,       404,  404,      404,  403,    403),
    "api end course":        (401,       200,  200,      403,  403,    403),
    "api end foreign course": (401,      404,  404,      403,  403,    403),
    "api sessions":          (401,       200,  200,      200,  403,    403),
    "api foreign sessions":  (401,       404,  404,      404,  403,    403),
    "api record session":    (401,       201,  201,      201,  403,    403),
    "api foreign record session": (401,  404,  404,      404,  403,    403),
    "api sign session":      (401,       200,  200,      200,  403,    403),
    # A nurse may not sign over a block unless the clinic allows it (tests/courses).
    "api sign override":     (401,       200,  200,      403,  403,    403),
    "api foreign sign":      (401,       404,  404,      404,  403,    403),
    "api amend session":     (401,       201,  201,      201,  403,    403),
    "api foreign amend":     (401,       404,  404,      404,  403,    403),
    "api rems form":         (401,       200,  200,      200,  403,    403),
    "api foreign rems form": (401,       404,  404,      404,  403,    403),
    "void form":             (L,         200,  200,      403,  403,    403),
    "void assessment":       (L,         302,  302,      403,  403,    403),
    "foreign void":          (L,         404,  404,      403,  403,    403),
    "portal question done":  (L,         404,  404,      404,  302,    404),
    "portal sibling question done": (L,  404,  404,      404,  404,    404),
    "portal unknown invitation": (404,   404,  404,      404,  404,    404),
    "mfa setup page":        (L,         200,  200,      200,  200,    200),
    "mfa verify page":       (L,         302,  302,      302,  302,    302),
    "start page":            (200,       302,  302,      302,  302,    200),
    "instrument list":       (200,       200,  200,      200,  200,    200),
    "instrument page":       (200,       200,  200,      200,  200,    200),
    "api me":                (401,       200,  200,      200,  200,    200),
    "api root":              (404,       404,  404,      404,  404,    404),
    "api schema":            (200,       200,  200,      200,  200,    200),
    "api docs":              (200,       200,  200,      200,  200,    200),
    "public guide":          (200,       200,  200,      200,  200,    200),
    "public treatment page": (200,       200,  200,      200,  200,    200),
    "self-check page":       (200,       200,  200,      200,  200,    200),
    "self-check":            (200,       200,  200,      200,  200,    200),
    "clinic guide":          (200,       200,  200,      200,  200,    200),
    "clinic treatment page": (200,       200,  200,      200,  200,    200),
    "clinic self-check":     (200,       200,  200,      200,  200,    200),
    "plan course page":      (L,         200,  200,      403,  403,    403),
    "plan course":           (L,         302,  302,      403,  403,    403),
    "foreign plan course":   (L,         404,  404,      403,  403,    403),
    "course page":           (L,         200,  200,      200,  403,    403),
    "foreign course page":   (L,         404,  404,      404,  403,    403),
    "course summary":        (L,         200,  200,      200,  403,    403),
    "foreign course summary": (L,        404,  404,      404,  403,    403),
    "end course form":       (L,         200,  200,      403,  403,    403),
    "end course":            (L,         302,  302,      403,  403,    403),
    "foreign end course":    (L,         404,  404,      403,  403,    403),
    "session form":          (L,         200,  200,      200,  403,    403),
    "save session draft":    (L,         302,  302,      302,  403,    403),
    "foreign session draft": (L,         404,  404,      404,  403,    403),
    "sign session":          (L,         302,  302,      302,  403,    403),
    "foreign sign":          (L,         404,  404,      404,  403,    403),
    "amend form":            (L,         200,  200,      200,  403,    403),
    "amend session":         (L,         302,  302,      302,  403,    403),
    "foreign amend":         (L,         404,  404,      404,  403,    403),
    "rems task list":        (L,         200,  200,      200,  403,    403),
    "rems form":             (L,         200,  200,      200,  403,    403),
    "submit rems form":      (L,         302,  302,      302,  403,    403),
    "foreign rems form":     (L,         404,  404,      404,  403,    403),
    "portal course calendar": (L,        404,  404,      404,  200,    404),
    "ack course checkpoint": (L,         404,  404,      403,  403,    403),
    "cds discovery":         (200,       200,  200,      200,  200,    200),
    "cds service":           (401,       401,  401,      401,  401,    401),
    "cds feedback":          (401,       401,  401,      401,  401,    401),
    "bulk export kick-off":  (401,       401,  401,      401,  401,    401),
    "bulk patient export":   (401,       401,  401,      401,  401,    401),
    "bulk export status":    (401,       401,  401,      401,  401,    401),
    "bulk export cancel":    (401,       401,  401,      401,  401,    401),
    "bulk export file":      (401,       401,  401,      401,  401,    401),
    "fhir metadata":         (200,       200,  200,      200,  200,    200),
    "fhir search":           (401,       200,  200,      200,  401,    403),
    "fhir search clinic":    (401,       200,  200,      200,  401,    403),
    "fhir read":             (401,       200,  200,      200,  401,    403),
    "fhir read sibling":     (401,       200,  200,      200,  401,    403),
    "fhir read foreign":     (401,       404,  404,      404,  401,    403),
    "fhir search foreign":   (401,       404,  404,      404,  401,    403),
    "fhir create response":  (401,       201,  201,      201,  401,    403),
    "fhir create foreign":   (401,       404,  404,      404,  401,    403),
    "fhir create trial":     (401,       201,  201,      403,  401,    403),
}
# fmt: on
CASES = [
    pytest.param(role, route, EXPECTED[route.name][column], id=f"{role}-{route.name}")
    for route in ROUTES
    for column, role in enumerate(ROLES)
]


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    north, south = make_clinic("north"), make_clinic("south")
    own, sibling = make_patient(north, "N-001"), make_patient(north, "N-002")
    foreign = make_patient(south, "S-001")
    users: dict[str, User | None] = {"anonymous": None}
    for role in (Role.CLINIC_ADMIN, Role.CLINICIAN, Role.STAFF, Role.PATIENT):
        users[role.value] = make_member(north, role, f"{role.value}-north")
    users["no_membership"] = User.objects.create_user(username="loner", password="x" * 12)
    own.user = users["patient"]
    own.save()
    ClinicalProfile.objects.create(patient=own, history=HISTORY)
    ids = {"own": own.pk, "sibling": sibling.pk, "foreign": foreign.pk}
    for name, patient in (("own", own), ("sibling", sibling), ("foreign", foreign)):
        ids |= _portal_rows(name, patient)
        ids[f"assessment_{name}"] = _assessment(patient, users["clinician"]).pk
        ids |= _course_rows(name, patient)
    return {"users": users, "own": own, "sibling": sibling, "foreign": foreign, "ids": ids}


def _portal_rows(name: str, patient: Patient) -> dict[str, int]:
    now = timezone.now()
    schedule = QuestionnaireSchedule.objects.create(
        patient=patient, instrument="phq9", every_days=7, start=date(2025, 1, 1)
    )
    thread = Thread.objects.create(
        patient=patient, subject=f"T-{name}", created_at=now, last_message_at=now
    )
    report = ConcernReport.objects.create(
        patient=patient, kind="concern", what="w", severity="mild", since=date(2025, 1, 1),
        self_harm_thoughts=False, created_at=now,
    )  # fmt: skip
    notice = SafetyNotice.objects.create(
        patient=patient, source="report", detail="d", created_at=now
    )
    question = VisitQuestion.objects.create(patient=patient, text="q", created_at=now)
    return {
        f"schedule_{name}": schedule.pk, f"thread_{name}": thread.pk,
        f"report_{name}": report.pk, f"notice_{name}": notice.pk, f"question_{name}": question.pk,
    }  # fmt: skip


def _course_rows(name: str, patient: Patient) -> dict[str, int]:
    """A course with a clean draft, a blocked draft and a signed session (by the system)."""
    system = Actor(user=None)
    course = plan_course(patient=patient, protocol_id=ESKETAMINE, start=START, by=system)
    signed = record_session(course=course, values=GOOD, by=system)
    sign_session(session=signed, by=system)
    draft = record_session(course=course, values=GOOD, by=system)
    blocked = record_session(course=course, values=HIGH_BP, by=system)
    return {
        f"course_{name}": course.pk, f"signed_{name}": signed.pk, f"draft_{name}": draft.pk,
        f"blocked_{name}": blocked.pk,
    }  # fmt: skip


def _assessment(patient: Patient, clinician: User | None) -> Assessment:
    return record_assessment(
        patient=patient, instrument="phq9", answers={"items": [1] * 9},
        administered_on=date(2025, 1, 15), by=Actor(user=clinician), source=Source.CLINICIAN,
    )  # fmt: skip


def _portal_state() -> tuple[int, ...]:
    return (
        Message.objects.count(), Thread.objects.count(), QuestionnaireSchedule.objects.count(),
        Invitation.objects.count(), ConcernReport.objects.count(),
        VisitQuestion.objects.filter(done_at__isnull=True).count(),
        ConcernReport.objects.filter(acknowledged_at__isnull=False).count(),
        SafetyNotice.objects.filter(acknowledged_at__isnull=False).count(),
        QuestionnaireSchedule.objects.filter(active=True).count(),
    )  # fmt: skip


def _body(route: Route, world: dict[str, Any]) -> dict[str, Any]:
    """The route's body, with the own patient's current history revision filled in."""
    stored = ClinicalProfile.objects.filter(patient=world["own"]).first()
    revision = history_doc.revision(stored.history if stored else None)
    return {k: revision if v == REVISION else v for k, v in (route.body or {}).items()}


def _fhir_body(route: Route, world: dict[str, Any]) -> str:
    from tests.interop.rest import phq9_response
    from trdnav.interop.base import CANONICAL
    from trdnav.interop.medication import DRUG_CODES

    body = route.body or {}
    subject = int(str(body["subject"]).format(**world["ids"]))
    if not body.get("trial"):
        return json.dumps(phq9_response(subject, [1] * 9, authored=date(2025, 2, 1)))
    return json.dumps({
        "resourceType": "MedicationStatement", "status": "completed",
        "identifier": [{"system": f"{CANONICAL}/NamingSystem/treatment", "value": "fhir-9"}],
        "medicationCodeableConcept": {"coding": [{"system": DRUG_CODES, "code": "sertraline"}]},
        "subject": {"reference": f"Patient/{subject}"},
        "effectivePeriod": {"start": "2025-01-05", "end": "2025-03-30"},
        "reasonReference": [{"reference": f"Condition/{subject}-episode-current"}],
        "dosage": [{"timing": {"repeat": {"boundsPeriod": {"start": "2025-01-05"}}},
                    "doseAndRate": [{"doseQuantity": {"value": 100}}]}],
    })  # fmt: skip


def _call_fhir(client: Client, route: Route, world: dict[str, Any], url: str) -> Any:
    """With the role's own API token (issued here; a patient's does not authenticate)."""
    from trdnav.accounts.tokens import issue_token

    user = client.session.get("_auth_user_id")
    client.logout()
    headers: dict[str, Any] = {}
    if user is not None:
        owner = User.objects.get(pk=user)
        headers["HTTP_AUTHORIZATION"] = (
            "Bearer " + issue_token(user=owner, name="matrix", by=Actor(user=owner))[1]
        )
    if route.method == "get":
        return client.get(url, **headers)
    return client.post(
        url, _fhir_body(route, world), content_type="application/fhir+json", **headers
    )


def _call(client: Client, route: Route, world: dict[str, Any]) -> Any:
    url = route.url.format(**world["ids"])
    if route.fhir:
        return _call_fhir(client, route, world, url)
    if route.api:
        return getattr(client, route.method)(url, route.body, content_type="application/json")
    return getattr(client, route.method)(url, _body(route, world))


def _assert_outcome(response: Any, expected: Any) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def _stored() -> tuple[Any, ...]:
    patients = {p.pk: (p.family_name, p.email, p.record_number) for p in Patient.objects.all()}
    profiles = sorted(ClinicalProfile.objects.values_list("patient_id", "facts", "history"))
    courses = sorted(Course.objects.values_list("pk", "status"))
    sessions = sorted(TreatmentSession.objects.values_list("pk", "state", "values"))
    course_rows = (
        SessionOverride.objects.count(), SessionAmendment.objects.count(),
        RemsReport.objects.filter(submitted_at__isnull=False).count(),
    )  # fmt: skip
    return (
        patients, Assessment.objects.count(), profiles, HistorySnapshot.objects.count(),
        courses, sessions, course_rows,
    )  # fmt: skip


@pytest.mark.parametrize(("role", "route", "expected"), CASES)
def test_each_role_reaches_exactly_what_it_may(
    client: Client, world: dict[str, Any], role: str, route: Route, expected: Any
) -> None:
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = _stored()
    portal_before = _portal_state()
    response = _call(client, route, world)
    _assert_outcome(response, expected)
    if expected in (403, 404, 401, "login") and route.writes:
        assert _stored() == before, "a refused write changed stored data"
        assert _portal_state() == portal_before, "a refused write changed portal data"
    if expected in (200, 201, 302, 400) and "{own}" in route.url:
        assert AuditEvent.objects.filter(actor=user, patient_id=world["own"].pk).exists()
    if response.status_code == 200:
        assert b"S-001" not in response.content, "another clinic's patient leaked"
    if role == "patient" and response.status_code == 200:
        assert b"N-002" not in response.content, "another patient's record leaked"


def test_the_table_covers_every_route_and_role() -> None:
    assert set(EXPECTED) == {route.name for route in ROUTES}
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


# Routes outside the matrix, each with the reason. Every other route the URL resolver knows —
# the API's included, method by method — must have a row above.
UNMATRIXED = {
    "admin/": "Django's admin site: its own staff checks; no clinic data is registered in it",
    "accounts/login/": "the log-in page itself, open to everyone by design",
    "accounts/logout/": "ends the caller's own session; no data",
    "accounts/mfa/webauthn/": "the WebAuthn library's ceremony endpoints (tests/accounts)",
    "healthz": "liveness probe for the load balancer, open by design, no data",
    "favicon.ico": "a redirect to a static file",
}
ANY = "*"


def _patterns(patterns: list[Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.add(prefix + str(pattern.pattern))
    return found


def _required(urlconf: str | None = None) -> set[tuple[str, str]]:
    """Every (route, method) the resolver serves: the API's per method from its schema."""
    api_methods: dict[str, set[str]] = {}
    for api_path, operations in API.get_openapi_schema()["paths"].items():
        route = api_path.lstrip("/").replace("{", "<").replace("}", ">")
        api_methods[route] = set(operations)
    required: set[tuple[str, str]] = set()
    for route in _patterns(get_resolver(urlconf).url_patterns):
        if any(route.startswith(prefix) for prefix in UNMATRIXED):
            continue
        for method in api_methods.get(route, {ANY}):
            required.add((route, method))
    return required


def _covered(urlconf: str | None = None) -> set[tuple[str, str]]:
    covered: set[tuple[str, str]] = set()
    for route in ROUTES:
        url = route.url.format_map(_AnyId()).split("?", 1)[0]
        pattern = resolve(url, urlconf).route
        covered |= {(pattern, route.method), (pattern, ANY)}
    return covered


class _AnyId(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "1"


def _missing(urlconf: str | None = None) -> list[tuple[str, str]]:
    return sorted(_required(urlconf) - _covered(urlconf))


def test_every_route_the_resolver_knows_has_a_row_in_the_matrix() -> None:
    assert _missing() == [], "routes without a row in the authorisation matrix"


def test_the_allowlist_names_only_routes_that_exist() -> None:
    routes = _patterns(get_resolver().url_patterns)
    for prefix in UNMATRIXED:
        assert any(route.startswith(prefix) for route in routes), prefix


def _unlisted(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse()


# A URLconf with one route more than the site's, for the test below.
urlpatterns = [*get_resolver().url_patterns, path("unlisted/<int:pk>/", _unlisted)]


def test_a_route_added_without_a_row_fails_the_walk() -> None:
    assert _missing(__name__) == [("unlisted/<int:pk>/", ANY)]
