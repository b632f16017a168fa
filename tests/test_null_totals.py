"""SH040: a variable declared with no value whose first assignment adds to it stays NULL. SQLite
adds and joins NULL as SQL Server does (NULL + 1 and NULL || 'x' are NULL), and counts from the
starting value the fix gives."""

import sqlite3
from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="SH040")


@pytest.mark.parametrize("script, name, line, added", [
    ("DECLARE @absences int\nSET @absences = @absences + 1", "absences", 2, "adds to"),
    ("DECLARE @absences int\nSET @absences += 1", "absences", 2, "adds to"),
    ("DECLARE @list varchar(max)\nSELECT @list = @list + ', ' + p.studentNumber FROM Person p WHERE p.personID < 10",
     "list", 2, "joins text to"),
    ("DECLARE @list varchar(max)\nSELECT @list += p.studentNumber FROM Person p WHERE p.personID < 10", "list", 2,
     "joins text to"),
    # in a loop, after statements that only read it
    ("DECLARE @i int = 0, @total int\nPRINT @total\nWHILE @i < 5\nBEGIN\n  SET @total = (@total + @i) * 1\n"
     "  SET @i = @i + 1\nEND", "total", 5, "adds to"),
])
def test_a_variable_added_to_before_it_has_a_value_is_found(check, script, name, line, added):
    (hit,) = _hits(check, script)
    assert hit.span.line == line and script[hit.span.start : hit.span.end].lower() == f"@{name}"
    assert hit.message.startswith(f"@{name} is declared on line 1 with no value, so it is NULL, and this first "
                                  f"assignment {added} it")
    start = "''" if "varchar" in script else "0"
    assert hit.remediation.endswith(f" = {start}.")


def test_null_added_to_stays_null_and_the_starting_value_counts():
    database = sqlite3.connect(":memory:")
    assert database.execute("SELECT CAST(NULL AS int) + 1, CAST(NULL AS text) || ', ' || '1001'").fetchone() == (None, None)
    total = database.execute("WITH RECURSIVE n(i, total) AS (SELECT 0, NULL UNION ALL SELECT i + 1, total + i FROM n "
                             "WHERE i < 5) SELECT total FROM n WHERE i = 5").fetchone()
    counted = database.execute("WITH RECURSIVE n(i, total) AS (SELECT 0, 0 UNION ALL SELECT i + 1, total + i FROM n "
                               "WHERE i < 5) SELECT total FROM n WHERE i = 5").fetchone()
    assert (total, counted) == ((None,), (10,))


@pytest.mark.parametrize("script", [
    "DECLARE @absences int = 0\nSET @absences = @absences + 1",
    "DECLARE @absences int\nSET @absences = 0\nSET @absences = @absences + 1",
    "DECLARE @list varchar(max)\nSELECT @list = COALESCE(@list + ', ', '') + p.studentNumber FROM Person p",
    "DECLARE @list varchar(max)\nSELECT @list = CONCAT(@list, ', ', p.studentNumber) FROM Person p",
    "DECLARE @n int\nFETCH NEXT FROM c INTO @n\nSET @n = @n + 1",  # set by the FETCH first
    "DECLARE @n int\nEXEC dbo.countFor @n OUTPUT\nSET @n = @n + 1",
    "DECLARE @n int\nGO\nDECLARE @n int = 5\nSET @n = @n + 1",  # a batch's own DECLARE
])
def test_a_variable_given_a_value_first_or_added_to_through_isnull_is_left_alone(check, script):
    assert _hits(check, script) == []
