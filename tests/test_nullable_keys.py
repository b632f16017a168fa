"""CL025: ALTER TABLE ... ADD PRIMARY KEY on a column that allows NULL, which SQL Server refuses
(error 8111). No engine the tests run shows it: PostgreSQL makes such a column NOT NULL as it
adds the key, and SQLite adds no key to a table it has made."""

import pytest
from checked import found


def _hits(check, script: str) -> list:
    return found(check, script, "CL025")


@pytest.mark.parametrize("made, columns, allowing, declared", [
    ("personID int, grade varchar(4)", "personID",
     "#kids.personID allows NULL: line 1 makes it personID int, with no NOT NULL", "personID int NOT NULL"),
    ("personID int NULL, grade varchar(4)", "personID",
     "#kids.personID allows NULL: line 1 makes it personID int NULL, with no NOT NULL", "personID int NOT NULL"),
    ("personID int, calendarID numeric(10, 0), grade varchar(4)", "personID, calendarID",
     "#kids.personID and #kids.calendarID allow NULL: line 1 makes them personID int and calendarID numeric(10, 0)",
     "personID int NOT NULL and calendarID numeric(10, 0) NOT NULL"),
])
def test_a_key_added_to_a_column_that_allows_null_is_an_error_at_the_key(check, made, columns, allowing, declared):
    script = f"CREATE TABLE #kids ({made})\nALTER TABLE #kids ADD CONSTRAINT pk_kids PRIMARY KEY CLUSTERED ({columns})\n"
    (hit,) = _hits(check, script)
    assert hit.severity == "error" and hit.message.startswith(allowing)
    assert "error 8111" in hit.message and "the script goes on without the key" in hit.message
    assert script[hit.span.start : hit.span.end] == "personID" and hit.span.line == 2
    assert hit.remediation == (f"Declare {'the columns' if ',' in columns else 'the column'} NOT NULL where #kids is "
                               f"made, {declared}; or make the key there, with PRIMARY KEY ({columns}) in its CREATE TABLE.")


@pytest.mark.parametrize("script", [
    "CREATE TABLE #kids (personID int NOT NULL, grade varchar(4))\nALTER TABLE #kids ADD PRIMARY KEY (personID)",
    "CREATE TABLE #kids (personID int IDENTITY(1, 1), grade varchar(4))\nALTER TABLE #kids ADD PRIMARY KEY (personID)",
    "CREATE TABLE #kids (personID int, grade varchar(4))\nALTER TABLE #kids ALTER COLUMN personID int NOT NULL\n"
    "ALTER TABLE #kids ADD PRIMARY KEY (personID)",
    "SET ANSI_NULL_DFLT_ON OFF\nCREATE TABLE #kids (personID int, grade varchar(4))\nALTER TABLE #kids ADD PRIMARY KEY (personID)",
    "CREATE TABLE #kids (personID int, grade varchar(4))\nALTER TABLE #kids ADD UNIQUE (personID)",  # UNIQUE allows a NULL
    "CREATE TABLE #kids (personID int, grade varchar(4))\nALTER TABLE #kids ADD PRIMARY KEY (grade)\n"
    "ALTER TABLE #other ADD PRIMARY KEY (personID)",  # another table's column
])
def test_a_column_made_not_null_or_a_key_that_allows_null_is_left_alone(check, script):
    hits = _hits(check, script + "\n")
    assert [hit.message.split(":")[0] for hit in hits] == (["#kids.grade allows NULL"] if "(grade)" in script else [])


def test_a_column_declared_null_is_reported_where_the_script_makes_columns_not_null_by_default(check):
    made = "SET ANSI_NULL_DFLT_ON OFF\nCREATE TABLE #kids (personID int NULL, grade varchar(4))\n"
    (hit,) = _hits(check, made + "ALTER TABLE #kids ADD PRIMARY KEY (personID)\n")
    assert hit.message.startswith("#kids.personID allows NULL: line 2 makes it personID int NULL")


def test_a_key_column_written_in_brackets_or_another_case_is_placed_and_named_as_made(check):
    script = "CREATE TABLE #kids (personID int, grade varchar(4))\nALTER TABLE #KIDS ADD PRIMARY KEY ([PERSONID] DESC)\n"
    (hit,) = _hits(check, script)
    assert script[hit.span.start : hit.span.end] == "[PERSONID]"
    assert hit.message.startswith("#kids.personID allows NULL: line 1 makes it personID int")
