"""LHC-Forms (npm ``lforms``) for the SDC browser test: fetched with ``npm pack`` (the package
alone, none of its development dependencies) into a cache directory outside the repository,
pinned to one version and checked against the SHA-256 of its tarball before it is unpacked.

Without npm (or without the registry) the test skips with the reason, except under
``CI=true`` where a missing LHC-Forms is a failure. ``LFORMS_TGZ`` names an already downloaded
``lforms-<version>.tgz`` instead (it must match the pinned digest too). Same approach as
``tests/e2e/axe.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

from tests.e2e.axe import _locked

LFORMS_VERSION = "40.1.3"
# The digest of that version's tarball: a changed file (another version, a tampered package)
# is refused rather than trusted. Update both together.
LFORMS_SHA256 = "288cff4360e8a90a44e994a01422d2cf970170000ce915b5739ccc383097edd9"
# What a page needs, in this order, at the end of <body> (docs/interop.md).
SCRIPTS = (
    "webcomponent/assets/lib/zone.min.js",
    "webcomponent/runtime.js",
    "webcomponent/polyfills.js",
    "webcomponent/main.js",
    "fhir/lformsFHIRAll.min.js",
)
STYLES = "webcomponent/styles.css"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trdnav-tests" / f"lforms-{LFORMS_VERSION}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _complete(target: Path) -> bool:
    return (target / ".verified").is_file() and all((target / s).is_file() for s in SCRIPTS)


def _unpack(tarball: Path, target: Path) -> str:
    """Unpacks ``package/dist/lforms/`` of a verified tarball into ``target``."""
    if _digest(tarball) != LFORMS_SHA256:
        return f"{tarball.name} does not match the pinned SHA-256 of lforms {LFORMS_VERSION}"
    prefix = "package/dist/lforms/"
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch, tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and m.isfile()]
        for member in members:
            member.name = member.name[len(prefix) :]
        tar.extractall(scratch, members=members, filter="data")
        (Path(scratch) / ".verified").write_text(LFORMS_SHA256)
        shutil.rmtree(target, ignore_errors=True)
        Path(scratch).rename(target)
        Path(scratch).mkdir()  # for TemporaryDirectory's own clean-up
    return ""


def _download(target: Path) -> str:
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (apt-get install npm), so lforms cannot be installed"
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        command = [npm, "pack", f"lforms@{LFORMS_VERSION}", "--pack-destination", scratch,
                   "--loglevel=error"]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            return f"npm pack lforms@{LFORMS_VERSION} took more than 300 s"
        tarball = Path(scratch) / f"lforms-{LFORMS_VERSION}.tgz"
        if done.returncode != 0 or not tarball.is_file():
            return f"npm pack lforms@{LFORMS_VERSION} failed: {done.stderr.strip()[-500:]}"
        return _unpack(tarball, target)


def lforms_dir_or_reason() -> tuple[Path | None, str]:
    target = cache_dir()
    if _complete(target):
        return target, ""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        if not _complete(target):
            override = os.environ.get("LFORMS_TGZ")
            if override and not Path(override).is_file():
                return None, f"LFORMS_TGZ={override} is missing"
            reason = _unpack(Path(override), target) if override else _download(target)
            if reason:
                return None, reason
    return (target, "") if _complete(target) else (None, "lforms could not be unpacked")


def require_lforms() -> Path:
    """The unpacked ``dist/lforms`` folder; otherwise skip, or fail under CI=true."""
    found, reason = lforms_dir_or_reason()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the LHC-Forms test cannot run: {reason}")
        pytest.skip(reason)
    return found


def form_page(directory: Path, lforms: Path) -> Path:
    """A test-only page (opened as file://) that loads LHC-Forms; no product route serves it.
    Declared UTF-8: the FHIRPath parser inside the FHIR script fails to load otherwise."""
    scripts = "\n".join(f'<script src="{(lforms / s).as_uri()}"></script>' for s in SCRIPTS)
    page = directory / "lforms.html"
    page.write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<title>LHC-Forms</title><link rel="stylesheet" href="{(lforms / STYLES).as_uri()}">'
        f'</head><body><div id="form"></div>\n{scripts}\n</body></html>\n',
        encoding="utf-8",
    )
    return page
