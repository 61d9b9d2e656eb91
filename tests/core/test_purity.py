"""trdnav.core must stay pure: no framework, no database, no outer layer."""

from __future__ import annotations

import ast
from pathlib import Path

import trdnav.core

FORBIDDEN_PREFIXES = (
    "django",
    "ninja",
    "psycopg",
    "sqlite3",
    "requests",
    "httpx",
    "socket",
    "urllib.request",
)
CORE_PACKAGE = "trdnav.core"
CORE_DIR = Path(trdnav.core.__file__).parent


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def forbidden(name: str) -> bool:
    """A framework or network module, or any ``trdnav.*`` that is not ``trdnav.core``."""
    outside_core = (name == "trdnav" or name.startswith("trdnav.")) and not (
        name == CORE_PACKAGE or name.startswith(f"{CORE_PACKAGE}.")
    )
    return outside_core or name.startswith(FORBIDDEN_PREFIXES)


def test_core_imports_nothing_from_django_or_the_outer_layers() -> None:
    leaks = [
        f"{path.relative_to(CORE_DIR)} imports {name}"
        for path in sorted(CORE_DIR.rglob("*.py"))
        for name in imported_modules(path)
        if forbidden(name)
    ]
    assert leaks == []


def test_every_trdnav_package_outside_the_core_is_forbidden() -> None:
    # Apps that do not exist yet are covered too: the rule is "not trdnav.core", not a list.
    assert forbidden("trdnav.courses.models")
    assert forbidden("trdnav.history.services")
    assert forbidden("trdnav.interop.questionnaire")
    assert forbidden("trdnav")
    assert forbidden("trdnav.corex")
    assert not forbidden("trdnav.core.history.model")
    assert not forbidden("trdnav.core")


def test_the_purity_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("from django.db import models\nimport trdnav.web.views\n")
    assert imported_modules(module) == ["django.db", "trdnav.web.views"]
    assert all(forbidden(name) for name in imported_modules(module))


def test_core_never_reads_the_clock() -> None:
    # An explicit as_of keeps every clinical result reproducible.
    offenders = [
        str(path.relative_to(CORE_DIR))
        for path in sorted(CORE_DIR.rglob("*.py"))
        if any(
            call in path.read_text(encoding="utf-8")
            for call in ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time(")
        )
    ]
    assert offenders == []
