"""SH022: a subquery used as one value that can return more than one row. PostgreSQL stops such a
statement as SQL Server does (error 512 there) once the data holds two rows: each flagged
statement is stopped on rows that keep the catalog's keys, and runs as its fix writes it."""

import json
from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

from advisor.catalog.load import bundled_path


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE student (personID int, studentNumber text, calendarID int, schoolID int, endYear int)",
        "CREATE TABLE RelatedPair (pairID int, personID1 int, personID2 int, guardian int, seq int)",
        "CREATE TABLE Calendar (calendarID int, schoolID int, endYear int, name text)",
        "CREATE TABLE School (schoolID int, name text)",
        "CREATE TABLE SchoolYear (endYear int, active int)",
        "CREATE TABLE Contact (personID int, email text)",
        # as the bundled catalog defines it, in part: a row for each of a student's related people
        "CREATE VIEW v_CensusContactSummary AS SELECT rp.personID1 AS personID, rp.personID2 AS contactPersonID, "
        "ct.email FROM RelatedPair rp LEFT JOIN Contact ct ON ct.personID = rp.personID2",
        "INSERT INTO student VALUES (1, '101', 50, 12, 2027), (2, '102', 51, 14, 2027)",
        # student 1 has two guardians; two schools have a calendar in 2027, and North a summer one too
        "INSERT INTO RelatedPair VALUES (1, 1, 90, 1, 1), (2, 1, 91, 1, 2), (3, 2, 92, 1, 1)",
        "INSERT INTO Calendar VALUES (50, 12, 2027, 'North'), (51, 14, 2027, 'South'), (52, 12, 2027, 'North Summer')",
        "INSERT INTO School VALUES (12, 'North High'), (14, 'South High')",
        "INSERT INTO SchoolYear VALUES (2026, 0), (2027, 1)",
        "INSERT INTO Contact VALUES (90, 'mother@example.org'), (91, 'father@example.org'), (92, 'aunt@example.org')",
    ) as connection:
        yield connection


_hits = partial(found, rule="SH022")


GUARDIAN = "(SELECT rp.personID2 FROM RelatedPair rp WHERE rp.personID1 = s.personID AND rp.guardian = 1)"
YEARS_CALENDAR = "(SELECT calendarID FROM Calendar WHERE endYear = 2027)"
CONTACT_EMAIL = "(SELECT c.email FROM v_CensusContactSummary c WHERE c.personID = s.personID)"
GUARDIANS = "WITH g AS (SELECT rp.personID1, rp.personID2 FROM RelatedPair rp WHERE rp.guardian = 1) "
SCHOOL_CALENDAR = "(SELECT x.calendarID FROM (SELECT * FROM Calendar) x WHERE x.schoolID = s.schoolID)"


@pytest.mark.parametrize("sql, how, fixed", [
    (f"SELECT s.studentNumber, {GUARDIAN} AS guardianID FROM student s WHERE s.endYear = 2027",
     "guardian and personID1 do not name one row of RelatedPair rp, whose key is pairID",
     f"SELECT s.studentNumber, {GUARDIAN.replace('(SELECT', '(SELECT TOP 1').replace(' = 1)', ' = 1 ORDER BY rp.seq)')} "
     "AS guardianID FROM student s WHERE s.endYear = 2027"),
    # a SELECT list item that is the subquery itself, with no name
    (f"SELECT s.studentNumber, {GUARDIAN} FROM student s WHERE s.endYear = 2027",
     "guardian and personID1 do not name one row of RelatedPair rp, whose key is pairID",
     f"SELECT s.studentNumber, {GUARDIAN.replace('(SELECT', '(SELECT MIN(').replace(' FROM', ') FROM', 1)} "
     "FROM student s WHERE s.endYear = 2027"),
    (f"SELECT s.studentNumber FROM student s WHERE s.calendarID = {YEARS_CALENDAR}",
     "endYear does not name one row of Calendar, whose key is calendarID",
     f"SELECT s.studentNumber FROM student s WHERE s.calendarID IN {YEARS_CALENDAR}"),
    # a view, a CTE and a derived table are judged by the query that makes their rows
    (f"SELECT s.studentNumber, {CONTACT_EMAIL} AS email FROM student s WHERE s.endYear = 2027",
     "personID does not name one row of v_CensusContactSummary c, which returns a row for each row of RelatedPair "
     "it reads, whose key is pairID",
     "SELECT s.studentNumber, (SELECT MIN(c.email) FROM v_CensusContactSummary c WHERE c.personID = s.personID) "
     "AS email FROM student s WHERE s.endYear = 2027"),
    (f"{GUARDIANS}SELECT s.studentNumber, (SELECT g.personID2 FROM g WHERE g.personID1 = s.personID) AS guardianID "
     "FROM student s WHERE s.endYear = 2027",
     "personID1 does not name one row of g, which returns a row for each row of RelatedPair it reads, whose key is "
     "pairID",
     f"{GUARDIANS}SELECT s.studentNumber, (SELECT MAX(g.personID2) FROM g WHERE g.personID1 = s.personID) AS "
     "guardianID FROM student s WHERE s.endYear = 2027"),
    (f"SELECT s.studentNumber FROM student s WHERE s.calendarID = {SCHOOL_CALENDAR}",
     "schoolID does not name one row of x, which returns a row for each row of Calendar it reads, whose key is "
     "calendarID",
     f"SELECT s.studentNumber FROM student s WHERE s.calendarID IN {SCHOOL_CALENDAR}"),
])
def test_a_subquery_that_can_return_two_rows_as_one_value_is_found_stops_and_its_fix_runs(check, postgres, sql, how, fixed):
    (hit,) = _hits(check, sql)
    assert hit.severity == "warning" and hit.message == (
        f"This subquery is used as one value, but it can return more than one row: {how}. The first time it does, for "
        "any row, SQL Server stops the whole statement with error 512 (\"Subquery returned more than 1 value\"): it can "
        "run for years before such a row is entered.")
    assert hit.remediation.startswith("Say which row: TOP 1 with an ORDER BY (the latest, the first in sequence), or an "
                                      "aggregate (MAX(...))")
    assert ("write IN (SELECT ...) in place of =" in hit.remediation) is (" = (SELECT" in sql)
    with pytest.raises(psycopg.errors.CardinalityViolation):
        postgres_rows(postgres, sql)
    assert len(postgres_rows(postgres, fixed)) == 2


def test_a_variable_set_from_a_subquery_is_judged_too(check):
    (declared,) = _hits(check, f"DECLARE @calendarID int = {YEARS_CALENDAR}")
    (assigned,) = _hits(check, f"DECLARE @calendarID int\nSET @calendarID = {YEARS_CALENDAR}")
    assert declared.span.line == 1 and assigned.span.line == 2


@pytest.mark.parametrize("value", [
    "(SELECT sc.name FROM School sc WHERE sc.schoolID = s.schoolID)",  # the key
    # the key, then the other table joined on its own key
    "(SELECT sc.name FROM Calendar c JOIN School sc ON sc.schoolID = c.schoolID WHERE c.calendarID = s.calendarID)",
    "(SELECT endYear FROM SchoolYear WHERE active = 1)",  # the catalog's one_row: Campus keeps one active year
    "(SELECT TOP 1 rp.personID2 FROM RelatedPair rp WHERE rp.personID1 = s.personID ORDER BY rp.seq)",
    "(SELECT MAX(rp.personID2) FROM RelatedPair rp WHERE rp.personID1 = s.personID)",
    "(SELECT DISTINCT c.endYear FROM Calendar c WHERE c.endYear = 2027)",  # every row has the same one value
    # a derived table's or CTE's rows are its query's: School's key names one
    "(SELECT x.name FROM (SELECT * FROM School) x WHERE x.schoolID = s.schoolID)",
    "(SELECT x.name FROM (SELECT sc.schoolID, sc.name FROM School sc) x WHERE x.schoolID = s.schoolID)",
])
def test_a_subquery_that_finds_one_row_is_left_alone(check, postgres, value):
    sql = f"SELECT s.studentNumber, {value} AS v FROM student s WHERE s.endYear = 2027"
    assert _hits(check, sql) == []
    assert len(postgres_rows(postgres, sql)) == 2


@pytest.mark.parametrize("set_as, many", [
    ("DECLARE @current int = 1", False),  # the catalog's one_row, held by the variable
    ("DECLARE @current int = 0", True),  # every year but the active one
    ("DECLARE @current int\nSELECT @current = COUNT(*) FROM School", True),  # no one constant
])
def test_a_value_that_names_one_row_names_it_held_by_a_variable(check, set_as, many):
    sql = (f"{set_as}\nDECLARE @year smallint = (SELECT sy.endYear FROM SchoolYear sy WHERE sy.active = @current)\n"
           "SELECT e.personID FROM Enrollment e WHERE e.endYear = @year\n")
    assert bool(_hits(check, sql)) is many


def test_a_list_of_one_value_is_the_value_but_a_report_s_parameter_may_be_many(check):
    """SQL Server reads IN (1) as = 1; in a report's dataset, IN (@calendar) is how a parameter of
    many values is written, and Reporting Services puts all of them in its place."""
    sql = "SELECT s.studentNumber, (SELECT c.name FROM Calendar c WHERE c.calendarID IN ({})) AS v FROM student s"
    assert _hits(check, sql.format("412")) == []
    assert _hits(check, sql.format("@calendar"))


@pytest.mark.parametrize("sql", [
    # many values are what IN, EXISTS and ANY take
    f"SELECT s.studentNumber FROM student s WHERE s.calendarID IN {YEARS_CALENDAR}",
    f"SELECT s.studentNumber FROM student s WHERE s.calendarID = ANY {YEARS_CALENDAR}",
    # FOR XML PATH builds one value of all the rows
    "SELECT s.studentNumber, STUFF((SELECT ', ' + CAST(rp.personID2 AS varchar(10)) FROM RelatedPair rp "
    "WHERE rp.personID1 = s.personID FOR XML PATH('')), 1, 2, '') AS guardians FROM student s",
    # a column the view computes: what fixing it leaves is not followed
    "SELECT s.studentNumber, (SELECT c.email FROM v_CensusContactSummary c WHERE c.addressLine1 = '12 Elm St') AS "
    "email FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027",
    # a view that groups (a row per student), and one that is a UNION of its arms
    "SELECT s.studentNumber, (SELECT g.cumGpaWeighted FROM v_CumGPAFull g WHERE g.personID = s.personID) AS gpa "
    "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027",
    "SELECT s.studentNumber, (SELECT e.role FROM v_OneRosterEnrollments e WHERE e.userSourcedId = s.studentNumber) "
    "AS role FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027",
])
def test_subqueries_that_may_return_many_rows_or_whose_rows_are_unknown_are_left_alone(check, sql):
    assert _hits(check, sql) == []


@pytest.mark.parametrize("value", [
    "(SELECT s2.grade FROM student s2 WITH (NOEXPAND) WHERE s2.enrollmentID = s.enrollmentID)",  # its unique index
    "(SELECT i.lastName FROM Individual i WHERE i.personID = s.personID)",  # Person's key, Identity's by the join
    "(SELECT cs.courseName FROM v_CourseSection cs WHERE cs.sectionID = 12)",
])
def test_a_view_whose_tables_the_conditions_make_one_row_is_left_alone(check, value):
    assert _hits(check, f"SELECT s.studentNumber, {value} AS v FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027") == []


@pytest.mark.parametrize("value", [
    "(SELECT s2.grade FROM student s2 WITH (NOEXPAND) WHERE s2.personID = s.personID AND s2.endYear = 2026)",
    "(SELECT sm.title FROM StaffMember sm WHERE sm.personID = 77)",
])
def test_a_view_with_a_row_per_enrollment_or_assignment_is_judged_by_it(check, value):
    (hit,) = _hits(check, f"SELECT s.studentNumber, {value} AS v FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027")
    assert "which returns a row for each row of" in hit.message


def test_a_distinct_column_of_no_table_is_judged_without_failing(check):
    report = check("SELECT s.studentNumber, (SELECT DISTINCT x.endYear FROM Calendar c WHERE c.endYear = 2027) AS v "
                   "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027")
    assert {f.rule for f in report.findings} >= {"CL009", "SH022"}  # no KeyError on the column of no table


def test_a_district_s_catalog_takes_one_row_values_from_the_bundled_one_or_says_its_own(tmp_path):
    from advisor.catalog.load import CatalogError, load, load_bundled
    from advisor.catalog.merge import over_bundled
    from advisor.catalog.model import Catalog, Column, Table

    bundled = load_bundled()
    own = Table("SchoolYear", columns=(Column("endYear", "smallint"), Column("active", "bit")), primary_key=("endYear",), rows=20)
    merged = over_bundled(Catalog("a district's export", False, "district.json", {"schoolyear": own}), bundled)
    assert merged.table("SchoolYear").one_row == {"active": "1"}
    document = json.loads((bundled_path()).read_text(encoding="utf-8"))
    (year,) = [table for table in document["tables"] if table["name"] == "SchoolYear"]
    year["one_row"] = {"active": "0"}
    path = tmp_path / "district.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load(path)[0].table("SchoolYear").one_row == {"active": "0"}
    year["one_row"] = {"active": 1}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CatalogError, match="one_row.active"):
        load(path)
