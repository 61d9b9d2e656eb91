"""The core's errors on a history document, put next to the editor's fields: an error about
the edited item (``treatments[2].doses[0].mg_per_day``) goes to its field or its dose row,
anything else above the form with its path."""

from __future__ import annotations

import re
from typing import Any

from trdnav.core.errors import InvalidInput
from trdnav.history import document as hd
from trdnav.history.forms import field_name
from trdnav.patients.pages import errors_onto, with_path

_DOSE = re.compile(r"^doses\[(\d+)\]\.(.+)$")


def _place(form: Any, formset: Any, rows: list[int], sub: str, message: str) -> None:
    """Put one error about the edited item next to its field (or its dose row)."""
    dose = _DOSE.match(sub)
    if dose and formset is not None and int(dose[1]) < len(rows):
        row = formset.forms[rows[int(dose[1])]]
        name = field_name(dose[2])
        row.add_error(name if name in row.fields else None, message)
    elif field_name(sub) in form.fields:
        form.add_error(field_name(sub), message)
    else:
        form.add_error(None, f"{sub.replace('doses', 'dose timeline') or 'this item'}: {message}")


def put_errors(
    form: Any, exc: InvalidInput, section: str, index: int, formset: Any = None, rows: Any = ()
) -> None:
    """Put the core's errors about item ``index`` of ``section`` next to the fields (and dose
    rows) of its form; errors about anything else above the form, with their paths."""
    split = hd.split_errors(exc.errors, section, index)
    for sub, found in split.mine.items():
        for message in found:
            _place(form, formset, list(rows), sub, message)
    errors_onto(form, split.others, place=with_path(None))
