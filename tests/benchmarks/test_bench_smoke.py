"""Every ``benchmarks/bench_*.py`` runs on tiny inputs (``--smoke``), exits 0 and writes its JSON.

The benchmarks are found by glob, so a new one is checked as soon as it exists. Only that they
run is checked here: their numbers depend on the machine and are never a pass/fail condition
(``make bench``, docs/performance.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("bench_*.py"))
# What every benchmark's JSON holds (benchmarks/_harness.py, REQUIRED_KEYS).
REQUIRED_KEYS = {"benchmark", "smoke", "machine", "rows"}


def test_there_are_benchmarks_to_run() -> None:
    assert SCRIPTS, f"no bench_*.py in {BENCHMARKS}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_each_benchmark_runs_on_tiny_inputs_and_writes_its_json(
    script: Path, tmp_path: Path
) -> None:
    # The benchmark chooses its own settings and database, as when run by hand.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(script), "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    name = script.stem.removeprefix("bench_")
    report = json.loads((tmp_path / f"{name}.json").read_text())
    assert set(report) >= REQUIRED_KEYS, sorted(report)
    assert report["benchmark"] == name
    assert report["smoke"] is True
    assert isinstance(report["rows"], list) and report["rows"]


def test_make_bench_skips_what_its_time_bound_leaves_no_room_for(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--seconds", "0", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    for script in SCRIPTS:
        assert script.name in done.stdout
    assert done.stdout.count("skipped (no time left)") == len(SCRIPTS)
