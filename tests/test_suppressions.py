"""Suppression comments: what each directive covers, and what happens to the ones that do nothing."""

import pytest
from conftest import sqladvise

from advisor.checks.selection import RuleSelection

HEADER = "-- Author: Dana Whitfield\n"
UNSCOPED = "SELECT a.personID FROM Attendance a\n"  # SC001 on this line


def active(report) -> list[tuple[str, int]]:
    return [(f.rule, f.span.line) for f in report.active if f.rule in ("SC001", "PA004", "PA005")]


@pytest.mark.parametrize("text", [
    HEADER + "SELECT a.personID FROM Attendance a  -- sqladvise: ignore SC001\n",
    HEADER + "-- sqladvise: ignore SC001\n" + UNSCOPED,
    HEADER + "/* sqladvise: ignore unscoped-history, CL001 */\n" + UNSCOPED,
    HEADER + "-- sqladvise: ignore scope\n" + UNSCOPED,
    HEADER + "-- SQLADVISE: IGNORE sc001\n" + UNSCOPED,
    "-- sqladvise: ignore-file\n" + HEADER + UNSCOPED,
    HEADER + "/*\n  Attendance for the state\n  sqladvise: ignore-file SC001\n*/\n" + UNSCOPED,
    HEADER + "-- sqladvise: ignore CL001 SC001\n" + UNSCOPED,  # rule ids after spaces
    HEADER + "-- sqladvise: ignore CL001,, SC001\n" + UNSCOPED,
    HEADER + "-- sqladvise: ignore SC001 the state wants every year\n" + UNSCOPED,  # then the reason
    HEADER + "SELECT a.personID FROM Attendance a  -- noqa: SC001\n",  # as SQLFluff and Ruff take it
    HEADER + "SELECT a.personID FROM Attendance a  -- NOQA:LT01, unscoped-history\n",  # beside another linter's rule
    HEADER + "SELECT a.personID /* noqa: sc001 */ FROM Attendance a\n",
])
def test_each_directive_suppresses_the_finding(check, text):
    report = check(text)
    assert active(report) == []
    assert [f.suppressed for f in report.findings if f.rule == "SC001"] == ["inSource"]


def test_ignore_covers_its_own_line_and_the_next_only(check):
    text = HEADER + "-- sqladvise: ignore SC001\n" + UNSCOPED + UNSCOPED
    assert active(check(text)) == [("SC001", 4)]
    # a comment after code on a line covers that line, not the next
    text = HEADER + "SELECT 1  -- sqladvise: ignore SC001\n" + UNSCOPED
    assert active(check(text)) == [("SC001", 3)]


def test_disable_and_enable_bound_a_range(check):
    text = HEADER + UNSCOPED + "-- sqladvise: disable SC001\n" + UNSCOPED + UNSCOPED + "-- sqladvise: enable SC001\n" + UNSCOPED
    assert active(check(text)) == [("SC001", 2), ("SC001", 7)]
    # without an enable, to the end of the file
    assert active(check(HEADER + "-- sqladvise: disable\n" + UNSCOPED + UNSCOPED)) == []


def test_noqa_covers_its_own_line_and_only_for_the_rules_of_sqladvise_it_names(check):
    # a bare noqa, and one of another linter's rules, are that linter's
    for comment in ("-- noqa", "-- noqa: LT01", "-- noqa: CL001"):
        assert active(check(HEADER + UNSCOPED.rstrip() + f"  {comment}\n")) == [("SC001", 2)]
    assert active(check(HEADER + "SELECT 1  -- noqa: SC001\n" + UNSCOPED)) == [("SC001", 3)]
    # alone on its line it covers nothing, and says how to cover the next line
    report = check(HEADER + "-- noqa: SC001\n" + UNSCOPED)
    assert active(report) == [("PA004", 2), ("SC001", 3)]
    (problem,) = [f for f in report.active if f.rule == "PA004"]
    assert "alone on its line" in problem.message and "`-- sqladvise: ignore SC001` on the line above" in problem.remediation
    asked = RuleSelection(extend=("PA005",))
    unused = check(HEADER + "SELECT sch.name FROM School sch  -- noqa: SC001\n", rules=asked)
    assert [(f.rule, f.message) for f in unused.active] == [
        ("PA005", "This `noqa` (SC001) suppresses nothing: no finding it covers was reported.")]


def test_a_directive_inside_a_string_is_not_a_directive(check):
    text = HEADER + "SELECT a.personID, '-- sqladvise: ignore SC001' AS note FROM Attendance a\n"
    assert active(check(text)) == [("SC001", 2)]


@pytest.mark.parametrize("text, says", [
    (HEADER + UNSCOPED.rstrip() + "  -- sqladvise: ignore SC999\n", "names SC999, not a rule or category"),
    (HEADER + UNSCOPED.rstrip() + "  -- sqladvise: ingore SC001\n", "`sqladvise: ingore` is not a directive"),
    (HEADER + UNSCOPED + "-- sqladvise: ignore-file\n", "`ignore-file` counts only before the first statement"),
    (HEADER + "-- sqladvise: enable scope\n" + UNSCOPED, "has no `disable` with the same rules"),
    (HEADER + "-- sqladvise: ignore CL001 SC999\n" + UNSCOPED, "names SC999, not a rule or category"),
    (HEADER + "-- sqladvise: ignore SC001,, SC999 ,\n" + UNSCOPED, "names SC999, not a rule or category"),
])
def test_a_directive_sqladvise_cannot_follow_is_reported(check, text, says):
    problems = [f for f in check(text).active if f.rule == "PA004"]
    assert len(problems) == 1 and says in problems[0].message
    assert "SC001" in {rule for rule, _ in active(check(text))}  # and it suppresses nothing


def test_a_reason_after_the_rules_names_no_rule(check):
    # "view" is a category, but after a space only a rule id continues the list
    text = HEADER + "SELECT * FROM Attendance a  -- sqladvise: ignore SC001 view is fine here\n"
    assert "CL001" in {f.rule for f in check(text).active} and active(check(text)) == []


def test_prose_that_mentions_sqladvise_is_not_a_directive(check):
    assert active(check(HEADER + "-- reviewed with sqladvise: fine for now\n" + UNSCOPED)) == [("SC001", 3)]


def test_unused_suppressions_are_reported_only_when_asked(check):
    text = HEADER + "SELECT sch.name FROM School sch  -- sqladvise: ignore SC001\n"
    assert [f.rule for f in check(text).active if f.rule == "PA005"] == []
    asked = RuleSelection(extend=("PA005",))
    assert [(f.rule, f.span.line) for f in check(text, rules=asked).active if f.rule == "PA005"] == [("PA005", 2)]
    # a suppression of a rule that did not run is not called unused
    not_run = RuleSelection(ignore=("scope",), extend=("PA005",))
    assert [f for f in check(text, rules=not_run).active if f.rule == "PA005"] == []


def test_the_command_line_counts_suppressed_findings_and_they_do_not_fail_the_run(tmp_path):
    (tmp_path / "q.sql").write_text(HEADER + "-- sqladvise: ignore SC001\n" + UNSCOPED)
    run = sqladvise("check", "q.sql", cwd=tmp_path)
    assert run.code == 0 and "1 finding suppressed" in run.stdout and "SC001" not in run.stdout
    document = sqladvise("check", "--format", "json", "q.sql", cwd=tmp_path).json()
    assert [(f["rule"], f["suppression"]) for f in document["files"][0]["suppressed"]] == [("SC001", "inSource")]
    assert document["summary"]["suppressed"] == 1
    (tmp_path / "unused.sql").write_text(HEADER + "SELECT sch.name FROM School sch  -- sqladvise: ignore SC001\n")
    flagged = sqladvise("check", "--warn-unused-suppressions", "--fail-on", "warning", "unused.sql", cwd=tmp_path)
    assert flagged.code == 1 and "PA005" in flagged.stdout
