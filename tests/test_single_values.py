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
        "INSERT INTO student VALUES (1, '101', 50, 12, 2027), (2, '102', 51, 14, 2027)",
        # student 1 has two guardians; two schools have a calendar in 2027
        "INSERT INTO RelatedPair VALUES (1, 1, 90, 1, 1), (2, 1, 91, 1, 2), (3, 2, 92, 1, 1)",
        "INSERT INTO Calendar VALUES (50, 12, 2027, 'North'), (51, 14, 2027, 'South')",
        "INSERT INTO School VALUES (12, 'North High'), (14, 'South High')",
        "INSERT INTO SchoolYear VALUES (2026, 0), (2027, 1)",
    ) as connection:
        yield connection


_hits = partial(found, rule="SH022")


GUARDIAN = "(SELECT rp.personID2 FROM RelatedPair rp WHERE rp.personID1 = s.personID AND rp.guardian = 1)"
YEARS_CALENDAR = "(SELECT calendarID FROM Calendar WHERE endYear = 2027)"


@pytest.mark.parametrize("sql, how, fixed", [
    (f"SELECT s.studentNumber, {GUARDIAN} AS guardianID FROM student s WHERE s.endYear = 2027",
     "guardian and personID1 do not name one row of RelatedPair rp, whose key is pairID",
     f"SELECT s.studentNumber, {GUARDIAN.replace('(SELECT', '(SELECT TOP 1').replace(' = 1)', ' = 1 ORDER BY rp.seq)')} "
     "AS guardianID FROM student s WHERE s.endYear = 2027"),
    (f"SELECT s.studentNumber FROM student s WHERE s.calendarID = {YEARS_CALENDAR}",
     "endYear does not name one row of Calendar, whose key is calendarID",
     f"SELECT s.studentNumber FROM student s WHERE s.calendarID IN {YEARS_CALENDAR}"),
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
])
def test_a_subquery_that_finds_one_row_is_left_alone(check, postgres, value):
    sql = f"SELECT s.studentNumber, {value} AS v FROM student s WHERE s.endYear = 2027"
    assert _hits(check, sql) == []
    assert len(postgres_rows(postgres, sql)) == 2


@pytest.mark.parametrize("sql", [
    # many values are what IN, EXISTS and ANY take
    f"SELECT s.studentNumber FROM student s WHERE s.calendarID IN {YEARS_CALENDAR}",
    f"SELECT s.studentNumber FROM student s WHERE s.calendarID = ANY {YEARS_CALENDAR}",
    # FOR XML PATH builds one value of all the rows
    "SELECT s.studentNumber, STUFF((SELECT ', ' + CAST(rp.personID2 AS varchar(10)) FROM RelatedPair rp "
    "WHERE rp.personID1 = s.personID FOR XML PATH('')), 1, 2, '') AS guardians FROM student s",
    # a view's keys are not known
    "SELECT s.studentNumber, (SELECT c.email FROM v_CensusContactSummary c WHERE c.personID = s.personID) AS email "
    "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027",
])
def test_subqueries_that_may_return_many_rows_or_whose_rows_are_unknown_are_left_alone(check, sql):
    assert _hits(check, sql) == []


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
