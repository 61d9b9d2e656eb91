"""Help now in every portal header, a general help page, crisis numbers set by the clinic admin
as tap-to-call buttons, grouped treatment pages, no message to a patient without a login, and
"there are others" after a course without response (P-PH1 to P-PH6)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_patient
from trdnav.accounts.models import Clinic, User
from trdnav.audit.models import AuditEvent
from trdnav.core.knowledge.patient_guide import load_patient_guide
from trdnav.courses.models import Course, CourseStatus
from trdnav.patients.models import Patient
from trdnav.portal.models import CrisisGuidance, QuestionnaireSchedule, Thread
from trdnav.portal.services.crisis_help import number_problem, tel_value

pytestmark = pytest.mark.django_db

PORTAL_PAGES = (
    "/portal/",
    "/portal/progress/",
    "/portal/courses/",
    "/portal/treatments/",
    "/portal/treatments/ect/",
    "/portal/reports/",
    "/portal/messages/",
    "/portal/visit/",
    "/portal/help-now/",
)
FLAGGED = "You said you have had thoughts of harming yourself"


@pytest.fixture
def as_patient(client: Client, patient_user: User) -> Client:
    client.force_login(patient_user)
    return client


def _answers(values: list[int]) -> dict[str, str]:
    return {f"item{i + 1}": str(v) for i, v in enumerate(values)}


def test_every_portal_page_starts_its_header_with_help_now(as_patient: Client) -> None:
    for url in PORTAL_PAGES:
        page = as_patient.get(url).content.decode()
        nav = page[page.index('<nav aria-label="Main">') :]
        first_link = re.search(r"<a [^>]*>([^<]+)</a>", nav)
        assert first_link is not None and first_link[1] == "Help now", url
        assert 'href="/portal/help-now/"' in nav, url


def test_help_now_from_the_header_is_general_and_after_a_flagged_answer_says_why(
    as_patient: Client, patient: Patient, clinician: User
) -> None:
    general = as_patient.get("/portal/help-now/").content.decode()
    assert "<h1>Help now</h1>" in general
    assert FLAGGED not in general
    assert "Your clinic has not set its crisis numbers here yet" in general

    schedule = QuestionnaireSchedule.objects.create(
        patient=patient,
        instrument="phq9",
        every_days=7,
        start=timezone.localdate(),
        created_by=clinician,
    )
    sent = as_patient.post(f"/portal/questionnaires/{schedule.pk}/", _answers([0] * 8 + [2]))
    assert sent["Location"] == "/portal/help-now/"
    assert FLAGGED in as_patient.get("/portal/help-now/").content.decode()
    assert FLAGGED not in as_patient.get("/portal/help-now/").content.decode()  # once only


def test_dialable_numbers_and_their_tel_values() -> None:
    assert tel_value("+44 (0)20 7946-0000") == "+4402079460000"
    assert tel_value("112") == "112"
    assert number_problem("112") is None
    assert number_problem("+1 (555) 010-9999") is None
    assert number_problem("call 112") is not None
    assert number_problem("12") is not None  # too few digits
    assert number_problem("1" * 16) is not None  # more than E.164 allows
    assert number_problem("12+34") is not None


def test_the_clinic_admin_sets_numbers_and_the_patient_gets_tap_to_call_buttons(
    client: Client, clinic_admin: User, patient_user: User
) -> None:
    client.force_login(clinic_admin)
    page = client.get("/portal/care/crisis-help/")
    assert page.status_code == 200
    form = {
        "text": "",
        "label_1": "Emergency services",
        "number_1": "112",
        "label_2": "Clinic duty line",
        "number_2": "+1 (555) 010-9999",
    }
    saved = client.post("/portal/care/crisis-help/", form)
    assert saved.status_code == 302
    client.post("/portal/care/crisis-help/", form)  # sent twice: one row, updated in place
    assert CrisisGuidance.objects.count() == 1
    events = AuditEvent.objects.filter(object_type="crisis_guidance", action="update")
    assert events.count() == 2
    assert "112" not in " ".join(events.values_list("summary", flat=True))

    client.force_login(patient_user)
    help_page = client.get("/portal/help-now/").content.decode()
    assert 'class="call" href="tel:112"' in help_page
    assert 'href="tel:+15550109999"' in help_page
    assert "call your local emergency number" in help_page  # the default words stay


def test_bad_numbers_are_refused_in_plain_words_and_nothing_is_stored(
    client: Client, clinic_admin: User
) -> None:
    client.force_login(clinic_admin)
    refused = client.post(
        "/portal/care/crisis-help/",
        {"label_1": "", "number_1": "call me", "label_2": "Night line", "number_2": ""},
    )
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert "Use digits only" in " ".join(errors["number_1"])
    assert "Enter number 2" in " ".join(errors["number_2"])
    assert CrisisGuidance.objects.count() == 0


@pytest.mark.parametrize("role_user", ["clinician", "staff"])
def test_only_the_clinic_admin_sets_crisis_help(
    client: Client, role_user: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(role_user))
    assert client.get("/portal/care/crisis-help/").status_code == 403
    assert client.post("/portal/care/crisis-help/", {"number_1": "112"}).status_code == 403


def test_each_clinic_sets_its_own(client: Client, clinic_admin: User, other_clinic: Clinic) -> None:
    client.force_login(clinic_admin)
    client.post("/portal/care/crisis-help/", {"label_1": "Emergency", "number_1": "112"})
    assert CrisisGuidance.objects.get().clinic == clinic_admin.membership.clinic


def test_treatments_are_grouped_as_the_public_guide_groups_them(as_patient: Client) -> None:
    page = as_patient.get("/portal/treatments/").content.decode()
    titles = [group.title for group in load_patient_guide().groups]
    positions = [page.index(f">{title}</h2>") for title in titles]
    assert positions == sorted(positions)
    assert "If one treatment does not work, there are others." in page
    ect = as_patient.get("/portal/treatments/ect/").content.decode()
    assert 'id="sources"' in ect
    assert "If one treatment does not work, there are others." in ect


def test_no_message_to_a_patient_without_a_portal_login(
    client: Client, clinician: User, clinic: Clinic
) -> None:
    no_login = make_patient(clinic, "N-NOLOGIN")
    client.force_login(clinician)
    panel = client.get(f"/portal/care/patients/{no_login.pk}/").content.decode()
    assert "has no portal login" in panel
    assert "Send to the patient" not in panel
    refused = client.post(
        f"/portal/care/patients/{no_login.pk}/messages/", {"subject": "Hello", "body": "Hi"}
    )
    assert refused.status_code == 400
    assert "has no portal login" in refused.content.decode()
    assert Thread.objects.count() == 0


def test_progress_says_there_are_others_after_a_course_without_response(
    as_patient: Client, patient: Patient
) -> None:
    assert "there are others" not in as_patient.get("/portal/progress/").content.decode()
    ended = timezone.localdate() - timedelta(days=3)
    Course.objects.create(
        patient=patient,
        protocol_id="rtms_10hz",
        protocol_name="TMS",
        knowledge_version="test",
        status=CourseStatus.COMPLETED,
        start_date=ended - timedelta(days=40),
        planned_sessions=30,
        ended_on=ended,
        outcome={"outcome": "none"},
    )
    page = as_patient.get("/portal/progress/").content.decode()
    assert "If one treatment does not work, there are others" in page
    assert "Your TMS course ended on" in page
