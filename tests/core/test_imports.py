"""Every core package and module imports on its own, in a fresh interpreter.

A cycle between two core packages only shows when the lower one is imported first, which the
app and the test suite never do by accident; an EHR hook or a notebook does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import trdnav.core

CORE_DIR = Path(trdnav.core.__file__).parent


def core_modules() -> list[str]:
    """``trdnav.core``, each of its subpackages and each of its top-level modules.

    Importing any module first runs its package's ``__init__``, which is where a cycle bites.
    """
    names = ["trdnav.core"]
    for path in sorted(CORE_DIR.iterdir()):
        if (path / "__init__.py").is_file():
            names.append(f"trdnav.core.{path.name}")
        elif path.suffix == ".py" and path.stem != "__init__":
            names.append(f"trdnav.core.{path.stem}")
    return names


def import_alone(module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_module_list_covers_every_core_subpackage() -> None:
    modules = core_modules()
    subpackages = sorted(p.name for p in CORE_DIR.iterdir() if (p / "__init__.py").is_file())
    assert {"history", "instruments", "knowledge", "medications", "staging"} <= set(subpackages)
    assert all(f"trdnav.core.{name}" in modules for name in subpackages)
    assert "trdnav.core.vocabulary" in modules


@pytest.mark.parametrize("module", core_modules())
def test_each_core_package_imports_in_a_fresh_interpreter(module: str) -> None:
    result = import_alone(module)
    assert result.returncode == 0, result.stderr


def test_the_fresh_import_check_sees_an_import_error() -> None:
    result = import_alone("trdnav.core.no_such_module")
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr
