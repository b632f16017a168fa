"""A progress bar on standard error for runs long enough to need one.

It appears only on a terminal, and only once the run has taken more than a moment, so a
pre-commit run on one file never imports rich for it; it disappears when the run ends.
"""

from __future__ import annotations

import sys
import time

SHOW_AFTER = 0.5  # seconds


class Progress:
    def __init__(self, total: int, label: str = "checking"):
        self.total, self.label, self.done = total, label, 0
        self._started = time.monotonic()
        self._bar = None
        self._task = None
        self._wanted = total > 1 and sys.stderr.isatty()

    def advance(self) -> None:
        self.done += 1
        if self._bar is None and self._wanted and self.done < self.total and time.monotonic() - self._started > SHOW_AFTER:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        self._bar = Bar(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=Console(file=sys.stderr), transient=True)
        self._task = self._bar.add_task(self.label, total=self.total, completed=self.done)
        self._bar.start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_) -> None:
        self.close()
