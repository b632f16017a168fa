"""JN002 through a view: a view of a row per enrollment (v_AdHocStudent, student) joined on
personID alone, to rows that carry the calendar too, repeats them for each of the student's
enrollments. PostgreSQL, with the two views reduced to the columns the queries read, counts a
student who changed schools twice, and once with the join the finding offers."""

from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="JN002")

_ABSENCES = """-- Author: T. Nguyen
SELECT s.studentNumber, COUNT(*) AS absences
FROM v_AdHocStudent s
JOIN v_AttendanceDetail a ON a.personID = s.personID
WHERE s.endYear = 2026 AND a.status = 'A'
GROUP BY s.studentNumber
"""


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, endYear int, studentNumber text)",
        "CREATE TABLE Attendance (personID int, calendarID int, date date, status text)",
        "CREATE VIEW v_AdHocStudent AS SELECT enrollmentID, personID, calendarID, endYear, studentNumber FROM Enrollment",
        "CREATE VIEW v_AttendanceDetail AS SELECT personID, calendarID, date, status FROM Attendance",
        # student 10 moved from calendar 412 to 415 in the year: one absence at each school
        "INSERT INTO Enrollment VALUES (1, 10, 412, 2026, '1001'), (2, 10, 415, 2026, '1001'), (3, 11, 412, 2026, '1002')",
        "INSERT INTO Attendance VALUES (10, 412, '2025-09-03', 'A'), (10, 415, '2026-02-10', 'A'), "
        "(11, 412, '2025-10-01', 'A')",
    ) as connection:
        yield connection


def test_a_view_of_a_row_per_enrollment_joined_on_personid_alone_is_found_and_its_fix_counts_right(check, postgres):
    (hit,) = _hits(check, _ABSENCES)
    assert hit.message == (
        "v_AdHocStudent s is joined to v_AttendanceDetail a on personID only, but its rows are told apart by personID "
        "and calendarID: each v_AttendanceDetail a row meets every v_AdHocStudent s row with the same personID across "
        "all calendarID values, and the rows multiply (a DISTINCT would only hide it).")
    assert hit.remediation == "Add the rest of the key: AND s.calendarID = a.calendarID."
    assert (hit.span.line, hit.span.column, hit.severity) == (3, 6, "warning")
    assert sorted(postgres_rows(postgres, _ABSENCES)) == [("1001", 4), ("1002", 1)]  # two absences counted four times
    fixed = _ABSENCES.replace("a.personID = s.personID", "a.personID = s.personID AND s.calendarID = a.calendarID")
    assert _hits(check, fixed) == []
    assert sorted(postgres_rows(postgres, fixed)) == [("1001", 2), ("1002", 1)]


@pytest.mark.parametrize("query, found_it", [
    # the student view, and the attendance table itself
    (_ABSENCES.replace("v_AdHocStudent s", "student s WITH (NOEXPAND)"), True),
    (_ABSENCES.replace("v_AttendanceDetail a", "Attendance a"), True),
    # a temp table filled with this year's enrollments, or with a row per student
    ("SELECT s.personID, s.calendarID, s.studentNumber INTO #kids FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026\n"
     "SELECT k.studentNumber, COUNT(*) FROM #kids k JOIN v_AttendanceDetail a ON a.personID = k.personID "
     "GROUP BY k.studentNumber", True),
    ("SELECT s.personID, MAX(s.calendarID) AS calendarID, MAX(s.studentNumber) AS studentNumber INTO #kids "
     "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 GROUP BY s.personID\n"
     "SELECT k.studentNumber, COUNT(*) FROM #kids k JOIN v_AttendanceDetail a ON a.personID = k.personID "
     "GROUP BY k.studentNumber", False),
    # one calendar's enrollments: a row per student
    (_ABSENCES.replace("s.endYear = 2026", "s.calendarID = 412"), False),
    # a row per student, grouped before the join
    ("SELECT x.studentNumber, COUNT(*) FROM (SELECT s.personID, MAX(s.studentNumber) AS studentNumber FROM v_AdHocStudent s "
     "WHERE s.endYear = 2026 GROUP BY s.personID) x JOIN v_AttendanceDetail a ON a.personID = x.personID "
     "GROUP BY x.studentNumber", False),
    # a custom field of the person: nothing of Enrollment's key to add (its enrollmentID may be NULL)
    ("SELECT s.studentNumber, cs.value FROM v_AdHocStudent s JOIN CustomStudent cs ON cs.personID = s.personID "
     "WHERE s.endYear = 2026 AND cs.attributeID = 512", False),
    # a student's other enrollments, paired on purpose, or every one of them
    ("SELECT a.personID FROM student a WITH (NOEXPAND) JOIN student b WITH (NOEXPAND) ON b.personID = a.personID "
     "AND b.enrollmentID <> a.enrollmentID WHERE a.endYear = 2026", False),
    ("SELECT a.personID FROM student a WITH (NOEXPAND) JOIN student b WITH (NOEXPAND) ON b.personID = a.personID "
     "WHERE a.endYear = 2026", True),
    # last year's enrollments of each student: paired on purpose, in another year's calendars
    ("SELECT s.studentNumber, prior.grade FROM v_AdHocStudent s JOIN v_AdHocStudent prior ON prior.personID = "
     "s.personID AND prior.endYear = s.endYear - 1 WHERE s.endYear = 2026", False),
    # a sibling's enrollments of the same year: another person's rows, whom the household names, not the
    # student's calendarID; every student beside every other of the year; the student's calendar beside
    ("SELECT s.studentNumber, sib.grade FROM v_AdHocStudent s JOIN HouseholdMember hm ON hm.personID = s.personID "
     "JOIN HouseholdMember hm2 ON hm2.householdID = hm.householdID AND hm2.personID <> hm.personID "
     "JOIN v_AdHocStudent sib ON sib.personID = hm2.personID AND sib.endYear = s.endYear WHERE s.endYear = 2026", False),
    ("SELECT s.studentNumber, s2.studentNumber FROM v_AdHocStudent s JOIN v_AdHocStudent s2 ON s2.endYear = s.endYear "
     "WHERE s.endYear = 2026 AND s.calendarID = 412", True),
    (_ABSENCES.replace("JOIN v_AttendanceDetail", "JOIN Calendar c ON c.calendarID = s.calendarID JOIN v_AttendanceDetail"),
     True),
    # a section's course, joined on the section: the view passes on Section's own key
    ("SELECT cs.sectionID, r.personID FROM v_CourseSection cs JOIN Section se ON se.sectionID = cs.sectionID "
     "JOIN Roster r ON r.sectionID = se.sectionID AND r.trialID = se.trialID WHERE cs.endYear = 2026", False),
])
def test_a_view_s_rows_and_what_the_other_side_has_decide(check, query, found_it):
    assert bool(_hits(check, query)) is found_it


@pytest.mark.parametrize("enrollments, named", [("Enrollment e", "Enrollment e"), ("(SELECT * FROM Enrollment) e", "e")])
def test_of_a_catalog_table_and_a_view_that_both_miss_the_calendar_the_table_is_reported(check, enrollments, named):
    """Its key is the catalog's own; the view's is worked out through its definition. A derived
    table of the table's rows is reported as the table is."""
    sql = (f"SELECT s.studentNumber, e.startDate FROM v_AdHocStudent s JOIN {enrollments} ON e.personID = s.personID "
           "WHERE s.endYear = 2026")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(f"{named} is joined to v_AdHocStudent s on personID only, but its rows are told "
                                  "apart by personID and calendarID")


@pytest.mark.parametrize("absences, named", [
    ("Attendance a", "Attendance a"),
    ("(SELECT * FROM Attendance WHERE status = 'A') a", "a"),  # a derived table goes by its alias
    ("absent a", "absent a"),  # the CTE below
])
def test_a_cte_or_derived_table_of_one_table_is_judged_by_the_table_s_key(check, absences, named):
    """Attendance joined to GradingScore on personID alone pairs every absence with every score of
    the student, of every year: GradingScore has the calendarID that Attendance's rows are told
    apart by, and the finding offers it, whether Attendance is read as it is, through a derived
    table or through a CTE (where the rest of the key, date and periodID, is what the join is for)."""
    sql = ("WITH absent AS (SELECT * FROM Attendance WHERE status = 'A') " if absences.startswith("absent") else "") + (
        f"SELECT a.personID, a.date, gs.termID, gs.score FROM {absences} JOIN GradingScore gs ON gs.personID = a.personID")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(f"{named} is joined to GradingScore gs on personID only, but its rows are told apart "
                                  "by personID, calendarID, date and periodID")
    assert hit.remediation == "Add the rest of the key: AND a.calendarID = gs.calendarID."
