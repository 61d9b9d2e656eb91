"""axe-core for the browser tests: installed from the npm registry by the test set-up into a
cache directory outside the repository, pinned to one version and checked against its SHA-256.

Without npm (or without the registry) the accessibility tests skip with the reason, except
under ``CI=true`` where a missing axe-core is a failure. ``AXE_CORE_JS`` names an already
downloaded ``axe.min.js`` instead (it must match the pinned digest too).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

AXE_VERSION = "4.14.1"
# The digest of that version's axe.min.js: a changed file (another version, a tampered
# package) is refused rather than trusted. Update both together.
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
# The WCAG 2.0/2.1/2.2 A and AA rules: the level the product promises (docs/accessibility.md).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trdnav-tests" / f"axe-core-{AXE_VERSION}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checked(path: Path) -> str | None:
    """The file's text when it is the pinned version; otherwise None."""
    if path.is_file() and _digest(path) == AXE_SHA256:
        return path.read_text(encoding="utf-8")
    return None


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One installer at a time across pytest-xdist workers."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / f".{directory.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install(target: Path) -> str:
    """``npm install axe-core@<version>`` into a temporary prefix, then moved into place;
    returns why it failed, or an empty string."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (apt-get install npm), so axe-core cannot be installed"
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        command = [
            npm, "install", "--prefix", scratch, "--no-save", "--no-audit", "--no-fund",
            "--ignore-scripts", "--loglevel=error", f"axe-core@{AXE_VERSION}",
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            return f"npm install axe-core@{AXE_VERSION} took more than 300 s"
        installed = Path(scratch) / "node_modules" / "axe-core"
        if done.returncode != 0 or not installed.is_dir():
            return f"npm install axe-core@{AXE_VERSION} failed: {done.stderr.strip()[-500:]}"
        if _digest(installed / "axe.min.js") != AXE_SHA256:
            return f"axe-core@{AXE_VERSION} from the registry does not match the pinned SHA-256"
        shutil.rmtree(target, ignore_errors=True)
        installed.rename(target)
    return ""


def axe_source_or_reason() -> tuple[str | None, str]:
    override = os.environ.get("AXE_CORE_JS")
    if override:
        text = _checked(Path(override))
        if text is None:
            return None, f"AXE_CORE_JS={override} is missing or not axe-core {AXE_VERSION}"
        return text, ""
    target = cache_dir()
    text = _checked(target / "axe.min.js")
    if text is not None:
        return text, ""
    with _locked(target):
        text = _checked(target / "axe.min.js")  # another worker may have installed it
        if text is None:
            reason = _install(target)
            if reason:
                return None, reason
            text = _checked(target / "axe.min.js")
    return text, "" if text else f"axe-core {AXE_VERSION} could not be installed"


def require_axe() -> str:
    """axe-core's source; otherwise skip, or fail under CI=true."""
    text, reason = axe_source_or_reason()
    if text is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the accessibility tests cannot run: {reason}")
        pytest.skip(reason)
    return text


RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations'], preload: false});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length,
  }));
}"""


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """axe's violations on the page (the context bypasses the page's CSP to inject it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, AXE_TAGS)
    return violations


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1)
