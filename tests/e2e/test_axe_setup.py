"""The accessibility tests' set-up: without axe-core they fail under CI=true and skip
elsewhere; a file that is not the pinned version is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e import axe
from tests.e2e.settle import close_settled


def test_without_npm_axe_core_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    monkeypatch.delenv("AXE_CORE_JS", raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm is not installed"):
        axe.require_axe()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="npm is not installed"):
        axe.require_axe()


def test_a_file_that_is_not_the_pinned_axe_core_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    impostor = tmp_path / "axe.min.js"
    impostor.write_text("window.axe = {run: async () => ({violations: []})};")
    monkeypatch.setenv("AXE_CORE_JS", str(impostor))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not axe-core"):
        axe.require_axe()


@pytest.mark.browser
def test_the_axe_run_reports_a_serious_violation_on_a_page_that_has_one(browser: Any) -> None:
    """The walk's own check, on a page made to fail: an image without a text alternative and an
    unlabelled field are critical, and a page that passes gives nothing."""
    source = axe.require_axe()
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.set_content('<html lang="en"><title>t</title><main><img src="x.png">'
                         '<input type="text"></main></html>')  # fmt: skip
        failing = {v["id"] for v in axe.serious(axe.run_axe(page, source))}
        page.set_content('<html lang="en"><title>t</title><main><h1>Fine</h1></main></html>')
        passing = axe.serious(axe.run_axe(page, source))
    finally:
        close_settled(context)
    assert {"image-alt", "label"} <= failing
    assert passing == []
