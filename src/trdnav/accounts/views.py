"""Log-in, log-out and API tokens."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trdnav.accounts.forms import LoginForm, TokenForm
from trdnav.accounts.models import ApiToken, Role
from trdnav.accounts.permissions import membership_of
from trdnav.accounts.tokens import issue_token, revoke_token
from trdnav.audit.services import actor_from_request


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log someone out."""


def _refuse_patients(request: HttpRequest) -> None:
    """API tokens are for clinic staff and their scripts; patients use the portal."""
    membership = membership_of(request.user)
    if membership is not None and membership.role == Role.PATIENT:
        raise PermissionDenied("patients use the portal")


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    _refuse_patients(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = issue_token(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            by=actor_from_request(request),
        )
        form = TokenForm()
    listed = ApiToken.objects.filter(user=request.user.pk)
    context = {"form": form, "tokens": listed, "new_token": new_token}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_patients(request)
    # Another user's token is indistinguishable from a missing one.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user.pk)
    revoke_token(token=token, by=actor_from_request(request))
    return redirect("accounts:tokens")
