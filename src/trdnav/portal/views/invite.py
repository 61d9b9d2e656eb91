"""Accepting an invitation: the link's token is checked, the patient chooses a password (and a
username, unless the record already has a login), and is logged in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from trdnav.audit.services import actor_from_request
from trdnav.core.errors import InvalidInput
from trdnav.patients.pages import errors_onto
from trdnav.portal.forms import AcceptInvitationForm
from trdnav.portal.services.invitations import accept_invitation, open_invitation


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation(token)
    if invitation is None:
        # Used, revoked, expired or never issued: the same answer for each.
        return render(request, "portal/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"], by=actor_from_request(request),
            )  # fmt: skip
        except InvalidInput as exc:
            errors_onto(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # A taken name got a number added: say which username to log in with.
            messages.success(request, f"Your username is {user.get_username()}.")
            return redirect("portal:home")
    context = {
        "form": form,
        "clinic": invitation.patient.clinic,
        "has_login": invitation.patient.user_id is not None,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "portal/invitation_accept.html", context, status=status)
