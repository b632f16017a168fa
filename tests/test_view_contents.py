"""VW007: a view that reads a variable, a temp table or a table variable, which SQL Server refuses
to create: nothing declares them where a view runs."""

from functools import partial

import pytest
from checked import found

_hits = partial(found, rule="VW007")

QUERY = "SELECT e.personID, e.grade FROM Enrollment e WHERE e.endYear = @endYear"


def test_a_variable_in_a_view_is_reported_where_it_is_with_the_function_to_write(check):
    sql = f"CREATE VIEW dbo.v_ActiveKids AS\n{QUERY}"
    (hit,) = _hits(check, sql)
    assert hit.message == ("@endYear is a variable, which the view dbo.v_ActiveKids cannot read: nothing declares it where "
                           "a view runs, and SQL Server refuses to create the view (error 137, \"Must declare the scalar "
                           "variable\").")
    assert (hit.span.line, hit.span.column) == (2, sql.split("\n")[1].index("@endYear") + 1)
    assert "CREATE FUNCTION dbo.name (@value int) RETURNS TABLE AS RETURN SELECT" in hit.remediation


def test_a_view_that_names_its_columns_is_named_without_them(check):
    (hit,) = _hits(check, f"CREATE VIEW dbo.v_ActiveKids (pid, grade) AS\n{QUERY}")
    assert "which the view dbo.v_ActiveKids cannot read" in hit.message


def test_the_same_query_in_a_script_or_a_function_that_takes_the_value_is_not_reported(check):
    assert not _hits(check, f"DECLARE @endYear smallint = 2027;\n{QUERY}")
    assert not _hits(check, f"CREATE FUNCTION dbo.fn_ActiveKids (@endYear smallint) RETURNS TABLE AS RETURN\n{QUERY}")
    assert not _hits(check, f"CREATE PROCEDURE dbo.ActiveKids @endYear smallint AS\n{QUERY}")


@pytest.mark.parametrize("created", ["CREATE VIEW", "ALTER VIEW", "CREATE OR ALTER VIEW"])
def test_temp_tables_and_table_variables_are_reported_once_each_and_system_functions_not(check, created):
    sql = (f"{created} dbo.v_Kids AS SELECT k.personID FROM #kids k JOIN @picked p ON p.personID = k.personID "
           "JOIN ##shared s ON s.personID = k.personID WHERE k.grade = @grade AND k.school = @grade AND @@ROWCOUNT > 0")
    messages = [hit.message for hit in _hits(check, sql)]
    assert [message.split(" ")[0] for message in messages] == ["#kids", "@picked", "##shared", "@grade"]
    assert "error 4508, \"Views or functions are not allowed on temporary tables\"" in messages[0]
    assert "@picked is a table variable" in messages[1] and "error 1087" in messages[1]
