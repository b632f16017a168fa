"""SH023: a variable used after the GO that ended its batch. No engine here runs T-SQL batches;
the rule follows SQL Server's documented scope of a variable: the batch that declares it."""

import pytest


def _hits(check, sql: str) -> list:
    return [f for f in check(sql).findings if f.rule == "SH023"]


DECLARE = "-- Author: T\nDECLARE @year smallint = 2027;\n"
READ = "SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.endYear = @year;\n"


def test_a_variable_read_after_the_go_that_ended_its_batch_is_found_once(check):
    (hit,) = _hits(check, DECLARE + "GO\n" + READ + "SET @year = @year + 1;\nGO\n" + READ)
    assert hit.severity == "error" and (hit.span.line, hit.span.column, hit.span.end_column) == (4, 73, 77)
    assert hit.message == ("@year was declared on line 2, in an earlier batch: a variable lasts only until the GO that "
                           "ends its batch, so SQL Server stops this batch with error 137, \"Must declare the scalar "
                           "variable\".")
    assert hit.remediation == "Declare and set @year again after the GO, or remove the GO between the two."


def test_a_table_variable_has_its_own_error(check):
    sql = "DECLARE @kids TABLE (personID int);\nGO\nSELECT k.personID FROM @kids k;\n"
    (hit,) = _hits(check, sql)
    assert "error 1087, \"Must declare the table variable\"" in hit.message and hit.span.line == 3


@pytest.mark.parametrize("sql", [
    DECLARE + READ + "GO\n",  # in its own batch
    DECLARE + "GO\nDECLARE @year smallint = 2026;\n" + READ,  # declared again
    "GO\n" + READ,  # never declared: a report's parameter
    DECLARE + "GO\nSELECT @@ROWCOUNT AS n;\nEXEC ('SELECT 1 AS year');\n",
    DECLARE + READ,  # one batch
])
def test_variables_in_their_own_batch_or_never_declared_are_left_alone(check, sql):
    assert _hits(check, sql) == []
