"""The date ranges PR001's and PR005's fixes write stay inside what SQL Server's date types hold:
a comparison no range of real dates can say gets the general advice, never a crash or a day
such as '-83313081201'."""

import re

import pytest

ATTENDANCE = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND "
DAY = re.compile(r"'(\d{8})'")


@pytest.mark.parametrize("condition, rule", [
    ("DATEDIFF(day, a.date, '2026-03-10') <= 99999999", "PR001"),  # past the last day Python and SQL Server know
    ("DATEDIFF(month, a.date, '2026-03-10') <= 99999999", "PR001"),
    ("DATEDIFF(year, a.date, '2026-03-10') = 2026", "PR001"),  # the year 0
    ("DATEDIFF(year, a.date, GETDATE()) = 2026", "PR001"),  # DATEFROMPARTS(YEAR(GETDATE()) - 2026, 1, 1) fails as it runs
    ("CAST(a.date AS date) = '9999-12-31'", "PR001"),  # no day after it
    ("CONVERT(varchar(10), a.date, 120) = '9999-12-31'", "PR005"),
    ("CONVERT(char(7), a.date, 120) = '9999-12'", "PR005"),
])
def test_a_comparison_no_range_of_real_dates_can_say_gets_the_general_advice(check, condition, rule):
    (hit,) = [f for f in check(ATTENDANCE + condition).findings if f.rule == rule]  # an internal error raises
    assert "range it means" not in hit.remediation and "day's range" not in hit.remediation
    assert "YEAR(GETDATE()) - 2026" not in hit.remediation
    assert all(1753 <= int(day[:4]) <= 9999 for day in DAY.findall(hit.remediation))


@pytest.mark.parametrize("condition", ["CAST(a.date AS date) = 2026", "CONVERT(date, a.date) = '2026-03'"])
def test_the_day_of_a_date_compared_with_a_year_or_a_month_is_not_read_as_that_year_or_month(check, condition):
    """2026 is no date (SQL Server refuses date = int), and '2026-03' converted to a date is at
    most one day: neither is the year or the month a text comparison would mean."""
    (hit,) = [f for f in check(ATTENDANCE + condition).findings if f.rule == "PR001"]
    assert "a.date >= '20260101' AND a.date < '20270101' instead of" not in hit.remediation
    assert "a.date >= '20260301' AND a.date < '20260401'" not in hit.remediation


def test_a_range_of_real_dates_is_still_written_out(check):
    (hit,) = [f for f in check(ATTENDANCE + "DATEDIFF(day, a.date, '2026-03-10') <= 7").findings if f.rule == "PR001"]
    assert hit.remediation.startswith("Compare the bare column with the range it means: a.date >= '20260303' instead of")
