"""CL028: a value put where the first SELECT of a UNION, or the table an INSERT fills, has another
column of its name. SQLite matches columns by position as SQL Server does: each swap reported
puts the values in the other column there, and each fix puts them back."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="CL028")

NAMES = "SELECT i.lastName, i.firstName FROM [Identity] i WHERE i.personID = 1"


@pytest.fixture
def database():
    return sqlite_with({"Identity": ("personID int, lastName varchar(50), firstName varchar(50)",
                                     [(1, "Rivera", "Ana"), (2, "Osei", "Kofi")])})


def test_an_arm_that_returns_two_columns_the_other_way_round_swaps_their_values(check, database):
    arm = "SELECT i.firstName, i.lastName FROM [Identity] i WHERE i.personID = 2"
    query = f"{NAMES}\nUNION ALL\n{arm}"
    (hit,) = _hits(check, query)
    assert (hit.span.line, hit.span.column, hit.severity) == (3, arm.index("i.firstName") + 1, "warning")
    assert hit.message == ("i.firstName and i.lastName come out as lastName and firstName: the arms of a UNION match "
                           "columns by position, not by name, and the first SELECT has them the other way round.")
    assert hit.remediation == ("Swap i.firstName and i.lastName to follow the first SELECT; if the swap is meant, say so "
                               "with aliases: i.firstName AS lastName, i.lastName AS firstName.")
    assert ("Kofi", "Osei") in sqlite_rows(database, query)  # Kofi in lastName
    fixed = f"{NAMES}\nUNION ALL\n{arm.replace('i.firstName, i.lastName', 'i.lastName, i.firstName')}"
    assert not _hits(check, fixed)
    assert sqlite_rows(database, fixed) == [("Osei", "Kofi"), ("Rivera", "Ana")]


def test_an_insert_without_a_column_list_fills_the_columns_in_the_order_the_table_was_made(check, database):
    script = ("CREATE TABLE #names (personID int, lastName varchar(50), firstName varchar(50))\n"
              "INSERT INTO #names\nSELECT i.personID, i.firstName, i.lastName FROM [Identity] i\n")
    (hit,) = _hits(check, script)
    assert (hit.span.line, hit.span.column) == (3, len("SELECT i.personID, ") + 1)
    assert hit.message == ("i.firstName and i.lastName go into #names.lastName and #names.firstName: an INSERT fills "
                           "columns by position, not by name, and the order of #names's columns (personID, lastName, "
                           "firstName) has them the other way round.")
    assert "to follow the order of #names's columns (personID, lastName, firstName);" in hit.remediation
    database.execute("CREATE TEMP TABLE names (personID int, lastName varchar(50), firstName varchar(50))")
    database.execute("INSERT INTO names SELECT i.personID, i.firstName, i.lastName FROM Identity i")
    assert sqlite_rows(database, "SELECT n.lastName FROM names n") == [("Ana",), ("Kofi",)]


def test_one_value_in_the_place_of_another_column_says_where_its_column_is(check):
    script = ("DECLARE @r TABLE (personID int, grade varchar(4), startDate date)\n"
              "INSERT INTO @r (personID, grade, startDate)\n"
              "SELECT e.grade, e.grade, e.startDate FROM Enrollment e WHERE e.calendarID = 5\n")
    (hit,) = _hits(check, script)
    assert (hit.span.line, hit.span.column) == (3, len("SELECT ") + 1)
    assert hit.message == ("e.grade goes into @r.personID: an INSERT fills columns by position, not by name, and the "
                           "INSERT's list of columns (personID, grade, startDate) has grade in column 2.")
    assert hit.remediation == ("Move e.grade to column 2 (grade) to follow the INSERT's list of columns (personID, grade, "
                               "startDate); if its values are meant to go into personID, say so with an alias: e.grade AS "
                               "personID.")


def test_every_later_arm_is_held_to_the_first(check):
    query = (f"{NAMES}\nUNION\nSELECT i.lastName, i.firstName FROM [Identity] i\n"
             "UNION ALL\nSELECT i.firstName, i.lastName FROM [Identity] i\n")
    assert [hit.span.line for hit in _hits(check, query)] == [5]


@pytest.mark.parametrize("sql", [
    f"{NAMES}\nUNION ALL\nSELECT i.firstName AS lastName, i.lastName AS firstName FROM [Identity] i",  # meant: said
    f"{NAMES}\nUNION ALL\nSELECT i.lastName, UPPER(i.firstName) FROM [Identity] i",  # no name
    f"{NAMES}\nUNION ALL\nSELECT 'Total', NULL",
    "SELECT i.lastName, p.lastName FROM [Identity] i JOIN Person p ON p.personID = i.personID\n"
    "UNION ALL\nSELECT i.firstName, i.lastName FROM [Identity] i",  # a name the first SELECT has twice
    "SELECT i.lastName AS name, i.firstName AS other FROM [Identity] i\nUNION ALL\n"
    "SELECT i.firstName, i.lastName FROM [Identity] i",  # names the first SELECT does not have
    "SELECT i.personID, i.lastName INTO #names FROM [Identity] i\n"
    "INSERT INTO #names SELECT i.lastName, i.personID FROM [Identity] i",  # SELECT INTO: what it fills is not read
    "INSERT INTO #names (personID, lastName) SELECT i.personID, i.lastName, i.firstName FROM [Identity] i",
])
def test_values_in_their_own_places_said_meant_or_unnamed_are_left_alone(check, sql):
    assert not _hits(check, sql)


def test_a_column_list_after_a_cte_s_name_names_its_select_s_columns_in_order(check, database):
    query = ("WITH roster (personID, lastName, firstName) AS (SELECT i.personID, i.firstName, i.lastName FROM [Identity] i)\n"
             "SELECT r.lastName FROM roster r")
    (hit,) = _hits(check, query)
    assert (hit.span.line, hit.span.column) == (1, query.index("i.firstName") + 1)
    assert hit.message == ("i.firstName and i.lastName come out as roster.lastName and roster.firstName: a column list "
                           "names a SELECT's columns by position, not by name, and roster (personID, lastName, firstName) "
                           "has them the other way round.")
    assert sqlite_rows(database, query) == [("Ana",), ("Kofi",)]
    fixed = query.replace("i.firstName, i.lastName FROM", "i.lastName, i.firstName FROM")
    assert not _hits(check, fixed)
    assert sqlite_rows(database, fixed) == [("Osei",), ("Rivera",)]


def test_a_column_list_after_a_derived_table_s_alias_too(check):
    query = ("SELECT d.lastName FROM (SELECT i.personID, i.firstName FROM [Identity] i) AS d (personID, lastName, firstName)")
    assert not _hits(check, query)  # the list is longer than the SELECT: SQL Server refuses it (error 8158)
    query = "SELECT d.personID FROM (SELECT i.firstName, i.identityID FROM [Identity] i) AS d (personID, firstName)"
    (hit,) = _hits(check, query)
    assert hit.message == ("i.firstName comes out as d.personID: a column list names a SELECT's columns by position, not "
                           "by name, and d (personID, firstName) has firstName in column 2.")
