from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import ApiToken, User
from trdnav.accounts.tokens import digest_of, issue_token, revoke_token, user_for_token
from trdnav.audit.models import Action, AuditEvent
from trdnav.audit.services import Actor


def test_a_token_is_stored_only_as_a_digest(clinician: User) -> None:
    token, raw = issue_token(user=clinician, name="export", by=Actor(user=clinician))
    assert raw.startswith("trd_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == digest_of(raw)
    assert raw not in (stored.digest, stored.prefix, stored.name)
    assert AuditEvent.objects.filter(action=Action.TOKEN_ISSUED, object_id=str(token.pk)).exists()


def test_a_token_authenticates_its_owner_and_notes_its_last_use(clinician: User) -> None:
    token, raw = issue_token(user=clinician, name="export", by=Actor(user=clinician))
    assert user_for_token(raw) == clinician
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(clinician: User) -> None:
    token, raw = issue_token(user=clinician, name="export", by=Actor(user=clinician))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        user_for_token(raw)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(minutes=2)


def test_a_revoked_token_or_inactive_owner_authenticates_no_one(clinician: User) -> None:
    token, raw = issue_token(user=clinician, name="export", by=Actor(user=clinician))
    _, other_raw = issue_token(user=clinician, name="other", by=Actor(user=clinician))
    revoke_token(token=token, by=Actor(user=clinician))
    assert user_for_token(raw) is None
    assert AuditEvent.objects.filter(action=Action.TOKEN_REVOKED).count() == 1
    clinician.is_active = False
    clinician.save()
    assert user_for_token(other_raw) is None
    assert user_for_token("trd_made-up") is None and user_for_token("") is None


def test_the_tokens_page_shows_a_new_token_once(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    response = client.post("/accounts/tokens/", {"name": "research script"})
    raw = response.context["new_token"]
    assert raw.encode() in response.content
    assert raw.encode() not in client.get("/accounts/tokens/").content


def test_a_token_without_a_name_is_refused_and_not_stored(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    response = client.post("/accounts/tokens/", {"name": "   "})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert not ApiToken.objects.exists()


def test_a_user_cannot_revoke_someone_elses_token(
    client: Client, clinician: User, staff: User
) -> None:
    token, _ = issue_token(user=staff, name="mine", by=Actor(user=staff))
    client.force_login(clinician)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(staff)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
