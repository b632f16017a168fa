"""CL008: a SELECT list name used in WHERE, GROUP BY, HAVING, ON, the SELECT list itself or
inside an ORDER BY expression. PostgreSQL refuses such a name in WHERE, HAVING, the SELECT list and
an ORDER BY expression as SQL Server does, and runs the fix; it accepts one in GROUP BY, which SQL
Server refuses, so there the fix is shown to return what the name meant."""

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (personID int, grade text, startDate date, endYear int)",
        "INSERT INTO Enrollment VALUES (1, '09', '2026-08-20', 2027), (2, '10', '2026-11-20', 2027), "
        "(3, '12', '2026-08-20', 2027), (4, '12', '2026-08-24', 2027)",
        "CREATE TABLE Calendar (calendarID int, endYear int)",
        "INSERT INTO Calendar VALUES (1, 2027)",
    ) as connection:
        yield connection


def _hits(check, sql: str, rule: str = "CL008") -> list:
    return found(check, sql, rule)


def _refused_and_the_value_runs(check, postgres, hit, sql: str, value: str, fixed: str) -> None:
    """The fix writes the value in place of the name; PostgreSQL refuses the statement as SQL
    Server does, and runs the fixed one, in which sqladvise finds nothing."""
    assert hit.remediation.startswith(f"Write the value itself in place of the name ({value})")
    with pytest.raises(psycopg.errors.UndefinedColumn):
        postgres_rows(postgres, sql)
    assert _hits(check, fixed) == []
    assert postgres_rows(postgres, fixed)


DAYS = "DATEDIFF(day, e.startDate, '20261201')"
BAND = "CASE WHEN e.grade IN ('09', '10') THEN 'lower' ELSE 'upper' END"


@pytest.mark.parametrize("sql, clause, value, once", [
    (f"SELECT e.personID, {DAYS} AS daysIn FROM Enrollment e WHERE e.endYear = 2027 AND daysIn > 30",
     "WHERE", DAYS, True),
    ("SELECT e.grade, COUNT(*) AS n FROM Enrollment e WHERE e.endYear = 2027 GROUP BY e.grade HAVING n > 1",
     "HAVING", "COUNT(*)", False),
])
def test_a_name_read_before_the_select_list_is_refused_and_the_value_in_its_place_runs(check, postgres, sql, clause, value,
                                                                                       once):
    (hit,) = _hits(check, sql)
    name = hit.message.split(" ")[0]
    assert hit.severity == "error" and hit.message == (
        f"{name} is the SELECT list's name for {value}, but SQL Server reads {clause} before the SELECT list, where the "
        f"name is given: it stops with error 207, \"Invalid column name '{name}'\".")
    assert hit.remediation.startswith(f"Write the value itself in place of the name ({value})")
    assert ("CROSS APPLY" in hit.remediation) is once
    with pytest.raises(psycopg.errors.UndefinedColumn):
        postgres_rows(postgres, sql)
    head, _, condition = sql.rpartition(clause)
    assert postgres_rows(postgres, head + clause + condition.replace(name, value))


@pytest.mark.parametrize("sql, value, fixed", [
    (f"SELECT e.personID, {DAYS} AS daysIn, daysIn / 7 AS weeksIn FROM Enrollment e WHERE e.endYear = 2027", DAYS,
     f"SELECT e.personID, {DAYS} AS daysIn, {DAYS} / 7 AS weeksIn FROM Enrollment e WHERE e.endYear = 2027"),
    ("SELECT e.grade, COUNT(*) AS n, n * 2 AS twice FROM Enrollment e WHERE e.endYear = 2027 GROUP BY e.grade",
     "COUNT(*)",
     "SELECT e.grade, COUNT(*) AS n, COUNT(*) * 2 AS twice FROM Enrollment e WHERE e.endYear = 2027 GROUP BY e.grade"),
])
def test_a_name_used_by_another_item_of_the_select_list_is_refused_and_the_value_in_its_place_runs(check, postgres, sql,
                                                                                                   value, fixed):
    (hit,) = _hits(check, sql)
    name = hit.message.split(" ")[0]
    assert hit.message == (
        f"{name} is the SELECT list's name for {value}, but SQL Server gives its names all at once, after it has worked "
        f"out every value, so none of its other items can use one: it stops with error 207, \"Invalid column name "
        f"'{name}'\".")
    _refused_and_the_value_runs(check, postgres, hit, sql, value, fixed)


def test_a_select_list_name_in_group_by_is_found_and_the_fix_groups_by_the_value(check, postgres):
    sql = f"SELECT {BAND} AS band, COUNT(*) AS n FROM Enrollment e WHERE e.endYear = 2027 GROUP BY band"
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(f"band is the SELECT list's name for {BAND}, but SQL Server reads GROUP BY before")
    assert _hits(check, sql, "CL006") == []  # the GROUP BY is what is wrong, not the CASE's columns
    fixed = sql.replace("GROUP BY band", f"GROUP BY {BAND}")
    assert sorted(postgres_rows(postgres, fixed)) == sorted(postgres_rows(postgres, sql)) == [("lower", 2), ("upper", 2)]


@pytest.mark.parametrize("sql, value, fixed", [
    (f"SELECT e.personID, {DAYS} AS daysIn FROM Enrollment e WHERE e.endYear = 2027 ORDER BY daysIn / 7, e.personID",
     DAYS, f"SELECT e.personID, {DAYS} AS daysIn FROM Enrollment e WHERE e.endYear = 2027 ORDER BY {DAYS} / 7, e.personID"),
    ("SELECT e.grade, COUNT(*) AS n FROM Enrollment e WHERE e.endYear = 2027 GROUP BY e.grade "
     "ORDER BY CASE WHEN n > 1 THEN 0 ELSE 1 END, n",
     "COUNT(*)", "SELECT e.grade, COUNT(*) AS n FROM Enrollment e WHERE e.endYear = 2027 GROUP BY e.grade "
     "ORDER BY CASE WHEN COUNT(*) > 1 THEN 0 ELSE 1 END, n"),
])
def test_a_name_inside_an_order_by_expression_is_refused_and_the_value_in_its_place_runs(check, postgres, sql, value,
                                                                                          fixed):
    """ORDER BY takes a SELECT list name as an item of its own (the last n), not inside one."""
    (hit,) = _hits(check, sql)
    name = hit.message.split(" ")[0]
    assert hit.message == (
        f"{name} is the SELECT list's name for {value}, but SQL Server takes a SELECT list name in ORDER BY as an item "
        f"of its own only, not inside an expression: it stops with error 207, \"Invalid column name '{name}'\".")
    _refused_and_the_value_runs(check, postgres, hit, sql, value, fixed)


@pytest.mark.parametrize("sql", [
    f"SELECT e.personID, {DAYS} AS daysIn FROM Enrollment e WHERE e.endYear = 2027 ORDER BY daysIn",
    f"SELECT e.personID, {DAYS} AS daysIn FROM Enrollment e WHERE e.endYear = 2027 ORDER BY daysIn DESC, e.personID",
    # the name is also a column of the table: an ORDER BY expression reads the column
    "SELECT e.grade AS grade FROM Enrollment e WHERE e.endYear = 2027 ORDER BY LEN(grade)",
    # the name is also a column of the table: WHERE reads the column
    "SELECT e.grade AS grade, COUNT(*) AS n FROM Enrollment e WHERE e.endYear = 2027 AND grade = '09' GROUP BY grade",
    # an enclosing query's column of that name
    "SELECT e.personID FROM Enrollment e WHERE EXISTS (SELECT c.endYear AS personID FROM Calendar c "
    "WHERE c.calendarID = personID)",
])
def test_names_the_clause_can_read_are_left_alone(check, postgres, sql):
    assert _hits(check, sql) == []
    postgres_rows(postgres, sql)


@pytest.mark.parametrize("sql", [
    "SELECT e.grade AS g FROM Enrollment e WHERE e.calendarID = 12 AND g = '09'",
    "SELECT e.grade AS g, COUNT(*) AS n FROM Enrollment e WHERE e.calendarID = 12 GROUP BY g",
    "SELECT e.grade AS g, g + 'x' AS h FROM Enrollment e WHERE e.calendarID = 12",
])
def test_a_select_list_name_read_too_early_is_said_once_not_also_as_a_column_the_table_lacks(check, sql):
    assert [hit.rule for hit in check(sql + "\n").findings if hit.rule in ("CL003", "CL008")] == ["CL008"]


@pytest.mark.parametrize("sql", [
    "SELECT gradez FROM Enrollment e WHERE e.calendarID = 12",
    "SELECT gradez AS gradez FROM Enrollment e WHERE e.calendarID = 12",  # its own value: the column is read
])
def test_a_column_the_table_lacks_named_as_its_own_select_list_item_is_still_said(check, sql):
    assert [hit.rule for hit in check(sql + "\n").findings if hit.rule in ("CL003", "CL008")] == ["CL003"]
