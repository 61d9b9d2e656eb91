"""Run every ``benchmarks/bench_*.py`` in turn within one time budget (``make bench``).

Run: ``.venv/bin/python benchmarks/run.py [--seconds S] [--smoke] [--out DIR]``. Each benchmark
gets what is left of the ``S`` seconds (``BENCH_SECONDS`` in the Makefile); one that runs past
it is stopped (SIGTERM, which a benchmark turns into a clean exit that stops its server and
drops its scratch database; SIGKILL 30 s later) and reported as such, and the next ones are
skipped. Exit status 1 when any
benchmark failed, was stopped or was skipped. This is never part of ``make test``: numbers
depend on the machine; ``tests/benchmarks/test_bench_smoke.py`` checks only that each runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[Path]:
    return sorted(HERE.glob("bench_*.py"))


def run_one(script: Path, extra: list[str], budget: float) -> str:
    """``ok``, ``failed (status N)`` or ``stopped after S s``; output goes straight through."""
    process = subprocess.Popen([sys.executable, str(script), *extra], start_new_session=True)
    try:
        status = process.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        # The whole process group: a benchmark may have started a server and a load generator.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return f"stopped after {budget:.0f} s"
    return "ok" if status == 0 else f"failed (status {status})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1800, help="budget for all of them")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    extra = ["--smoke"] if args.smoke else []
    extra += ["--out", str(args.out)] if args.out else []
    scripts = discover()
    if not scripts:
        print("no benchmarks/bench_*.py found")
        return 1
    deadline = time.monotonic() + args.seconds
    outcomes = {}
    for script in scripts:
        left = deadline - time.monotonic()
        if left <= 0:
            outcomes[script.name] = "skipped (no time left)"
            continue
        print(f"\n==== {script.name} (at most {left:.0f} s)", flush=True)
        began = time.monotonic()
        outcome = run_one(script, extra, left)
        outcomes[script.name] = f"{outcome} in {time.monotonic() - began:.0f} s"
    print("\n==== summary")
    for name, outcome in outcomes.items():
        print(f"  {name:<28} {outcome}")
    return 0 if all(o.startswith("ok") for o in outcomes.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
