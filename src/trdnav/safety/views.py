"""Safety-review pages: review one item (any source), reopen a review, the clinic's settings.

Thin views: the patient is loaded by ``patient_view`` (clinic and capability checked, the read
audited); the service decides and audits; the page says plainly what happened (D10).
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from trdnav.accounts.permissions import Capability, capability_required, membership_of
from trdnav.audit.models import Action
from trdnav.audit.services import Actor, actor_from_request, record_event
from trdnav.core.errors import InvalidInput
from trdnav.patients.models import Patient
from trdnav.patients.pages import errors_onto, patient_view
from trdnav.safety.forms import ReviewForm, SettingsForm
from trdnav.safety.models import ItemKind, SafetyReview
from trdnav.safety.services import has_high_risk_fact, reopen_review, review_item
from trdnav.safety.settings import settings_for, update_settings
from trdnav.safety.state import SafetyItem, item_for

# Where to go after an action: a fixed choice, never a URL from the form.
BACK = {"dashboard": "dashboard:home", "inbox": "portal:care_inbox"}


def _back(request: HttpRequest, patient: Patient) -> HttpResponse:
    where = request.POST.get("next") or request.GET.get("next")
    if where == "panel":
        return redirect("portal:care_panel", pk=patient.pk)
    if where in BACK:
        return redirect(BACK[where])
    return redirect("patients:detail", pk=patient.pk)


def _confirmation(item: SafetyItem, review: SafetyReview, stored: bool) -> str:
    if not stored:
        who = review.reviewed_by.username if review.reviewed_by else "someone"
        return (
            f"The {item.title} was already reviewed by {who} at "
            f"{timezone.localtime(review.reviewed_at):%-d %b %Y, %H:%M}; nothing was changed."
        )
    text = (
        f"Reviewed: {item.title}. Done: {review.action_words}, at "
        f"{timezone.localtime(review.done_at):%-d %b %Y, %H:%M}."
    )
    if review.marked_high_risk:
        text += " High suicide risk is now marked in the clinical profile; the options use it."
    return text + " To undo, use Reopen next to the item."


@login_required
@require_http_methods(["GET", "POST"])
@patient_view("safety_review", capability=Capability.REVIEW_SAFETY)
def review(
    request: HttpRequest, actor: Actor, patient: Patient, kind: str, reference: int
) -> HttpResponse:
    item = item_for(patient.pk, kind, reference) if kind in ItemKind.values else None
    if item is None:
        raise Http404("no such safety item")
    already = has_high_risk_fact(patient)
    form = ReviewForm(request.POST or None, already_high_risk=already)
    if request.method == "POST" and form.is_valid():
        try:
            done, stored = review_item(
                patient=patient, item=item, data=form.review_data(), by=actor
            )
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            flash.success(request, _confirmation(item, done, stored))
            return _back(request, patient)
    context = {"patient": patient, "item": item, "form": form, "already_high_risk": already,
               "next": request.POST.get("next") or request.GET.get("next") or "chart"}  # fmt: skip
    return render(request, "safety/review.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
@patient_view("safety_review", capability=Capability.REVIEW_SAFETY)
def reopen(request: HttpRequest, actor: Actor, patient: Patient, review_id: int) -> HttpResponse:
    found = get_object_or_404(SafetyReview.objects.filter(patient=patient), pk=review_id)
    item = item_for(patient.pk, found.kind, found.reference)
    reopen_review(review=found, by=actor)
    what = item.title if item is not None else "safety item"
    flash.success(request, f"Reopened: the {what} is open again until it is reviewed.")
    return _back(request, patient)


@capability_required(Capability.SAFETY_SETTINGS)
@require_http_methods(["GET", "POST"])
def clinic_settings(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    membership = membership_of(request.user)
    if membership is None:  # capability_required lets only members through
        raise Http404("no clinic")
    current = settings_for(membership.clinic_id)
    form = SettingsForm(request.POST or None, initial={"worsening_rule": current.worsening_rule})
    if request.method == "POST" and form.is_valid():
        update_settings(clinic_id=membership.clinic_id, data=form.cleaned_data, by=actor)
        flash.success(request, "Saved: the dashboard now uses the chosen worsening rule.")
        return redirect("safety:settings")
    record_event(by=actor, action=Action.VIEW, object_type="safety_settings")
    status = 400 if form.is_bound else 200
    return render(request, "safety/settings.html", {"form": form}, status=status)
