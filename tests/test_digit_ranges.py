"""PR018: a range on a text column bounded by digits of another length. SQLite compares text
character by character as SQL Server does for digits and capital letters: the range as written
misses grades 09 to 12, and the fix's list and numbers keep them."""

import re
import sqlite3
from functools import partial

import pytest
import sqlglot
from checked import found

_hits = partial(found, rule="PR018")
GRADES = ["KG", "01", "05", "09", "10", "11", "12"]


@pytest.fixture(scope="module")
def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (personID, grade, endYear)")
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?, 2027)", list(enumerate(GRADES)))
    return connection


def _grades(connection, condition: str) -> list[str]:
    sql = sqlglot.transpile(f"SELECT e.grade FROM Enrollment e WHERE {condition}", read="tsql", write="sqlite")[0]
    return sorted(grade for (grade,) in connection.execute(sql))


@pytest.mark.parametrize("condition, as_written, numbers", [
    ("e.grade >= '9'", ["KG"], "TRY_CAST(e.grade AS int) >= 9"),
    ("e.grade BETWEEN '9' AND '12'", [], "TRY_CAST(e.grade AS int) BETWEEN 9 AND 12"),
    ("'9' <= e.grade", ["KG"], "TRY_CAST(e.grade AS int) >= 9"),
])
def test_a_range_of_digits_on_text_misses_the_grades_meant_and_the_fix_keeps_them(check, database, condition, as_written,
                                                                                   numbers):
    sql = f"SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND {condition}"
    (hit,) = _hits(check, sql)
    assert hit.message == (f"{condition} compares Enrollment.grade, a varchar(4), as text, character by character, not as "
                           "numbers: a value is placed by its first character, so '10' sorts before '9' and '09' before "
                           "'1', and the range is not the numbers it looks like.")
    assert _grades(database, condition) == as_written
    fix = re.search(r"or compare numbers: (.+), which leaves out", hit.remediation)[1]
    assert fix == numbers
    assert _grades(database, fix) == ["09", "10", "11", "12"]
    assert _grades(database, "e.grade IN ('09', '10', '11', '12')") == ["09", "10", "11", "12"]


@pytest.mark.parametrize("condition", [
    "e.grade BETWEEN '09' AND '12'",  # the values' own width: right for the numbered grades
    "e.grade >= '09' AND e.grade <= '12'",
    "e.endYear >= 2026",  # a number column
    "e.serviceType >= '1'",  # a one-character code
    "e.grade >= 'K'",  # not digits
])
def test_ranges_written_at_the_values_width_or_not_on_text_are_left_alone(check, condition):
    assert _hits(check, f"SELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND {condition}") == []


@pytest.mark.parametrize("declared", ["@low varchar(2) = '9', @high varchar(2) = '12'", "@low char(2) = 9, @high char(2) = 12"])
def test_text_variables_that_hold_the_bounds_compare_as_text_too(check, database, declared):
    """9 given to a char(2) is the text '9' (and a space, which a comparison ignores), as the variable holds it."""
    script = f"DECLARE {declared}\nSELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.grade BETWEEN @low AND @high\n"
    (hit,) = _hits(check, script)
    assert hit.message.startswith("e.grade BETWEEN @low AND @high (@low holds '9', @high holds '12') compares "
                                  "Enrollment.grade, a varchar(4), as text")
    assert hit.remediation.endswith("or compare numbers: TRY_CAST(e.grade AS int) BETWEEN @low AND @high, which leaves out "
                                    "the values that are not numbers but cannot seek an index.")
    assert _grades(database, "e.grade BETWEEN '9' AND '12'") == []
    assert _grades(database, "TRY_CAST(e.grade AS int) BETWEEN 9 AND 12") == ["09", "10", "11", "12"]


def test_a_date_variable_given_digits_of_no_day_holds_no_bound(check):
    """'9' is no day: the DECLARE stops the script (PR026), and the grades would be made dates."""
    script = "DECLARE @low date = '9'\nSELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.grade >= @low\n"
    findings = check(script).findings
    assert [f.rule for f in findings if f.rule in ("PR018", "PR026")] == ["PR026"]


def test_a_number_variable_given_digits_in_quotes_holds_a_number(check):
    """'9' given to an int is 9: the grades are converted to numbers to meet it, which is PR004's."""
    script = "DECLARE @low int = '9'\nSELECT e.personID FROM Enrollment e WHERE e.endYear = 2027 AND e.grade >= @low\n"
    findings = check(script).findings
    assert [f.rule for f in findings if f.rule in ("PR018", "PR004")] == ["PR004"]
