"""CL024: char with no length in a CAST or CONVERT is char(30), padded with spaces. PostgreSQL
pads char(30) as SQL Server does: the tests run the value in the type SQL Server reads, and in
the type the fix writes, which keeps the value as it is."""

import pytest
import sqlglot
from checked import fixed_text_type, found
from engines import postgres_cast, postgres_rows, postgres_with

LABEL = ("SELECT s.lastName + ' (grade ' + CAST(e.grade AS char) + ')' AS label FROM Enrollment e "
         "JOIN Individual s ON s.personID = e.personID WHERE e.calendarID = 12")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with("CREATE TABLE Enrollment (personID int, grade varchar(4), calendarID int)",
                       "INSERT INTO Enrollment VALUES (1, '09', 12), (2, '10', 13)") as connection:
        yield connection


def test_char_with_no_length_joined_to_text_puts_spaces_inside_it(check, postgres):
    (hit,) = found(check, LABEL, "CL024")
    assert LABEL[hit.span.start:hit.span.end] == "CAST(e.grade AS char)"
    assert hit.message == ("CAST(e.grade AS char) is char(30), as CAST reads char with no length: SQL Server pads e.grade, "
                           "at most 4 characters, with spaces to 30 characters (at least 26 spaces), and the text it is "
                           "joined to keeps them.")
    assert hit.remediation.startswith("Convert to varchar(4), which adds no spaces: CAST(e.grade AS varchar(4))")
    assert hit.severity == "warning"
    assert postgres_cast(postgres, "'09'", "char(30)") == "09" + " " * 28
    assert postgres_cast(postgres, "'09'", fixed_text_type(hit.remediation)) == "09"


@pytest.mark.parametrize("sql, written", [
    ("SELECT CAST(e.calendarID AS char) AS calendar FROM Enrollment e WHERE e.calendarID = 12", "CAST(e.calendarID AS char)"),
    ("SELECT CONVERT(char, e.calendarID) FROM Enrollment e WHERE e.calendarID = 12", "CONVERT(char, e.calendarID)"),
    ("SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 UNION ALL "
     "SELECT CAST(e.calendarID AS char) FROM Enrollment e WHERE e.calendarID = 13", "CAST(e.calendarID AS char)"),
    ("SELECT CONCAT('Calendar ', CAST(e.calendarID AS nchar)) FROM Enrollment e WHERE e.calendarID = 12",
     "CAST(e.calendarID AS nchar)"),
])
def test_a_returned_or_joined_value_of_unknown_length_is_padded_to_thirty(check, postgres, sql, written):
    (hit,) = found(check, sql, "CL024")
    assert sql[hit.span.start:hit.span.end] == written
    assert "pads a shorter value with spaces to 30 characters" in hit.message
    fixed = fixed_text_type(hit.remediation)
    assert fixed == ("nvarchar(30)" if "nchar" in written else "varchar(30)")
    assert postgres_cast(postgres, "1234", "char(30)") == "1234" + " " * 26
    assert postgres_cast(postgres, "1234", fixed.removeprefix("n")) == "1234"  # PostgreSQL's varchar holds what nvarchar does


PASSED_ON = [  # the padded column, through a CTE or derived table, to the result
    "WITH g AS (SELECT e.personID, CAST(e.grade AS char) AS grade FROM Enrollment e WHERE e.calendarID = 12) "
    "SELECT g.personID, g.grade FROM g",
    "SELECT * FROM (SELECT e.personID, CAST(e.grade AS char) AS grade FROM Enrollment e WHERE e.calendarID = 12) d",
    "WITH g (id, grade) AS (SELECT e.personID, CAST(e.grade AS char) FROM Enrollment e WHERE e.calendarID = 12) "
    "SELECT g.id, g.grade FROM g",
    "WITH g AS (SELECT e.personID, CAST(e.grade AS char(2)) AS grade FROM Enrollment e WHERE e.calendarID = 13 UNION ALL "
    "SELECT e.personID, CAST(e.grade AS char) FROM Enrollment e WHERE e.calendarID = 12) SELECT g.personID, g.grade FROM g",
    "WITH g AS (SELECT e.personID, CAST(e.grade AS char) AS grade FROM Enrollment e WHERE e.calendarID = 12), "
    "h AS (SELECT * FROM g) SELECT h.personID, h.grade FROM h",
]


@pytest.mark.parametrize("sql", PASSED_ON)
def test_a_cte_or_derived_table_passes_the_spaces_on_to_the_result(check, postgres, sql):
    (hit,) = found(check, sql, "CL024")
    assert sql[hit.span.start:hit.span.end] == "CAST(e.grade AS char)"
    assert "the result's column keeps them" in hit.message
    assert (1, "09" + " " * 28) in postgres_rows(postgres, sql.replace("AS char)", "AS char(30))"))
    assert (1, "09") in postgres_rows(postgres, sql.replace("AS char)", f"AS {fixed_text_type(hit.remediation)})"))


def test_joined_to_text_outside_the_derived_table_it_is_reported_as_joined(check):
    sql = ("SELECT 'Grade ' + d.grade FROM (SELECT CAST(e.grade AS char) AS grade FROM Enrollment e "
           "WHERE e.calendarID = 12) d")
    (hit,) = found(check, sql, "CL024")
    assert "the text it is joined to keeps them" in hit.message


MADE = "SELECT e.personID, CAST(e.grade AS char) AS grade INTO #g FROM Enrollment e WHERE e.calendarID = 12\n{read}\n"


def _script_rows(connection, tsql: str) -> list[tuple]:
    """The rows the last statement of a script, one statement a line, returns in PostgreSQL."""
    try:
        for line in tsql.splitlines():
            cursor = connection.execute(sqlglot.transpile(line, read="tsql", write="postgres")[0])
        return cursor.fetchall()
    finally:
        connection.execute("DROP TABLE IF EXISTS g, h")


@pytest.mark.parametrize("read, kept", [
    ("SELECT g.personID, g.grade FROM #g g", "which the statement on line 2 returns, spaces and all"),
    ("SELECT * FROM #g", "which the statement on line 2 returns, spaces and all"),
    ("SELECT 'Grade ' + g.grade FROM #g g", "and the statement on line 2 joins it to more text"),
])
def test_a_table_select_into_makes_keeps_the_spaces_for_the_statements_that_read_it(check, postgres, read, kept):
    sql = MADE.format(read=read)
    (hit,) = found(check, sql, "CL024")
    assert sql[hit.span.start:hit.span.end] == "CAST(e.grade AS char)"
    assert hit.message.endswith(f"#g keeps them in its column grade, {kept}.")
    if "+" not in read:  # PostgreSQL drops char's padding where it joins text; SQL Server keeps it
        assert (1, "09" + " " * 28) in _script_rows(postgres, sql.replace("AS char)", "AS char(30))"))
        assert (1, "09") in _script_rows(postgres, sql.replace("AS char)", f"AS {fixed_text_type(hit.remediation)})"))


def test_a_temp_table_made_from_another_keeps_its_spaces(check, postgres):
    sql = MADE.format(read="SELECT g.personID, g.grade AS level INTO #h FROM #g g\nSELECT * FROM #h")
    (hit,) = found(check, sql, "CL024")
    assert sql[hit.span.start:hit.span.end] == "CAST(e.grade AS char)"
    assert hit.message.endswith("#h keeps them in its column level, which the statement on line 3 returns, spaces and all.")
    assert (1, "09" + " " * 28) in _script_rows(postgres, sql.replace("AS char)", "AS char(30))"))
    trimmed = MADE.format(read="SELECT g.personID, RTRIM(g.grade) AS level INTO #h FROM #g g\nSELECT * FROM #h")
    assert found(check, trimmed, "CL024") == []


@pytest.mark.parametrize("declared, kept", [
    ("#g (personID int, grade varchar(40))", "grade"),
    ("#g (personID int, grade nvarchar(max))", "grade"),
    ("@g TABLE (personID int, grade varchar(30))", "grade"),
    ("#g (personID int, grade varchar(20))", "grade (varchar(20): up to 20 characters)"),  # the spaces past 20 go
    ("#g (personID int, grade char(40))", None),  # pads every value itself, CAST or not
])
def test_a_declared_table_an_insert_fills_keeps_the_spaces_its_column_holds(check, declared, kept):
    """SQL Server stores a padded value in a varchar column as it comes, spaces and all (PostgreSQL
    drops char's spaces as it converts to varchar, so no engine here shows it: the findings only)."""
    table = declared.split(" ")[0]
    made = f"DECLARE {declared}" if table.startswith("@") else f"CREATE TABLE {declared}"
    for insert in (f"INSERT INTO {table} (personID, grade)", f"INSERT INTO {table}"):
        sql = (f"{made}\n{insert} SELECT e.personID, CAST(e.grade AS char) FROM Enrollment e WHERE e.calendarID = 12\n"
               f"SELECT g.personID, g.grade FROM {table} g\n")
        hits = found(check, sql, "CL024")
        assert len(hits) == (kept is not None)
        if kept:
            assert sql[hits[0].span.start:hits[0].span.end] == "CAST(e.grade AS char)"
            assert hits[0].message.endswith(f"{table} keeps them in its column {kept}, which the statement on line 3 "
                                            "returns, spaces and all.")


def test_a_made_column_read_by_several_statements_is_reported_once_where_it_is_converted(check):
    sql = MADE.format(read="SELECT g.grade FROM #g g WHERE g.personID = 1\nSELECT * FROM #g")
    (hit,) = found(check, sql, "CL024")
    assert hit.span.line == 1
    assert "which the statement on line 2 returns" in hit.message


@pytest.mark.parametrize("sql", [
    "SELECT e.personID FROM Enrollment e WHERE CAST(e.grade AS char) = '09'",  # a comparison ignores trailing spaces
    "SELECT RTRIM(CAST(e.grade AS char)) + '|' FROM Enrollment e WHERE e.calendarID = 12",  # trimmed
    "SELECT LEN(CAST(e.grade AS char)) FROM Enrollment e WHERE e.calendarID = 12",  # LEN ignores them too
    "SELECT CAST(e.grade AS char(2)) + '|' FROM Enrollment e WHERE e.calendarID = 12",  # the width written
    "SELECT CAST(e.grade AS varchar) + '|' FROM Enrollment e WHERE e.calendarID = 12",  # varchar does not pad
    "SELECT CAST(i.lastName AS char) FROM [Identity] i WHERE i.personID = 5",  # longer than 30: cut, CL017
    "SELECT CAST(e.grade AS char) AS grade INTO #grades FROM Enrollment e WHERE e.calendarID = 12",  # not returned
    "SELECT e.personID, CAST(NULL AS char) AS blank FROM Enrollment e WHERE e.calendarID = 12",  # NULL stays NULL
    # a CTE's or derived table's padded column that the statement only compares, or does not read
    "SELECT d.personID FROM (SELECT e.personID, CAST(e.grade AS char) AS grade FROM Enrollment e "
    "WHERE e.calendarID = 12) d WHERE d.grade = '09'",
    "WITH g (id, grade) AS (SELECT e.personID, CAST(e.grade AS char) FROM Enrollment e WHERE e.calendarID = 12) "
    "SELECT g.id FROM g",
    "WITH r AS (SELECT 1 AS n, CAST('a' AS char) AS t UNION ALL SELECT r.n + 1, r.t FROM r WHERE r.n < 5) SELECT r.n FROM r",
    MADE.format(read="SELECT g.personID FROM #g g WHERE g.grade = '09'"),  # a made table's column, only compared
])
def test_where_the_spaces_go_unseen_or_there_are_none_it_is_not_reported(check, sql):
    assert found(check, sql, "CL024") == []


def test_a_value_longer_than_thirty_is_reported_as_cut_not_padded(check):
    sql = "SELECT CAST(i.lastName AS char) + '|' FROM [Identity] i WHERE i.personID = 5"
    assert found(check, sql, "CL024") == []
    assert len(found(check, sql, "CL017")) == 1
