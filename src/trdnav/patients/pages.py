"""What every page about a patient shares: how it reaches the patient, and how a service's
refusal lands on its form. (The third shared piece, ``audit.services.audit_patient``, records
an event about one patient's record; services and pages alike use it.)

``patient_view`` loads the patient before the view runs and calls it as
``view(request, actor, patient, ...)``: the access check and the audited read happen in one
place (``trdnav.patients.access``), never by hand in a view.

``errors_onto`` puts the field errors of a service's ``InvalidInput`` on a form: each next to
the field it names, or above the form. A form whose fields differ from the service's paths
passes ``place``, which says where one error goes and in which words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse

from trdnav.accounts.permissions import Capability, require_capability
from trdnav.audit.services import actor_from_request
from trdnav.core.errors import FieldError, InvalidInput
from trdnav.patients.access import get_patient_for, own_patient

View = Callable[..., HttpResponse]
# Where one error goes: (the form's field, or None for above the form; the message shown).
Place = Callable[[FieldError], tuple[str | None, str]]


def patient_view(
    object_type: str = "patient", *, capability: Capability | None = None, own: bool = False
) -> Callable[[View], View]:
    """View decorator: load the patient, then call ``view(request, actor, patient, ...)``.

    Clinic pages (the default): the URL's ``pk`` is the patient's id, loaded through
    ``get_patient_for`` (the user's clinic only, else 404; a patient login 403; the read
    audited as ``object_type``). ``capability``, when given, is required first (403 without
    it), for pages whose outer decorator only asks for a login.

    ``own=True``: a portal page of the logged-in patient, loaded through ``own_patient`` (their
    own active record, anyone else 404). The URL's arguments (a ``pk`` there names one of the
    patient's rows, not the patient) are passed on.

    Put it under the login, capability and method decorators: those answer first, as before.
    """

    def decorate(view: View) -> View:
        if own:

            @wraps(view)
            def own_page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                actor = actor_from_request(request)
                patient = own_patient(by=actor, object_type=object_type)
                return view(request, actor, patient, *args, **kwargs)

            return own_page

        @wraps(view)
        def clinic_page(request: HttpRequest, pk: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            if capability is not None:
                require_capability(request.user, capability)
            actor = actor_from_request(request)
            patient = get_patient_for(by=actor, pk=pk, object_type=object_type)
            return view(request, actor, patient, *args, **kwargs)

        return clinic_page

    return decorate


def _as_named(error: FieldError) -> tuple[str | None, str]:
    return error.field, error.message


def with_path(field: str | None) -> Place:
    """Every error on ``field`` (None: above the form), its path in front of the message."""
    return lambda error: (field, f"{error.field}: {error.message}")


def errors_onto(
    form: forms.BaseForm,
    errors: InvalidInput | Iterable[FieldError],
    *,
    place: Place = _as_named,
) -> None:
    """Put a service's field errors on ``form``. Each goes where ``place`` says (by default:
    the field of the same name, with the service's message); a field the form does not have
    means above the form."""
    found = errors.errors if isinstance(errors, InvalidInput) else errors
    for error in found:
        name, message = place(error)
        form.add_error(name if name in form.fields else None, message)
