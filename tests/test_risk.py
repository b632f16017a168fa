"""Timeout risk through the whole pipeline: plans chosen as SQL Server would, drivers in plain
words, growth year by year, and the risk findings."""

from dataclasses import replace
from itertools import pairwise

import pytest
from corpus import sample_files
from engines import sqlite_rows, sqlite_with

from advisor.catalog.load import load_bundled
from advisor.pipeline import Checker
from advisor.risk import Settings, cost
from advisor.sources import Source
from advisor.words import count, row_count

ALL_ATTENDANCE = "SELECT a.personID, a.date, a.status FROM Attendance a\n"
THIS_YEAR = (
    "SELECT a.personID, a.date, a.status FROM Attendance a\n"
    "JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026\n"
)


def risk_of(check, sql: str):
    statements = check(sql).risk.statements
    assert len(statements) == 1
    return statements[0].risk


def checker(timeout: float = 600, students: int | None = None) -> Checker:
    catalog = load_bundled()
    return Checker(catalog.sized_for(students) if students else catalog, Settings(timeout, every_year=True))


def risk_with(sql: str, **options):
    return checker(**options).check(Source("q.sql", sql.encode())).risk.statements[0].risk


def test_a_whole_history_table_read_is_named_as_the_driver(check):
    risk = risk_of(check, ALL_ATTENDANCE)
    assert risk.drivers[0] == "reads all 15.0M Attendance rows: no year or calendar limit"


def test_top_without_order_by_over_one_table_stops_at_its_rows(check):
    """SSMS's Select Top 1000 Rows: SQL Server reads until it has the rows, not the whole table."""
    risk = risk_of(check, "SELECT TOP (1000) a.attendanceID, a.personID FROM Attendance a\n")
    assert risk.drivers == ("stops at the first 1,000 rows of Attendance it finds (TOP without ORDER BY)",)
    assert risk.rows == 1000 and risk.estimated_seconds < 0.01
    # to sort, it reads them all first
    ordered = risk_of(check, "SELECT TOP (1000) a.attendanceID FROM Attendance a ORDER BY a.date\n")
    assert ordered.drivers[0] == "sorts 15.0M rows for ORDER BY" and ordered.estimated_seconds > 1


def test_one_students_rows_are_sought_through_the_person_index(check):
    risk = risk_of(check, "SELECT a.date FROM Attendance a WHERE a.personID = 12345\n")
    assert "through IX_Attendance_person" in risk.drivers[0]
    assert risk.estimated_seconds < 0.1


def test_the_join_order_may_start_from_an_input_that_is_not_the_smallest(check):
    """Yesterday's attendance is the fewest rows but takes a scan to find (no index leads with
    the date); starting from this year's students, each one's rows are sought instead."""
    risk = risk_of(check, "SELECT s.studentNumber, pd.name, a.status FROM student s WITH (NOEXPAND)\n"
                          "JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID\n"
                          "JOIN Period pd ON pd.periodID = a.periodID\n"
                          "WHERE s.endYear = 2026 AND a.date = '2026-03-02'\n")
    assert risk.drivers[0].startswith("looks up Attendance once for each of")
    assert not any("reads all 15.0M Attendance rows" in driver for driver in risk.drivers)


def test_a_seek_tests_the_clustered_key_its_index_carries_before_it_looks_rows_up(check):
    """A school's students joined to their marks of the year: the person index's rows carry the
    clustered key, calendarID among it, so each student's marks of other years are dropped in the
    index and only this year's are looked up for their status. Joined on personID alone, every
    year's marks would be looked up: all of Attendance is hashed instead."""
    sql = ("SELECT DISTINCT s.studentNumber FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID{}\n"
           "WHERE s.endYear = 2026 AND s.schoolID = 12 AND a.status = 'A'\n")
    year = risk_of(check, sql.format(" AND a.calendarID = s.calendarID"))
    assert year.drivers[0] == "looks up Attendance once for each of 2,259 rows"
    every = risk_of(check, sql.format(""))
    assert every.drivers[0] == "reads all 15.0M Attendance rows: no year or calendar limit"
    assert year.cost < every.cost / 3


def test_the_join_order_does_not_start_from_a_small_table_nothing_limits(check):
    """v_SectionSchedule's Calendar is the smallest input, but nothing limits it: started there, the
    whole view is built before the school's students are reached. Started from the students,
    their current roster rows are joined to the view's tables: the cheaper plan, as SQL Server
    would find it."""
    risk = risk_of(check, "SELECT s.studentNumber, ss.courseNumber, ss.periodName FROM student s WITH (NOEXPAND)\n"
                          "JOIN Roster r ON r.personID = s.personID JOIN v_SectionSchedule ss ON ss.sectionID = r.sectionID\n"
                          "WHERE s.endYear = 2026 AND s.schoolID = 12 AND (r.endDate IS NULL OR r.endDate >= GETDATE())\n")
    assert "joins 15k rows to 378k rows of SectionPlacement (in v_SectionSchedule)" in risk.drivers
    assert not any("Calendar" in driver or "rows of student" in driver for driver in risk.drivers)


def test_an_index_hint_that_cannot_seek_reads_the_whole_index_and_looks_up_every_row(check):
    """The hint keeps SQL Server from the year index: every row of the person index is read, and
    each looked up for its endYear."""
    sql = "SELECT e.personID FROM Enrollment e{} WHERE e.endYear = 2027\n"
    free, forced = risk_of(check, sql.format("")), risk_of(check, sql.format(" WITH (INDEX(IX_Enrollment_personID))"))
    assert forced.drivers[0] == ("reads all 300k Enrollment rows through IX_Enrollment_personID, as its INDEX hint "
                                 "forces, and looks up 300k rows in the table")
    assert forced.cost > 2 * free.cost and forced.rows == free.rows


def test_an_index_hint_is_followed_where_it_seeks_and_index_0_scans_the_table(check):
    sql = "SELECT a.date FROM Attendance a WITH ({}) WHERE a.personID = 12345\n"
    assert risk_of(check, sql.format("INDEX(IX_Attendance_person)")).drivers[0].endswith("through IX_Attendance_person")
    scanned = risk_of(check, sql.format("INDEX(0)"))
    assert scanned.drivers[0].startswith("reads all 15.0M Attendance rows")


def test_an_index_hint_keeps_a_join_from_seeking_through_other_indexes(check):
    """One student's attendance, sought through the person index; the clustered index, which leads
    with calendarID, can only be read whole."""
    sql = "SELECT a.status FROM Person p JOIN Attendance a{} ON a.personID = p.personID WHERE p.studentNumber = '12345'\n"
    free = risk_of(check, sql.format(""))
    assert free.drivers == ("looks up Attendance once for each of 1 row",)
    for hint in ("INDEX(0)", "INDEX(IX_Attendance_calendar)"):
        forced = risk_of(check, sql.format(f" WITH ({hint})"))
        assert forced.drivers[0].startswith("reads all 15.0M Attendance rows")
        assert forced.cost > 100 * free.cost


@pytest.mark.parametrize("on", ["rp.personID1 = s.personID OR rp.personID2 = s.personID",
                                "s.personID IN (rp.personID1, rp.personID2)"])
def test_an_or_of_equalities_joins_by_seeks_on_each_branch_or_tests_every_pair(check, on):
    """ON rp.personID1 = s.personID OR rp.personID2 = s.personID: no hash join can take it, but
    SQL Server seeks RelatedPair once for each branch, through its index on each column. Where
    one branch has no index (UserAccount's username), every pair is tested. Either way the join
    keeps the pairs of one branch or the other, not every pair."""
    either = risk_of(check, f"SELECT s.studentNumber, rp.name FROM student s WITH (NOEXPAND) JOIN RelatedPair rp "
                            f"ON {on} WHERE s.endYear = 2026\n")
    one = risk_of(check, "SELECT s.studentNumber, rp.name FROM student s WITH (NOEXPAND) JOIN RelatedPair rp "
                         "ON rp.personID1 = s.personID WHERE s.endYear = 2026\n")
    assert either.drivers[0] == "looks up RelatedPair once for each of 30k rows"
    assert one.rows < either.rows <= 2 * one.rows and either.cost < 3 * one.cost
    unindexed = risk_of(check, "SELECT p.personID FROM Person p JOIN UserAccount ua ON ua.personID = p.personID "
                               "OR ua.username = p.studentNumber WHERE p.stateID = '1234'\n")
    assert unindexed.drivers[1] == ("pairs every one of 1 row with every one of 50k rows: only an OR of equalities joins "
                                    "them, and no index seeks every branch of it")


def test_an_or_of_equalities_with_arithmetic_on_one_side_keeps_the_pairs_it_matches(check):
    """A branch that computes one side from one table's column (e.calendarID + 1000) is read as a
    join of one equality with it is: the OR was taken for no join at all, every pair of the two
    tables, 16.5M rows and RK002 for a query of 30k."""
    sql = ("SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
           "OR c.calendarID = e.calendarID + 1000 WHERE c.endYear = 2027\n")
    either = risk_of(check, sql)
    one = risk_of(check, sql.replace(" OR c.calendarID = e.calendarID + 1000", ""))
    assert one.rows <= either.rows <= 2 * one.rows
    assert not any("every one of" in driver for driver in either.drivers)


def test_a_join_to_a_value_computed_from_two_tables_seeks_once_both_are_joined(check):
    """p.personID = COALESCE(ct.personID, s.personID): SQL Server computes the value from the
    joined rows and seeks Person's key with it, one row each, as for a plain join."""
    sql = ("SELECT s.personID, p.studentNumber FROM student s WITH (NOEXPAND) LEFT JOIN Contact ct ON ct.personID = "
           "s.personID JOIN Person p ON p.personID = {} WHERE s.endYear = 2026\n")
    computed = risk_of(check, sql.format("COALESCE(ct.personID, s.personID)"))
    plain = risk_of(check, sql.format("s.personID"))
    assert not any(driver.startswith("pairs every one") for driver in computed.drivers)
    assert computed.rows == pytest.approx(plain.rows, rel=0.5) and computed.cost < 2 * plain.cost


def test_a_left_join_to_a_parenthesized_join_keeps_each_row_and_is_joined_as_a_pair(check):
    """LEFT JOIN (Roster r JOIN SectionPlacement sp ON ...) ON ...: each attendance mark finds its
    section or keeps a row of NULLs, so the year's marks come out once each; SectionPlacement is as
    optional as Roster, not an inner join that drops the marks with no section."""
    nested = ("SELECT a.personID, a.date, sp.sectionID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
              "LEFT JOIN (Roster r JOIN SectionPlacement sp ON sp.sectionID = r.sectionID AND sp.trialID = r.trialID) "
              "ON r.personID = a.personID AND sp.periodID = a.periodID AND r.startDate <= a.date "
              "AND (r.endDate IS NULL OR r.endDate >= a.date) WHERE c.endYear = 2026\n")
    marks = risk_of(check, "SELECT a.personID, a.date FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
                           "WHERE c.endYear = 2026\n")
    assert risk_of(check, nested).rows == pytest.approx(marks.rows, rel=0.05)


def test_a_parenthesized_join_is_run_for_each_of_a_few_rows(check):
    """One student's attendance through v_AttendanceDetail, whose LEFT JOIN (Roster r JOIN
    SectionPlacement sp ...) ON r.personID = a.personID: SQL Server seeks the student's roster
    rows, then their placements, for each mark, rather than join all 2.0M roster rows first. A
    year's marks are many: the pair is joined whole, once."""
    one = risk_of(check, "SELECT d.date, d.courseName, d.status FROM v_AttendanceDetail d WHERE d.personID = 12345\n")
    assert one.drivers[0] == ("runs the join of Roster and SectionPlacement (in v_AttendanceDetail) once for each of "
                              "150 rows")
    assert not any("2.0M" in driver for driver in one.drivers) and one.estimated_seconds < 0.5
    year = risk_of(check, "SELECT d.date, d.courseName, d.status FROM v_AttendanceDetail d WHERE d.endYear = 2026\n")
    assert not any(driver.startswith("runs the join of") for driver in year.drivers)
    assert any("of Roster (in v_AttendanceDetail)" in driver for driver in year.drivers)


def test_an_index_hint_naming_no_index_the_catalog_knows_leaves_the_estimate_alone(check):
    sql = "SELECT e.personID FROM Enrollment e{} WHERE e.endYear = 2027\n"
    assert risk_of(check, sql.format(" WITH (INDEX(IX_Enrollment_person))")) == risk_of(check, sql.format(""))


def test_tables_joined_only_by_ranges_test_every_pair_and_keep_some(check):
    """A term's attendance by its dates: nested loops compare every pair, as for a cross join, but
    the ranges keep only some of the pairs."""
    sql = "SELECT a.personID, t.name FROM Attendance a {} WHERE a.calendarID = 5 AND t.termScheduleID = 3\n"
    ranged = risk_of(check, sql.format("JOIN Term t ON a.date >= t.startDate AND a.date <= t.endDate"))
    crossed = risk_of(check, sql.format("CROSS JOIN Term t"))
    assert ranged.drivers[1] == ("pairs every one of 4 rows with every one of 27k rows: only ranges join them (<, >, "
                                 "BETWEEN), which test every pair")
    assert crossed.drivers[1] == "pairs every one of 4 rows with every one of 27k rows: nothing joins them"
    assert ranged.rows < crossed.rows / 5 and ranged.cost == pytest.approx(crossed.cost, rel=0.01)


def test_an_open_span_s_end_compared_alone_keeps_only_the_spans_whose_end_is_written(check):
    """Enrollment's endDate is NULL while the enrollment is open (PR011): endDate >= GETDATE()
    leaves this year's open enrollments out, and keeps the tenth (a guess) dated ahead; with IS NULL
    OR, or through ISNULL, which gives the open ones a date, it keeps the year."""
    sql = "SELECT e.personID, e.grade FROM Enrollment e WHERE e.endYear = 2026 AND {}\n"
    alone = risk_of(check, sql.format("e.endDate >= GETDATE()"))
    for kept in ("(e.endDate IS NULL OR e.endDate >= GETDATE())", "ISNULL(e.endDate, '2099-12-31') >= GETDATE()",
                 "e.endDate IS NULL"):
        assert risk_of(check, sql.format(kept)).rows == pytest.approx(10 * alone.rows)


def test_branches_of_an_or_that_name_different_years_keep_the_rows_of_each(check):
    """Two ways to say this year keep its rows once; two years named keep both years' rows."""
    sql = "SELECT e.personID, e.grade FROM Enrollment e WHERE {}\n"
    one = risk_of(check, sql.format("e.endYear = 2026"))
    assert risk_of(check, sql.format("(e.endYear = 2026 OR e.endYear = 2026 AND e.noShow = 0)")).rows == pytest.approx(one.rows)
    both = risk_of(check, sql.format("(e.endYear = 2026 OR e.endYear = 2025)")).rows
    assert both == pytest.approx(risk_of(check, sql.format("e.endYear IN (2025, 2026)")).rows, rel=0.1)
    assert both > 1.8 * one.rows


@pytest.mark.parametrize("test", [
    "a.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026)",
    "EXISTS (SELECT 1 FROM Calendar c WHERE c.calendarID = a.calendarID AND c.endYear = 2026)",
])
def test_an_in_or_exists_in_a_branch_of_an_or_keeps_the_share_of_rows_it_matches(check, test):
    """A day's attendance or this year's: about a year's rows, not all 15M, which RK002 would take
    for more than the Query Wizard shows."""
    year = risk_of(check, "SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
                          "WHERE c.endYear = 2026\n").rows
    report = check(f"SELECT a.personID FROM Attendance a WHERE a.date = '2026-10-01' OR {test}\n")
    assert report.risk.statements[0].risk.rows == pytest.approx(year, rel=0.05)
    assert not [f for f in report.findings if f.rule == "RK002"]


def test_is_null_is_sought_through_an_index_on_the_column(check):
    risk = risk_of(check, "SELECT p.personID FROM Person p WHERE p.stateID IS NULL\n")
    assert risk.drivers[0].startswith("seeks ") and risk.drivers[0].endswith("Person rows through IX_Person_stateID")


def test_a_date_and_time_column_converted_to_date_is_sought_like_the_bare_column(check):
    """CAST(a.date AS date) keeps the seek on IX_Attendance_calendar (calendarID, date); DAY(a.date)
    leaves only the calendarID part of it."""
    sql = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {} = '2026-03-02'\n"
    bare, cast, hidden = (risk_of(check, sql.format(side)) for side in ("a.date", "CAST(a.date AS date)", "DAY(a.date)"))
    assert cast.cost == bare.cost < hidden.cost


def test_a_seek_keeps_at_least_one_row_as_sql_server_estimates(check):
    """One person's one attribute: the selectivities multiply to a hundredth of a row, but SQL
    Server's estimate never goes below one row, and the words count it as one."""
    risk = risk_of(check, "SELECT cs.value FROM CustomStudent cs WHERE cs.personID = 12345 AND cs.attributeID = 512\n")
    assert risk.rows == 1
    assert risk.drivers == ("seeks 1 CustomStudent row through IX_CustomStudent_person",)


def test_a_temp_table_is_read_at_the_size_its_filling_statements_estimate(check):
    """SQL Server has statistics on a temp table once it is filled: a later statement reads it at
    the rows SELECT ... INTO made, plus what each INSERT ... SELECT added; not at a fixed guess."""
    from advisor.words import row_count

    script = (
        "SELECT s.personID INTO #kids FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.activeYear = 1\n"
        "INSERT INTO #kids (personID) SELECT st.personID FROM Staff st\n"
        "SELECT COUNT(*) FROM #kids\n"
    )
    made, added, read = (statement.risk for statement in check(script).risk.statements)
    assert read.drivers == (f"totals {row_count(made.rows + added.rows)}",)
    assert made.rows > 1000


def test_a_temp_table_s_column_named_like_a_key_holds_no_more_values_than_that_table_has_rows(check):
    """#stu.schoolID holds schools: joining the students' rows to School on it keeps a row per
    student, as SQL Server's statistics on the filled temp table say; read as a column of
    distinct values it kept one row per school."""
    script = (
        "SELECT e.personID, c.schoolID INTO #stu FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID "
        "WHERE c.endYear = 2027\n"
        "SELECT st.personID, sch.number FROM #stu st JOIN School sch ON sch.schoolID = st.schoolID\n"
    )
    made, joined = (statement.risk for statement in check(script).risk.statements)
    assert made.rows > 1000
    assert joined.rows == pytest.approx(made.rows)


def test_a_join_through_a_column_of_unknown_values_keeps_the_rows_a_join_made(check):
    """Each attendance row joined to the student's relationships meets one Person row and, through
    its currentIdentityID, one Identity row: the rows stay as many. Read as a column of as many
    values as the 34M joined rows, currentIdentityID kept one row per Identity row."""
    related = ("SELECT a.personID, a.date, rp.personID2 FROM Attendance a "
               "JOIN RelatedPair rp ON rp.personID1 = a.personID\n")
    named = ("SELECT a.personID, a.date, cs.homePhone FROM Attendance a "
             "JOIN v_CensusContactSummary cs ON cs.personID = a.personID\n")
    assert risk_of(check, related).rows > 15_000_000  # some students have several related people
    assert risk_of(check, named).rows == pytest.approx(risk_of(check, related).rows)


def test_a_column_whose_values_are_not_known_holds_values_of_the_key_it_is_joined_to(check):
    """@v.cid is not named like a key: its values are taken to be Calendar's, as SQL Server's
    containment does, so each enrollment put in @v meets its Calendar row. Counted as all
    different, its 30,000 rows met 546 Calendar rows and kept 546."""
    script = ("DECLARE @v TABLE (pid int, cid int)\n"
              "INSERT INTO @v SELECT e.personID, e.calendarID FROM Enrollment e WHERE e.endYear = 2027\n"
              "SELECT v.pid, c.name FROM @v v JOIN Calendar c ON c.calendarID = v.cid\n")
    put, joined = (statement.risk for statement in check(script).risk.statements)
    assert put.rows > 1000 and joined.rows == pytest.approx(put.rows)
    # a section's teacherPersonID, which the catalog does not count either, meets one Person row
    teachers = "SELECT se.sectionID, tp.staffNumber FROM Section se JOIN Person tp ON tp.personID = se.teacherPersonID\n"
    sections = "SELECT se.sectionID FROM Section se\n"
    assert risk_of(check, teachers).rows == pytest.approx(risk_of(check, sections).rows)


def test_a_subquery_coalesce_runs_twice_is_costed_twice(check):
    """COALESCE((SELECT ...), 0) is CASE WHEN x IS NOT NULL THEN x ELSE 0 END: the subquery runs
    twice for each row (SH028), ISNULL once."""
    sql = ("SELECT s.personID, {}((SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID AND a.calendarID = "
           "s.calendarID), 0) FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027\n")
    coalesced, once = (check(sql.format(function)).risk.statements[0].risk for function in ("COALESCE", "ISNULL"))
    assert coalesced.drivers[0] == "runs a subquery on Attendance twice for each of 30k rows"
    assert not any("twice" in driver for driver in once.drivers)
    assert coalesced.cost == pytest.approx(2 * once.cost, rel=0.1)


COUNTED = "SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID AND a.status = 'A'"
GROUPED = "SELECT a.personID, COUNT(*) AS n FROM Attendance a WHERE a.status = 'A' GROUP BY a.personID"


def test_a_subquery_that_counts_is_grouped_when_it_is_computed_for_all_rows_at_once(check):
    """Decorrelated, COUNT(*) over each student's rows is a count for each personID: its rows are
    grouped, as in the derived table SH001's fix writes, which is then not estimated slower."""
    students = " FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026\n"
    correlated = risk_of(check, f"SELECT s.studentNumber, ({COUNTED}) AS n{students}")
    joined = risk_of(check, f"SELECT s.studentNumber, ISNULL(x.n, 0) AS n{students.split(' WHERE')[0]} "
                            f"LEFT JOIN ({GROUPED}) x ON x.personID = s.personID WHERE s.endYear = 2026\n")
    assert "groups 3.8M rows" in correlated.drivers and "groups 3.8M rows" in joined.drivers
    assert correlated.cost >= joined.cost


def test_a_grouped_derived_table_joined_on_what_it_groups_by_is_run_for_each_of_a_few_rows(check):
    """Each of a school's ninth graders' marks: SQL Server seeks each student's rows and counts
    them, as it would run a correlated subquery, rather than group all 15.0M first. A window's rows are
    numbered all at once (SC003 says the join cannot limit them)."""
    one = " FROM student s WITH (NOEXPAND) {} WHERE s.endYear = 2026 AND s.schoolID = 12 AND s.grade = '09'\n"
    every = GROUPED.replace(" WHERE a.status = 'A'", "")
    grouped = risk_of(check, "SELECT s.studentNumber, x.n" + one.format(f"LEFT JOIN ({every}) x ON x.personID = s.personID"))
    assert grouped.drivers[0].startswith("runs x on Attendance once for each of ")
    assert grouped.estimated_seconds < 1 and not any("15.0M" in driver for driver in grouped.drivers)
    ranked = ("LEFT JOIN (SELECT a.personID, a.date, ROW_NUMBER() OVER (PARTITION BY a.personID ORDER BY a.date DESC) AS rn "
              "FROM Attendance a) x ON x.personID = s.personID AND x.rn = 1")
    numbered = risk_of(check, "SELECT s.studentNumber, x.date" + one.format(ranked))
    assert "sorts 15.0M rows for a window function (OVER ...)" in numbered.drivers


def test_a_subquery_that_totals_the_rows_up_to_the_outer_rows_runs_for_each_row(check):
    """A running count compared with the outer row's date has a total for each row, not one for
    each personID: it cannot be grouped once and joined, and runs for every outer row. Its window
    function (SH001's fix) reads the rows once."""
    where = " FROM Attendance a WHERE a.status = 'A'\n"
    running = risk_of(check, "SELECT a.personID, (SELECT COUNT(*) FROM Attendance a2 WHERE a2.personID = a.personID "
                             f"AND a2.date <= a.date) AS n{where}")
    totalled = risk_of(check, "SELECT a.personID, (SELECT COUNT(*) FROM Attendance a2 WHERE a2.personID = a.personID) AS n"
                              + where)
    windowed = risk_of(check, "SELECT a.personID, COUNT(*) OVER (PARTITION BY a.personID ORDER BY a.date RANGE UNBOUNDED "
                              f"PRECEDING) AS n{where}")
    assert running.drivers[0] == "runs a subquery on Attendance once for each of 3.8M rows"
    assert "groups 15.0M rows" in totalled.drivers and not any("subquery" in driver for driver in totalled.drivers)
    assert running.cost > 10 * max(totalled.cost, windowed.cost)


@pytest.mark.parametrize("test", ["NOT EXISTS", "EXISTS"])
def test_an_exists_that_compares_by_a_range_too_is_joined_on_its_equalities(check, test):
    """NOT EXISTS (... e2.personID = e.personID AND e2.startDate > e.startDate), each person's
    latest enrollment: hashed on personID, with the dates of each person's few enrollments
    compared, it costs about twice what the join of Person and Enrollment costs. It was taken to
    seek Enrollment for each of its 300k rows, 16 s: PostgreSQL's hash anti join took 11 ms at
    2,000 students, where that estimate said 1.5 s."""
    joined = "SELECT p.studentNumber, e.grade FROM Person p JOIN Enrollment e ON e.personID = p.personID\n"
    latest = risk_of(check, f"{joined}WHERE {test} (SELECT 1 FROM Enrollment e2 WHERE e2.personID = e.personID "
                            "AND e2.startDate > e.startDate)\n")
    assert not any(driver.startswith("runs a subquery") for driver in latest.drivers)
    assert latest.cost < 3 * risk_of(check, joined).cost  # it reads Enrollment a second time, and hashes it


@pytest.mark.parametrize("test", [
    "EXISTS (SELECT 1 FROM Roster r WHERE r.personID = s.personID AND EXISTS (SELECT 1 FROM GradingScore gs "
    "WHERE gs.sectionID = r.sectionID AND {}))",
    "EXISTS (SELECT 1 FROM Roster r JOIN GradingScore gs ON gs.sectionID = r.sectionID WHERE r.personID = s.personID "
    "AND {})",
])
def test_an_exists_over_several_tables_runs_for_each_outer_row_as_the_same_join_does(check, test):
    """A school's 2,259 students with a failing grade in one of their classes: nested loops run
    the EXISTS for each student, seeking their rosters, then each roster's grades, as they run
    the join. It was taken to read all 2.0M rosters and all 15.0M grades and hash them, five times
    what the join costs, whether the grade's EXISTS was written inside the roster's or joined."""
    students = "SELECT {} s.personID FROM student s WITH (NOEXPAND) {} WHERE s.endYear = 2027 AND s.schoolID = 7"
    graded = "gs.personID = s.personID AND gs.calendarID = s.calendarID AND gs.score = 'F'"
    tested = risk_of(check, students.format("", "") + " AND " + test.format(graded))
    joined = risk_of(check, students.format("DISTINCT", "JOIN Roster r ON r.personID = s.personID JOIN GradingScore gs "
                                                        f"ON gs.sectionID = r.sectionID AND {graded}"))
    assert not any(driver.startswith("reads all") for driver in tested.drivers)
    assert tested.cost < 2 * joined.cost


_PEOPLE_ENROLLED = "SELECT p.personID, e.endYear FROM Person p JOIN Enrollment e ON e.personID = p.personID\n"
_LATEST = [
    "e.startDate = (SELECT MAX(e2.startDate) FROM Enrollment e2 WHERE e2.personID = p.personID)",
    "(SELECT MIN(e2.startDate) FROM Enrollment e2 WHERE e2.personID = e.personID) = e.startDate",
    "e.enrollmentID = (SELECT TOP 1 e2.enrollmentID FROM Enrollment e2 WHERE e2.personID = e.personID "
    "ORDER BY e2.startDate DESC, e2.enrollmentID DESC)",
    "NOT EXISTS (SELECT 1 FROM Enrollment e2 WHERE e2.personID = e.personID AND e2.startDate > e.startDate)",
]
_NOT_LATEST = [
    "e.startDate < (SELECT MAX(e2.startDate) FROM Enrollment e2 WHERE e2.personID = p.personID)",
    "e.endDate = (SELECT MAX(e2.startDate) FROM Enrollment e2 WHERE e2.personID = p.personID)",
    "e.startDate = (SELECT MAX(c.startDate) FROM Calendar c WHERE c.calendarID = e.calendarID)",
    "NOT EXISTS (SELECT 1 FROM Enrollment e2 WHERE e2.personID = e.personID AND e2.startDate >= e.startDate)",
    "NOT EXISTS (SELECT 1 FROM Enrollment e2 WHERE e2.personID = e.personID AND e2.startDate > e.startDate "
    "AND e2.endYear = 2026)",
    "EXISTS (SELECT 1 FROM Enrollment e2 WHERE e2.personID = e.personID AND e2.startDate > e.startDate)",
]


@pytest.mark.parametrize("latest", _LATEST)
def test_a_subquery_that_picks_each_person_s_latest_enrollment_keeps_a_row_per_person(check, latest):
    """Each person's latest (or first) enrollment: one row per person, not every enrollment of
    every person, which is three times as many."""
    people = risk_of(check, "SELECT p.personID FROM Person p\n").rows
    assert risk_of(check, f"{_PEOPLE_ENROLLED}WHERE {latest}\n").rows <= people < risk_of(check, _PEOPLE_ENROLLED).rows


@pytest.mark.parametrize("other", _NOT_LATEST)
def test_a_subquery_that_picks_no_one_row_of_each_person_is_no_such_pick(check, other):
    """A range to the latest, another column equal to it, another table's column, a NOT EXISTS that
    finds the row itself or looks at one year only, an EXISTS of a later row: none keeps a row
    per person."""
    assert risk_of(check, f"{_PEOPLE_ENROLLED}WHERE {other}\n").rows > risk_of(check, "SELECT p.personID FROM Person p\n").rows


def test_the_picks_are_the_conditions_a_database_returns_one_row_of_each_person_for():
    """Person 3 has no enrollment of 2026, person 4 a single one; each has a different date."""
    enrollments = [(1, 1, 10, "2023-08-20", "2024-06-01", 2024), (2, 1, 11, "2024-08-20", "2025-06-01", 2025),
                   (3, 1, 12, "2025-08-20", None, 2026), (4, 2, 10, "2023-08-21", "2024-06-02", 2024),
                   (5, 2, 12, "2025-08-21", None, 2026), (6, 3, 10, "2023-08-22", "2024-06-03", 2024),
                   (7, 3, 11, "2024-08-22", "2025-06-03", 2025), (8, 4, 12, "2025-08-23", None, 2026)]
    database = sqlite_with({
        "Person": ("personID int", [(1,), (2,), (3,), (4,), (5,)]),
        "Enrollment": ("enrollmentID int, personID int, calendarID int, startDate text, endDate text, endYear int",
                       enrollments),
        "Calendar": ("calendarID int, startDate text", [(10, "2023-08-20"), (11, "2024-08-15"), (12, "2025-08-15")]),
    })
    for condition in _LATEST + _NOT_LATEST:
        people = [row[0] for row in sqlite_rows(database, f"{_PEOPLE_ENROLLED}WHERE {condition}")]
        assert (people == [1, 2, 3, 4]) is (condition in _LATEST), condition


@pytest.mark.parametrize("runs", [
    "WHERE c.endYear = 2026\nAND (SELECT COUNT(*) FROM Attendance a WHERE a.personID = e.personID AND a.status = 'A') > 15",
    "CROSS APPLY (SELECT TOP 1 a.date FROM Attendance a WHERE a.personID = e.personID AND a.status = 'A' "
    "ORDER BY a.date DESC) la\nWHERE c.endYear = 2026",
])
def test_a_subquery_in_the_where_or_an_apply_runs_for_the_rows_joined_not_for_the_groups(check, runs):
    """Absentees counted by school: the subquery runs for each of the year's 30k enrollments, or
    is joined to them, before GROUP BY leaves a row for each of 42 schools. It was costed as run
    for the 42, a fourteenth of the cost of listing the same students."""
    query = "SELECT c.schoolID, {} FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID\n" + runs + "\n"
    listed = risk_of(check, query.format("e.personID"))
    counted = risk_of(check, query.format("COUNT(*) AS n") + "GROUP BY c.schoolID\n")
    assert counted.cost >= listed.cost and counted.rows < listed.rows


def test_calendars_held_to_the_active_year_through_school_year_meet_the_year_s_open_enrollments(check):
    """sy.active = 1 holds Calendar to this year through SchoolYear, and e.endDate IS NULL holds
    Enrollment to this year's open spans: the same year, as c.endYear = 2026 would say. Taken as
    independent, the join kept a tenth of the open enrollments, 3,022 of 30k."""
    joined = "SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID\n"
    active = risk_of(check, f"{joined}JOIN SchoolYear sy ON sy.endYear = c.endYear AND sy.active = 1\nWHERE e.endDate IS NULL\n")
    written = risk_of(check, f"{joined}WHERE c.endYear = 2026 AND e.endDate IS NULL\n")
    assert active.rows == pytest.approx(written.rows, rel=0.1)


@pytest.mark.parametrize("order, in_order", [("a.date DESC", True), ("a.date", True), ("a.excuseID DESC", False)])
def test_a_top_read_in_the_order_of_the_index_it_seeks_stops_at_its_first_rows(check, order, in_order):
    """One student's latest absence: the person's index (personID, date) gives the marks by
    date, backwards as well, so TOP 1 reads back from the latest until one is an absence, where
    it was costed as reading all 150 of the student's marks, looking each up and sorting them."""
    risk = risk_of(check, f"SELECT TOP 1 a.date FROM Attendance a WHERE a.personID = 12 AND a.status = 'A' ORDER BY {order}\n")
    assert (risk.drivers[0] == "stops at the first 1 row of Attendance it finds (its index gives the ORDER BY's "
                               "order)") is in_order


def test_each_student_s_latest_absence_by_a_top_1_apply_costs_a_short_read_for_each_student(check):
    apply = ("SELECT e.personID, la.date FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID\n"
             "CROSS APPLY (SELECT TOP 1 a.date FROM Attendance a WHERE a.personID = e.personID AND a.status = 'A' "
             "ORDER BY {}) la\nWHERE c.endYear = 2026 AND c.schoolID = 12\n")
    latest, other = risk_of(check, apply.format("a.date DESC")), risk_of(check, apply.format("a.excuseID DESC"))
    assert any(driver.startswith("runs a subquery on Attendance once for each of") for driver in latest.drivers)
    assert latest.cost * 10 < other.cost


@pytest.mark.parametrize("subquery, most", [
    ("SELECT TOP 10 a.personID FROM Attendance a WHERE a.calendarID = 12 GROUP BY a.personID ORDER BY COUNT(*) DESC", 10),
    ("SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026 "
     "AND a.status = 'A' GROUP BY a.personID HAVING COUNT(*) > 15", 30_000),
])
def test_an_in_list_of_grouped_or_top_rows_keeps_the_people_it_lists(check, subquery, most):
    """The ten students with the most marks, or this year's absentees: an IN over a query that
    groups or takes a TOP is planned apart, and kept every person (100k rows)."""
    people = "SELECT p.personID, i.lastName FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID\n"
    assert risk_of(check, f"{people}WHERE p.personID IN ({subquery})\n").rows <= most < risk_of(check, people).rows


def test_a_subquery_run_for_each_row_is_named_once_among_the_drivers(check):
    """The plan's part that runs the subquery per row already says what the per-row allowance
    would: the drivers do not say it twice."""
    risk = risk_of(check, "SELECT s.studentNumber, (SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID "
                          "AND a.calendarID = s.calendarID AND a.status = 'A') AS absences\n"
                          "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026\n")
    assert risk.drivers == ("runs a subquery on Attendance once for each of 30k rows",)


def test_a_table_variable_the_script_fills_is_read_at_the_rows_put_in_it(check):
    """SQL Server plans a table variable as one row, whatever it holds; the time follows the rows:
    a cursor over the students put in @todo runs its loop once for each of them."""
    from advisor.words import row_count

    script = (
        "DECLARE @pid int\nDECLARE @todo TABLE (personID int)\n"
        "INSERT INTO @todo SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.activeYear = 1\n"
        "DECLARE kids CURSOR FOR SELECT personID FROM @todo\nOPEN kids\nFETCH NEXT FROM kids INTO @pid\n"
        "WHILE @@FETCH_STATUS = 0\nBEGIN\n"
        "    UPDATE p SET p.modifiedDate = GETDATE() FROM Person p WHERE p.personID = @pid\n"
        "    FETCH NEXT FROM kids INTO @pid\nEND\n"
        "SELECT COUNT(*) FROM @todo\n"
    )
    put, fetched, update, counted = (statement.risk for statement in check(script).risk.statements)
    assert put.rows > 1000 and fetched.rows == put.rows
    assert update.runs == put.rows and update.drivers[0] == f"runs once for each of the {row_count(put.rows)} cursor kids fetches"
    assert counted.drivers == (f"totals {row_count(put.rows)}",)
    assert check("DECLARE @t TABLE (personID int)\nSELECT t.personID FROM @t t\n").risk.statements[0].risk.rows == 1


def test_a_whole_read_is_joined_to_the_limited_side_before_small_tables_multiply_it(check):
    """The view's grading tasks are the fewest rows, but starting there joins all 15 million
    scores before this year's students: the order from the students, which costs less, is kept."""
    risk = risk_of(check, "SELECT s.studentNumber, gs.score FROM student s WITH (NOEXPAND) JOIN v_GradingScores gs "
                          "ON gs.personID = s.personID AND gs.calendarID = s.calendarID WHERE s.endYear = 2026\n")
    assert "joins 30k rows to 15.0M rows of GradingScore (in v_GradingScores)" in risk.drivers
    assert not any("rows of student" in driver for driver in risk.drivers)


def test_a_text_column_compared_with_a_number_or_an_n_text_cannot_be_sought(check):
    """SQL Server converts every studentNumber to a number, or a varchar to nvarchar for N'...'
    (PR004): the index on it is no help."""
    quoted = risk_of(check, "SELECT p.personID FROM Person p WHERE p.studentNumber = '12345'\n")
    number = risk_of(check, "SELECT p.personID FROM Person p WHERE p.studentNumber = 12345\n")
    assert quoted.drivers == ("seeks 1 Person row through IX_Person_studentNumber",)
    assert number.drivers[0] == "p.studentNumber = 12345 stops a seek on the Person index on studentNumber"
    assert number.cost > 10 * quoted.cost
    national = risk_of(check, "SELECT p.personID FROM Person p WHERE p.studentNumber = N'12345'\n")
    assert national.drivers[0] == "p.studentNumber = N'12345' stops a seek on the Person index on studentNumber"
    assert national.cost == pytest.approx(number.cost)
    like = risk_of(check, "SELECT p.personID FROM Person p WHERE p.studentNumber LIKE N'12%'\n")
    assert like.drivers[0] == "p.studentNumber LIKE N'12%' stops a seek on the Person index on studentNumber"


@pytest.mark.parametrize("apply", ["CROSS APPLY", "OUTER APPLY"])
def test_an_apply_runs_for_each_outer_row_and_pairs_nothing(check, apply):
    """An APPLY without TOP or GROUP BY was flattened into the query around it, and its
    correlation (a.personID = s.personID) lost: every student paired with every absence, a
    112-billion-row "high" risk for a query that takes seconds."""
    sql = (f"SELECT s.studentNumber, x.date FROM student s WITH (NOEXPAND)\n{apply} (SELECT a.date FROM Attendance a "
           "WHERE a.personID = s.personID AND a.calendarID = s.calendarID AND a.status = 'A') x\nWHERE s.endYear = 2026\n")
    report = check(sql)
    risk = report.risk.statements[0].risk
    assert risk.band == "low" and risk.rows < 1_000_000
    assert not any(driver.startswith("pairs every one") for driver in risk.drivers)
    assert "SC001" not in {f.rule for f in report.findings}  # the correlation on calendarID limits Attendance


@pytest.mark.parametrize("apply", ["CROSS APPLY", "OUTER APPLY"])
def test_tables_joined_on_an_apply_s_columns_meet_the_rows_it_was_run_for(check, apply):
    """Calendar and School joined on the calendar an APPLY finds for each person meet one row
    each: taken as joined to nothing, they were every calendar times every person, 54.6M rows
    and an RK002 for a query that returns a row a person."""
    sql = ("SELECT p.studentNumber, le.grade, sch.name FROM Person p\n"
           f"{apply} (SELECT TOP 1 e.calendarID, e.grade FROM Enrollment e WHERE e.personID = p.personID "
           "ORDER BY e.startDate DESC, e.enrollmentID DESC) le\n"
           "JOIN Calendar c ON c.calendarID = le.calendarID JOIN School sch ON sch.schoolID = c.schoolID\n")
    report = check(sql)
    risk = report.risk.statements[0].risk
    assert risk.rows <= risk_of(check, "SELECT p.personID FROM Person p\n").rows
    assert not any(driver.startswith("pairs every one") for driver in risk.drivers)
    assert "RK002" not in {f.rule for f in report.findings}


@pytest.mark.parametrize("apply", ["CROSS APPLY", "OUTER APPLY"])
def test_an_apply_that_reads_no_outer_row_is_its_rows_joined_once(check, apply):
    """An APPLY of a query that reads nothing of the row it is run for gives the same rows for
    each: a derived table joined to all of them. School, joined on all of its key to the one row
    it gives, was taken as joined to nothing: every school with every person, 4.2M rows."""
    sql = ("SELECT p.studentNumber, sch.name FROM Person p\n{joined} (SELECT TOP 1 c.schoolID FROM Calendar c WHERE "
           "c.endYear = 2026 ORDER BY c.calendarID) cs\nJOIN School sch ON sch.schoolID = cs.schoolID\n")
    applied = risk_of(check, sql.format(joined=apply))
    assert not any(driver.startswith("pairs every one of 42") for driver in applied.drivers)
    assert applied.rows == risk_of(check, sql.format(joined="CROSS JOIN")).rows == risk_of(check, "SELECT p.personID FROM Person p\n").rows


def test_a_table_joined_on_a_function_applied_to_each_row_is_joined_through_its_arguments(check):
    """STRING_SPLIT(p.studentNumber, '-') runs for each person: School joined on its values meets
    those rows, where nothing was taken to join School to Person (JN001, every school with every
    person)."""
    report = check("SELECT p.personID, v.value FROM Person p\nCROSS APPLY STRING_SPLIT(p.studentNumber, '-') v\n"
                   "JOIN School sch ON sch.number = v.value\n")
    risk = report.risk.statements[0].risk
    assert not any(driver.startswith("pairs every one") for driver in risk.drivers)
    assert "JN001" not in {f.rule for f in report.findings}


def test_a_row_picked_by_a_subquery_run_for_each_row_of_another_table_is_joined_to_it(check):
    """WHERE e.enrollmentID = (SELECT TOP 1 ... WHERE e2.personID = p.personID ...) picks one
    enrollment for each person: no other condition joins the two, and they were paired whole,
    30 billion rows and a 'high' risk of two hours."""
    sql = ("SELECT p.studentNumber, e.grade FROM Person p, Enrollment e\nWHERE e.enrollmentID = (SELECT TOP 1 "
           "e2.enrollmentID FROM Enrollment e2 WHERE e2.personID = p.personID\n"
           "ORDER BY e2.startDate DESC, e2.enrollmentID DESC)\n")
    report = check(sql)
    risk = report.risk.statements[0].risk
    assert risk.band == "low" and risk.rows <= risk_of(check, "SELECT p.personID FROM Person p\n").rows
    assert not any(driver.startswith("pairs every one") for driver in risk.drivers)
    assert not {"RK001", "RK002"} & {f.rule for f in report.findings}


def test_a_table_joined_on_a_subquery_s_value_for_each_row_is_not_held_to_the_values_of_its_correlation(check):
    """Each enrollment of 2026 meets the one calendar MAX gives for its year; e.endYear = 2026 is
    not a value of Calendar's calendarID, as a join of the two columns would make it."""
    sql = ("SELECT e.personID, c.name FROM Enrollment e JOIN Calendar c ON c.calendarID = (SELECT MAX(c2.calendarID) "
           "FROM Calendar c2 WHERE c2.schoolID = 14 AND c2.endYear = e.endYear)\nWHERE e.endYear = 2026\n")
    risk = risk_of(check, sql)
    assert risk.rows == risk_of(check, "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026\n").rows
    assert not any(driver.startswith("pairs every one") or "each of 1 row" in driver for driver in risk.drivers)


def test_a_range_on_every_person_is_past_the_tipping_point_and_scans(check):
    # a.status is not in the person index: each row found would need a lookup
    risk = risk_of(check, "SELECT a.status FROM Attendance a WHERE a.personID > 12345\n")
    assert risk.drivers[0].startswith("reads all 15.0M Attendance rows")


@pytest.mark.parametrize("bounds", ["a.calendarID >= 100 AND a.calendarID < 110",
                                    "a.calendarID < 110 AND a.calendarID >= 100"])
def test_two_bounds_on_a_column_are_one_range_as_between_is(check, bounds):
    between = risk_of(check, "SELECT a.personID FROM Attendance a WHERE a.calendarID BETWEEN 100 AND 110\n")
    risk = risk_of(check, f"SELECT a.personID FROM Attendance a WHERE {bounds}\n")
    assert risk.drivers[0] == between.drivers[0] == "seeks 1.4M Attendance rows through IX_Attendance_calendar"
    assert (risk.rows, risk.estimated_seconds) == (between.rows, between.estimated_seconds)


def test_a_range_the_index_covers_is_read_from_the_index_alone(check):
    risk = risk_of(check, "SELECT a.date FROM Attendance a WHERE a.personID > 12345\n")
    assert risk.drivers[0] == "seeks 4.5M Attendance rows through IX_Attendance_person"


def test_a_whole_read_of_columns_one_index_holds_scans_that_narrower_index(check):
    narrow = risk_of(check, "SELECT a.personID, a.date FROM Attendance a\n")
    wide = risk_of(check, ALL_ATTENDANCE)
    assert narrow.drivers[0] == "reads all 15.0M Attendance rows in IX_Attendance_person: no year or calendar limit"
    assert narrow.cost < wide.cost / 2


def test_a_star_reads_every_column_so_no_narrower_index_holds_them(check):
    star = risk_of(check, "SELECT * FROM Attendance a\n")
    assert star.drivers[0] == "reads all 15.0M Attendance rows: no year or calendar limit"
    assert star.cost == risk_of(check, ALL_ATTENDANCE).cost


@pytest.mark.parametrize("sql", [
    "SELECT x.personID, x.date FROM (SELECT * FROM Attendance) x\n",
    "WITH x AS (SELECT * FROM Attendance) SELECT x.personID, x.date FROM x\n",
])
def test_a_star_in_a_derived_table_or_cte_reads_only_the_columns_the_query_asks_of_it(check, sql):
    narrow = risk_of(check, "SELECT a.personID, a.date FROM Attendance a\n")
    through = risk_of(check, sql)
    assert through.drivers[0] == "reads all 15.0M Attendance rows in IX_Attendance_person: no year or calendar limit"
    assert through.cost == narrow.cost
    returned = risk_of(check, sql.replace("x.personID, x.date", "x.*", 1))  # the user gets every column
    assert returned.cost == risk_of(check, ALL_ATTENDANCE).cost


def test_an_aggregate_without_group_by_is_one_row_in_one_pass(check):
    total = risk_of(check, "SELECT COUNT(*) FROM Attendance a WHERE a.status = 'A'\n")
    grouped = risk_of(check, "SELECT a.personID, COUNT(*) FROM Attendance a WHERE a.status = 'A' GROUP BY a.personID\n")
    assert total.rows == 1
    assert grouped.rows > 1000
    assert total.cost < grouped.cost


def test_groups_follow_the_grouped_columns_values(check, catalog):
    """GROUP BY personID keeps about a row per person; this year's roster holds this year's
    sections; an expression's groups are still a guess, the square root of the rows."""
    script = ("SELECT e.personID INTO #kids FROM Enrollment e WHERE e.calendarID = 5\n"
              "SELECT k.personID, COUNT(*) FROM #kids k GROUP BY k.personID\n")
    filled, grouped = (statement.risk for statement in check(script).risk.statements)
    assert grouped.rows == pytest.approx(filled.rows)
    sections = risk_of(check, "SELECT r.sectionID, COUNT(*) FROM Roster r JOIN Trial t ON t.trialID = r.trialID "
                              "JOIN Calendar c ON c.calendarID = t.calendarID WHERE c.endYear = 2026 GROUP BY r.sectionID\n")
    assert sections.rows == pytest.approx(catalog.table("Section").growth_per_year)
    students = risk_of(check, THIS_YEAR.replace("a.personID, a.date, a.status", "a.personID, COUNT(*)") + "GROUP BY a.personID\n")
    assert students.rows == catalog.table("Enrollment").growth_per_year  # no more than the year's enrollments, not every person
    one_calendar = "FROM Enrollment e JOIN Person p ON p.personID = e.personID WHERE e.calendarID = 5\n"
    listed = risk_of(check, "SELECT p.studentNumber, e.grade " + one_calendar)
    distinct = risk_of(check, "SELECT DISTINCT p.studentNumber, e.grade " + one_calendar)
    assert distinct.rows == pytest.approx(listed.rows)  # a student number per person: nothing repeats
    years = risk_of(check, "SELECT YEAR(a.date), COUNT(*) FROM Attendance a GROUP BY YEAR(a.date)\n")
    assert years.rows == pytest.approx(catalog.table("Attendance").rows ** 0.5)


@pytest.mark.parametrize("given", [
    "WITH params AS (SELECT 2026 AS endYear) SELECT a.personID FROM params p JOIN Calendar c ON c.endYear = p.endYear",
    "SELECT a.personID FROM (VALUES (2026)) p(endYear) JOIN Calendar c ON c.endYear = p.endYear",
])
def test_a_year_given_by_a_table_of_values_is_read_as_the_year_written_in_the_where(check, given):
    """WITH params AS (SELECT 2026 AS endYear): one row, whose year picks the calendars as
    c.endYear = 2026 does, not a thousand rows of unknown values."""
    attendance = " JOIN Attendance a ON a.calendarID = c.calendarID"
    written = risk_of(check, "SELECT a.personID FROM Calendar c" + attendance + " WHERE c.endYear = 2026\n")
    joined = risk_of(check, given + attendance + "\n")
    assert joined.rows == pytest.approx(written.rows, rel=0.05)
    assert joined.estimated_seconds == pytest.approx(written.estimated_seconds, rel=0.25)


def test_a_pivot_makes_a_row_per_group_of_the_columns_it_does_not_pivot(check, catalog):
    """PIVOT groups what it reads by every column but the one it pivots on and those it
    aggregates, as GROUP BY would: a row per student, not a row per attendance record."""
    grouped = risk_of(check, THIS_YEAR.replace("a.personID, a.date, a.status", "a.personID, COUNT(*)") + "GROUP BY a.personID\n")
    pivot = ("SELECT pvt.personID, pvt.[A], pvt.[T]{} FROM (SELECT a.personID, a.status, a.attendanceID FROM Attendance a "
             "JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026) src "
             "PIVOT (COUNT(src.attendanceID) FOR src.status IN ([A], [T])) pvt {}\n")
    assert risk_of(check, pivot.format("", "")).rows == pytest.approx(grouped.rows)
    # joined after the PIVOT on the other table's key: a row each still
    joined = pivot.format(", p.studentNumber", "JOIN Person p ON p.personID = pvt.personID")
    by_person = risk_of(check, joined)
    assert by_person.rows == pytest.approx(grouped.rows)
    sorted_after = risk_of(check, joined.rstrip() + " ORDER BY p.studentNumber\n")
    assert sorted_after.cost - by_person.cost == pytest.approx(cost.sort(grouped.rows))  # the groups are sorted
    # with several rows of another table for each student, a row for each of those
    enrollments = risk_of(check, pivot.format(", e.enrollmentID", "JOIN Enrollment e ON e.personID = pvt.personID"))
    assert enrollments.rows > grouped.rows
    everything = "SELECT * FROM (SELECT a.status, a.attendanceID FROM Attendance a) src " \
                 "PIVOT (COUNT(src.attendanceID) FOR src.status IN ([A], [T])) pvt\n"
    assert risk_of(check, everything).rows == 1  # nothing left to group by: one row of counts
    whole_history = check(pivot.format("", "").replace("JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026", ""))
    assert whole_history.risk.statements[0].risk.rows == pytest.approx(catalog.table("Person").rows)
    assert "RK002" not in {f.rule for f in whole_history.findings}  # a row per person, not the 15M records
    assert "RK002" in {f.rule for f in check(ALL_ATTENDANCE).findings}


def test_an_unpivot_makes_a_row_of_each_column_it_turns(check, catalog):
    phones = ("SELECT u.personID, u.phone FROM (SELECT c.personID, c.homePhone, c.cellPhone, c.workPhone FROM Contact c) "
              "src UNPIVOT (phone FOR kind IN ({})) u\n")
    assert risk_of(check, phones.format("homePhone, cellPhone, workPhone")).rows == 3 * catalog.table("Contact").rows
    assert risk_of(check, phones.format("homePhone")).rows == catalog.table("Contact").rows


def test_grouped_columns_that_make_another_tables_grain_make_no_more_groups_than_its_rows(check, catalog):
    """Attendance's (personID, calendarID) pairs are enrollments: every person in every calendar
    never occurs. All of them for the whole history, one year's for this year's rows."""
    pairs = "SELECT a.personID, a.calendarID, COUNT(*) FROM Attendance a {}GROUP BY a.personID, a.calendarID\n"
    enrollments = catalog.table("Enrollment")
    assert risk_of(check, pairs.format("")).rows == pytest.approx(enrollments.rows)
    this_year = "JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026 "
    assert risk_of(check, pairs.format(this_year)).rows == pytest.approx(enrollments.growth_per_year)


def test_one_tables_grouped_columns_make_no_more_groups_than_its_rows_a_join_multiplied(check, catalog):
    """A running count by a join of Attendance to itself: this year's (personID, date) pairs are
    no more than this year's Attendance rows, however many rows the join makes of each, nor than
    the year's students times its school days."""
    joined = ("SELECT a.personID, a.date, COUNT(*) FROM Attendance a JOIN Attendance a2 ON a2.personID = a.personID "
              "AND a2.date <= a.date JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026 "
              "GROUP BY a.personID, a.date\n")
    found = check(joined)
    assert found.risk.statements[0].risk.rows == pytest.approx(catalog.table("Attendance").growth_per_year)
    assert "RK002" not in {f.rule for f in found.findings}


def test_a_view_column_passed_on_as_it_is_groups_as_its_tables_column(check, catalog):
    """student.studentNumber is Person's studentNumber: DISTINCT over it makes about a row per
    student of the year, not the square-root guess kept for what a view computes."""
    distinct = risk_of(check, "SELECT DISTINCT s.studentNumber FROM student s JOIN Roster r ON r.personID = s.personID "
                              "WHERE s.endYear = 2026\n")
    assert distinct.rows == pytest.approx(catalog.table("Enrollment").growth_per_year)


def test_the_first_row_of_each_partition_is_a_row_per_partition(check, catalog):
    """rn = 1 over ROW_NUMBER() OVER (PARTITION BY ...) keeps each partition's first row: each
    student's latest enrollment is a row per student, each calendar's first is a row per calendar."""
    latest = ("WITH r AS (SELECT e.personID, ROW_NUMBER() OVER (PARTITION BY e.{} ORDER BY e.startDate DESC) AS rn "
              "FROM Enrollment e WHERE e.endYear = 2026) SELECT r.personID FROM r WHERE r.rn = 1\n")
    assert risk_of(check, latest.format("personID")).rows == pytest.approx(catalog.table("Enrollment").growth_per_year)
    assert risk_of(check, latest.format("calendarID")).rows == pytest.approx(catalog.table("Calendar").growth_per_year)


def test_an_indexed_view_s_column_keeps_the_shares_of_its_table_s_column(check):
    """student.serviceType is Enrollment's: 'P' keeps the primary enrollments' share there too."""
    every = "SELECT s.personID FROM student s WITH (NOEXPAND)"
    primary = risk_of(check, every + " WHERE s.serviceType = 'P'\n").rows / risk_of(check, every + "\n").rows
    assert primary == pytest.approx(load_bundled().table("Enrollment").shares["servicetype"]["p"], rel=0.01)


def test_columns_a_grouped_key_decides_make_no_more_groups(check, catalog):
    """A section's school is the one its course's calendar names: DISTINCT se.sectionID,
    sch.name makes a group per section of the year, as DISTINCT se.sectionID alone does."""
    sections = ("SELECT DISTINCT {} FROM Section se JOIN Course c ON c.courseID = se.courseID "
                "JOIN Calendar cal ON cal.calendarID = c.calendarID JOIN School sch ON sch.schoolID = cal.schoolID "
                "JOIN Roster r ON r.sectionID = se.sectionID WHERE cal.endYear = 2026\n")
    with_school = risk_of(check, sections.format("sch.name, se.sectionID")).rows
    assert with_school == pytest.approx(risk_of(check, sections.format("se.sectionID")).rows)
    assert with_school == pytest.approx(catalog.table("Section").growth_per_year)
    per_student = risk_of(check, sections.format("se.sectionID, r.personID")).rows
    assert per_student > 10 * with_school  # a roster row's student is not decided by its section


def test_groups_are_no_more_than_the_rows_once_the_grouped_tables_were_joined(check, catalog):
    """Each teacher's students, by school: the rosters make a row per student of each section,
    but no more teachers and schools than the year's sections had. The Person key alone would
    allow every person in every school; grouped by the roster's student too, a group per roster row."""
    teachers = ("SELECT {}, COUNT(r.rosterID) FROM Section se JOIN Course c ON c.courseID = se.courseID "
                "JOIN Calendar cal ON cal.calendarID = c.calendarID JOIN School sch ON sch.schoolID = cal.schoolID "
                "JOIN Person tp ON tp.personID = se.teacherPersonID JOIN Roster r ON r.sectionID = se.sectionID "
                "WHERE cal.endYear = 2026 GROUP BY {}\n")
    by_teacher = risk_of(check, teachers.format("tp.personID, sch.name", "tp.personID, sch.name"))
    assert by_teacher.rows == pytest.approx(catalog.table("Section").growth_per_year, rel=0.02)  # the joined sections
    by_student = risk_of(check, teachers.format("tp.personID, r.personID", "tp.personID, r.personID"))
    assert by_student.rows > 10 * catalog.table("Section").growth_per_year


def test_an_in_over_a_union_keeps_the_people_of_every_arm(check, catalog):
    """The people enrolled this year or last: each arm's personID is the same IN's values, no
    fewer than one year's students; counted as a match with both arms at once it kept 190."""
    either = risk_of(check, "SELECT i.lastName FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID "
                            "WHERE p.personID IN (SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 UNION "
                            "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2025)\n")
    assert either.rows >= catalog.table("Enrollment").growth_per_year


@pytest.mark.parametrize("operation", ["EXCEPT", "INTERSECT"])
def test_the_arm_after_except_or_intersect_takes_rows_away_and_adds_none(check, operation):
    """This year's students who were not (or were) enrolled last year: no more rows than this
    year's arm, where the arms were added up as a UNION ALL's."""
    arm = "SELECT e.personID FROM Enrollment e WHERE e.endYear = {}"
    first = risk_of(check, arm.format(2026) + "\n")
    both = risk_of(check, f"{arm.format(2026)} {operation} {arm.format(2025)}\n")
    assert both.rows == pytest.approx(first.rows) and both.cost > first.cost
    union = risk_of(check, f"{arm.format(2026)} UNION ALL {arm.format(2025)}\n")
    assert union.rows == pytest.approx(2 * first.rows)


def test_an_in_subquery_pushed_into_a_grouped_view_keeps_the_subquerys_values(check, catalog):
    """f.calendarID IN (this year's calendars) keeps a year of calendars inside the grouped
    attendance view, not one; and the view's rows it kept are not cut again by the IN."""
    view = "SELECT f.personID FROM v_AttDayDetail_Federal f WHERE f.calendarID {}\n"
    one = risk_of(check, view.format("= 812")).rows
    this_year = risk_of(check, view.format("IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026)")).rows
    assert this_year == pytest.approx(one * catalog.table("Calendar").growth_per_year, rel=0.05)
    two = risk_of(check, view.format("IN (SELECT c.calendarID FROM Calendar c WHERE c.calendarID IN (812, 813))")).rows
    assert two == pytest.approx(2 * one, rel=0.05)


def test_an_expression_takes_its_own_values_not_its_column_s(check):
    """activeToday, the ad hoc view's CASE of 1 or 0 over startDate and endDate, keeps about half
    the rows, not one date's; YEAR(a.date) = 2026 is a guess, not one day's rows; ISNULL(noShow, 0)
    holds noShow's values."""
    bare = risk_of(check, "SELECT e.personID FROM Enrollment e WHERE e.noShow = 0\n").rows
    assert risk_of(check, "SELECT e.personID FROM Enrollment e WHERE ISNULL(e.noShow, 0) = 0\n").rows == bare
    year = risk_of(check, "SELECT s.personID FROM v_AdHocStudent s WHERE s.endYear = 2026\n").rows
    active = risk_of(check, "SELECT s.personID FROM v_AdHocStudent s WHERE s.endYear = 2026 AND s.activeToday = 1\n").rows
    assert year / 2 <= active < year
    one_day = risk_of(check, "SELECT a.personID FROM Attendance a WHERE a.date = '2026-03-02'\n").rows
    assert risk_of(check, "SELECT a.personID FROM Attendance a WHERE YEAR(a.date) = 2026\n").rows > 10 * one_day


@pytest.mark.parametrize("condition, share", [
    ("e.serviceType = 'P'", 0.85),  # most enrollments are primary
    ("e.serviceType IN ('S', 'N')", 0.15),
    ("e.noShow = 0", 0.97),
    ("e.noShow = 1", 0.03),  # what the listed values leave
])
def test_a_value_the_catalog_knows_the_share_of_keeps_that_share(check, condition, share):
    every = risk_of(check, "SELECT e.personID FROM Enrollment e\n").rows
    assert risk_of(check, f"SELECT e.personID FROM Enrollment e WHERE {condition}\n").rows == pytest.approx(every * share)


def test_a_variable_compared_with_a_column_of_known_shares_keeps_an_average_value_s_rows(check):
    every = risk_of(check, "SELECT e.personID FROM Enrollment e\n").rows
    assert risk_of(check, "SELECT e.personID FROM Enrollment e WHERE e.serviceType = @kind\n").rows < every / 2


def test_a_grouped_cte_joined_on_a_grouping_column_keeps_that_column_s_values(check, catalog):
    """totals.calendarID is Attendance's calendarID: joined to this year's calendars, the groups
    of this year's calendars are kept, not one row per calendar."""
    grouped = ("WITH totals AS (SELECT a.personID, a.calendarID, COUNT(*) AS n FROM Attendance a "
               "GROUP BY a.personID, a.calendarID)\n")
    every = risk_of(check, grouped + "SELECT t.personID FROM totals t\n").rows
    this_year = risk_of(check, grouped + "SELECT t.personID FROM totals t JOIN Calendar c ON c.calendarID = t.calendarID "
                                         "WHERE c.endYear = 2026\n").rows
    calendars = catalog.table("Calendar")
    assert this_year == pytest.approx(every * calendars.growth_per_year / calendars.rows, rel=0.01)


def test_a_column_equal_to_a_correlated_subquery_is_not_one_value(check):
    """Each student's latest enrollment: the subquery gives a value for every row, so it keeps
    about a row per student, not the rows of one start date. An uncorrelated one is one value."""
    this_year = risk_of(check, "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026\n").rows
    latest = risk_of(check, "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND e.startDate = "
                            "(SELECT MAX(x.startDate) FROM Enrollment x WHERE x.personID = e.personID)\n").rows
    assert latest > this_year / 2
    one_date = risk_of(check, "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND e.startDate = "
                              "(SELECT MAX(c.startDate) FROM Calendar c)\n").rows
    assert one_date < this_year / 100


def test_a_value_given_to_one_side_of_a_join_is_given_to_the_other(check):
    """a.calendarID = 812 and d.calendarID = a.calendarID: SQL Server seeks Day on calendar 812 too,
    and the join of one calendar's rows to one calendar's days is not cut by the calendars' count."""
    one_calendar = risk_of(check, "SELECT a.personID FROM Attendance a WHERE a.calendarID = 812\n")
    joined = risk_of(check, "SELECT a.personID FROM Attendance a JOIN Day d ON d.calendarID = a.calendarID "
                            "AND d.date = a.date WHERE a.calendarID = 812\n")
    assert not any("reads all" in driver and "Day" in driver for driver in joined.drivers)
    assert joined.rows == pytest.approx(one_calendar.rows, rel=0.5)


def test_a_function_on_an_indexed_column_is_named_for_stopping_the_seek(check):
    risk = risk_of(check, "SELECT i.personID FROM [Identity] i WHERE YEAR(i.birthdate) = 2012\n")
    assert risk.drivers[0] == "YEAR(i.birthdate) = 2012 stops a seek on the Identity index on birthdate"


def test_a_having_on_an_aggregate_keeps_groups_and_reads_every_row(check):
    """HAVING COUNT(...) > 8 is decided after the grouping: it neither narrows nor stops a seek.
    HAVING on a grouped column is applied to the rows first, as SQL Server does."""
    counted = risk_of(check, "SELECT e.personID FROM Enrollment e GROUP BY e.personID HAVING COUNT(DISTINCT e.calendarID) > 8\n")
    assert not any("stops a seek" in driver for driver in counted.drivers)
    assert "reads all 300k Enrollment rows" in " ".join(counted.drivers)
    grouped = risk_of(check, "SELECT e.endYear FROM Enrollment e GROUP BY e.endYear HAVING e.endYear = 2026\n")
    assert any(driver.startswith("seeks") for driver in grouped.drivers)


def test_a_having_on_an_aggregate_keeps_a_share_of_the_groups(check):
    """This year's chronically absent students: HAVING COUNT(*) >= 18 keeps some of the year's
    absentees, not all 30k of them; = 1 fewer still, as SQL Server's guesses for a value it has no
    statistics of go. What the groups cost to make is the same."""
    absences = ("SELECT a.personID, COUNT(*) AS n FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
                "WHERE c.endYear = 2027 AND a.status = 'A' GROUP BY a.personID{}\n")
    every, chronic, once = (risk_of(check, absences.format(having)) for having in ("", " HAVING COUNT(*) >= 18",
                                                                                   " HAVING COUNT(*) = 1"))
    assert once.rows < chronic.rows < every.rows
    assert chronic.cost == pytest.approx(every.cost, rel=0.01)


def test_a_filter_on_a_column_the_index_holds_is_applied_before_the_lookups(check):
    """IX_Attendance_person holds periodID (a clustered key column): the seek on personID checks
    it in the index, and only the rows that pass are looked up for status."""
    one_person = "SELECT a.status FROM Attendance a WHERE a.personID = 5"
    sought = risk_of(check, one_person + "\n")
    one_period = risk_of(check, one_person + " AND a.periodID = 3\n")
    assert sought.drivers[0].startswith("seeks") and one_period.drivers[0].startswith("seeks")
    assert one_period.cost < sought.cost / 10


def test_a_column_that_names_what_the_key_names_picks_one_row(check, catalog):
    """School.number names a school as schoolID does, and a grading task's name names one task:
    an equality on them keeps one row, not the rows^0.75 guess for a column nothing is known of."""
    calendars = risk_of(check, "SELECT c.calendarID FROM Calendar c JOIN School s ON s.schoolID = c.schoolID "
                               "WHERE s.number = '0412'\n")
    per_school = catalog.table("Calendar").rows / catalog.table("School").rows
    assert calendars.rows < 2 * per_school
    assert risk_of(check, "SELECT gt.taskID FROM GradingTask gt WHERE gt.name = 'Semester Grade'\n").rows == 1


def test_a_column_holding_another_tables_key_has_that_tables_values(check, catalog):
    """Term.termScheduleID shares Term's scope but holds TermSchedule's keys: the year's term
    schedules meet all their terms, not one term each."""
    schedules = ("SELECT ts.termScheduleID FROM TermSchedule ts JOIN ScheduleStructure ss ON ss.structureID = ts.structureID "
                 "JOIN Calendar c ON c.calendarID = ss.calendarID WHERE c.endYear = 2026\n")
    terms = schedules.replace("SELECT ts.termScheduleID FROM TermSchedule ts",
                              "SELECT t.termID FROM Term t JOIN TermSchedule ts ON ts.termScheduleID = t.termScheduleID")
    per_schedule = catalog.table("Term").rows / catalog.table("TermSchedule").rows
    assert risk_of(check, terms).rows == pytest.approx(risk_of(check, schedules).rows * per_schedule, rel=0.01)


def test_a_join_on_a_tables_key_is_not_narrowed_by_the_columns_the_key_decides(check, catalog):
    """A placement's trialID is its section's: ON sp.sectionID = se.sectionID AND sp.trialID =
    se.trialID meets each section's placements, as the join on the key alone does."""
    on_key = ("SELECT sp.placementID FROM Section se JOIN SectionPlacement sp ON sp.sectionID = se.sectionID "
              "WHERE se.courseID = 77\n")
    both = on_key.replace("sp.sectionID = se.sectionID", "sp.sectionID = se.sectionID AND sp.trialID = se.trialID")
    assert risk_of(check, both).rows == pytest.approx(risk_of(check, on_key).rows, rel=0.01)
    assert risk_of(check, both).cost == pytest.approx(risk_of(check, on_key).cost, rel=0.01)
    per_section = catalog.table("SectionPlacement").rows / catalog.table("Section").rows
    assert risk_of(check, "SELECT se.sectionID FROM Section se JOIN SectionPlacement sp ON sp.sectionID = se.sectionID "
                          "AND sp.trialID = se.trialID\n").rows == pytest.approx(catalog.table("Section").rows * per_section)


def test_a_join_on_the_year_narrows_to_the_year_it_holds_them_to(check, catalog):
    """The active school year's calendars: the join on endYear is what holds Calendar to one
    year, so before it Calendar holds every year and the join keeps one year's calendars."""
    calendars = risk_of(check, "SELECT c.calendarID FROM Calendar c JOIN SchoolYear sy ON sy.endYear = c.endYear "
                               "AND sy.active = 1\n").rows
    assert calendars == pytest.approx(catalog.table("Calendar").growth_per_year, rel=0.1)


@pytest.mark.parametrize("pattern", ["'Anders%'", "'Anders%' ESCAPE '\\'"])
def test_a_like_pattern_with_a_literal_start_seeks_the_name_index(check, pattern):
    risk = risk_of(check, f"SELECT i.personID FROM [Identity] i WHERE i.lastName LIKE {pattern}\n")
    assert risk.drivers[0].endswith("through IX_Identity_name")


@pytest.mark.parametrize("pattern", ["'Anders%'", "'Anders%' ESCAPE '\\'"])
def test_not_like_keeps_what_like_drops_and_seeks_nothing(check, pattern):
    """sqlglot keeps NOT LIKE as a LIKE with a flag: read as the LIKE it was a seek of a few rows."""
    risk = risk_of(check, f"SELECT i.personID FROM [Identity] i WHERE i.lastName NOT LIKE {pattern}\n")
    assert not any("IX_Identity_name" in d for d in risk.drivers) and risk.rows > 100_000


def test_a_few_outer_rows_look_up_the_inner_table_by_its_index(check):
    risk = risk_of(check, "SELECT a.date FROM Person p JOIN Attendance a ON a.personID = p.personID\n"
                          "WHERE p.studentNumber = '123456'\n")
    assert any(d.startswith("looks up Attendance once for each of") for d in risk.drivers)
    assert risk.estimated_seconds < 1


def test_reads_are_kept_apart_from_the_rest_of_the_cost(check):
    scan = risk_of(check, ALL_ATTENDANCE)
    grouped = risk_of(check, "SELECT a.status, COUNT(*) FROM Attendance a GROUP BY a.status\n")
    assert scan.io_cost > 0.9 * scan.cost  # reading 15M rows is mostly reading their pages
    assert grouped.io_cost == scan.io_cost and grouped.cost > scan.cost  # grouping them reads nothing more


@pytest.mark.parametrize("condition", ["ct.personID = p.personID", "p.personID = ct.personID"])
def test_an_outer_join_keeps_every_row_of_its_preserved_side(check, condition):
    # the filtered Contact rows are the smaller input, so the plan starts from them
    outer = risk_of(check, f"SELECT p.personID FROM Person p LEFT JOIN Contact ct ON {condition} AND ct.email = 'pat@district.org'\n")
    assert outer.rows == risk_of(check, "SELECT p.personID FROM Person p\n").rows


def test_one_years_dates_keep_one_years_rows(check):
    days = "SELECT d.date FROM Day d JOIN Calendar c ON c.calendarID = d.calendarID WHERE c.endYear = 2026"
    dated = risk_of(check, f"SELECT a.personID FROM Attendance a WHERE a.date IN ({days})\n")
    assert dated.rows < risk_of(check, ALL_ATTENDANCE).rows / 5


def test_a_date_window_around_today_keeps_one_years_rows(check, catalog):
    """startDate <= GETDATE() keeps every year up to today; with endDate >= GETDATE(), the
    calendars today falls in are one year's, not a third of them (the 30% range guess)."""
    current = risk_of(check, "SELECT c.calendarID FROM Calendar c WHERE c.startDate <= GETDATE() AND c.endDate >= GETDATE()\n")
    assert current.rows == pytest.approx(catalog.table("Calendar").growth_per_year)
    started = risk_of(check, "SELECT c.calendarID FROM Calendar c WHERE c.startDate <= GETDATE()\n")
    assert started.rows == catalog.table("Calendar").rows


@pytest.mark.parametrize("window", ["a.date >= '2026-03-01' AND a.date < '2026-04-01'",
                                    "a.date BETWEEN '2026-03-01' AND '2026-03-31'",
                                    "a.date >= '20260301' AND a.date < '20260401'"])
def test_a_window_between_two_dates_keeps_its_days_rows(check, catalog, window):
    """March's attendance is a month of a year's rows, not a year's cut by the range guess."""
    march = risk_of(check, f"SELECT a.personID FROM Attendance a WHERE {window}\n")
    assert march.rows == pytest.approx(catalog.table("Attendance").growth_per_year * 31 / 365, rel=0.01)


ONE_SCHOOL = "SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE c.schoolID {}\n"


ACTIVE = "SELECT e.personID FROM Enrollment e WHERE {}\n"


def test_open_enrollments_are_this_years(check, catalog):
    """An enrollment's endDate is NULL while it is open: the open ones are this year's, however
    many years the history holds. A calendar's end date is set ahead, so there NULL is SQL
    Server's guess."""
    enrollment = catalog.table("Enrollment")
    longer = replace(catalog, tables={**catalog.tables, "enrollment": replace(enrollment, rows=enrollment.rows * 2)})
    open_now = Checker(longer, Settings()).check(Source("q.sql", ACTIVE.format("e.endDate IS NULL").encode()))
    assert open_now.risk.statements[0].risk.rows == pytest.approx(enrollment.growth_per_year)
    calendars = risk_of(check, "SELECT c.calendarID FROM Calendar c WHERE c.endDate IS NULL\n")
    assert calendars.rows == pytest.approx(catalog.table("Calendar").rows * 0.1)


def test_the_active_enrollment_condition_keeps_one_year(check, catalog):
    """Open, or ending after today: each branch keeps this year's enrollments, so together they
    keep that year, not the sum of two guesses."""
    active = risk_of(check, ACTIVE.format("(e.endDate IS NULL OR e.endDate >= GETDATE())"))
    assert active.rows == pytest.approx(catalog.table("Enrollment").growth_per_year)


@pytest.mark.parametrize("also", ["e.endDate IS NULL", "(e.endDate IS NULL OR e.endDate >= GETDATE())",
                                  "e.startDate >= '2025-08-01'"])
def test_conditions_that_each_keep_the_year_keep_it_once(check, also):
    """endYear = 2026 and an open enrollment keep the same year's rows, not a share of a share."""
    year = risk_of(check, ACTIVE.format("e.endYear = 2026")).rows
    assert risk_of(check, ACTIVE.format(f"e.endYear = 2026 AND {also}")).rows == pytest.approx(year)


def test_a_reports_multi_value_parameter_is_every_value_picked(check):
    """SSRS replaces IN (@schoolIDs) with the schools picked, all of them with Select All: the
    estimate is the run over every school, and the drivers say why."""
    every = risk_of(check, ONE_SCHOOL.format("IS NOT NULL"))
    picked = risk_of(check, ONE_SCHOOL.format("IN (@schoolIDs)"))
    assert picked.rows == pytest.approx(every.rows)
    assert picked.drivers[0] == ("takes @schoolIDs as a report's multi-value parameter with every value picked "
                                 "(the script does not declare it)")


@pytest.mark.parametrize("declared", ["DECLARE @schoolIDs int = 7\n", "CREATE PROCEDURE dbo.roster @schoolIDs int AS\n"])
def test_a_declared_variable_in_an_in_list_is_one_value(check, declared):
    one = risk_of(check, ONE_SCHOOL.format("= 7"))
    statements = check(declared + ONE_SCHOOL.format("IN (@schoolIDs)")).risk.statements
    assert statements[-1].risk.rows == pytest.approx(one.rows)
    assert not any("multi-value" in driver for driver in statements[-1].risk.drivers)


def test_two_report_parameters_in_one_in_list_are_two_values(check):
    one, two = (risk_of(check, ONE_SCHOOL.format(f"IN ({values})")).rows for values in ("@a", "@a, @b"))
    assert two == pytest.approx(2 * risk_of(check, ONE_SCHOOL.format("= @a")).rows)
    assert one > two


def test_a_reports_calendars_are_the_school_years(check, catalog):
    """A report lists the calendars of the year picked first: Select All reads a year of attendance."""
    picked = risk_of(check, "SELECT a.personID FROM Attendance a WHERE a.calendarID IN (@calendarIDs)\n")
    assert picked.rows == pytest.approx(catalog.table("Attendance").growth_per_year, rel=0.01)


def test_keys_of_rows_both_held_to_the_school_year_are_that_years(check, catalog):
    """The active enrollments meet today's calendars: both sides hold this year's calendars, so
    the join keeps the enrollments, not the tenth of them that one year of calendars is of all.
    One school's calendars of every year are not this year's: that join still keeps a share."""
    active = "SELECT e.personID FROM Enrollment e {}WHERE {}(e.endDate IS NULL OR e.endDate >= GETDATE())\n"
    every = risk_of(check, active.format("", "")).rows
    today = risk_of(check, active.format("JOIN Calendar c ON c.calendarID = e.calendarID ",
                                         "c.startDate <= GETDATE() AND c.endDate >= GETDATE() AND ")).rows
    assert today == pytest.approx(every, rel=0.05)
    one_school = risk_of(check, active.format("", "e.calendarID IN (SELECT c.calendarID FROM Calendar c "
                                                  "WHERE c.schoolID = 7) AND ")).rows
    assert one_school < every / 10


def test_a_limited_query_is_estimated_far_below_the_unlimited_one(check):
    limited, unlimited = risk_of(check, THIS_YEAR), risk_of(check, ALL_ATTENDANCE)
    assert limited.io_cost * 5 < unlimited.io_cost  # a tenth of the pages
    # though matching each row to its calendar costs more than reading it
    assert limited.estimated_seconds * 3 < unlimited.estimated_seconds


@pytest.mark.parametrize("empty", [
    "SELECT a.personID, a.date, a.status INTO #shape FROM Attendance a WHERE 1 = 0\n",
    "SELECT TOP (0) a.personID, a.date, a.status FROM Attendance a\n",
    "SELECT TOP 0 PERCENT a.personID, a.date, a.status FROM Attendance a\n",
    "SELECT x.personID FROM (SELECT a.personID, COUNT(*) AS n FROM Attendance a GROUP BY a.personID) x WHERE 0 = 1\n",
])
def test_a_select_that_returns_no_rows_reads_nothing(check, empty):
    risk = risk_of(check, empty)
    assert (risk.rows, risk.cost) == (0, 0) and risk_of(check, ALL_ATTENDANCE).cost > 0



@pytest.mark.parametrize("order", ["a.date", "NEWID()"])
def test_top_100_or_fewer_in_order_keeps_those_rows_and_compares_each_row_read_with_them(check, order):
    """SQL Server's Top N Sort keeps up to 100 rows in memory; past 100 it sorts every row it reads."""
    def sorted_for(top: str):
        return risk_of(check, f"SELECT {top} a.attendanceID FROM Attendance a ORDER BY {order}\n")

    whole, hundred, more = sorted_for(""), sorted_for("TOP (100)"), sorted_for("TOP (101)")
    assert "sorts 15.0M rows for ORDER BY, keeping the first 100 rows" in hundred.drivers
    assert "sorts 15.0M rows for ORDER BY" in more.drivers and more.cost == pytest.approx(whole.cost)
    assert risk_of(check, ALL_ATTENDANCE).estimated_seconds < hundred.estimated_seconds < whole.estimated_seconds / 2

def test_top_percent_returns_that_share_of_the_rows(check):
    """TOP 10 PERCENT is a tenth of the rows, not ten rows."""
    all_rows = risk_of(check, ALL_ATTENDANCE).rows
    tenth = risk_of(check, ALL_ATTENDANCE.replace("SELECT", "SELECT TOP 10 PERCENT"))
    assert tenth.rows == pytest.approx(all_rows / 10)


@pytest.mark.parametrize("define", ["CREATE VIEW", "ALTER VIEW", "CREATE OR ALTER VIEW"])
def test_defining_a_view_runs_nothing(check, define):
    """The view's query runs when the view is read: the statement that defines it takes no time,
    and the script's time is the reading statement's alone."""
    script = (f"{define} dbo.v_absent AS SELECT a.personID, a.date FROM Attendance a WHERE a.status = 'A'\nGO\n"
              "SELECT v.personID FROM dbo.v_absent v JOIN Calendar c ON c.calendarID = 5 WHERE v.date = '2026-03-02'\n")
    risk = check(script).risk
    assert [statement.keyword for statement in risk.statements] == ["SELECT"]
    assert risk.risk.estimated_seconds == risk.statements[0].risk.estimated_seconds


def test_an_if_and_its_else_take_as_long_as_the_slower_branch(check):
    """Only one branch runs: the file takes the slower one's time, plus what runs either way."""
    script = ("IF @mode = 'all'\n    SELECT a.personID FROM Attendance a\n"
              "ELSE IF @mode = 'year'\nBEGIN\n" + THIS_YEAR + THIS_YEAR + "END\n"
              "ELSE\n    SELECT a.personID FROM Attendance a WHERE a.calendarID = 5\n"
              "SELECT e.personID FROM Enrollment e\n")
    risk = check(script).risk
    every_year, this_year, this_year_again, one_calendar, after = (s.risk.estimated_seconds for s in risk.statements)
    slowest = max(every_year, this_year + this_year_again, one_calendar)
    assert risk.risk.estimated_seconds == pytest.approx(slowest + after, abs=0.002)
    assert risk.risk.estimated_seconds < every_year + this_year + this_year_again + one_calendar + after - 0.1


def test_an_if_inside_an_if_counts_its_slower_arm_within_its_own_arm(check):
    all_years = "SELECT a.personID FROM Attendance a\n"
    one_calendar = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5\n"
    script = (f"IF @a = 1\nBEGIN\n    IF @b = 1\n        {all_years}    ELSE\n        {one_calendar}    {THIS_YEAR}END\n"
              f"ELSE\n    {one_calendar}{THIS_YEAR}")
    risk = check(script).risk
    q1, q2, q3, q4, q5 = (s.risk.estimated_seconds for s in risk.statements)
    assert risk.risk.estimated_seconds == pytest.approx(max(max(q1, q2) + q3, q4) + q5, abs=0.002)


def test_table_variables_are_one_row_as_sql_server_assumes(check):
    risk = risk_of(check, "DECLARE @t TABLE (personID int)\nSELECT t.personID FROM @t t\n")
    assert risk.rows == 1


def test_a_bigger_district_takes_longer():
    small, large = risk_with(ALL_ATTENDANCE, students=2000), risk_with(ALL_ATTENDANCE, students=50_000)
    assert large.estimated_seconds > 10 * small.estimated_seconds


def test_growth_crosses_for_the_unlimited_query_but_not_for_the_current_year():
    # With a limit a little above today's estimate, all of history passes it as history grows...
    now = risk_with(ALL_ATTENDANCE).estimated_seconds
    grown = risk_with(ALL_ATTENDANCE, timeout=now * 1.5)
    assert grown.band != "high" and grown.crosses_timeout_in_years is not None
    assert 1 <= grown.crosses_timeout_in_years <= 10
    # ... while one school year stays one school year, however much history there is.
    year = risk_with(THIS_YEAR)
    assert year.seconds_by_year[-1] == pytest.approx(year.seconds_by_year[0], rel=0.1)
    assert risk_with(THIS_YEAR, timeout=year.estimated_seconds * 1.5).crosses_timeout_in_years is None


def test_estimates_grow_year_by_year():
    by_year = risk_with(ALL_ATTENDANCE).seconds_by_year
    assert len(by_year) == 11
    assert all(later > earlier for earlier, later in pairwise(by_year))


def test_a_query_already_over_the_limit_crosses_now_and_is_an_error(check):
    risk = risk_with(ALL_ATTENDANCE, timeout=1)
    assert risk.band == "high" and risk.crosses_timeout_in_years == 0
    report = checker(timeout=1).check(Source("q.sql", ALL_ATTENDANCE.encode()))
    found = [f for f in report.findings if f.rule == "RK001"]
    assert found and found[0].severity == "error" and found[0].category == "risk"
    assert "already more likely than not" in found[0].message


def test_a_low_risk_query_has_no_risk_finding(check):
    assert "RK001" not in {f.rule for f in check(THIS_YEAR).findings}


def test_a_result_over_the_query_wizard_cap_is_its_own_finding(check):
    found = [f for f in check(ALL_ATTENDANCE).findings if f.rule == "RK002"]
    assert found and "about 15.0M rows" in found[0].message and "at 5.0M rows" in found[0].message


def test_rows_written_to_a_table_are_not_a_query_wizard_result(check):
    sql = "SELECT a.personID, a.date INTO #all FROM Attendance a\n"
    assert "RK002" not in {f.rule for f in check(sql).findings}


def test_per_row_function_calls_add_time_and_are_named(check):
    plain = risk_of(check, THIS_YEAR)
    called = risk_of(check, THIS_YEAR.replace("a.status FROM", "dbo.fn_StatusName(a.status) AS s FROM"))
    assert called.estimated_seconds > plain.estimated_seconds
    assert any(d.startswith("calls dbo.fn_StatusName for each of") for d in called.drivers)


def test_a_method_of_an_xml_value_is_not_a_function_call(check):
    # The usual way of joining strings before STRING_AGG: .value() is the xml type's own method.
    sql = ("SELECT s.personID, STUFF((SELECT ', ' + c.email FROM RelatedPair rp JOIN Contact c ON c.personID = rp.personID2 "
           "WHERE rp.personID1 = s.personID FOR XML PATH(''), TYPE).value('.', 'varchar(max)'), 1, 2, '') AS emails "
           "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026\n")
    assert not [d for d in risk_of(check, sql).drivers if d.startswith("calls")]


@pytest.mark.parametrize("computed", ["CAST(p.personID AS int)", "p.personID + 0", "COALESCE(p.personID, 0)"])
def test_a_join_on_a_column_a_derived_table_computes_is_a_join(check, computed):
    sql = ("SELECT a.date FROM (SELECT {} AS pid FROM Person p WHERE p.personID < 100) x "
           "JOIN Attendance a ON a.personID = x.pid WHERE a.calendarID = 5\n")
    joined = risk_of(check, sql.format(computed))
    assert not [d for d in joined.drivers if "nothing joins them" in d]
    assert joined.cost == pytest.approx(risk_of(check, sql.format("p.personID")).cost, rel=0.01)


def test_a_join_to_a_recursive_cte_is_a_join(check):
    sql = ("WITH days AS (SELECT CAST('2025-08-15' AS date) AS d UNION ALL\n"
           "SELECT DATEADD(day, 1, d) FROM days WHERE d < '2026-06-01')\n"
           "SELECT d.d, COUNT(a.attendanceID) FROM days d LEFT JOIN Attendance a ON a.date = d.d GROUP BY d.d\n")
    assert not [d for d in risk_of(check, sql).drivers if "nothing joins them" in d]


@pytest.mark.parametrize("anchor, end, option, rows", [
    ("SELECT CAST('2025-08-15' AS date) AS d", "2026-06-01", "", "101 rows"),  # SQL Server's 100 levels, and the anchor
    ("SELECT CAST('2025-08-15' AS date) AS d UNION ALL SELECT CAST('2026-01-05' AS date)", "2026-06-01",
     "OPTION (MAXRECURSION 30)", "62 rows"),
    # the days its condition counts: the 15th of August to the 1st of June, 291 levels, under no limit or a higher one
    ("SELECT CAST('2025-08-15' AS date) AS d", "2026-06-01", "OPTION (MAXRECURSION 0)", "291 rows"),
    ("SELECT CAST('2025-08-15' AS date) AS d", "2025-08-25", "OPTION (MAXRECURSION 200)", "11 rows"),
])
def test_a_recursive_list_of_constants_holds_a_row_per_level_it_may_go(check, anchor, end, option, rows):
    sql = (f"WITH days AS ({anchor} UNION ALL SELECT DATEADD(day, 1, d) FROM days WHERE d < '{end}')\n"
           f"SELECT a.personID FROM days JOIN Attendance a ON a.date = days.d {option}\n")
    assert any(f"joins {rows} to" in driver for driver in risk_of(check, sql).drivers)


def test_the_file_risk_adds_its_statements(check):
    report = check(THIS_YEAR + "\n" + ALL_ATTENDANCE)
    statements = report.risk.statements
    assert len(statements) == 2
    assert report.risk.risk.estimated_seconds == pytest.approx(sum(s.risk.estimated_seconds for s in statements), rel=1e-3)
    assert report.risk.risk.drivers[0] == statements[1].risk.drivers[0]  # the slower statement's first


def test_a_statement_that_takes_a_sliver_of_the_files_time_does_not_drive_it(check):
    report = check("DECLARE @year smallint = (SELECT endYear FROM SchoolYear WHERE active = 1)\n" + ALL_ATTENDANCE)
    small, large = report.risk.statements
    assert small.risk.drivers and not set(small.risk.drivers) & set(report.risk.risk.drivers)
    assert report.risk.risk.drivers == large.risk.drivers[:3]


@pytest.mark.parametrize("timeout", [2, 5, 600])
def test_planning_only_the_years_needed_finds_the_same_crossing_as_planning_every_year(timeout):
    """The crossing year is found by halving the horizon, which relies on the chance of passing the
    timeout rising with the years; planning every year of every sample must agree."""
    catalog = load_bundled()
    quick, full = Checker(catalog, Settings(timeout_seconds=timeout)), Checker(catalog, Settings(timeout, every_year=True))
    crossings = 0
    for path in sample_files():
        source = Source(str(path), path.read_bytes())
        fast, slow = quick.check(source).risk, full.check(source).risk
        if slow is None:
            continue
        for left, right in zip([fast.risk, *(s.risk for s in fast.statements)],
                               [slow.risk, *(s.risk for s in slow.statements)], strict=True):
            assert (left.band, left.estimated_seconds, left.crosses_timeout_in_years) == \
                   (right.band, right.estimated_seconds, right.crosses_timeout_in_years), path
            crossings += right.crosses_timeout_in_years not in (None, 0)
    assert timeout == 600 or crossings > 0  # the short limits put some crossings inside the horizon


def test_a_database_at_a_legacy_compatibility_level_is_estimated_as_its_optimizer_would():
    """Below compatibility level 120 SQL Server multiplies filters' selectivities and guesses one row
    for a multi-statement function; 2014's estimator backs off and guesses 100."""
    from dataclasses import replace

    from advisor.catalog.model import Server

    two_filters = "SELECT a.personID FROM Attendance a WHERE a.status = 'A' AND a.date >= '2026-01-05'\n"
    function = "SELECT f.personID FROM dbo.fn_Absences(2026) f\n"

    def estimate(sql: str, level: int):
        catalog = replace(load_bundled(), server=Server(compatibility_level=level))
        return Checker(catalog, Settings(600)).check(Source("q.sql", sql.encode())).risk.statements[0].risk

    assert estimate(two_filters, 110).rows <= 0.5 * estimate(two_filters, 150).rows  # s1 * s2, not s1 * s2^(1/2)
    assert (estimate(function, 110).rows, estimate(function, 150).rows) == (1, 100)


NESTED_CURSORS = """DECLARE @s int, @p int
DECLARE schools CURSOR FOR SELECT schoolID FROM School
OPEN schools
FETCH NEXT FROM schools INTO @s
WHILE @@FETCH_STATUS = 0
BEGIN
    DECLARE kids CURSOR LOCAL FOR SELECT personID FROM student WITH (NOEXPAND) WHERE schoolID = @s AND endYear = 2026
    OPEN kids
    FETCH kids INTO @p
    WHILE @@FETCH_STATUS = 0
    BEGIN
        UPDATE CustomStudent SET value = 'Y' WHERE personID = @p AND attributeID = 512
        FETCH kids INTO @p
    END
    CLOSE kids
    DEALLOCATE kids
    FETCH NEXT FROM schools INTO @s
END
DECLARE @i int = 0
WHILE @i < 10
    SET @i += 1
"""
ONE_UPDATE = "DECLARE @p int\nUPDATE CustomStudent SET value = 'Y' WHERE personID = @p AND attributeID = 512\n"


def test_a_statement_in_cursor_loops_runs_once_for_each_row_the_cursors_fetch(check):
    """The UPDATE runs for every student of every school: its time is one run's times both
    cursors' rows, the loops come first among its drivers, and the file's time includes it."""
    by_line = {statement.span.line: statement.risk for statement in check(NESTED_CURSORS).risk.statements}
    schools, kids, update = by_line[2], by_line[7], by_line[12]
    (once,) = (statement.risk for statement in check(ONE_UPDATE).risk.statements)
    assert schools.runs == 1 and kids.runs == schools.rows and update.runs == pytest.approx(schools.rows * kids.rows)
    one_run = Settings().model.seconds(once.cost, once.io_cost)  # its estimated_seconds rounds to 0.000
    assert update.estimated_seconds == pytest.approx(update.runs * one_run, rel=0.01)
    assert update.cost == once.cost  # SQL Server's cost is one run's
    assert update.drivers[0] == f"runs {count(update.runs)} times: once for each row of cursors schools and kids"
    assert kids.drivers[0] == f"runs once for each of the {row_count(schools.runs * schools.rows)} cursor schools fetches"


@pytest.mark.parametrize("changed", ["Attendance", "v_AttendanceDetail", "#absent"])
def test_a_change_of_the_row_a_cursor_is_on_changes_one_row(check, changed):
    """UPDATE ... WHERE CURRENT OF c changes the row c fetched, of a table, of a view's tables or of
    a temp table: one row each time, in scope, once for each row the cursor fetches."""
    script = ("DECLARE @id int\nDECLARE c CURSOR FOR SELECT a.attendanceID FROM Attendance a WHERE a.calendarID = 12\n"
              "OPEN c\nFETCH NEXT FROM c INTO @id\nWHILE @@FETCH_STATUS = 0\nBEGIN\n"
              f"    UPDATE {changed} SET status = 'P' WHERE CURRENT OF c\n    FETCH NEXT FROM c INTO @id\nEND\n")
    report = check(script)
    by_line = {statement.span.line: statement.risk for statement in report.risk.statements}
    fetched, changed_row = by_line[2], by_line[7]
    assert changed_row.rows == 1 and changed_row.runs == fetched.rows
    assert "changes the row cursor c is on" in changed_row.drivers or changed != "Attendance"
    assert not {f.rule for f in report.findings if f.span.line == 7} & {"SC001", "RK001"}


def test_a_statement_in_a_loop_that_cannot_be_counted_says_it_is_one_pass(check):
    """WHILE 1 = 1 over the schools: its passes are unknown, so the estimate is one pass and its
    first driver says so; a statement after the loop, and one in a cursor loop, do not."""
    from advisor.risk import UNCOUNTED_LOOP

    script = ("DECLARE @id int = 0\nWHILE 1 = 1\nBEGIN\n"
              "    SELECT @id = MIN(s.schoolID) FROM School s WHERE s.schoolID > @id\n    IF @id IS NULL BREAK\n"
              "    SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.schoolID = @id\n"
              "END\nSELECT s.name FROM School s\n")
    by_line = {statement.span.line: statement.risk for statement in check(script).risk.statements}
    assert by_line[4].drivers[0] == by_line[6].drivers[0] == UNCOUNTED_LOOP
    assert UNCOUNTED_LOOP not in by_line[8].drivers
    cursor_loop = {statement.span.line: statement.risk for statement in check(NESTED_CURSORS).risk.statements}
    assert UNCOUNTED_LOOP not in cursor_loop[12].drivers


@pytest.mark.parametrize("start, condition, step, passes", [
    ("DECLARE @y int = 2017", "@y <= 2026", "SET @y += 1", 10),  # a year at a time
    ("DECLARE @y int\nSET @y = 2017", "2026 >= @y", "SET @y = @y + 3", 4),  # 2017, 2020, 2023, 2026
    ("DECLARE @y date = '2025-08-15'", "@y < '2025-09-15'", "SET @y = DATEADD(day, 1, @y)", 31),  # a day at a time
])
def test_a_while_loop_that_counts_with_a_variable_runs_its_statements_that_many_times(check, start, condition, step, passes):
    """The passes are counted from the value the variable starts at, the step the body adds and the
    loop's condition: the statement inside costs that many runs, and its first driver says so."""
    script = (f"{start}\nWHILE {condition}\nBEGIN\n"
              "    SELECT COUNT(*) FROM Attendance a WHERE a.status = 'A'\n"
              f"    {step}\nEND\nSELECT COUNT(*) FROM Attendance a WHERE a.status = 'A'\n")
    statements = check(script).risk.statements
    inside, after = statements[-2].risk, statements[-1].risk
    assert inside.runs == passes and inside.drivers[0].startswith(f"runs {passes} times: once for each pass of the WHILE loop on @y")
    assert inside.estimated_seconds == pytest.approx(passes * after.estimated_seconds, rel=0.01)


@pytest.mark.parametrize("body", [
    "    IF @y = 2020 BREAK\n    SET @y += 1\n",  # it may leave early
    "    IF @y < 2030 SET @y += 1\n",  # a step taken only sometimes
])
def test_a_loop_whose_passes_depend_on_more_than_its_counter_is_not_counted(check, body):
    from advisor.risk import UNCOUNTED_LOOP

    script = ("DECLARE @y int = 2017\nWHILE @y <= 2026\nBEGIN\n"
              f"    SELECT COUNT(*) FROM Enrollment e WHERE e.endYear = 2026\n{body}END\n")
    (inside,) = [s.risk for s in check(script).risk.statements if s.keyword == "SELECT"]
    assert inside.drivers[0] == UNCOUNTED_LOOP and inside.runs == 1


_SCHOOL_LOOP = ("DECLARE @id int = 0\nWHILE @id < 100\nBEGIN\n"
                "    SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.schoolID = @id\n"
                "{}END\nSELECT s.name FROM School s\n")


def test_a_loop_that_never_ends_passes_the_timeout_every_time(check):
    """The body never changes @id: the timeout stops the script every time, whatever one pass of
    the loop costs. The file and the statement in the loop say so, with the loop as the driver;
    the statement after it, which never runs, keeps its own estimate. SH035 is the finding, not RK001."""
    report = check(_SCHOOL_LOOP.format(""))
    by_line = {statement.span.line: statement.risk for statement in report.risk.statements}
    for risk in (report.risk.risk, by_line[4]):
        assert risk.never_ends and risk.length == "never ends"
        assert (risk.band, risk.p_timeout, risk.estimated_seconds, risk.crosses_timeout_in_years) == ("high", 1.0, 600, 0)
        assert risk.drivers == ("the WHILE loop on line 2 never ends (SH035)",)
    assert not by_line[6].never_ends and by_line[6].band == "low"
    assert [(f.rule, f.span.line) for f in report.findings if f.rule in ("SH035", "RK001")] == [("SH035", 2)]


def test_a_loop_its_body_ends_is_estimated_as_passes(check):
    counted = check(_SCHOOL_LOOP.format("    SET @id += 1\n")).risk
    assert not counted.risk.never_ends and counted.risk.band == "low"
    assert counted.risk.length.startswith("about ")


@pytest.mark.parametrize("condition", ["(@@FETCH_STATUS = 0)", "@@fetch_status <> -1"])
def test_a_cursor_loop_is_known_however_its_condition_is_written(check, condition):
    script = NESTED_CURSORS.replace("WHILE @@FETCH_STATUS = 0", f"WHILE {condition}")
    update = {s.span.line: s.risk for s in check(script).risk.statements}[12]
    assert update.runs > 1000


def test_a_while_loop_on_anything_else_is_counted_once(check):
    script = check(NESTED_CURSORS + "SELECT a.personID FROM Attendance a WHERE a.personID = @p\n")
    assert script.risk.statements[-1].risk.runs == 1


def test_the_risk_bench_leaves_out_statements_a_loop_runs_many_times(tmp_path):
    """It measures one run of each statement."""
    from bench.risk.estimate import estimated_statements
    from bench.risk.queryset import File

    statements = estimated_statements(File(tmp_path / "loops.sql", NESTED_CURSORS.encode(), ()))
    assert statements == {1}  # the schools cursor's query, the only statement that runs once


@pytest.mark.parametrize("view_column", ["s.identityID", "s.homeroomID"])
def test_a_join_on_a_column_the_catalogs_view_lacks_still_joins(check, view_column):
    """The bundled v_AdHocStudent has no identityID (a district's own view may): the join is
    costed as a join on an unknown column, not as every student paired with every identity."""
    known = risk_of(check, "SELECT s.studentNumber, i.lastName FROM v_AdHocStudent s\n"
                           "JOIN [Identity] i ON i.identityID = s.personID WHERE s.endYear = 2026\n")
    unknown = risk_of(check, "SELECT s.studentNumber, i.lastName FROM v_AdHocStudent s\n"
                             f"JOIN [Identity] i ON i.identityID = {view_column} WHERE s.endYear = 2026\n")
    assert not any("pairs every one" in driver for driver in unknown.drivers)
    assert unknown.rows <= 2 * known.rows and unknown.estimated_seconds < 2 * known.estimated_seconds


FIXES = "CREATE TABLE #fix (attendanceID int PRIMARY KEY, status char(1))\n"


@pytest.mark.parametrize("joined", [
    "Attendance t LEFT JOIN #fix s ON s.attendanceID = t.attendanceID",
    "#fix s RIGHT JOIN Attendance t ON t.attendanceID = s.attendanceID",
    "#fix s FULL JOIN Attendance t ON t.attendanceID = s.attendanceID",
])
def test_a_join_that_keeps_a_large_table_whole_reads_all_of_it(check, catalog, joined):
    """Nested loops keep the rows of their outer input only: a table an outer join keeps whole is
    read whole, not looked up once for each row of the small one."""
    risk = check(FIXES + f"SELECT t.status, s.status FROM {joined}\n").risk.statements[-1].risk
    assert risk.rows >= catalog.table("Attendance").rows
    assert risk.drivers[0] == "reads all 15.0M Attendance rows: no year or calendar limit"
    assert not any(driver.startswith("looks up Attendance") for driver in risk.drivers)
    inner = check(FIXES + "SELECT t.status FROM #fix s JOIN Attendance t ON t.attendanceID = s.attendanceID\n")
    assert inner.risk.statements[-1].risk.drivers == ("looks up Attendance once for each of 1,000 rows",)


def test_a_merge_that_deletes_what_its_source_lacks_reads_its_whole_target(check, catalog):
    merge = ("MERGE Attendance AS t USING #fix s ON t.attendanceID = s.attendanceID "
             "WHEN MATCHED THEN UPDATE SET t.status = s.status{};\n")
    matched = check(FIXES + merge.format("")).risk.statements[-1].risk
    assert matched.drivers == ("looks up Attendance once for each of 1,000 rows",)
    every_row = check(FIXES + merge.format(" WHEN NOT MATCHED BY SOURCE THEN DELETE")).risk.statements[-1].risk
    assert every_row.rows >= catalog.table("Attendance").rows and every_row.estimated_seconds > 100 * matched.estimated_seconds


@pytest.mark.parametrize("built", ["FOR XML PATH('absence'), ROOT('absences')", "FOR JSON PATH"])
def test_a_query_that_builds_one_document_returns_one_value(check, built):
    """FOR XML and FOR JSON make one document of every row read: no row count for the Query
    Wizard to cut (RK002), though every row is still read."""
    found = check(ALL_ATTENDANCE.rstrip() + f" {built}\n")
    risk = found.risk.statements[0].risk
    assert risk.rows == 1 and risk.estimated_seconds == risk_of(check, ALL_ATTENDANCE).estimated_seconds
    assert "RK002" not in {f.rule for f in found.findings}


def test_an_estimate_under_one_row_is_said_as_one_row_not_none(check):
    """Two unknown tables (1,000 rows each, by sqladvise's guess) filtered down to a fraction of a
    row: SQL Server estimates no fewer than one row, and "groups 0 rows" would read as nothing."""
    risk = risk_of(check, (
        "SELECT pv.personID, pv.[Fall] FROM (SELECT ts.personID, t.window, ts.scaleScore FROM TestScore ts "
        "JOIN Test t ON t.testID = ts.testID WHERE t.name LIKE 'MAP Reading%' AND ts.date >= '20260801') src "
        "PIVOT (MAX(scaleScore) FOR window IN ([Fall], [Spring])) pv JOIN Person p ON p.personID = pv.personID "
        "WHERE EXISTS (SELECT 1 FROM Enrollment e CROSS APPLY STRING_SPLIT('09,10', ',') g "
        "WHERE e.personID = p.personID AND e.grade = g.value AND e.endYear = 2027)\n"))
    assert "groups 1 row for PIVOT" in risk.drivers
    assert not any(" 0 rows" in driver for driver in risk.drivers)
    assert (row_count(0.3), row_count(0), row_count(1.4), row_count(2)) == ("1 row", "0 rows", "1 row", "2 rows")


def test_a_calendars_rows_joined_on_the_person_keep_every_row_of_its_students(check, catalog):
    """One calendar's Attendance rows belong to its few hundred students, not to as many people as
    they are rows: joined to those students on personID and calendarID, each keeps its row, and
    grouped by person they make a group per student."""
    per_calendar = catalog.table("Enrollment").rows / catalog.table("Calendar").rows
    joined = ("SELECT s.personID{} FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID "
              "AND a.calendarID = s.calendarID WHERE s.calendarID = 4512{}\n")
    rows = risk_of(check, joined.format(", a.date", "")).rows
    assert rows == pytest.approx(catalog.table("Attendance").rows / catalog.table("Calendar").rows, rel=0.01)
    assert rows > 40 * per_calendar
    assert risk_of(check, joined.format(", COUNT(*)", " GROUP BY s.personID")).rows == pytest.approx(per_calendar, rel=0.01)


@pytest.mark.parametrize("where, held", [("", "rows"), (" WHERE s.endYear = 2026", "growth_per_year")])
def test_a_join_on_all_of_a_grain_pairs_each_row_with_its_one_match(check, catalog, where, held):
    """(personID, calendarID) is an enrollment: each attendance row meets its one enrollment row.
    Compared one column at a time, the two conditions kept a small fraction of them."""
    joined = ("SELECT s.studentNumber, a.date FROM student s WITH (NOEXPAND) JOIN Attendance a "
              f"ON a.personID = s.personID AND a.calendarID = s.calendarID{where}\n")
    assert risk_of(check, joined).rows == pytest.approx(getattr(catalog.table("Attendance"), held), rel=0.01)


def test_a_grain_joined_through_two_tables_pairs_the_rows_of_each_enrollment(check, catalog):
    """GradingScore joined on its person to Person and on its calendar to Attendance: each of an
    enrollment's attendance rows meets each of its scores, as many pairs as the two tables have
    rows for each enrollment, multiplied, for every enrollment."""
    joined = ("SELECT p.studentNumber, a.date, gs.score FROM Person p JOIN Attendance a ON a.personID = p.personID "
              "JOIN GradingScore gs ON gs.personID = p.personID AND gs.calendarID = a.calendarID\n")
    attendance, scores = catalog.table("Attendance").rows, catalog.table("GradingScore").rows
    assert risk_of(check, joined).rows == pytest.approx(attendance * scores / catalog.table("Enrollment").rows, rel=0.01)
