"""Many files across processes: the same report in the same order whatever the number of processes,
one failing file never stops the others, and a progress bar only on a terminal."""

import json
import os
import pty
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, sqladvise

from advisor import run


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """The extract and pair samples, three times over, plus an unreadable file in the middle."""
    folder = tmp_path_factory.mktemp("many")
    for copy in range(3):
        for kind in ("extracts", "pairs"):
            shutil.copytree(ROOT / "sample_queries" / kind, folder / f"copy{copy}" / kind)
    (folder / "copy1" / "binary.sql").write_bytes(b"\x00\x01\x02" * 50)
    return folder


def test_the_report_is_the_same_in_the_same_order_with_any_number_of_processes(many):
    one = sqladvise("check", "--format", "json", "--jobs", "1", str(many))
    two = sqladvise("check", "--format", "json", "--jobs", "2", str(many))
    assert len(one.json()["files"]) > run.PARALLEL_FROM * 4
    assert one.code == two.code == 2  # the binary file could not be analysed; the others were
    assert one.stdout == two.stdout
    paths = [file["path"] for file in two.json()["files"]]
    assert paths[0].endswith("copy0/extracts/" + sorted(os.listdir(many / "copy0" / "extracts"))[0])
    assert any(path.endswith("binary.sql") for path in paths)


def test_workers_started_as_on_windows_give_the_same_report(many):
    forked = sqladvise("check", "--format", "json", "--jobs", "2", str(many))
    spawned = sqladvise("check", "--format", "json", "--jobs", "2", str(many), spawned=True)
    assert spawned.code == forked.code == 2 and spawned.stdout == forked.stdout


def test_a_fault_in_one_worker_file_is_that_file_s_internal_error(many, with_fault, capsys):
    victim = "copy2/pairs/select_star_view.bad.sql"
    assert with_fault(victim, "check", "--format", "json", "--jobs", "2", str(many)) == 4
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and victim in captured.err and "Traceback" not in captured.err
    files = json.loads(captured.out)["files"]
    failed = [file["path"] for file in files if file.get("internal_error")]
    assert len(failed) == 1 and failed[0].endswith(victim)
    checked = [file for file in files if not file.get("internal_error") and not file["path"].endswith("binary.sql")]
    assert len(checked) == len(files) - 2 and all(file["parsed"] >= 1 for file in checked)


@pytest.fixture(scope="module")
def long_run(many, tmp_path_factory) -> Path:
    """Files enough that one process takes seconds over them on any machine: the bar shows only
    after half a second, and `many` alone takes about that on a fast one."""
    folder = tmp_path_factory.mktemp("long")
    for copy in range(5):
        shutil.copytree(many, folder / f"set{copy}")
    return folder


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(long_run):
    command = [str(Path(sys.executable).parent / "sqladvise"), "check", "--jobs", "1", "--format", "json", str(long_run)]
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    primary, secondary = pty.openpty()
    chunks: list[bytes] = []

    def read_terminal() -> None:
        """Read what the terminal shows while the check runs: a pseudo-terminal holds some 16 KB,
        and a bar redrawn for longer than that would stop the check at its next write."""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=secondary, env=env, timeout=300)
    os.close(secondary)
    reader.join(timeout=10)
    os.close(primary)
    shown = b"".join(chunks)
    assert done.returncode == 2
    assert b"checking" in shown and b"/" in shown  # "checking ━━━━ 12/124"
    json.loads(done.stdout)  # standard output is the report alone
    piped = sqladvise("check", "--jobs", "1", "--format", "json", str(long_run))
    assert "checking" not in piped.stderr


def test_no_more_processes_than_files_cores_or_windows_allows(monkeypatch):
    monkeypatch.setattr(run, "default_processes", lambda: 128)
    assert run.workers(1000, 4000) == 128 and run.workers(16, 4000) == 16 and run.workers(16, 3) == 3
    monkeypatch.setattr(sys, "platform", "win32")
    assert run.workers(1000, 4000) == run.WINDOWS_MOST_WORKERS == 61 and run.workers(16, 4000) == 16
