"""JN010: a SUM or COUNT of a table joined to the grouped table on the grouped columns only,
where the grouped table has several rows in a group. SQLite joins as SQL Server does: a student
enrolled at two schools this year has their credits added up twice, and the derived table the
finding offers in the grouped table's place adds them up once."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="JN010")

ROWS = {
    # student 1: enrolled twice in 2026 (moved school), 2 transcript rows; student 2: enrolled once, 1 row
    "Enrollment": ("enrollmentID, personID, calendarID, endYear", [(1, 1, 412, 2026), (2, 1, 415, 2026), (3, 2, 412, 2026)]),
    "TranscriptCourse": ("transcriptID, personID, creditsEarned", [(10, 1, 1.0), (11, 1, 0.5), (12, 2, 1.0)]),
}
CREDITS = ("SELECT e.personID, SUM(tc.creditsEarned) AS credits, COUNT(tc.transcriptID) AS courses\nFROM Enrollment e\n"
           "JOIN TranscriptCourse tc ON tc.personID = e.personID\nWHERE e.endYear = 2026\nGROUP BY e.personID")


@pytest.fixture(scope="module")
def database():
    return sqlite_with(ROWS)


def test_a_total_repeated_by_the_grouped_tables_rows_is_found_and_the_offered_derived_table_totals_once(check, database):
    total, count = _hits(check, CREDITS)
    assert total.message == (
        "SUM(tc.creditsEarned) adds up each TranscriptCourse row once for every Enrollment row of its group: the query "
        "groups by e.personID, Enrollment e has several rows in a group (its rows differ in e.calendarID), and "
        "TranscriptCourse tc is joined to it on e.personID only, so each of them meets the same TranscriptCourse rows "
        "and the total is multiplied by how many there are.")
    assert (total.span.line, total.span.column, count.span.column) == (1, 20, 54)
    assert count.message.startswith("COUNT(tc.transcriptID) counts each TranscriptCourse row once")
    assert count.remediation.endswith(" For a count of TranscriptCourse rows, COUNT(DISTINCT tc.transcriptID) counts "
                                      "each once.")
    assert sqlite_rows(database, CREDITS) == [(1, 3.0, 4), (2, 1.0, 1)]  # student 1's 1.5 credits and 2 courses, twice
    derived = total.remediation.split("once for each group, ")[1].split(" in its place")[0]
    assert derived == "(SELECT DISTINCT e.personID FROM Enrollment e WHERE e.endYear = 2026) e"
    fixed = CREDITS.replace("FROM Enrollment e\n", f"FROM {derived}\n").replace("WHERE e.endYear = 2026\n", "")
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed) == [(1, 1.5, 2), (2, 1.0, 1)]


def test_the_grouped_table_read_through_a_star_in_a_derived_table_has_its_several_rows_a_group(check):
    """(SELECT * FROM Enrollment) e passes on Enrollment's rows as they are: a student's enrollments
    this year still multiply their credits."""
    through = CREDITS.replace("FROM Enrollment e", "FROM (SELECT * FROM Enrollment) e")
    total, count = _hits(check, through)
    assert total.message.startswith("SUM(tc.creditsEarned) adds up each TranscriptCourse row once for every e row of "
                                    "its group: the query groups by e.personID, e has several rows in a group (its rows "
                                    "differ in e.calendarID)")
    assert count.message.startswith("COUNT(tc.transcriptID) counts each TranscriptCourse row once")

def test_a_view_with_a_row_per_enrollment_is_found_and_its_derived_table_keeps_the_columns_taken(check, database):
    database.execute("CREATE VIEW student AS SELECT personID, calendarID, endYear, 'Lee' AS lastName FROM Enrollment")
    counted = CREDITS.replace("e.personID, SUM", "e.personID, e.lastName, SUM").replace(
        "FROM Enrollment e", "FROM student e WITH (NOEXPAND)").replace("GROUP BY e.personID", "GROUP BY e.personID, e.lastName")
    total, _ = _hits(check, counted)
    assert "the query groups by e.personID and e.lastName, student e has several rows in a group" in total.message
    derived = total.remediation.split("once for each group, ")[1].split(" in its place")[0]
    assert derived == "(SELECT DISTINCT e.personID, e.lastName FROM student e WITH (NOEXPAND) WHERE e.endYear = 2026) e"
    assert sqlite_rows(database, counted) == [(1, "Lee", 3.0, 4), (2, "Lee", 1.0, 1)]
    fixed = counted.replace("FROM student e WITH (NOEXPAND)\n", f"FROM {derived}\n").replace("WHERE e.endYear = 2026\n", "")
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, fixed.replace(" WITH (NOEXPAND)", "")) == [(1, "Lee", 1.5, 2), (2, "Lee", 1.0, 1)]


def test_a_grouped_table_joined_to_another_on_a_column_not_grouped_gets_the_fix_in_words(check):
    counted = CREDITS.replace("FROM Enrollment e\n", "FROM Enrollment e\nJOIN Calendar c ON c.calendarID = e.calendarID\n"
                              ).replace("WHERE e.endYear", "WHERE c.endYear")
    total, _ = _hits(check, counted)
    assert total.remediation.startswith(
        "Read Enrollment e once for each group: in its place, a derived table of SELECT DISTINCT the columns the query "
        "takes from it, with its conditions; or total TranscriptCourse in a derived table of its own, grouped by the "
        "columns joined to Enrollment e, and join that.")


@pytest.mark.parametrize("sql", [
    # one enrollment in a group: the calendar is fixed
    CREDITS.replace("e.endYear = 2026", "e.calendarID = 412"),
    # one enrollment picked for each student by its key
    CREDITS.replace("e.endYear = 2026", "e.enrollmentID IN (SELECT MAX(x.enrollmentID) FROM Enrollment x "
                    "WHERE x.endYear = 2026 GROUP BY x.personID)"),
    CREDITS.replace("FROM Enrollment e\n", "FROM Enrollment e\nJOIN (SELECT MAX(x.enrollmentID) AS id FROM Enrollment x "
                    "GROUP BY x.personID) latest ON latest.id = e.enrollmentID\n"),
    # totals that count each row once, or mean the joined rows
    CREDITS.replace("SUM(tc.creditsEarned)", "COUNT(*)").replace("COUNT(tc.transcriptID)", "COUNT(DISTINCT tc.transcriptID)"),
    # one row for each person
    CREDITS.replace("Enrollment e", "Person e").replace("WHERE e.endYear = 2026\n", ""),
    "CREATE TABLE #kids (personID int PRIMARY KEY, endYear int)\n" + CREDITS.replace("Enrollment e", "#kids e"),
    # joined on the rest of the grouped table's key as well: each enrollment meets its own rows
    CREDITS.replace("tc.personID = e.personID", "tc.personID = e.personID AND tc.calendarID = e.calendarID"),
    # the totalled table's part of the query is joined to the grouped table on a column not grouped on too
    CREDITS.replace("WHERE e.endYear", "JOIN Calendar c ON c.calendarID = e.calendarID AND c.schoolID = tc.personID\n"
                    "WHERE e.endYear"),
    # one Person row for each studentNumber, which names one person
    CREDITS.replace("e.personID, SUM", "e.studentNumber, SUM").replace("Enrollment e", "Person e").replace(
        "WHERE e.endYear = 2026\nGROUP BY e.personID", "GROUP BY e.studentNumber"),
    # one calendar, the value of a subquery: one enrollment in a group
    CREDITS.replace("e.endYear = 2026", "e.calendarID = (SELECT MAX(c.calendarID) FROM Calendar c)"),
])
def test_a_total_each_grouped_row_does_not_repeat_is_not_reported(check, sql):
    assert _hits(check, sql) == []


@pytest.mark.parametrize("grouped", ["Enrollment e", "student e WITH (NOEXPAND)", "v_AdHocStudent e"])
def test_a_table_that_has_the_rest_of_the_key_is_left_to_jn002(check, grouped):
    attendance = CREDITS.replace("TranscriptCourse tc ON tc.personID", "Attendance tc ON tc.personID").replace(
        "FROM Enrollment e", f"FROM {grouped}")
    assert _hits(check, attendance) == []
    assert [f.rule for f in check(attendance + "\n").findings if f.rule == "JN002"] == ["JN002"]


def test_a_temp_table_filled_with_a_row_per_enrollment_is_found(check):
    filled = "SELECT e.personID, e.endYear INTO #enr FROM Enrollment e WHERE e.endYear = 2026\n"
    total, _ = _hits(check, filled + CREDITS.replace("FROM Enrollment e", "FROM #enr e"))
    assert "#enr e has several rows in a group" in total.message


def test_a_cte_with_a_row_per_enrollment_is_read_by_its_name_and_a_derived_table_gets_the_fix_in_words(check, database):
    cte = ("WITH cur AS (SELECT e.personID, e.calendarID FROM Enrollment e WHERE e.endYear = 2026)\n"
           "SELECT cur.personID, SUM(tc.creditsEarned) AS credits FROM cur\n"
           "JOIN TranscriptCourse tc ON tc.personID = cur.personID GROUP BY cur.personID")
    (hit,) = _hits(check, cte)
    assert "cur has several rows in a group (its rows differ in cur.calendarID)" in hit.message
    derived = hit.remediation.split("once for each group, ")[1].split(" in its place")[0]
    assert derived == "(SELECT DISTINCT cur.personID FROM cur) cur"
    fixed = cte.replace("FROM cur\n", f"FROM {derived}\n")
    assert _hits(check, fixed) == []
    assert sqlite_rows(database, cte) == [(1, 3.0), (2, 1.0)]
    assert sqlite_rows(database, fixed) == [(1, 1.5), (2, 1.0)]
    inline = cte.split("\n", 1)[1].replace("FROM cur\n", "FROM (SELECT e.personID, e.calendarID FROM Enrollment e WHERE "
                                           "e.endYear = 2026) cur\n")
    (hit,) = _hits(check, inline)
    assert hit.remediation.startswith("Read cur once for each group: in its place, a derived table of SELECT DISTINCT")


GUARDIANS = {
    "student": ("personID, studentNumber, calendarID, endYear", [(1, "1001", 412, 2026), (1, "1001", 415, 2026),
                                                                (2, "1002", 412, 2026)]),
    "RelatedPair": ("pairID, personID1, personID2, guardian, seq", [(1, 1, 50, 1, 1), (2, 1, 51, 1, 2), (3, 2, 52, 1, 1)]),
    "Person": ("personID, currentIdentityID", [(50, 500), (51, 510), (52, 520)]),
    "[Identity]": ("identityID, personID, firstName", [(500, 50, "Ann"), (510, 51, "Bo"), (520, 52, "Cy")]),
}
LISTED = ("SELECT s.studentNumber, STRING_AGG(gi.firstName, '; ') AS guardians, COUNT(rp.pairID) AS pairs\n"
          "FROM student s WITH (NOEXPAND)\n"
          "JOIN RelatedPair rp ON rp.personID1 = s.personID AND rp.guardian = 1\n"
          "JOIN Person gp ON gp.personID = rp.personID2\nJOIN [Identity] gi ON gi.identityID = gp.currentIdentityID\n"
          "WHERE s.calendarID IN (412, 415)\nGROUP BY s.studentNumber")


def test_a_list_read_through_other_tables_and_grouped_by_the_student_number_is_found(check):
    database = sqlite_with(GUARDIANS)
    listed, counted = _hits(check, LISTED)
    assert listed.message.endswith(
        "lists each Identity row once for every student row of its group: the query groups by s.studentNumber, student s "
        "has several rows in a group (its rows differ in s.calendarID), and Identity gi is read through RelatedPair rp, "
        "joined to it on s.personID only, so each of them meets the same Identity rows and the list names each of them as "
        "many times.")
    assert counted.message.startswith("COUNT(rp.pairID) counts each RelatedPair row once for every student row")
    derived = listed.remediation.split("once for each group, ")[1].split(" in its place")[0]
    assert derived == ("(SELECT DISTINCT s.studentNumber, s.personID FROM student s WITH (NOEXPAND) WHERE s.calendarID IN "
                       "(412, 415)) s")
    rows = {number: (sorted(names.split("; ")), pairs) for number, names, pairs in sqlite_rows(database, LISTED)}
    assert rows == {"1001": (["Ann", "Ann", "Bo", "Bo"], 4), "1002": (["Cy"], 1)}
    fixed = LISTED.replace("FROM student s WITH (NOEXPAND)\n", f"FROM {derived}\n").replace(
        "WHERE s.calendarID IN (412, 415)\n", "")
    assert _hits(check, fixed) == []
    rows = {number: (sorted(names.split("; ")), pairs)
            for number, names, pairs in sqlite_rows(database, fixed.replace(" WITH (NOEXPAND)", ""))}
    assert rows == {"1001": (["Ann", "Bo"], 2), "1002": (["Cy"], 1)}


def test_a_condition_on_a_name_the_query_does_not_resolve_is_taken_as_one_that_may_pick_a_row(check):
    # ON e = c.calendarID: an alias where a column should be; nothing reported, nothing broken
    unresolved = ("SELECT c.schoolID, COUNT(e.enrollmentID) AS n\nFROM Calendar c JOIN Enrollment e ON e = c.calendarID\n"
                  "WHERE c.endYear = 2026 GROUP BY c.schoolID;\n")
    assert _hits(check, unresolved) == []
