"""CL022: SUM or AVG of a text column, which SQL Server refuses (error 8117). PostgreSQL has no
sum or avg of text either: each query found is refused there, and the fix, which makes each value
a number and leaves out those that are not, runs."""

from functools import partial

import psycopg
import pytest
from checked import found
from engines import postgres_rows, postgres_with

_hits = partial(found, rule="CL022")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Enrollment (enrollmentID int, personID int, calendarID int, grade varchar(4))",
        "INSERT INTO Enrollment VALUES (1, 10, 12, '09'), (2, 11, 12, '11'), (3, 12, 12, 'KG')",
    ) as connection:
        yield connection


@pytest.mark.parametrize("sql, total", [
    ("SELECT e.calendarID, AVG(e.grade) AS g FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.calendarID",
     "AVG(e.grade)"),
    ("SELECT e.calendarID, SUM(DISTINCT e.grade) AS g FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.calendarID",
     "SUM(DISTINCT e.grade)"),
    ("SELECT e.calendarID FROM Enrollment e WHERE e.calendarID = 12 GROUP BY e.calendarID HAVING SUM(e.grade) > 3",
     "SUM(e.grade)"),
])
def test_a_total_of_text_is_refused_and_totals_the_numbers_made_of_it(check, postgres, sql, total):
    (hit,) = _hits(check, sql)
    operator = total.split("(")[0].lower()
    assert hit.message == (f"{total} adds up Enrollment.grade, a varchar(4): SQL Server adds up numbers only, and "
                           f"refuses the statement before it reads a row (error 8117, \"Operand data type varchar is "
                           f"invalid for {operator} operator\").")
    with pytest.raises(psycopg.errors.UndefinedFunction):
        postgres_rows(postgres, sql)
    fixed_total = hit.remediation.split("(KG, PK): ")[1].removesuffix(".")
    assert fixed_total == total.replace("e.grade", "TRY_CAST(e.grade AS decimal(9, 2))")
    # PostgreSQL has no TRY_CAST: the values that are numbers (all but KG here), as TRY_CAST keeps them
    numbers = fixed_total.replace("TRY_CAST(e.grade AS decimal(9, 2))", "CASE WHEN e.grade <> 'KG' THEN "
                                  "CAST(e.grade AS decimal(9, 2)) END")
    assert _hits(check, sql.replace(total, fixed_total)) == []
    assert postgres_rows(postgres, sql.replace(total, numbers))


@pytest.mark.parametrize("total", ["MAX(e.grade)", "COUNT(e.grade)", "SUM(e.enrollmentID)", "AVG(CAST(e.enrollmentID AS float))"])
def test_totals_that_take_text_or_numbers_are_left_alone(check, total):
    assert _hits(check, f"SELECT {total} AS t FROM Enrollment e WHERE e.calendarID = 12") == []
