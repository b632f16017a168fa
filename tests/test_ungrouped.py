"""CL006: a column of a grouped query that is neither grouped nor inside an aggregate. PostgreSQL
refuses such a column as SQL Server does (on tables without a primary key, where it cannot tell
that the grouped columns determine it): each flagged statement is refused there, and runs with
the GROUP BY the fix writes; each statement left alone runs as written."""

import re
from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, studentNumber text, lastName text, firstName text, "
        "grade text, calendarID int, endYear int)",
        "CREATE TABLE Attendance (personID int, calendarID int, date date, status text)",
        "INSERT INTO student VALUES (1, '101', 'Ames', 'Ann', '09', 5, 2027), "
        "(2, '102', 'Baker', 'Bo', '10', 5, 2027)",
        "INSERT INTO Attendance VALUES (1, 5, '2026-09-01', 'A'), (1, 5, '2026-09-02', 'A'), "
        "(2, 5, '2026-09-01', 'T')",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL006")


JOINED = "FROM student s JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID WHERE s.endYear = 2027"


@pytest.mark.parametrize("sql, message, grouping", [
    (f"SELECT s.studentNumber, s.lastName, s.grade, COUNT(*) AS absences {JOINED} GROUP BY s.studentNumber, s.lastName "
     "ORDER BY s.firstName",
     "s.grade in the SELECT list and s.firstName in the ORDER BY are neither grouped nor inside an aggregate, but each "
     "group holds many rows: SQL Server refuses the statement before it reads a row (error 8120, \"Column ... is invalid "
     "in the select list",
     "GROUP BY s.studentNumber, s.lastName, s.grade, s.firstName"),
    # an aggregate and no GROUP BY: one row of all
    (f"SELECT s.lastName, COUNT(*) AS absences {JOINED}",
     "s.lastName in the SELECT list is neither grouped nor inside an aggregate, but its aggregates make one row of all "
     "the rows it reads: SQL Server refuses the statement before it reads a row (error 8120",
     "GROUP BY s.lastName"),
    (f"SELECT s.personID, COUNT(*) AS absences {JOINED} GROUP BY s.personID HAVING s.grade = '09'",
     "s.grade in HAVING is neither grouped nor inside an aggregate, but each group holds many rows: SQL Server refuses "
     "the statement before it reads a row (error 8121, \"Column ... is invalid in the HAVING clause",
     "GROUP BY s.personID, s.grade"),
    # the key does not make its row's other columns grouped, as it would in PostgreSQL with a primary key
    (f"SELECT s.personID, s.lastName, COUNT(*) AS absences {JOINED} GROUP BY s.personID",
     "s.lastName in the SELECT list is neither grouped nor inside an aggregate", "GROUP BY s.personID, s.lastName"),
    (f"SELECT s.grade, s.lastName, COUNT(*) AS n {JOINED} GROUP BY ROLLUP(s.grade)",
     "s.lastName in the SELECT list is neither grouped nor inside an aggregate", "GROUP BY ROLLUP (s.grade), s.lastName"),
    # a table's column named without its table, alone or in an expression: no SELECT list item is called firstName
    (f"SELECT s.lastName, COUNT(*) AS absences {JOINED} GROUP BY s.lastName ORDER BY firstName",
     "firstName in the ORDER BY is neither grouped nor inside an aggregate, but each group holds many rows: SQL Server "
     "refuses the statement before it reads a row (error 8127, \"Column ... is invalid in the ORDER BY clause",
     "GROUP BY s.lastName, firstName"),
    (f"SELECT s.lastName, COUNT(*) AS absences {JOINED} GROUP BY s.lastName ORDER BY absences, UPPER(firstName)",
     "firstName in the ORDER BY is neither grouped nor inside an aggregate", "GROUP BY s.lastName, firstName"),
    # HAVING without GROUP BY makes one group of all the rows
    (f"SELECT s.grade {JOINED} HAVING COUNT(*) > 1",
     "s.grade in the SELECT list is neither grouped nor inside an aggregate, but its aggregates make one row of all",
     "GROUP BY s.grade"),
    # a window is computed over the groups: what it partitions by, and what its SUM adds up, are grouped too
    (f"SELECT s.personID, COUNT(*) OVER (PARTITION BY s.grade) AS inGrade {JOINED} GROUP BY s.personID",
     "s.grade in the SELECT list is neither grouped nor inside an aggregate", "GROUP BY s.personID, s.grade"),
    (f"SELECT s.personID, SUM(s.calendarID) OVER () AS total {JOINED} GROUP BY s.personID",
     "s.calendarID in the SELECT list is neither grouped nor inside an aggregate", "GROUP BY s.personID, s.calendarID"),
    # grouped on the year of the date: the date itself has many values
    (f"SELECT a.date, COUNT(*) AS n {JOINED} GROUP BY YEAR(a.date)",
     "a.date in the SELECT list is neither grouped nor inside an aggregate", "GROUP BY YEAR(a.date), a.date"),
])
def test_a_column_neither_grouped_nor_aggregated_is_refused_and_the_fix_groups_it(check, postgres, sql, message, grouping):
    (hit,) = _hits(check, sql)
    assert hit.severity == "error" and hit.message.startswith(message)
    written = re.match(r"For a row for each value, group by (?:it|them) too: (GROUP BY .+)\. For one value of each group, "
                       r"take it with an aggregate: MAX\(.+\)\.$", hit.remediation)[1]
    assert written == grouping
    with pytest.raises(psycopg.errors.GroupingError):
        postgres_rows(postgres, sql)
    head, _, tail = sql.partition(" GROUP BY ")
    kept = re.search(r" (HAVING|ORDER BY) .*$", tail)
    assert postgres_rows(postgres, f"{head} {written}{kept[0] if kept else ''}")


@pytest.mark.parametrize("sql", [
    f"SELECT YEAR(a.date) AS y, COUNT(*) AS n {JOINED} GROUP BY YEAR(a.date) ORDER BY YEAR(a.date)",
    # a SELECT list alias, an aggregate, unqualified names
    f"SELECT s.lastName, COUNT(*) AS absences {JOINED} GROUP BY lastName ORDER BY absences DESC, COUNT(*)",
    # ORDER BY a name the SELECT list returns sorts by that item, even where a table has a column of that name
    f"SELECT s.lastName, s.firstName AS grade, COUNT(*) AS n {JOINED} GROUP BY s.lastName, s.firstName ORDER BY grade, lastName",
    f"SELECT CASE WHEN s.grade = '12' THEN 'senior' ELSE 'other' END AS band, COUNT(*) AS n {JOINED} GROUP BY s.grade",
    f"SELECT s.grade, SUM(COUNT(*)) OVER (ORDER BY s.grade) AS running {JOINED} GROUP BY s.grade",
    f"SELECT s.grade, RANK() OVER (PARTITION BY s.grade ORDER BY MAX(a.date) DESC) AS r {JOINED} GROUP BY s.grade",
    f"SELECT COUNT(*) AS n {JOINED} HAVING COUNT(*) > 1",
    f"SELECT s.grade, COUNT(*) AS n {JOINED} GROUP BY s.grade HAVING MAX(a.date) > '20260901'",
    f"SELECT s.grade, STRING_AGG(s.lastName, ',') WITHIN GROUP (ORDER BY s.firstName) AS names {JOINED} GROUP BY s.grade",
    # the outer row's column is one value for each run of the subquery
    "SELECT s.personID, (SELECT s.lastName || ':' || CAST(COUNT(*) AS varchar(10)) FROM Attendance a "
    "WHERE a.personID = s.personID) AS summary FROM student s",
    "SELECT s.grade, COUNT(*) AS n FROM student s GROUP BY s.grade, s.lastName",
])
def test_grouped_or_aggregated_columns_are_left_alone(check, postgres, sql):
    assert _hits(check, sql.replace("||", "+")) == []
    assert postgres_rows(postgres, sql)


@pytest.mark.parametrize("window", [
    "LAST_VALUE(a.status) IGNORE NULLS OVER (PARTITION BY a.personID ORDER BY a.date)",
    # the median of each student's days, on every row (T-SQL's PERCENTILE_CONT always takes OVER)
    "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a.date) OVER (PARTITION BY a.personID)",
])
def test_a_window_s_aggregate_leaves_the_rows_ungrouped(check, window):
    """A window's aggregate, which SQL Server computes for every row: the query is not grouped,
    and its other columns need no GROUP BY."""
    sql = f"SELECT a.personID, a.date, {window} AS computed FROM Attendance a WHERE a.calendarID = 5"
    assert _hits(check, sql) == []
