"""The clinic settings hub: the clinic admin's one entry to the clinic's settings."""

from __future__ import annotations

import pytest
from django.test import Client

from trdnav.accounts.models import User


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_hub_lists_both_sections_and_links_each_page(clinic_admin: User) -> None:
    html = _login(clinic_admin).get("/clinic/settings/").content.decode()
    assert "<h1>Clinic settings" in html
    assert "Crisis help for patients" in html
    assert "No numbers set: patients are told to call their local emergency number" in html
    assert 'href="/portal/care/crisis-help/"' in html
    assert "Worsening rule for the dashboard" in html
    assert "(recommended)" in html  # the default rule, as the dashboard uses it
    assert 'href="/safety/settings/"' in html
    # The clinic's other settings, set outside the app, shown as they stand.
    assert "Staff may sign a treatment session over a blocking check" in html


@pytest.mark.django_db
def test_the_navigation_has_one_clinic_settings_entry_for_the_admin(clinic_admin: User) -> None:
    html = _login(clinic_admin).get("/dashboard/").content.decode()
    assert html.count('<a href="/clinic/settings/">Clinic settings</a>') == 1
    assert '<a href="/portal/care/crisis-help/">' not in html
    assert '<a href="/safety/settings/">' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/portal/care/crisis-help/", "/safety/settings/"])
def test_each_section_page_links_back_to_the_hub(clinic_admin: User, page: str) -> None:
    html = _login(clinic_admin).get(page).content.decode()
    assert '<a href="/clinic/settings/">← Clinic settings</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["clinician", "staff"])
def test_the_hub_is_refused_to_clinicians_and_staff(
    member: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(member)
    client = _login(user)
    assert client.get("/clinic/settings/").status_code == 403
    assert "/clinic/settings/" not in client.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_patients_cannot_reach_the_hub(patient_user: User) -> None:
    client = _login(patient_user)
    assert client.get("/clinic/settings/").status_code == 403
    assert "/clinic/settings/" not in client.get("/portal/").content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/clinic/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
