"""Scope: does the query limit what it reads of each history table, and through what?"""

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

from advisor.analysis import analyse
from advisor.analysis.views import ViewLibrary
from advisor.frontend.parse import read_script


@pytest.fixture
def reaches(catalog):
    def run(sql: str, table: str) -> list:
        queries = analyse(read_script(sql), catalog, ViewLibrary(catalog))
        found = [r for q in queries for r in q.reaches if r.table.name == table]
        assert found, f"{table} is not read"
        return found

    return run


@pytest.fixture
def scoped(reaches):
    def run(sql: str, table: str) -> bool:
        found = reaches(sql, table)
        assert len({r.scoped for r in found}) == 1, "instances disagree"
        return found[0].scoped

    return run


STUDENTS = "FROM student s WITH (NOEXPAND) JOIN Attendance a ON {on} WHERE s.endYear = 2026"


@pytest.mark.parametrize(
    "on, expected",
    [
        ("a.personID = s.personID", False),  # every year of each student's attendance
        ("a.personID = s.personID AND a.calendarID = s.calendarID", True),
        ("a.calendarID = s.calendarID", True),
    ],
)
def test_scope_reaches_through_calendar_joins_but_not_through_person_alone(scoped, on, expected):
    assert scoped("SELECT a.date " + STUDENTS.format(on=on), "Attendance") is expected


@pytest.mark.parametrize(("sql", "table"), [
    ("SELECT a.date FROM Attendance a WHERE a.personID = @personID", "Attendance"),  # one student's marks
    ("SELECT se.sectionID FROM Section se WHERE se.teacherPersonID = @personID", "Section"),  # one teacher's sections
    ("SELECT r.personID FROM Roster r JOIN Section se ON se.sectionID = r.sectionID WHERE se.teacherPersonID = @personID",
     "Roster"),  # and their students
])
def test_one_person_s_rows_of_every_year_are_a_few_rows_whoever_the_person_is(scoped, sql, table):
    """A teacher's sections, every year's, are a few rows, as a student's marks are: SC001 said of
    the teacher's class lists that nothing limited Section or Roster."""
    assert scoped(sql, table)


def test_a_sqlcmd_variable_is_a_value_that_limits_like_a_variable(scoped):
    sql = "SELECT a.date FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = $(SchoolYear)"
    assert scoped(sql, "Attendance")


def test_a_reports_multi_value_parameter_still_limits(scoped):
    """IN (@calendarIDs) is estimated with every value picked, but the calendars are the ones the
    report offers: the author has limited the read."""
    assert scoped("SELECT a.date FROM Attendance a WHERE a.calendarID IN (@calendarIDs)", "Attendance")


def test_scope_reaches_through_a_chain_of_joins(scoped):
    sql = """SELECT a.date FROM Attendance a
             JOIN Calendar c ON c.calendarID = a.calendarID
             JOIN SchoolYear sy ON sy.endYear = c.endYear AND sy.active = 1"""
    assert scoped(sql, "Attendance")


@pytest.mark.parametrize("where, expected", [
    ("sy.label = '2026-27'", True),  # one school year, by the label Campus shows for it
    ("sy.label LIKE '%27'", True),
    ("sy.startDate IS NOT NULL", False),  # every year
])
def test_a_school_year_picked_by_its_label_limits(scoped, where, expected):
    sql = f"""SELECT a.date FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID
              JOIN SchoolYear sy ON sy.endYear = c.endYear WHERE {where}"""
    assert scoped(sql, "Attendance") is expected


@pytest.mark.parametrize("where, expected", [
    ("c.name = '26-27 Lincoln Elementary'", True),  # the calendar districts name with its school year
    ("c.name LIKE '%2026-2027%'", True),
    ("c.name IN ('26-27 Lincoln Elementary', '26/27 Lincoln Summer')", True),
    ("c.name IN ('26-27 Lincoln Elementary', 'Lincoln Summer')", False),  # and every year's summer calendar
    ("c.name LIKE '%06-08%'", False),  # grades 6 to 8, not a school year
    ("c.name LIKE '%Elementary%'", False),
    ("c.name <> '25-26 Lincoln Elementary'", False),
    ("c.type = '26-27'", False),  # not a column that names calendars
])
def test_a_calendar_picked_by_a_name_that_holds_its_school_year_limits(scoped, where, expected):
    sql = f"SELECT a.date FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE {where}"
    assert scoped(sql, "Attendance") is expected


def test_direct_filters_of_each_kind(reaches):
    cases = {
        "a.calendarID = @calendarID": "calendar",
        "a.date >= '2025-08-15'": "date",
        "a.date BETWEEN @start AND @end": "date",
        "a.personID = @personID": "person",
        "a.calendarID IN (12, 13)": "calendar",
        "a.attendanceID = 5": "record",
        "DATEDIFF(day, a.date, GETDATE()) <= 30": "date",  # the last 30 days: a lower bound on the date
        "30 >= DATEDIFF(day, a.date, GETDATE())": "date",
    }
    for condition, kind in cases.items():
        (found,) = reaches(f"SELECT a.date FROM Attendance a WHERE {condition}", "Attendance")
        assert found.scoped and kind in found.kinds, condition


@pytest.mark.parametrize("condition", ["a.date <= GETDATE()", "a.status = 'A'", "a.calendarID <> 5", "a.date IS NOT NULL",
                                       "DATEDIFF(day, a.date, GETDATE()) > 30"])
def test_filters_that_keep_every_year(scoped, condition):
    assert not scoped(f"SELECT a.date FROM Attendance a WHERE {condition}", "Attendance")


@pytest.mark.parametrize("joined, expected", [
    # one row: the newest year, however the history grows
    ("CROSS JOIN (SELECT MAX(endYear) AS endYear FROM SchoolYear) y WHERE e.endYear = y.endYear", True),
    ("JOIN (SELECT TOP 1 endYear FROM SchoolYear ORDER BY endYear DESC) y ON y.endYear = e.endYear", True),
    ("JOIN (SELECT endYear FROM SchoolYear GROUP BY endYear) y ON y.endYear = e.endYear", False),  # every year
])
def test_a_join_to_a_query_of_one_row_limits_like_a_value(scoped, joined, expected):
    assert scoped(f"SELECT e.grade FROM Enrollment e {joined}", "Enrollment") is expected


def test_a_date_joined_to_a_few_dates_is_a_window(scoped):
    """A temp table of dates, named by its own name (#d.dt: sqlglot keeps the # as a flag)."""
    sql = "CREATE TABLE #d (dt date)\nSELECT a.personID FROM Attendance a JOIN #d ON #d.dt = a.date"
    assert scoped(sql, "Attendance")
    assert scoped("SELECT a.personID FROM Attendance a JOIN (SELECT MAX(date) AS d FROM Day) m ON m.d = a.date", "Attendance")


def test_an_active_enrollment_window_is_scope(scoped):
    sql = "SELECT e.grade FROM Enrollment e WHERE e.endDate IS NULL OR e.endDate >= GETDATE()"
    assert scoped(sql, "Enrollment")


@pytest.mark.parametrize(
    "where, expected",
    [
        ("(0 = @year OR s.endYear = @year)", False),  # the toolbar's All Years
        ("s.endYear = 2026 AND s.grade = '12' OR s.grade = '00'", False),  # an OR branch drops the year
        ("(s.endYear = 2026 AND s.grade = '12' OR s.endYear = 2026 AND s.grade = '00')", True),
        ("s.endYear = (SELECT sy.endYear FROM SchoolYear sy WHERE sy.active = 1)", True),
        ("s.activeYear = 1", True),  # the school year marked active
        ("(s.activeYear = 1 OR s.grade = '12')", False),
    ],
)
def test_or_branches_must_all_limit(scoped, where, expected):
    # The indexed student view read WITH (NOEXPAND) is read like a table: its stored rows.
    assert scoped(f"SELECT s.personID FROM student s WITH (NOEXPAND) WHERE {where}", "student") is expected
    assert scoped(f"SELECT s.personID FROM student s WHERE {where}", "Enrollment") is expected


@pytest.mark.parametrize(
    "where, expected",
    [
        ("c.schoolID = 3 OR e.endYear = 2026", True),  # a school's years, or a year's schools
        ("c.endYear = 2026 OR e.startDate >= '2025-08-01'", True),
        ("c.endYear = 2026 OR e.grade = '12'", False),  # the twelfth graders of every year
        ("c.name = 'Summer' OR e.endYear = 2026", False),
    ],
)
def test_or_branches_may_each_limit_through_a_different_joined_table(scoped, where, expected):
    sql = f"SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE {where}"
    assert scoped(sql, "Enrollment") is expected


@pytest.mark.parametrize(
    "other, expected",
    [
        ("a.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026)", True),
        ("EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = a.calendarID AND c.endYear = 2026)", True),
        ("(a.status = 'T' AND a.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.schoolID = 3))", True),
        ("a.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.name LIKE 'Summer%')", False),  # every year's
        ("a.calendarID NOT IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026)", False),  # all the others
        ("NOT EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = a.calendarID AND c.endYear = 2026)", False),
        # a person's rows of every year match their enrollment of this one
        ("EXISTS (SELECT 1 FROM Enrollment e WHERE e.personID = a.personID AND e.endYear = 2026)", False),
        ("a.personID IN (SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026)", False),
    ],
)
def test_an_in_or_exists_in_a_branch_of_an_or_limits_as_far_as_what_it_matches_is_limited(scoped, other, expected):
    sql = f"SELECT a.personID FROM Attendance a WHERE a.date = '2026-10-01' OR {other}"
    assert scoped(sql, "Attendance") is expected


@pytest.mark.parametrize("branches", [3, 40])  # a few columns, and many: each branch's own are found either way
def test_every_branch_of_a_long_or_chain_must_limit(scoped, branches):
    years = " OR ".join(f"s.endYear = {2000 + i} AND s.grade = '{i % 13:02}'" for i in range(branches))
    assert scoped(f"SELECT s.personID FROM student s WITH (NOEXPAND) WHERE ({years})", "student") is True
    dropped = years + " OR s.grade = '00' AND s.serviceType = 'P'"
    assert scoped(f"SELECT s.personID FROM student s WITH (NOEXPAND) WHERE ({dropped})", "student") is False


def test_a_filter_on_a_view_column_reaches_the_table_behind_it(scoped):
    assert scoped("SELECT ad.date FROM v_AttendanceDetail ad WHERE ad.endYear = 2026", "Attendance")
    assert not scoped("SELECT ad.date FROM v_AttendanceDetail ad WHERE ad.status = 'A'", "Attendance")


def test_a_filter_on_a_grouped_views_grouping_column_is_pushed_in(reaches):
    (found, *_) = reaches("SELECT f.personID FROM v_AttDayDetail_Federal f WHERE f.calendarID = 12", "Attendance")
    assert found.scoped and found.barrier is not None and found.barrier.name == "v_AttDayDetail_Federal"


def test_a_join_does_not_reach_into_a_ranked_cte(reaches):
    sql = """WITH c AS (SELECT cs.personID, ROW_NUMBER() OVER (PARTITION BY cs.personID ORDER BY cs.contactSequence) rn
                       FROM v_CensusContactSummary cs)
             SELECT s.personID FROM student s WITH (NOEXPAND)
             JOIN c ON c.personID = s.personID AND c.rn = 1 WHERE s.endYear = 2026"""
    (found,) = reaches(sql, "RelatedPair")
    assert not found.scoped and found.barrier.name == "c" and found.anchor.name == "v_CensusContactSummary"


def test_a_correlated_apply_is_limited_by_its_correlation(reaches):
    sql = """SELECT s.personID, g.lastName FROM student s WITH (NOEXPAND)
             OUTER APPLY (SELECT TOP 1 cs.lastName FROM v_CensusContactSummary cs
                          WHERE cs.personID = s.personID ORDER BY cs.contactSequence) g
             WHERE s.endYear = 2026"""
    (found,) = reaches(sql, "RelatedPair")
    assert found.scoped and found.barrier is None


_APPLIED_CALENDARS = ("SELECT sch.name, e.personID FROM School sch CROSS APPLY (SELECT c.calendarID FROM Calendar c "
                      "WHERE c.schoolID = sch.schoolID{limit}) cc JOIN Enrollment e ON e.calendarID = cc.calendarID{where}")


@pytest.mark.parametrize("limit, where, expected", [
    (" AND c.endYear = 2026", "", True),  # this year's calendars of every school
    ("", " WHERE sch.schoolID = 12", True),  # one school's calendars, through the correlation
    ("", "", False),  # every calendar of every school
])
def test_a_table_joined_on_an_apply_s_columns_is_limited_by_what_limits_the_apply(scoped, limit, where, expected):
    assert scoped(_APPLIED_CALENDARS.format(limit=limit, where=where), "Enrollment") is expected


@pytest.mark.parametrize("limit, expected", [(" AND c.endYear = 2026", True), ("", False)])
def test_what_an_apply_limits_limits_the_subqueries_run_for_its_rows(scoped, limit, expected):
    """Enrollment is limited only once the APPLY it joins is known to be; the subquery run for each
    enrollment matches Attendance with its calendar."""
    sql = _APPLIED_CALENDARS.format(limit=limit, where="") + (
        " CROSS APPLY (SELECT MAX(a.date) AS lastDay FROM Attendance a WHERE a.personID = e.personID"
        " AND a.calendarID = e.calendarID) x")
    assert scoped(sql, "Attendance") is expected


@pytest.mark.parametrize("on, expected", [
    ("rp.personID1 = s.personID OR rp.personID2 = s.personID", True),  # the pairs of the students, either way round
    ("s.personID IN (rp.personID1, rp.personID2)", True),
    ("rp.personID1 = s.personID OR rp.personID2 = s.enrollmentID", False),  # not only the students' pairs
    ("rp.personID1 = s.personID OR rp.personID2 = 7", False),  # a value: every pair of person 7 too
    ("rp.personID1 = s.personID OR rp.personID2 + 0 = s.personID", True),  # arithmetic on a side: still the students'
])
def test_an_or_of_joins_limits_only_where_every_branch_joins_the_same_limited_column(scoped, on, expected):
    sql = f"SELECT rp.name FROM student s WITH (NOEXPAND) JOIN RelatedPair rp ON {on} WHERE s.endYear = 2026"
    assert scoped(sql, "RelatedPair") is expected


def test_an_or_of_the_outer_row_s_person_limits_a_correlated_subquery(scoped):
    sql = ("SELECT s.personID, g.name FROM student s WITH (NOEXPAND) OUTER APPLY (SELECT TOP 1 rp.name FROM "
           "RelatedPair rp WHERE rp.personID1 = s.personID OR rp.personID2 = s.personID ORDER BY rp.seq) g "
           "WHERE s.endYear = 2026")
    assert scoped(sql, "RelatedPair") is True


def test_a_join_to_a_value_computed_from_two_tables_carries_no_limit(scoped):
    """The value is one table's calendarID or the other's: the limit of one is not enough."""
    sql = ("SELECT a.date FROM Enrollment e RIGHT JOIN v_AdHocStudent s ON s.personID = e.personID AND e.endYear = 2026 "
           "JOIN Attendance a ON a.calendarID = ISNULL(e.calendarID, s.calendarID)")
    assert scoped(sql, "Attendance") is False


def test_a_parenthesized_join_on_the_optional_side_is_limited_through_its_on(scoped):
    """LEFT JOIN (Roster r JOIN SectionPlacement sp ...) ON ... sp.periodID = a.periodID: the ON
    limits both tables of the group (this year's periods, then their sections' rosters)."""
    sql = ("SELECT a.personID, sp.sectionID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
           "LEFT JOIN (Roster r JOIN SectionPlacement sp ON sp.sectionID = r.sectionID AND sp.trialID = r.trialID) "
           "ON r.personID = a.personID AND sp.periodID = a.periodID WHERE c.endYear = 2026")
    assert scoped(sql, "SectionPlacement") is True
    assert scoped(sql, "Roster") is True


def test_a_correlated_subquery_on_person_still_reads_every_year(scoped, check):
    sql = """SELECT s.personID, (SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID) AS absences
             FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026"""
    assert not scoped(sql, "Attendance")
    (unscoped,) = found(check, sql + "\n", "SC001")
    assert unscoped.message.endswith("The subquery in the SELECT list matches each person to Attendance a on personID "
                                     "alone, so what it returns comes from every year of the person's rows.")
    uncorrelated = sql.replace("a.personID = s.personID", "a.excuseID = 3")
    (unscoped,) = found(check, uncorrelated + "\n", "SC001")
    assert "personID alone" not in unscoped.message
    update = "UPDATE t SET absences = (SELECT COUNT(*) FROM Attendance a WHERE a.personID = t.personID) FROM #totals t\n"
    (unscoped,) = found(check, update, "SC001")
    assert unscoped.message.endswith("The subquery in an UPDATE's SET matches each person to Attendance a on personID "
                                     "alone, so what it returns comes from every year of the person's rows.")


@pytest.mark.parametrize("condition, kept", [
    ("EXISTS (SELECT 1 FROM Attendance a WHERE a.personID = s.personID)", "kept"),
    ("NOT EXISTS (SELECT * FROM Attendance a WHERE s.personID = a.personID)", "left out"),
    ("s.personID IN (SELECT a.personID FROM Attendance a WHERE a.excuseID = 4)", "kept"),
    ("s.personID NOT IN (SELECT a.personID FROM Attendance a)", "left out"),
])
def test_a_subquery_matched_on_person_alone_asks_about_every_year(check, condition, kept):
    query = f"SELECT s.personID FROM student s WHERE s.calendarID = 2 AND {condition}"
    (unscoped,) = found(check, f"-- Author: Dana Whitfield\n{query}\n", "SC001")
    written = condition.split(" (")[0].replace("s.personID ", "")
    assert unscoped.message.endswith(
        f"{written} matches each person to Attendance a on personID alone, so it looks at every year of the person's "
        f"rows: a student whose Attendance rows are all from earlier years is {kept} too.")
    # student 1 was absent this year (calendar 2), student 2 only last year (calendar 1)
    database = sqlite_with({
        "student": ("personID int, calendarID int", [(1, 2), (2, 2), (3, 2)]),
        "Attendance": ("personID int, calendarID int, excuseID int", [(1, 2, 4), (2, 1, 4)]),
    })
    assert ((2,) in sqlite_rows(database, query)) == (kept == "kept")
    # matched on the calendar too, it asks about this year's rows only
    this_year = ("SELECT s.personID FROM student s WHERE s.calendarID = 2 AND EXISTS (SELECT 1 FROM Attendance a "
                 "WHERE a.personID = s.personID AND a.calendarID = s.calendarID)")
    assert not found(check, f"-- Author: Dana Whitfield\n{this_year}\n", "SC001")
    assert sqlite_rows(database, this_year) == [(1,)]



def test_a_subquery_matched_on_more_than_the_person_says_nothing_of_earlier_years(check):
    # each enrollment with no later one of the person's: the latest, of whatever year, is what is meant
    sql = ("SELECT e.personID, e.startDate FROM Enrollment e WHERE e.serviceType = 'P' AND NOT EXISTS (SELECT 1 "
           "FROM Enrollment e2 WHERE e2.personID = e.personID AND e2.startDate > e.startDate)\n")
    unscoped = found(check, sql, "SC001")
    assert [f.message for f in unscoped] == ["Enrollment (300k rows) is read for every school year: nothing limits it to "
                                             "a school year, calendar, school, term or date window."] * 2
    database = sqlite_with({"Enrollment": ("personID int, startDate text, serviceType text", [
        (1, "2025-08-20", "P"), (1, "2026-08-19", "P"), (2, "2024-08-21", "P")])})
    assert sqlite_rows(database, sql) == [(1, "2026-08-19"), (2, "2024-08-21")]  # student 2's rows all of earlier years

def test_semi_joins_limit_the_outer_query(scoped):
    assert scoped("SELECT a.date FROM Attendance a WHERE a.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026)", "Attendance")
    assert scoped("SELECT a.date FROM Attendance a WHERE EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = a.calendarID AND c.endYear = 2026)", "Attendance")
    assert not scoped("SELECT a.date FROM Attendance a WHERE NOT EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = a.calendarID AND c.endYear = 2026)", "Attendance")


@pytest.mark.parametrize(
    "days, expected",
    [
        ("SELECT d.date FROM Day d JOIN Calendar c ON c.calendarID = d.calendarID WHERE c.endYear = 2026", True),
        ("SELECT d.date FROM Day d WHERE d.calendarID = @calendarID", True),
        ("SELECT d.date FROM Day d WHERE d.instruction = 1", False),  # every year's school days
        ("SELECT d.date FROM Day d JOIN Calendar c ON c.calendarID = d.calendarID WHERE c.schoolID = 3", False),
    ],
)
def test_dates_from_one_years_calendar_are_a_window_of_dates(scoped, days, expected):
    assert scoped(f"SELECT a.personID FROM Attendance a WHERE a.date IN ({days})", "Attendance") is expected


def test_a_negated_range_is_the_opposite_range(scoped):
    assert scoped("SELECT a.personID FROM Attendance a WHERE NOT (a.date < '2025-08-01')", "Attendance")
    assert not scoped("SELECT a.personID FROM Attendance a WHERE NOT (a.date > '2025-08-01')", "Attendance")


def test_an_outer_join_condition_limits_only_the_joined_side(scoped):
    sql = "SELECT e.grade FROM Enrollment e LEFT JOIN Calendar c ON c.calendarID = e.calendarID AND e.endYear = 2026"
    assert not scoped(sql, "Enrollment")
    sql = "SELECT c.name FROM Calendar c LEFT JOIN Enrollment e ON e.calendarID = c.calendarID WHERE c.endYear = 2026"
    assert scoped(sql, "Enrollment")


@pytest.mark.parametrize("where, expected", [
    ("c.endYear = 2026", True),  # no row the join found nothing for passes: SQL Server joins them as inner
    ("c.endYear = 2026 OR c.endYear IS NULL", False),  # the rows that found no calendar are kept, of every year
    ("ISNULL(c.endYear, 2026) = 2026", False),
])
def test_a_left_join_its_where_makes_inner_limits_the_table_it_joins(scoped, where, expected):
    sql = f"SELECT e.grade FROM Enrollment e LEFT JOIN Calendar c ON c.calendarID = e.calendarID WHERE {where}"
    assert scoped(sql, "Enrollment") is expected


def test_a_view_read_twice_is_judged_each_time(reaches):
    sql = """SELECT a.personID FROM student a WITH (NOEXPAND) JOIN student b WITH (NOEXPAND) ON b.personID = a.personID
             WHERE a.endYear = 2026"""
    assert sorted(r.scoped for r in reaches(sql, "student")) == [False, True]
    assert sorted(r.scoped for r in reaches(sql.replace(" WITH (NOEXPAND)", ""), "Enrollment")) == [False, True]


def test_every_branch_of_a_union_view_is_limited(reaches):
    found = reaches("SELECT e.sourcedId FROM v_OneRosterEnrollments e WHERE e.endYear = 2026", "Section")
    assert len(found) == 2 and all(r.scoped for r in found)


def test_oneroster_s_school_sourcedid_is_the_school_and_limits_the_class_and_its_enrollments(check, reaches):
    """A district's LMS extract names the school as OneRoster does, schoolSourcedId."""
    sql = """SELECT e.sourcedId, e.userSourcedId FROM v_OneRosterEnrollments e
             JOIN v_OneRosterClasses c ON c.sourcedId = e.classSourcedId WHERE c.schoolSourcedId = 12"""
    assert all(r.scoped for r in reaches(sql, "Section"))
    assert {f.rule for f in check(sql).findings} & {"CL003", "SC001"} == set()
    assert all(r.scoped for r in reaches("SELECT e.sourcedId FROM v_OneRosterEnrollments e WHERE e.schoolSourcedId = 12",
                                         "Section"))


def test_a_temp_table_of_calendars_limits_a_calendar_join(scoped):
    sql = """CREATE TABLE #cal (calendarID int)
             SELECT a.date FROM Attendance a JOIN #cal c ON c.calendarID = a.calendarID"""
    assert scoped(sql, "Attendance")


def test_a_trigger_s_changed_rows_are_a_table_that_limits_what_it_joins(scoped, check):
    """inserted and deleted hold the rows the trigger's statement changed: no catalog lists them."""
    sql = """CREATE TRIGGER trg_stamp ON dbo.CustomStudent AFTER UPDATE AS
             BEGIN
               UPDATE cs SET cs.value = 'Y' FROM dbo.CustomStudent cs JOIN inserted i ON i.customID = cs.customID
             END
             """
    assert scoped(sql, "CustomStudent")
    assert not {"CL004", "SC001"} & {f.rule for f in check(sql).findings}


def test_a_view_over_a_whole_table_names_the_view_as_the_place(reaches):
    (found,) = reaches("SELECT x.code FROM v_AttendanceDetail x", "Attendance")
    assert (found.anchor.name, found.through, found.scoped) == ("v_AttendanceDetail", ("v_AttendanceDetail",), False)


@pytest.mark.parametrize("condition, flagged", [("v.grade = '12'", True), ("v.endYear = 2026 AND v.grade = '12'", False)])
def test_a_view_is_judged_by_the_tables_that_make_its_rows_not_one_it_looks_up_per_row(check, condition, flagged):
    """v_AdHocStudent's homeroom comes from Roster, its largest table, in an OUTER APPLY limited to
    current rows: its rows are student's, which only the query can limit to a year."""
    found = [f for f in check(f"SELECT v.studentNumber FROM v_AdHocStudent v WHERE {condition}").findings if f.rule == "SC001"]
    assert [f.message.split(":")[0] for f in found] == (
        ["v_AdHocStudent reads student (300k rows) for every school year"] if flagged else [])


def test_an_indexed_view_read_with_noexpand_is_one_table_that_keeps_its_columns_meaning(reaches, catalog):
    (found,) = reaches("SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.calendarID = 5", "student")
    assert found.scoped and found.kinds == {"calendar"} and found.through == ()
    table = found.table
    assert table.rows == catalog.table("Enrollment").rows and table.history
    assert table.scope_kind("endYear") == "year" and table.scope_kind("personID") == "person"
    assert [index.columns for index in table.indexes][0] == ("enrollmentID",)


@pytest.fixture
def tables_read(catalog):
    def run(sql: str) -> set[str]:
        queries = analyse(read_script(sql), catalog, ViewLibrary(catalog))
        return {node.table.name for q in queries for node in q.graph.all_nodes() if node.table is not None}

    return run


def test_a_left_join_on_a_key_that_nothing_reads_is_not_read(tables_read):
    # v_CensusContactSummary LEFT JOINs Address on its key, for the address columns only
    without = tables_read("SELECT c.personID, c.lastName FROM v_CensusContactSummary c\n")
    assert "Address" not in without and "Household" not in without
    assert "HouseholdLocation" in without  # joined on part of no key: it can add rows, so it stays
    assert "Address" in tables_read("SELECT c.personID, c.city FROM v_CensusContactSummary c\n")
    assert "Address" in tables_read("SELECT * FROM v_CensusContactSummary c\n")
    assert "Address" in tables_read("SELECT c.personID FROM v_CensusContactSummary c WHERE c.zip = '55101'\n")


def test_a_having_on_an_aggregate_of_a_scope_column_limits_no_rows(scoped):
    """MAX(endYear) = 2026 keeps the people whose last year is 2026, after reading all their years."""
    sql = "SELECT e.personID FROM Enrollment e GROUP BY e.personID HAVING MAX(e.endYear) = 2026"
    assert not scoped(sql, "Enrollment")
    assert scoped("SELECT e.endYear FROM Enrollment e GROUP BY e.endYear HAVING e.endYear = 2026", "Enrollment")


@pytest.mark.parametrize("condition", [
    "GETDATE() BETWEEN t.startDate AND t.endDate",
    "@asOf BETWEEN t.startDate AND ISNULL(t.endDate, GETDATE())",
])
def test_today_between_two_dates_limits_to_the_terms_it_falls_in(scoped, condition):
    """The current term: its end date on or after today is a window of dates, and the term
    limits the grades joined to it."""
    sql = f"SELECT gs.score FROM GradingScore gs JOIN Term t ON t.termID = gs.termID WHERE {condition}"
    assert scoped(sql, "GradingScore")


@pytest.mark.parametrize(
    "anchor, expected",
    [
        ("FROM Person p WHERE p.personID = @person", True),  # one person's relations, and theirs
        ("FROM Person p", False),  # everyone's
    ],
)
def test_a_recursive_cte_keeps_the_limits_of_its_anchor(scoped, anchor, expected):
    sql = (f"WITH chain AS (SELECT p.personID, 0 AS depth {anchor} UNION ALL SELECT rp.personID2, c.depth + 1 "
           "FROM RelatedPair rp JOIN chain c ON c.personID = rp.personID1 WHERE c.depth < 3) SELECT personID FROM chain")
    assert scoped(sql, "RelatedPair") is expected


@pytest.mark.parametrize("option, anchor, end, expected", [
    ("", "SELECT CAST('2026-08-20' AS date) AS d", "d < '2028-09-30'", True),  # SQL Server stops it at 100 levels
    ("OPTION (MAXRECURSION 366)", "SELECT CAST('2026-08-20' AS date) AS d", "d < '2028-09-30'", True),  # a year at most
    ("OPTION (MAXRECURSION 366)", "SELECT '2026-08-20' AS d UNION ALL SELECT '2026-01-05'", "d < '2026-09-30'", True),
    # MAXRECURSION 0 lifts the limit, and the CTE's own condition is what stops it
    ("OPTION (MAXRECURSION 0)", "SELECT CAST('2026-08-20' AS date) AS d", "d < '2026-09-30'", True),
    ("OPTION (MAXRECURSION 2000)", "SELECT CAST('2026-08-20' AS date) AS d", "d <= '2027-08-20'", True),  # 366 levels
    ("OPTION (MAXRECURSION 2000)", "SELECT CAST('2026-08-20' AS date) AS d", "d <= '2027-08-22'", False),  # 368
    ("OPTION (MAXRECURSION 0)", "SELECT CAST('2026-08-20' AS date) AS d", "d < '2028-09-30'", False),  # two years
    ("OPTION (MAXRECURSION 0)", "SELECT CAST('2026-08-20' AS date) AS d", "d < GETDATE()", False),  # more every day
    ("", "SELECT MIN(a.date) AS d FROM Attendance a", "d < '2026-09-30'", False),  # its start is read, no constant
])
def test_a_recursive_cte_that_lists_a_few_dates_limits_what_joins_them(scoped, option, anchor, end, expected):
    """WITH days AS (... UNION ALL SELECT DATEADD(day, 1, d) FROM days WHERE ...) JOIN Attendance
    ON a.date = days.d: as many days as the recursion goes, the fewer of the levels the statement
    allows and those its condition counts, a window while that is a year or less."""
    sql = (f"WITH days AS ({anchor} UNION ALL SELECT DATEADD(day, 1, d) FROM days WHERE {end}) "
           f"SELECT a.personID FROM days JOIN Attendance a ON a.date = days.d {option}")
    assert scoped(sql, "Attendance") is expected


@pytest.mark.parametrize("script, expected", [
    ("DECLARE @start date = '2016-08-01';\n", False),  # every year of the history, as the date written out
    ("DECLARE @start date = '2025-08-01';\n", True),
    ("DECLARE @start date;\nSET @start = CAST('2016-08-01' AS date);\n", False),
    # not known before the script runs: a window of some year, as any variable
    ("DECLARE @start date = '2016-08-01';\nIF DATEPART(month, GETDATE()) > 7 SET @start = '2025-08-01';\n", True),
    ("DECLARE @start date = '2016-08-01';\nSELECT @start = MIN(c.startDate) FROM Calendar c WHERE c.endYear = 2026;\n", True),
])
def test_a_date_bound_held_by_a_variable_the_script_sets_once_keeps_what_its_value_keeps(scoped, script, expected):
    assert scoped(script + "SELECT a.personID FROM Attendance a WHERE a.date >= @start\n", "Attendance") is expected


_READ = "SELECT a.personID FROM Attendance a WHERE a.date >= @start;\n"


@pytest.mark.parametrize("script, expected", [
    # set in an IF's branch, it holds its value in the rest of that branch, nested IFs too
    ("IF DATEPART(month, GETDATE()) > 7\nBEGIN\n  DECLARE @start date = '2016-08-01';\n  " + _READ + "END\n", False),
    ("IF DATEPART(month, GETDATE()) > 7\nBEGIN\n  DECLARE @start date = '2016-08-01';\n  IF @@ROWCOUNT = 0\n    " + _READ
     + "END\n", False),
    ("IF DATEPART(month, GETDATE()) > 7\nBEGIN\n  DECLARE @start date = '2025-08-01';\n  " + _READ + "END\n", True),
    # past the branch, or in its ELSE, the DECLARE may not have run: @start may be NULL
    ("IF DATEPART(month, GETDATE()) > 7\nBEGIN\n  DECLARE @start date = '2016-08-01';\nEND\n" + _READ, True),
    ("IF DATEPART(month, GETDATE()) > 7\nBEGIN\n  DECLARE @start date = '2016-08-01';\nEND\nELSE\nBEGIN\n  " + _READ
     + "END\n", True),
    # set in a loop's body or a CATCH, it is not read as one value
    ("DECLARE @i int = 0;\nWHILE @i < 2\nBEGIN\n  DECLARE @start date = '2016-08-01';\n  " + _READ + "  SET @i += 1;\nEND\n",
     True),
])
def test_a_variable_set_in_an_if_branch_holds_its_value_in_that_branch_only(scoped, script, expected):
    assert scoped(script, "Attendance") is expected


def test_a_bound_held_by_a_variable_is_quoted_with_the_value_the_script_gives_it(check):
    (hit,) = found(check, "DECLARE @start date = '2016-08-01';\nSELECT a.personID FROM Attendance a WHERE a.date >= @start\n",
                   "SC001")
    assert hit.message == ("Attendance (15.0M rows) is read for every school year: a.date >= @start (@start is "
                           "'2016-08-01', as the script sets it) reaches back 11 school years, all of its history.")
    (fixed,) = found(check, "DECLARE @start date = '2022-08-01';\nSELECT a.personID FROM Attendance a WHERE a.date >= @start\n",
                     "SC001")
    assert fixed.message.startswith("Attendance (15.0M rows) is limited only by a fixed start (a.date >= @start; @start is "
                                    "'2022-08-01', as the script sets it), which keeps")


@pytest.mark.parametrize("option, script", [
    ("OPTION (MAXRECURSION 400)", "DECLARE @start date = '2025-08-20', @end date = '2026-06-05';\n"),
    ("OPTION (MAXRECURSION 0)", "DECLARE @start date = '2025-08-20';\nDECLARE @end date = '2026-06-05';\n"),
])
def test_a_recursive_cte_that_lists_the_days_between_variables_set_once_limits_what_joins_them(scoped, option, script):
    sql = (script + "WITH days AS (SELECT @start AS d UNION ALL SELECT DATEADD(day, 1, d) FROM days WHERE d < @end) "
           f"SELECT a.personID FROM days JOIN Attendance a ON a.date = days.d {option}")
    assert scoped(sql, "Attendance") is True
    assert scoped(sql.replace("'2025-08-20'", "'2021-08-20'"), "Attendance") is False  # five years of days


@pytest.mark.parametrize("values", [
    "WITH params AS (SELECT 2026 AS endYear) SELECT a.personID FROM params p",
    "WITH params AS (SELECT 2025 AS endYear UNION ALL SELECT 2026) SELECT a.personID FROM params p",
    "DECLARE @y int = 2026;\nWITH params AS (SELECT @y AS endYear) SELECT a.personID FROM params p",
    "SELECT a.personID FROM (SELECT 2026 AS endYear) p",
    "SELECT a.personID FROM (VALUES (2025), (2026)) p(endYear)",
])
def test_a_table_of_values_written_out_limits_what_joins_it(scoped, values):
    """A CTE or derived table that reads nothing holds a row for each of its SELECTs, as a VALUES
    list does: the year it gives limits the calendars joined to it, and their attendance."""
    sql = values + " JOIN Calendar c ON c.endYear = p.endYear JOIN Attendance a ON a.calendarID = c.calendarID"
    assert scoped(sql, "Attendance") is True
    assert scoped(sql.replace("c.endYear = p.endYear", "c.endYear >= p.endYear - 20"), "Attendance") is False


@pytest.mark.parametrize("group, on, expected", [
    ("GROUP BY a.status", "", True),
    ("GROUP BY ALL a.status", "", False),  # a group for every status of every year: all of them are read
    ("GROUP BY ALL a.status", " AND c.endYear = 2026", True),  # the join's ON still limits the rows
])
def test_the_where_of_a_group_by_all_limits_no_rows(scoped, group, on, expected):
    sql = (f"SELECT a.status, COUNT(*) FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID{on} "
           f"WHERE c.endYear = 2026 AND a.date >= '2025-08-01' {group}")
    assert scoped(sql, "Attendance") is expected


@pytest.mark.parametrize("sql, carried", [
    # Calendar is read for every year, and would limit Enrollment through calendarID: one cause
    ("SELECT e.personID FROM Calendar c JOIN Enrollment e ON e.calendarID = c.calendarID", "Calendar c"),
    ("SELECT e.personID FROM Calendar c JOIN Enrollment e ON e.calendarID = c.calendarID WHERE c.endYear = 2026", None),
    # a person's rows of every year match: the personID sentence says so, not this one
    ("SELECT rp.personID2 FROM Contact ct JOIN RelatedPair rp ON rp.personID2 = ct.personID", None),
])
def test_an_unscoped_table_joined_on_a_limiting_column_to_an_unlimited_smaller_one_says_so(check, sql, carried):
    scope = {f.objects[-1]: f.message for f in check(sql + "\n").findings if f.rule == "SC001"}
    joined = [message for message in scope.values() if " would carry " in message]
    if carried is None:
        assert not joined
    else:
        (message,) = joined  # on Enrollment's: Calendar is too small for a finding of its own
        assert message.endswith(f"Its join on calendarID to {carried} would carry Calendar's limit, but Calendar is not "
                                "limited either.")


def test_a_view_whose_columns_do_not_reach_what_it_reads_for_every_year_is_not_given_them_to_limit(check):
    """A district view that joins every year's homeroom rosters to the students on personID: its
    calendarID is the students', and limiting it leaves the rosters as they are."""
    sql = ("CREATE VIEW dbo.dist_Homerooms AS\n"
           "SELECT s.personID, s.calendarID, s.schoolID, se.teacherPersonID FROM v_AdHocStudent s\n"
           "JOIN Roster r ON r.personID = s.personID JOIN Section se ON se.sectionID = r.sectionID "
           "AND se.homeroomSection = 1\nGO\n"
           "SELECT d.personID, d.teacherPersonID FROM dbo.dist_Homerooms d WHERE d.calendarID = 12\n")
    (unlimited,) = [f for f in check(sql).findings if f.rule == "SC001" and f.span.line == 5]
    assert unlimited.message.startswith("dist_Homerooms reads Roster (2.0M rows) and Section (126k rows) for every")
    assert unlimited.remediation.startswith("No column dist_Homerooms d returns limits Roster and Section: the view "
                                            "joins them to its other tables only on columns that carry no year.")
    (attendance,) = found(check, "SELECT ad.personID FROM v_AttendanceDetail ad\n", "SC001")
    assert "ad.endYear = @endYear" in attendance.remediation  # its endYear is Calendar's, joined to Attendance
    # a view that returns no column with a year, calendar, school or date: no Calendar to join it to
    names_only = ("CREATE VIEW dbo.dist_Names AS\nSELECT s.personID, s.lastName FROM student s WITH (NOEXPAND)\nGO\n"
                  "SELECT n.lastName FROM dbo.dist_Names n\n")
    (unlimited,) = [f for f in check(names_only).findings if f.rule == "SC001" and f.span.line == 4]
    assert unlimited.remediation == ("No column dist_Names n returns limits student: it returns none that carries a "
                                     "year, calendar, school or date. Limit it inside the view, or read the tables the "
                                     "query needs directly.")
    # v_AdHocStudent reads student WITH (NOEXPAND), one node: its endYear, from student's Enrollment, limits it
    (students,) = found(check, "SELECT s.lastName FROM v_AdHocStudent s\n", "SC001")
    assert students.remediation.startswith("Limit v_AdHocStudent s to the school year you need, e.g. s.endYear = @endYear")
    # a grouped view's GROUP BY columns are filtered before it groups: its endYear is Calendar's
    (days,) = found(check, "SELECT x.personID FROM v_AttDayDetail_Federal x\n", "SC001")
    assert days.remediation.startswith("Limit v_AttDayDetail_Federal x to the school year you need, e.g. x.endYear = @endYear")
    assert not found(check, "SELECT x.personID FROM v_AttDayDetail_Federal x WHERE x.endYear = 2026\n", "SC001")


def test_an_unscoped_group_by_all_says_why_its_where_does_not_limit(check):
    report = check("SELECT a.status, COUNT(*) AS marks FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
                   "WHERE c.endYear = 2026 GROUP BY ALL a.status\n")
    (unscoped,) = [f for f in report.findings if f.rule == "SC001"]
    assert "Under GROUP BY ALL its WHERE does not limit the rows read" in unscoped.message
    assert unscoped.remediation.startswith("Write GROUP BY without ALL")


@pytest.mark.parametrize("sql, advice, fixed", [
    ("SELECT s.studentNumber, a.date FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID "
     "WHERE s.endYear = 2026",
     "Join Attendance a on the calendar too, where it joins student s: AND a.calendarID = s.calendarID. student s is "
     "limited to the school year",
     "SELECT s.studentNumber, a.date FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID "
     "AND a.calendarID = s.calendarID WHERE s.endYear = 2026"),
    ("SELECT s.studentNumber, x.lastDay FROM student s WITH (NOEXPAND) CROSS APPLY (SELECT MAX(a.date) AS lastDay "
     "FROM Attendance a WHERE a.personID = s.personID) x WHERE s.endYear = 2026",
     "Match Attendance a's calendar to the outer row's, in the subquery: AND a.calendarID = s.calendarID.",
     "SELECT s.studentNumber, x.lastDay FROM student s WITH (NOEXPAND) CROSS APPLY (SELECT MAX(a.date) AS lastDay "
     "FROM Attendance a WHERE a.personID = s.personID AND a.calendarID = s.calendarID) x WHERE s.endYear = 2026"),
    ("SELECT e.personID, a.date FROM Enrollment e JOIN Attendance a ON a.personID = e.personID WHERE e.calendarID = 812",
     "Join Attendance a on the calendar too, where it joins Enrollment e: AND a.calendarID = e.calendarID. Enrollment e "
     "is limited to a calendar",
     "SELECT e.personID, a.date FROM Enrollment e JOIN Attendance a ON a.personID = e.personID "
     "AND a.calendarID = e.calendarID WHERE e.calendarID = 812"),
    # AND binds tighter than OR: added after the OR as it stands, it would limit its last branch only
    ("SELECT s.studentNumber, a.date FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID "
     "OR a.modifiedByID = s.personID WHERE s.endYear = 2026",
     "Join Attendance a on the calendar too, where it joins student s: put the ON's condition in parentheses, then add "
     "AND a.calendarID = s.calendarID.",
     "SELECT s.studentNumber, a.date FROM student s WITH (NOEXPAND) JOIN Attendance a ON (a.personID = s.personID "
     "OR a.modifiedByID = s.personID) AND a.calendarID = s.calendarID WHERE s.endYear = 2026"),
    ("SELECT a.personID FROM Attendance a WHERE a.status = 'A'",
     "Limit Attendance a to the calendar you need, e.g. a.calendarID = @calendarID", None),
])
def test_an_unlimited_table_is_told_to_match_the_calendar_of_what_the_query_limits(check, sql, advice, fixed):
    """Joined on personID to this year's students, Attendance is read for every year: matching the
    students' calendars limits it, and the fix as written leaves nothing for SC001 to say."""
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "SC001"]
    assert hit.remediation.startswith(advice)
    if fixed is not None:
        assert not [f for f in check(fixed + "\n").findings if f.rule == "SC001"]


def test_a_table_meant_for_another_year_is_not_told_to_match_the_calendar_of_this_one(check):
    """Last year's students who left: e26 is meant for 2026 (its Calendar says so, in a LEFT JOIN
    that does not limit it), e25 is 2025's. Matching e25's calendar would make e26 the 2025 row
    itself, and repeating the join to c26 that e26 has already is no fix either."""
    sql = ("SELECT e25.personID FROM Enrollment e25\n"
           "JOIN Calendar c25 ON c25.calendarID = e25.calendarID AND c25.endYear = 2025\n"
           "LEFT JOIN Enrollment e26 ON e26.personID = e25.personID\n"
           "LEFT JOIN Calendar c26 ON c26.calendarID = e26.calendarID AND c26.endYear = 2026\n"
           "WHERE c26.calendarID IS NULL\n")
    (hit,) = [f for f in check(sql).findings if f.rule == "SC001"]
    assert hit.remediation.startswith("Limit Enrollment e26 to the school year you need, e.g. e26.endYear = @endYear")
    same_year = sql.replace("2025", "2026").replace("LEFT JOIN Calendar c26 ON c26.calendarID = e26.calendarID AND "
                                                    "c26.endYear = 2026\nWHERE c26.calendarID IS NULL\n", "")
    (hit,) = [f for f in check(same_year).findings if f.rule == "SC001"]
    assert hit.remediation.startswith("Join Enrollment e26 on the calendar too, where it joins Enrollment e25")


MERGE = ("MERGE dbo.StagingEnrollment AS t USING {source} AS s ON t.enrollmentID = s.enrollmentID "
         "WHEN MATCHED AND t.grade <> s.grade THEN UPDATE SET t.grade = s.grade "
         "WHEN NOT MATCHED THEN INSERT (enrollmentID, grade) VALUES (s.enrollmentID, s.grade) "
         "OUTPUT $action, inserted.enrollmentID;")


@pytest.mark.parametrize("source, expected", [
    ("Enrollment", False),  # every year's enrollments, merged into the district's table
    ("(SELECT e.enrollmentID, e.grade FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
     "WHERE c.endYear = 2026)", True),
])
def test_a_merge_reads_its_source_as_a_select_would(scoped, source, expected):
    assert scoped(MERGE.format(source=source), "Enrollment") is expected


def test_a_merge_names_only_what_it_reads(check):
    """Its target is read (CL004 where the catalog lacks it); the INSERT's column list names the
    target's columns and OUTPUT the rows changed, which are no columns of what it reads."""
    found = check("-- Author: Dana Whitfield\n" + MERGE.format(source="Enrollment"))
    assert sorted(f.rule for f in found.findings) == ["CL004", "SC001"]
    (unknown,) = [f for f in found.findings if f.rule == "CL004"]
    assert unknown.message.startswith("StagingEnrollment is not a table or view")
    # ON 1 = 0 meets no row: every source row is inserted, and the target is only written
    inserted = check("-- Author: Dana Whitfield\nMERGE dbo.StagingEnrollment AS t USING (SELECT e.enrollmentID FROM "
                     "Enrollment e WHERE e.calendarID = 5) AS s ON 1 = 0 WHEN NOT MATCHED THEN INSERT (enrollmentID) "
                     "VALUES (s.enrollmentID);")
    assert inserted.findings == [] and inserted.risk.risk.estimated_seconds < 0.1


def test_a_fixed_start_is_named_only_for_the_tables_it_reaches(check):
    """e.startDate >= 2025 is Enrollment's limit, and the Calendar's start is Attendance's through
    calendarID; a join on personID passes neither to Roster."""
    found = check("SELECT r.sectionID FROM Enrollment e JOIN Roster r ON r.personID = e.personID "
                  "WHERE YEAR(e.startDate) >= 2025\n").findings
    messages = {f.message.split(" ")[0]: f.message for f in found if f.rule == "SC001"}
    assert messages["Enrollment"].startswith("Enrollment (300k rows) is limited only by a fixed start (YEAR(e.startDate) >= 2025)")
    assert messages["Roster"].startswith("Roster (2.0M rows) is read for every school year: nothing limits it")
    (through_calendar,) = [f.message for f in check("SELECT a.date FROM Attendance a JOIN Calendar c ON c.calendarID = "
                                                     "a.calendarID WHERE c.startDate >= '20200101'\n").findings if f.rule == "SC001"]
    assert through_calendar.startswith("Attendance (15.0M rows) is limited only by a fixed start (c.startDate >= '20200101')")


@pytest.mark.parametrize("test", [
    "EXISTS (SELECT 1 FROM RelatedPair rp WHERE rp.personID1 = s.personID AND rp.guardian = 1)",
    "s.personID IN (SELECT rp.personID1 FROM RelatedPair rp WHERE rp.guardian = 1)",
    "NOT EXISTS (SELECT 1 FROM RelatedPair rp WHERE rp.personID1 = s.personID AND rp.guardian = 1)",
    "s.personID NOT IN (SELECT rp.personID1 FROM RelatedPair rp WHERE rp.guardian = 1)",
])
def test_the_outer_rows_limit_what_an_in_or_exists_subquery_matches_them_with(reaches, test):
    """Only the relationships of this year's students count, however the test is written: the
    relationships are kept per person, and the students are the limit they need."""
    (reach,) = reaches(f"SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND {test}",
                       "RelatedPair")
    assert reach.scoped


@pytest.mark.parametrize("test", [
    "s.personID IN (SELECT a.personID FROM Attendance a WHERE a.status = 'A')",
    "s.personID NOT IN (SELECT a.personID FROM Attendance a WHERE a.status = 'A')",
])
def test_students_do_not_limit_a_history_table_to_a_year(scoped, test):
    """Every year's absences of this year's students: a person's rows are not a year's."""
    assert not scoped(f"SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND {test}", "Attendance")


@pytest.mark.parametrize("sql, expected", [
    # the names a derived table's or CTE's alias lists stand for its query's columns, by place
    ("SELECT d.pid FROM (SELECT a.personID, a.calendarID FROM Attendance a) d (pid, cal) WHERE d.cal = 5", True),
    ("WITH k (pid, cal) AS (SELECT a.personID, a.calendarID FROM Attendance a) SELECT k.pid FROM k WHERE k.cal = 5", True),
    ("WITH k (pid, cal, n) AS (SELECT a.personID, a.calendarID, COUNT(*) FROM Attendance a "
     "GROUP BY a.personID, a.calendarID) SELECT k.pid, k.n FROM k WHERE k.cal = 5", True),
    ("SELECT u.pid FROM (SELECT a.personID, a.calendarID FROM Attendance a UNION ALL "
     "SELECT a.personID, a.calendarID FROM Attendance a) u (pid, cal) WHERE u.cal = 5", True),
    ("WITH k (pid, cal) AS (SELECT a.personID, a.calendarID FROM Attendance a) SELECT k.pid FROM k WHERE k.pid = 5", True),
    ("WITH k (pid, cal) AS (SELECT a.personID, a.calendarID FROM Attendance a) SELECT k.pid FROM k", False),
])
def test_scope_reaches_through_the_names_an_alias_lists(scoped, sql, expected):
    assert scoped(sql, "Attendance") is expected


def test_scope_reaches_through_the_names_a_view_s_definition_lists(catalog, check):
    script = ("CREATE VIEW dbo.v_att (pid, cal) AS SELECT a.personID, a.calendarID FROM Attendance a\nGO\n"
              "SELECT v.pid FROM v_att v WHERE v.cal = 5\n")

    def attendance_scoped(text: str) -> list[bool]:
        *_, select = analyse(read_script(text), catalog, ViewLibrary(catalog))
        return [r.scoped for r in select.reaches if r.table.name == "Attendance"]

    assert attendance_scoped(script) == [True]
    assert attendance_scoped(script.replace(" WHERE v.cal = 5", "")) == [False]
    assert found(check, script, "CL004") == [] and found(check, script, "CL003") == []  # the view the script made


def test_a_left_join_s_is_null_test_keeps_the_rows_that_found_none_and_limits_nothing_it_reads(check):
    """Students with no classes: LEFT JOIN Roster r ON r.personID = s.personID ... WHERE r.rosterID
    IS NULL asks whether the student has a roster row in any year, as NOT EXISTS on personID alone
    does. The IS NULL limits no Roster row read: each student's every year is."""
    sql = ("SELECT s.personID FROM student s\nLEFT JOIN Roster r ON r.personID = s.personID\n"
           "WHERE s.calendarID = 2 AND r.rosterID IS NULL\n")
    (hit,) = [f for f in check(sql).findings if f.rule == "SC001"]
    assert hit.objects == ("Roster",) and hit.message.endswith(
        "A join on personID does not: it matches every year of each person's rows. r.rosterID IS NULL keeps the rows that "
        "found no Roster row of the person in any year: a student whose Roster rows are all from earlier years is left "
        "out too.")
    # student 1 has this year's classes (trial 20, calendar 2), student 2 only last year's (trial 10)
    database = sqlite_with({
        "student": ("personID int, calendarID int", [(1, 2), (2, 2), (3, 2)]),
        "Roster": ("rosterID int, personID int, trialID int", [(100, 1, 20), (101, 2, 10)]),
        "Trial": ("trialID int, calendarID int", [(10, 1), (20, 2)]),
    })
    assert sqlite_rows(database, sql) == [(3,)]  # student 2, with no class this year, is missing
    this_year = sql.replace("r.personID = s.personID", "r.personID = s.personID AND r.trialID IN (SELECT t.trialID "
                            "FROM Trial t WHERE t.calendarID = s.calendarID)")
    assert not [f for f in check(this_year).findings if f.rule == "SC001"]
    assert sqlite_rows(database, this_year) == [(2,), (3,)]
