"""Public pages: the treatment guide, one page per treatment, and the PHQ-9 self-check.

No log-in, and nothing stored: the views read the knowledge base and, for a branded guide,
the clinic's name and crisis guidance; they write no row, no audit event, no session key and
no log line (policy P-G1). The self-check posts (CSRF-protected) rather than using a GET form
so that answers never appear in a URL, a browser history or a server's access log.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.models import Clinic
from trdnav.core.knowledge.patient_guide import leaves_out_unverified, load_patient_guide
from trdnav.core.knowledge.therapies import load_therapies
from trdnav.guide import selfcheck
from trdnav.guide.pictures import calendar_weeks, icon_dots
from trdnav.portal.services.safety import crisis_guidance_for
from trdnav.portal.therapies import patient_card


def _clinic(slug: str | None) -> Clinic | None:
    return None if slug is None else get_object_or_404(Clinic, slug=slug)


def _url(name: str, clinic: Clinic | None, **kwargs: str) -> str:
    if clinic is None:
        return reverse(f"guide:{name}", kwargs=kwargs)
    return reverse(f"guide:clinic_{name}", kwargs={"clinic": clinic.slug, **kwargs})


def _page(
    request: HttpRequest, template: str, clinic: Clinic | None, **context: Any
) -> HttpResponse:
    brand = {
        "clinic": clinic,
        "guidance": crisis_guidance_for(clinic),
        "index_url": _url("index", clinic),
        "self_check_url": _url("self_check", clinic),
    }
    return render(request, template, {**brand, **context})


@require_GET
def index(request: HttpRequest, clinic: str | None = None) -> HttpResponse:
    branded = _clinic(clinic)
    knowledge = load_therapies()
    sections = [
        (
            group,
            [(shown, _url("treatment", branded, therapy_id=shown.therapy_id)) for shown in items],
        )
        for group, items in load_patient_guide().sections(knowledge)
    ]
    studied = {t.id for t in knowledge.therapies.values() if t.investigational}
    return _page(request, "guide/index.html", branded, sections=sections, investigational=studied)


@require_GET
def treatment(request: HttpRequest, therapy_id: str, clinic: str | None = None) -> HttpResponse:
    branded = _clinic(clinic)
    card = patient_card(therapy_id)
    if card is None:
        raise Http404("no such treatment")
    guide = load_patient_guide()
    therapy = load_therapies().therapy(therapy_id)
    shown = guide.therapies[therapy_id]
    group = next(g for g in guide.groups if g.id == guide.group_of(therapy))
    icons = [(icon, icon_dots(icon)) for icon in shown.icons]
    weeks = calendar_weeks(shown.schedule) if shown.schedule else []
    return _page(
        request, "guide/treatment.html", branded, card=card, shown=shown, group=group,
        icons=icons, weeks=weeks, unverified_notice=leaves_out_unverified(therapy),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, clinic: str | None = None) -> HttpResponse:
    branded = _clinic(clinic)
    outcome = selfcheck.check(request.POST) if request.method == "POST" else None
    meaning = selfcheck.meaning(outcome.result) if outcome and outcome.result else None
    definition = selfcheck.definition()
    options = definition.items[0].answers.options
    questions = [
        (item, selfcheck.field_name(item), selfcheck.question(item)) for item in definition.items
    ]
    return _page(
        request, "guide/self_check.html", branded, outcome=outcome, meaning=meaning,
        questions=questions, options=options, definition=definition,
    )  # fmt: skip
