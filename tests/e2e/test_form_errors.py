"""Forms sent empty or wrong, in Chromium: the page comes back with the errors, focus is on the
first field with an error (or on the error message), every help text and error a field points
at exists, axe-core finds nothing serious, and the page still fits a 375 px screen (D13, D18)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.axe import require_axe, run_axe, serious
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.e2e.pages import page_name
from tests.e2e.settle import close_settled
from tests.e2e.test_every_page import LOGINS, PHONE, SETTLE, STRUCTURE, world

pytestmark = pytest.mark.browser

# (role, page, the button that sends the form, what to type first).
FORMS: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    ("anonymous", "/accounts/login/", "Log in", {"#id_username": "nobody", "#id_password": "x"}),
    ("clinician", "/patients/new/", "Save", {}),
    ("clinician", "/patients/{patient}/assessments/new/phq9/", "Save and score", {}),
    ("clinician", "/patients/{patient}/history/episodes/new/", "Save", {}),
    ("clinician", "/patients/{patient}/history/treatments/new/antidepressant/", "Save", {}),
    ("clinician", "/portal/care/patients/{patient}/", "Send to the patient", {}),
    ("clinician", "/accounts/tokens/", "Create token", {}),
    ("patient", "/portal/questionnaires/{schedule}/", "Send my answers", {}),
    ("patient", "/portal/reports/", "Send my report", {}),
    ("patient", "/portal/messages/", "Send", {}),
    ("patient", "/portal/visit/", "Add my question", {}),
)
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return 'body'; }
  const ok = el.matches('[aria-invalid=true], .error-summary, [role=alert]') ||
    Boolean(el.closest('.has-error, [role=alert]'));
  return ok ? 'error' : 'elsewhere: ' + el.outerHTML.slice(0, 120);
}"""


@pytest.mark.parametrize(
    ("role", "url", "button", "typed"), FORMS, ids=[f"{r}-{u}-{b}" for r, u, b, _ in FORMS]
)
def test_a_failed_submit_shows_errors_focuses_the_first_and_stays_accessible(
    role: str,
    url: str,
    button: str,
    typed: dict[str, str],
    browser: Any,
    live_server: Any,
    transactional_db: None,
) -> None:
    axe = require_axe()
    values = world()
    address = url.format(patient=values["patient"][0], schedule=values["schedules"][0])
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    try:
        if role != "anonymous":
            log_in(page, *LOGINS[role])
        page.goto(address)
        for selector, text in typed.items():
            page.locator(selector).fill(text)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=button, exact=True).click()
        focus = page.evaluate(FOCUS)
        broken = page.evaluate(STRUCTURE)
        violations = serious(run_axe(page, axe))
        page.set_viewport_size(PHONE)
        page.evaluate(SETTLE)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=SCREENSHOTS / f"{role}-{page_name(url + button)}-errors-375.png", full_page=True
        )
    finally:
        close_settled(context)
    assert focus == "error"
    assert broken == []
    assert violations == []
    assert width <= PHONE["width"]
