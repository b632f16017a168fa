"""The time limit on one filter: it stops work that runs past it, leaves alone work that ends in
time (and what runs after it), and needs no interval timer, which Windows lacks."""

import signal
import time

import pytest
from conftest import sqladvise

from advisor import time_limit as limits
from advisor.time_limit import TimeUp, time_limit


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_work_past_its_limit_is_stopped_soon_after():
    started = time.monotonic()
    with pytest.raises(TimeUp):
        with time_limit(0.1):
            _spin(5)
    assert time.monotonic() - started < 1


def test_work_that_ends_in_time_and_what_follows_are_left_alone():
    previous = signal.getsignal(limits._SIGNAL)
    for _ in range(50):
        with time_limit(0.1):
            _spin(0.001)
    _spin(0.3)  # past every deadline set above
    with time_limit(5):  # the watchdog serves the next limit as it did the first
        _spin(0.3)
    assert signal.getsignal(limits._SIGNAL) is previous


def test_a_stopped_work_leaves_the_next_one_its_whole_time():
    with pytest.raises(TimeUp):
        with time_limit(0.1):
            _spin(5)
    with time_limit(1):
        _spin(0.3)


def test_no_interval_timer_is_needed(monkeypatch):
    """Windows has neither SIGALRM nor setitimer: the limit works with another signal's handler."""
    monkeypatch.setattr(limits, "_SIGNAL", signal.SIGUSR1)
    monkeypatch.delattr(signal, "setitimer")
    with pytest.raises(TimeUp):
        with time_limit(0.1):
            _spin(5)
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL


@pytest.mark.parametrize("spawned", [False, True], ids=["forked", "spawned"])
def test_each_process_stops_its_own_slow_filter(tmp_path, spawned):
    values = " OR ".join(f"s.personID = {i}" for i in range(4000))  # about a second to check
    for number in range(12):
        (tmp_path / f"f{number:02}.sql").write_text("-- Author: Dana Whitfield\nSELECT sch.name FROM School sch\n")
    for slow in ("f03.sql", "f09.sql"):
        (tmp_path / slow).write_text(f"-- Author: Dana Whitfield\nSELECT s.personID FROM student s WITH (NOEXPAND) WHERE {values}\n")
    run = sqladvise("batch", "--time-limit", "0.2", "--jobs", "2", "--format", "json", ".", cwd=tmp_path, spawned=spawned)
    found = {row["origin"]: row for row in run.json()["filters"]}
    stopped = sorted(origin for origin, row in found.items() if row["status"] == "error")
    assert stopped == ["f03.sql", "f09.sql"] and "stopped after 0.2 s" in found["f03.sql"]["problem"]
    assert sum(row["status"] == "checked" for row in found.values()) == 10 and run.code == 4


def test_a_forked_process_gets_a_watchdog_of_its_own():
    import os
    with time_limit(1):  # this process's watchdog runs
        pass
    child = os.fork()
    if child == 0:
        try:
            with time_limit(0.1):
                _spin(5)
            os._exit(1)
        except TimeUp:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
