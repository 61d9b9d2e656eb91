from __future__ import annotations

from typing import ClassVar

from django import forms

from trdnav.patients.models import Patient
from trdnav.patients.services import EDITABLE_FIELDS
from trdnav.web.widgets import IsoDateInput


class PatientForm(forms.ModelForm):  # type: ignore[type-arg]
    """Parses the page's input; the service validates again and stores."""

    class Meta:
        model = Patient
        fields = EDITABLE_FIELDS
        widgets: ClassVar = {"date_of_birth": IsoDateInput()}

    def _post_clean(self) -> None:
        # Model validation happens once, in the service, for pages and API alike.
        pass
