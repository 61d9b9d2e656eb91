"""No clinical number is typed into a string in the core: thresholds, bands, ages and counts
live in the knowledge base and are read from it (issue 11; docs/clinical-policies.md).

The check parses every module under ``src/trdnav/core`` and looks at each string literal,
including the fixed parts of f-strings. Docstrings are not string literals for this purpose
(they describe, with dates and section numbers, and nothing reads them). From each literal it
first removes the tokens that carry digits without being quantities:

* policy ids such as ``P-W2`` and ``P-O12`` (the project's register, docs/clinical-policies.md);
* snake-case codes such as ``phq9``, ``qids_sr16`` or ``item16_not_assessed`` (names of
  instruments, items and algorithms from the knowledge files, not numbers);
* the encoding name ``UTF-8``.

Whatever still contains a digit must be listed in ``ALLOWED`` below, with its reason. A new
entry is a review question: could this number change when a knowledge file is edited? If so,
read it from the knowledge base instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "trdnav" / "core"

NOT_QUANTITIES = re.compile(
    r"\bP-[A-Z]+\d+\b"  # policy ids
    r"|\b[a-z][a-z_]*\d+[a-z0-9_]*\b"  # snake-case codes with digits (phq9, cadss6_total)
    r"|\b(?:utf|UTF)-8\b",  # the encoding's name
)

# (module relative to core/, literal) -> why its digits are not a clinical number to move.
ALLOWED: dict[tuple[str, str], str] = {
    # Error-message formats: a count or a lower bound of the input's *type*, not a clinical rule.
    (
        "measurement/outcome.py",
        "must be a whole number of days ≥ 0",
    ): "a duration is never negative",
    (
        "medications/load.py",
        "must be at least 1",
    ): "a count in a knowledge file is positive",
    (
        "scheduling.py",
        "every_days must be at least 1",
    ): "an interval is at least one day",
    (
        "recommend/patient.py",
        "must be a whole number of years from 0 to ",
    ): "ages start at 0; the maximum is MAX_AGE",
    (
        "recommend/patient.py",
        "gives an age outside 0 to ",
    ): "ages start at 0; the maximum is MAX_AGE",
    (
        "recommend/fact_input.py",
        "must be 1, 2 or 3",
    ): "the three trimesters of pregnancy (a calendar fact)",
    (
        "knowledge/therapies/parse_therapy.py",
        "must be a non-empty list of 1, 2 or 3",
    ): "the three trimesters of pregnancy",
    # Regular expressions: character classes and repetition counts, not quantities.
    (
        "medications/load.py",
        "^[a-z0-9]+(_[a-z0-9]+)*$",
    ): "the pattern of a code",
    (
        "medications/parse.py",
        "^\\d{4}-\\d{2}-\\d{2}$",
    ): "the pattern of an ISO date",
    # Technical limits on input size (core/limits.py), not clinical numbers.
    (
        "limits.py",
        "Largest JSON document read from a file, standard input or a form (about 2.5 MB).",
    ): "help text of a technical limit",
    (
        "limits.py",
        "Deepest nesting of arrays and objects; the deepest real document (a history) uses 4.",
    ): "help text of a technical limit",
    (
        "limits.py",
        "A daily dose above 100 g is a typing error for every drug in the knowledge base.",
    ): "help text of a plausibility limit on typing, not a dosing rule",
    (
        "limits.py",
        "Weeks of one trial (about 190 years).",
    ): "help text of a technical limit",
    (
        "limits.py",
        "Paging offset in list endpoints (a database's 64-bit integer would overflow at 2⁶³).",
    ): "help text of a technical limit",
    # Names that contain digits: an instrument's name, a stage's name, a spec section.
    (
        "measurement/outcome.py",
        "early improvement was defined on the HAM-D17; applied here by analogy",
    ): "HAM-D17 is the instrument's name",
    (
        "staging/thase_rush.py",
        "0",
    ): "stage 0 is the name of the Thase-Rush stage, not a count",
    (
        "measurement/outcome.py",
        " has no outcome definitions in the research (A12); for CGI-I and PGI-I the "
        "responder flag is part of the score itself",
    ): "A12 is a section of the instruments research note",
    (
        "measurement/outcome.py",
        "baseline 0: percent reduction undefined; remission still evaluated (P-A10)",
    ): "division by zero, not a threshold",
    # The C-SSRS's own time frame: part of the instrument's questions ("in the past 3 months"),
    # which the triage rules name when they say which question was skipped.
    (
        "instruments/cssrs_triage.py",
        " = yes without its 3-month follow-up: treated as within the past 3 months (high); "
        "skip logic not followed (P-A7)",
    ): "the C-SSRS question's own wording",
    (
        "instruments/cssrs_triage.py",
        " = yes in the since-last-contact version, which has no 3-month follow-up: triaged "
        "as recent behaviour (high) (P-A7)",
    ): "the C-SSRS question's own wording",
}


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def literals_with_digits(root: Path) -> list[tuple[str, int, str]]:
    """(module, line, literal) for every string literal with a digit left after the tokens
    that are not quantities are removed."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if id(node) in skip or not re.search(r"\d", NOT_QUANTITIES.sub("", node.value)):
                continue
            found.append((path.relative_to(root).as_posix(), node.lineno, node.value))
    return found


def test_no_string_literal_in_the_core_holds_a_number_outside_the_allowlist() -> None:
    unexpected = [
        f"{module}:{line}: {text!r}"
        for module, line, text in literals_with_digits(CORE)
        if (module, text) not in ALLOWED
    ]
    assert unexpected == [], "read these numbers from the knowledge base:\n" + "\n".join(unexpected)


def test_every_allowlist_entry_is_still_needed_and_has_a_reason() -> None:
    present = {(module, text) for module, _, text in literals_with_digits(CORE)}
    assert [entry for entry in ALLOWED if entry not in present] == []
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_check_flags_a_band_sentence_typed_into_code(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        '"""Docstring with 2025-01-01 is fine."""\n'
        'CODE = "phq9"\n'
        'POLICY = "P-W2"\n'
        'TEXT = f"Total {7}. Bands: mild 3–6, moderate 7–10."\n',
        encoding="utf-8",
    )
    assert [text for _, _, text in literals_with_digits(tmp_path)] == [
        ". Bands: mild 3–6, moderate 7–10."
    ]
