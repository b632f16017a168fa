from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.catalog.load import load_bundled
from advisor.checks.selection import RuleSelection
from advisor.pipeline import Checker, FileReport
from advisor.sources import Source

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalog():
    return load_bundled()


@pytest.fixture(scope="session")
def checker(catalog):
    return Checker(catalog)


@pytest.fixture
def check(checker):
    """Checks SQL text as a file would be checked; returns the FileReport."""

    def run(text: str | bytes, path: str = "query.sql", rules: RuleSelection = RuleSelection()) -> FileReport:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return checker.check(Source(path, data), rules)

    return run


def rules_of(report: FileReport) -> set[str]:
    return {finding.rule for finding in report.findings} - {"OW001"}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


def sqladvise(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None,
              spawned: bool = False) -> Run:
    """The installed command, as a user runs it; `spawned`: its workers started as on Windows."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    command = ([sys.executable, str(ROOT / "tests" / "as_on_windows.py")] if spawned
               else [str(Path(sys.executable).parent / "sqladvise")]) + list(args)
    done = subprocess.run(command, input=stdin, capture_output=True, cwd=cwd or ROOT, env=env, timeout=120)
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema, from the team's shared folder next to the repository."""
    return json.loads((ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def with_fault(monkeypatch):
    """Runs sqladvise in this process with the checker failing on the files whose path ends with
    `victim`, as a bug in sqladvise would (forked workers inherit the fault); returns the exit code."""
    from advisor import cli, pipeline

    real_check = pipeline.Checker.check

    def run(victim: str, *args: str) -> int:
        def failing(self, source, rules, plan=None):
            if source.path.endswith(victim):
                raise ValueError("injected fault")
            return real_check(self, source, rules, plan)

        monkeypatch.setattr(pipeline.Checker, "check", failing)
        monkeypatch.setattr(sys, "argv", ["sqladvise", *args])
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
        return exit_info.value.code

    return run
