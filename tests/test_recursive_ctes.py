"""A WITH that SQL Server refuses before it runs (PA001): two CTEs of one name, and a recursive
CTE in a shape it does not take. The rules follow SQL Server's documented limits on a recursive
CTE's parts (errors 252, 460-467) and on a WITH's names (239)."""

import pytest
from checked import rejected_at

from advisor.frontend.parse import read_script

ANCHOR = "SELECT CAST('2025-08-15' AS date) AS d"


@pytest.mark.parametrize("text, pointed, reason", [
    (f"WITH days AS ({ANCHOR} UNION SELECT DATEADD(day, 1, d) FROM days WHERE d < '2026-06-01') SELECT d FROM days",
     "SELECT DATEADD(day, 1, d) FROM days WHERE d < '2026-06-01'", "joins a recursive CTE's queries with UNION ALL only "
     "(error 252)"),
    (f"WITH days AS ({ANCHOR} UNION ALL SELECT DISTINCT DATEADD(day, 1, d) FROM days WHERE d < '2026-06-01') SELECT d "
     "FROM days", "SELECT DISTINCT DATEADD(day, 1, d) FROM days WHERE d < '2026-06-01'", "has DISTINCT (error 460)"),
    (f"WITH days AS ({ANCHOR} UNION ALL SELECT TOP (1) DATEADD(day, 1, d) FROM days) SELECT d FROM days",
     "SELECT TOP (1) DATEADD(day, 1, d) FROM days", "has TOP (error 461)"),
    (f"WITH days AS ({ANCHOR} UNION ALL SELECT DATEADD(day, 1, d) FROM days LEFT JOIN Day x ON x.date = d WHERE d < "
     "'2026-06-01') SELECT d FROM days", "SELECT DATEADD(day, 1, d) FROM days LEFT JOIN Day x ON x.date = d WHERE d < "
     "'2026-06-01'", "has an outer join (error 462)"),
    (f"WITH days AS ({ANCHOR} UNION ALL SELECT MAX(DATEADD(day, 1, d)) FROM days WHERE d < '2026-06-01') SELECT d FROM "
     "days", "SELECT MAX(DATEADD(day, 1, d)) FROM days WHERE d < '2026-06-01'", "GROUP BY, HAVING or an aggregate "
     "(error 467)"),
    ("WITH kids AS (SELECT 1 AS personID), kids AS (SELECT 2 AS personID) SELECT k.personID FROM kids k", "kids",
     "two CTEs of this WITH are named kids, and SQL Server rejects it (error 239)"),
])
def test_a_with_sql_server_refuses_is_pointed_at(text, pointed, reason):
    (statement,) = read_script(text).statements
    error, at = rejected_at(statement, text)
    assert reason in error and at == pointed


@pytest.mark.parametrize("text", [
    f"WITH days AS ({ANCHOR} UNION ALL SELECT DATEADD(day, 1, d) FROM days WHERE d < '2025-09-01') SELECT DISTINCT d "
    "FROM days",
    # anchors joined by UNION among themselves, windows in the part that recurs, a CTE read by a later one
    "WITH n AS (SELECT 1 AS i UNION SELECT 2 UNION ALL SELECT i + 2 FROM n WHERE i < 50), m AS (SELECT COUNT(*) AS c "
    "FROM n) SELECT m.c FROM m",
    "WITH n AS (SELECT 1 AS i, 0 AS r UNION ALL SELECT i + 1, ROW_NUMBER() OVER (ORDER BY i) FROM n WHERE i < 9) "
    "SELECT i FROM n",
    "WITH Person AS (SELECT p.personID FROM dbo.Person p) SELECT x.personID FROM Person x",
])
def test_withs_sql_server_takes_are_read(text):
    (statement,) = read_script(text).statements
    assert statement.understood, statement.error
