"""PR024: a pattern compared with = or IN, where LIKE was meant. SQLite, like SQL Server, takes
the % of an = as a percent sign: the condition as written finds no one, and the fix finds the
names the pattern describes."""

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

PEOPLE = {"Identity": ("identityID, lastName", [(1, "Smith"), (2, "Smythe"), (3, "Jones"), (4, "Small")])}


@pytest.mark.parametrize(("condition", "fix", "kept"), [
    ("i.lastName = 'Sm%'", "i.lastName LIKE 'Sm%'", [(1,), (2,), (4,)]),
    ("i.lastName IN ('Smi%', 'Jo%')", "(i.lastName LIKE 'Smi%' OR i.lastName LIKE 'Jo%')", [(1,), (3,)]),
    ("i.lastName <> 'Sm%'", "i.lastName NOT LIKE 'Sm%'", [(3,)]),
    ("i.lastName NOT IN ('Sm%')", "(i.lastName NOT LIKE 'Sm%')", [(3,)]),
])
def test_a_pattern_compared_as_text_is_given_its_like(check, condition, fix, kept):
    query = "SELECT i.identityID FROM [Identity] i WHERE {}"
    (hit,) = found(check, query.format(condition) + "\n", "PR024")
    assert hit.remediation.endswith(f": {fix}.")
    district = sqlite_with(PEOPLE)
    as_written = sqlite_rows(district, query.format(condition))
    assert as_written != kept and sqlite_rows(district, query.format(fix)) == kept


def test_a_pattern_built_from_a_variable_is_one_too(check):
    (hit,) = found(check, "DECLARE @name varchar(20) = 'Sm'\nSELECT i.identityID FROM [Identity] i WHERE i.lastName = @name + '%'\n",
                   "PR024")
    assert hit.message.startswith("i.lastName = @name + '%' compares i.lastName with @name + '%' as text: only LIKE reads % "
                                  "as any text, and = takes it as a percent sign")
    assert hit.remediation == "Write LIKE to match a pattern: i.lastName LIKE @name + '%'."


@pytest.mark.parametrize("condition", [
    "i.lastName LIKE 'Sm%'", "i.lastName = 'Smith'", "i.lastName IN ('Smith', 'Jones')", "'a%' = 'a%'",
    "i.lastName IN (SELECT i.lastName FROM [Identity] i WHERE i.lastName LIKE 'Sm%')",
])
def test_no_pattern_compared_as_text_is_left_alone(check, condition):
    assert found(check, f"SELECT i.identityID FROM [Identity] i WHERE {condition}\n", "PR024") == []


def test_a_variable_the_script_sets_to_a_pattern_is_one_too(check):
    script = ("DECLARE @name varchar(20) = 'Sm%'\n"
              "SELECT i.identityID FROM [Identity] i WHERE i.lastName = @name\n"
              "SELECT i.identityID FROM [Identity] i WHERE @name = i.lastName OR i.lastName IS NULL\n")
    hits = found(check, script, "PR024")
    assert [hit.span.line for hit in hits] == [2, 3]
    assert hits[0].message.startswith("i.lastName = @name compares i.lastName with @name as text (@name holds 'Sm%'): "
                                      "only LIKE reads % as any text")
    assert hits[1].remediation == "Write LIKE to match a pattern: i.lastName LIKE @name."
    district = sqlite_with(PEOPLE)
    query = "SELECT i.identityID FROM [Identity] i WHERE i.lastName {} 'Sm%'"
    assert sqlite_rows(district, query.format("=")) == [] and sqlite_rows(district, query.format("LIKE")) == [(1,), (2,), (4,)]


@pytest.mark.parametrize("script", [
    # the OR takes every row where @name holds the pattern: what = finds then does not matter
    "DECLARE @name varchar(20) = '%'\nSELECT i.identityID FROM [Identity] i WHERE (@name = '%' OR i.lastName = @name)\n",
    "SELECT i.identityID FROM [Identity] i WHERE (@name = '%' OR i.lastName LIKE @name)\n",  # a report's choice
    "DECLARE @name varchar(20) = 'Sm%'\nSET @name = 'Smith'\nSELECT i.identityID FROM [Identity] i WHERE i.lastName = @name\n",
    "DECLARE @name varchar(20) = 'Sm%'\nSELECT i.identityID FROM [Identity] i WHERE i.lastName LIKE @name\n",
    "DECLARE @name char(2) = 'Sm%'\nSELECT i.identityID FROM [Identity] i WHERE i.lastName = @name\n",  # holds 'Sm'
    # a date holds no pattern: its DECLARE stops the script (PR026)
    "DECLARE @name datetime = 'Sm%'\nSELECT i.identityID FROM [Identity] i WHERE i.lastName = @name\n",
])
def test_a_variable_tested_for_the_pattern_set_again_or_given_to_like_is_left_alone(check, script):
    assert found(check, script, "PR024") == []


@pytest.mark.parametrize("condition", ["e.endYear = 'Sm%'", "e.startDate = '2026%'", "e.calendarID IN ('1%', '2')"])
def test_a_pattern_compared_with_a_number_or_a_date_is_a_conversion_error_not_a_pattern(check, condition):
    """SQL Server turns the text into the column's type, and it is not one: PR026 says so."""
    findings = check(f"SELECT e.personID FROM Enrollment e WHERE {condition}\n").findings
    assert [f.rule for f in findings if f.rule in ("PR024", "PR026")] == ["PR026"]
