"""SH021: an age in the SELECT list computed as DATEDIFF(year, birthdate, ...). No engine here
computes DATEDIFF as SQL Server does (its documented rule: the year boundaries crossed), so the
fix's arithmetic is checked under that rule against the age every birthday of two years gives."""

from datetime import date, timedelta

import pytest


def _hits(check, item: str) -> list:
    sql = f"SELECT s.studentNumber, {item}\nFROM student s WITH (NOEXPAND) WHERE s.endYear = 2027\n"
    return [f for f in check(sql).findings if f.rule == "SH021"]


@pytest.mark.parametrize("item, until", [
    ("DATEDIFF(year, s.birthdate, GETDATE()) AS age", "GETDATE()"),
    ("DATEDIFF(yy, s.birthdate, '2026-09-01') AS ageOnSept1", "'2026-09-01'"),
    ("CAST(DATEDIFF(YEAR, s.birthdate, GETDATE()) AS varchar(3)) + ' years'", "GETDATE()"),
])
def test_an_age_counted_in_year_boundaries_is_found_with_the_year_taken_off(check, item, until):
    (hit,) = _hits(check, item)
    difference = item[item.index("DATEDIFF"):item.index(")", item.index(until) + len(until)) + 1]
    assert hit.message.startswith(f"{difference} counts the New Year's Days between s.birthdate and {until}, not whole years")
    assert hit.remediation == (f"For the age in whole years, take a year off before the birthday: {difference} - CASE WHEN "
                               f"DATEADD(year, {difference}, s.birthdate) > {until} THEN 1 ELSE 0 END.")


@pytest.mark.parametrize("item", [
    "DATEDIFF(year, s.birthdate, GETDATE()) - CASE WHEN DATEADD(year, DATEDIFF(year, s.birthdate, GETDATE()), s.birthdate) "
    "> GETDATE() THEN 1 ELSE 0 END AS age",
    "DATEDIFF(day, s.birthdate, GETDATE()) / 365 AS roughAge",  # days, not year boundaries
    "DATEDIFF(year, s.startDate, GETDATE()) AS yearsEnrolled",  # not a birth date
])
def test_an_age_already_corrected_or_not_an_age_is_left_alone(check, item):
    assert _hits(check, item) == []


def _datediff_years(start: date, end: date) -> int:
    return end.year - start.year  # the year boundaries crossed


def _dateadd_years(years: int, day: date) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: SQL Server gives the 28th
        return day.replace(year=day.year + years, day=28)


def test_the_fix_s_arithmetic_gives_the_age_where_the_year_boundaries_do_not():
    on = date(2027, 3, 1)
    wrong = 0
    for offset in range(731):
        born = date(2009, 1, 1) + timedelta(days=offset)
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        counted = _datediff_years(born, on)
        fixed = counted - (1 if _dateadd_years(counted, born) > on else 0)
        assert fixed == age, born
        wrong += counted != age
    assert wrong > 500  # born after 1 March: a year too high
