"""Three things every patient page and service does one way (CONTRIBUTING.md, "Patient pages"):

* an event about one patient's record is recorded with ``audit.services.audit_patient``, never
  by calling ``record_event(..., patient_id=...)`` by hand;
* a service's field errors go onto a form with ``patients.pages.errors_onto``, never by a loop
  calling ``add_error`` for each error;
* a page reaches its patient through the ``patients.pages.patient_view`` decorator, never by
  calling ``get_patient_for`` or ``own_patient`` itself.

The check reads the source (AST) of every app module. It looks only for these three shapes, so
it is a tripwire for a copy, not a proof that nothing similar exists.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "trdnav"

# Where each shape is the helper itself.
AUDIT_HELPER = "audit/services.py"
FORM_HELPER = "patients/pages.py"
LOADERS = ("get_patient_for", "own_patient")


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("core/") or "/migrations/" in relative:
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            yield child


def _is_view_module(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return name == "views.py" or name.endswith("_views.py") or "/views/" in relative


LOOPS = (ast.For, ast.ListComp, ast.SetComp, ast.GeneratorExp)


def hand_recorded_events(relative: str, tree: ast.Module) -> list[str]:
    if relative == AUDIT_HELPER:
        return []
    return [
        f"{relative}:{call.lineno}"
        for call in _calls(tree)
        if _name(call.func) == "record_event"
        and any(keyword.arg == "patient_id" for keyword in call.keywords)
    ]


def hand_copied_errors(relative: str, tree: ast.Module) -> list[str]:
    if relative == FORM_HELPER:
        return []
    return [
        f"{relative}:{loop.lineno}"
        for loop in ast.walk(tree)
        if isinstance(loop, LOOPS)
        if any(_name(call.func) == "add_error" for call in _calls(loop))
    ]


def hand_loaded_patients(relative: str, tree: ast.Module) -> list[str]:
    if not _is_view_module(relative):
        return []
    return [
        f"{relative}:{call.lineno} {_name(call.func)}"
        for call in _calls(tree)
        if _name(call.func) in LOADERS
    ]


def test_no_module_records_a_patient_event_by_hand() -> None:
    found = [line for module in _modules() for line in hand_recorded_events(*module)]
    assert found == [], f"use audit_patient(by, patient, action, object_type, obj): {found}"


def test_no_module_copies_service_errors_onto_a_form_by_hand() -> None:
    found = [line for module in _modules() for line in hand_copied_errors(*module)]
    assert found == [], f"use errors_onto(form, exc, place=...): {found}"


def test_no_view_loads_its_patient_by_hand() -> None:
    found = [line for module in _modules() for line in hand_loaded_patients(*module)]
    assert found == [], f"decorate the view with @patient_view(...): {found}"


def test_each_check_finds_the_copy_it_forbids() -> None:
    """A copy of each shape, as it stood in the views before the helpers, is found (so a change
    to the AST walk that silently matches nothing fails here)."""
    copy = ast.parse(
        "def view(request, pk):\n"
        "    patient = get_patient_for(by=actor, pk=pk)\n"
        "    record_event(by=actor, action=VIEW, object_type='x', patient_id=patient.pk)\n"
        "    for error in exc.errors:\n"
        "        form.add_error(error.field, error.message)\n"
        "    [form.add_error(None, e.message) for e in exc.errors]\n"
    )
    assert hand_recorded_events("portal/views/care.py", copy) == ["portal/views/care.py:3"]
    assert hand_copied_errors("clinical/forms.py", copy) == [
        "clinical/forms.py:4",
        "clinical/forms.py:6",
    ]
    assert hand_loaded_patients("history/views.py", copy) == ["history/views.py:2 get_patient_for"]
    assert hand_loaded_patients("history/services.py", copy) == []
