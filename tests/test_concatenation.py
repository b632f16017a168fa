"""CL013: text joined with + in a SELECT list where a column can be NULL. PostgreSQL's || is NULL
when a part is, as SQL Server's + is: each flagged value is NULL there for the row without the
column's value, and the fix keeps the rest of it."""

import re
from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        'CREATE TABLE "Identity" (identityID int, firstName text, middleName text, lastName text)',
        "INSERT INTO \"Identity\" VALUES (1, 'Ann', 'Marie', 'Ames'), (2, 'Bo', NULL, 'Baker')",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL013")


def _sql(value: str) -> str:
    return f"SELECT i.identityID, {value} AS fullName FROM [Identity] i"


def test_a_name_joined_with_a_nullable_middle_name_is_found_and_concat_keeps_the_rest(check, postgres):
    value = "i.firstName + ' ' + i.middleName + ' ' + i.lastName"
    (hit,) = _hits(check, _sql(value))
    assert hit.severity == "warning" and hit.message == (
        "i.middleName can be NULL (Identity.middleName allows it), and text joined with + is NULL when any part is: every "
        "row where it is NULL gets a NULL fullName, not the rest of it.")
    fixed = re.search(r"CONCAT\(.*\)(?=\.$)", hit.remediation)[0]
    assert fixed == "CONCAT(i.firstName, ' ', i.middleName, ' ', i.lastName)"
    as_written = sorted(postgres_rows(postgres, _sql(value).replace("[Identity]", '"Identity"').replace(" + ", " || ")))
    assert as_written == [(1, "Ann Marie Ames"), (2, None)]
    assert sorted(postgres_rows(postgres, _sql(fixed).replace("[Identity]", '"Identity"'))) == [(1, "Ann Marie Ames"),
                                                                                                 (2, "Bo  Baker")]
    with_ws = "CONCAT_WS(' ', i.firstName, i.middleName, i.lastName)"
    assert sorted(postgres_rows(postgres, _sql(with_ws).replace("[Identity]", '"Identity"'))) == [(1, "Ann Marie Ames"),
                                                                                                   (2, "Bo Baker")]


def test_parts_that_say_what_null_becomes_do_not_hide_a_nullable_column(check, postgres):
    """ISNULL(..., '') is text that is never NULL; the middle name after it still can be."""
    value = "i.lastName + ISNULL(', ' + i.firstName, '') + ' ' + i.middleName"
    (hit,) = _hits(check, _sql(value))
    assert hit.message.startswith("i.middleName can be NULL (Identity.middleName allows it)")
    fixed = re.search(r"CONCAT\(.*\)(?=\.$)", hit.remediation)[0]
    assert fixed == "CONCAT(i.lastName, ISNULL(', ' + i.firstName, ''), ' ', i.middleName)"

    def in_postgres(sql: str) -> list:
        sql = sql.replace("[Identity]", '"Identity"').replace("ISNULL(", "COALESCE(")
        return sorted(postgres_rows(postgres, sql.replace(" + ", " || ")))

    assert in_postgres(_sql(value)) == [(1, "Ames, Ann Marie"), (2, None)]
    assert in_postgres(_sql(fixed)) == [(1, "Ames, Ann Marie"), (2, "Baker, Bo ")]


@pytest.mark.parametrize("value", [
    "i.lastName + ', ' + i.firstName",  # never NULL
    "i.firstName + ISNULL(' ' + i.middleName, '') + ' ' + i.lastName",  # said what NULL becomes
    "'(' + i.middleName + ')'",  # one column dressed with text: NULL where it is
    "CONCAT(i.firstName, ' ', i.middleName)",
    "i.firstName + ' ' + i.middleName + ISNULL(i.identityID, '')",  # a number: + adds, and converts the text
])
def test_joined_text_that_keeps_its_value_is_left_alone(check, value):
    assert _hits(check, _sql(value)) == []


def test_a_list_built_with_for_xml_leaves_out_a_row_without_its_one_value(check):
    """'; ' + c.email is NULL for a contact without an email, which FOR XML leaves out of the list:
    what is meant. A first name lost with the missing middle name is not."""
    sql = ("SELECT p.personID, STUFF((SELECT '; ' + {} FROM [Identity] i WHERE i.personID = p.personID "
           "FOR XML PATH('')), 1, 2, '') AS names FROM Person p")
    assert _hits(check, sql.format("i.middleName")) == []
    (hit,) = _hits(check, sql.format("i.firstName + ' ' + i.middleName"))
    assert hit.message.startswith("i.middleName can be NULL")
