"""PR028: a text column that can be NULL, tested for a blank alone. SQLite, like SQL Server,
finds no NULL with = '': the contact never given an email is missing from the list, and the
fix's OR IS NULL finds both."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="PR028")

_KEPT = "pat@example.org"
_NO_EMAIL = "SELECT ct.personID FROM Contact ct WHERE ct.personID > 100 AND {test} ORDER BY ct.personID"


@pytest.fixture(scope="module")
def contacts():
    return sqlite_with({"Contact": ("personID int, email varchar(100)",
                                    [(101, ""), (102, None), (103, _KEPT)])})


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


def test_an_update_filling_in_the_blanks_leaves_the_nulls_unfilled(check):
    (hit,) = _hits(check, "UPDATE Contact SET cellPhone = homePhone WHERE cellPhone = ''")
    assert hit.remediation.endswith("(cellPhone = '' OR cellPhone IS NULL).")


def test_a_length_of_0_is_a_blank_test_too(check):
    (hit,) = _hits(check, "SELECT i.personID FROM [Identity] i WHERE LEN(i.middleName) = 0")
    assert hit.remediation.endswith("(LEN(i.middleName) = 0 OR i.middleName IS NULL).")


def test_a_view_column_is_traced_to_the_table_that_holds_it(check):
    (hit,) = _hits(check, "SELECT cs.personID FROM v_CensusContactSummary cs WHERE cs.guardian = 1 AND cs.email = ''")
    assert hit.message.startswith("cs.email = '' finds the rows where Contact.email is blank")
    assert hit.objects == ("Contact",)


_LABELLED = "SELECT ct.personID, {choice} AS email FROM Contact ct WHERE ct.personID > 100"


@pytest.mark.parametrize(("choice", "instead", "fix", "kept"), [
    ("CASE WHEN ct.email = '' THEN 'MISSING' ELSE ct.email END", "the ELSE, ct.email, which is NULL there",
     "WHEN ISNULL(ct.email, '') = '' THEN ...", _KEPT),
    ("CASE WHEN ct.email = '' THEN 'MISSING' END", "the ELSE, which the CASE does not have: NULL",
     "WHEN ISNULL(ct.email, '') = '' THEN ...", None),
    ("IIF(ct.email = '', 'MISSING', ct.email)", "the IIF's third value, ct.email, which is NULL there",
     "IIF(ISNULL(ct.email, '') = '', ...)", _KEPT),
])
def test_a_blank_test_choosing_a_result_sends_the_nulls_elsewhere(check, contacts, choice, instead, fix, kept):
    (hit,) = _hits(check, _LABELLED.format(choice=choice))
    assert hit.message == ("ct.email = '' picks out the rows where Contact.email is blank, not those where it is NULL: "
                           f"NULL equals nothing, '' included, so a row with no value at all goes on to {instead}.")
    assert hit.remediation == f"Test for both: {fix}; in a SELECT list ISNULL costs nothing more."
    assert sqlite_rows(contacts, _LABELLED.format(choice=choice)) == [(101, "MISSING"), (102, None), (103, kept)]
    fixed = _LABELLED.format(choice=choice.replace("ct.email = ''", "ISNULL(ct.email, '') = ''"))
    assert sqlite_rows(contacts, fixed) == [(101, "MISSING"), (102, "MISSING"), (103, kept)]
    assert _hits(check, fixed) == []


def test_a_simple_case_on_a_blank_is_told_to_become_a_searched_one(check, contacts):
    choice = "CASE ct.email WHEN '' THEN 'MISSING' ELSE ct.email END"
    (hit,) = _hits(check, _LABELLED.format(choice=choice))
    assert hit.message.startswith("CASE ct.email WHEN '' picks out the rows where Contact.email is blank")
    assert hit.remediation == ("Test for both: a searched CASE, CASE WHEN ISNULL(ct.email, '') = '' THEN ...; in a "
                               "SELECT list ISNULL costs nothing more.")
    assert sqlite_rows(contacts, _LABELLED.format(choice=choice))[1] == (102, None)


@pytest.mark.parametrize("choice", [
    # the NULLs have a WHEN of their own
    "CASE WHEN ct.email = '' THEN 'BLANK' WHEN ct.email IS NULL THEN 'NONE' ELSE ct.email END",
    # blanks made NULL, as NULLIF does: a NULL gets NULL either way
    "CASE WHEN ct.email = '' THEN NULL ELSE ct.email END",
    "IIF(ct.email = '', NULL, ct.email)",
    "CASE ct.email WHEN '' THEN NULL END",
    # the rows that have a value
    "CASE WHEN NOT ct.email = '' THEN ct.email END",
])
def test_choices_that_mean_the_blank_or_take_the_nulls_are_left_alone(check, choice):
    assert _hits(check, _LABELLED.format(choice=choice)) == []


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
    # blanks made NULL: the NULLs are already what the UPDATE makes
    "UPDATE Contact SET email = NULL WHERE email = ''",
    "UPDATE c SET c.email = NULL FROM Contact c WHERE LTRIM(RTRIM(c.email)) = ''",
    # inside a CASE, which decides what the test means
    "SELECT ct.personID FROM Contact ct WHERE CASE WHEN ct.email = '' THEN 0 ELSE 1 END = 1",
    # a column the catalog does not know
    "CREATE TABLE #c (personID int, email varchar(100))\nSELECT c.personID FROM #c c WHERE c.email = ''",
    # a number compared with a blank is PR027's
    "SELECT a.personID FROM Attendance a WHERE a.calendarID = 412 AND a.excuseID = ''",
])
def test_tests_that_mean_the_blank_or_find_the_nulls_are_left_alone(check, sql):
    assert _hits(check, sql) == []
