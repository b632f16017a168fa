"""PR028: a text column that can be NULL, tested for a blank alone. SQLite, like SQL Server,
finds no NULL with = '': the contact never given an email is missing from the list, and the
fix's OR IS NULL finds both."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="PR028")

_NO_EMAIL = "SELECT ct.personID FROM Contact ct WHERE ct.personID > 100 AND {test} ORDER BY ct.personID"


@pytest.fixture(scope="module")
def contacts():
    return sqlite_with({"Contact": ("personID int, email varchar(100)",
                                    [(101, ""), (102, None), (103, "pat@example.org")])})


@pytest.mark.parametrize("test", ["ct.email = ''", "LTRIM(RTRIM(ct.email)) = ''", "ct.email IN ('', 'none')"])
def test_a_blank_test_alone_leaves_out_the_rows_where_the_column_is_null(check, contacts, test):
    (hit,) = _hits(check, _NO_EMAIL.format(test=test))
    assert hit.message == (f"{test} finds the rows where Contact.email is blank, not those where it is NULL: "
                           "Contact.email can be NULL, and NULL equals nothing, '' included, so a row with no value at "
                           "all is left out of what this finds.")
    assert hit.remediation == ("Test for both, in parentheses so that the OR stays within them: "
                               f"({test} OR ct.email IS NULL).")
    assert (hit.span.column, hit.span.end_column - hit.span.column) == (_NO_EMAIL.index("{") + 1, len(test) - 1)
    assert sqlite_rows(contacts, _NO_EMAIL.format(test=test)) == [(101,)]
    fixed = _NO_EMAIL.format(test=f"({test} OR ct.email IS NULL)")
    assert sqlite_rows(contacts, fixed) == [(101,), (102,)]
    assert _hits(check, fixed) == []


def test_a_length_of_0_is_a_blank_test_too(check):
    (hit,) = _hits(check, "SELECT i.personID FROM [Identity] i WHERE LEN(i.middleName) = 0")
    assert hit.remediation.endswith("(LEN(i.middleName) = 0 OR i.middleName IS NULL).")


def test_a_view_column_is_traced_to_the_table_that_holds_it(check):
    (hit,) = _hits(check, "SELECT cs.personID FROM v_CensusContactSummary cs WHERE cs.guardian = 1 AND cs.email = ''")
    assert hit.message.startswith("cs.email = '' finds the rows where Contact.email is blank")
    assert hit.objects == ("Contact",)


@pytest.mark.parametrize("sql", [
    # the IS NULL beside it in an OR, through parentheses
    "SELECT ct.personID FROM Contact ct WHERE ct.personID > 100 AND ((ct.email = '') OR ct.email IS NULL)",
    # asked for the rows that have a value: the NULLs are rightly left out
    "SELECT ct.personID FROM Contact ct WHERE NOT (ct.email = '' AND ct.personID > 100)",
    "SELECT ct.personID FROM Contact ct WHERE ct.email <> ''",
    # ISNULL finds both (PR001 says what it costs)
    "SELECT ct.personID FROM Contact ct WHERE ISNULL(ct.email, '') = ''",
    # a column that is never NULL
    "SELECT i.personID FROM [Identity] i WHERE i.lastName = ''",
    # inside a CASE, which decides what the test means
    "SELECT ct.personID FROM Contact ct WHERE CASE WHEN ct.email = '' THEN 0 ELSE 1 END = 1",
    # a column the catalog does not know
    "CREATE TABLE #c (personID int, email varchar(100))\nSELECT c.personID FROM #c c WHERE c.email = ''",
    # a number compared with a blank is PR027's
    "SELECT a.personID FROM Attendance a WHERE a.calendarID = 412 AND a.excuseID = ''",
])
def test_tests_that_mean_the_blank_or_find_the_nulls_are_left_alone(check, sql):
    assert _hits(check, sql) == []
