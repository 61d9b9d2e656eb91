from __future__ import annotations

import pytest
from django.test import Client

from trdnav.core.instruments import INSTRUMENT_CODES


@pytest.mark.django_db
def test_the_home_page_links_to_every_instrument_definition(client: Client) -> None:
    page = client.get("/").content.decode()
    for code in INSTRUMENT_CODES:
        assert f'href="/instruments/{code}/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_every_instrument_has_a_definition_page(client: Client, code: str) -> None:
    response = client.get(f"/instruments/{code}/")
    assert response.status_code == 200
    assert b"Licence" in response.content


@pytest.mark.django_db
def test_the_phq9_page_shows_items_bands_thresholds_and_loinc(client: Client) -> None:
    page = client.get("/instruments/phq9/").content.decode()
    assert "thoughts of being better off dead or of self-harm" in page
    assert "moderately severe" in page and "15–19" in page
    assert "Remission (default): total &lt; 5" in page
    assert "44261-6" in page
    # Only the partial-response band is a policy by analogy (A12); everything else is verified.
    assert page.count("badge unverified") == 1
    partial = page.split("Partial response:", 1)[1].split("</li>", 1)[0]
    assert "badge unverified" in partial


@pytest.mark.django_db
def test_a_definition_recalled_from_memory_carries_the_unverified_badge(client: Client) -> None:
    page = client.get("/instruments/pgi_i/").content.decode()
    assert "PGI-I: Patient Global Impression of Improvement" in page
    assert '<span class="badge unverified">unverified</span>' in page


@pytest.mark.django_db
def test_an_unverified_part_of_a_verified_instrument_is_badged(client: Client) -> None:
    page = client.get("/instruments/gad7/").content.decode()
    screening = page.split("Screening cut-offs", 1)[1].split("</ul>", 1)[0]
    assert "unverified" in screening


@pytest.mark.django_db
def test_the_hamd_page_shows_both_named_banding_schemes(client: Client) -> None:
    page = client.get("/instruments/hamd17/").content.decode()
    assert "zimmerman_2013" in page and "cns_forum" in page
    assert "3 = not assessed (scores 0)" in page


@pytest.mark.django_db
def test_the_cssrs_page_shows_no_item_wording(client: Client) -> None:
    page = client.get("/instruments/cssrs_screen/").content.decode().lower()
    assert "screen question 1 (past month)" in page
    for wording in ("wish", "dead", "killing", "intention", "prepar"):
        assert wording not in page


@pytest.mark.django_db
def test_an_unknown_instrument_page_is_not_found(client: Client) -> None:
    assert client.get("/instruments/bdi2/").status_code == 404


@pytest.mark.django_db
def test_the_instrument_index_links_to_every_instrument_definition(client: Client) -> None:
    page = client.get("/instruments/").content.decode()
    for code in INSTRUMENT_CODES:
        assert f'href="/instruments/{code}/"' in page
