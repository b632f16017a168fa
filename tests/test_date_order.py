"""SH032: ORDER BY a date written as text that does not sort as the dates do. PostgreSQL writes
the text as SQL Server's style 101 does and sorts it the same way: the query as written puts
January 2026 before December 2025, and the fix orders by the date."""

import pytest
from checked import found
from engines import postgres_rows, postgres_with

SELECT = ("SELECT a.personID, CONVERT(varchar(10), a.date, 101) AS day FROM Attendance a "
          "WHERE a.calendarID = 12 ORDER BY {order}")


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE Attendance (personID int, calendarID int, date timestamp)",
        "INSERT INTO Attendance VALUES (1, 12, '2025-12-01'), (2, 12, '2026-01-05'), (3, 12, '2025-12-18')",
    ) as connection:
        yield connection


@pytest.mark.parametrize("order", ["day", "2", "CONVERT(varchar(10), a.date, 101)"])
def test_an_order_by_mm_dd_yyyy_text_is_not_date_order_and_the_fix_is(check, postgres, order):
    sql = SELECT.format(order=order)
    (hit,) = found(check, sql, "SH032")
    assert hit.message == (f"ORDER BY {order} sorts Attendance.date as the text CONVERT(varchar(10), a.date, 101) writes, "
                           "which does not sort as the dates do: '12/01/2025' comes after '01/05/2026', so the rows are "
                           "not in date order.")
    assert (hit.span.line, hit.span.column) == (1, sql.rindex(order) + 1)
    assert [person for person, _ in postgres_rows(postgres, sql)] == [2, 1, 3]  # January 2026 first
    assert hit.remediation.startswith("Order by the date itself, ORDER BY a.date, and keep the text in the SELECT list")
    fixed = SELECT.format(order="a.date")
    assert [person for person, _ in postgres_rows(postgres, fixed)] == [1, 3, 2]
    assert found(check, fixed, "SH032") == []


@pytest.mark.parametrize("sql", [
    SELECT.replace(", 101)", ", 23)").format(order="day"),  # yyyy-mm-dd sorts as the dates do
    SELECT.replace(", 101)", ", 112)").format(order="2"),
    SELECT.format(order="a.personID"),
    "SELECT a.personID, CONVERT(varchar(10), a.personID) AS day FROM Attendance a WHERE a.calendarID = 12 ORDER BY day",
])
def test_orders_that_sort_as_the_dates_do_or_are_not_dates_are_left_alone(check, sql):
    assert found(check, sql, "SH032") == []
