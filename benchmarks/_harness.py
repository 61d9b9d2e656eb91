"""What every ``benchmarks/bench_<name>.py`` shares: its options, its table and its JSON file.

Each benchmark is run as ``.venv/bin/python benchmarks/bench_<name>.py [--smoke] [--out DIR]``;
it prints a table and writes ``DIR/<name>.json`` (``DIR`` is ``benchmark-results/`` by default).
The JSON always holds ``benchmark`` (the name), ``smoke`` (tiny inputs or not), ``machine`` (what
it ran on, with the load average: other work on the machine moves absolute numbers) and
``rows`` (one object per line of the table); a benchmark adds its own keys beside them
(``targets``, ``notes``...). ``tests/benchmarks/test_bench_smoke.py`` checks these keys.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "benchmark-results"
REQUIRED_KEYS = ("benchmark", "smoke", "machine", "rows")


def parse_options(
    description: str, argv: Sequence[str] | None = None, **extra: dict[str, Any]
) -> argparse.Namespace:
    """``--smoke`` and ``--out`` for every benchmark, plus ``extra`` options by name (each a
    dict of ``add_argument`` keywords). Also makes SIGTERM exit through ``finally`` blocks."""
    stop_cleanly_on_sigterm()
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs; finishes in seconds")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the JSON")
    for name, keywords in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, **keywords)
    return parser.parse_args(argv)


def stop_cleanly_on_sigterm() -> None:
    """Turn SIGTERM (``make bench`` running out of time) into SystemExit, so that ``finally``
    blocks stop the server and drop the scratch database instead of leaving them behind."""

    def _exit(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def machine() -> dict[str, Any]:
    """The machine and how busy it was when the numbers were taken."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_1min": round(load[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def write_report(
    out: Path, name: str, *, smoke: bool, rows: list[dict[str, Any]], **more: Any
) -> Path:
    """Write ``out/<name>.json`` and return its path."""
    report = {"benchmark": name, "smoke": smoke, "machine": machine(), "rows": rows, **more}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {path}")
    return path


def print_table(title: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """A plain-text table of ``rows`` (dicts) under ``columns`` (their keys)."""
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(c), *(len(line[i]) for line in cells)]) for i, c in enumerate(columns)]
    print(f"\n{title}")
    print("  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)))
    print("  ".join("-" * width for width in widths))
    for line in cells:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))
    sys.stdout.flush()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
