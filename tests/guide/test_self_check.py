"""The public PHQ-9 self-check: scored on the server by the core scorer, crisis guidance on a
positive item 9 even when the rest is blank, bad input named by question (never a 500), and
nothing stored — no row of any model, no audit event, no session, no log line with answers."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.factories import make_clinic
from trdnav.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = "/guide/self-check/"
CRISIS = "Please get help now"


def _form(*values: int | str | None) -> dict[str, str]:
    return {f"item{n}": str(v) for n, v in enumerate(values, start=1) if v is not None}


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    ("answers", "total", "words"),
    [
        pytest.param([0] * 9, 0, "few or no symptoms", id="all-zero"),
        pytest.param([1] * 8 + [0], 8, "mild symptoms", id="mild"),
        pytest.param([2] * 5 + [0] * 4, 10, "moderate symptoms", id="moderate-at-cutoff"),
        pytest.param([2] * 8 + [0], 16, "moderately severe symptoms", id="moderately-severe"),
        pytest.param([3] * 8 + [0], 24, "severe symptoms", id="severe"),
    ],
)
def test_a_complete_form_is_scored_and_explained_in_plain_words(
    client: Client, answers: list[int], total: int, words: str
) -> None:
    response = client.post(URL, _form(*answers))
    assert response.status_code == 200
    text = _text(response)
    assert f"Your score: {total} out of 27" in text
    assert words in text
    assert "This is not a diagnosis." in text
    assert "Please talk to a doctor, nurse or therapist" in text
    assert ("Scores of 10 or more" in text) is (total >= 10)
    assert CRISIS not in text


def test_item_9_above_zero_shows_crisis_guidance_first_even_on_an_empty_form(
    client: Client,
) -> None:
    response = client.post(URL, _form(None, None, None, None, None, None, None, None, 1))
    html = response.content.decode()
    assert CRISIS in html
    assert html.index(CRISIS) < html.index("<form")
    assert 'role="alert" class="crisis-now" tabindex="-1" autofocus' in html
    assert "call your local emergency number" in html
    assert "Your score:" not in html
    assert "A score needs all 9 answers" in _text(response)


def test_item_9_positive_on_a_complete_form_shows_both_the_score_and_the_crisis_guidance(
    client: Client,
) -> None:
    text = _text(client.post(URL, _form(*[1] * 8, 3)))
    assert CRISIS in text and "Your score: 11 out of 27" in text


def test_a_clinic_self_check_shows_that_clinics_numbers_in_the_crisis_box(client: Client) -> None:
    from trdnav.portal.models import CrisisGuidance

    clinic = make_clinic("north")
    CrisisGuidance.objects.create(clinic=clinic, text="Ring us.", phone_numbers="Duty: 0100 1")
    html = client.post("/guide/north/self-check/", _form(*[None] * 8, 2)).content.decode()
    crisis_box = html[html.index(CRISIS) : html.index("<form")]
    assert "Ring us." in crisis_box and 'href="tel:01001"' in crisis_box


def test_item_9_not_at_all_and_an_incomplete_form_names_the_questions_left(client: Client) -> None:
    response = client.post(URL, _form(1, None, 2, None, None, None, None, None, 0))
    text = _text(response)
    assert CRISIS not in text
    assert "Still to answer: question 2 , question 4 , question 5" in text
    html = response.content.decode()
    assert 'value="1" checked' in html and 'value="2" checked' in html  # answers kept


def test_an_unanswered_item_9_gets_a_gentle_pointer_to_help(client: Client) -> None:
    text = _text(client.post(URL, _form(*[1] * 8)))
    assert "Question 9 asks about thoughts that you would be better off dead" in text
    assert CRISIS not in text


@pytest.mark.parametrize("bad", ["4", "-1", "abc", "1.5", "x" * 5000, "٣", "\x00", "0x1"])
def test_bad_input_is_named_by_question_and_never_a_server_error(client: Client, bad: str) -> None:
    response = client.post(URL, _form(1, 1, bad, 1, 1, 1, 1, 1, 0))
    assert response.status_code == 200
    text = _text(response)
    assert (
        "Question 3 (Sleep (too little or too much)): please choose one of the answers shown."
        in text
    )
    assert "Your score:" not in text
    assert 'autofocus id="problems"' in response.content.decode()
    assert bad[:50] not in text or bad in {"4", "1.5"}  # long input is not echoed back


def test_bad_input_on_item_9_does_not_hide_a_positive_answer_elsewhere(client: Client) -> None:
    text = _text(client.post(URL, _form(*[0] * 8, "yes")))
    assert "Question 9 (Thoughts of being better off dead or of self-harm)" in text
    assert "Question 9 asks about thoughts" in text  # unknown, never read as "not at all"


def test_answers_in_the_query_string_are_not_read(client: Client) -> None:
    text = _text(client.get(URL + "?" + "&".join(f"item{n}=3" for n in range(1, 10))))
    assert "Your score:" not in text and CRISIS not in text


def test_unknown_fields_are_ignored(client: Client) -> None:
    response = client.post(URL, {**_form(*[0] * 9), "item10": "3", "extra": "x"})
    assert "Your score: 0 out of 27" in _text(response)


def test_the_form_has_a_fieldset_and_legend_per_question_and_labelled_answers(
    client: Client,
) -> None:
    html = client.get(URL).content.decode()
    assert html.count("<fieldset") == 9 and html.count("<legend>") == 9
    assert html.count('type="radio"') == 36
    assert '<label class="choice" for="item9-1">' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert " required" not in html  # an incomplete form may be sent: item 9 alone counts


def test_nothing_is_stored_by_reading_or_sending_the_self_check(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    make_clinic("north")
    before = _row_counts()
    caplog.set_level(logging.DEBUG)
    for url in ("/guide/", "/guide/north/", "/guide/treatments/ect/", URL):
        client.get(url)
    for body in (_form(*[3] * 9), _form(*[None] * 8, 2), _form("abc")):
        assert client.post(URL, body).status_code == 200
        assert client.post("/guide/north/self-check/", body).status_code == 200
    assert _row_counts() == before
    assert AuditEvent.objects.count() == before["audit.AuditEvent"]
    assert "sessionid" not in client.cookies
    assert not any("item" in record.getMessage() for record in caplog.records)


def test_the_post_is_protected_by_csrf(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, _form(*[0] * 9)).status_code == 403
    page = strict.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    sent = strict.post(URL, {**_form(*[0] * 9), "csrfmiddlewaretoken": token.group(1)})
    assert sent.status_code == 200 and "Your score: 0 out of 27" in _text(sent)
