"""CL015: an INSERT that fills a column narrower than what it puts there. PostgreSQL stops such an
INSERT as SQL Server does once a value does not fit (a name too long for varchar(n), a number too
large for smallint): each flagged script runs on rows that fit, stops on a row that does not, and
runs as its fix declares the column."""

from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        'CREATE TABLE "Identity" (identityID int, personID int, lastName text, firstName text)',
        "CREATE TABLE Person (personID int, currentIdentityID int, studentNumber text)",
        "INSERT INTO Person VALUES (7, 70, '1007')",
        "INSERT INTO \"Identity\" VALUES (70, 7, 'Ng', 'Ana')",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL015")

FROM = "FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID"


def _run(postgres, script: str) -> list[tuple]:
    """The script in PostgreSQL, in a transaction it rolls back: its temp table's rows."""
    with postgres.transaction(force_rollback=True):
        for statement in sqlglot.transpile(script, read="tsql", write="postgres"):
            postgres.execute(statement)
        return postgres.execute("SELECT * FROM roster").fetchall()


@pytest.mark.parametrize("made, insert, said, fix, too_large", [
    ("CREATE TABLE #roster (personID int, lastName varchar(20))",
     f"INSERT INTO #roster (personID, lastName) SELECT p.personID, i.lastName {FROM}",
     "#roster.lastName is varchar(20) (line 1), and this fills it with i.lastName, which is Identity.lastName, "
     "varchar(50): the first value longer than 20 characters stops the INSERT with "
     "error 2628 (\"String or binary data would be truncated\"; 8152 before SQL Server 2019).",
     "varchar(50)", "UPDATE \"Identity\" SET lastName = 'Vanderhoeven-Castellanos'"),
    # no column list: the columns in order, but the IDENTITY one, which fills itself
    ("CREATE TABLE #roster (id smallint, studentNumber varchar(15), rowID int IDENTITY(1, 1))",
     f"INSERT INTO #roster SELECT p.personID, p.studentNumber {FROM}",
     "#roster.id is smallint (line 1), and this fills it with p.personID, which is Person.personID, int: the first value of 32,768 or more stops the INSERT with error 8115 (\"Arithmetic "
     "overflow error converting expression to data type\").",
     "int", "UPDATE Person SET personID = 40007"),
])
def test_a_column_filled_from_a_wider_one_is_found_and_stops_on_the_first_value_too_large(
        check, postgres, made, insert, said, fix, too_large):
    (hit,) = _hits(check, f"{made}\n{insert}\n")
    assert hit.severity == "warning" and hit.span.line == 2
    assert hit.message == f"{said} It runs until such a row is entered."
    assert hit.remediation.startswith(f"Make {said.split('.')[1].split(' ')[0]} {fix}, as wide as what fills it")
    postgres_made = made.replace("IDENTITY(1, 1)", "GENERATED ALWAYS AS IDENTITY")
    assert len(_run(postgres, f"{postgres_made};\n{insert}")) == 1  # the rows of today fit
    with pytest.raises((psycopg.errors.StringDataRightTruncation, psycopg.errors.NumericValueOutOfRange)):
        _run(postgres, f"{too_large};\n{postgres_made};\n{insert}")
    widened = postgres_made.replace("varchar(20)", fix).replace("id smallint", f"id {fix}")
    assert len(_run(postgres, f"{too_large};\n{widened};\n{insert}")) == 1
    assert _hits(check, f"{made.replace('varchar(20)', fix).replace('id smallint', f'id {fix}')}\n{insert}\n") == []


@pytest.mark.parametrize("script", [
    # a count into tinyint, and varchar with no length, which a CREATE TABLE makes varchar(1)
    f"CREATE TABLE #roster (personID int, n tinyint)\nINSERT INTO #roster SELECT p.personID, COUNT(*) {FROM} "
    "GROUP BY p.personID",
    f"CREATE TABLE #roster (personID int, firstName varchar)\nINSERT INTO #roster SELECT p.personID, i.firstName {FROM}",
    # a UNION's second arm
    f"CREATE TABLE #roster (name varchar(15))\nINSERT INTO #roster SELECT p.studentNumber {FROM} UNION ALL "
    f"SELECT i.lastName {FROM}",
    # a table variable
    f"DECLARE @roster TABLE (name varchar(15))\nINSERT INTO @roster SELECT i.lastName {FROM}",
])
def test_other_narrow_columns_are_found(check, script):
    (hit,) = _hits(check, script)
    assert hit.span.line == 2


@pytest.mark.parametrize("script", [
    # wide enough, matched by name whatever the order
    f"CREATE TABLE #roster (studentNumber varchar(15), lastName varchar(50))\nINSERT INTO #roster (lastName, "
    f"studentNumber) SELECT i.lastName, p.studentNumber {FROM}",
    # cut to fit on purpose
    f"CREATE TABLE #roster (lastName varchar(20))\nINSERT INTO #roster SELECT LEFT(i.lastName, 20) {FROM}",
    # SELECT ... INTO makes each column as wide as what fills it; a table the file does not make is not known
    f"SELECT i.lastName INTO #roster {FROM}\nINSERT INTO #roster SELECT i.lastName {FROM}",
    f"INSERT INTO dbo.district_roster (lastName) SELECT i.lastName {FROM}",
    # a number into text wide enough for it is converted, and fits
    f"CREATE TABLE #roster (id varchar(15))\nINSERT INTO #roster SELECT p.personID {FROM}",
])
def test_columns_wide_enough_or_not_known_are_left_alone(check, script):
    assert _hits(check, script) == []


@pytest.mark.parametrize("made, error", [
    ("n int", "error 245 (\"Conversion failed when converting the varchar value ... to data type int\")"),
    ("n decimal(12, 0)", "error 8114 (\"Error converting data type varchar to numeric\")"),
    ("n date", "error 241 (\"Conversion failed when converting date and/or time from character string\")"),
    ("n bit", "error 245 (\"Conversion failed when converting the varchar value ... to data type bit\")"),
])
def test_text_into_a_number_or_a_date_is_found(check, made, error):
    (hit,) = _hits(check, f"CREATE TABLE #roster ({made})\nINSERT INTO #roster SELECT p.studentNumber {FROM}")
    kind = {"n date": "date", "n bit": "bit (1, 0, 'true' or 'false')"}.get(made, "number")
    assert hit.message.endswith(f"the first value that is not a {kind} stops the INSERT with {error}. It runs until such "
                                "a row is entered.")
    assert f"TRY_CAST(... AS {made.split(' ', 1)[1]})" in hit.remediation


@pytest.mark.parametrize("insert, said", [
    ("INSERT INTO roster (personID, lastName) VALUES (7, 'Featherstonehaugh')",
     "'Featherstonehaugh', varchar(17): this value, longer than 10 characters, stops the INSERT with error 2628"),
    ("INSERT INTO roster VALUES (7, 'Ng'), ('N/A', 'Ng')",
     "'N/A', varchar(3): this value, which is not a number, stops the INSERT with error 245"),
])
def test_a_value_of_an_insert_s_values_that_does_not_fit_is_found(check, postgres, insert, said):
    made = "CREATE TABLE #roster (personID int, lastName varchar(10))"
    (hit,) = _hits(check, f"{made}\n{insert.replace('roster', '#roster')}")
    assert said in hit.message and hit.span.line == 2
    with pytest.raises(psycopg.errors.Error), postgres.transaction(force_rollback=True):
        postgres.execute(made.replace("#roster", "roster"))  # PostgreSQL refuses the value too
        postgres.execute(insert)


@pytest.mark.parametrize("column, value, fits", [
    ("n int", "'5.5'", False),  # an int takes digits alone
    ("n int", "' -12 '", True),
    ("n decimal(5, 2)", "'5.5'", True),
    ("n decimal(5, 2)", "'1e3'", False),  # a decimal takes no exponent
    ("n float", "'1e3'", True),
    ("n bit", "'Y'", False),  # a bit takes 1, 0, 'true' and 'false'
    ("n bit", "'true'", True),
    ("n bit", "'0'", True),
    ("n bit", "12", True),  # a number other than 0 is 1
])
def test_text_into_a_number_column_is_judged_as_the_column_s_type_takes_it(check, column, value, fits):
    hits = _hits(check, f"CREATE TABLE #roster ({column})\nINSERT INTO #roster VALUES ({value})")
    assert (hits == []) == fits


@pytest.mark.parametrize("script", [
    "CREATE TABLE #roster (personID int, startDate smalldatetime)\nINSERT INTO #roster VALUES (7, '2026-08-20')",
    "CREATE TABLE #roster (personID int, startDate date)\nUPDATE #roster SET startDate = '08/20/2026'",
    "CREATE TABLE #roster (personID int, startDate date)\nINSERT INTO #roster (startDate) VALUES ('20260820')",
    "CREATE TABLE #roster (personID int, startDate date)\nINSERT INTO #roster (startDate) VALUES ('July 1, 2026'), "
    "('2026'), ('20 Aug 2026'), ('08/20/26'), ('2026-08-20T10:30:00')",
])
def test_a_date_written_as_text_into_a_date_column_is_left_alone(check, script):
    assert _hits(check, script) == []


@pytest.mark.parametrize("made, where", [
    ("CREATE TABLE #roster (personID int, school varchar(7))", "in its CREATE TABLE"),
    ("DECLARE @roster TABLE (personID int, school varchar(7))", "in its DECLARE ... TABLE"),
])
def test_the_fix_widens_a_declared_column_where_it_is_declared(check, made, where):
    table = "@roster" if made.startswith("DECLARE") else "#roster"
    (hit,) = _hits(check, f"{made}\nINSERT INTO {table} (personID, school) SELECT sch.schoolID, sch.number FROM School sch\n")
    assert hit.remediation == f"Make school varchar(10), as wide as what fills it, {where}."


def test_an_update_of_a_literal_into_a_column_select_into_made_for_a_shorter_one_or_a_null_is_found(check, postgres):
    made = f"SELECT p.personID, 'N' AS chronic, NULL AS note INTO #roster {FROM}"
    (longer,) = _hits(check, f"{made}\nUPDATE #roster SET chronic = 'Yes'\n")
    assert longer.message == (
        "#roster.chronic is varchar(1) (line 1), and this fills it with 'Yes', varchar(3): this value, longer than 1 "
        "character, stops the UPDATE with error 2628 (\"String or binary data would be truncated\"; 8152 before SQL "
        "Server 2019), as soon as it changes a row.")
    assert longer.remediation == ("Make chronic varchar(3), as wide as what fills it, with CAST(... AS varchar(3)) AS "
                                  "chronic in the SELECT ... INTO that makes it.")
    (text,) = _hits(check, f"{made}\nUPDATE r SET r.note = 'Absent 10 days' FROM #roster r\n")
    assert "#roster.note is int (line 1)" in text.message and "this value, which is not a number, stops" in text.message
    # the same in PostgreSQL, where a table made from a varchar(1) value holds one character
    with postgres.transaction(force_rollback=True):
        postgres.execute("CREATE TEMPORARY TABLE roster (personID int, chronic varchar(1))")
        postgres.execute("INSERT INTO roster VALUES (7, 'N')")
        with pytest.raises(psycopg.errors.StringDataRightTruncation), postgres.transaction():
            postgres.execute("UPDATE roster SET chronic = 'Yes'")
    assert _hits(check, f"{made}\nUPDATE #roster SET chronic = 'Y', note = '5'\n") == []  # fits; '5' is a number
    (inserted,) = _hits(check, f"{made}\nINSERT INTO #roster SELECT p.personID, 'Yes', NULL {FROM}\n")
    assert inserted.message.endswith("stops the INSERT with error 2628 (\"String or binary data would be truncated\"; "
                                     "8152 before SQL Server 2019), as soon as it inserts a row.")


@pytest.mark.parametrize("set_to, said", [
    ("r.lunch = i.lastName", "this fills it with i.lastName, which is Identity.lastName, varchar(50)"),
    ("r.lunch = (SELECT TOP 1 i2.lastName FROM [Identity] i2 WHERE i2.personID = r.personID ORDER BY i2.identityID DESC)",
     "this fills it with the subquery's i2.lastName, which is Identity.lastName, varchar(50)"),
])
def test_an_update_from_a_wider_column_into_a_column_cast_for_select_into_is_found(check, postgres, set_to, said):
    """CAST(NULL AS varchar(10)) AS lunch makes a varchar(10) column to fill later; a last name fills
    it until the first one longer than ten characters, which stops the UPDATE, in PostgreSQL too."""
    made = f"SELECT p.personID, CAST(NULL AS varchar(10)) AS lunch INTO #roster {FROM}"
    sql = f"{made}\nUPDATE r SET {set_to} FROM #roster r JOIN [Identity] i ON i.personID = r.personID\n"
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(f"#roster.lunch is varchar(10) (line 1), and {said}: the first value longer than 10 "
                                  "characters stops the UPDATE with error 2628")
    with postgres.transaction(force_rollback=True):
        postgres.execute("CREATE TEMPORARY TABLE roster (personID int, lunch varchar(10))")
        postgres.execute("INSERT INTO roster VALUES (7, NULL)")
        postgres.execute("UPDATE roster SET lunch = 'Ng'")  # fits
        with pytest.raises(psycopg.errors.StringDataRightTruncation), postgres.transaction():
            postgres.execute("UPDATE roster SET lunch = 'Vandenberg-Castellanos'")
    assert _hits(check, sql.replace("varchar(10)", "varchar(50)")) == []
