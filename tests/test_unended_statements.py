"""SH034: a CTE's WITH right after a statement of its batch that no semicolon ends, which SQL
Server refuses with error 319. No engine here reads T-SQL's grammar, so the tests hold the finding
to the cases the documentation names and to those where a semicolon, a GO or a condition stands
between."""

from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="SH034")

_CTE = "WITH active AS (SELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendarID) SELECT personID FROM active"


@pytest.mark.parametrize("before, line", [
    ("DECLARE @calendarID int = 12", 1),
    ("DECLARE @calendarID int\nSET @calendarID = 12", 2),
    ("DECLARE @calendarID int = 12\nPRINT 'Active students'  -- no semicolon; not this one either", 2),
    # the END of a block ends no statement
    ("DECLARE @calendarID int = 12\nIF @calendarID > 0\nBEGIN\n    PRINT 'Active students'\nEND", 4),
    ("DECLARE @calendarID int = 12\nSELECT @calendarID AS calendarID\n/* the list */", 2),
])
def test_a_with_after_a_statement_no_semicolon_ends_is_found(check, before, line):
    (hit,) = _hits(check, f"{before}\n{_CTE}")
    keyword = before.splitlines()[line - 1].split()[0]
    assert hit.span.line == before.count("\n") + 2 and hit.span.end - hit.span.start == len("WITH")
    assert f"follows the {keyword} on line {line} with no semicolon between them" in hit.message
    assert "error 319" in hit.message
    assert f"End the {keyword} with a semicolon, or start the CTE with one: ;WITH." == hit.remediation


@pytest.mark.parametrize("before", [
    "DECLARE @calendarID int = 12;",
    "DECLARE @calendarID int = 12\n;",
    "DECLARE @calendarID int = 12 /* ; */ ;",
    "DECLARE @calendarID int = 12\nGO\nDECLARE @calendarID int = 12;",
    # a condition is no statement of its own
    "DECLARE @calendarID int = 12;\nIF @calendarID > 0",
])
def test_a_with_a_semicolon_or_a_batch_start_before_it_is_left_alone(check, before):
    assert _hits(check, f"{before}\n{_CTE}") == []


def test_the_first_statement_of_a_file_or_batch_is_left_alone(check):
    assert _hits(check, f"{_CTE}\nGO\n{_CTE}") == []


def test_a_semicolon_in_a_comment_or_string_does_not_end_the_statement(check):
    hits = _hits(check, f"DECLARE @calendarID int = 12 -- ;\n{_CTE}\nDECLARE @note varchar(10) = ';'\n{_CTE}")
    assert [hit.span.line for hit in hits] == [2, 4]
