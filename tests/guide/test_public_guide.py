"""The public treatment guide (docs/public-guide.md): open without log-in, grouped the way
patients think, plain words only, one notice for unchecked figures, pictures with text
alternatives, branded per clinic, and unknown clinics or treatments are 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.core.knowledge.test_patient_cards import EDITORIAL_MARKERS
from tests.factories import make_clinic
from trdnav.core.knowledge import load_therapies
from trdnav.core.knowledge.patient_guide import load_patient_guide
from trdnav.portal.models import CrisisGuidance

pytestmark = pytest.mark.django_db
THROUGH_LINE = "If one treatment does not work, there are others."
# Words of the evidence file's bookkeeping that a patient must never read.
BOOKKEEPING = (*EDITORIAL_MARKERS, "evidence_notes", "evidence file", "unverified", "marker")


def _text(response: object) -> str:
    content = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content))


def test_the_guide_lists_every_treatment_once_under_its_group_in_page_order(client: Client) -> None:
    response = client.get("/guide/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = [g.title for g in load_patient_guide().groups]
    positions = [html.index(f">{title}</h2>") for title in titles]
    assert positions == sorted(positions)
    for shown in load_patient_guide().therapies.values():
        assert html.count(f">{shown.title}</a>") == 1, shown.therapy_id
        assert shown.summary in html
    assert THROUGH_LINE in _text(response)
    assert "Treatments for depression that has not got better" in html


def test_no_page_of_the_guide_shows_editorial_notes_or_internal_codes(client: Client) -> None:
    urls = ["/guide/", "/guide/self-check/"] + [
        f"/guide/treatments/{therapy_id}/" for therapy_id in load_therapies().therapies
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response).lower()
        found = [word for word in BOOKKEEPING if word in text]
        assert not found, (url, found)
        assert "kb-" not in text and "P-G" not in _text(response), url


def test_a_treatment_page_uses_the_patient_card_with_pictures_and_text_alternatives(
    client: Client,
) -> None:
    ketamine = client.get("/guide/treatments/ketamine_iv/")
    html = ketamine.content.decode()
    card = load_therapies().therapy("ketamine_iv").patient
    assert card.how_it_works in html and card.session in html
    assert "<h1>Ketamine drip (infusion)</h1>" in html
    assert "Medical name: Intravenous ketamine infusions" in html
    assert "<strong>55 in 100</strong> people improved a lot with ketamine" in html
    assert 'role="img" aria-labelledby="icons-1"' in html
    assert html.count('class="on"') == 55 + 41  # two icon arrays: ketamine and ECT
    esketamine = client.get("/guide/treatments/esketamine/").content.decode()
    assert "2 visits a week for 4 weeks, then 1 visit a week for 4 weeks" in esketamine
    assert esketamine.count('class="visit"') == 2 * 4 + 1 * 4
    assert THROUGH_LINE in _text(ketamine)


def test_uncertain_weeks_of_a_course_are_drawn_as_if_needed(client: Client) -> None:
    html = client.get("/guide/treatments/rtms/").content.decode()
    assert "5 sessions a week for 4 weeks (sometimes up to 6)" in html
    assert html.count("week phase-1 if-needed") == 2


def test_one_plain_notice_when_a_card_leaves_out_unchecked_figures(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = "have not yet been checked against their original source"
    assert notice not in client.get("/guide/treatments/ect/").content.decode()
    monkeypatch.setattr("trdnav.guide.pages.leaves_out_unverified", lambda therapy: True)
    assert client.get("/guide/treatments/ect/").content.decode().count(notice) == 1


def test_unknown_treatments_and_clinics_are_not_found(client: Client) -> None:
    make_clinic("north")
    for url in (
        "/guide/treatments/no-such-thing/",
        "/guide/nowhere/",
        "/guide/nowhere/self-check/",
        "/guide/nowhere/treatments/ect/",
        "/guide/north/treatments/no-such-thing/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/guide/nowhere/self-check/", {"item9": "1"}).status_code == 404


def test_the_site_guide_shows_the_default_crisis_guidance(client: Client) -> None:
    text = _text(client.get("/guide/"))
    assert "call your local emergency number" in text
    assert 'href="#help"' in client.get("/guide/").content.decode()


def test_a_clinic_guide_carries_its_name_and_its_crisis_numbers(client: Client) -> None:
    north = make_clinic("north")
    CrisisGuidance.objects.create(
        clinic=north, text="Call our duty line, day or night.",
        phone_numbers="Duty line: 0100 200 300\n112",
    )  # fmt: skip
    make_clinic("south")  # no guidance of its own: the default
    for url in ("/guide/north/", "/guide/north/self-check/", "/guide/north/treatments/ect/"):
        html = client.get(url).content.decode()
        assert "North Clinic" in html, url
        assert "Call our duty line, day or night." in html
        assert 'href="tel:0100200300"' in html and 'href="tel:112"' in html
    index = client.get("/guide/north/").content.decode()
    assert 'href="/guide/north/treatments/ect/"' in index
    assert 'href="/guide/north/self-check/"' in index
    south = _text(client.get("/guide/south/"))
    assert "South Clinic" in south and "call your local emergency number" in south


def test_the_guide_pages_are_read_only(client: Client) -> None:
    assert client.post("/guide/").status_code == 405
    assert client.post("/guide/treatments/ect/").status_code == 405


def test_the_guide_pages_carry_the_security_headers(client: Client) -> None:
    for url in ("/guide/", "/guide/treatments/ect/", "/guide/self-check/"):
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
    posted = client.post("/guide/self-check/", {"item9": "1"})
    assert "no-store" in posted["Cache-Control"]
    assert "<script>" not in posted.content.decode()  # no inline script: CSP forbids it


def test_each_page_has_one_main_landmark_one_h1_and_labelled_sections(client: Client) -> None:
    for url in ("/guide/", "/guide/treatments/snt/", "/guide/self-check/"):
        html = client.get(url).content.decode()
        assert html.count("<main") == 1 and html.count("<h1") == 1, url
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert 'aria-labelledby="help-title"' in html
