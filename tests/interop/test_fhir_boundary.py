"""FHIR stays at the edge: only trdnav.interop speaks it, and it reads no clock or request."""

from __future__ import annotations

from pathlib import Path

import trdnav
from tests.core.test_purity import imported_modules

SRC = Path(trdnav.__file__).parent
FHIR_LIBRARIES = ("fhir", "fhirpathpy", "fhirclient", "fhirpy", "jsonschema_rs")
# The modules that read the apps: one patient's Bundle, and a clinic's bulk $export (its job,
# its HTTP views and their URLs). Everything else in interop is pure mapping.
READS_THE_APPS = {"export", "bulk", "bulk_views", "bulk_urls"}


def test_no_module_outside_interop_imports_a_fhir_library() -> None:
    leaks = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted(SRC.rglob("*.py"))
        if "interop" not in path.relative_to(SRC).parts
        for name in imported_modules(path)
        if name.split(".")[0] in FHIR_LIBRARIES
    ]
    assert leaks == []


def test_the_mapping_modules_use_no_database_and_no_clock() -> None:
    mapping = sorted((SRC / "interop").glob("*.py"))
    assert len(mapping) > 5
    for path in mapping:
        if path.stem in READS_THE_APPS:
            continue
        text = path.read_text(encoding="utf-8")
        names = imported_modules(path)
        assert not [n for n in names if n.startswith("django")], path.name
        assert not [
            n
            for n in names
            if n.startswith("trdnav.") and not n.startswith(("trdnav.core", "trdnav.interop"))
        ], path.name
        assert ".now(" not in text and "today(" not in text, path.name
