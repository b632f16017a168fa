"""SH043: a BREAK or CONTINUE outside a WHILE, a GOTO to a label its batch lacks, a RETURN with a
value in a script: SQL Server refuses the whole batch."""

from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="SH043")

QUERY = "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027"


@pytest.mark.parametrize("sql, said", [
    (f"{QUERY}\nIF @@ROWCOUNT = 0 BREAK", "BREAK is outside any WHILE loop: SQL Server refuses the whole batch (error 135"),
    (f"{QUERY}\nIF @@ROWCOUNT = 0 CONTINUE", "(error 136, \"Cannot use a CONTINUE statement outside the scope of a WHILE"),
    (f"{QUERY}\nIF @@ROWCOUNT = 0 GOTO finish", "GOTO finish names a label its batch does not have"),
    (f"finish:\nPRINT 'done'\nGO\n{QUERY}\nIF @@ROWCOUNT = 0 GOTO finish", "(error 133, \"A GOTO statement references the "
                                                                           "label 'finish' but the label has not"),
    (f"{QUERY}\nRETURN 0", "RETURN gives a value only in a procedure or function: in a script SQL Server refuses the "
                           "whole batch (error 178"),
])
def test_control_flow_with_nothing_to_act_on_is_reported_at_its_statement(check, sql, said):
    (hit,) = _hits(check, sql)
    assert said in hit.message
    assert hit.span.line == sql.count("\n") + 1  # the last line holds it


@pytest.mark.parametrize("sql", [
    "DECLARE @n int = 0\nWHILE @n < 5\nBEGIN\n  SET @n += 1\n  IF @n = 2 CONTINUE\n  IF @n = 4 BREAK\nEND",
    f"{QUERY}\nIF @@ROWCOUNT = 0 GOTO Finish\nPRINT 'found'\nfinish:\nPRINT 'done'",
    f"{QUERY}\nIF @@ROWCOUNT = 0 RETURN\nPRINT 'found'",
    f"CREATE PROCEDURE dbo.p AS\n{QUERY}\nIF @@ROWCOUNT = 0 RETURN 1\nRETURN 0",
    f"CREATE PROCEDURE dbo.p AS\nBEGIN\n  {QUERY}\n  RETURN @@ROWCOUNT\nEND",
    "CREATE FUNCTION dbo.f (@a int) RETURNS int AS\nBEGIN\n  RETURN @a + 1\nEND",
])
def test_control_flow_where_sql_server_takes_it_is_not_reported(check, sql):
    assert not _hits(check, sql)
