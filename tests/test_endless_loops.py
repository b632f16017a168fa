"""SH035: a WHILE loop that nothing ends. No engine here runs T-SQL's procedural code, so the tests
hold the finding to loops whose condition nothing in the body can change, and leave alone each
way a body can change it or leave."""

from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="SH035")

_COUNT = "DECLARE @i int = 1\nCREATE TABLE #weeks (n int)\nWHILE @i <= 10\nBEGIN\n    INSERT INTO #weeks (n) VALUES (@i)\n{}END\n"
_CURSOR = ("DECLARE @schoolID int\nDECLARE schools CURSOR FOR SELECT s.schoolID FROM School s\nOPEN schools\n"
           "FETCH NEXT FROM schools INTO @schoolID\nWHILE @@FETCH_STATUS = 0\nBEGIN\n    PRINT @schoolID\n{}END\n")


def test_a_count_the_body_never_changes_is_found_where_the_loop_starts(check):
    (hit,) = _hits(check, _COUNT.format(""))
    assert (hit.span.line, hit.span.column) == (3, 1)
    assert hit.message.startswith("WHILE @i <= 10 reads @i, which no statement of the loop's body changes")
    assert hit.remediation.startswith("Change @i in the body (SET @i += 1 at its end, for a count)")


def test_a_cursor_loop_with_no_fetch_in_its_body_is_found(check):
    (hit,) = _hits(check, _CURSOR.format(""))
    assert hit.message.startswith("WHILE @@FETCH_STATUS = 0 repeats while the last FETCH found a row, and its body "
                                  "fetches none")
    assert _hits(check, _CURSOR.format("    FETCH NEXT FROM schools INTO @schoolID\n")) == []


def test_a_loop_on_a_constant_with_no_break_is_found(check):
    (hit,) = _hits(check, "WHILE 1 = 1\n    PRINT 'working'\n")
    assert hit.message.startswith("WHILE 1 = 1 reads no variable and nothing leaves the loop")


@pytest.mark.parametrize("ending", [
    "    SET @i += 1\n",
    "    SET @i = @i + 1\n",
    "    SELECT @i = MAX(n) + 1 FROM #weeks\n",
    "    UPDATE #weeks SET @i = n + 1\n",
    "    EXEC dbo.NextWeek @i OUTPUT\n",
    "    IF @i > 5 BREAK\n",
    "    RETURN\n",
    "    RAISERROR('stopped', 16, 1)\n",
    # a loop inside the loop that counts the outer one's variable
    "    WHILE @i % 3 <> 0 SET @i += 1\n",
])
def test_a_body_that_changes_the_count_or_leaves_is_left_alone(check, ending):
    assert _hits(check, _COUNT.format(ending)) == []


@pytest.mark.parametrize("sql", [
    # conditions that change by themselves: time, the data, a system value
    "DECLARE @end datetime = DATEADD(minute, 1, GETDATE())\nWHILE GETDATE() < @end\n    PRINT 'waiting'\n",
    "WHILE EXISTS (SELECT 1 FROM #queue)\n    DELETE TOP (100) FROM #queue\n",
    "WHILE @@ROWCOUNT > 0\n    DELETE TOP (100) FROM #queue\n",
    # a loop whose body is a statement sqladvise cannot read
    "DECLARE @i int = 1\nWHILE @i < 10\n    SELECT @i = (((\n",
])
def test_conditions_that_can_change_otherwise_are_left_alone(check, sql):
    assert _hits(check, sql) == []
