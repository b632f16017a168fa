"""SH033: a recursive CTE column whose recursive part gives another type than its anchor, which
SQL Server refuses with error 240. PostgreSQL holds a recursive CTE to the same rule (its columns
take the anchor's types, and a recursive part of another type is refused), so it refuses each query
found here whose mismatch it shares, and runs each fix the finding offers."""

from functools import partial

import psycopg
import pytest
import sqlglot
from checked import found
from engines import postgres_with

_hits = partial(found, rule="SH033")

_PATH = ("WITH t AS (SELECT s.schoolID, {anchor} AS path FROM School s WHERE s.schoolID = 1 "
         "UNION ALL SELECT s.schoolID, {recursive} FROM t JOIN School s ON s.schoolID = t.schoolID + 1) "
         "SELECT t.path FROM t")
_DAYS = ("WITH days AS (SELECT {anchor} AS d UNION ALL SELECT {recursive} FROM days WHERE d < '2025-08-20') "
         "SELECT days.d FROM days")
_LEVELS = ("WITH t AS (SELECT {anchor} AS level UNION ALL SELECT {recursive} FROM t WHERE level < 4) "
           "SELECT t.level FROM t")
_NAMES = ("WITH t AS (SELECT 1 AS n, {anchor} AS name UNION ALL SELECT n + 1, {recursive} FROM t "
          "JOIN [Identity] i ON i.personID = t.n WHERE n < 3) SELECT t.name FROM t")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE School (schoolID int, name varchar(100))",
        "INSERT INTO School VALUES (1, 'North High'), (2, 'Main Office'), (3, 'Room 12')",
        'CREATE TABLE "Identity" (identityID int, personID int, lastName varchar(50))',
        """INSERT INTO "Identity" VALUES (1, 1, 'Ng'), (2, 2, 'Ortiz')""",
    ) as connection:
        yield connection


def _in_postgres(connection, tsql: str) -> list[tuple]:
    """The rows of the query in PostgreSQL: a recursive CTE, its text joined with ||."""
    sql = sqlglot.transpile(tsql, read="tsql", write="postgres")[0]
    sql = sql.replace("WITH ", "WITH RECURSIVE ", 1).replace(" + ' > ' + ", " || ' > ' || ")
    return connection.execute(sql).fetchall()


def _fixed(template: str, remediation: str, anchor: str, recursive: str) -> str:
    """The query with the CASTs the finding offers in place of the parts they convert."""
    offered = remediation.split(": ", 1)[1].removesuffix(".")
    if " in the anchor and " in offered:
        anchor, recursive = offered.removesuffix(" in the recursive part").split(" in the anchor and ")
    elif remediation.startswith("Write the anchor's value"):
        anchor = offered
    else:
        recursive = offered
    return template.format(anchor=anchor, recursive=recursive)


@pytest.mark.parametrize("template, anchor, recursive, anchor_type, recursive_type", [
    # a path grown at every level: as long as its parts together
    (_PATH, "CAST(s.name AS varchar(100))", "t.path + ' > ' + s.name", "varchar(100)", "varchar(203)"),
    (_PATH, "s.name", "t.path + ' > ' + s.name", "varchar(100)", "varchar(203)"),
    # days from a date written as text: DATEADD gives a datetime
    (_DAYS, "'2025-08-15'", "DATEADD(day, 1, d)", "varchar(10)", "datetime"),
    # a level counted from a small type: adding 1 gives an int
    (_LEVELS, "CAST(0 AS smallint)", "level + 1", "smallint", "int"),
    # NULL is an int where nothing says otherwise
    (_NAMES, "NULL", "i.lastName", "int", "varchar(50)"),
])
def test_a_recursive_part_of_another_type_is_found_and_its_fix_runs(check, postgres, template, anchor, recursive,
                                                                    anchor_type, recursive_type):
    written = template.format(anchor=anchor, recursive=recursive)
    (hit,) = _hits(check, written)
    assert f"is {anchor_type} in the anchor ({anchor}" in hit.message
    assert f"and {recursive_type} in the recursive part ({recursive})" in hit.message
    assert "error 240" in hit.message
    # a mismatch of its own, or (text + interval) no way to add a day to text
    with pytest.raises((psycopg.errors.DatatypeMismatch, psycopg.errors.UndefinedFunction)):
        _in_postgres(postgres, written)
    postgres.rollback()
    fixed = _fixed(template, hit.remediation, anchor, recursive)
    assert fixed != written
    assert _hits(check, fixed) == []
    assert _in_postgres(postgres, fixed)


def test_labels_of_two_lengths_are_two_types(check):
    # PostgreSQL gives both strings one type, text; SQL Server gives each its own length
    (hit,) = _hits(check, "WITH t AS (SELECT 0 AS level, 'Parent' AS kind UNION ALL "
                          "SELECT level + 1, 'Child' FROM t WHERE level < 3) SELECT * FROM t")
    assert "is varchar(6) in the anchor ('Parent')" in hit.message
    assert "CAST('Parent' AS varchar(6)) in the anchor and CAST('Child' AS varchar(6))" in hit.remediation


@pytest.mark.parametrize("template, anchor, recursive, runs_in_postgres", [
    # the fixes people write: one type on both sides
    (_PATH, "CAST(s.name AS varchar(1000))", "CAST(t.path + ' > ' + s.name AS varchar(1000))", True),
    (_PATH, "CAST(s.name AS varchar(max))", "t.path + ' > ' + s.name", False),  # PostgreSQL has no varchar(max)
    # DATEADD keeps a date a date; PostgreSQL's date + interval is a timestamp
    (_DAYS, "CAST('2025-08-15' AS date)", "DATEADD(day, 1, d)", False),
    (_DAYS, "CAST('2025-08-15' AS datetime)", "DATEADD(day, 1, d)", True),
    (_LEVELS, "0", "level + 1", True),
    (_LEVELS, "CAST(0 AS bigint)", "level + 1", True),
    (_NAMES, "CAST(NULL AS varchar(50))", "i.lastName", True),
])
def test_one_type_on_both_sides_is_left_alone(check, postgres, template, anchor, recursive, runs_in_postgres):
    written = template.format(anchor=anchor, recursive=recursive)
    assert _hits(check, written) == []
    if runs_in_postgres:
        assert _in_postgres(postgres, written)


@pytest.mark.parametrize("sql", [
    # varchar's 8000 is as long as joined text gets
    "WITH t AS (SELECT CAST('a' AS varchar(8000)) AS path, 1 AS n UNION ALL SELECT path + 'b', n + 1 FROM t "
    "WHERE n < 3) SELECT * FROM t",
    # types not known here: a variable, an empty string, a function
    "WITH t AS (SELECT @start AS d UNION ALL SELECT DATEADD(day, 1, d) FROM t WHERE d < '2025-08-20') SELECT * FROM t",
    "WITH t AS (SELECT '' AS path, 1 AS n UNION ALL SELECT path + 'b', n + 1 FROM t WHERE n < 3) SELECT * FROM t",
    "WITH t AS (SELECT UPPER('x') AS path, 1 AS n UNION ALL SELECT path + 'b', n + 1 FROM t WHERE n < 3) SELECT * FROM t",
    # two plain columns of the catalog, whose types are approximations
    "WITH t AS (SELECT r.personID1 AS id FROM RelatedPair r WHERE r.personID1 = 5 UNION ALL "
    "SELECT r.personID2 FROM t JOIN RelatedPair r ON r.personID1 = t.id) SELECT * FROM t",
])
def test_what_is_not_known_to_differ_is_left_alone(check, sql):
    assert _hits(check, sql) == []
