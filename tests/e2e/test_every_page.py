"""Every page of every role, in Chromium: axe-core (WCAG 2.2 A/AA rules) finds no serious or
critical violation, and no page is wider than a 375 or 320 px phone screen (WCAG 1.4.10 Reflow).

The page list comes from the URL resolver (tests/e2e/pages.py): a page added later is walked
without a change here. Which pages belong to a role is what the role may open (a 200 to a GET);
the first 403 and 404 page each role meets are walked too. Screenshots of each page at 1280 and
375 px go to test-artifacts/screenshots/<role>-<page>-<width>.png, and the measurements of each
walk to test-artifacts/a11y/<role>.json.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e import pages
from tests.e2e.axe import require_axe, run_axe, serious
from tests.e2e.conftest import ARTIFACTS, SCREENSHOTS, log_in
from tests.e2e.settle import close_settled
from trdnav.accounts.models import Membership, Role, User
from trdnav.assessments.models import Assessment
from trdnav.audit.services import Actor
from trdnav.core.instruments import list_instruments
from trdnav.core.knowledge.therapies import load_therapies
from trdnav.courses.models import Course, RemsReport
from trdnav.demo import load_demo_data
from trdnav.demo.loader import DEMO_MEMBERS, DEMO_PATIENT_RECORD
from trdnav.history.forms import KIND_LABELS
from trdnav.patients.models import Patient
from trdnav.portal.models import (
    ConcernReport,
    CrisisGuidance,
    QuestionnaireSchedule,
    SafetyNotice,
    Thread,
    VisitQuestion,
)
from trdnav.portal.services.invitations import invite_patient

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SMALL_PHONE = {"width": 320, "height": 640}  # WCAG 1.4.10's own width
DESKTOP = {"width": 1280, "height": 900}
NOT_FOUND = "/no-such-page/"
LINKED_PER_ROUTE = 2  # pages of one route found by links: the first two are walked
# Typed text without a space (a pasted link, a held-down key) must wrap, not widen the page.
LONG_WORD = "https://example.org/" + "a" * 150
MFA_USER = ("walk-mfa-pending", "walk-mfa-pending-pass")
LOGINS = {role.value: (username, password) for role, username, password, _, _ in DEMO_MEMBERS}
LOGINS["mfa_pending"] = MFA_USER
ROLES = ("anonymous", "clinic_admin", "clinician", "staff", "patient", "mfa_pending")
# Patients whose pages are walked: the demo patient (portal data) and the longest history
# (stage V, treatments since 2018).
WALKED_PATIENTS = (DEMO_PATIENT_RECORD, "DEMO-0028")
# Course pages: a session signed with an override (3) and one not yet recorded in the active
# esketamine course (6); a course is planned from the chart for each of these therapies.
SESSION_NUMBERS = ("3", "6")
COURSE_THERAPIES = ("ect", "esketamine", "rtms")

# The widest element found on a page wider than the screen, to say what to fix.
WIDEST = """() => {
  const limit = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      wide.push([Math.round(box.right), name]);
    }
  }
  wide.sort((a, b) => b[0] - a[0]);
  return wide.slice(0, 3).map(w => w[1] + ' (' + w[0] + ' px)');
}"""
# What axe lists only as "needs review": an aria-describedby, aria-labelledby or label's "for"
# naming an id that is not on the page (D13), and radios or checkboxes sharing a name that are
# not grouped in a fieldset with a legend (or a labelled radiogroup/group).
STRUCTURE = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]')) {
    const ids = [el.getAttribute('aria-describedby'), el.getAttribute('aria-labelledby'),
                 el.getAttribute('for')].filter(Boolean).join(' ').split(/\\s+/).filter(Boolean);
    for (const id of ids) {
      if (!document.getElementById(id)) { problems.push('missing id ' + id); }
    }
  }
  const names = new Map();
  const choices = 'main input[type=radio], main input[type=checkbox]';
  for (const input of document.querySelectorAll(choices)) {
    names.set(input.name, (names.get(input.name) || []).concat([input]));
  }
  for (const [name, inputs] of names) {
    if (inputs.length < 2) { continue; }
    const group = inputs[0].closest('fieldset, [role=radiogroup], [role=group]');
    const named = group && (group.tagName === 'FIELDSET'
      ? group.querySelector(':scope > legend') : group.getAttribute('aria-labelledby') ||
        group.getAttribute('aria-label'));
    if (!named) { problems.push('ungrouped choices ' + name); }
  }
  return problems;
}"""
SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def world() -> dict[str, list[str]]:
    """Demo clinic data, plus the portal rows the demo has none of, as parameter values."""
    load_demo_data(progress=lambda _: None, as_of=timezone.localdate())
    own = Patient.objects.get(record_number=DEMO_PATIENT_RECORD)
    clinic = own.clinic
    now = timezone.now()
    CrisisGuidance.objects.update_or_create(
        clinic=clinic,
        defaults={
            "text": "If you might act on thoughts of harming yourself, call now.",
            "phone_numbers": "Emergency: 112\nClinic duty line: +44 20 7946 0000",
        },
    )
    report = ConcernReport.objects.create(
        patient=own, kind="side_effect", what=f"Dizzy after sessions {LONG_WORD}",
        severity="moderate", since=date(2026, 1, 5), self_harm_thoughts=False, created_at=now,
    )  # fmt: skip
    notice = SafetyNotice.objects.create(
        patient=own, source="report", detail="Thoughts of self-harm reported", created_at=now
    )
    question = VisitQuestion.objects.create(
        patient=own, text=f"Can I drive after a session? {LONG_WORD}", created_at=now
    )
    invited = Patient.objects.filter(clinic=clinic, user__isnull=True).order_by("pk").first()
    assert invited is not None
    clinician = User.objects.get(username=LOGINS["clinician"][0])
    _, token = invite_patient(
        patient=invited, email="invited@example.org", by=Actor(user=clinician, clinic=clinic)
    )
    mfa_user = User.objects.create_user(username=MFA_USER[0], password=MFA_USER[1])
    Membership.objects.create(user=mfa_user, clinic=clinic, role=Role.CLINICIAN)
    TOTPDevice.objects.create(user=mfa_user, name="app", confirmed=True)
    walked = Patient.objects.filter(clinic=clinic, record_number__in=WALKED_PATIENTS)
    assessment = Assessment.objects.filter(patient=own).order_by("-pk").first()
    assert assessment is not None
    schedules = QuestionnaireSchedule.objects.filter(patient=own, active=True).order_by("pk")
    courses = Course.objects.filter(patient__clinic=clinic).order_by("pk")
    forms = RemsReport.objects.filter(session__course__patient__clinic=clinic)
    due = forms.filter(submitted_at__isnull=True).order_by("pk").first()
    submitted = forms.filter(submitted_at__isnull=False).order_by("pk").first()
    assert due is not None and submitted is not None
    return {
        "patient": [str(own.pk)],
        "patients": [str(p.pk) for p in walked.order_by("record_number")],
        "first": ["0"],
        "instruments": [instrument.code for instrument in list_instruments()],
        "kinds": list(KIND_LABELS),
        "therapies": sorted(load_therapies().therapies),
        "assessment": [str(assessment.pk)],
        "schedules": [str(s.pk) for s in schedules],
        "thread": [str(Thread.objects.filter(patient=own).values_list("pk", flat=True)[0])],
        "report": [str(report.pk)],
        "notice": [str(notice.pk)],
        "question": [str(question.pk)],
        "invitation": [token],
        "token": ["1"],
        "clinic": [clinic.slug],
        "courses": [str(c.pk) for c in courses],
        "active_courses": [str(c.pk) for c in courses if not c.is_ended],
        "session_numbers": list(SESSION_NUMBERS),
        "signed_number": [SESSION_NUMBERS[0]],
        "rems_sessions": [str(due.session_id), str(submitted.session_id)],
        "course_therapies": list(COURSE_THERAPIES),
        # Only an action (POST) takes a checkpoint rule: never walked.
        "checkpoint_rule": ["no_early_improvement"],
    }


def _client_for(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        assert client.login(username=LOGINS[role][0], password=LOGINS[role][1])
    return client


@dataclass
class Plan:
    """What one role's walk visits: its pages (200), one 403 and one 404 page; and problems
    found before the browser starts (a GET refused with 405, a server error)."""

    role: str
    pages: list[str] = field(default_factory=list)
    # The first page of each route, by its screenshot name (the route, with its parameters'
    # names: stable from run to run); error pages by their status.
    first: dict[str, str] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    routes: set[str] = field(default_factory=set)  # the routes with a page of the role
    html: list[str] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)  # no values, and no link found


def plan(role: str, values: dict[str, list[str]], urlconf: str | None = None) -> Plan:
    """The role's pages: each route's URLs from the world's values; a route whose parameters
    have none (a page added later) is taken from the links on the role's pages instead."""
    client = _client_for(role)
    result = Plan(role)
    waiting: list[str] = []
    for route in pages.page_routes(urlconf):
        try:
            urls = pages.urls_for(route, values)
        except pages.MissingParameter:
            waiting.append(route)
            continue
        _classify(client, result, route, urls)
    for _ in range(3):  # links from pages found by links (a course, then its sessions)
        linked = pages.linked_urls(result.html, urlconf)
        found = [route for route in waiting if linked.get(route)]
        for route in found:
            _classify(client, result, route, linked[route][:LINKED_PER_ROUTE])
        waiting = [route for route in waiting if route not in found]
    result.unreached = waiting
    if client.get(NOT_FOUND).status_code == 404:  # the "page not found" page, for every role
        result.errors.setdefault(404, NOT_FOUND)
    result.first |= {url: f"error_{status}" for status, url in result.errors.items()}
    return result


def _classify(client: Client, result: Plan, route: str, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        status = response.status_code
        result.statuses[url] = status
        if status == 200:
            if not any(u in result.first for u in urls):
                result.first[url] = pages.page_name(route)
            result.pages.append(url)
            result.routes.add(route)
            if response.get("Content-Type", "").startswith("text/html"):
                result.html.append(response.content.decode())
        elif status in (403, 404):
            result.errors.setdefault(status, url)
        elif status == 405:
            result.problems.append(f"{url}: GET answers 405; list {route} in pages.ACTIONS")
        elif status >= 500:
            result.problems.append(f"{url}: {status} for {result.role}")


@dataclass
class Finding:
    url: str
    status: int
    violations: list[dict[str, Any]]
    structure: list[str]
    width: int
    widest: list[str]
    width_320: int


def _visit(page: Any, role: str, url: str, axe: str, *, shot: str | None) -> Finding:
    """axe at 1280 px, then the width at 375 and 320 px; screenshots at 1280 and 375 px named
    ``shot`` (the first URL of each route), and of any page too wide."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    status = response.status if response is not None else 0
    violations = run_axe(page, axe)
    structure: list[str] = page.evaluate(STRUCTURE)
    name = SCREENSHOTS / f"{role}-{shot or pages.page_name(url)}"[:150]
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{name}-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.evaluate(SETTLE)
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    widest: list[str] = page.evaluate(WIDEST) if width > PHONE["width"] else []
    if shot or widest:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{name}-375.png", full_page=True)
    page.set_viewport_size(SMALL_PHONE)
    page.evaluate(SETTLE)
    width_320: int = page.evaluate("() => document.documentElement.scrollWidth")
    if width_320 > SMALL_PHONE["width"]:
        widest += [f"at 320 px: {w}" for w in page.evaluate(WIDEST)]
        page.screenshot(path=f"{name}-320.png", full_page=True)
    return Finding(url, status, violations, structure, width, widest, width_320)


def _report(role: str, findings: list[Finding], seconds: float) -> None:
    out = ARTIFACTS / "a11y"
    out.mkdir(parents=True, exist_ok=True)
    rows = [f.__dict__ for f in findings]
    summary = {"role": role, "pages": len(findings), "seconds": round(seconds, 1), "pages_": rows}
    (out / f"{role}.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")


@pytest.fixture
def walk_world(transactional_db: None) -> dict[str, list[str]]:
    return world()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_axe_and_reflows_at_375_px(
    role: str, browser: Any, live_server: Any, walk_world: dict[str, list[str]]
) -> None:
    axe = require_axe()
    started = time.monotonic()
    assert set(walk_world) == pages.WORLD_KEYS
    walk = plan(role, walk_world)
    assert walk.problems == []
    assert walk.pages, f"{role} has no page to walk"
    # The page's Content-Security-Policy would refuse the injected axe script: bypassed in this
    # browser context only, never in the product.
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        if role != "anonymous":
            log_in(page, *LOGINS[role])
        expected = {url: 200 for url in walk.pages} | {u: s for s, u in walk.errors.items()}
        findings = [_visit(page, role, url, axe, shot=walk.first.get(url)) for url in expected]
    finally:
        close_settled(context)
    _report(role, findings, time.monotonic() - started)
    wrong_status = [f"{f.url}: {f.status}" for f in findings if f.status != expected[f.url]]
    violations = {f.url: serious(f.violations) for f in findings if serious(f.violations)}
    structure = {f.url: f.structure for f in findings if f.structure}
    too_wide = [
        f"{f.url}: {f.width} px at 375, {f.width_320} px at 320; {', '.join(f.widest)}"
        for f in findings
        if f.width > PHONE["width"] or f.width_320 > SMALL_PHONE["width"]
    ]
    assert wrong_status == [], "pages answered differently in the browser"
    assert violations == {}, "serious or critical axe-core violations"
    assert structure == {}, "help texts, labels or groups a screen reader cannot find (D13)"
    assert too_wide == [], "pages wider than a 375 or 320 px screen (WCAG 1.4.10)"
