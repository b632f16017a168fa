"""SH038: CREATE VIEW, PROCEDURE, FUNCTION or TRIGGER after another statement of its batch, and
(PA001) a view followed by another statement of its batch. No engine here runs T-SQL batches;
the rules follow SQL Server's documented error 111: these statements must start their batch,
and a view's must hold nothing else."""

from functools import partial

import pytest
from checked import found, rejected_at

from advisor.frontend.parse import read_script

_hits = partial(found, rule="SH038")

VIEW = "CREATE VIEW dbo.v_roster AS\nSELECT e.personID, e.grade FROM Enrollment e WHERE e.endYear = 2027\n"


@pytest.mark.parametrize("sql, made, before, kind", [
    ("USE Campus\n" + VIEW, "CREATE VIEW", "USE Campus on line 1", "VIEW"),
    ("DROP VIEW IF EXISTS dbo.v_roster;\n" + VIEW, "CREATE VIEW", "DROP VIEW IF EXISTS dbo.v_roster on line 1", "VIEW"),
    ("SET NOCOUNT ON\ncreate or alter proc dbo.roster AS\nSELECT 1 AS a", "CREATE OR ALTER PROC", "SET NOCOUNT ON on line 1",
     "PROCEDURE"),
    ("CREATE PROCEDURE dbo.a AS\nSELECT 1 AS a\nCREATE FUNCTION dbo.f() RETURNS int AS BEGIN RETURN 1 END",
     "CREATE FUNCTION", "CREATE PROCEDURE dbo.a AS on line 1", "FUNCTION"),
])
def test_a_routine_or_view_after_another_statement_of_its_batch_is_refused(check, sql, made, before, kind):
    (hit,) = _hits(check, sql)
    assert hit.severity == "error" and " ".join(sql[hit.span.start : hit.span.end].split()).upper() == made
    assert hit.message == (f"{made} is not the first statement of its batch ({before} is): SQL Server rejects the whole "
                           f"batch with error 111 (\"'CREATE {kind}' must be the first statement in a query batch\"), and "
                           "the object is not made.")
    assert hit.remediation == "Put GO on the line before it, so that it starts a batch of its own."


@pytest.mark.parametrize("sql", [
    "USE Campus\nGO\n" + VIEW + "GO\nSELECT r.personID FROM dbo.v_roster r\n",
    "-- the roster view\n" + VIEW,
    "CREATE PROCEDURE dbo.a AS\nSELECT 1 AS a\nGO\nALTER TRIGGER dbo.t ON dbo.x AFTER INSERT AS PRINT 1\n",
    "EXEC ('SELECT 1 AS a'); EXEC ('CREATE VIEW dbo.w AS SELECT 1 AS a')",  # each EXEC's SQL is a batch of its own
])
def test_routines_and_views_that_start_their_batch_are_left_alone(check, sql):
    assert _hits(check, sql) == []


@pytest.mark.parametrize("after, word, line", [
    ("SELECT r.personID FROM dbo.v_roster r", "SELECT", 3),
    ("EXEC dbo.refresh", "EXEC", 3),
])
def test_a_view_with_a_statement_after_it_in_its_batch_is_rejected_where_the_go_is_missing(after, word, line):
    for made in ("CREATE VIEW", "ALTER VIEW", "CREATE OR ALTER VIEW"):
        text = VIEW.replace("CREATE VIEW", made) + after
        (statement,) = read_script(text).statements
        error, pointed = rejected_at(statement, text)
        assert pointed == word and error.endswith(
            f"{made} must be the only statement of its batch, and SQL Server rejects the batch (error 111): a GO is "
            f"missing after the view's query, before {word} on line {line}, near '{word}'")


def test_a_view_s_query_over_several_lines_is_read_whole():
    text = ("CREATE VIEW dbo.v_both AS\nSELECT e.personID FROM Enrollment e\nUNION\nSELECT p.personID FROM Person p\n"
            "WHERE p.personID IN (\nSELECT r.personID FROM Roster r)\n")
    (statement,) = read_script(text).statements
    assert statement.understood
