"""CL012: an INSERT that gives a different number of values than the columns it fills. PostgreSQL
refuses such an INSERT (against its column list, or its table) as SQL Server does: each flagged
one is refused there, and each left alone runs."""

from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with("CREATE TABLE Attendance (personID int, calendarID int, status text)",
                       "INSERT INTO Attendance VALUES (1, 5, 'A'), (1, 5, 'T')") as connection:
        yield connection


_hits = partial(found, rule="CL012")


MADE = "CREATE TABLE #counts (personID int, calendarID int, absences int)"
SOURCE = "SELECT a.personID, a.calendarID{} FROM Attendance a WHERE a.calendarID = 5 GROUP BY a.personID, a.calendarID"


def _in_postgres(postgres, made: str, insert: str) -> None:
    """The script in PostgreSQL, its temp table as a table of the same columns."""
    postgres.execute("DROP TABLE IF EXISTS counts")
    postgres.execute(made.replace("#counts", "counts").replace("IDENTITY(1, 1)", "GENERATED ALWAYS AS IDENTITY"))
    postgres.execute(sqlglot.transpile(insert.replace("#counts", "counts"), read="tsql", write="postgres")[0])


@pytest.mark.parametrize("insert, message", [
    ("INSERT INTO #counts " + SOURCE.format(", COUNT(*), 0"),
     "#counts is made on line 1 with 3 columns to fill, and this INSERT gives 4 values a row: SQL Server refuses the "
     "statement before it reads a row (error 213, \"Column name or number of supplied values does not match table "
     "definition\")."),
    ("INSERT INTO #counts (personID, calendarID) " + SOURCE.format(", COUNT(*)"),
     "The INSERT names 2 columns and gives 3 values a row: SQL Server refuses the statement before it reads a row "
     "(error 121, \"The select list for the INSERT statement contains more items than the insert list\")."),
    ("INSERT INTO #counts (personID, calendarID, absences) VALUES (1, 5)",
     "The INSERT names 3 columns and gives 2 values a row: SQL Server refuses the statement before it reads a row "
     "(error 109, \"There are more columns in the INSERT statement than values specified in the VALUES clause\")."),
])
def test_an_insert_of_the_wrong_width_is_refused(check, postgres, insert, message):
    (hit,) = _hits(check, f"{MADE};\n{insert};\n")
    assert hit.severity == "error" and hit.message == message and hit.span.line == 2
    with pytest.raises(psycopg.errors.Error):
        _in_postgres(postgres, MADE, insert)


_MERGE = ("MERGE INTO #counts AS c USING ({}) AS n ON c.personID = n.personID WHEN NOT MATCHED THEN "
          "INSERT (personID, calendarID, absences) VALUES ({})")


@pytest.mark.parametrize("values, message", [
    ("n.personID, n.calendarID", "The INSERT names 3 columns and gives 2 values a row: SQL Server refuses the statement "
     "before it reads a row (error 109, \"There are more columns in the INSERT statement than values specified in the "
     "VALUES clause\")."),
    ("n.personID, n.calendarID, 0, 0", "The INSERT names 3 columns and gives 4 values a row: SQL Server refuses the "
     "statement before it reads a row (error 110, \"There are fewer columns in the INSERT statement than values "
     "specified in the VALUES clause\")."),
])
def test_a_merge_that_inserts_the_wrong_width_is_refused(check, postgres, values, message):
    merge = _MERGE.format(SOURCE.format(""), values)
    (hit,) = _hits(check, f"{MADE};\n{merge};\n")
    assert hit.message == message and hit.span.line == 2
    with pytest.raises(psycopg.errors.Error):
        _in_postgres(postgres, MADE, merge)


@pytest.mark.parametrize("made, insert", [
    (MADE, _MERGE.format(SOURCE.format(""), "n.personID, n.calendarID, 0")),
    (MADE, "INSERT INTO #counts " + SOURCE.format(", COUNT(*)")),
    (MADE, "INSERT INTO #counts (personID, calendarID) " + SOURCE.format("")),
    (MADE, "INSERT INTO #counts (personID, calendarID, absences) VALUES (1, 5, 2), (2, 5, 0)"),
])
def test_an_insert_of_the_right_width_is_left_alone(check, postgres, made, insert):
    assert _hits(check, f"{made};\n{insert};\n") == []
    _in_postgres(postgres, made, insert)


def test_a_table_whose_columns_an_alter_table_changed_is_not_counted(check):
    """After ALTER TABLE ... ADD or DROP COLUMN, the columns the INSERT fills are not those made."""
    for altered in ("ALTER TABLE #counts ADD tardies int", "ALTER TABLE #counts DROP COLUMN absences"):
        assert _hits(check, f"{MADE};\n{altered};\nINSERT INTO #counts {SOURCE.format(', COUNT(*), 0')};\n") == []
    (kept,) = _hits(check, f"{MADE};\nALTER TABLE #counts ADD CONSTRAINT pk PRIMARY KEY (personID);\n"
                           f"INSERT INTO #counts {SOURCE.format(', COUNT(*), 0')};\n")
    assert kept.message.startswith("#counts is made on line 1 with 3 columns to fill, and this INSERT gives 4 values")


def test_fewer_values_than_the_table_has_columns_are_refused_and_an_identity_fills_itself(check):
    """Where PostgreSQL fills the columns left over with NULL and gives values to an identity column
    in its turn, SQL Server refuses the first INSERT and leaves the IDENTITY column out of the second."""
    (hit,) = _hits(check, f"{MADE};\nINSERT INTO #counts {SOURCE.format('')};\n")
    assert hit.message.startswith("#counts is made on line 1 with 3 columns to fill, and this INSERT gives 2 values a row")
    identity = "CREATE TABLE #counts (id int IDENTITY(1, 1), personID int, calendarID int, absences int, n AS absences + 1)"
    assert _hits(check, f"{identity};\nINSERT INTO #counts {SOURCE.format(', COUNT(*)')};\n") == []


@pytest.mark.parametrize("sql", [
    "INSERT INTO dbo.Staging " + SOURCE.format("") + ";\n",  # a table the script does not make, without a list
    MADE + ";\nINSERT INTO #counts SELECT * FROM Attendance a;\n",  # a star's width is the table's
    MADE + ";\nINSERT INTO #counts EXEC dbo.counts;\n",
    # made again in the next batch by SELECT INTO, whose columns may fill themselves (an IDENTITY column copied)
    MADE + ";\nDROP TABLE #counts\nGO\nSELECT a.attendanceID, a.personID INTO #counts FROM Attendance a WHERE 1 = 0\n"
    "INSERT INTO #counts " + SOURCE.format("") + ";\n",
])
def test_inserts_whose_width_is_not_known_are_left_alone(check, sql):
    assert _hits(check, sql) == []
