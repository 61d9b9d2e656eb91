"""The history page and the structured history editor (episodes and treatments, one form per
kind), plus the advanced JSON import. Every save goes through ``save_history``: the whole
document is checked by the core and nothing invalid is stored."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from trdnav.accounts.permissions import Capability, capability_required
from trdnav.audit.services import Actor
from trdnav.clinical import words as named
from trdnav.clinical.changes import saying_what_changed
from trdnav.clinical.services import profile_of
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.core.history.knowledge import default_profile_name, load_profiles
from trdnav.history import document as hd
from trdnav.history import present
from trdnav.history.dose_forms import DoseFormSet, dose_initial, doses_json
from trdnav.history.form_errors import put_errors, require_doses
from trdnav.history.forms import (
    DRUG_KINDS,
    FORMS,
    KIND_LABELS,
    EpisodeForm,
    agent_codes,
    drug_codes,
)
from trdnav.history.import_form import HistoryImportForm
from trdnav.history.services import StaleRevision, save_history
from trdnav.history.snapshots import profile_choices, staging_for
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view, with_path

CHANGED_MEANWHILE = (
    "the history was changed by someone else after you opened this form: reload the page and "
    "make your change again"
)


HISTORY = "treatment_history"  # what the pages' reads are audited as


@capability_required(Capability.VIEW_PATIENTS)
@require_GET
@patient_view(HISTORY)
def history_page(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    stored = profile_of(patient)
    chosen = request.GET.get("profile") or default_profile_name()
    if chosen not in load_profiles():
        chosen = default_profile_name()
    context: dict[str, Any] = {
        "patient": patient,
        "profile_name": chosen,
        "profiles": profile_choices(),
        "history": stored.history,
    }
    if stored.history is not None:
        context.update(_assessed(actor, patient, stored.history, chosen))
    return render(request, "history/history.html", context)


def _assessed(
    actor: Actor, patient: Patient, doc: Mapping[str, Any], chosen: str
) -> dict[str, Any]:
    try:
        staging = staging_for(
            patient=patient, history=doc, as_of=timezone.localdate(), by=actor, profile=chosen
        )
    except InvalidInput as exc:
        # Stored under an earlier knowledge base, the document may no longer validate: say so.
        return {"history_errors": [e.as_dict() for e in exc.errors]}
    notes = present.Footnotes()
    return {
        "staging": staging,
        "result": staging.result,
        "episodes": present.episodes(doc, staging.result, notes),
        "trd": present.trd(staging.result, doc, notes),
        "stages": present.staging(staging.result, notes),
        "profile_label": present.profile_label(staging.profile),
        "footnotes": notes.notes(),
    }


def _save(actor: Actor, patient: Patient, doc: Any, summary: str, revision: str) -> None:
    """Save a change made from ``revision``; ``StaleRevision`` if the history changed since."""
    save_history(
        patient=patient,
        history=doc,
        by=actor,
        as_of=timezone.localdate(),
        summary=summary,
        expected_revision=revision,
    )


def _sent_revision(form: Any) -> str:
    return str(form.cleaned_data.get("revision") or "")


def _page(patient: Patient) -> HttpResponse:
    return redirect("history:page", pk=patient.pk)


@capability_required(Capability.EDIT_HISTORY)
@require_http_methods(["GET", "POST"])
@patient_view(HISTORY)
def episode_edit(
    request: HttpRequest, actor: Actor, patient: Patient, index: int | None = None
) -> HttpResponse:
    doc = profile_of(patient).history
    existing = None if index is None else hd.item(doc, "episodes", index)
    if index is not None and existing is None:
        raise Http404("no such episode")
    initial = {**EpisodeForm.initial_from(existing or {}), "revision": hd.revision(doc)}
    form = EpisodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.to_json()
        base = f"episode-{str(data.get('start', ''))[:4]}"
        ident = existing["id"] if existing else hd.new_id(base, hd.ids(doc, "episodes"))
        new_doc = hd.put(doc, "episodes", {"id": ident, **data}, index)
        position = len(new_doc["episodes"]) - 1 if index is None else index
        verb = "added" if index is None else "changed"
        try:
            with saying_what_changed(request, patient):
                _save(
                    actor, patient, new_doc, f"{verb} episode {position + 1}", _sent_revision(form)
                )
            return _page(patient)
        except StaleRevision:
            form.add_error(None, CHANGED_MEANWHILE)
        except InvalidInput as exc:
            put_errors(form, exc, "episodes", position)
    context = {
        "patient": patient,
        "form": form,
        "existing": existing,
        "existing_name": named.episode_name(existing),
        "index": index,
    }
    status = 400 if form.is_bound else 200
    return render(request, "history/history_episode_form.html", context, status=status)


def _treatment_forms(
    request: HttpRequest, doc: Any, kind: str, existing: Mapping[str, Any] | None
) -> tuple[Any, Any]:
    form_class = FORMS[kind]
    own_id = None if existing is None else str(existing.get("id"))
    initial = {**form_class.initial_from(existing or {}), "revision": hd.revision(doc)}
    data = request.POST or None
    form = form_class(data, initial=initial, doc=doc, own_id=own_id)
    formset = None
    if kind in DRUG_KINDS:
        formset = DoseFormSet(data, prefix="doses", initial=dose_initial(existing or {}))
    return form, formset


def _treatment_json(
    form: Any, formset: Any, doc: Any, existing: Any
) -> tuple[dict[str, Any], list[int]]:
    value = form.to_json()
    base = str(value.get("drug") or value.get("agent") or value["kind"])
    ident = existing["id"] if existing else hd.new_id(base, hd.ids(doc, "treatments"))
    value = {"id": ident, **value}
    rows: list[int] = []
    if formset is not None:
        value["doses"], rows = doses_json(formset)
    return value, rows


@capability_required(Capability.EDIT_HISTORY)
@require_http_methods(["GET", "POST"])
@patient_view(HISTORY)
def treatment_edit(
    request: HttpRequest,
    actor: Actor,
    patient: Patient,
    index: int | None = None,
    kind: str | None = None,
) -> HttpResponse:
    doc = profile_of(patient).history
    existing = None if index is None else hd.item(doc, "treatments", index)
    kind = str(existing.get("kind")) if existing is not None else kind
    if (index is not None and existing is None) or kind not in FORMS:
        raise Http404("no such treatment")
    if not hd.ids(doc, "episodes"):
        messages.info(request, "Add the episode the treatment belongs to first.")
        return redirect("history:episode-new", pk=patient.pk)
    form, formset = _treatment_forms(request, doc, kind, existing)
    if request.method == "POST":
        valid = form.is_valid() & (formset is None or formset.is_valid())
        if formset is not None and formset.is_valid():
            steps, _ = doses_json(formset)
            require_doses(formset, steps)
            valid = valid and bool(steps)
        if valid:
            value, rows = _treatment_json(form, formset, doc, existing)
            new_doc = hd.put(doc, "treatments", value, index)
            position = len(new_doc["treatments"]) - 1 if index is None else index
            verb = "added" if index is None else "changed"
            summary = f"{verb} treatment {position + 1}"
            try:
                with saying_what_changed(request, patient):
                    _save(actor, patient, new_doc, summary, _sent_revision(form))
                return _page(patient)
            except StaleRevision:
                form.add_error(None, CHANGED_MEANWHILE)
            except InvalidInput as exc:
                put_errors(form, exc, "treatments", position, formset, rows)
    context = {
        "patient": patient,
        "form": form,
        "formset": formset,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "existing": existing,
        "existing_name": named.treatment_name(existing),
        "index": index,
        "drug_codes": drug_codes() if kind == "antidepressant" else [],
        "agent_codes": agent_codes(),
    }
    status = 400 if form.is_bound else 200
    return render(request, "history/history_treatment_form.html", context, status=status)


@capability_required(Capability.EDIT_HISTORY)
@require_GET
@patient_view(HISTORY)
def treatment_choose(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    kinds = list(KIND_LABELS.items())
    return render(request, "history/history_choose.html", {"patient": patient, "kinds": kinds})


@capability_required(Capability.EDIT_HISTORY)
@require_http_methods(["GET", "POST"])
@patient_view(HISTORY)
def remove(
    request: HttpRequest, actor: Actor, patient: Patient, section: str, index: int
) -> HttpResponse:
    """Confirm, then remove an episode or a treatment (refused while something refers to it)."""
    doc = profile_of(patient).history
    existing = hd.item(doc, section, index)
    if existing is None:
        raise Http404("no such item")
    errors: list[FieldError] = []
    if request.method == "POST":
        sent = str(request.POST.get("revision", ""))
        try:
            with saying_what_changed(request, patient):
                response = _remove(actor, patient, doc, section, index, sent)
            return response
        except StaleRevision:
            errors = [FieldError("history", CHANGED_MEANWHILE)]
        except InvalidInput as exc:
            errors = list(exc.errors)
    context = {
        "patient": patient,
        "section": section,
        "item": existing,
        "revision": hd.revision(doc),
        "errors": errors,
    }
    return render(request, "history/history_remove.html", context, status=400 if errors else 200)


def _remove(
    actor: Actor, patient: Patient, doc: Any, section: str, index: int, sent: str
) -> HttpResponse:
    if section == "episodes":
        new_doc = hd.remove_episode(doc, index)
        summary = f"removed episode {index + 1}"
    else:
        new_doc = hd.remove_treatment(doc, index)
        summary = f"removed treatment {index + 1}"
    _save(actor, patient, new_doc, summary, sent)
    return _page(patient)


@capability_required(Capability.EDIT_HISTORY)
@require_http_methods(["GET", "POST"])
@patient_view(HISTORY)
def history_import(request: HttpRequest, actor: Actor, patient: Patient) -> HttpResponse:
    """Advanced: replace the whole history with a pasted JSON document."""
    doc = profile_of(patient).history
    text = "" if doc is None else json.dumps(doc, indent=2)
    form = HistoryImportForm(
        request.POST or None, initial={"history": text, "revision": hd.revision(doc)}
    )
    if request.method == "POST" and form.is_valid():
        imported = form.cleaned_data["history"]
        try:
            with saying_what_changed(request, patient):
                _save(actor, patient, imported, "history imported as JSON", _sent_revision(form))
            return _page(patient)
        except StaleRevision:
            form.add_error(None, CHANGED_MEANWHILE)
        except InvalidInput as exc:
            errors_onto(form, exc, place=with_path("history"))
    status = 400 if form.is_bound else 200
    context = {"patient": patient, "form": form}
    return render(request, "history/history_import.html", context, status=status)
