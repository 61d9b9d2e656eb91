"""Words, not codes (P-WD1): the pages a person reads outside the chart and the dashboard —
treatment history and its editor, the clinical profile, the assessments, the patient portal —
never show an internal code: no snake_case code (``moderately_severe``, ``thase_rush``), no
squashed status (``alreadyfailed``), no knowledge-base id (``kb-…``), no policy or source key
written into the text (``P-B13``, ``S25``), no adequacy-profile key (``usual_minimum``).

Keys may appear in the footnotes that explain them (``#policy-notes``), and in attributes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from trdnav.accounts.models import User
from trdnav.clinical.services import profile_of
from trdnav.clinical.words import (
    band_words,
    drug_name,
    episode_name,
    month_span,
    stage_words,
    staging_model_name,
    treatment_name,
)
from trdnav.core.knowledge.therapies import load_therapies
from trdnav.demo import load_demo_data
from trdnav.history import document as hd
from trdnav.patients.models import Patient

CODES = (
    re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b"),  # any snake_case code
    re.compile(r"\balreadyfailed\b", re.IGNORECASE),
    re.compile(r"\bkb-[0-9a-f]{6,}\b"),
    re.compile(r"\bP-[A-Z]{1,3}\d+[a-z]?\b"),
    re.compile(r"\bS\d{1,3}\b"),
    re.compile(r"\bPMID\b"),
)
# Editorial notes must not reach a patient ("Not checked" is a clinician's profile answer).
EDITORIAL = re.compile(r"recalled from memory|not checked|from memory|unverified", re.IGNORECASE)
FOOTNOTES = {"policy-notes", "sources"}  # the notes that name the keys they explain
SKIPPED = {"script", "style", "datalist", "textarea"}


class _Text(HTMLParser):
    """The words on a page, without the footnotes section (which names the keys it explains)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in SKIPPED or dict(attrs).get("id") in FOOTNOTES:
            self.skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}


def visible_text(html: str) -> str:
    parser = _Text()
    parser.handle_startendtag = lambda tag, attrs: None  # type: ignore[method-assign]
    for tag in VOID:
        html = re.sub(rf"<{tag}\b[^>]*>", " ", html)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def codes_in(html: str, *, patient: bool = False) -> list[str]:
    text = visible_text(html)
    patterns = (*CODES, EDITORIAL) if patient else CODES
    return sorted({m[0] for pattern in patterns for m in pattern.finditer(text)})


def test_the_vocabulary_names_what_the_codes_stand_for() -> None:
    assert staging_model_name("thase_rush") == "Thase–Rush"
    assert stage_words("non_responder") == "non-responder"
    assert band_words("moderately_severe") == "moderately severe"
    assert drug_name("bupropion_sr") == "bupropion SR"
    assert month_span("2019-03-04", "2019-09-30") == "Mar 2019 – Sep 2019"
    assert month_span("2024-01-10") == "Jan 2024 – ongoing"
    trial = {"kind": "antidepressant", "drug": "fluoxetine", "start": "2019-03-04"}
    assert treatment_name({**trial, "end": "2019-09-30"}) == (
        "fluoxetine trial (Mar 2019 – Sep 2019)"
    )
    assert episode_name({"start": "2024-01-10"}) == "episode Jan 2024 – ongoing"


def test_the_template_filters_name_codes_for_any_page() -> None:
    page = Template(
        "{% load words %}{{ 'thase_rush'|staging_model }}; {{ 'non_responder'|stage }}; "
        "{{ 'moderately_severe'|band }}; {{ 'already_failed'|status }}; "
        "{{ 'aneurysm_or_avm'|fact }}; {{ 'bupropion_sr'|drug }}; {{ item|treatment_name }}; "
        "{{ episode|episode_name }}; {{ '2019-03-04'|month_span:'2019-09-30' }}; "
        "{{ 'maoi_current'|plain }}"
    ).render(
        Context(
            {
                "item": {"kind": "ect", "start": "2020-01-02"},
                "episode": {"start": "2024-01-10", "end": "2024-06-01"},
            }
        )
    )
    assert page == (
        "Thase–Rush; non-responder; moderately severe; already tried without success; "
        "Aneurysm or arteriovenous malformation; bupropion SR; ECT course (Jan 2020 – ongoing); "
        "episode Jan 2024 – Jun 2024; Mar 2019 – Sep 2019; maoi current"
    )


def test_the_text_reader_finds_a_code_and_ignores_footnotes_and_attributes() -> None:
    page = (
        '<p data-v="kb-0123456789ab">Band: moderately_severe (P-B13)</p>'
        '<section id="policy-notes"><ol><li>Clinical policy P-B13</li></ol></section>'
    )
    assert codes_in(page) == ["P-B13", "moderately_severe"]


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_the_pages_a_person_reads_show_words_not_codes(client: Client) -> None:
    load_demo_data(progress=lambda _: None, as_of=timezone.localdate())
    found: dict[str, list[str]] = {}

    client.force_login(User.objects.get(username="demo-clinician"))
    for patient in Patient.objects.filter(record_number__startswith="DEMO-").order_by("pk")[:6]:
        base = f"/patients/{patient.pk}"
        urls = [f"{base}/history/", f"{base}/assessments/", f"{base}/clinical/"]
        doc = profile_of(patient).history
        for index in range(len(hd.ids(doc, "treatments"))):
            urls += [
                f"{base}/history/treatments/{index}/",
                f"{base}/history/treatments/{index}/remove/",
            ]
        for index in range(len(hd.ids(doc, "episodes"))):
            urls.append(f"{base}/history/episodes/{index}/")
        for url in urls:
            if codes := codes_in(_get(client, url)):
                found[url] = codes

    client.force_login(User.objects.get(username="demo-patient"))
    portal = ["/portal/", "/portal/help-now/", "/portal/progress/", "/portal/treatments/"]
    portal += [f"/portal/treatments/{t}/" for t in load_therapies().therapies]
    portal += ["/portal/courses/", "/portal/reports/", "/portal/messages/", "/portal/visit/"]
    for url in portal:
        if codes := codes_in(_get(client, url), patient=True):
            found[url] = codes

    assert not found, "\n".join(f"{url}: {codes}" for url, codes in found.items())


# The chart's own codes (review finding D6): an evidence grade written as its key ("Evidence
# (trd rct strong)"), a treatment detail as its code ("rtms (TMS)"), an evidence kind key.
CHART_CODES = (
    re.compile(r"\b(?:trd|mdd)[ _]rct[ _]\w+\b"),
    re.compile(r"\b(?:rtms|itbs|deep tms|accelerated itbs)\b"),
    re.compile(r"\b(?:cbt|cbasp|mbct|dbt|ipt)\b"),
)


def chart_codes_in(html: str) -> list[str]:
    text = visible_text(html)
    found = {m[0] for pattern in CHART_CODES for m in pattern.finditer(text)}
    return sorted(found | set(codes_in(html)))


@pytest.mark.django_db
def test_the_chart_and_its_printed_form_show_words_not_codes(client: Client) -> None:
    """The chart page (its printed form is the same HTML under print CSS) of every demo
    patient, as the clinician and as the nurse read it."""
    load_demo_data(progress=lambda _: None, as_of=timezone.localdate())
    found: dict[str, list[str]] = {}
    for username in ("demo-clinician", "demo-nurse"):
        client.force_login(User.objects.get(username=username))
        for patient in Patient.objects.filter(record_number__startswith="DEMO-").order_by("pk"):
            for url in (f"/patients/{patient.pk}/", f"/patients/{patient.pk}/?range=1y"):
                if codes := chart_codes_in(_get(client, url)):
                    found[f"{username} {url}"] = codes
    assert not found, "\n".join(f"{url}: {codes}" for url, codes in found.items())


def test_the_chart_reader_finds_the_chart_codes() -> None:
    page = "<p>Evidence (trd rct strong)</p><p>rtms (TMS)</p><p>S12</p>"
    assert chart_codes_in(page) == ["S12", "rtms", "trd rct strong"]
