"""Baselines: today's findings recorded, later runs report only new ones, and moving code does not
bring old ones back."""

import json

import pytest
from conftest import sqladvise

HEADER = "-- Author: Dana Whitfield\n"
OLD = "SELECT a.personID FROM Attendance a\n"  # SC001 and more, accepted for now
NEW = "SELECT g.personID FROM GradingScore g\n"  # a different statement: its findings are new


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "legacy.sql").write_text(HEADER + OLD)
    return tmp_path


def findings(run) -> list[tuple[str, str]]:
    return [(file["path"], f["rule"]) for file in run.json()["files"] for f in file["findings"]]


def test_write_then_check_reports_nothing_old_and_exits_0(repo):
    assert sqladvise("check", "sql", cwd=repo).code == 1
    written = sqladvise("check", "--write-baseline", "baseline.json", "sql", cwd=repo)
    assert written.code == 0 and "recorded" in written.stderr
    document = json.loads((repo / "baseline.json").read_text())
    assert {e["rule"] for e in document["findings"]} >= {"SC001"}
    assert all(e["path"] == "sql/legacy.sql" for e in document["findings"])
    run = sqladvise("check", "--format", "json", "--baseline", "baseline.json", "sql", cwd=repo)
    assert run.code == 0 and findings(run) == []
    assert {f["suppression"] for f in run.json()["files"][0]["suppressed"]} == {"external"}


def test_moved_code_stays_baselined_and_new_code_is_reported(repo):
    sqladvise("check", "--write-baseline", "baseline.json", "sql", cwd=repo)
    # lines added above, spacing and comments changed: the same findings
    (repo / "sql" / "legacy.sql").write_text(HEADER + "\n\n-- the attendance list\n" + "select  a.personID\n  FROM Attendance a -- all years\n"
                                             + NEW)
    run = sqladvise("check", "--format", "json", "--baseline", "baseline.json", "sql", cwd=repo)
    reported = findings(run)
    assert reported and all(path.endswith("legacy.sql") for path, _ in reported)
    assert {f["line"] for f in run.json()["files"][0]["findings"]} == {7}  # only the new statement
    assert run.code == 1


def test_a_file_that_could_not_be_analysed_is_not_baselined_and_a_baseline_does_not_hide_it(repo):
    (repo / "sql" / "binary.sql").write_bytes(b"SELECT 1\x00\x01")
    written = sqladvise("check", "--write-baseline", "baseline.json", "sql", "missing.sql", cwd=repo)
    assert written.code == 2
    document = json.loads((repo / "baseline.json").read_text())
    assert {e["path"] for e in document["findings"]} == {"sql/legacy.sql"}
    # a baseline that holds such a finding, written before: the reason is still reported
    document["findings"].append({"path": "missing.sql", "rule": "PA002", "fingerprint": "df33f44fc8ab0971:0"})
    (repo / "baseline.json").write_text(json.dumps(document))
    run = sqladvise("check", "--format", "json", "--baseline", "baseline.json", "sql", "missing.sql", cwd=repo)
    assert run.code == 2 and sorted(findings(run)) == [("missing.sql", "PA002"), ("sql/binary.sql", "PA002")]


def test_a_second_identical_finding_is_new(repo):
    sqladvise("check", "--write-baseline", "baseline.json", "sql", cwd=repo)
    (repo / "sql" / "legacy.sql").write_text(HEADER + OLD + OLD)
    run = sqladvise("check", "--format", "json", "--baseline", "baseline.json", "sql", cwd=repo)
    assert {f["line"] for f in run.json()["files"][0]["findings"]} == {3}


def test_the_baseline_works_from_another_folder(repo):
    sqladvise("check", "--write-baseline", "baseline.json", "sql", cwd=repo)
    run = sqladvise("check", "--format", "json", "--baseline", "../baseline.json", "legacy.sql", cwd=repo / "sql")
    assert run.code == 0 and findings(run) == []


@pytest.mark.parametrize("content, says", [
    (None, "no such baseline file"),
    ("{not json", "not a readable baseline"),
    ('{"format": "something-else"}', "not a sqladvise baseline"),
    ('{"format": "sqladvise-baseline", "version": 1, "findings": [{"path": 3}]}', "findings[0] must have a path"),
    ("folder", "baseline.json: not a readable baseline: Is a directory"),
])
def test_a_bad_baseline_is_one_line_exit_3(repo, content, says):
    if content == "folder":
        (repo / "baseline.json").mkdir()
    elif content is not None:
        (repo / "baseline.json").write_text(content)
    run = sqladvise("check", "--baseline", "baseline.json", "sql", cwd=repo)
    assert run.code == 3 and says in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_baseline_and_write_baseline_together_is_a_usage_error(repo):
    run = sqladvise("check", "--baseline", "a.json", "--write-baseline", "b.json", "sql", cwd=repo)
    assert run.code == 3 and not (repo / "b.json").exists()
