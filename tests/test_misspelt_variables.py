"""SH037: a variable used and never declared, named like one the script declares. No engine here
runs T-SQL batches; the rule follows SQL Server's documented error 137 (1087 for a table
variable): a batch that uses a variable no DECLARE in it names does not run."""

from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="SH037")

DECLARE = "DECLARE @endYear int = 2027, @kids TABLE (personID int);\n"


@pytest.mark.parametrize("sql, written, declared, error", [
    (DECLARE + "SELECT e.personID FROM Enrollment e WHERE e.endYear = @endYr;", "@endYr", "@endYear",
     "137, 'Must declare the scalar variable \"@endYr\"'"),
    (DECLARE + "SET @endyer = 2026;", "@endyer", "@endYear", "137, 'Must declare the scalar variable \"@endyer\"'"),
    (DECLARE + "INSERT INTO @kid SELECT e.personID FROM Enrollment e WHERE e.endYear = @endYear;", "@kid", "@kids",
     "1087, 'Must declare the table variable \"@kid\"'"),
    ("CREATE PROCEDURE dbo.roster @endYear int AS\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @endYr;",
     "@endYr", "@endYear", "137"),
])
def test_a_variable_named_like_a_declared_one_is_found_where_it_is(check, sql, written, declared, error):
    (hit,) = _hits(check, sql)
    assert hit.severity == "error" and sql[hit.span.start : hit.span.end] == written
    assert hit.message.startswith(f"{written} is not declared in this file, and {declared} is: SQL Server stops the batch "
                                  f"before it runs with error {error}")
    assert hit.remediation == f"Did you mean {declared}? Correct the name, or declare {written}."


def test_a_misspelling_is_said_once(check):
    assert len(_hits(check, DECLARE + "SELECT @endYr AS y;\nSELECT @endYr + 1 AS next;")) == 1


@pytest.mark.parametrize("sql", [
    DECLARE + "SELECT e.personID FROM Enrollment e WHERE e.endYear = @ENDYEAR;",  # names are not case-sensitive
    DECLARE + "SELECT e.personID FROM Enrollment e WHERE e.calendarID = @calendarID;",  # like none: a parameter
    "SELECT e.personID FROM Enrollment e WHERE e.endYear = @endYr;",  # nothing declared: a report's query
    DECLARE + "SELECT e.personID FROM Enrollment e WHERE e.endYear = $(endYr);",  # sqlcmd's variable
    DECLARE + "EXEC sp_executesql N'SELECT e.personID FROM Enrollment e WHERE e.endYear = @endYr', N'@endYr int', "
    "@endYr = @endYear;",  # the SQL it runs declares its own; @endYr = names sp_executesql's parameter
    "CREATE PROCEDURE dbo.roster @endYear int, @kids dbo.PersonList READONLY AS\n"
    "SELECT k.personID FROM @kids k JOIN Enrollment e ON e.personID = k.personID WHERE e.endYear = @endYear;",
])
def test_declared_parameters_and_unlike_names_are_left_alone(check, sql):
    assert _hits(check, sql) == []
