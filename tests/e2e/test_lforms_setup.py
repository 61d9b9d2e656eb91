"""The LHC-Forms test's set-up: without lforms it fails under CI=true and skips elsewhere; a
tarball that is not the pinned version is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import lforms


def test_without_npm_lforms_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    monkeypatch.delenv("LFORMS_TGZ", raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="npm is not installed"):
        lforms.require_lforms()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="npm is not installed"):
        lforms.require_lforms()


def test_a_tarball_that_is_not_the_pinned_lforms_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    impostor = tmp_path / "lforms.tgz"
    impostor.write_bytes(b"not the package")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LFORMS_TGZ", str(impostor))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="does not match the pinned SHA-256"):
        lforms.require_lforms()
    monkeypatch.setenv("LFORMS_TGZ", str(tmp_path / "absent.tgz"))
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        lforms.require_lforms()
