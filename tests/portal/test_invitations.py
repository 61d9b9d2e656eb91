"""Invitations: one-time, expiring, stored hashed; accepting links the login to the record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import make_member
from trdnav.accounts.models import Clinic, Role, User
from trdnav.audit.models import AuditEvent
from trdnav.audit.services import Actor
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.portal.models import Invitation
from trdnav.portal.services import invitations
from trdnav.portal.services.invitations import (
    INVALID_LINK,
    accept_invitation,
    digest_of,
    invite_patient,
    send_invitation,
)

GOOD_PASSWORD = "a long unusual passphrase 42"


@pytest.fixture
def actor(clinician: User, clinic: Clinic) -> Actor:
    return Actor(user=clinician, clinic=clinic)


def test_the_token_is_stored_only_as_its_digest(patient: Patient, actor: Actor) -> None:
    invitation, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    assert invitation.digest == digest_of(token)
    assert not Invitation.objects.filter(digest=token).exists()
    assert AuditEvent.objects.filter(
        object_type="portal_invitation", patient_id=patient.pk
    ).exists()


def test_the_invitation_mail_holds_the_link_and_no_health_information(
    patient: Patient, actor: Actor
) -> None:
    invitation, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    send_invitation(
        invitation=invitation,
        link=f"http://x/portal/invitation/{token}/",
        clinic_name="North Clinic",
    )
    assert len(mail.outbox) == 1
    assert token in mail.outbox[0].body
    assert mail.outbox[0].to == ["alex@example.org"]
    assert patient.family_name not in mail.outbox[0].body
    assert "depress" not in mail.outbox[0].body.lower()


def test_accepting_creates_a_patient_login_linked_to_the_record(
    patient: Patient, actor: Actor
) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    user = accept_invitation(
        token=token, username="alex", password=GOOD_PASSWORD, by=Actor(user=None)
    )
    patient.refresh_from_db()
    assert patient.user == user
    assert user.membership.role == Role.PATIENT
    assert user.membership.clinic_id == patient.clinic_id
    assert user.check_password(GOOD_PASSWORD)


def test_an_invitation_works_only_once(patient: Patient, actor: Actor) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    accept_invitation(token=token, username="alex", password=GOOD_PASSWORD, by=Actor(user=None))
    with pytest.raises(InvalidInput, match="not valid"):
        accept_invitation(
            token=token, username="alex2", password=GOOD_PASSWORD, by=Actor(user=None)
        )
    assert User.objects.filter(username="alex2").count() == 0


def test_an_invitation_expires_after_seven_days_by_default(patient: Patient, actor: Actor) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
        traveller.shift(timedelta(days=7, seconds=-1))
        assert Client().get(f"/portal/invitation/{token}/").status_code == 200
        traveller.shift(timedelta(seconds=2))
        assert Client().get(f"/portal/invitation/{token}/").status_code == 404
        with pytest.raises(InvalidInput) as caught:
            accept_invitation(
                token=token, username="alex", password=GOOD_PASSWORD, by=Actor(user=None)
            )
    assert caught.value.errors[0].message == INVALID_LINK
    patient.refresh_from_db()
    assert patient.user is None


def test_the_lifetime_follows_the_setting(patient: Patient, actor: Actor, settings: object) -> None:
    settings.TRDNAV_INVITATION_DAYS = 2  # type: ignore[attr-defined]
    invitation, _ = invite_patient(patient=patient, email="alex@example.org", by=actor)
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_a_new_invitation_replaces_the_open_one(patient: Patient, actor: Actor) -> None:
    _, first = invite_patient(patient=patient, email="alex@example.org", by=actor)
    invite_patient(patient=patient, email="alex@example.org", by=actor)
    with pytest.raises(InvalidInput):
        accept_invitation(token=first, username="alex", password=GOOD_PASSWORD, by=Actor(user=None))


def test_a_weak_password_stores_nothing(patient: Patient, actor: Actor) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    with pytest.raises(InvalidInput) as weak:
        accept_invitation(token=token, username="alex", password="short", by=Actor(user=None))
    assert {e.field for e in weak.value.errors} == {"password"}
    assert not User.objects.filter(username="alex").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_taken_username_is_not_revealed_a_number_is_added_instead(
    patient: Patient, actor: Actor, clinic: Clinic
) -> None:
    # Changed from "a taken username stores nothing" (with "this username is taken"): that
    # answer let anyone holding one invitation link test which usernames exist (probe D12).
    make_member(clinic, Role.STAFF, "taken")
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    user = accept_invitation(
        token=token, username="Taken", password=GOOD_PASSWORD, by=Actor(user=None)
    )
    assert user.username.startswith("taken-") and user.username[6:].isdigit()
    assert Invitation.objects.get().accepted_at is not None


def test_an_invitation_for_a_patient_with_a_login_resets_its_password(
    patient: Patient, patient_user: User, actor: Actor
) -> None:
    # The reset goes to the login's own address (a clinician cannot redirect it: see below).
    patient_user.email = "alex@example.org"
    patient_user.save(update_fields=["email"])
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    user = accept_invitation(
        token=token, username="ignored", password=GOOD_PASSWORD, by=Actor(user=None)
    )
    assert user == patient_user
    patient_user.refresh_from_db()
    assert patient_user.check_password(GOOD_PASSWORD)


def test_accepting_in_the_browser_form_logs_the_patient_in(patient: Patient, actor: Actor) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    client = Client()
    response = client.post(
        f"/portal/invitation/{token}/",
        {"username": "alex", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_differing_passwords_are_refused_on_the_form(patient: Patient, actor: Actor) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    response = Client().post(
        f"/portal/invitation/{token}/",
        {"username": "alex", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD + "x"},
    )
    assert response.status_code == 400
    assert b"The two passwords differ" in response.content
    assert not User.objects.filter(username="alex").exists()


def test_a_username_taken_between_the_check_and_the_save_gets_a_number_added(
    patient: Patient, actor: Actor, clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two people accepting at the same moment with the same new name: the second one's
    # existence check passed before the first one's row was written. Changed from a field
    # error, which would tell the second person that the name exists.
    make_member(clinic, Role.STAFF, "alex")
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    monkeypatch.setattr(
        invitations, "_login_for", lambda invitation, username: User(username="alex")
    )
    user = accept_invitation(
        token=token, username="alex", password=GOOD_PASSWORD, by=Actor(user=None)
    )
    assert user.username.startswith("alex-")
    assert User.objects.filter(username="alex").count() == 1


def test_a_clinician_cannot_send_an_existing_login_reset_to_another_address(
    patient: Patient, patient_user: User, actor: Actor
) -> None:
    patient_user.email = "alex@example.org"
    patient_user.save(update_fields=["email"])
    with pytest.raises(InvalidInput) as refused:
        invite_patient(patient=patient, email="someone-else@example.org", by=actor)
    assert [e.field for e in refused.value.errors] == ["email"]
    assert not Invitation.objects.exists()
    patient_user.refresh_from_db()
    assert patient_user.email == "alex@example.org"


def test_a_clinic_admin_changes_the_portal_address_and_the_change_is_audited(
    patient: Patient, patient_user: User, clinic_admin: User, clinic: Clinic
) -> None:
    from trdnav.audit.models import AuditEvent

    patient_user.email = "old@example.org"
    patient_user.save(update_fields=["email"])
    admin = Actor(user=clinic_admin, clinic=clinic)
    invitation, _ = invite_patient(patient=patient, email="new@example.org", by=admin)
    patient_user.refresh_from_db()
    assert patient_user.email == invitation.email == "new@example.org"
    event = AuditEvent.objects.get(object_type="portal_login")
    assert (event.actor, event.patient_id, event.action) == (clinic_admin, patient.pk, "update")
    assert "example.org" not in event.summary


def test_the_previous_portal_address_is_told_of_the_change(
    patient: Patient,
    patient_user: User,
    clinic_admin: User,
    clinic: Clinic,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    patient_user.email = "old@example.org"
    patient_user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        invite_patient(
            patient=patient, email="new@example.org", by=Actor(user=clinic_admin, clinic=clinic)
        )
    notice = next(m for m in mailoutbox if m.to == ["old@example.org"])
    assert "changed" in notice.subject and patient.family_name not in notice.body


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Alex", "alex"), ("  ALEX.M ", "alex.m"), ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
     ("Ana-María", "ana-maría"), ("пациент", "пациент")],
)  # fmt: skip
def test_a_chosen_username_is_normalised(typed: str, stored: str) -> None:
    from trdnav.accounts.names import normalise_username

    assert normalise_username(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "demo-clinici\u0430n",  # Cyrillic a in a Latin name
        "\u03b1dmin",  # Greek alpha
        "x\u202egnp.exe",  # right-to-left override
        "bell\u0007",  # control character
        "zero\u200bwidth",  # zero-width space
        "<img src=x onerror=alert(1)>",
        "two words",
        "ab",
    ],
)
def test_a_username_that_could_deceive_or_break_a_page_is_refused(
    patient: Patient, actor: Actor, typed: str
) -> None:
    typed = typed.encode().decode("unicode_escape")
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    with pytest.raises(InvalidInput) as refused:
        accept_invitation(token=token, username=typed, password=GOOD_PASSWORD, by=Actor(user=None))
    assert [e.field for e in refused.value.errors] == ["username"]
    assert "taken" not in refused.value.errors[0].message
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("password", ["Alex Example-N-001", "alexexamplen", "ALEX 2024!", "Alex"])
def test_the_patients_own_name_is_refused_as_a_password(
    patient: Patient, actor: Actor, password: str
) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    with pytest.raises(InvalidInput) as refused:
        accept_invitation(token=token, username="newlogin", password=password, by=Actor(user=None))
    assert any("own name" in e.message for e in refused.value.errors)


def test_a_password_that_only_contains_a_name_among_other_words_is_allowed(
    patient: Patient, actor: Actor
) -> None:
    _, token = invite_patient(patient=patient, email="alex@example.org", by=actor)
    user = accept_invitation(
        token=token, username="newlogin", password="Alex rides purple bicycles",
        by=Actor(user=None),
    )  # fmt: skip
    assert user.check_password("Alex rides purple bicycles")


@pytest.mark.parametrize(
    "failure", [ConnectionRefusedError(111, "refused"), TimeoutError(), OSError("no route")]
)
def test_an_unreachable_mail_server_keeps_the_invitation_and_shows_the_link_instead_of_a_500(
    client: Client,
    clinician: User,
    patient: Patient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    failure: Exception,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise failure

    monkeypatch.setattr(invitations, "send_mail", refuse)
    client.force_login(clinician)
    response = client.post(
        f"/portal/care/patients/{patient.pk}/invite/", {"email": "alex@example.org"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be sent" in page and "/portal/invitation/" in page
    invitation = Invitation.objects.get(patient=patient)
    assert invitation.revoked_at is None and invitation.accepted_at is None
    assert "alex@example.org" not in caplog.text  # the log names the invitation, not the address
