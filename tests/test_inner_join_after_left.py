"""SH012 where an inner join's ON compares a LEFT JOIN's table: LEFT JOIN Roster r ... JOIN
Section se ON se.sectionID = r.sectionID drops the students with no roster, as a WHERE on r would.
SQLite shows the rows lost, and kept by each fix offered; the joins made inner count as inner for
scope."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="SH012")

SCHOOL = {
    "student": ("personID int, studentNumber text, calendarID int", [(1, "1001", 7), (2, "1002", 7)]),
    "Roster": ("personID int, sectionID int", [(1, 10), (1, 11)]),  # student 1002 has no classes yet
    "Section": ("sectionID int, courseID int", [(10, 100), (11, 101)]),
    "Course": ("courseID int, name text, calendarID int", [(100, "Algebra", 7), (101, "Biology", 6)]),
}
CLASSES = """SELECT s.studentNumber, ISNULL(c.name, '-') AS course
FROM student s
LEFT JOIN Roster r ON r.personID = s.personID
JOIN Section se ON se.sectionID = r.sectionID
JOIN Course c ON c.courseID = se.courseID
WHERE s.calendarID = 7 AND c.calendarID = 7
"""


def test_an_inner_join_on_a_left_join_s_table_is_found_and_each_fix_keeps_the_students_with_no_class(check):
    (hit,) = _hits(check, CLASSES)
    assert (hit.span.line, hit.span.column) == (4, 20)
    assert hit.message == ("The inner join to Section se on se.sectionID = r.sectionID throws away the rows where the "
                           "LEFT JOIN found no Roster, so the LEFT JOIN works as an inner join.")
    nested = ("LEFT JOIN (Roster r JOIN Section se ON se.sectionID = r.sectionID JOIN Course c ON c.courseID = "
              "se.courseID) ON r.personID = s.personID")
    assert hit.remediation == (
        f"To keep the rows that find no Roster, make the joins to Section se and Course c LEFT JOINs too, or join them "
        f"inside the LEFT JOIN: {nested} (c.calendarID = 7 then moves from the WHERE to the ON of its join). If only "
        "the rows that find one are meant, write INNER JOIN Roster: it says what the query does.")
    database = sqlite_with(SCHOOL)
    assert sqlite_rows(database, CLASSES) == [("1001", "Algebra")]
    kept = [("1001", "Algebra"), ("1002", "-")]
    left_joins = """SELECT s.studentNumber, ISNULL(c.name, '-') AS course
FROM student s
LEFT JOIN Roster r ON r.personID = s.personID
LEFT JOIN Section se ON se.sectionID = r.sectionID
LEFT JOIN Course c ON c.courseID = se.courseID AND c.calendarID = 7
WHERE s.calendarID = 7
"""
    in_the_left_join = (f"SELECT s.studentNumber, ISNULL(c.name, '-') AS course\nFROM student s\n"
                        f"{nested.replace('se.courseID)', 'se.courseID AND c.calendarID = 7)')}\nWHERE s.calendarID = 7\n")
    for fixed in (left_joins, in_the_left_join):
        assert _hits(check, fixed) == []
    assert sqlite_rows(database, in_the_left_join) == kept
    # the Biology roster row is of another year: LEFT JOINs keep it without its course, as a row of its own
    assert sqlite_rows(database, left_joins) == [("1001", "-"), *kept]


def test_a_chain_of_left_joins_a_where_makes_inner_is_one_finding_and_limits_what_it_joins(check):
    sql = ("SELECT rm.name, COUNT(DISTINCT sp.sectionID) FROM Room rm\n"
           "LEFT JOIN SectionPlacement sp ON sp.roomID = rm.roomID\n"
           "LEFT JOIN Section se ON se.sectionID = sp.sectionID\n"
           "LEFT JOIN Course co ON co.courseID = se.courseID\n"
           "WHERE co.calendarID = 4412 GROUP BY rm.name\n")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("The WHERE condition on co.calendarID throws away the rows where the LEFT JOIN found no Course")
    # every SectionPlacement row kept is of a section of calendar 4412's courses: it is not read for every year
    assert found(check, sql, "SC001") == []
    assert ("SectionPlacement",) in [f.objects for f in found(check, sql.replace("co.calendarID = 4412", "rm.roomID > 0"),
                                                               "SC001")]


@pytest.mark.parametrize("joins", [
    "LEFT JOIN (Roster r JOIN Section se ON se.sectionID = r.sectionID) ON r.personID = s.personID",
    "LEFT JOIN Roster r ON r.personID = s.personID LEFT JOIN Section se ON se.sectionID = r.sectionID",
    # a roster row with no section is NULL there, and matches section 0
    "LEFT JOIN Roster r ON r.personID = s.personID JOIN Section se ON se.sectionID = ISNULL(r.sectionID, 0)",
    # Section is joined to the student, not to the roster
    "LEFT JOIN Roster r ON r.personID = s.personID JOIN Section se ON se.teacherPersonID = s.personID",
])
def test_joins_that_keep_the_rows_the_left_join_found_nothing_for_are_left_alone(check, joins):
    assert _hits(check, f"SELECT s.studentNumber, se.sectionID FROM student s {joins} WHERE s.calendarID = 7") == []
