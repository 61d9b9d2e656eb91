"""The logged-in navigation links the rating instruments for the clinic's members (D25)."""

from __future__ import annotations

import pytest
from django.test import Client

from trdnav.accounts.models import User


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["clinician", "clinic_admin", "staff"])
def test_clinic_members_see_the_instruments_link(
    client: Client, member: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(member)
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    assert '<a href="/instruments/">Instruments</a>' in html
    assert 'src="/static/trdnav/site.js"' in html
