"""The instrument catalogue: one page per instrument definition (read-only knowledge)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trdnav.core.instruments import UnknownInstrument, get_instrument, list_instruments


@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/instrument_list.html", {"instruments": list_instruments()})


@require_GET
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        instrument = get_instrument(code)
    except UnknownInstrument:
        raise Http404("unknown instrument") from None
    return render(
        request,
        "web/instrument_detail.html",
        {"instrument": instrument, "d": instrument.definition},
    )
