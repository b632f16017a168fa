"""SARIF (validated against the official 2.1.0 schema), GitHub annotations, and --output."""

import json
import ntpath
import os
from pathlib import Path, PureWindowsPath

import jsonschema
import pytest
from conftest import sarif_schema, sqladvise

from advisor.checks.registry import rule_docs
from advisor.sources import relative_path

SCHEMA = sarif_schema()
HEADER = "-- Author: Dana Whitfield\n"
UNSCOPED = "SELECT a.personID FROM Attendance a\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "q.sql").write_text(HEADER + "SELECT * FROM School sch  -- sqladvise: ignore CL001\n" + UNSCOPED)
    return tmp_path


def sarif(*args, cwd) -> dict:
    run = sqladvise("check", "--format", "sarif", *args, cwd=cwd)
    assert run.code in (0, 1), run.stderr
    document = json.loads(run.stdout)
    jsonschema.validate(document, SCHEMA)
    return document


def test_sarif_validates_and_describes_every_rule_from_its_docs(repo):
    (run,) = sarif("q.sql", cwd=repo)["runs"]
    rules = run["tool"]["driver"]["rules"]
    docs = rule_docs()
    assert [rule["id"] for rule in rules] == list(docs)
    select_star = next(rule for rule in rules if rule["id"] == "CL001")
    assert select_star["name"] == "select-star" and select_star["shortDescription"]["text"] == docs["CL001"].title
    assert "### How to fix it" in select_star["help"]["markdown"] and select_star["help"]["text"]
    assert select_star["defaultConfiguration"]["level"] == "warning"
    unused = next(rule for rule in rules if rule["id"] == "PA005")
    assert unused["defaultConfiguration"]["enabled"] is False


def test_sarif_results_locations_and_suppressions(repo):
    (run,) = sarif("q.sql", cwd=repo)["runs"]
    results = {r["ruleId"]: r for r in run["results"]}
    scope = results["SC001"]
    location = scope["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "q.sql", "uriBaseId": "SRCROOT"}
    # "Attendance" at line 3, columns 24-33; SARIF's end column is one past the last character
    assert location["region"] == {"startLine": 3, "startColumn": 24, "endLine": 3, "endColumn": 34}
    assert scope["level"] == "error" and run["tool"]["driver"]["rules"][scope["ruleIndex"]]["id"] == "SC001"
    assert "suppressions" not in scope and "baselineState" not in scope
    assert results["CL001"]["suppressions"] == [{"kind": "inSource"}]
    assert run["invocations"][0]["exitCode"] == 1


def test_a_file_with_no_relative_path_is_named_whole(monkeypatch):
    """On Windows no relative path leads from C: to a file on D: or on a share; os.path.relpath raises."""
    monkeypatch.setattr(os, "path", ntpath)
    assert relative_path(PureWindowsPath("D:/reports/late.sql"), PureWindowsPath("C:/work")) is None
    assert relative_path(PureWindowsPath("//campus-files/sql/late.sql"), PureWindowsPath("C:/work")) is None
    monkeypatch.undo()
    assert relative_path(Path("/work/sql/late.sql"), Path("/work")) == "sql/late.sql"


def test_fingerprints_are_stable_across_runs_and_line_moves(repo):
    def prints():
        (run,) = sarif("q.sql", cwd=repo)["runs"]
        return {r["ruleId"]: r["partialFingerprints"]["sqladvise/v1"] for r in run["results"]}

    first = prints()
    assert first == prints()
    (repo / "q.sql").write_text("\n\n" + (repo / "q.sql").read_text())
    assert prints() == first
    (repo / "q.sql").write_text(HEADER + "SELECT a.personID, a.date FROM Attendance a\n")
    assert prints()["SC001"] != first["SC001"]  # a different statement is a different finding


def test_fingerprints_read_each_statement_without_its_comments_spacing_or_case(check):
    plain = "SELECT a.personID FROM Attendance a\nSELECT g.personID FROM GradingScore g\n"
    noisy = ("-- Author: Sam\nSELECT a.personID /* who */ FROM   Attendance a -- every day\n"
             "/* then */\nselect g.personID\n    from GradingScore g\n")

    def prints(text: str) -> list[str]:
        return [f.fingerprint for f in check(text).findings if f.rule == "SC001"]

    assert len(set(prints(plain))) == 2 and prints(noisy) == prints(plain)
    assert prints(plain.replace("GradingScore g", "GradingScore g WHERE g.score > 1"))[1] != prints(plain)[1]


def test_sarif_marks_baselined_results(repo):
    sqladvise("check", "--write-baseline", "base.json", "q.sql", cwd=repo)
    (repo / "q.sql").write_text((repo / "q.sql").read_text() + "SELECT g.personID FROM GradingScore g\n")
    (run,) = sarif("--baseline", "base.json", "q.sql", cwd=repo)["runs"]
    states = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r for r in run["results"]}
    assert states[("SC001", 3)]["baselineState"] == "unchanged"
    assert states[("SC001", 3)]["suppressions"] == [{"kind": "external"}]
    assert states[("SC001", 4)]["baselineState"] == "new" and "suppressions" not in states[("SC001", 4)]


def test_github_annotations_one_per_finding_with_escaping(tmp_path):
    (tmp_path / "a,b.sql").write_text(HEADER + UNSCOPED)
    run = sqladvise("check", "--format", "github", "a,b.sql", cwd=tmp_path)
    lines = run.stdout.splitlines()
    scope = next(line for line in lines if "SC001" in line)
    assert scope.startswith("::error file=a%2Cb.sql,line=2,col=24,endLine=2,endColumn=33,title=SC001 unscoped-history::")
    assert "Attendance (15.0M rows) is read for every school year" in scope and " Fix: " in scope
    assert lines[-1].startswith("sqladvise: 1 file, ") and run.code == 1
    (tmp_path / "clean.sql").write_text(HEADER + "SELECT sch.name FROM School sch\n")
    summary = sqladvise("check", "--format", "github", "clean.sql", cwd=tmp_path).stdout.splitlines()[-1]
    assert summary == "sqladvise: 1 file, 0 findings (0 errors, 0 warnings, 0 info)"  # as the text report counts them


def test_github_summary_says_when_annotations_are_cut(tmp_path):
    (tmp_path / "many.sql").write_text(HEADER + UNSCOPED * 12)
    lines = sqladvise("check", "--format", "github", "many.sql", cwd=tmp_path).stdout.splitlines()
    assert sum(line.startswith("::error ") for line in lines) >= 12
    assert "GitHub shows 10 annotations of each level per step" in lines[-1]


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_output_writes_the_whole_report_to_a_file(repo, output_format):
    run = sqladvise("check", "--format", output_format, "--output", "report.out", "q.sql", cwd=repo)
    assert run.code == 1 and run.stdout == ""
    written = (repo / "report.out").read_text()
    stdout = sqladvise("check", "--format", output_format, "q.sql", cwd=repo).stdout
    assert written == stdout
    assert [name for name in os.listdir(repo) if name.endswith(".tmp")] == []


def test_output_to_a_folder_that_does_not_exist_is_one_line_exit_3(repo):
    run = sqladvise("check", "--output", "missing/report.txt", "q.sql", cwd=repo)
    assert run.code == 3 and "cannot write" in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, says", [
    (("check", "--output", "folder", "q.sql"), "cannot write folder: Is a directory"),
    (("check", "--write-baseline", "q.sql/baseline.json", "q.sql"), "cannot write q.sql/baseline.json: Not a directory"),
    (("batch", "--report", "folder", "q.sql"), "cannot write folder: Is a directory"),
    (("batch", "--output", "missing/rows.json", "q.sql"), "cannot write missing/rows.json: No such file or directory"),
    # said before the database is asked: this address would fail otherwise
    (("catalog", "pull", "--url", "mssql+pyodbc://nobody@127.0.0.1:1/Campus", "--output", "folder"),
     "cannot write folder: Is a directory"),
])
def test_a_file_that_cannot_be_written_is_said_before_the_work(repo, args, says):
    (repo / "folder").mkdir()
    run = sqladvise(*args, cwd=repo)
    assert run.code == 3 and run.stderr.strip() == f"sqladvise: error: {says}" and run.stdout == ""


@pytest.mark.parametrize("args, option", [
    (("check", "--output", "q.sql", "q.sql"), "--output"),
    (("check", "--write-baseline", "./q.sql", "."), "--write-baseline"),
    (("batch", "--report", "q.sql", "."), "--report"),
])
def test_a_report_is_never_written_over_a_file_it_checks(repo, args, option):
    sql = (repo / "q.sql").read_bytes()
    run = sqladvise(*args, cwd=repo)
    assert run.code == 3 and run.stderr.startswith(f"sqladvise: error: {option} ") and "one of the files to check" in run.stderr
    assert (repo / "q.sql").read_bytes() == sql


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path):
    from advisor.atomic_write import write_atomic

    target = tmp_path / "report.sarif"
    target.write_text("yesterday's report")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "half a report \ud800 and the rest")  # fails midway through writing
    assert target.read_text() == "yesterday's report" and os.listdir(tmp_path) == ["report.sarif"]
    write_atomic(target, "today's report")
    assert target.read_text() == "today's report" and os.listdir(tmp_path) == ["report.sarif"]
