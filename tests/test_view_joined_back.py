"""VW006: a view joined back, on the key of a row it already reads, to that row's table. The fix,
applied as the remediation words it, returns the same rows in SQLite over the bundled student
view's own definition (a student with two enrollments, a person with none); where dropping the
table could change the rows, or the view lacks a column, nothing is said."""

import json
import re
import sqlite3
from functools import partial

import pytest
import sqlglot
from checked import found

from advisor.catalog.load import load
from advisor.pipeline import Checker
from advisor.sources import Source

STUDENT_TABLES = ("Person", "Identity", "Enrollment", "Calendar", "SchoolYear", "School")
ROWS = {
    "Person": [{"personID": 1, "currentIdentityID": 11, "studentNumber": "A1"},
               {"personID": 2, "currentIdentityID": 12, "studentNumber": "A2"},
               {"personID": 3, "currentIdentityID": 13, "studentNumber": "A3"}],  # 3 never enrolled
    "Identity": [{"identityID": 11, "personID": 1, "lastName": "Ruiz"}, {"identityID": 12, "personID": 2, "lastName": "Lee"},
                 {"identityID": 13, "personID": 3, "lastName": "Ng"}],
    "Enrollment": [{"enrollmentID": 21, "personID": 1, "calendarID": 7, "endYear": 2026, "grade": "09", "serviceType": "P",
                    "startDate": "2025-08-20"},
                   {"enrollmentID": 22, "personID": 1, "calendarID": 8, "endYear": 2026, "grade": "09", "serviceType": "S",
                    "startDate": "2025-08-20"},
                   {"enrollmentID": 23, "personID": 2, "calendarID": 7, "endYear": 2026, "grade": "10", "serviceType": "P",
                    "startDate": "2025-09-02"},
                   {"enrollmentID": 24, "personID": 2, "calendarID": 6, "endYear": 2025, "grade": "09", "serviceType": "P",
                    "startDate": "2024-08-21"}],
    "Calendar": [{"calendarID": 6, "schoolID": 1, "endYear": 2025, "name": "HS 24-25"},
                 {"calendarID": 7, "schoolID": 1, "endYear": 2026, "name": "HS 25-26"},
                 {"calendarID": 8, "schoolID": 2, "endYear": 2026, "name": "Alt 25-26"}],
    "SchoolYear": [{"endYear": 2025, "active": 0}, {"endYear": 2026, "active": 1}],
    "School": [{"schoolID": 1, "name": "Central High"}, {"schoolID": 2, "name": "Northside"}],
}


@pytest.fixture(scope="module")
def database(catalog):
    connection = sqlite3.connect(":memory:")
    for name in STUDENT_TABLES:
        columns = [column.name for column in catalog.table(name).columns]
        connection.execute(f"CREATE TABLE [{name}] ({', '.join(columns)})")
        for row in ROWS[name]:
            connection.execute(f"INSERT INTO [{name}] ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    definition = catalog.view("student").definition.split(" AS\n", 1)[1].replace("dbo.", "")
    connection.execute("CREATE VIEW student AS " + sqlglot.transpile(definition, read="tsql", write="sqlite")[0])
    return connection


def _rows(connection: sqlite3.Connection, tsql: str) -> list[tuple]:
    return sorted(connection.execute(sqlglot.transpile(tsql, read="tsql", write="sqlite")[0]).fetchall(), key=repr)


_hits = partial(found, rule="VW006")


def _applied(sql: str, advice: str) -> str:
    """The query rewritten as the advice says: the joined table's line dropped (or the FROM
    started at the view), conditions moved from its ON clause to the WHERE, its columns read
    from the view."""
    lines = sql.splitlines()
    if start := re.match(r"Start the FROM clause at (.+?), without (.+?)\.", advice):
        lines = [f"FROM {start[1]}" if line.startswith("JOIN " + start[1]) else line
                 for line in lines if line != f"FROM {start[2]}"]
    else:
        (dropped,) = re.findall(r"Drop the join to (.+?)\.", advice)
        lines = [line for line in lines if f"JOIN {dropped} ON" not in line]
    if moved := re.search(r"Move (.+) from the ON clause to the WHERE clause\.", advice):
        lines = [line + f" AND {moved[1]}" if line.startswith("WHERE ") else line for line in lines]
    rewritten = "\n".join(lines)
    for column, instead in re.findall(r"(\w+\.\w+) is (\w+\.\w+)", advice):
        rewritten = re.sub(rf"\b{re.escape(column)}\b", instead, rewritten)
    return rewritten


@pytest.mark.parametrize("sql, severity", [
    ("SELECT s.studentNumber, e.grade, e.startDate\nFROM student s WITH (NOEXPAND)\n"
     "JOIN Enrollment e ON e.enrollmentID = s.enrollmentID\nWHERE s.endYear = 2026", "warning"),
    # Calendar is the row student joins on Enrollment's calendarID; School joins on Calendar's schoolID
    ("SELECT s.studentNumber, c.name, sch.name AS school\nFROM student s WITH (NOEXPAND)\n"
     "JOIN Calendar c ON c.calendarID = s.calendarID\nJOIN School sch ON sch.schoolID = c.schoolID\nWHERE s.endYear = 2026", "info"),
    ("SELECT s.lastName, p.studentNumber\nFROM student s WITH (NOEXPAND)\n"
     "LEFT JOIN Person p ON p.personID = s.personID\nWHERE s.grade = '09'", "warning"),
    ("SELECT s.lastName, e.grade\nFROM student s WITH (NOEXPAND)\n"
     "JOIN Enrollment e ON e.enrollmentID = s.enrollmentID AND e.serviceType = 'P'\nWHERE s.endYear >= 2025", "warning"),
    # student's personID is its Enrollment row's too: student joins Enrollment on it
    ("SELECT e.personID, e.grade, s.lastName\nFROM Enrollment e\n"
     "JOIN student s WITH (NOEXPAND) ON s.enrollmentID = e.enrollmentID\nWHERE e.serviceType = 'P'", "warning"),
    ("SELECT s.studentNumber\nFROM student s WITH (NOEXPAND)\n"
     "JOIN Enrollment e ON e.enrollmentID = s.enrollmentID\nWHERE s.endYear = 2026", "warning"),
])
def test_the_view_alone_returns_the_same_rows(check, database, sql, severity):
    (hit,) = _hits(check, sql)
    rewritten = _applied(sql, hit.remediation)
    assert hit.severity == severity and "a second time" in hit.message
    assert _rows(database, rewritten) == _rows(database, sql) and _rows(database, sql)
    assert _hits(check, rewritten) == []


def test_the_advice_names_each_column_and_the_conditions_to_keep(check):
    sql = ("SELECT s.lastName, e.grade\nFROM student s WITH (NOEXPAND)\n"
           "JOIN Enrollment e ON e.enrollmentID = s.enrollmentID AND e.serviceType = 'P'\nWHERE s.endYear = 2026")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("student already reads Enrollment: s.enrollmentID is the key of that Enrollment row")
    assert hit.remediation == ("Drop the join to Enrollment e. Move e.serviceType = 'P' from the ON clause to the WHERE clause. "
                               "Read the view's columns instead: e.grade is s.grade; e.serviceType is s.serviceType.")
    assert hit.objects == ("student", "Enrollment") and (hit.span.line, hit.span.column) == (3, 6)


def test_a_cte_that_passes_the_view_on_is_the_view_joined_back(check, database):
    sql = ("WITH s AS (SELECT * FROM student WITH (NOEXPAND) WHERE endYear = 2026)\nSELECT s.studentNumber, e.grade, "
           "e.startDate\nFROM s\nJOIN Enrollment e ON e.enrollmentID = s.enrollmentID")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("student, read through s, already reads Enrollment: s.enrollmentID is the key of that "
                                  "Enrollment row, so joining Enrollment e on it reads the row a second time")
    assert hit.objects == ("student", "Enrollment")
    rewritten = _applied(sql, hit.remediation)
    assert _rows(database, rewritten) == _rows(database, sql) and _rows(database, sql)
    assert _hits(check, rewritten) == []


def test_the_key_is_named_where_another_join_uses_it(check):
    sql = ("SELECT cs.courseNumber, se.maxStudents, COUNT(*) AS students\nFROM v_CourseSection cs\n"
           "JOIN Section se ON se.sectionID = cs.sectionID\nJOIN Roster r ON r.sectionID = se.sectionID AND r.trialID = se.trialID\n"
           "WHERE cs.endYear = 2026\nGROUP BY cs.courseNumber, se.maxStudents")
    (hit,) = _hits(check, sql)
    assert hit.remediation.endswith("se.sectionID is cs.sectionID; se.trialID is cs.trialID; se.maxStudents is cs.maxStudents.")


@pytest.mark.parametrize("sql", [
    # the view has no modifiedDate: the join is how the query gets it
    "SELECT s.studentNumber, e.modifiedDate FROM student s WITH (NOEXPAND) JOIN Enrollment e ON e.enrollmentID = s.enrollmentID",
    # not a key: every enrollment of the person
    "SELECT s.studentNumber, e.grade FROM student s WITH (NOEXPAND) JOIN Enrollment e ON e.personID = s.personID",
    # a LEFT JOIN with a condition of its own gives NULLs where the view's row fails it
    "SELECT s.studentNumber, c.name FROM student s WITH (NOEXPAND) LEFT JOIN Calendar c ON c.calendarID = s.calendarID AND c.summerSchool = 0",
    # the view is the optional side: the table's rows without a student stay
    "SELECT c.name, s.studentNumber FROM Calendar c LEFT JOIN student s WITH (NOEXPAND) ON s.calendarID = c.calendarID",
    # the view reads AttendanceExcuse by a LEFT JOIN: the inner join drops the rows without an excuse
    "SELECT ad.personID, x.code FROM v_AttendanceDetail ad JOIN AttendanceExcuse x ON x.excuseID = ad.excuseID WHERE ad.endYear = 2026",
    # every column of the table, under a star
    "SELECT s.studentNumber, e.* FROM student s WITH (NOEXPAND) JOIN Enrollment e ON e.enrollmentID = s.enrollmentID",
    # the table an UPDATE or DELETE changes: the view cannot stand in for it
    "UPDATE e SET e.endStatus = 'W1' FROM Enrollment e JOIN student s WITH (NOEXPAND) ON s.enrollmentID = e.enrollmentID "
    "WHERE s.noShow = 1",
    "DELETE e FROM Enrollment e JOIN student s WITH (NOEXPAND) ON s.enrollmentID = e.enrollmentID WHERE s.noShow = 1",
])
def test_a_join_the_view_cannot_replace_is_left_alone(check, sql):
    assert _hits(check, sql) == []


def test_a_district_view_that_groups_its_rows_is_not_the_table_again(tmp_path):
    catalog, _ = load(_catalog_with_view(tmp_path, "CREATE VIEW v_last AS SELECT e.personID, MAX(e.enrollmentID) AS enrollmentID "
                                                   "FROM Enrollment e GROUP BY e.personID"))
    sql = "SELECT v.personID, e.grade FROM v_last v JOIN Enrollment e ON e.enrollmentID = v.enrollmentID\n"
    plain, _ = load(_catalog_with_view(tmp_path, "CREATE VIEW v_last AS SELECT e.personID, e.enrollmentID, e.grade FROM Enrollment e"))
    found = [[f.rule for f in Checker(c).check(Source("q.sql", sql.encode())).findings if f.rule == "VW006"] for c in (catalog, plain)]
    assert found == [[], ["VW006"]]


def _catalog_with_view(tmp_path, definition):
    document = {
        "format": "sqladvise-catalog", "version": 1,
        "tables": [{"name": "Enrollment", "rows": 300_000, "primary_key": ["enrollmentID"],
                    "columns": [{"name": "enrollmentID", "type": "int"}, {"name": "personID", "type": "int"},
                                {"name": "grade", "type": "varchar(2)"}]}],
        "views": [{"name": "v_last", "definition": definition}],
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document))
    return path
