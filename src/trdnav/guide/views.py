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
from trdnav.guide import pages, selfcheck
from trdnav.portal.services.safety import crisis_guidance_for


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
    sections = pages.grouped_treatments(
        lambda therapy_id: _url("treatment", branded, therapy_id=therapy_id)
    )
    studied = pages.investigational_ids()
    return _page(request, "guide/index.html", branded, sections=sections, investigational=studied)


@require_GET
def treatment(request: HttpRequest, therapy_id: str, clinic: str | None = None) -> HttpResponse:
    branded = _clinic(clinic)
    context = pages.treatment_page(therapy_id)
    if context is None:
        raise Http404("no such treatment")
    return _page(request, "guide/treatment.html", branded, **context)


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
