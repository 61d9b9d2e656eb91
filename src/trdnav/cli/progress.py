"""A progress bar on standard error for long commands; silent when stderr is not a terminal
(cron, pipes, CI logs), so scripts read only the command's output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int, str], None]


def _quiet(done: int, total: int, note: str = "") -> None:
    return None


@contextmanager
def progress_bar(label: str, *, enabled: bool | None = None) -> Iterator[Progress]:
    """Yields ``progress(done, total, note)``, the callback long work reports to."""
    if not (sys.stderr.isatty() if enabled is None else enabled):
        yield _quiet
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    task = bar.add_task(label, total=None)

    def report(done: int, total: int, note: str = "") -> None:
        bar.update(task, completed=done, total=total or None,
                   description=f"{label} {note}".strip())  # fmt: skip

    with bar:
        yield report
