"""CL011: ISNULL(date or number, '') in a SELECT list. SQL Server converts the blank to the column's
type (1900-01-01, 0), which no engine here does the same way; the fix, text first and then the
blank, is run in PostgreSQL: blank where the value is NULL, the value as text elsewhere."""

import re
from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (personID int, endDate timestamp, endYear int, minutes int)",
        "INSERT INTO Enrollment VALUES (1, NULL, 2027, NULL), (2, '2027-06-04', 2027, 45)",
    ) as connection:
        yield connection


_hits = partial(found, rule="CL011")


def _sql(item: str) -> str:
    return f"SELECT e.personID, {item} AS v FROM Enrollment e WHERE e.endYear = 2027"


@pytest.mark.parametrize("item, result, rows", [
    ("ISNULL(e.endDate, '')", "the blank becomes the smalldatetime 1900-01-01, which every row without a date shows",
     [(1, ""), (2, "2027-06-04")]),
    ("COALESCE(e.endDate, ' ')", "the blank becomes the smalldatetime 1900-01-01, which every row without a date shows",
     [(1, ""), (2, "2027-06-04")]),
])
def test_a_blank_for_a_missing_date_is_found_and_the_fix_keeps_it_blank(check, postgres, item, result, rows):
    (hit,) = _hits(check, _sql(item))
    assert hit.severity == "warning"
    assert hit.message == f"{item} returns Enrollment.endDate's type, not text: {result}."
    fixed = re.match(r"Turn the value into text first, and the blank stays blank: (.+) \(yyyy-mm-dd;", hit.remediation)[1]
    assert fixed == f"{item.split('(')[0]}(CONVERT(varchar(10), e.endDate, 23), '')"
    assert sorted(postgres_rows(postgres, _sql(fixed))) == rows


def test_a_number_becomes_0_and_a_decimal_stops_the_statement(check, catalog):
    from dataclasses import replace

    from advisor.catalog.model import Column
    from advisor.pipeline import Checker
    from advisor.sources import Source

    (hit,) = _hits(check, "SELECT ISNULL(a.excuseID, '') AS e FROM Attendance a WHERE a.calendarID = 5")
    assert "the blank becomes the int 0, which every row without a value shows" in hit.message
    table = catalog.table("Attendance")
    decimal = replace(table, columns=(*table.columns, Column("minutes", "decimal(6, 2)")))
    district = replace(catalog, tables={**catalog.tables, "attendance": decimal})
    sql = "SELECT ISNULL(a.minutes, '') AS m FROM Attendance a WHERE a.calendarID = 5\n"
    (stops,) = [f for f in Checker(district).check(Source("q.sql", sql.encode())).findings if f.rule == "CL011"]
    assert stops.severity == "error" and "error 8114" in stops.message


@pytest.mark.parametrize("item", [
    "ISNULL(e.grade, '')",  # text takes the blank
    "ISNULL(e.startDate, '')",  # never NULL
    "ISNULL(e.endDate, '2099-12-31')",  # a date meant
    "ISNULL(CONVERT(varchar(10), e.endDate, 23), '')",
])
def test_blanks_that_stay_blank_are_left_alone(check, item):
    assert _hits(check, _sql(item)) == []


@pytest.mark.parametrize("item, said, fixed", [
    ("COALESCE(e.endDate, 'none')",
     "COALESCE(e.endDate, 'none') returns Enrollment.endDate's type, smalldatetime, not text, and 'none' cannot become "
     "a date: the first row without a value", "COALESCE(CONVERT(varchar(10), e.endDate, 23), 'none')"),
    ("CASE WHEN e.endDate IS NULL THEN 'none' ELSE e.endDate END",
     "This CASE returns Enrollment.endDate's type, smalldatetime, the highest of its results' types, and 'none' cannot "
     "become a date: the first row that takes it", "CASE WHEN e.endDate IS NULL THEN 'none' ELSE CONVERT(varchar(10), "
     "e.endDate, 23) END"),
])
def test_text_that_cannot_become_the_date_stops_the_statement_and_the_fix_keeps_it_as_text(check, postgres, item, said,
                                                                                         fixed):
    (hit,) = _hits(check, _sql(item))
    assert hit.severity == "error"
    assert hit.message == (f"{said} stops the statement with error 241 (\"Conversion failed when converting date and/or "
                           "time from character string\"). It runs until such a row is read.")
    assert (hit.span.line, hit.span.column) == (1, _sql(item).index("COALESCE" if "COALESCE" in item else "'none'") + 1)
    with pytest.raises(Exception, match="invalid input syntax for type timestamp"), postgres.transaction():
        postgres_rows(postgres, _sql(item))  # PostgreSQL refuses the text as a date as well (when it plans)
    assert "CONVERT(varchar(10), e.endDate, 23)" in hit.remediation
    assert sorted(postgres_rows(postgres, _sql(fixed))) == [(1, "none"), (2, "2027-06-04")]
    assert _hits(check, _sql(fixed)) == []


def test_text_that_cannot_become_the_number_names_the_error_sql_server_gives(check):
    (hit,) = _hits(check, "SELECT ISNULL(a.excuseID, 'N/A') AS e FROM Attendance a WHERE a.calendarID = 5")
    assert hit.severity == "error"
    assert "error 245 (\"Conversion failed when converting the varchar value 'N/A' to data type int\")" in hit.message
    assert hit.remediation == "Turn the value into text first: ISNULL(CAST(a.excuseID AS varchar(40)), 'N/A')."


def test_a_decimal_written_as_text_beside_a_whole_number_in_a_case_cannot_become_an_int(check, postgres):
    item = "CASE WHEN e.endDate IS NULL THEN '1.5' ELSE 0 END"
    (hit,) = _hits(check, _sql(item))
    assert "and '1.5' cannot become a number" in hit.message
    with pytest.raises(Exception, match="invalid input syntax for type integer"), postgres.transaction():
        postgres_rows(postgres, _sql(item))


@pytest.mark.parametrize("text, found", [("'yes'", True), ("'TRUE'", False), ("'false'", False)])
def test_a_bit_takes_true_and_false_as_text(check, text, found):
    sql = (f"SELECT CASE WHEN r.personID2 = 5 THEN {text} ELSE r.guardian END AS g FROM RelatedPair r "
           "WHERE r.personID1 = 5")
    assert len(_hits(check, sql)) == found


def test_text_that_cannot_become_a_decimal_names_error_8114(check):
    (hit,) = _hits(check, "SELECT ISNULL(t.gpaValue, 'N/A') AS gpa FROM TranscriptCourse t WHERE t.personID = 5")
    assert "with error 8114 (\"Error converting data type varchar to numeric\")" in hit.message


def test_text_beside_a_whole_number_in_a_case_stops_the_statement_and_the_number_as_text_runs(check, postgres):
    item = "CASE WHEN e.endDate IS NULL THEN 'Still enrolled' ELSE 0 END"
    (hit,) = _hits(check, _sql(item))
    assert hit.severity == "error" and hit.message == (
        "This CASE returns the type of 0, int, the highest of its results' types, and 'Still enrolled' cannot become a "
        "number: the first row that takes it stops the statement with error 245 (\"Conversion failed when converting "
        "the varchar value 'Still enrolled' to data type int\"). It runs until such a row is read.")
    assert hit.remediation == "Write the number as text where the CASE returns it, '0', so that every result is text."
    with pytest.raises(Exception, match="invalid input syntax for type integer"), postgres.transaction():
        postgres_rows(postgres, _sql(item))
    fixed = item.replace("ELSE 0", "ELSE '0'")
    assert _hits(check, _sql(fixed)) == []
    assert sorted(postgres_rows(postgres, _sql(fixed))) == [(1, "Still enrolled"), (2, "0")]


@pytest.mark.parametrize("iif, case", [
    ("IIF(e.endDate IS NULL, 'none', e.endDate)", "CASE WHEN e.endDate IS NULL THEN 'none' ELSE e.endDate END"),
    ("IIF(e.endDate IS NULL, 0, 'Still enrolled')", "CASE WHEN e.endDate IS NULL THEN 0 ELSE 'Still enrolled' END"),
])
def test_an_iif_is_judged_as_the_case_it_is_short_for(check, iif, case):
    (hit,) = _hits(check, _sql(iif))
    (as_case,) = _hits(check, _sql(case))
    assert hit.message == as_case.message.replace("This CASE", "This IIF")
    assert hit.remediation == as_case.remediation.replace("the CASE", "the IIF")
    assert _hits(check, _sql("IIF(e.endDate IS NULL, 'open', e.grade)")) == []


@pytest.mark.parametrize("item", [
    "ISNULL(e.endDate, '20991231')",  # a date
    "ISNULL(e.startDate, 'none')",  # never NULL: the text is never used
])
def test_text_that_becomes_the_type_or_is_never_used_is_left_alone(check, item):
    assert _hits(check, _sql(item)) == []


@pytest.mark.parametrize("item", [
    "CASE WHEN e.endDate IS NULL THEN '20991231' ELSE e.endDate END",  # a date
    "CASE WHEN e.endDate IS NULL THEN 'open' ELSE e.grade END",  # text and text
    "CASE WHEN e.endDate IS NULL THEN '1' ELSE 0 END",  # text that is a number
    "CASE WHEN e.endDate IS NULL THEN 'open' ELSE 2147483648 END",  # a numeric, not an int: not judged
    # days SQL Server reads in spellings other than digits: a month's name, a year alone, a two-digit year
    "CASE WHEN e.endDate IS NULL THEN 'July 4, 2026' ELSE e.endDate END",
    "CASE WHEN e.endDate IS NULL THEN '2026' ELSE e.endDate END",
    "ISNULL(e.endDate, '20 Aug 2026')", "ISNULL(e.endDate, '08/20/26')", "ISNULL(e.endDate, '2026.08.20')",
])
def test_a_case_whose_results_all_become_one_type_is_left_alone(check, item):
    assert _hits(check, _sql(item)) == []


def test_a_header_row_s_text_in_a_union_column_of_numbers_stops_the_statement_every_time(check, postgres):
    sql = "SELECT 'Person ID' AS personID UNION ALL SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027"
    (hit,) = _hits(check, sql)
    assert hit.severity == "error" and hit.message == (
        "Column 1 of this UNION returns Enrollment.personID's type, int, the highest of its arms' types, and 'Person ID' "
        "cannot become a number: its arm's row, which reads no table, stops the statement every time it runs, with error "
        "245 (\"Conversion failed when converting the varchar value 'Person ID' to data type int\").")
    assert sql[hit.span.start : hit.span.end] == "'Person ID'"
    assert hit.remediation == ("Turn the number into text in its arm, CAST(e.personID AS varchar(40)), so that every arm "
                               "returns text in the column.")
    with pytest.raises(Exception, match="invalid input syntax for type integer"), postgres.transaction():
        postgres_rows(postgres, sql)  # PostgreSQL gives the column the number's type too
    fixed = sql.replace("SELECT e.personID", "SELECT CAST(e.personID AS varchar(40))")
    assert _hits(check, fixed) == []
    assert sorted(postgres_rows(postgres, fixed)) == [("1",), ("2",), ("Person ID",)]


@pytest.mark.parametrize("sql, said", [
    ("SELECT 'Start' AS d UNION SELECT e.endDate FROM Enrollment e WHERE e.endYear = 2027",
     "Column 1 of this UNION returns Enrollment.endDate's type, smalldatetime, the highest of its arms' types, and "
     "'Start' cannot become a date: its arm's row"),
    ("SELECT e.grade, COUNT(*) AS n FROM Enrollment e WHERE e.endYear = 2027 GROUP BY e.grade\n"
     "UNION ALL SELECT e.grade, 'none' FROM Enrollment e WHERE e.endYear = 2026",
     "Column 2 of this UNION returns the type of COUNT(*), int, the highest of its arms' types, and 'none' cannot "
     "become a number: the first row that takes it stops the statement"),
    ("SELECT x.v FROM (SELECT 'ID' AS v UNION SELECT 5 UNION SELECT 6) x",
     "Column 1 of this UNION returns the type of 5, int, the highest of its arms' types, and 'ID' cannot become"),
])
def test_text_in_a_union_column_of_dates_or_numbers_is_found_in_any_arm(check, sql, said):
    (hit,) = _hits(check, sql)
    assert hit.message.startswith(said)


@pytest.mark.parametrize("sql", [
    "SELECT 'Grade' AS g UNION ALL SELECT e.grade FROM Enrollment e WHERE e.endYear = 2027",  # text and text
    "SELECT '0' AS n UNION ALL SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027",  # text that is a number
    "SELECT '' AS n UNION ALL SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027",  # a blank: 0
    "SELECT 'ID' AS n UNION ALL SELECT CAST(e.personID AS varchar(10)) FROM Enrollment e WHERE e.endYear = 2027",
    "SELECT 'ID' AS n, 'x' AS m UNION ALL SELECT * FROM Enrollment e WHERE e.endYear = 2027",  # a star: not known
])
def test_a_union_whose_columns_all_become_one_type_is_left_alone(check, sql):
    assert _hits(check, sql) == []
