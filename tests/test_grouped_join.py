"""SH001's fixes. For a correlated subquery that aggregates the outer row's matches: a grouped
derived table joined on the same keys, which returns the same rows (run in SQLite over rows with
no match, NULLs and several keys), and says when the derived table would lose the year limit
the match gave it. For one that looks a row up by its table's key: that table joined. For several
that read the same rows for different values: one join, or one OUTER APPLY (run in PostgreSQL),
that gives them all; for aggregates of one table under different conditions, one grouped join.
For a running total of the outer row's own table, a window function; for a total within a range
of the outer row's own values, a LEFT JOIN grouped by the outer row (each run in SQLite too)."""

import re
import sqlite3

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_rows

from bench.risk.cluster import cluster

TABLES = {
    "Section": ("sectionID", "courseID", "number"),
    "Roster": ("rosterID", "personID", "sectionID", "startDate", "endDate"),
    "Enrollment": ("enrollmentID", "personID", "calendarID", "endYear"),
    "GradingScore": ("scoreID", "personID", "calendarID", "sectionID", "percent"),
    "Calendar": ("calendarID", "schoolID", "endYear"),
    "Attendance": ("attendanceID", "personID", "calendarID", "date", "status"),
}
ROWS = {
    "Section": [(1, 10, "A"), (2, 10, "B"), (3, 11, "C")],  # section 3 has no roster rows
    "Roster": [(1, 100, 1, "2025-08-20", None), (2, 101, 1, "2025-08-20", "2025-12-01"), (3, 102, 1, "2025-08-20", None),
               (4, 100, 2, "2025-08-20", "2026-05-30"), (5, 103, 2, "2026-01-05", None)],
    "Enrollment": [(1, 100, 7, 2026), (2, 101, 7, 2026), (3, 100, 6, 2025), (4, 104, 7, 2026)],  # 104 has no score
    "GradingScore": [(1, 100, 7, 1, 90.0), (2, 100, 7, 2, 80.0), (3, 100, 6, 1, 70.0), (4, 101, 7, 1, None),
                     (5, 101, 7, 2, 60.0)],
    "Calendar": [(6, 1, 2025), (7, 1, 2026)],
    # person 100 has two rows of 1 September; 101 none of one day
    "Attendance": [(1, 100, 7, "2025-09-01", "A"), (2, 100, 7, "2025-09-01", "T"), (3, 100, 7, "2025-09-02", "A"),
                   (4, 100, 7, "2025-09-05", "A"), (5, 101, 7, "2025-09-01", "A"), (6, 101, 7, "2025-09-03", "T"),
                   (7, 101, 7, "2025-09-04", "A")],
}
FIX = re.compile(r"LEFT JOIN (\(SELECT .*\) x\d*) ON (.*), and select (.*?) in place of the subquery\.")


def _database() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    for table, columns in TABLES.items():
        connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", ROWS[table])
    return connection


def _rows(connection: sqlite3.Connection, tsql: str) -> list[tuple]:
    return sorted(connection.execute(sqlglot.transpile(tsql, read="tsql", write="sqlite")[0]).fetchall(), key=repr)


def _fix(check, sql: str) -> str:
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    return hit.remediation


@pytest.mark.parametrize("outer_from, subquery, alias, where", [
    ("Section se", "(SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID "
     "AND (r.endDate IS NULL OR r.endDate >= '2026-01-01'))", "students", "se.courseID IN (10, 11)"),
    ("Enrollment e", "(SELECT SUM(gs.[percent]) FROM GradingScore gs "
     "WHERE gs.personID = e.personID AND gs.calendarID = e.calendarID)", "total", "e.endYear >= 2025"),
    ("Enrollment e", "(SELECT MAX(gs.[percent]) FROM GradingScore gs JOIN Calendar c ON c.calendarID = gs.calendarID "
     "WHERE c.endYear = 2026 AND e.personID = gs.personID)", "best", "e.endYear = 2026"),
    ("Section se", "(SELECT COUNT(DISTINCT r.personID) FROM Roster r WHERE se.sectionID = r.sectionID)", "", "se.courseID = 10"),
])
def test_a_correlated_aggregate_is_a_grouped_join_that_returns_the_same_rows(check, outer_from, subquery, alias, where):
    """Section 3 and person 104 match nothing: COUNT gives 0 there, so the fix puts back with
    ISNULL the 0 the LEFT JOIN's NULL would lose, and SUM and MAX keep their NULL."""
    named = f" AS {alias}" if alias else ""
    sql = f"SELECT se_or_e.key_, {subquery}{named} FROM {outer_from} WHERE {where}"
    key = "se.sectionID" if outer_from.startswith("Section") else "e.enrollmentID"
    sql = sql.replace("se_or_e.key_", key)
    found = FIX.search(_fix(check, sql))
    assert found, _fix(check, sql)
    derived, on, selected = found.groups()
    assert (" AS " in selected) == bool(alias)
    rewritten = f"SELECT {key}, {selected} FROM {outer_from} LEFT JOIN {derived} ON {on} WHERE {where}"
    connection = _database()
    assert _rows(connection, rewritten) == _rows(connection, sql)
    assert len(_rows(connection, sql)) >= 2


def test_the_count_fix_is_written_out_with_the_outer_alias(check):
    sql = ("SELECT se.number, (SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID) AS students "
           "FROM Section se JOIN Course co ON co.courseID = se.courseID JOIN Calendar ca ON ca.calendarID = co.calendarID "
           "WHERE ca.endYear = 2026")
    assert _fix(check, sql) == (
        "Compute the values once for every key: join a derived table that groups them, LEFT JOIN (SELECT r.sectionID, "
        "COUNT(*) AS students FROM Roster r GROUP BY r.sectionID) x ON x.sectionID = se.sectionID, and select "
        "ISNULL(x.students, 0) AS students in place of the subquery. Limit the derived table as the outer query is "
        "limited (its school year), or it groups every year's 2.0M rows of Roster before the join.")


def test_a_limit_of_the_subquerys_own_stays_in_the_derived_table(check):
    sql = ("SELECT p.studentNumber, (SELECT MAX(a.date) FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
           "WHERE a.personID = p.personID AND c.endYear = 2026) AS lastDay FROM Person p")
    fix = _fix(check, sql)
    assert "WHERE c.endYear = 2026 GROUP BY a.personID) x ON x.personID = p.personID" in fix
    assert "Limit the derived table" not in fix  # Calendar's year limits it, grouped or not


def test_an_alias_already_taken_is_not_the_derived_tables(check):
    sql = ("SELECT x.sectionID, (SELECT COUNT(*) FROM Roster r WHERE r.sectionID = x.sectionID) AS n "
           "FROM Section x WHERE x.courseID = 10")
    assert ") x2 ON x2.sectionID = x.sectionID, and select ISNULL(x2.n, 0) AS n" in _fix(check, sql)


def test_a_subquery_in_a_grouped_select_keeps_the_general_advice(check):
    """Its joined value would have to be grouped on as well: no fix to paste as it stands."""
    sql = ("SELECT se.courseID, COUNT(*) AS sections, (SELECT COUNT(*) FROM Course co WHERE co.courseID = se.courseID) AS n "
           "FROM Section se JOIN Roster r ON r.sectionID = se.sectionID WHERE r.trialID = 4 GROUP BY se.courseID")
    assert _fix(check, sql).startswith("Compute the values once for all rows")


@pytest.mark.parametrize("subquery", [
    "(SELECT TOP 1 r.sectionID FROM Roster r WHERE r.personID = p.personID ORDER BY r.startDate DESC)",  # a row, not a group
    "(SELECT COUNT(*) FROM Roster r WHERE r.personID = p.personID OR r.personID = p.currentIdentityID)",  # no one key
    "(SELECT MAX(r.startDate) + p.personID FROM Roster r WHERE r.personID = p.personID)",  # the outer row in the value
])
def test_a_subquery_that_is_no_grouped_join_keeps_the_general_advice(check, subquery):
    """A row, not a total; no one key; the outer row in the value: nothing to write out."""
    fix = _fix(check, f"SELECT p.studentNumber, {subquery} AS v FROM Person p WHERE p.stateID = '123'")
    assert fix.startswith("Compute the values once for all rows: join a derived table that groups them (LEFT JOIN (SELECT ")
    assert "ROW_NUMBER() OVER (PARTITION BY personID ORDER BY ...)" in fix and "OUTER APPLY" not in fix


WINDOW = re.compile(r"in place of the subquery(?:, with its conditions inside the aggregate)?: (.*?) gives each Attendance row")


@pytest.mark.parametrize("subquery, where", [
    ("(SELECT COUNT(*) FROM Attendance a2 WHERE a2.personID = a.personID AND a2.date <= a.date)", ""),
    ("(SELECT COUNT(*) FROM Attendance a2 WHERE a.personID = a2.personID AND a.date <= a2.date AND a2.status = 'A')", ""),
    ("(SELECT MAX(a2.date) FROM Attendance a2 WHERE a2.date <= a.date)", ""),
    # before the outer row's date: the window's rows before it are those where no two rows of a person share a date
    ("(SELECT SUM(a2.attendanceID) FROM Attendance a2 WHERE a2.personID = a.personID AND a2.date < a.date)",
     " WHERE a.personID = 101"),
])
def test_a_running_total_is_a_window_function_that_returns_the_same_rows(check, subquery, where):
    """A subquery that totals the rows of the outer row's table up to the outer row is a window
    over that table's rows, its own conditions inside the aggregate; run in SQLite over rows of
    the same day."""
    sql = f"SELECT a.attendanceID, {subquery} AS v FROM Attendance a{where}"
    (hit,) = found(check, sql, "SH001")
    assert "a running total computed this way reads rows that grow with the square of" in hit.message
    window = WINDOW.search(hit.remediation)
    assert window, hit.remediation
    connection = _database()
    assert _rows(connection, sql.replace(subquery, window.group(1))) == _rows(connection, sql)


@pytest.mark.parametrize("table, key, ordered, history", [("Attendance", "personID", "date", True),
                                                         ("School", "districtID", "number", False)])
def test_a_running_totals_history_is_said_of_a_table_that_keeps_it(check, table, key, ordered, history):
    sql = (f"SELECT x.{key}, (SELECT COUNT(*) FROM {table} y WHERE y.{key} = x.{key} AND y.{ordered} <= x.{ordered}) "
           f"AS n FROM {table} x")
    (hit,) = found(check, sql, "SH001")
    assert hit.message.endswith(f"grow with the square of each {key}'s rows"
                                + (", and every year of history adds to them." if history else "."))


@pytest.mark.parametrize("subquery", [
    "(SELECT COUNT(*) FROM Attendance a2 WHERE a2.personID = a.personID AND a2.date <= r.startDate)",  # another table's
    "(SELECT COUNT(*) FROM Attendance a2 WHERE a2.personID = a.personID AND a2.calendarID <= a.date)",  # another column
    "(SELECT COUNT(DISTINCT a2.date) FROM Attendance a2 WHERE a2.personID = a.personID AND a2.date <= a.date)",  # 10759
])
def test_a_subquery_compared_with_other_rows_or_columns_is_no_running_total(check, subquery):
    sql = f"SELECT a.attendanceID, {subquery} AS v FROM Attendance a JOIN Roster r ON r.personID = a.personID"
    (hit,) = found(check, sql, "SH001")
    assert "running total" not in hit.message and "OVER (" not in hit.remediation.split("ROW_NUMBER() OVER")[0]


def test_a_total_within_the_outer_rows_own_range_is_a_grouped_left_join_that_returns_the_same_rows(check):
    """Each roster row's absences between its own start and end: no total per person fits it. The
    LEFT JOIN on the subquery's conditions, grouped by the outer row, counts the same (0 where
    nothing matches, with COUNT of a column of the joined rows)."""
    subquery = ("(SELECT COUNT(*) FROM Attendance a WHERE a.personID = r.personID AND a.date BETWEEN r.startDate "
                "AND ISNULL(r.endDate, '2026-06-30') AND a.status = 'A')")
    sql = f"SELECT r.rosterID, {subquery} AS absences FROM Roster r"
    fix = _fix(check, sql)
    assert fix.startswith("The subquery compares the outer row's own values (a.date BETWEEN r.startDate AND "
                          "ISNULL(r.endDate, '2026-06-30')), so each row has a value of its own")
    joined = re.search(r"LEFT JOIN (.*?), and group by the outer row's key", fix).group(1)
    rewritten = f"SELECT r.rosterID, COUNT(a.attendanceID) AS absences FROM Roster r LEFT JOIN {joined} GROUP BY r.rosterID"
    connection = _database()
    assert _rows(connection, rewritten) == _rows(connection, sql)
    counted = {row[1] for row in _rows(connection, sql)}
    assert 0 in counted and max(counted) > 1


@pytest.mark.parametrize("subquery, alias", [
    ("(SELECT TOP 1 c.schoolID FROM Calendar c WHERE c.calendarID = e.calendarID ORDER BY c.endYear)", "school"),
    ("(SELECT c.endYear FROM Calendar c WHERE e.calendarID = c.calendarID AND c.schoolID = 1)", ""),
])
def test_a_lookup_by_key_is_a_join_that_returns_the_same_rows(check, subquery, alias):
    """A subquery that finds one row at most by its table's key is that table LEFT JOINed: the
    enrollment of a calendar the table lacks keeps its row, with NULL, either way."""
    named = f" AS {alias}" if alias else ""
    sql = f"SELECT e.enrollmentID, {subquery}{named} FROM Enrollment e WHERE e.endYear >= 2025"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    found = re.search(r"LEFT JOIN (.*?) ON (.*), and select (.*?) in place of the subquery\.", hit.remediation)
    assert found and hit.severity == "info", hit.remediation
    joined, on, selected = found.groups()
    rewritten = f"SELECT e.enrollmentID, {selected} FROM Enrollment e LEFT JOIN {joined} ON {on} WHERE e.endYear >= 2025"
    connection = _database()
    connection.execute("INSERT INTO Enrollment VALUES (5, 105, 8, 2026)")  # a calendar Calendar does not hold
    assert _rows(connection, rewritten) == _rows(connection, sql)
    assert ("TOP 1 ... ORDER BY is then not needed" in hit.remediation) == ("TOP 1" in subquery)


def test_a_subquery_that_builds_a_json_array_is_no_lookup(check):
    """One row found by its key is still an array once FOR JSON has built it: a join selecting
    the column would return a plain value instead."""
    advice = "FOR JSON in a subquery is how SQL Server nests an array in each row"
    sql = "SELECT e.enrollmentID, (SELECT c.endYear FROM Calendar c WHERE c.calendarID = e.calendarID FOR JSON PATH) AS y FROM Enrollment e"
    fix = _fix(check, sql)
    assert advice in fix and "LEFT JOIN" not in fix
    assert "LEFT JOIN Calendar c" in _fix(check, sql.replace("FOR JSON PATH", "FOR XML PATH('')"))  # one row's text is its value


@pytest.mark.parametrize("built, advice", [
    ("FOR JSON PATH", "FOR JSON in a subquery is how SQL Server nests an array in each row"),
    ("FOR XML PATH('')", "build the list with STRING_AGG"),
])
def test_an_aggregate_built_into_a_document_is_no_grouped_join(check, built, advice):
    counted = f"SELECT e.personID, (SELECT COUNT(*) FROM Roster r WHERE r.personID = e.personID {built}) AS n FROM Enrollment e"
    assert advice in _fix(check, counted)  # the grouped join returns a number, not the document


def test_a_lookup_in_a_query_that_groups_is_grouped_on_too(check):
    """The joined value must be one of the GROUP BY's (CL006); found once for each key, it leaves
    the groups as they are."""
    sql = ("SELECT e.calendarID, COUNT(*) AS n, (SELECT c.endYear FROM Calendar c WHERE c.calendarID = e.calendarID) AS y "
           "FROM Enrollment e GROUP BY e.calendarID")
    fix = _fix(check, sql)
    found = re.search(r"LEFT JOIN (.*?) ON (.*), and select (.*?) in place of the subquery\..* The query groups its rows: "
                      r"add (.*) to its GROUP BY\.$", fix)
    assert found, fix
    joined, on, selected, grouped = found.groups()
    rewritten = (f"SELECT e.calendarID, COUNT(*) AS n, {selected} FROM Enrollment e LEFT JOIN {joined} ON {on} "
                 f"GROUP BY e.calendarID, {grouped}")
    assert [f.rule for f in check(rewritten + "\n").findings if f.rule == "CL006"] == []
    assert _rows(_database(), rewritten) == _rows(_database(), sql)


def test_lookups_of_the_same_row_are_one_join_that_returns_the_same_rows(check):
    """A calendar's school and its year, each looked up for every enrollment: one finding, whose
    one join selects both."""
    sql = ("SELECT e.enrollmentID, (SELECT c.schoolID FROM Calendar c WHERE c.calendarID = e.calendarID) AS school,\n"
           "(SELECT c.endYear FROM Calendar c WHERE c.calendarID = e.calendarID) AS yearEnds FROM Enrollment e")
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    assert hit.message.endswith("The subquery on line 2 reads the same rows again, for another value.")
    found = re.search(r"LEFT JOIN (.*?) ON (.*), and select (.*?) in place of the subqueries\.", hit.remediation)
    assert found, hit.remediation
    joined, on, selected = found.groups()
    assert selected == "c.schoolID AS school, c.endYear AS yearEnds"
    connection = _database()
    connection.execute("INSERT INTO Enrollment VALUES (5, 105, 8, 2026)")  # a calendar Calendar does not hold
    assert _rows(connection, f"SELECT e.enrollmentID, {selected} FROM Enrollment e LEFT JOIN {joined} ON {on}") == _rows(connection, sql)


def test_aggregates_of_the_same_rows_are_one_grouped_join_that_returns_the_same_rows(check):
    """A section's students, first day and last day: one derived table grouped once gives all
    three; COUNT's 0 is put back for section 3, which matches nothing."""
    subqueries = ["(SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID) AS students",
                  "(SELECT MIN(r.startDate) FROM Roster r WHERE r.sectionID = se.sectionID) AS firstDay",
                  "(SELECT MAX(r.endDate) FROM Roster r WHERE r.sectionID = se.sectionID)"]
    sql = "SELECT se.sectionID,\n" + ",\n".join(subqueries) + "\nFROM Section se WHERE se.courseID IN (10, 11)"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    assert "The subqueries on lines 3 and 4 read the same rows again" in hit.message
    found = re.search(r"LEFT JOIN (\(SELECT .*\) x) ON (.*), and select (.*?) in place of the subqueries\.", hit.remediation)
    assert found, hit.remediation
    derived, on, selected = found.groups()
    assert selected == "ISNULL(x.students, 0) AS students, x.firstDay AS firstDay, x.n"
    connection = _database()
    rewritten = f"SELECT se.sectionID, {selected} FROM Section se LEFT JOIN {derived} ON {on} WHERE se.courseID IN (10, 11)"
    assert _rows(connection, rewritten) == _rows(connection, sql) and len(_rows(connection, sql)) == 3


PG_TABLES = {
    "Section": "sectionID int, courseID int, number text",
    "Roster": "rosterID int, personID int, sectionID int, startDate date, endDate date",
    "Enrollment": "enrollmentID int, personID int, calendarID int, endYear int",
    "GradingScore": "scoreID int, personID int, calendarID int, sectionID int, percent numeric",
    "Calendar": "calendarID int, schoolID int, endYear int",
}


@pytest.fixture(scope="module")
def postgres():
    """PostgreSQL runs OUTER APPLY as LEFT JOIN LATERAL, which SQLite lacks."""
    with cluster() as local, psycopg.connect(local, autocommit=True) as connection:
        for table, columns in PG_TABLES.items():
            connection.execute(f"CREATE TABLE {table} ({columns})")
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(ROWS[table][0]))})", ROWS[table])
        yield connection


@pytest.mark.parametrize("outer_from, subqueries, where", [
    ("Section se", ["(SELECT TOP 1 r.personID FROM Roster r WHERE r.sectionID = se.sectionID ORDER BY r.rosterID) AS firstKid",
                    "(SELECT TOP 1 r.startDate FROM Roster r WHERE r.sectionID = se.sectionID ORDER BY r.rosterID) AS firstDay",
                    "(SELECT TOP 1 r.endDate FROM Roster r WHERE r.sectionID = se.sectionID ORDER BY r.rosterID)"],
     "se.courseID IN (10, 11)"),
    ("Enrollment e", ["(SELECT TOP 1 gs.[percent] FROM GradingScore gs WHERE gs.personID = e.personID ORDER BY gs.scoreID DESC) AS lastScore",
                      "(SELECT TOP 1 gs.sectionID FROM GradingScore gs WHERE gs.personID = e.personID ORDER BY gs.scoreID DESC) AS sectionID"],
     "e.endYear >= 2025"),
])
def test_subqueries_that_read_the_same_rows_are_one_apply_that_returns_the_same_rows(check, postgres, outer_from, subqueries, where):
    """Section 3 and person 104 match nothing: NULL through the OUTER APPLY as through the
    subqueries; the unnamed endDate keeps its column's name."""
    key = "se.sectionID" if outer_from.startswith("Section") else "e.enrollmentID"
    sql = f"SELECT {key},\n" + ",\n".join(subqueries) + f"\nFROM {outer_from} WHERE {where}"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    assert hit.message.endswith("read the same rows again, for other values." if len(subqueries) > 2 else
                                "The subquery on line 3 reads the same rows again, for another value.")
    found = re.fullmatch(rf"Find the rows once for all {len(subqueries)} values: OUTER APPLY (\(SELECT .*\) x) after the "
                         r"FROM list, and select (.*) in place of the subqueries\.", hit.remediation)
    assert found, hit.remediation
    applied, selected = found.groups()
    rewritten = f"SELECT {key}, {selected} FROM {outer_from} OUTER APPLY {applied} WHERE {where}"

    def rows(tsql: str) -> list[tuple]:
        return sorted(postgres_rows(postgres, tsql), key=repr)
    assert rows(rewritten) == rows(sql) and len(rows(sql)) >= 3
    assert hit.span.line == 1 + 1  # on the first of them


@pytest.mark.parametrize("outer_from, subqueries, where", [
    ("Enrollment e", ["(SELECT MAX(gs.[percent]) FROM GradingScore gs WHERE gs.personID = e.personID) AS best",
                      "(SELECT MAX(gs.[percent]) FROM GradingScore gs WHERE gs.personID = e.personID AND gs.calendarID = 7) AS bestThisYear",
                      "(SELECT COUNT(*) FROM GradingScore gs WHERE e.personID = gs.personID AND gs.[percent] IS NULL) AS ungraded"],
     "e.endYear >= 2025"),
    ("Section se", ["(SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID AND r.endDate IS NULL) AS stayed",
                    "(SELECT COUNT(DISTINCT r.personID) FROM Roster r WHERE r.sectionID = se.sectionID AND r.endDate IS NOT NULL) AS moved",
                    "(SELECT MIN(r.startDate) FROM Roster r WHERE r.sectionID = se.sectionID AND r.endDate IS NULL AND r.personID > 100)"],
     "se.courseID IN (10, 11)"),
])
def test_aggregates_of_one_table_under_other_conditions_are_one_grouped_join_that_returns_the_same_rows(
        check, outer_from, subqueries, where):
    """Each value's conditions move into its aggregate (CASE WHEN ... THEN ... END), and the rows
    none of them takes are left out of the grouping when each has conditions of its own: person 104
    and section 3 match nothing and keep COUNT's 0 and MAX's NULL."""
    key = "se.sectionID" if outer_from.startswith("Section") else "e.enrollmentID"
    sql = f"SELECT {key},\n" + ",\n".join(subqueries) + f"\nFROM {outer_from} WHERE {where}"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    assert hit.message.endswith("again for the same keys, under other conditions, for other values.")
    found = re.search(r"LEFT JOIN (\(SELECT .*\) x) ON (.*), and select (.*?) in place of the subqueries\. Each value's own "
                      r"conditions move into its aggregate", hit.remediation)
    assert found, hit.remediation
    derived, on, selected = found.groups()
    assert "CASE WHEN" in derived
    connection = _database()
    rewritten = f"SELECT {key}, {selected} FROM {outer_from} LEFT JOIN {derived} ON {on} WHERE {where}"
    assert _rows(connection, rewritten) == _rows(connection, sql) and len(_rows(connection, sql)) >= 3


def test_only_the_rows_some_value_takes_are_grouped(check):
    """Where every value has conditions of its own, the derived table keeps the rows any of them
    takes; a value whose conditions hold another's and more adds none."""
    sql = ("SELECT se.sectionID,\n(SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID AND r.endDate IS NULL) AS open_,\n"
           "(SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID AND r.endDate IS NULL AND r.personID > 100) AS later\n"
           "FROM Section se")
    assert "FROM Roster r WHERE r.endDate IS NULL GROUP BY r.sectionID" in _fix(check, sql)


def test_subqueries_that_differ_in_more_than_the_value_and_its_conditions_are_said_apart(check):
    """A TOP 1 is a row, not an aggregate; a subquery that joins another table reads other rows."""
    for second in ("(SELECT TOP 1 gs.[percent] FROM GradingScore gs WHERE gs.personID = e.personID AND gs.calendarID = 7 "
                   "ORDER BY gs.scoreID) AS lastThisYear",
                   "(SELECT MAX(gs.[percent]) FROM GradingScore gs JOIN Calendar c ON c.calendarID = gs.calendarID "
                   "WHERE gs.personID = e.personID AND c.endYear = 2026) AS bestThisYear"):
        sql = (f"SELECT e.enrollmentID, (SELECT MAX(gs.[percent]) FROM GradingScore gs WHERE gs.personID = e.personID) AS best, "
               f"{second} FROM Enrollment e WHERE e.endYear = 2026")
        hits = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
        assert len(hits) == 2 and not any("again" in hit.message or "OUTER APPLY" in hit.remediation for hit in hits)


def test_subqueries_in_a_case_are_said_in_the_order_written(check):
    """sqlglot gives a CASE's THEN before its WHEN: the finding is on the first in the text."""
    sql = ("SELECT e.personID,\nCASE WHEN (SELECT COUNT(*) FROM GradingScore gs WHERE gs.personID = e.personID) > 1\n"
           "THEN (SELECT MAX(gs.[percent]) FROM GradingScore gs WHERE gs.personID = e.personID) END AS best\n"
           "FROM Enrollment e WHERE e.endYear = 2026")
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SH001"]
    assert hit.span.line == 2 and hit.message.endswith("The subquery on line 3 reads the same rows again, for another value.")
    assert "COUNT(*) AS n, MAX(gs.[percent]) AS n2" in hit.remediation and "select ISNULL(x.n, 0), x.n2 in place" in hit.remediation
