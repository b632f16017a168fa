"""What findings say: the objects by name, why they cost, and what to write instead."""

import json

import pytest
import sqlglot
from engines import sqlite_rows, sqlite_with

from advisor.catalog.load import bundled_path, load
from advisor.pipeline import Checker
from advisor.sources import Source


def finding(report, rule):
    (found,) = [f for f in report.findings if f.rule == rule]
    return found


def test_a_view_where_tables_suffice_gives_the_from_clause(check):
    report = check("SELECT s.studentNumber, s.lastName, s.grade FROM v_AdHocStudent s WHERE s.endYear = 2026")
    view = finding(report, "VW001")
    assert view.message.startswith("v_AdHocStudent reads 11 base tables")
    assert "which need only Person, Identity and Enrollment" in view.message
    assert view.remediation.splitlines() == [
        "Read the base tables directly:",
        "FROM dbo.Person p",
        "JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID",
        "JOIN dbo.Enrollment e ON e.personID = p.personID",
    ]
    assert view.objects == ("v_AdHocStudent", "Person", "Identity", "Enrollment")
    assert (view.span.line, view.span.column) == (1, 50)



def test_a_view_where_tables_suffice_says_which_base_column_each_column_it_renames_is(check):
    report = check("SELECT se.sectionID, cs.courseName FROM v_CourseSection cs JOIN Section se ON se.sectionID = cs.sectionID "
                   "WHERE cs.calendarID = 7")
    assert finding(report, "VW001").remediation.splitlines()[-1] == "(v_CourseSection names it otherwise: courseName is co.name.)"


def test_a_view_s_tables_left_joined_as_a_group_are_spare_where_the_query_reads_none_of_them(check):
    """v_AttendanceDetail finds each mark's section by LEFT JOIN (Roster r JOIN SectionPlacement sp
    ON ...) ON ...: sp is as optional as r, so it gives no rows of its own."""
    view = finding(check("SELECT ad.personID, ad.date FROM v_AttendanceDetail ad WHERE ad.endYear = 2026"), "VW001")
    assert view.message.endswith("which need only Attendance and Calendar.")


def test_a_view_s_tables_left_joined_as_a_group_are_given_in_parentheses_and_keep_the_view_s_rows(check, catalog):
    """Written flat, LEFT JOIN Roster r ON ... LEFT JOIN SectionPlacement sp ON ... keeps a row of
    each mark for every class the student had that day, not the one it was taken in."""
    query = "SELECT ad.personID, ad.sectionID, ad.date FROM v_AttendanceDetail ad WHERE ad.endYear = 2026"
    view = finding(check(query), "VW001")
    assert view.message.endswith("which need only Attendance, Calendar, Roster and SectionPlacement.")
    assert view.remediation.splitlines()[1:] == [
        "FROM dbo.Attendance a",
        "JOIN dbo.Calendar c ON c.calendarID = a.calendarID",
        "LEFT JOIN (dbo.Roster r JOIN dbo.SectionPlacement sp ON sp.sectionID = r.sectionID AND sp.trialID = r.trialID) "
        "ON r.personID = a.personID AND sp.periodID = a.periodID AND r.startDate <= a.date "
        "AND (r.endDate IS NULL OR r.endDate >= a.date)",
    ]
    # person 1 has two classes on 2025-09-02, marked absent in period 1 only; person 2 has none
    district = sqlite_with({
        "Attendance": ("attendanceID, personID, calendarID, periodID, date, excuseID, status, excuse, presentMinutes, comments",
                       [(1, 1, 7, 1, "2025-09-02", None, "A", "U", 0, None), (2, 2, 7, 1, "2025-09-02", None, "A", "U", 0, None)]),
        "Calendar": ("calendarID, schoolID, endYear", [(7, 3, 2026)]),
        "Period": ("periodID, name, seq", [(1, "1", 1), (2, "2", 2)]),
        "AttendanceExcuse": ("excuseID, code, description, status, excuse", [(9, "ILL", "Illness", "A", "E")]),
        "Roster": ("personID, sectionID, trialID, startDate, endDate", [(1, 10, 5, "2025-08-20", None), (1, 20, 5, "2025-08-20", None)]),
        "SectionPlacement": ("sectionID, trialID, termID, periodID", [(10, 5, 1, 1), (20, 5, 1, 2)]),
        "Section": ("sectionID, courseID", [(10, 100), (20, 200)]),
        "Course": ("courseID, number, name", [(100, "M1", "Math"), (200, "E1", "English")]),
    })
    # named column by column: SQLite would call sp.sectionID "sectionID:1", after r.sectionID
    select = sqlglot.parse_one(catalog.views["v_attendancedetail"].definition.replace("dbo.", ""), read="tsql").expression
    district.execute(f"CREATE VIEW v_AttendanceDetail ({', '.join(select.named_selects)}) AS {select.sql('sqlite')}")
    direct = "SELECT a.personID, sp.sectionID, a.date " + " ".join(view.remediation.splitlines()[1:]) + " WHERE c.endYear = 2026"
    assert sqlite_rows(district, query) == sqlite_rows(district, direct.replace("dbo.", "")) == [
        (1, 10, "2025-09-02"), (2, None, "2025-09-02")]


def test_a_view_s_tables_joined_in_parentheses_first_are_given_as_joins(check):
    """FROM (Person p JOIN Identity i ON ...): a group that is not LEFT joined needs no parentheses."""
    sql = """CREATE VIEW dbo.v_Kids AS
SELECT p.personID, i.lastName, e.grade, e.endYear, sch.name AS schoolName, se.number AS sectionNumber
FROM (dbo.Person p JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID)
JOIN dbo.Enrollment e ON e.personID = p.personID
JOIN dbo.Calendar c ON c.calendarID = e.calendarID
JOIN dbo.School sch ON sch.schoolID = c.schoolID
LEFT JOIN (dbo.Roster r JOIN dbo.Section se ON se.sectionID = r.sectionID) ON r.personID = p.personID
GO
SELECT k.lastName, k.grade FROM dbo.v_Kids k WHERE k.endYear = 2026"""
    view = finding(check(sql), "VW001")
    assert view.remediation.splitlines()[1:] == [
        "FROM dbo.Person p",
        "JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID",
        "JOIN dbo.Enrollment e ON e.personID = p.personID",
    ]


@pytest.mark.parametrize(("calendar_on", "where"), [
    ("", "\nWHERE e.serviceType = 'P'"),
    (" AND e.serviceType = 'P'", ""),  # in the ON of a table left out: it still keeps only some rows
])
def test_a_view_s_conditions_in_an_on_keep_the_view_s_rows(check, calendar_on, where):
    """A district's view of this year's students joins SchoolYear on its key, which adds no rows,
    but its ON keeps only the active year: the FROM without SchoolYear read every year's. A test
    of Enrollment alone in Calendar's ON keeps only some enrollments, though Calendar is left out."""
    sql = """CREATE VIEW dbo.vw_CurrentStudents AS
SELECT e.personID, e.calendarID, e.grade, i.lastName
FROM dbo.Person p
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
JOIN dbo.Enrollment e ON e.personID = p.personID
JOIN dbo.Calendar c ON c.calendarID = e.calendarID{}
JOIN dbo.School sch ON sch.schoolID = c.schoolID
JOIN dbo.SchoolYear sy ON sy.endYear = e.endYear AND sy.active = 1{}
GO
SELECT cs.personID, cs.calendarID FROM dbo.vw_CurrentStudents cs""".format(calendar_on, where)
    view = finding(check(sql), "VW001")
    assert view.message.startswith("vw_CurrentStudents reads 6 base tables")
    assert view.message.endswith("which need only Person, Enrollment and SchoolYear.")
    direct = view.remediation.splitlines()[1:]
    assert direct[-2:] == ["JOIN dbo.SchoolYear sy ON sy.endYear = e.endYear AND sy.active = 1", "WHERE e.serviceType = 'P'"]
    district = sqlite_with({
        "Person": ("personID, currentIdentityID", [(1, 1), (2, 2)]),
        "Identity": ("identityID, lastName", [(1, "Ames"), (2, "Bell")]),
        "Enrollment": ("personID, calendarID, endYear, grade, serviceType",
                       [(1, 7, 2026, "09", "P"), (1, 8, 2027, "10", "P"), (2, 8, 2027, "11", "P"),
                        (2, 9, 2027, "11", "S")]),
        "Calendar": ("calendarID, schoolID", [(7, 3), (8, 3), (9, 3)]),
        "School": ("schoolID", [(3,)]),
        "SchoolYear": ("endYear, active", [(2026, 0), (2027, 1)]),
    })
    definition = sql.split("AS\n", 1)[1].split("GO")[0].replace("dbo.", "")
    district.execute(f"CREATE VIEW vw_CurrentStudents AS {sqlglot.transpile(definition, read='tsql', write='sqlite')[0]}")
    as_fixed = "SELECT e.personID, e.calendarID " + " ".join(direct).replace("dbo.", "")
    assert sqlite_rows(district, "SELECT cs.personID, cs.calendarID FROM vw_CurrentStudents cs") == \
        sqlite_rows(district, as_fixed) == [(1, 8), (2, 8)]


@pytest.mark.parametrize(("source", "reported"), [
    ("CROSS APPLY (SELECT TOP (1) h.phone FROM dbo.HouseholdMember hm JOIN dbo.Household h ON h.householdID = "
     "hm.householdID WHERE hm.personID = e.personID AND h.phone IS NOT NULL ORDER BY h.phone) ph", False),
    ("JOIN (SELECT a.personID FROM dbo.Attendance a GROUP BY a.personID HAVING COUNT(*) > 10) ph "
     "ON ph.personID = e.personID", False),
    ("OUTER APPLY (SELECT TOP (1) h.phone FROM dbo.HouseholdMember hm JOIN dbo.Household h ON h.householdID = "
     "hm.householdID WHERE hm.personID = e.personID ORDER BY h.phone) ph", True),
])
def test_no_from_without_a_view_level_that_keeps_only_some_of_its_rows(check, source, reported):
    """A CROSS APPLY, or a grouped derived table joined inner, drops the enrollments it finds
    nothing for: the base tables alone would return them. An OUTER APPLY drops none."""
    sql = f"""CREATE VIEW dbo.vw_Kids AS
SELECT e.personID, e.calendarID, i.lastName, sch.name AS schoolName
FROM dbo.Enrollment e
JOIN dbo.Person p ON p.personID = e.personID
JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID
JOIN dbo.Calendar c ON c.calendarID = e.calendarID
JOIN dbo.School sch ON sch.schoolID = c.schoolID
{source}
GO
SELECT k.personID, k.lastName FROM dbo.vw_Kids k WHERE k.calendarID = 412"""
    assert bool([f for f in check(sql).findings if f.rule == "VW001"]) is reported


def test_an_unscoped_view_names_the_columns_that_would_limit_it(check):
    scope = finding(check("SELECT ad.date FROM v_AttendanceDetail ad"), "SC001")
    assert scope.message.startswith("v_AttendanceDetail reads Attendance (15.0M rows), Roster (2.0M rows)")
    assert scope.severity == "error"
    assert scope.remediation.startswith("Limit v_AttendanceDetail ad to the school year you need, e.g. ad.endYear = @endYear")


def test_per_person_history_asks_for_students_not_years(check):
    scope = finding(check("SELECT tc.courseName FROM TranscriptCourse tc"), "SC001")
    assert "every student and school year" in scope.message and "particular students" in scope.message
    assert scope.remediation.startswith("Limit TranscriptCourse tc to the students you need")


def test_per_person_history_is_limited_on_the_person_column_the_query_reads(check):
    """RelatedPair names two people and no column called personID."""
    sql = "SELECT rp.personID2, rp.guardian FROM RelatedPair rp WHERE rp.guardian = 1"
    scope = finding(check(sql), "SC001")
    assert scope.remediation.startswith("Limit RelatedPair rp to the students you need: join it on personID2 to them, e.g. "
                                        "rp.personID2 IN (SELECT s.personID")


@pytest.mark.parametrize("table, column", [("Roster r", "r.trialID"), ("Section se", "se.trialID"),
                                           ("SectionPlacement sp", "sp.trialID")])
def test_a_schedule_table_is_limited_to_the_years_active_trials(check, table, column):
    """Roster, Section and SectionPlacement have no calendarID: a year's schedule is its trial,
    and a date window on a roster is not how Campus keeps a year."""
    scope = finding(check(f"SELECT COUNT(*) FROM {table}"), "SC001")
    assert scope.remediation.startswith(
        f"Limit {table} to the trial you need, e.g. {column} IN (SELECT t.trialID FROM Trial t JOIN Calendar c ON "
        "c.calendarID = t.calendarID WHERE c.endYear = @endYear AND t.active = 1), the year's active schedules")
    assert "calendarID to a Calendar" not in scope.remediation


@pytest.mark.parametrize("condition, keeps", [
    ("MONTH(a.date) = 3", "keeps the same month of every year"),
    ("DATEPART(dw, a.date) = 2", "keeps the same weekday of every year"),
    ("DAY(a.date) BETWEEN 1 AND 7", "keeps the same day of the month of every year"),
    ("a.calendarID > 0", "keeps every calendar past its bound, each new year's too"),
    ("a.personID >= @first", "keeps every person past its bound, each new year's too"),
    ("YEAR(a.date) = 2026 AND MONTH(a.date) = 3", None),  # March 2026
    ("MONTH(a.date) = 3 AND a.calendarID = 4", None),
    ("a.calendarID BETWEEN 100 AND 110", None),
    ("a.calendarID >= 100 AND a.calendarID < 110", None),
    ("CHARINDEX(',' + CAST(a.calendarID AS varchar(10)) + ',', ',12,14,') > 0", None),  # a list of two calendars
])
def test_a_condition_that_keeps_rows_of_every_year_limits_no_history(check, condition, keeps):
    """March of every year is every year, and so is every calendar from the first on: reading it
    costs every year's rows."""
    report = check(f"DECLARE @first int = 1\nSELECT a.personID FROM Attendance a WHERE {condition}")
    scope = [f for f in report.findings if f.rule == "SC001"]
    assert bool(scope) is bool(keeps)
    if keeps:
        assert scope[0].message == (f"Attendance (15.0M rows) is read for every school year: {condition} {keeps}, and "
                                    "nothing limits it to a school year, calendar, school, term or date window.")


def test_a_ranked_cte_names_itself_the_view_and_the_join(check):
    sql = """WITH c AS (SELECT cs.personID, ROW_NUMBER() OVER (PARTITION BY cs.personID ORDER BY cs.seq) rn
                        FROM (SELECT personID, contactSequence AS seq FROM v_CensusContactSummary) cs)
             SELECT s.personID FROM student s WITH (NOEXPAND) JOIN c ON c.personID = s.personID AND c.rn = 1
             WHERE s.endYear = 2026"""
    ranked = finding(check(sql), "SC003")
    assert ranked.message.startswith("CTE c ranks all of v_CensusContactSummary")
    assert "before it is joined to student s" in ranked.message and "OUTER APPLY" in ranked.remediation


def test_a_grouped_view_is_computed_per_student_not_ranked(check):
    """A GPA is a sum over each student's transcript, not the first row of it."""
    sql = ("SELECT g.personID FROM v_CumGPAFull g JOIN student s WITH (NOEXPAND) ON s.personID = g.personID "
           "WHERE s.endYear = 2026")
    grouped = finding(check(sql), "SC003")
    assert grouped.message.startswith("v_CumGPAFull g groups all of TranscriptCourse")
    assert "OUTER APPLY (SELECT SUM(...) FROM ... WHERE x.personID = s.personID)" in grouped.remediation
    assert "TOP 1" not in grouped.remediation


@pytest.mark.parametrize("outer", [
    "SELECT x.personID FROM ({}) x WHERE x.classRank <= 10",  # a class rank, ranked after the join
    "SELECT TOP (10) x.personID FROM ({}) x JOIN School sc ON sc.schoolID = 7 ORDER BY x.gpa DESC",
])
def test_a_grouped_view_joined_inside_a_ranked_derived_table_is_limited_too_late_not_by_nothing(check, outer):
    """The derived table ranks what the view's join to the seniors leaves; the view groups every
    student's transcript before that join. SC001 said nothing limited the view and gave as its fix
    the join to the students the query has; SC003 names the join that comes too late."""
    ranked = ("SELECT g.personID, g.cumGpaWeighted AS gpa, RANK() OVER (ORDER BY g.cumGpaWeighted DESC) AS classRank "
              "FROM v_CumGPAFull g JOIN student s WITH (NOEXPAND) ON s.personID = g.personID "
              "WHERE s.endYear = 2027 AND s.grade = '12' AND s.schoolID = 7")
    report = check(outer.format(ranked))
    assert not [f for f in report.findings if f.rule == "SC001"]
    grouped = finding(report, "SC003")
    assert grouped.message.startswith("v_CumGPAFull g groups all of TranscriptCourse")
    assert "before it is joined to student s on personID" in grouped.message


def test_what_is_grouped_before_a_join_names_the_relations_its_join_compares_it_with(check):
    """A derived table LEFT JOINed last, after five tables, on Enrollment's columns: the finding
    names Enrollment, not every table before it."""
    sql = ("SELECT p.stateID, i.lastName, sch.number, att.days FROM Enrollment e "
           "JOIN Calendar c ON c.calendarID = e.calendarID AND c.endYear = 2027 JOIN School sch ON sch.schoolID = c.schoolID "
           "JOIN Person p ON p.personID = e.personID JOIN [Identity] i ON i.identityID = p.currentIdentityID "
           "LEFT JOIN (SELECT a.personID, a.calendarID, COUNT(*) AS days FROM Attendance a WHERE a.status = 'A' "
           "GROUP BY a.personID, a.calendarID) att ON att.personID = e.personID AND att.calendarID = e.calendarID "
           "WHERE e.serviceType = 'P'")
    grouped = finding(check(sql), "SC003")
    assert ("before it is joined to Enrollment e on personID and calendarID, which it groups by: SQL Server can run it "
            "once for each row it is joined to") in grouped.message
    # compared in the WHERE with nothing, it meets every row of them all
    crossed = finding(check(sql.replace("att ON att.personID = e.personID AND att.calendarID = e.calendarID", "att ON 1 = 1")),
                      "SC003")
    assert ("before it is joined to Enrollment e, Calendar c, School sch, Person p and Identity i: the join cannot limit "
            "what it reads") in crossed.message


def test_a_grouped_view_joined_on_what_it_groups_by_may_be_run_per_row_as_the_estimate_says(check):
    """One student's GPA: the timeout estimate sums that student's transcript alone, so SC003 says
    SQL Server may run the view once for each joined row, a level less severe, as for a CTE."""
    report = check("SELECT s.studentNumber, g.cumGpaWeighted FROM student s WITH (NOEXPAND) JOIN v_CumGPAFull g "
                   "ON g.personID = s.personID WHERE s.endYear = 2026 AND s.studentNumber = '123456'")
    grouped = finding(report, "SC003")
    (statement,) = report.risk.statements
    assert not any("TranscriptCourse" in driver for driver in statement.risk.drivers)
    assert grouped.message.endswith("before it is joined to student s on personID, which it groups by: SQL Server can run "
                                    "it once for each row it is joined to, reading only that row's share, but groups "
                                    "every row first when its estimates say so.")
    assert grouped.severity == "info"  # 1.5M rows: a warning, one level less
    assert grouped.remediation.startswith("Give it the students as a condition on its own column")


@pytest.mark.parametrize(("joined", "per_row"), [
    ("LEFT JOIN (SELECT a.personID, a.calendarID, COUNT(*) AS n FROM Attendance a GROUP BY a.personID, a.calendarID) x "
     "ON x.personID = s.personID", True),
    # a column it computes: no seek finds its rows
    ("JOIN (SELECT YEAR(a.date) AS yr, a.personID, COUNT(*) AS n FROM Attendance a GROUP BY YEAR(a.date), a.personID) x "
     "ON x.personID = s.personID AND x.yr = s.endYear", False),
    # a window numbers all its rows at once
    ("JOIN (SELECT a.personID, COUNT(*) OVER (PARTITION BY a.personID) AS n FROM Attendance a) x ON x.personID = s.personID",
     False),
])
def test_a_grouped_derived_table_joined_on_what_it_groups_by_may_be_run_per_row_as_the_estimate_says(check, joined, per_row):
    """Where the timeout estimate runs a grouped derived table once for each joined row, SC003
    says SQL Server may, a level less severe, and no longer that the join cannot limit it."""
    report = check(f"SELECT s.studentNumber, x.n FROM student s WITH (NOEXPAND) {joined} "
                   "WHERE s.endYear = 2026 AND s.schoolID = 12")
    grouped = finding(report, "SC003")
    (statement,) = report.risk.statements
    assert statement.risk.drivers[0].startswith("runs x on Attendance once for each of ") == per_row
    assert ("SQL Server can run it once for each row it is joined to" in grouped.message) == per_row
    assert ("the join cannot limit what it reads" in grouped.message) != per_row
    assert grouped.severity == ("warning" if per_row else "error")  # 15.0M rows
    if per_row:
        assert "before it is joined to student s on personID, which it groups by" in grouped.message
        assert grouped.remediation.startswith("Limit the rows inside it to the same year, calendar or students the outer "
                                              "query uses, or make reading per row certain: compute each student's value "
                                              "with OUTER APPLY")


@pytest.mark.parametrize("condition", ["f.endYear = @endYear", "f.calendarID = @calendarID"])
def test_a_grouped_view_limited_through_a_join_is_shown_its_own_columns_that_limit_it(check, condition):
    """A Campus view cannot be limited inside, but a condition on a column it groups by is applied
    before it groups: the fix names its year and calendar columns, and each is enough."""
    joined = ("SELECT f.personID, f.date FROM v_AttDayDetail_Federal f JOIN Calendar cal ON cal.calendarID = f.calendarID "
              "WHERE {}")
    grouped = finding(check(joined.format("cal.endYear = 2026")), "SC003")
    assert grouped.remediation.startswith("Compare its own columns with values instead of joining to limit it: "
                                          "f.endYear = @endYear or f.calendarID = @calendarID.")
    assert not [f for f in check(joined.format(condition)).findings if f.rule in ("SC001", "SC003")]


def test_a_view_grouped_by_person_is_given_the_students_as_a_condition_on_its_own_column(check):
    """A GPA view grouped by personID and joined to this year's seniors: the fix tests its
    personID against the students the query keeps, written as the query writes them, and
    the query written that way has no SC003."""
    joined = ("SELECT s.studentNumber, g.cumGpaWeighted FROM student s WITH (NOEXPAND) JOIN v_CumGPAFull g "
              "ON g.personID = s.personID WHERE s.endYear = 2026 AND s.grade = '12'{}")
    grouped = finding(check(joined.format("")), "SC003")
    given = ("g.personID IN (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND "
             "s.grade = '12')")
    assert grouped.remediation.startswith(f"Give it the students as a condition on its own column, not only as a join: "
                                          f"AND {given}. SQL Server applies a condition on a column v_CumGPAFull groups by "
                                          "before it groups")
    assert not [f for f in check(joined.format(f" AND {given}")).findings if f.rule in ("SC001", "SC003")]
    left = finding(check(joined.replace("JOIN v_CumGPAFull", "LEFT JOIN v_CumGPAFull").format("")), "SC003")
    assert left.remediation.startswith(f"Give it the students as a condition on its own column (in the LEFT JOIN's ON), "
                                       f"not only as a join: AND {given}.")
    # students limited only by a join of theirs to a limited calendar: no condition of their own to give,
    # and a Campus view cannot be limited inside: its tables, read in its place, can
    through = finding(check("SELECT g.personID FROM v_CumGPAFull g JOIN Enrollment e ON e.personID = g.personID "
                            "JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.endYear = 2026 AND e.serviceType = 'P'"),
                      "SC003")
    assert through.remediation.startswith("Read TranscriptCourse, Identity and Person in place of the view, limited to the "
                                          "same year, calendar or students the outer query uses, or make reading per row "
                                          "certain")


@pytest.mark.parametrize("wrapped, where, keyword", [
    ("WITH gpa AS (SELECT personID, cumGpaWeighted FROM v_CumGPAFull{}) SELECT s.studentNumber, g.cumGpaWeighted "
     "FROM student s WITH (NOEXPAND) JOIN gpa g ON g.personID = s.personID WHERE s.endYear = 2026", "CTE gpa", "WHERE"),
    ("SELECT s.studentNumber, g.cumGpaWeighted FROM student s WITH (NOEXPAND) JOIN (SELECT personID, cumGpaWeighted "
     "FROM v_CumGPAFull WHERE cumGpaWeighted >= 3.5{}) g ON g.personID = s.personID WHERE s.endYear = 2026",
     "derived table g", "AND"),
    ("WITH gpa AS (SELECT personID, cumGpaWeighted FROM v_CumGPAFull{}) SELECT s.studentNumber, g.cumGpaWeighted, "
     "w.cumGpaWeighted FROM student s WITH (NOEXPAND) JOIN gpa g ON g.personID = s.personID LEFT JOIN gpa w "
     "ON w.personID = s.personID AND w.cumGpaWeighted > 4 WHERE s.endYear = 2026", "CTE gpa", "WHERE"),
])
def test_a_view_passed_on_by_a_cte_or_derived_table_is_grouped_before_the_join_that_reads_it(check, wrapped, where,
                                                                                              keyword):
    """SQL Server expands a CTE or derived table that only passes a grouped view's rows on where
    it is read: the view is joined to the students as if the query named it there (SC003, with
    the condition to write inside the CTE), not read for every student (SC001)."""
    report = check(wrapped.format(""))
    assert "SC001" not in {f.rule for f in report.findings}
    grouped = finding(report, "SC003")
    assert grouped.message.startswith("v_CumGPAFull groups all of TranscriptCourse")
    assert "before it is joined to student s on personID, which it groups by" in grouped.message
    given = "v_CumGPAFull.personID IN (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026)"
    assert grouped.remediation.startswith(f"Give it the students as a condition on its own column where {where} reads it, "
                                          f"not only as a join: {keyword} {given}.")
    assert not [f for f in check(wrapped.format(f" {keyword} {given}")).findings if f.rule in ("SC001", "SC003")]


def test_a_view_passed_on_by_a_cte_that_one_query_reads_alone_is_unscoped(check):
    alone = check("WITH gpa AS (SELECT personID, cumGpaWeighted FROM v_CumGPAFull) SELECT s.studentNumber, g.cumGpaWeighted "
                  "FROM student s WITH (NOEXPAND) JOIN gpa g ON g.personID = s.personID WHERE s.endYear = 2026 "
                  "UNION ALL SELECT 'all', MAX(cumGpaWeighted) FROM gpa")
    assert finding(alone, "SC001").message.startswith("v_CumGPAFull reads TranscriptCourse (1.5M rows) for every student")
    assert "SC003" not in {f.rule for f in alone.findings}


def test_a_subquery_correlated_by_an_or_is_sought_on_each_branch_where_each_has_an_index(check):
    counted = ("SELECT s.personID, (SELECT COUNT(*) FROM RelatedPair rp WHERE rp.personID1 = s.personID OR "
               "rp.personID2 = s.personID) AS n FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026")
    assert finding(check(counted), "SH001").message.endswith("each time seeking RelatedPair (225k rows) on personID1 "
                                                             "or personID2.")
    unindexed = ("SELECT p.personID, (SELECT COUNT(*) FROM UserAccount ua WHERE ua.personID = p.personID OR "
                 "ua.username = p.studentNumber) AS n FROM Person p WHERE p.stateID = '1'")
    assert "each time reading all 50k rows of UserAccount" in finding(check(unindexed), "SH001").message


@pytest.mark.parametrize(("matched", "one_seek"), [
    ("a.personID = s.personID AND a.calendarID = s.calendarID", True),  # a student's marks: a seek stops at the first
    ("a.calendarID = s.calendarID", False),  # a calendar's marks: many rows to look through for one absence
])
def test_an_exists_in_the_select_list_that_seeks_a_few_rows_may_stay(check, matched, one_seek):
    """CASE WHEN EXISTS (...) for each of a school's students, each run a seek on the student's
    marks that stops at the first: as cheap as a join. SH001 warned, and its fix (a grouped derived
    table joined in its place) was estimated six times slower and drew SC003."""
    students = "FROM student s WITH (NOEXPAND) {} WHERE s.endYear = 2027 AND s.schoolID = 7"
    tested = (f"SELECT s.personID, CASE WHEN EXISTS (SELECT 1 FROM Attendance a WHERE {matched} AND a.status = 'A') "
              f"THEN 'Y' ELSE 'N' END AS absent {students.format('')}")
    report = check(tested)
    hit = finding(report, "SH001")
    assert (hit.severity == "info") is one_seek
    assert hit.remediation.startswith("It may stay") is one_seek
    if one_seek:
        assert hit.message.endswith("and stops at the first row it finds: one seek for each row.")
        grouped = ("LEFT JOIN (SELECT a.personID, a.calendarID, COUNT(*) AS n FROM Attendance a WHERE a.status = 'A' "
                   "GROUP BY a.personID, a.calendarID) x ON x.personID = s.personID AND x.calendarID = s.calendarID")
        joined = check(f"SELECT s.personID, CASE WHEN x.n > 0 THEN 'Y' ELSE 'N' END AS absent {students.format(grouped)}")
        assert report.risk.statements[0].risk.cost < joined.risk.statements[0].risk.cost


def test_a_missing_join_suggests_the_shared_key(check):
    missing = finding(check("SELECT s.personID FROM student s WITH (NOEXPAND), Calendar c WHERE s.endYear = 2026"), "JN001")
    assert missing.severity == "error" and "ON c.calendarID = s.calendarID" in missing.remediation


def test_a_missing_join_suggests_a_key_over_a_column_both_merely_carry(check):
    """School and Enrollment both carry districtID, but School's key is schoolID, which Calendar has."""
    sql = "SELECT e.personID FROM Enrollment e, Calendar c, School s WHERE e.calendarID = c.calendarID AND c.endYear = 2026"
    assert "e.g. ON s.schoolID = c.schoolID;" in finding(check(sql), "JN001").remediation


def test_a_deliberate_cross_join_of_small_sets_is_information(check):
    sql = "SELECT sch.name, sy.endYear FROM School sch CROSS JOIN SchoolYear sy"
    assert finding(check(sql), "JN001").severity == "info"


@pytest.mark.parametrize("one_row", [
    "(SELECT MAX(endYear) AS endYear FROM SchoolYear) y",
    "(SELECT TOP 1 endYear FROM SchoolYear ORDER BY endYear DESC) y",
    # a table joined on all of its key to one row is one row too
    "(SELECT TOP 1 c.schoolID FROM Calendar c ORDER BY c.calendarID) y JOIN School sch ON sch.schoolID = y.schoolID",
])
def test_a_join_to_one_row_is_not_a_cartesian_product(check, one_row):
    sql = f"SELECT s.personID FROM student s WITH (NOEXPAND) CROSS JOIN {one_row}"
    assert "JN001" not in {f.rule for f in check(sql).findings}
    several = one_row.replace("JOIN School sch ON sch.schoolID", "JOIN Calendar c2 ON c2.schoolID")
    assert ("JN001" in {f.rule for f in check(f"SELECT s.personID FROM student s WITH (NOEXPAND) CROSS JOIN {several}").findings}) \
        is (several != one_row)


@pytest.mark.parametrize("script, joined, one", [
    ("DECLARE @current bit = 1\n", "SchoolYear sy ON sy.active = @current", True),  # Campus keeps one active year
    ("DECLARE @current bit = 0\n", "SchoolYear sy ON sy.active = @current", False),  # every other year
    ("DECLARE @current bit = 1\nSET @current = 0\n", "SchoolYear sy ON sy.active = @current", False),  # set again
    # the CTE passes on SchoolYear's rows, and active = 1 names one of them
    ("WITH years AS (SELECT * FROM SchoolYear) ", "years sy ON sy.active = 1", True),
    ("", "SchoolYear sy ON sy.active IN (1)", True),  # a list of one value is the value
    ("", "SchoolYear sy ON sy.active IN (1, 0)", False),
])
def test_a_value_that_names_one_row_names_it_held_by_a_variable_in_a_list_or_through_a_cte(check, script, joined, one):
    """SchoolYear's active = 1 is one row (the catalog's one_row): joining it to every enrollment
    multiplies nothing, whether 1 is written in the ON, held by the variable it compares with, the
    one value of an IN list, or compared with a CTE's column that passes on SchoolYear's."""
    report = check(f"{script}SELECT e.personID, sy.label FROM Enrollment e JOIN {joined} WHERE e.endYear = 2026")
    assert ("JN001" not in {f.rule for f in report.findings}) is one


def test_a_catalog_s_text_value_that_names_one_row_is_compared_without_its_quotes(tmp_path):
    """A district's catalog writes one_row values as in SQL, without quotes: label = '2025-26' in
    the ON names the row {"label": "2025-26"} says it does."""
    document = json.loads(bundled_path().read_text(encoding="utf-8"))
    (year,) = [table for table in document["tables"] if table["name"] == "SchoolYear"]
    year["one_row"] = {"label": "2025-26"}
    path = tmp_path / "district.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    checker = Checker(load(path)[0])
    sql = "SELECT e.personID FROM Enrollment e JOIN SchoolYear sy ON sy.label = '{}' WHERE e.endYear = 2026"
    for label, cross in (("2025-26", False), ("2024-25", True)):
        report = checker.check(Source("q.sql", sql.format(label).encode()))
        assert ("JN001" in {f.rule for f in report.findings}) is cross


@pytest.mark.parametrize("apply", ["CROSS APPLY", "OUTER APPLY"])
def test_a_table_joined_on_an_apply_s_columns_is_joined_through_its_correlation(check, apply):
    """School meets the calendar the APPLY finds for each enrollment; an APPLY that nothing
    correlates leaves School joined to it alone, every enrollment with every school it finds, and
    with one school where it finds one row (TOP 1), which is no product."""
    sql = ("SELECT e.personID, sch.name FROM Enrollment e\n"
           f"{apply} (SELECT TOP 1 c.schoolID FROM Calendar c WHERE c.calendarID = e.calendarID) cs\n"
           "JOIN School sch ON sch.schoolID = cs.schoolID WHERE e.endYear = 2026\n")
    assert "JN001" not in {f.rule for f in check(sql).findings}
    uncorrelated = sql.replace("TOP 1 ", "").replace("c.calendarID = e.calendarID", "c.endYear = 2026")
    assert finding(check(uncorrelated), "JN001").message.startswith("Nothing joins School sch to Enrollment e")
    one_row = sql.replace("WHERE c.calendarID = e.calendarID", "ORDER BY c.calendarID")
    assert "JN001" not in {f.rule for f in check(one_row).findings}


@pytest.mark.parametrize("source, joined", [
    ("(SELECT c.schoolID, e.grade, e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
     "WHERE c.endYear = 2026) src", "School sch ON sch.schoolID = pvt.schoolID"),
    ("Enrollment", "Calendar cal ON cal.calendarID = pvt.calendarID"),
])
def test_a_pivot_is_read_by_the_name_it_gives_its_result_with_its_columns(check, source, joined):
    """After FROM ... PIVOT (...) pvt the query joins and filters pvt, whose columns are the
    source's and one for each value of the IN list."""
    sql = f"SELECT pvt.[9], pvt.[10] FROM {source} PIVOT (COUNT(personID) FOR grade IN ([9], [10])) pvt JOIN {joined}\n"
    assert not {"JN001", "CL003"} & {f.rule for f in check(sql).findings}


def test_an_unpivot_adds_its_value_and_name_columns(check):
    sql = ("SELECT u.personID, u.field, u.val FROM (SELECT personID, firstName, lastName FROM [Identity]) s "
           "UNPIVOT (val FOR field IN (firstName, lastName)) u\n")
    assert "CL003" not in {f.rule for f in check(sql).findings}
    sql = "SELECT u.personID, u.field, u.val, u.nosuch FROM [Identity] UNPIVOT (val FOR field IN (firstName, lastName)) u\n"
    unknown = finding(check(sql), "CL003")  # u is Identity, unpivoted: only nosuch is unknown
    assert unknown.message.startswith("Identity has no column nosuch")


@pytest.mark.parametrize("columns, ending", [
    ("s.homeroomTeacher", "(homeroomTeacher: computed inside v_AdHocStudent; keep the view only if you need it.)"),
    ("s.homeroomTeacher, s.homeroomRoom",
     "(homeroomTeacher and homeroomRoom: computed inside v_AdHocStudent; keep the view only if you need them.)"),
    # computed from the base tables' own columns: written out, and the rest named
    ("s.homeroomTeacher, s.activeToday",
     "(computed as v_AdHocStudent computes it: activeToday = CASE WHEN e.startDate <= GETDATE() AND (e.endDate IS NULL "
     "OR e.endDate >= GETDATE()) THEN 1 ELSE 0 END.)\n"
     "(homeroomTeacher: computed inside v_AdHocStudent; keep the view only if you need it.)"),
])
def test_a_view_s_computed_columns_are_named_with_the_base_tables_to_read(check, columns, ending):
    sql = f"SELECT s.studentNumber, s.lastName, {columns} FROM v_AdHocStudent s WHERE s.calendarID = 812\n"
    assert finding(check(sql), "VW001").remediation.endswith(ending)


@pytest.mark.parametrize("order_by, uses", [
    ("teacher", "2 of its columns (lastName and firstName)"),  # the SELECT list's item, not StaffMember's teacher flag
    ("teacher + 0", "3 of its columns (lastName, firstName and teacher)"),  # in an expression the name is a column's
])
def test_an_order_by_of_an_item_the_select_list_returns_is_that_item(check, order_by, uses):
    sql = f"SELECT sm.lastName + ', ' + sm.firstName AS teacher FROM StaffMember sm ORDER BY {order_by}\n"
    assert f"this query uses {uses}, which need only" in finding(check(sql), "VW001").message


@pytest.mark.parametrize("source", [
    "(SELECT * FROM v_AdHocStudent) x",
    "(SELECT v.*, 1 AS n FROM v_AdHocStudent v) x",
    "(SELECT * FROM (SELECT * FROM v_AdHocStudent) s) x",
])
def test_a_star_in_a_derived_table_or_cte_uses_the_view_s_columns_the_query_reads_through_it(check, source):
    """SQL Server reads only the columns the outer query asks of a derived table or CTE."""
    where = "WHERE x.endYear = 2026\n"
    plain = finding(check(f"SELECT x.personID, x.lastName FROM v_AdHocStudent x {where}"), "VW001").message
    assert "this query uses 3 of its columns (personID, lastName and endYear), which need only" in plain
    assert finding(check(f"SELECT x.personID, x.lastName FROM {source} {where}"), "VW001").message == plain
    assert finding(check(f"WITH x AS (SELECT * FROM v_AdHocStudent) SELECT x.personID, x.lastName FROM x {where}"),
                   "VW001").message == plain


@pytest.mark.parametrize("read", [
    "SELECT x.* FROM (SELECT * FROM v_AdHocStudent) x",  # the user gets every column
    "SELECT x.personID FROM (SELECT DISTINCT * FROM v_AdHocStudent) x",  # told apart by every column
    "SELECT x.personID FROM (SELECT * FROM v_AdHocStudent UNION SELECT * FROM v_AdHocStudent) x",
])
def test_a_star_that_needs_every_column_of_the_view_uses_them_all(check, read):
    every = finding(check("SELECT * FROM v_AdHocStudent x WHERE x.endYear = 2026\n"), "VW001").message
    assert {f.message for f in check(f"{read} WHERE x.endYear = 2026\n").findings if f.rule == "VW001"} == {every}


def test_a_view_s_column_computed_out_of_sight_leaves_the_advice_to_drop_the_view_an_info(check):
    """homeroomTeacher comes from the view's OUTER APPLY over Roster and Section: the tables that
    look spare may be the ones it needs."""
    sql = "SELECT v.homeroomTeacher, COUNT(*) FROM v_AdHocStudent v WHERE v.endYear = 2027 GROUP BY v.homeroomTeacher\n"
    untraced = finding(check(sql), "VW001")
    assert untraced.severity == "info" and untraced.message.endswith(
        "which need only Person and Enrollment, apart from homeroomTeacher, which v_AdHocStudent computes from tables "
        "sqladvise cannot trace.")
    traced = finding(check("SELECT v.studentNumber, v.activeToday FROM v_AdHocStudent v WHERE v.endYear = 2027\n"), "VW001")
    assert traced.severity == "warning" and traced.message.endswith("which need only Person and Enrollment.")


def test_a_view_s_columns_the_catalog_does_not_list_leave_the_advice_to_drop_the_view_an_info(check):
    """Columns CL003 reports the view lacks may live in the tables that look spare."""
    sql = "SELECT v.studentNumber, v.lockerNumber FROM v_AdHocStudent v WHERE v.endYear = 2027\n"
    unlisted = finding(check(sql), "VW001")
    assert unlisted.severity == "info" and unlisted.message.endswith(
        "which need only Person and Enrollment. It also reads lockerNumber, which sqladvise's catalog does not list for "
        "v_AdHocStudent.")
    assert unlisted.remediation.endswith("(lockerNumber: find which of v_AdHocStudent's tables hold it before leaving the view.)")


def test_a_partial_key_join_says_what_to_add(check):
    """Each grade of a section meets every student of the section."""
    sql = "SELECT gs.score FROM GradingScore gs JOIN Roster r ON r.sectionID = gs.sectionID"
    partial = finding(check(sql), "JN002")
    assert partial.message.startswith("GradingScore gs is joined to Roster r on sectionID only")
    assert partial.remediation == "Add the rest of the key: AND gs.personID = r.personID."


@pytest.mark.parametrize("sql", [
    "SELECT r.personID FROM Section se JOIN Roster r ON r.sectionID = se.sectionID",
    "SELECT r.personID FROM Roster r JOIN Section se ON se.sectionID = r.sectionID WHERE se.trialID = 7",
])
def test_a_join_on_the_other_table_s_own_key_multiplies_nothing(check, sql):
    """Section's key is sectionID: each roster row meets one section, whatever Roster's other key
    columns hold."""
    assert "JN002" not in {f.rule for f in check(sql).findings}


def test_a_correlated_subquery_s_outer_row_fixes_the_column_it_names(check):
    """gs.personID = s.personID fixes personID for each run of the subquery: termID and taskID are
    missing, and SectionPlacement has termID."""
    sql = ("SELECT s.studentNumber, (SELECT COUNT(*) FROM GradingScore gs JOIN SectionPlacement sp "
           "ON sp.sectionID = gs.sectionID WHERE gs.personID = s.personID) AS n "
           "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026\n")
    partial = finding(check(sql), "JN002")
    assert "across all termID values" in partial.message and partial.remediation == "Add the rest of the key: AND gs.termID = sp.termID."


def test_a_roster_joined_to_its_section_on_sectionID_does_not_multiply(check):
    """Counting a section's students joins its Roster on sectionID: many students is the point,
    and a section belongs to one trial (sectionID is Section's key), so a roster row's trialID is
    its section's and matching it too changes nothing. Joined on personID alone, each of a
    student's roster rows is met: that multiplies, across sections."""
    by_section = ("SELECT cs.sectionID, COUNT(*) FROM v_CourseSection cs JOIN Roster r ON r.sectionID = cs.sectionID "
                  "WHERE cs.endYear = 2026 GROUP BY cs.sectionID")
    assert "JN002" not in {f.rule for f in check(by_section).findings}
    by_person = ("CREATE TABLE #picked (personID int, sectionID int)\n"
                 "SELECT r.startDate FROM #picked p JOIN Roster r ON r.personID = p.personID")
    partial = finding(check(by_person), "JN002")
    assert partial.message.startswith("Roster r is joined to #picked p on personID only, but its rows are told apart by "
                                      "personID and sectionID: each #picked p row meets every Roster row with the same "
                                      "personID across all sectionID values")
    assert partial.remediation == "Add the rest of the key: AND r.sectionID = p.sectionID."


@pytest.mark.parametrize("apart, flagged", [
    ("e2.enrollmentID <> e1.enrollmentID", False),
    ("e2.startDate > e1.startDate", False),
    # last year's enrollments: a calendar of another year, which the rest of the key would never match
    ("e2.endYear = e1.endYear - 1", False),
    ("e2.endYear = 2027", True),
])
def test_a_table_paired_with_its_own_other_rows_multiplies_on_purpose(check, apart, flagged):
    """A student's enrollments paired with the same student's other enrollments (two schools at
    once): joining on calendarID too would pair each with itself."""
    sql = ("SELECT e1.personID FROM Enrollment e1 JOIN Enrollment e2 ON e2.personID = e1.personID "
           f"AND {apart} WHERE e1.endYear = 2027")
    assert ("JN002" in {f.rule for f in check(sql).findings}) is flagged


def test_a_join_that_misses_both_keys_is_one_finding_on_the_larger_table(check):
    sql = "SELECT a.personID, d.date FROM Attendance a JOIN Day d ON d.calendarID = a.calendarID WHERE a.calendarID = 5"
    partial = finding(check(sql), "JN002")  # Day's key misses date, and so does Attendance's
    assert partial.message.startswith("Attendance a is joined to Day d on calendarID only")
    assert partial.severity == "error" and partial.remediation == "Add the rest of the key: AND a.date = d.date."


def test_a_join_with_a_range_too_says_so_and_still_misses_the_rest_of_the_key(check):
    """An attendance rate's days: each school day of the enrollment's calendar, in its dates, but
    of every schedule structure of the calendar."""
    sql = ("SELECT e.personID, COUNT(d.date) FROM Enrollment e JOIN Day d ON d.calendarID = e.calendarID "
           "AND d.date BETWEEN e.startDate AND ISNULL(e.endDate, '2026-06-01') WHERE e.calendarID = 5 GROUP BY e.personID")
    partial = finding(check(sql), "JN002")
    assert partial.message.startswith(
        "Day d is joined to Enrollment e on calendarID, and by a range on date, but its rows are told apart by "
        "calendarID, structureID and date: each Enrollment e row meets every Day row with the same calendarID in that "
        "range across all structureID values")
    assert partial.remediation == "Add the rest of the key: AND d.structureID = e.structureID."


@pytest.mark.parametrize("year, same", [("@endYear - 1", False), ("2025", False), ("@endYear", True)])
def test_the_rest_of_a_key_from_another_year_is_no_fix_to_offer_alone(check, year, same):
    """Last year's enrollments joined to this year's students on personID: their calendars are
    last year's, so the calendarID join the fix offered would find none, and every student would
    look new."""
    sql = ("SELECT s.personID, prior.grade FROM student s WITH (NOEXPAND)\n"
           f"LEFT JOIN Enrollment prior ON prior.personID = s.personID AND prior.endYear = {year}\n"
           "WHERE s.endYear = @endYear")
    partial = finding(check(sql), "JN002")
    if same:
        assert partial.remediation == "Add the rest of the key: AND prior.calendarID = s.calendarID."
    else:
        assert partial.remediation == (
            "Where student s's rows are of the same year, add the rest of the key: AND prior.calendarID = s.calendarID. "
            f"Where they are not (prior.endYear = {year}), their calendarID values differ and that join finds nothing: "
            "test for the match with EXISTS where only whether there is one matters, or keep one Enrollment row for "
            "each personID before joining it.")


def test_select_star_counts_columns(check):
    star = finding(check("SELECT s.* FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026"), "CL001")
    assert star.message.startswith("s.* returns all 33 columns of student s")
    assert (star.span.column, star.span.end_column) == (8, 10)


@pytest.mark.parametrize("call", ["YEAR(a.date)", "DATEPART(dw, a.date)", "CONVERT(date, a.date)", "CAST(a.date AS date)",
                                  "ISNULL(a.status, ')')", "UPPER( a.status )", "SUBSTRING(a.status, 1, (2))",
                                  "CAST(SUBSTRING(a.status, 1, 1) AS int)", "CAST (a.date AS date)"])
def test_a_finding_on_a_function_covers_the_whole_call(check, call):
    """sqlglot keeps no position on a closing parenthesis, nor on CONVERT's or CAST's name."""
    report = check(f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {call} = 'x'")
    hidden = finding(report, "PR001")
    assert report.lines.text[hidden.span.start:hidden.span.end] == call


@pytest.mark.parametrize("sql, rule, marked", [
    ("SELECT s.personID, (SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID) AS n FROM student s WITH (NOEXPAND) "
     "WHERE s.endYear = 2026", "SH001", "(SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID)"),
    ("SELECT a.personID, COUNT(*) OVER (PARTITION BY a.personID ORDER BY a.date) AS n FROM Attendance a WHERE a.calendarID = 4",
     "SH019", "COUNT(*) OVER (PARTITION BY a.personID ORDER BY a.date)"),
    ("SELECT TOP (5) a.personID FROM Attendance a WHERE a.calendarID = 4", "SH014", "TOP (5)"),
    ("SELECT TOP 1 c.endYear FROM Calendar c WHERE c.schoolID = @school", "SH014", "TOP 1"),
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CONVERT(varchar(10), a.date, 101) = '03/02/2026'",
     "PR005", "CONVERT(varchar(10), a.date, 101) = '03/02/2026'"),
    ("SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND e.grade NOT IN (SELECT g.grade FROM #g g WHERE g.grade <> ')')",
     "SH003", "e.grade NOT IN (SELECT g.grade FROM #g g WHERE g.grade <> ')')"),
    ("SELECT s.personID, x.n FROM student s WITH (NOEXPAND) JOIN (SELECT gs.personID, COUNT(*) AS n FROM GradingScore gs "
     "GROUP BY gs.personID) x ON x.personID = s.personID WHERE s.endYear = 2026", "SC003",
     "(SELECT gs.personID, COUNT(*) AS n FROM GradingScore gs GROUP BY gs.personID) x"),
    # variables, which sqlglot keeps no position for either, at either end
    ("DECLARE @n int\nSELECT p.personID FROM Person p WHERE p.studentNumber = @n", "PR004", "p.studentNumber = @n"),
    ("DECLARE @s int\nSELECT c.calendarID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
     "WHERE e.endYear = 2026 AND (@s IS NULL OR c.schoolID = @s)", "PR008", "@s IS NULL OR c.schoolID = @s"),
    ("DECLARE @from date\nSELECT a.personID FROM Attendance a WHERE a.personID = 5 AND (a.date >= @from OR @from IS NULL)",
     "PR008", "a.date >= @from OR @from IS NULL"),
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CONVERT(char(10), a.date, 120) = CONVERT(char(10), GETDATE(), 120)",
     "PR005", "CONVERT(char(10), a.date, 120) = CONVERT(char(10), GETDATE(), 120)"),
])
def test_a_finding_marks_the_whole_expression_it_is_about(check, sql, rule, marked):
    """Subqueries, windows, TOP and conversions as written: their parentheses and keywords too."""
    report = check(sql)
    found = finding(report, rule)
    assert report.lines.text[found.span.start:found.span.end] == marked


def test_forcing_hints_say_why(check):
    report = check("SELECT a.date FROM Attendance a WITH (INDEX(IX_Attendance_person), FORCESEEK) WHERE a.calendarID = 5 OPTION (FAST 10, MAXDOP 1)")
    messages = sorted(f.message for f in report.findings if f.rule == "HT002")
    assert len(messages) == 4
    assert any(m.startswith("INDEX(IX_Attendance_person) on Attendance a forces one index") for m in messages)
    assert any(m.startswith("OPTION (MAXDOP 1) caps parallelism") for m in messages)


def test_a_join_hint_in_the_from_says_it_fixes_the_join_order_and_one_in_option_does_not(check):
    """A LOOP, HASH, MERGE or REMOTE join hint between two tables makes SQL Server keep every join of
    the query in the order written; OPTION (HASH JOIN) only limits how each join is made."""
    report = check("SELECT s.personID FROM Calendar c INNER HASH JOIN student s WITH (NOEXPAND) ON s.calendarID = c.calendarID "
                   "JOIN School sch ON sch.schoolID = c.schoolID WHERE c.endYear = 2026 OPTION (LOOP JOIN)")
    in_from, in_option = sorted((f.message for f in report.findings if f.rule == "HT002"), key=lambda m: m.startswith("OPTION"))
    assert in_from.startswith("HASH JOIN on student s forces a hash join") and "fixes the order of all the query's joins" in in_from
    assert in_option.startswith("OPTION (LOOP JOIN) forces nested loops") and "order" not in in_option


def test_an_index_hint_naming_an_index_the_table_lacks_is_an_error_with_the_district_s_catalog(catalog):
    """SQL Server refuses a query whose INDEX hint names no index of the table: certain with the
    district's own catalog, a question with the bundled approximation."""
    from advisor.catalog.merge import over_bundled
    from advisor.catalog.model import Catalog, Column, Index, Table
    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = b"SELECT e.personID FROM Enrollment e WITH (INDEX(IX_Enrollment_person)) WHERE e.endYear = 2027"
    bundled = finding(Checker(catalog).check(Source("q.sql", sql)), "HT002")
    assert bundled.severity == "info" and bundled.message == (
        "INDEX(IX_Enrollment_person) on Enrollment e names IX_Enrollment_person, which sqladvise's bundled catalog, an "
        "approximation of Campus, does not list among Enrollment's indexes: if your database lacks it too, SQL Server "
        "refuses the query before it reads a row.")
    own = Table("Enrollment", columns=(Column("personID", "int"), Column("endYear", "smallint")), rows=300_000,
                indexes=(Index("IX_Enrollment_personID", ("personID",), clustered=False),))
    district = over_bundled(Catalog("Springfield's export", False, "district.json", {"enrollment": own}), catalog)
    refused = finding(Checker(district).check(Source("q.sql", sql)), "HT002")
    assert refused.severity == "error" and refused.message == (
        "INDEX(IX_Enrollment_person) on Enrollment e names IX_Enrollment_person, which Enrollment does not have in "
        "Springfield's export: SQL Server refuses the query before it reads a row.")
    assert refused.remediation == "Remove INDEX(IX_Enrollment_person), or name one of Enrollment's indexes (IX_Enrollment_personID)."
    named = Checker(district).check(Source("q.sql", sql.replace(b"_person)", b"_personID)")))
    assert finding(named, "HT002").message.startswith("INDEX(IX_Enrollment_personID) on Enrollment e forces one index")


def test_severity_follows_the_districts_size(checker, catalog):
    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = b"SELECT e.grade FROM Enrollment e"
    default = Checker(catalog).check(Source("q.sql", sql))
    small = Checker(catalog.sized_for(500)).check(Source("q.sql", sql))
    assert finding(default, "SC001").severity == "warning"
    assert "SC001" not in {f.rule for f in small.findings}  # 6,000 enrollments are not worth a finding


def test_toolbar_catch_all_says_what_happens_with_all_years(check):
    sql = "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE (0 = @year OR s.endYear = @year)"
    catch_all = finding(check(sql), "SC002")
    assert "All Years" in catch_all.message and "endYear" in catch_all.message and "every year of student (300k rows)" in catch_all.message
    assert (catch_all.span.line, catch_all.span.column) == (1, 57)


@pytest.mark.parametrize("condition, flagged", [
    ("s.endYear = 2026 AND (@school = 0 OR s.schoolID = @school)", False),  # All Schools of one year
    ("s.endYear = 2026 AND (@grade = 0 OR s.endYear = @grade)", False),
    # the toolbar's own calendar: an All Years run leaves it out
    ("s.calendarID = 1 AND (0 = @year OR s.endYear = @year)", True),
])
def test_a_catch_all_on_a_table_another_condition_keeps_to_a_year_reads_no_more(check, condition, flagged):
    sql = f"SELECT s.personID FROM student s WITH (NOEXPAND) WHERE {condition}"
    assert ("SC002" in {f.rule for f in check(sql).findings}) is flagged


@pytest.mark.parametrize("condition, flagged", [
    ("(@grade = 'All' OR e.grade = @grade)", False),  # a report's "All" grades: no year was ever limited
    ("(0 = @grade OR e.grade = @grade)", False),
    ("(0 = @year OR e.endYear = @year)", True),
])
def test_a_catch_all_on_a_column_that_is_no_scope_drops_no_year(check, condition, flagged):
    """Enrollment read for every year is SC001's; SC002 said the grade's catch-all made the query
    read every year of it, as if the grade had limited the years."""
    sql = f"SELECT e.personID FROM Enrollment e WHERE {condition}"
    assert ("SC002" in {f.rule for f in check(sql).findings}) is flagged


@pytest.mark.parametrize(
    "condition, flagged",
    [
        ("(0 = @year OR c.endYear = @year)", "Attendance (15.0M rows)"),
        ("(c.endYear = @year OR @year = 0)", "Attendance (15.0M rows)"),
        # the date window still limits Attendance when the toolbar says All Years
        ("(0 = @year OR c.endYear = @year) AND a.date >= '20260101'", None),
        # All Schools of one year still reads one year
        ("(0 = @school OR c.schoolID = @school) AND c.endYear = 2026", None),
    ],
)
def test_a_toolbar_catch_all_on_the_calendar_drops_the_tables_joined_to_it(check, condition, flagged):
    sql = f"SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE {condition}"
    found = [f.message for f in check(sql).findings if f.rule == "SC002"]
    assert [message.split("every year of ")[1].rstrip(".") for message in found] == ([flagged] if flagged else [])


@pytest.mark.parametrize("subquery, each_run", [
    ("SELECT MAX(e.startDate) FROM Enrollment e WHERE e.personID = s.personID",
     "each time seeking Enrollment (300k rows) on personID."),
    ("SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID AND a.calendarID = s.calendarID",
     "each time seeking Attendance (15.0M rows) on calendarID or personID."),
    ("SELECT MAX(c.email) FROM RelatedPair rp JOIN Contact c ON c.personID = rp.personID2 WHERE rp.personID1 = s.personID",
     "each time seeking RelatedPair (225k rows, the largest of RelatedPair and Contact) on personID1."),
    # the Calendar its year seeks fixes Attendance's calendarID too; RelatedPair's personID2 above is
    # fixed only through RelatedPair itself
    ("SELECT COUNT(*) FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE a.personID = s.personID "
     "AND c.endYear = 2026", "each time seeking Attendance (15.0M rows, the largest of Attendance and Calendar) on "
                             "calendarID or personID."),
    # each run seeks the enrollments by the outer row, then Attendance by their calendars
    ("SELECT COUNT(*) FROM Enrollment e JOIN Attendance a ON a.calendarID = e.calendarID WHERE e.personID = s.personID",
     "each time seeking Attendance (15.0M rows, the largest of Enrollment and Attendance) on calendarID."),
    ("SELECT MAX(a.date) FROM Attendance a WHERE a.status = s.grade",
     "each time reading all 15.0M rows of Attendance: no index starts with a column the subquery fixes."),
    # TeamMember is not in the bundled catalog: taken as small, as the estimate takes it, its rows seek Person's key
    ("SELECT TOP 1 ti.lastName FROM TeamMember tm JOIN Person tp ON tp.personID = tm.staffPersonID "
     "JOIN [Identity] ti ON ti.identityID = tp.currentIdentityID WHERE tm.personID = s.personID ORDER BY tm.startDate",
     "each time seeking Identity (120k rows, the largest of Person and Identity) on identityID."),
    ("SELECT MAX(v.date) FROM v_AttendanceDetail v WHERE v.personID = s.personID",
     "reading v_AttendanceDetail each time (which holds 15.0M rows)."),
])
def test_a_correlated_subquery_says_what_each_run_reads(check, subquery, each_run):
    """Each run seeks the table on what the subquery fixes, or reads all of it when no index
    starts with one of those columns: thousands of seeks, or thousands of scans."""
    sql = f"SELECT s.personID, ({subquery}) AS x FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026"
    hit = finding(check(sql), "SH001")
    assert hit.message.endswith(f"runs once for every row the query returns, {each_run}")
    # a seek of a person's rows, once per row, costs as many rows as the query returns; a read of a
    # calendar's rows or of all 15.0M per row is an error
    assert hit.severity == ("error" if "15.0M" in each_run and ("reading" in each_run or each_run.endswith("on calendarID."))
                            else "warning")


_ONE_STUDENT = "SELECT p.studentNumber, ({subquery}) AS absences FROM Person p {joined} WHERE p.personID = @personID"


@pytest.mark.parametrize("joined, once", [
    ("JOIN [Identity] i ON i.identityID = p.currentIdentityID", True),  # each table by its key: one row
    ("", True),
    ("JOIN Enrollment e ON e.personID = p.personID", False),  # each of the person's enrollments
    ("JOIN [Identity] i ON i.personID = p.personID", False),  # every identity the person has had
])
def test_a_correlated_subquery_of_a_query_that_finds_one_row_runs_once(check, joined, once):
    """A report of one student (an SSRS report's @personID) runs its SELECT list's subqueries once:
    they cost what one run reads, not as many runs as there are rows."""
    for subquery, severity in (("SELECT COUNT(*) FROM Attendance a WHERE a.personID = p.personID", "warning"),
                               ("SELECT COUNT(*) FROM Attendance a WHERE a.status = p.stateID", "error")):
        hit = finding(check(_ONE_STUDENT.format(subquery=subquery, joined=joined)), "SH001")
        assert hit.message.endswith("so the subquery runs once.") is once
        assert hit.severity == ("info" if once else severity)
        assert hit.remediation.startswith("It may stay as it is; should the query come to find more rows, compute the "
                                          "values once") is once


@pytest.mark.parametrize(
    "condition, limit, loose",
    [
        ("r.startDate >= '2026-11-01' OR r.modifiedDate >= '2026-11-01'", "r.startDate >= '2026-11-01'",
         "r.modifiedDate >= '2026-11-01'"),
        ("(r.modifiedDate >= '2026-11-01' OR r.trialID = 7 AND r.sectionID > 0)", "r.trialID = 7",
         "r.modifiedDate >= '2026-11-01'"),
    ],
)
def test_a_limit_in_one_branch_of_an_or_is_named_with_the_branch_that_undoes_it(check, condition, limit, loose):
    hit = finding(check(f"SELECT r.personID FROM Roster r WHERE {condition}"), "SC001")
    assert hit.message == (f"Roster (2.0M rows) is read for every school year: {limit} would limit it, but it is OR-ed "
                           f"with {loose}, which does not: a row of any year that passes that is kept, so every year "
                           "is read.")


@pytest.mark.parametrize(
    "joins, through",
    [
        ("JOIN Calendar c ON c.calendarID = gs.calendarID", "its join to Calendar c"),
        ("JOIN Section se ON se.sectionID = gs.sectionID JOIN Trial t ON t.trialID = se.trialID "
         "JOIN Calendar c ON c.calendarID = t.calendarID", "the joins to Calendar c"),
    ],
)
def test_a_limit_in_one_branch_of_an_or_on_a_table_joined_to_it_is_named(check, joins, through):
    """The Calendar's year would limit GradingScore through the join; the OR is what undoes it, not
    a Calendar left unlimited."""
    report = check(f"SELECT gs.personID, gs.score FROM GradingScore gs {joins} "
                   "WHERE c.endYear = 2026 OR gs.modifiedDate > '2025-08-01'")
    (hit,) = [f for f in report.findings if f.rule == "SC001" and f.message.startswith("GradingScore")]
    assert hit.message == ("GradingScore (15.0M rows) is read for every school year: c.endYear = 2026 would limit it "
                           f"through {through}, but it is OR-ed with gs.modifiedDate > '2025-08-01', which does not: a "
                           "row of any year that passes that is kept, so every year is read.")
    assert hit.remediation.startswith("Give gs.modifiedDate > '2025-08-01' a limit of its own, beside it in its branch "
                                      "of the OR, as c.endYear = 2026 is in its: then no branch keeps rows of every year. "
                                      "Limit GradingScore gs to the calendar you need")


@pytest.mark.parametrize(("where", "beside", "pair"), [
    ("c.endYear = 2027 AND a.status = 'A' OR a.status = 'T'", "a.status = 'A'", "(a.status = 'A' OR a.status = 'T')"),
    ("a.status = 'T' OR a.status = 'A' AND c.endYear = 2027", "a.status = 'A'", "(a.status = 'T' OR a.status = 'A')"),
    # the limit is the condition the OR stands next to: parentheses there would not keep it
    ("a.status = 'A' AND c.endYear = 2027 OR a.status = 'T'", None, None),
])
def test_an_or_without_parentheses_that_undoes_a_limit_is_first_offered_the_parentheses(check, where, beside, pair):
    """c.endYear = 2027 AND a.status = 'A' OR a.status = 'T' keeps every year's tardies: most
    likely the author meant the OR for the two statuses, and with it in parentheses the year holds
    for both."""
    sql = "SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE {}"
    hit = finding(check(sql.format(where)), "SC001")
    own = ("give a.status = 'T' a limit of its own, beside it in its branch of the OR, as c.endYear = 2027 is in its: "
           "then no branch keeps rows of every year.")
    if pair is None:
        assert hit.remediation.startswith(own[0].upper() + own[1:])
        return
    assert hit.remediation.startswith(
        f"AND binds before OR, and this OR is written without parentheses (PR009): if a.status = 'T' is another choice "
        f"beside {beside}, put the two in parentheses, {pair}, and c.endYear = 2027 holds for both. Otherwise, {own}")
    meant = where.replace(pair[1:-1], pair)
    assert not [f for f in check(sql.format(meant)).findings if f.rule in ("SC001", "PR009")]


def test_an_in_that_would_limit_in_one_branch_of_an_or_is_named(check):
    hit = finding(check("SELECT a.personID FROM Attendance a WHERE a.calendarID IN (SELECT c.calendarID FROM Calendar c "
                        "WHERE c.endYear = 2026) OR a.modifiedDate > '2026-01-01'"), "SC001")
    assert hit.message.startswith("Attendance (15.0M rows) is read for every school year: a.calendarID IN (SELECT "
                                  "c.calendarID FROM Calendar c")
    assert hit.message.endswith("would limit it, but it is OR-ed with a.modifiedDate > '2026-01-01', which does not: a "
                                "row of any year that passes that is kept, so every year is read.")


def test_history_joined_on_person_to_the_script_s_own_students_is_told_to_match_their_calendar(check):
    """A temp table of chosen students, each with their calendar: the join on personID reads every
    year of their attendance, and their calendarID is there to match."""
    sql = ("SELECT s.personID, s.calendarID INTO #kids FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026;\n"
           "SELECT k.personID, COUNT(*) AS absences FROM #kids k JOIN Attendance a ON a.personID = k.personID "
           "WHERE a.status = 'A' GROUP BY k.personID;\n")
    hit = finding(check(sql), "SC001")
    assert hit.message.endswith("A join on personID does not: it matches every year of each person's rows.")
    assert hit.remediation.startswith("Join Attendance a on the calendar too, where it joins #kids k: AND a.calendarID = "
                                      "k.calendarID. #kids k holds a calendarID for each of its rows, and a calendar is "
                                      "one school's year.")


def test_an_exists_branch_is_quoted_whole(check):
    """sqlglot keeps no position for EXISTS, its parenthesis and SELECT: the quote starts at NOT."""
    hit = finding(check("SELECT a.personID FROM Attendance a WHERE a.calendarID = 7 "
                        "OR NOT EXISTS (SELECT TOP (1) * FROM Day d WHERE d.date = a.date)"), "SC001")
    assert ("a.calendarID = 7 would limit it, but it is OR-ed with NOT EXISTS (SELECT TOP (1) * FROM Day d WHERE "
            "d.date = a.date), which does not") in hit.message


def test_a_toolbar_switch_in_the_other_branch_is_not_told_to_take_a_limit(check):
    """0 = @year reads no column: SC002 says what to do about the switch."""
    hit = finding(check("SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
                        "WHERE (0 = @year OR c.endYear = @year)"), "SC001")
    assert "c.endYear = @year would limit it through its join to Calendar c, but it is OR-ed with 0 = @year" in hit.message
    assert hit.remediation.startswith("Limit Attendance a to the calendar you need")


def test_an_or_every_branch_of_which_limits_the_table_or_none_does_is_not_named(check):
    assert not [f for f in check("SELECT r.personID FROM Roster r WHERE r.trialID = 7 OR r.trialID = 8").findings
                if f.rule == "SC001"]
    hit = finding(check("SELECT r.personID FROM Roster r WHERE r.modifiedDate >= '2026-11-01' OR r.modifiedDate IS NULL"),
                  "SC001")
    assert "nothing limits it" in hit.message


def test_an_upper_bound_alone_is_named_as_what_limits_the_years(check):
    """date < '2015-07-01' limits the years read to those before it: all the oldest, not none."""
    purge = finding(check("DELETE FROM Attendance WHERE date < '2015-07-01'"), "SC001")
    assert purge.message.startswith("Attendance (15.0M rows) is limited only from above (date < '2015-07-01'), "
                                    "which keeps every school year before it")
    assert purge.remediation.startswith("Purge one school year at a time: beside date < '2015-07-01', add a lower bound "
                                        "one school year below it, and repeat the delete")
    kept = finding(check("DELETE FROM CustomStudent WHERE attributeID = 501 AND date < DATEADD(year, -1, GETDATE())"), "SC001")
    assert kept.remediation.startswith("Purge one school year at a time")  # not: limit it to the students you need
    joined = finding(check("SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
                           "WHERE c.endYear < 2015"), "SC001")
    assert "limited only from above (c.endYear < 2015)" in joined.message and "delete" not in joined.remediation
    # a bound on a table that is not joined to it says nothing of its years
    report = check("SELECT a.personID FROM Attendance a CROSS JOIN Enrollment e WHERE e.endYear < 2020")
    attendance = [f for f in report.findings if f.rule == "SC001" and f.message.startswith("Attendance")]
    assert attendance and "is read for every school year" in attendance[0].message


@pytest.mark.parametrize(
    "condition, remediation",
    [
        # CASE WHEN <condition> THEN 1 ELSE 0 END = 1 is the condition, under the query's alias
        ("v.activeToday = 1", "Write the condition on the columns it is computed from: v.startDate <= GETDATE() AND "
                              "(v.endDate IS NULL OR v.endDate >= GETDATE()) instead of v.activeToday = 1."),
        # = 0 also keeps the rows where the dates are unknown: no one condition to give
        ("v.activeToday = 0", "Write the condition on the columns activeToday is computed from, where the view offers them"),
        ("v.age > 17", "Write the condition on the columns age is computed from, where the view offers them"),
    ],
)
def test_a_condition_on_a_computed_view_column_is_given_what_it_is_computed_from(check, condition, remediation):
    computed = finding(check(f"SELECT v.studentNumber FROM v_AdHocStudent v WHERE v.endYear = 2026 AND {condition}"), "VW005")
    assert computed.message.startswith(f"v_AdHocStudent computes {condition.split('.')[1].split()[0]} from student.")
    assert computed.remediation.startswith(remediation)


@pytest.mark.parametrize("source, given", [
    ("WITH v AS (SELECT * FROM v_AdHocStudent WHERE endYear = 2026)\nSELECT v.studentNumber FROM v", True),
    ("SELECT v.studentNumber FROM (SELECT s.*, 1 AS n FROM v_AdHocStudent s WHERE s.endYear = 2026) v", True),
    # the derived table passes on activeToday, not the dates it is computed from: no condition on v says it
    ("SELECT v.studentNumber FROM (SELECT s.studentNumber, s.activeToday FROM v_AdHocStudent s WHERE s.endYear = 2026) v",
     False),
])
def test_a_condition_on_a_computed_view_column_a_derived_table_or_cte_passes_on_is_one_on_the_view(check, source, given):
    computed = finding(check(f"{source}\nWHERE v.activeToday = 1\n"), "VW005")
    assert computed.message.startswith("v_AdHocStudent computes activeToday from student.")
    assert (computed.span.line, computed.span.column) == (source.count("\n") + 2, 7)  # the WHERE's condition
    assert computed.remediation.startswith("Write the condition on the columns it is computed from: v.startDate <= GETDATE()"
                                           if given else "Write the condition on the columns activeToday is computed from")


def test_a_condition_on_a_column_the_view_passes_on_is_not_a_computed_one(check):
    report = check("SELECT v.studentNumber FROM v_AdHocStudent v WHERE v.endYear = 2026 AND v.grade = '09'")
    assert "VW005" not in {f.rule for f in report.findings}


def test_a_computed_column_of_an_indexed_view_read_with_noexpand_is_stored(catalog):
    """With NOEXPAND SQL Server reads the view's stored rows, computed columns included: they can be indexed."""
    from dataclasses import replace

    from advisor.pipeline import Checker
    from advisor.sources import Source

    view = catalog.views["student"]
    cut = view.definition.upper().index("\nFROM")
    senior = ",\n       CASE WHEN e.grade = '12' THEN 1 ELSE 0 END AS senior"
    changed = replace(catalog, views={**catalog.views, "student": replace(
        view, definition=view.definition[:cut] + senior + view.definition[cut:], columns=(*view.columns, "senior"))})
    checker = Checker(changed)

    def rules(sql: str) -> set[str]:
        return {f.rule for f in checker.check(Source("q.sql", sql.encode())).findings}

    assert "VW005" not in rules("SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.senior = 1")
    assert "VW005" in rules("SELECT s.personID FROM student s WHERE s.endYear = 2026 AND s.senior = 1")


def test_a_message_quotes_the_expression_as_the_author_wrote_it(check):
    """Not as sqlglot writes it back (DATEDIFF(DAY, ..., GETDATE())); spaces run together."""
    sql = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND DATEDIFF(dd, a.date,\n    SYSDATETIME()) <= 7"
    hidden = finding(check(sql), "PR001")
    assert hidden.message.startswith("DATEDIFF(dd, a.date, SYSDATETIME()) hides Attendance.date")
    commented = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND DATEDIFF(dd, a.date, /* now */ GETDATE()) <= 7"
    assert finding(check(commented), "PR001").message.startswith("DATEDIFF(DAY, a.date, GETDATE()) hides")


def test_an_order_by_s_direction_is_part_of_what_it_orders(check):
    """DESC has no position of its own in sqlglot's tree: the ORDER BY item and the subquery it
    ends are quoted with it, and a fix built from the author's text keeps it."""
    sql = ("SELECT x.d FROM (SELECT TOP 100 PERCENT a.date AS d FROM Attendance a WHERE a.calendarID = 4 "
           "ORDER BY a.date  DESC) x")
    ordered = finding(check(sql), "SH006")
    assert sql[ordered.span.column - 1:ordered.span.end_column] == "a.date  DESC"
    twice = ("SELECT e.personID,\n(SELECT TOP 1 gs.[percent] FROM GradingScore gs WHERE gs.personID = e.personID ORDER BY "
             "gs.scoreID desc) AS score,\n(SELECT TOP 1 gs.termID FROM GradingScore gs WHERE gs.personID = e.personID "
             "ORDER BY gs.scoreID desc) AS term\nFROM Enrollment e WHERE e.calendarID = 4")
    assert "ORDER BY gs.scoreID desc) x after the FROM list" in finding(check(twice), "SH001").remediation


def test_the_condition_sought_instead_is_quoted_as_the_author_wrote_it(check):
    sql = "SELECT a.personID FROM Attendance a WHERE a.calendarID in (4,5) AND a.personID LIKE '%5'"
    assert "it seeks a.calendarID in (4,5) instead and tests the pattern" in finding(check(sql), "PR002").message


def test_a_view_s_own_condition_is_quoted_from_the_view_not_from_the_file_s_text_at_its_offsets(check):
    sql = ("-- Author: Jo\nSET NOCOUNT ON\nGO\n"
           "CREATE VIEW dbo.old_attendance AS SELECT a.personID, a.date FROM Attendance a WHERE a.date < '2015-07-01'\n"
           "GO\nSELECT o.personID FROM dbo.old_attendance o\n")
    reading = [f for f in check(sql).findings if f.rule == "SC001" and f.span.line == 6]
    assert reading and reading[0].message.startswith("old_attendance is limited only from above (a.date < '2015-07-01')")


@pytest.mark.parametrize(
    "sql, fix",
    [
        ("SELECT a.personID FROM Attendance a ORDER BY a.date DESC LIMIT 10\n", "SQL Server rejects it as written too"),
        ("SELECT e.personID FROM Enrollment e WHERE e.noShow\n", "SQL Server rejects it as written too"),
        ("SELECT a.personID FROM Attendance a WHERE (a.calendarID = 1\n", "If SQL Server runs it as written"),
        ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 1 go\n", "If SQL Server runs it as written"),
    ],
)
def test_an_unread_statement_s_fix_says_whether_sql_server_rejects_it_too(check, sql, fix):
    (finding,) = [f for f in check(sql).findings if f.rule == "PA001"]
    assert fix in finding.remediation
