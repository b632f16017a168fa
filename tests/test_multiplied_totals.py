"""JN004: a SUM or COUNT multiplied by another table joined to the same grouped row. SQLite pairs
the rows as SQL Server does: the query as written gives each student's absences times their
courses, and the fix the finding offers (COUNT(DISTINCT key), or each total in its own derived
table) gives the counts meant."""

import re
from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="JN004")

# Student 1: 2 absences, 3 courses; student 2: 1 absence, 1 course
ROWS = {
    "Person": ("personID", [(1,), (2,)]),
    "Attendance": ("attendanceID, personID, calendarID, status, excuseID",
                   [(10, 1, 12, "A", 1), (11, 1, 12, "A", 2), (12, 2, 12, "A", 3)]),
    "Roster": ("rosterID, personID, sectionID, trialID", [(20, 1, 7, 5), (21, 1, 8, 5), (22, 1, 9, 5), (23, 2, 7, 5)]),
    # each student enrolled once in calendar 12
    "Enrollment": ("enrollmentID, personID, calendarID", [(30, 1, 12), (31, 2, 12)]),
}
JOINED = ("FROM Person p\nJOIN Attendance a ON a.personID = p.personID AND a.calendarID = 12 AND a.status = 'A'\n"
          "JOIN Roster r ON r.personID = p.personID AND r.trialID = 5\n")


@pytest.fixture(scope="module")
def database():
    return sqlite_with(ROWS)


def test_two_counts_of_tables_joined_to_the_same_student_multiply_each_other_and_distinct_counts_fix_them(check, database):
    sql = f"SELECT p.personID, COUNT(a.attendanceID) AS absences, COUNT(r.rosterID) AS courses\n{JOINED}GROUP BY p.personID"
    absences, courses = _hits(check, sql)
    assert absences.message.startswith(
        "COUNT(a.attendanceID) counts each Attendance row once for every Roster row of the same Person row: Attendance a "
        "(on a.personID) and Roster r (on r.personID) each have several rows for one Person p row")
    assert courses.message.startswith("COUNT(r.rosterID) counts each Roster row once for every Attendance row")
    assert (absences.span.line, absences.span.column) == (1, 20)
    assert sqlite_rows(database, sql) == [(1, 6, 6), (2, 1, 1)]  # 2 absences x 3 courses, both ways
    fixed = sql
    for hit in (absences, courses):
        written = re.match(r"(\S+) counts", hit.message)[1]
        fixed = fixed.replace(written, re.search(r"(COUNT\(DISTINCT [^)]+\)) counts each once", hit.remediation)[1])
    assert sqlite_rows(database, fixed) == [(1, 2, 3), (2, 1, 1)]
    assert _hits(check, fixed) == []


def test_ctes_over_one_table_each_multiply_each_other_as_the_tables_do(check, database):
    """Each CTE passes on its table's rows (several a student): joined to the same Person row, a
    total over one is multiplied by the other's rows, as the tables' totals are."""
    sql = ("WITH absences AS (SELECT a.attendanceID, a.personID FROM Attendance a WHERE a.calendarID = 12 AND a.status = 'A'),\n"
           "courses AS (SELECT r.rosterID, r.personID FROM Roster r WHERE r.trialID = 5)\n"
           "SELECT p.personID, COUNT(ab.attendanceID) AS absences, COUNT(co.rosterID) AS courses FROM Person p\n"
           "JOIN absences ab ON ab.personID = p.personID JOIN courses co ON co.personID = p.personID GROUP BY p.personID")
    absences, courses = _hits(check, sql)
    assert absences.message.startswith(
        "COUNT(ab.attendanceID) counts each absences row once for every courses row of the same Person row: absences ab "
        "(on ab.personID) and courses co (on co.personID) each have several rows for one Person p row")
    assert absences.remediation.startswith("Total absences in a derived table of its own, grouped by ab.personID")
    assert courses.message.startswith("COUNT(co.rosterID) counts each courses row once for every absences row")
    assert sqlite_rows(database, sql) == [(1, 6, 6), (2, 1, 1)]  # 2 absences x 3 courses, both ways
    one_each = sql.replace("SELECT a.attendanceID, a.personID FROM Attendance a", "SELECT a.personID, COUNT(*) AS n "
                           "FROM Attendance a").replace("a.status = 'A')", "a.status = 'A' GROUP BY a.personID)")
    assert not [hit for hit in _hits(check, one_each.replace("COUNT(ab.attendanceID)", "MAX(ab.n)"))]


def test_a_sum_is_multiplied_too_and_its_own_derived_table_gives_the_total_meant(check, database):
    sql = f"SELECT p.personID, SUM(a.excuseID) AS total, COUNT(r.rosterID) AS courses\n{JOINED}GROUP BY p.personID"
    (summed, _) = _hits(check, sql)
    assert summed.message.startswith("SUM(a.excuseID) adds up each Attendance row once for every Roster row")
    assert summed.remediation.startswith("Total Attendance in a derived table of its own, grouped by a.personID with its "
                                         "conditions, and join that one row per Person row instead of Attendance a; the "
                                         "same for Roster.")
    assert "DISTINCT" not in summed.remediation  # a SUM of distinct values is another number
    assert sqlite_rows(database, sql) == [(1, 9, 6), (2, 3, 1)]
    totalled = ("SELECT p.personID, ab.total, co.courses FROM Person p\n"
                "JOIN (SELECT a.personID, SUM(a.excuseID) AS total FROM Attendance a WHERE a.calendarID = 12 "
                "AND a.status = 'A' GROUP BY a.personID) ab ON ab.personID = p.personID\n"
                "JOIN (SELECT r.personID, COUNT(*) AS courses FROM Roster r WHERE r.trialID = 5 GROUP BY r.personID) co "
                "ON co.personID = p.personID")
    assert sqlite_rows(database, totalled) == [(1, 3, 3), (2, 3, 1)]
    assert _hits(check, totalled) == []


@pytest.mark.parametrize("sql", [
    # each total counts each row once, or does not count rows
    f"SELECT p.personID, COUNT(DISTINCT a.attendanceID), COUNT(DISTINCT r.rosterID)\n{JOINED}GROUP BY p.personID",
    f"SELECT p.personID, MAX(a.excuseID), MIN(r.sectionID)\n{JOINED}GROUP BY p.personID",
    f"SELECT p.personID, COUNT(*)\n{JOINED}GROUP BY p.personID",
    # one table with several rows per student: nothing to multiply by
    "SELECT p.personID, COUNT(a.attendanceID) FROM Person p JOIN Attendance a ON a.personID = p.personID "
    "JOIN School s ON s.schoolID = 1 GROUP BY p.personID",
    # the second table joined on its key: one row at most
    "SELECT p.personID, COUNT(a.attendanceID) FROM Person p JOIN Attendance a ON a.personID = p.personID "
    "JOIN Roster r ON r.rosterID = 20 AND r.personID = p.personID GROUP BY p.personID",
    # the two joined to each other: their rows are paired on purpose
    "SELECT p.personID, COUNT(a.attendanceID) FROM Person p JOIN Roster r ON r.personID = p.personID "
    "JOIN Attendance a ON a.personID = p.personID AND a.sectionID = r.sectionID GROUP BY p.personID",
    # grouped by the rows of both: each group has one of each
    f"SELECT p.personID, r.rosterID, COUNT(a.attendanceID)\n{JOINED}GROUP BY p.personID, r.rosterID",
    # a running total over the rows, not a group's
    f"SELECT p.personID, COUNT(a.attendanceID) OVER (PARTITION BY p.personID)\n{JOINED}GROUP BY p.personID, a.attendanceID",
])
def test_totals_that_count_each_row_once_are_left_alone(check, sql):
    assert _hits(check, sql) == []


_CHAINED = ("SELECT p.personID, COUNT(a.attendanceID) AS absences, COUNT(r.rosterID) AS courses\nFROM Person p\n"
            "JOIN Enrollment e ON e.personID = p.personID AND e.calendarID = 12\n"
            "JOIN Attendance a ON a.personID = e.personID AND a.calendarID = e.calendarID AND a.status = 'A'\n"
            "JOIN Roster r ON r.personID = p.personID AND r.trialID = 5\nGROUP BY p.personID")


def test_a_table_joined_through_another_is_multiplied_too(check, database):
    """Attendance reaches the student through their Enrollment rows, Roster directly: the two
    still pair, and each count is the largest other table's rows times too many."""
    absences, courses = _hits(check, _CHAINED)
    assert absences.message.startswith(
        "COUNT(a.attendanceID) counts each Attendance row once for every Roster row of the same Person row: Attendance a "
        "(through Enrollment e) and Roster r (on r.personID) each have several rows for one Person p row")
    assert absences.remediation.startswith("Total Attendance in a derived table of its own, grouped by a.calendarID and "
                                           "a.personID with its conditions, and join that one row per Enrollment row")
    assert courses.message.startswith("COUNT(r.rosterID) counts each Roster row once for every Attendance row of the "
                                      "same Person row: Roster r (on r.personID) and Attendance a (through Enrollment e)")
    assert sqlite_rows(database, _CHAINED) == [(1, 6, 6), (2, 1, 1)]
    fixed = (_CHAINED.replace("COUNT(a.attendanceID)", "COUNT(DISTINCT a.attendanceID)")
             .replace("COUNT(r.rosterID)", "COUNT(DISTINCT r.rosterID)"))
    assert sqlite_rows(database, fixed) == [(1, 2, 3), (2, 1, 1)]
    assert _hits(check, fixed) == []


def test_two_tables_hanging_from_one_row_of_the_chain_are_left_alone(check):
    """Attendance and the enrollment's calendar both hang from the enrollment: each enrollment has
    one calendar, so nothing multiplies the absences."""
    sql = ("SELECT p.personID, COUNT(a.attendanceID) FROM Person p\n"
           "JOIN Enrollment e ON e.personID = p.personID AND e.endYear = 2026\n"
           "JOIN Attendance a ON a.personID = e.personID AND a.calendarID = e.calendarID\n"
           "JOIN Calendar c ON c.calendarID = e.calendarID\nGROUP BY p.personID")
    assert _hits(check, sql) == []



def test_a_view_with_several_rows_for_the_grouped_row_multiplies_a_total_as_a_table_does(check):
    """StaffMember has a row for each of a teacher's school assignments: a section's roster count
    beside it counts each student once for every school the teacher works at. Individual has one
    row a person and multiplies nothing."""
    staff = sqlite_with({
        "Section": ("sectionID, teacherPersonID", [(7, 100), (8, 101)]),
        "Roster": ("rosterID, personID, sectionID", [(20, 1, 7), (21, 2, 7), (22, 1, 8)]),
        "StaffMember": ("personID, schoolID, lastName", [(100, 1, "Ruiz"), (100, 2, "Ruiz"), (101, 1, "Lee")]),
    })
    sql = ("SELECT sec.sectionID, COUNT(r.rosterID) AS enrolled FROM Section sec\n"
           "LEFT JOIN StaffMember sm ON sm.personID = sec.teacherPersonID\n"
           "LEFT JOIN Roster r ON r.sectionID = sec.sectionID\n"
           "WHERE sm.lastName LIKE 'R%' OR sm.lastName LIKE 'L%' GROUP BY sec.sectionID")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("COUNT(r.rosterID) counts each Roster row once for every StaffMember row of the same "
                                  "Section row: Roster r (on r.sectionID) and StaffMember sm (on sm.personID) each have "
                                  "several rows for one Section sec row")
    assert sqlite_rows(staff, sql) == [(7, 4), (8, 1)]  # two students, counted for both of Ruiz's schools
    fixed = sql.replace("COUNT(r.rosterID)", re.search(r"(COUNT\(DISTINCT [^)]+\)) counts each once", hit.remediation)[1])
    assert sqlite_rows(staff, fixed) == [(7, 2), (8, 1)]
    assert _hits(check, sql.replace("StaffMember", "Individual")) == []
    # grouped by the teacher's name too: their rows share it, and fall in one group
    named = sql.replace("SELECT sec.sectionID,", "SELECT sec.sectionID, sm.lastName,").replace(
        "GROUP BY sec.sectionID", "GROUP BY sec.sectionID, sm.lastName")
    (hit,) = _hits(check, named)
    assert hit.message.startswith("COUNT(r.rosterID) counts each Roster row once for every StaffMember row of the same "
                                  "Section row")
    assert sqlite_rows(staff, named) == [(7, "Ruiz", 4), (8, "Lee", 1)]
    # grouped by the school as well, each group holds one assignment of the teacher's
    by_school = named.replace("sm.lastName,", "sm.lastName, sm.schoolID,").replace(
        "GROUP BY sec.sectionID, sm.lastName", "GROUP BY sec.sectionID, sm.lastName, sm.schoolID")
    assert _hits(check, by_school) == []
    assert sqlite_rows(staff, by_school) == [(7, "Ruiz", 1, 2), (7, "Ruiz", 2, 2), (8, "Lee", 1, 1)]


def test_two_tables_joined_to_each_other_through_a_third_are_left_alone(check):
    """A teacher's sections and their school's calendars both hang from the StaffMember row, but
    each section's Course names its one calendar: the pairs are one each, and the count is right."""
    school = sqlite_with({
        "StaffMember": ("personID, schoolID, schoolName", [(100, 1, "Adams")]),
        "Section": ("sectionID, teacherPersonID, courseID", [(7, 100, 70), (8, 100, 80)]),
        "Course": ("courseID, calendarID", [(70, 11), (80, 11)]),
        "Calendar": ("calendarID, schoolID, endYear", [(11, 1, 2026), (12, 1, 2025)]),
    })
    sql = ("SELECT sm.schoolName, COUNT(sec.sectionID) AS sections FROM StaffMember sm\n"
           "JOIN Section sec ON sec.teacherPersonID = sm.personID JOIN Course co ON co.courseID = sec.courseID\n"
           "JOIN Calendar cal ON cal.calendarID = co.calendarID AND cal.schoolID = sm.schoolID\n"
           "GROUP BY sm.schoolName")
    assert _hits(check, sql) == []
    assert sqlite_rows(school, sql) == [("Adams", 2)]
    untied = sql.replace("cal.calendarID = co.calendarID AND ", "")
    (hit,) = _hits(check, untied)
    assert hit.message.startswith("COUNT(sec.sectionID) counts each Section row once for every Calendar row")
    assert sqlite_rows(school, untied) == [("Adams", 4)]


def test_a_grouped_query_joined_on_part_of_what_it_groups_by_multiplies_a_total(check):
    """A CTE of each student's marks per calendar has a row for each calendar of theirs: joined on
    the student alone beside their courses, each course is counted once per calendar, and each
    calendar's marks once per course."""
    two_years = sqlite_with({
        "Person": ("personID", [(1,)]),
        "Attendance": ("attendanceID, personID, calendarID", [(10, 1, 12), (11, 1, 13), (12, 1, 13)]),
        "Roster": ("rosterID, personID", [(20, 1), (21, 1)]),
    })
    sql = ("WITH marks AS (SELECT a.personID, a.calendarID, COUNT(*) AS n FROM Attendance a "
           "GROUP BY a.personID, a.calendarID)\n"
           "SELECT p.personID, COUNT(r.rosterID) AS courses, SUM(m.n) AS marks FROM Person p\n"
           "JOIN marks m ON m.personID = p.personID JOIN Roster r ON r.personID = p.personID GROUP BY p.personID")
    courses, marks = _hits(check, sql)
    assert courses.message.startswith("COUNT(r.rosterID) counts each Roster row once for every marks row")
    assert marks.message.startswith("SUM(m.n) adds up each marks row once for every Roster row")
    assert sqlite_rows(two_years, sql) == [(1, 4, 6)]  # 2 courses and 3 marks, each counted twice


def test_a_total_of_rows_with_several_rows_joined_to_each_is_multiplied_by_them(check):
    """Students counted per school beside their absences count each student once per absence; a
    CTE of each student's mark count beside their courses adds each count once per course. The
    fix each names gives the totals meant."""
    school = sqlite_with({
        "School": ("schoolID, name", [(1, "Adams")]),
        "student": ("personID, schoolID, calendarID", [(1, 1, 12), (2, 1, 12)]),
        "Attendance": ("attendanceID, personID, calendarID", [(10, 1, 12), (11, 1, 12), (12, 1, 12)]),
        "Person": ("personID", [(1,), (2,)]),
        "Roster": ("rosterID, personID", [(20, 1), (21, 1), (22, 2)]),
    })
    per_school = ("SELECT sch.name, COUNT(s.personID) AS students, COUNT(a.attendanceID) AS absences FROM School sch\n"
                  "JOIN student s ON s.schoolID = sch.schoolID\n"
                  "LEFT JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID GROUP BY sch.name")
    (hit,) = _hits(check, per_school)
    assert hit.message.startswith("COUNT(s.personID) counts each student row once for every Attendance row joined to it: "
                                  "Attendance a (on a.calendarID and a.personID) has several rows for one student s row")
    assert sqlite_rows(school, per_school) == [("Adams", 4, 3)]  # 2 students: one with 3 absences, one with none
    distinct = per_school.replace("COUNT(s.personID)", "COUNT(DISTINCT s.personID)")
    assert _hits(check, distinct) == [] and sqlite_rows(school, distinct) == [("Adams", 2, 3)]
    marks = ("WITH marks AS (SELECT a.personID, COUNT(*) AS n FROM Attendance a GROUP BY a.personID)\n"
             "SELECT p.personID, SUM(m.n) AS marks, COUNT(r.rosterID) AS courses FROM Person p\n"
             "JOIN marks m ON m.personID = p.personID JOIN Roster r ON r.personID = p.personID GROUP BY p.personID")
    (hit,) = _hits(check, marks)
    assert hit.message.startswith("SUM(m.n) adds up each marks row once for every Roster row joined to it: Roster r "
                                  "(through Person p) has several rows for one marks m row")
    assert sqlite_rows(school, marks) == [(1, 6, 2)]  # 3 marks, added once per course
    assert sqlite_rows(school, marks.replace("SUM(m.n)", "MAX(m.n)")) == [(1, 3, 2)]


@pytest.mark.parametrize("sql", [
    # a student's enrollments put their credits in each school's group: they link, not repeat
    "SELECT c.schoolID, SUM(tc.creditsEarned) AS credits FROM Calendar c JOIN Enrollment e ON e.calendarID = c.calendarID "
    "JOIN TranscriptCourse tc ON tc.personID = e.personID WHERE c.endYear = 2026 GROUP BY c.schoolID",
    # joined only to filter: JN007's
    "SELECT a.personID, COUNT(a.attendanceID) AS absences FROM Attendance a JOIN Enrollment e ON e.personID = a.personID "
    "WHERE a.status = 'A' AND a.calendarID = 412 AND e.endYear = 2026 GROUP BY a.personID",
    # one row each: a student's one Person row
    "SELECT sch.name, COUNT(s.personID) AS students, MAX(p.staffNumber) AS x FROM School sch JOIN student s "
    "ON s.schoolID = sch.schoolID JOIN Person p ON p.personID = s.personID GROUP BY sch.name",
])
def test_rows_that_link_filter_or_match_one_each_are_left_alone(check, sql):
    assert _hits(check, sql) == []
