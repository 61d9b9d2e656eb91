"""Every SDC Questionnaire in LHC-Forms (npm ``lforms``, pinned and digest-checked) in
Chromium, with no terminology server: it renders, takes the answers, its
``calculatedExpression`` shows the core's total, and the QuestionnaireResponse LHC-Forms gives
back is scored the same by ``interop.sdc.score_response``.

The page is a test-only file:// page (``tests/e2e/lforms.form_page``), not a product route.
The answers are given two ways: loaded as a QuestionnaireResponse (every instrument, complete
and with a gap), and typed into the form by keyboard (PHQ-9), as a clinician would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.lforms import form_page, require_lforms
from tests.e2e.settle import close_settled
from trdnav.core.instruments.definition import InputKind
from trdnav.core.instruments.registry import INSTRUMENT_CODES, get_instrument, score_instrument
from trdnav.interop.questionnaire import build_questionnaire
from trdnav.interop.response import build_response
from trdnav.interop.sdc import Scored, score_response

pytestmark = pytest.mark.browser
WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TOTAL_FIELD = "total/1"  # LHC-Forms' id of the read-only total item's input

SHOW = """async ([questionnaire, response]) => {
  const options = {fhirVersion: 'R4'};
  if (response) options.questionnaireResponse = response;
  await LForms.Util.addFormToPage(questionnaire, 'form', options);
}"""
RETURNED = """() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4',
  document.getElementById('form'))"""


@pytest.fixture(scope="module")
def form_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    lforms = require_lforms()
    return form_page(tmp_path_factory.mktemp("lforms"), lforms).as_uri()


@pytest.fixture
def form(browser: Any, form_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(form_url)
    page.wait_for_function("() => window.LForms && window.LForms.Util")
    yield page
    close_settled(context)
    assert errors == [], errors


def _complete(code: str) -> dict[str, Any]:
    """Every item answered, each a different value where the scale allows (deterministic)."""
    definition = get_instrument(code).definition
    if definition.input_kind is InputKind.CSSRS:
        return {"q1": True, "q2": True, "q3": True, "q4": False, "q5": False, "q6": True,
                "q6_past_3_months": False}  # fmt: skip
    values = []
    for n, item in enumerate(definition.items):
        low, high = item.answers.minimum, item.answers.maximum
        if item.answers.not_assessed is not None and item.answers.not_assessed_scores is None:
            low = max(low, item.answers.not_assessed + 1)
        values.append(low + (n * 3 + 1) % (high - low + 1))
    if definition.input_kind is InputKind.SCORE:
        return {"score": values[0]}
    return {"items": values}


def _with_gap(code: str) -> dict[str, Any]:
    answers = _complete(code)
    if "score" in answers:
        return {"score": None}
    return {"items": [None, *answers["items"][1:]]}


def _show(page: Any, code: str, response: dict[str, Any] | None) -> dict[str, Any]:
    page.evaluate(SHOW, [build_questionnaire(code), response])
    page.wait_for_selector("#form lhc-form, #form .lhc-form", state="attached")
    page.wait_for_timeout(300)  # the expressions run after the form is drawn
    returned: dict[str, Any] = page.evaluate(RETURNED)
    return returned


def _total_item(response: dict[str, Any]) -> float | None:
    for item in response.get("item", []):
        if item["linkId"] == "total" and item.get("answer"):
            return float(item["answer"][0]["valueDecimal"])
    return None


def _shown_total(page: Any) -> str:
    value: str = page.evaluate(f"() => document.getElementById('{TOTAL_FIELD}').value")
    return value


def _rescored(returned: dict[str, Any]) -> Scored:
    outcome = score_response({**returned, "id": "from-lhc-forms"}, recorded=WHEN)
    assert isinstance(outcome, Scored), outcome
    return outcome


SCORED = [
    c for c in INSTRUMENT_CODES if get_instrument(c).definition.input_kind is not InputKind.CSSRS
]


@pytest.mark.parametrize("code", INSTRUMENT_CODES)
def test_every_questionnaire_renders_and_its_total_is_the_cores(form: Any, code: str) -> None:
    answers = _complete(code)
    core = score_instrument(code, answers)
    returned = _show(form, code, build_response(code, answers, response_id="r1"))
    rescored = _rescored(returned)
    if get_instrument(code).definition.input_kind is InputKind.CSSRS:
        assert rescored.record.severity == core.details["risk"]
        assert rescored.record.safety == (core.safety.value if core.safety else None)
        return
    assert core.total is not None
    assert _total_item(returned) == core.total
    assert float(_shown_total(form)) == core.total
    assert rescored.record.total == core.total
    assert rescored.record.severity == (core.severity or None)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=SCREENSHOTS / f"lhc-forms-{code}.png", full_page=True)


@pytest.mark.parametrize("code", SCORED)
def test_a_form_with_a_gap_has_no_total_there_or_in_the_core(form: Any, code: str) -> None:
    answers = _with_gap(code)
    assert score_instrument(code, answers).total is None
    returned = _show(form, code, build_response(code, answers, response_id="r1"))
    assert _total_item(returned) is None
    assert _shown_total(form) == ""
    assert _rescored(returned).record.total is None


def test_phq9_answered_by_keyboard_in_the_form(form: Any) -> None:
    """Each answer list opens on focus; the arrow keys move down it and Enter picks one."""
    values = [1, 2, 3, 0, 1, 2, 3, 0, 1]
    _show(form, "phq9", None)
    for n, value in enumerate(values, start=1):
        form.locator(f"[id='item{n}/1']").click()
        for _ in range(value + 1):
            form.keyboard.press("ArrowDown")
        form.keyboard.press("Enter")
    form.keyboard.press("Tab")
    form.wait_for_timeout(300)
    core = score_instrument("phq9", {"items": values})
    returned: dict[str, Any] = form.evaluate(RETURNED)
    assert _total_item(returned) == core.total == 13
    assert _shown_total(form) == "13"
    rescored = _rescored(returned)
    assert rescored.record.total == 13 and rescored.record.safety == "positive"


def test_the_page_is_a_file_not_a_product_route(form_url: str) -> None:
    assert form_url.startswith("file://") and Path(form_url[len("file://") :]).is_file()
