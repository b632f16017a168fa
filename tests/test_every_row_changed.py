"""SC005: an UPDATE or DELETE with no WHERE and nothing joined changes every row of a Campus
table. PostgreSQL runs the statement as SQL Server would: every school year's enrollments change;
with the WHERE the fix asks for, only the year meant."""

import psycopg
import pytest
from checked import found
from engines import postgres_with

from advisor.catalog.load import load_bundled
from advisor.catalog.merge import over_bundled
from advisor.catalog.model import Catalog, Column, Table
from advisor.pipeline import Checker
from advisor.sources import Source


@pytest.fixture
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, endYear int, calendarID int, stateExclude int)",
        "INSERT INTO Enrollment VALUES (1, 2025, 10, 1), (2, 2026, 20, 1), (3, 2027, 30, 1), (4, 2027, 31, 1)",
    ) as connection:
        yield connection


def _excluded(postgres) -> list[tuple]:
    return postgres.execute("SELECT enrollmentID, stateExclude FROM Enrollment ORDER BY enrollmentID").fetchall()


def test_an_update_with_no_where_changes_every_year_and_the_where_keeps_the_year_meant(check, postgres):
    sql = "UPDATE Enrollment SET stateExclude = 0"
    (hit,) = found(check, sql + "\n", "SC005")
    assert hit.severity == "error" and hit.message == (
        "This UPDATE has no WHERE and joins nothing: it changes all 300k rows of Enrollment, every school year's and "
        "every school's, not only the rows meant.")
    assert hit.remediation.startswith("Add the WHERE that keeps only the rows meant (endYear for a school year, "
                                      "calendarID for a calendar or startDate for a date window)")
    assert found(check, sql + "\n", "SC001") == []  # SC005 says it: the statement reads every row to change it
    postgres.execute(sql)
    assert _excluded(postgres) == [(1, 0), (2, 0), (3, 0), (4, 0)]


def test_the_where_the_fix_asks_for_changes_only_the_year_meant(check, postgres):
    sql = "UPDATE Enrollment SET stateExclude = 0 WHERE endYear = 2027"
    assert found(check, sql + "\n", "SC005") == []
    postgres.execute(sql)
    assert _excluded(postgres) == [(1, 1), (2, 1), (3, 0), (4, 0)]


def test_a_delete_of_a_table_without_school_years_says_what_it_empties(check):
    (hit,) = found(check, "DELETE FROM Contact\n", "SC005")
    assert hit.message.startswith("This DELETE has no WHERE and joins nothing: it deletes all ")
    assert hit.message.endswith(" rows of Contact, not only the rows meant.")
    assert hit.remediation == ("Add the WHERE that keeps only the rows meant, and run it first as SELECT COUNT(*) FROM "
                               "Contact with the same WHERE to see how many rows it will delete.")


@pytest.mark.parametrize("sql", [
    "DELETE e FROM Enrollment e",
    "DELETE Enrollment",
    "IF 1 = 1\nBEGIN\n  UPDATE Enrollment SET stateExclude = 0\nEND",
])
def test_every_way_of_writing_it_is_found(check, sql):
    assert len(found(check, sql + "\n", "SC005")) == 1


@pytest.mark.parametrize("sql", [
    "UPDATE Enrollment SET stateExclude = 0 WHERE calendarID = 30",
    "UPDATE e SET e.stateExclude = 0 FROM Enrollment e JOIN #kids k ON k.personID = e.personID",  # the join keeps some
    "DELETE TOP (10) FROM Enrollment",  # ten rows, not every one
    "UPDATE TOP (10) Enrollment SET stateExclude = 0",
    "UPDATE /* ten at a time */ TOP (10) Enrollment SET stateExclude = 0",
    "DELETE\n-- a batch\nTOP (500) Enrollment",
    "DELETE FROM #kids",  # the script's own table
    "DECLARE @t TABLE (personID int)\nDELETE FROM @t",
    "DELETE FROM DistrictExtractLog",  # a table the catalog does not know
    "DECLARE c CURSOR FOR SELECT e.enrollmentID FROM Enrollment e WHERE e.endYear = 2027\nOPEN c\nFETCH NEXT FROM c\n"
    "UPDATE Enrollment SET stateExclude = 0 WHERE CURRENT OF c",  # the row the cursor is on
])
def test_a_change_limited_to_some_rows_or_of_the_script_s_own_table_is_left_alone(check, sql):
    assert found(check, sql + "\n", "SC005") == []


def test_a_target_none_of_the_from_s_tables_is_changed_whole(check, postgres):
    """The FROM keeps one row of #fix, but nothing names Enrollment: SQL Server (and PostgreSQL's
    UPDATE ... FROM, the same) joins every enrollment to it."""
    sql = "UPDATE Enrollment SET stateExclude = 0 FROM fix x WHERE x.id = 3"
    report = check("CREATE TABLE fix (id int)\n" + sql + "\n")
    (hit,) = [f for f in report.findings if f.rule == "SC005"]
    assert hit.severity == "error" and hit.message == (
        "This UPDATE's target, Enrollment, is none of the tables of its FROM (fix x) and no condition names it: SQL "
        "Server joins it to every row the FROM finds, so it changes all 300k rows of Enrollment, every school year's and "
        "every school's, once the FROM finds one, not only the rows meant.")
    assert hit.remediation.startswith("Name Enrollment in the FROM with an alias, UPDATE that alias, and join it to the "
                                      "rows that say which to change: UPDATE t FROM Enrollment t JOIN ... ON ...")
    assert not [f for f in report.findings if f.rule == "JN001"]  # SC005 says it
    postgres.execute("CREATE TABLE fix (id int)")
    postgres.execute("INSERT INTO fix VALUES (3)")
    postgres.execute(sql)
    assert _excluded(postgres) == [(1, 0), (2, 0), (3, 0), (4, 0)]
    deleted = found(check, "CREATE TABLE #fix (id int)\nDELETE Enrollment FROM #fix x WHERE x.id = 3\n", "SC005")
    assert [hit.message.startswith("This DELETE's target, Enrollment, is none of the tables of its FROM (#fix x)")
            for hit in deleted] == [True]


@pytest.mark.parametrize(("sql", "fix"), [
    ("UPDATE e SET grade = '09' FROM Enrollment x WHERE x.enrollmentID = 3", "UPDATE x SET ..."),
    ("DELETE e FROM Enrollment x WHERE x.enrollmentID = 3", "DELETE x FROM ..."),
])
def test_a_target_that_is_no_table_and_none_of_the_from_s_aliases_is_an_alias_changed_on_one_side(check, postgres, sql,
                                                                                                 fix):
    """The alias changed in the FROM (x) and not in the UPDATE (e): SQL Server takes e for a table's
    name, finds none and stops, as PostgreSQL does; a table of that name would change whole."""
    (hit,) = found(check, sql + "\n", "SC005")
    keyword = sql.split()[0]
    assert hit.severity == "warning" and hit.message == (
        f"This {keyword}'s target, e, is none of the tables of its FROM (Enrollment x) and no condition names it. If it "
        "was meant as an alias, none of them has it: SQL Server looks for a table named e and stops with error 208 "
        "(\"Invalid object name 'e'\"). If e is a table of the district's own, SQL Server joins it to every row the FROM "
        f"finds, and the {keyword} {'changes' if keyword == 'UPDATE' else 'deletes'} all its rows.")
    assert hit.remediation == f"Name the table meant by the alias its FROM gives it, x: {fix}"
    if keyword == "UPDATE":  # PostgreSQL has no DELETE ... FROM
        with pytest.raises(psycopg.errors.UndefinedTable):
            postgres.execute(sql)
    aliased = sql.replace("UPDATE e", "UPDATE x").replace("DELETE e", "DELETE x")
    assert found(check, aliased + "\n", "SC005") == []


def test_a_where_that_names_no_column_changes_every_row_or_none(check, postgres):
    sql = "UPDATE Enrollment SET stateExclude = 0 WHERE 1 = 1"
    (hit,) = found(check, sql + "\n", "SC005")
    assert hit.message == ("This UPDATE has a WHERE that names no column (1 = 1) and joins nothing: it changes all 300k "
                           "rows of Enrollment, every school year's and every school's, or none, not only the rows meant.")
    postgres.execute(sql)
    assert _excluded(postgres) == [(1, 0), (2, 0), (3, 0), (4, 0)]


@pytest.mark.parametrize("sql", [
    # the FROM's Enrollment is the one changed; a condition names the target; so does a subquery
    "UPDATE Enrollment SET stateExclude = 0 FROM Enrollment e JOIN #fix x ON x.id = e.enrollmentID",
    "DELETE Enrollment FROM Enrollment e JOIN #fix x ON x.id = e.enrollmentID",
    "UPDATE Enrollment SET stateExclude = 0 FROM #fix x WHERE x.id = Enrollment.enrollmentID",
    "DELETE Enrollment FROM #fix x WHERE x.id = Enrollment.enrollmentID",
    "DELETE Enrollment FROM #fix x WHERE EXISTS (SELECT 1 FROM #fix y WHERE y.id = Enrollment.enrollmentID)",
    "UPDATE Enrollment SET stateExclude = 0 WHERE EXISTS (SELECT 1 FROM #fix x WHERE x.id = Enrollment.enrollmentID)",
])
def test_a_target_the_from_or_a_condition_names_is_not_changed_whole(check, sql):
    report = check("CREATE TABLE #fix (id int)\n" + sql + "\n")
    assert [f.rule for f in report.findings if f.rule in ("SC005", "JN001")] == []


def test_a_table_only_the_district_s_catalog_knows_is_warned_of_and_may_be_truncated():
    """A staging table an extract empties and refills: a district's own, so possibly meant; still
    every row, so a warning, and TRUNCATE TABLE to say it is meant. Campus's Enrollment stays an error."""
    bundled = load_bundled()
    staging = Table("StateExtractStaging", columns=(Column("personID", "int"), Column("line", "varchar(400)")), rows=30_000)
    own = over_bundled(Catalog("a district's export", False, "district.json", {"stateextractstaging": staging}), bundled)
    checker = Checker(own)
    deleted = [f for f in checker.check(Source("q.sql", b"DELETE FROM StateExtractStaging\n")).findings if f.rule == "SC005"]
    assert [(f.severity, f.remediation.endswith(" If emptying StateExtractStaging is meant, TRUNCATE TABLE "
                                                 "StateExtractStaging says so.")) for f in deleted] == [("warning", True)]
    changed = checker.check(Source("q.sql", b"UPDATE StateExtractStaging SET line = ''\n")).findings
    assert [(f.severity, "TRUNCATE" in f.remediation) for f in changed if f.rule == "SC005"] == [("warning", False)]
    enrollment = checker.check(Source("q.sql", b"DELETE FROM Enrollment\n")).findings
    assert [(f.severity, "TRUNCATE" in f.remediation) for f in enrollment if f.rule == "SC005"] == [("error", False)]


@pytest.mark.parametrize(("sql", "batches"), [
    ("DELETE FROM CustomStudent WHERE attributeID = 812 AND value IS NULL", "DELETE TOP (5000)"),
    ("UPDATE cs SET cs.value = 'Y' FROM CustomStudent cs WHERE cs.attributeID = 812 AND cs.value = 'Yes'",
     "UPDATE TOP (5000)"),
    # copies removed through a CTE of the table's rows
    (";WITH dup AS (SELECT cs.customID, ROW_NUMBER() OVER (PARTITION BY cs.personID, cs.attributeID ORDER BY "
     "cs.customID DESC) AS rn FROM CustomStudent cs WHERE cs.attributeID = 812)\nDELETE FROM dup WHERE rn > 1",
     "DELETE TOP (5000)"),
    # already in batches, or a SELECT: no batches to offer
    ("WHILE 1 = 1\nBEGIN\n    DELETE TOP (5000) FROM CustomStudent WHERE attributeID = 812 AND value IS NULL;\n"
     "    IF @@ROWCOUNT = 0 BREAK;\nEND", None),
    ("SELECT cs.personID FROM CustomStudent cs WHERE cs.attributeID = 812", None),
    # the history read is not what the statement changes
    ("UPDATE x SET x.n = 1 FROM #x x JOIN Attendance a ON a.personID = x.personID WHERE a.status = 'A'", None),
])
def test_a_write_to_every_year_s_rows_is_offered_batches_after_hours_first(check, sql, batches):
    """A clean-up of a custom field over every year may mean to change every year's rows: the fix
    says how to do that without holding the table's locks for long, before how to limit it."""
    (hit,) = found(check, sql, "SC001")
    if batches is None:
        assert "in batches" not in hit.remediation
        return
    assert hit.remediation.startswith("If every year's rows are meant to ")
    assert f"in batches: {batches} ... repeated until none is left (WHILE 1 = 1 BEGIN ... IF @@ROWCOUNT = 0 BREAK END)" \
        in hit.remediation
    assert ", so that each pass holds its locks on CustomStudent briefly. If not, limit CustomStudent" in hit.remediation
