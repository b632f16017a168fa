"""SH030: a recursive CTE that counts further than the statement lets it recur. The levels each
list takes are counted by PostgreSQL running the same recursion (its recursive CTE, and its
month arithmetic, work as SQL Server's), and the finding is made exactly when they pass the limit."""

from functools import partial

import pytest
import sqlglot
from checked import found
from engines import postgres_with

_hits = partial(found, rule="SH030")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with() as connection:
        yield connection


def _levels_in_postgres(connection, cte: str) -> int:
    """The rows the recursive arm adds: all the CTE's rows but its anchor's one."""
    sql = sqlglot.transpile(f"WITH {cte} SELECT COUNT(*) FROM c", read="tsql", write="postgres")[0]
    return connection.execute(sql.replace("WITH ", "WITH RECURSIVE ", 1)).fetchone()[0] - 1


@pytest.mark.parametrize("cte, option, limit", [
    # a school year of days: past SQL Server's 100
    ("c AS (SELECT CAST('2025-08-15' AS datetime) AS d UNION ALL SELECT DATEADD(day, 1, d) FROM c WHERE d < '2026-06-01')",
     "", 100),
    ("c AS (SELECT CAST('2025-08-15' AS datetime) AS d UNION ALL SELECT DATEADD(day, 1, d) FROM c WHERE d < '2026-06-01')",
     "OPTION (MAXRECURSION 200)", 200),
    # three months pass
    ("c AS (SELECT CAST('2025-08-15' AS datetime) AS d UNION ALL SELECT DATEADD(day, 1, d) FROM c WHERE d <= '2025-11-22')",
     "", 100),
    ("c AS (SELECT CAST('2025-08-15' AS datetime) AS d UNION ALL SELECT DATEADD(day, 1, d) FROM c WHERE d <= '2025-11-23')",
     "", 100),
    # the condition on the next value, a week at a time
    ("c AS (SELECT CAST('2020-01-06' AS datetime) AS d UNION ALL SELECT DATEADD(week, 1, d) FROM c "
     "WHERE DATEADD(week, 1, d) < '2022-01-01')", "", 100),
    # months from the 31st: the day falls back to the 29th, the 28th... and stays there
    ("c (d) AS (SELECT CAST('2020-01-31' AS datetime) UNION ALL SELECT DATEADD(month, 1, d) FROM c WHERE d < '2028-05-28')",
     "", 100),
    ("c (d) AS (SELECT CAST('2020-01-31' AS datetime) UNION ALL SELECT DATEADD(month, 1, d) FROM c WHERE d < '2028-05-29')",
     "", 100),
    ("c AS (SELECT CAST('2001-07-01' AS datetime) AS d UNION ALL SELECT DATEADD(year, 1, d) FROM c WHERE '2150-01-01' > d)",
     "", 100),
    # numbers, the bound on either side, counted by one or more
    ("c AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM c WHERE n + 1 <= 101)", "", 100),
    ("c AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM c WHERE n + 1 <= 102)", "", 100),
    ("c AS (SELECT 0 AS n, 'x' AS label UNION ALL SELECT 5 + n, label FROM c WHERE 1000 > n)", "", 100),
])
def test_a_list_that_counts_past_its_limit_is_found_with_the_levels_it_takes(check, postgres, cte, option, limit):
    levels = _levels_in_postgres(postgres, cte)
    hits = _hits(check, f"WITH {cte} SELECT * FROM c {option}")
    assert bool(hits) is (levels > limit)
    if hits:
        (hit,) = hits
        assert f": {levels:,} levels of recursion, past the {limit} levels" in hit.message
        assert f"with OPTION (MAXRECURSION {levels})" in hit.remediation
        assert _hits(check, f"WITH {cte} SELECT * FROM c OPTION (MAXRECURSION {levels})") == []


@pytest.mark.parametrize("cte", [
    # the start, the bound or the step is not a constant: how far it goes is not known here
    "c AS (SELECT @start AS d UNION ALL SELECT DATEADD(day, 1, d) FROM c WHERE d < '2026-06-01')",
    "c AS (SELECT CAST('2025-08-15' AS date) AS d UNION ALL SELECT DATEADD(day, 1, d) FROM c WHERE d < @end)",
    "c AS (SELECT CAST('2025-08-15' AS date) AS d UNION ALL SELECT DATEADD(day, @step, d) FROM c WHERE d < '2026-06-01')",
    # a second condition may stop it sooner
    "c AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM c WHERE n < 500 AND n < @most)",
    # it reads a table: a hierarchy, whose depth is the data's
    "c AS (SELECT p.personID AS n FROM Person p WHERE p.personID = 1 UNION ALL SELECT n + 1 FROM c WHERE n < 500)",
])
def test_a_list_whose_length_is_not_written_out_is_left_alone(check, cte):
    assert _hits(check, f"WITH {cte} SELECT * FROM c") == []


def test_the_finding_says_where_the_option_goes_and_offers_the_day_table_for_days(check):
    (hit,) = _hits(check, "WITH days AS (SELECT CAST('2025-08-15' AS date) AS d UNION ALL\n"
                          "SELECT DATEADD(day, 1, d) FROM days WHERE d < '2026-06-01')\n"
                          "SELECT a.personID FROM days JOIN Attendance a ON a.date = days.d WHERE a.calendarID = 12")
    assert hit.span.line == 2 and hit.objects == ("days",)
    assert hit.message.startswith("days counts d from 2025-08-15 a day at a time while d < '2026-06-01': 290 levels")
    assert "(The maximum recursion 100 has been exhausted before statement completion)" in hit.message
    assert "the OPTION goes after the whole statement, not inside the CTE" in hit.remediation
    assert "the Day table's" in hit.remediation
    (numbers,) = _hits(check, "WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 50000) SELECT i FROM n")
    assert "OPTION (MAXRECURSION 0)" in numbers.remediation and "Day table" not in numbers.remediation


@pytest.mark.parametrize("script, found", [
    ("DECLARE @start date = '2025-08-15', @end date = '2026-06-01';\n", True),
    ("DECLARE @start date, @end date;\nSET @start = '2025-08-15';\nSET @end = CAST('2026-06-01' AS date);\n", True),
    # set again, or from the data: the values are known only as the script runs
    ("DECLARE @start date = '2025-08-15', @end date = '2026-06-01';\nSET @end = DATEADD(day, 1, @end);\n", False),
    ("DECLARE @start date = '2025-08-15', @end date;\nSELECT @end = MAX(d.date) FROM Day d;\n", False),
    ("DECLARE @start date = '2025-08-15', @end date = '2026-06-01';\nIF @@ROWCOUNT = 0 SET @end = '2025-09-01';\n", False),
])
def test_a_list_counted_between_variables_the_script_sets_once_is_counted_from_their_values(check, script, found):
    sql = script + ("WITH days AS (SELECT @start AS d UNION ALL SELECT DATEADD(day, 1, d) FROM days WHERE d < @end)\n"
                    "SELECT a.personID FROM days JOIN Attendance a ON a.date = days.d WHERE a.calendarID = 12")
    hits = _hits(check, sql)
    assert bool(hits) is found
    if found:
        assert hits[0].message.startswith("days counts d from 2025-08-15 a day at a time while d < @end: 290 levels")


@pytest.mark.parametrize("option, ends", [
    ("", "SQL Server stops the statement with error 530 (The maximum recursion 100 has been exhausted"),
    (" OPTION (MAXRECURSION 500)", "SQL Server stops the statement with error 530 (The maximum recursion 500 has been "
     "exhausted"),
    (" OPTION (MAXRECURSION 0)", "with OPTION (MAXRECURSION 0) the statement never ends"),
])
def test_a_recursion_with_nothing_to_end_it_is_found(check, option, ends):
    sql = f"WITH numbers AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM numbers) SELECT n FROM numbers{option}"
    (hit,) = _hits(check, sql)
    assert sql[hit.span.start : hit.span.end] == "SELECT n + 1 FROM numbers"
    assert hit.message.startswith("The part of numbers that reads itself has no WHERE, so nothing ends the recursion: "
                                  + ends)


def test_a_recursion_read_with_top_or_ended_by_a_join_is_left_alone(check, postgres):
    """TOP stops the recursion once it has its rows (PostgreSQL's LIMIT likewise); a chain of
    managers ends where the join finds none."""
    top = "WITH numbers AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM numbers) SELECT TOP (10) n FROM numbers"
    assert _hits(check, top) == []
    limited = sqlglot.transpile(top, read="tsql", write="postgres")[0].replace("WITH ", "WITH RECURSIVE ", 1)
    assert len(postgres.execute(limited).fetchall()) == 10
    chain = ("WITH chain AS (SELECT p.personID, p.personID AS managerID FROM Person p WHERE p.personID = 5 UNION ALL "
             "SELECT p.personID, c.personID FROM chain c JOIN Person p ON p.personID = c.managerID) SELECT c.personID "
             "FROM chain c")
    assert _hits(check, chain) == []
