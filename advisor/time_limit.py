"""A time limit on work in the main thread, the same on every platform: a watchdog thread wakes
at the deadline and interrupts the main thread with a simulated signal, whose handler raises
TimeUp there. An interval timer (SIGALRM) would do on Linux and macOS alone: Windows, where many
district DBAs run their checks, has none.

Like a real signal, the interruption lands between two Python steps, so work inside one long C
call (parsing one huge statement) ends when that call returns."""

from __future__ import annotations

import _thread
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# The signal simulated: only its handler runs, no signal is sent. Windows lets Python handle few
# signals; Ctrl+Break's is one that no check needs.
_SIGNAL = getattr(signal, "SIGALRM", None) or signal.SIGBREAK


class TimeUp(BaseException):
    """The time is up: a BaseException, so that no `except Exception` on the way swallows it."""


_running: object | None = None  # the limited work now in the main thread
_expired: object | None = None  # the work the watchdog last found past its deadline


def _interrupted(*_) -> None:
    # A watchdog that wakes just as the work ends interrupts what comes after it: that is not the
    # work it timed, and goes on.
    if _running is not None and _expired is _running:
        raise TimeUp


class _Watchdog(threading.Thread):
    """Sleeps until the deadline of the work registered, if it is still registered then."""

    def __init__(self) -> None:
        super().__init__(name="sqladvise time limit", daemon=True)
        self.changed = threading.Condition()
        self.work: tuple[object, float] | None = None  # the work and its deadline on time.monotonic()
        self.start()

    def run(self) -> None:
        global _expired
        with self.changed:
            while True:
                if self.work is None:
                    self.changed.wait()
                    continue
                work, deadline = self.work
                left = deadline - time.monotonic()
                if left > 0:
                    self.changed.wait(left)
                    continue
                self.work = None
                _expired = work
                _thread.interrupt_main(_SIGNAL)


_watchdog: _Watchdog | None = None


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raises TimeUp in the block once `seconds` pass. Only in the main thread, where Python
    runs signal handlers."""
    global _running, _watchdog
    work = object()
    previous = signal.signal(_SIGNAL, _interrupted)
    if _watchdog is None or not _watchdog.is_alive():  # a forked worker has none of its parent's threads
        _watchdog = _Watchdog()
    _running = work
    with _watchdog.changed:
        _watchdog.work = (work, time.monotonic() + seconds)
        _watchdog.changed.notify()
    try:
        yield
    finally:
        _running = None  # first: from here on an interruption does nothing
        with _watchdog.changed:  # an interruption on its way has arrived once the watchdog lets go
            _watchdog.work = None
        # signal.signal runs the handlers of signals that arrived before it changes one
        signal.signal(_SIGNAL, previous)
