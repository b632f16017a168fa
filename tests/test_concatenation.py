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
        'CREATE TABLE "Identity" (identityID int, firstName text, middleName text, lastName text, birthdate date)',
        "INSERT INTO \"Identity\" VALUES (1, 'Ann', 'Marie', 'Ames', '2010-03-04'), (2, 'Bo', NULL, 'Baker', NULL)",
        'CREATE TABLE "Person" (personID int, stateID text, currentIdentityID int)',
        "INSERT INTO \"Person\" VALUES (10, 'S123', 1), (11, NULL, 2)",
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
    "LEFT(i.middleName + SPACE(5), 5) + '|'",  # one column in a field: NULL where it is
    "ISNULL(LEFT(i.middleName + SPACE(5), 5), SPACE(5)) + LEFT(i.lastName + SPACE(9), 9)",  # said what NULL becomes
    "CAST(i.identityID AS int) + LEN(i.middleName)",  # numbers: + adds
])
def test_joined_text_that_keeps_its_value_is_left_alone(check, value):
    assert _hits(check, _sql(value)) == []


def test_text_functions_of_a_nullable_column_pass_its_null_on(check):
    """UPPER(), LTRIM() and CONVERT(varchar, ...) of NULL are NULL: the name is lost with the
    middle name all the same. No part has a set width, so CONCAT is the fix."""
    value = "UPPER(i.lastName) + ', ' + LTRIM(i.firstName) + ' ' + CONVERT(varchar(50), i.middleName)"
    (hit,) = _hits(check, _sql(value))
    assert hit.message.startswith("i.middleName can be NULL (Identity.middleName allows it)")
    assert hit.remediation.endswith("CONCAT(UPPER(i.lastName), ', ', LTRIM(i.firstName), ' ', "
                                    "CONVERT(varchar(50), i.middleName)).")


def test_a_delimited_line_is_fixed_with_concat_which_keeps_its_fields_in_place(check, postgres):
    """CONCAT_WS would drop the missing middle name with its pipe, and the last name would land in
    the middle name's field."""
    value = "i.firstName + '|' + i.middleName + '|' + i.lastName"
    (hit,) = _hits(check, _sql(value))
    fixed = re.search(r"CONCAT\(.*?\)(?=\. Not CONCAT_WS)", hit.remediation)[0]
    assert fixed == "CONCAT(i.firstName, '|', i.middleName, '|', i.lastName)" and "CONCAT_WS(" not in hit.remediation
    lines = sorted(postgres_rows(postgres, _sql(fixed).replace("[Identity]", '"Identity"')))
    assert [line.split("|") for _, line in lines] == [["Ann", "Marie", "Ames"], ["Bo", "", "Baker"]]
    quoted = "'\"' + i.firstName + '\",\"' + i.middleName + '\"'"  # a CSV's quoted fields
    (hit,) = _hits(check, _sql(quoted))
    assert "Not CONCAT_WS" in hit.remediation
    (hit,) = _hits(check, _sql("i.lastName + ', ' + i.firstName + ' ' + i.middleName"))  # a name: CONCAT_WS is right
    assert hit.remediation.startswith("Join with CONCAT_WS")


def test_a_list_built_with_for_xml_leaves_out_a_row_without_its_one_value(check):
    """'; ' + c.email is NULL for a contact without an email, which FOR XML leaves out of the list:
    what is meant. A first name lost with the missing middle name is not."""
    sql = ("SELECT p.personID, STUFF((SELECT '; ' + {} FROM [Identity] i WHERE i.personID = p.personID "
           "FOR XML PATH('')), 1, 2, '') AS names FROM Person p")
    assert _hits(check, sql.format("i.middleName")) == []
    (hit,) = _hits(check, sql.format("i.firstName + ' ' + i.middleName"))
    assert hit.message.startswith("i.middleName can be NULL")


def test_a_fixed_width_record_is_found_and_each_part_keeps_its_width_for_null(check, postgres):
    """A state file's record of LEFT(x + SPACE(n), n) fields: a student without a state ID, or a
    birth date, gets no record at all. Each field given blanks of its width for NULL keeps the
    record whole and every field in its place; CONCAT would shift the fields after it."""
    record = ("LEFT(p.stateID + SPACE(6), 6) + LEFT(i.lastName + SPACE(8), 8) + CONVERT(char(8), i.birthdate, 112)")
    sql = (f"SELECT p.personID, {record} AS record FROM Person p "
           "JOIN [Identity] i ON i.identityID = p.currentIdentityID")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("p.stateID and i.birthdate can be NULL (Person.stateID and Identity.birthdate allow it)")
    wrapped = re.findall(r"ISNULL\((.+?), SPACE\((\d+)\)\)", hit.remediation)
    assert [(part, int(width)) for part, width in wrapped] == [("LEFT(p.stateID + SPACE(6), 6)", 6),
                                                               ("CONVERT(char(8), i.birthdate, 112)", 8)]
    fixed = sql
    for part, width in wrapped:
        fixed = fixed.replace(part, f"ISNULL({part}, SPACE({width}))")

    def in_postgres(tsql: str) -> list:
        return sorted(postgres_rows(postgres, tsql.replace("[Identity]", '"Identity"').replace("Person p", '"Person" p')
                                    .replace(" + ", " || ")))

    assert in_postgres(sql) == [(10, "S123  Ames    20100304"), (11, None)]
    whole, blank = in_postgres(fixed)
    assert whole == (10, "S123  Ames    20100304")
    # the missing state ID is six blanks, so the name stays in its field; PostgreSQL drops a char's
    # trailing blanks where SQL Server keeps them, so the missing date's are not seen at the end
    assert blank[0] == 11 and blank[1].rstrip() == "      Baker"
