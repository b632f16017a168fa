"""How far back a lower bound on a school year or a date reaches, and what that means for the scope
it gives a history table and the rows the estimate reads."""

from datetime import date

import pytest
import sqlglot

from advisor.analysis.history import kept_by, school_year

TODAY = date(2026, 11, 30)  # in the school year 2026-27, which the toolbar calls 2027


def reach_of(kind: str, *values: str):
    return kept_by(tuple(sqlglot.parse_one(v, read="tsql") for v in values), kind, TODAY)


@pytest.mark.parametrize("kind, values, school_years, fixed", [
    ("year", ["2016"], 12, True),  # 2016 through 2027
    ("year", ["2027"], 1, True),
    ("year", ["2016", "2026"], 11, False),  # a span that ends: it does not grow
    ("year", ["YEAR(GETDATE()) - 12"], 14, False),  # the calendar year 2014: the school years 2014 through 2027
    ("calendar year", ["2016"], 12, True),  # YEAR(a.date) >= 2016: from January 2016, in the school year 2015-16
    ("date", ["'2015-01-01'"], 13, True),  # the school year 2014-15 through 2026-27
    ("date", ["'20260901'"], 1, True),
    ("date", ["DATEADD(year, -3, GETDATE())"], 4, False),  # counted back from today: the same span every year
    ("date", ["DATEADD(day, -7, CAST(GETDATE() AS date))"], 1, False),
    ("date", ["DATEADD(day, -7, @asOf)"], 1, False),  # a variable it counts back from is taken as today
    ("date", ["GETDATE() - 30"], 1, False),
    ("date", ["'2015-01-01'", "'2026-06-30'"], 12, False),
])
def test_a_lower_bound_keeps_the_school_years_from_its_start_to_today(kind, values, school_years, fixed):
    kept = reach_of(kind, *values)
    assert (kept.school_years, kept.fixed) == (school_years, fixed)


def test_a_strict_bound_on_a_school_year_leaves_that_year_out():
    year = (sqlglot.parse_one("2020"),)
    assert kept_by(year, "year", TODAY, strict=1).school_years == 7  # endYear > 2020: 2021 through 2027
    assert kept_by(year, "year", TODAY, strict=-1).school_years == 9  # endYear < 2020: counted from 2019, the last year it keeps
    assert kept_by(year, "calendar year", TODAY, strict=1).school_years == 7  # YEAR(date) > 2020: from January 2021


def test_a_window_counted_back_from_today_keeps_its_length_in_years():
    assert reach_of("date", "DATEADD(day, -7, GETDATE())").years == pytest.approx(7 / 365)
    assert reach_of("date", "DATEADD(month, -6, GETDATE())").years == pytest.approx(0.5, abs=0.01)
    assert reach_of("year", "2016").years == 12


@pytest.mark.parametrize("value", ["@from", "(SELECT MAX(endYear) FROM SchoolYear)", "'last year'",
                                   "DATEADD(year, -100000, GETDATE())"])  # no such day: SQL Server stops with an error
def test_a_start_not_known_before_the_query_runs_reaches_nowhere_known(value):
    assert reach_of("date", value) is None and reach_of("year", value) is None


def test_the_school_year_starts_in_july():
    assert school_year(date(2026, 11, 29)) == 2027 and school_year(date(2026, 6, 30)) == 2026


@pytest.mark.parametrize("condition, back", [
    ("a.date >= '2015-01-01'", "a.date >= '2015-01-01' reaches back"),
    ("c.endYear >= 2000", "c.endYear >= 2000 reaches back"),
    ("c.endYear > 0", "c.endYear > 0 reaches back"),
    ("c.endYear BETWEEN 2000 AND 2026", "c.endYear BETWEEN 2000 AND 2026 reaches back"),
    ("a.date > DATEADD(year, -20, GETDATE())", "reaches back"),
    ("YEAR(a.date) >= 2016", "YEAR(a.date) >= 2016 reaches back"),
    ("c.endYear >= YEAR(GETDATE()) - 12", "c.endYear >= YEAR(GETDATE()) - 12 reaches back"),
])
def test_a_bound_that_reaches_back_past_the_history_limits_nothing(check, condition, back):
    sql = f"SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE {condition}"
    (hit,) = [f for f in check(sql).findings if f.rule == "SC001"]
    assert hit.message.startswith("Attendance (15.0M rows) is read for every school year: ")
    assert back in hit.message and hit.message.endswith("school years, all of its history.")
    assert check(sql).risk.statements[0].risk.rows == pytest.approx(15_000_000, rel=0.01)


def test_a_fixed_start_further_back_than_a_window_grows_every_year(check):
    start = f"{school_year(date.today()) - 5}-01-01"  # five school years and a half before today's
    (hit,) = [f for f in check(f"SELECT a.personID FROM Attendance a WHERE a.date >= '{start}'").findings if f.rule == "SC001"]
    assert hit.message.startswith(f"Attendance (15.0M rows) is limited only by a fixed start (a.date >= '{start}'), "
                                  "which keeps 6 school years now and one more every year")


@pytest.mark.parametrize("condition", [
    "a.date >= '2015-01-01' AND a.date < '2016-01-01'",  # one year, long ago: it does not grow
    "a.date >= '2015-01-01' AND a.date <= @to",  # up to a date not known before the query runs
    "a.date >= DATEADD(day, -7, GETDATE())",
    "a.date >= DATEADD(year, -3, GETDATE())",  # a sliding window: the same three years every year
    f"c.endYear BETWEEN {school_year(date.today()) - 4} AND {school_year(date.today())}",  # five years, and no more
    f"a.date >= '{date.today().year}-01-01'",
    "a.date >= @from",
])
def test_a_window_of_dates_or_years_is_a_limit(check, condition):
    sql = (f"DECLARE @from date, @to date\nSELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID "
           f"WHERE {condition}")
    assert not [f for f in check(sql).findings if f.rule == "SC001"]


def test_a_start_and_an_end_on_two_columns_of_a_span_make_a_window(check):
    """A roster entry that started in August 2019 and ended by June 2020: the school year 2019-20."""
    sql = "SELECT r.personID FROM Roster r WHERE r.startDate >= '2019-08-01' AND r.endDate <= '2020-06-30'"
    report = check(sql)
    assert not [f for f in report.findings if f.rule == "SC001"]
    assert report.risk.statements[0].risk.rows < 2_000_000 / 5  # about a year of the ten


def test_an_end_at_today_leaves_a_far_start_open(check):
    sql = "SELECT a.personID FROM Attendance a WHERE a.date >= '2015-01-01' AND a.date <= GETDATE()"
    (hit,) = [f for f in check(sql).findings if f.rule == "SC001"]
    assert "a.date >= '2015-01-01' reaches back" in hit.message and "only from above" not in hit.message


def test_the_estimate_reads_the_days_a_window_keeps(check):
    def rows(condition):
        sql = f"DECLARE @asOf date\nSELECT a.personID FROM Attendance a WHERE {condition}\n"
        return check(sql).risk.statements[0].risk.rows

    year = 15_000_000 / 10
    assert rows("a.date >= DATEADD(day, -30, GETDATE())") == pytest.approx(year * 30 / 365, rel=0.01)
    assert rows("a.date >= GETDATE() - 30") == pytest.approx(year * 30 / 365, rel=0.01)
    assert rows("a.date >= DATEADD(day, -7, @asOf)") == pytest.approx(year * 7 / 365, rel=0.01)
    assert rows("a.date >= @asOf") == pytest.approx(year, rel=0.01)  # not known: a year


def test_a_fixed_start_reads_more_every_year_and_a_window_from_today_does_not(catalog):
    from advisor.analysis import analyse
    from advisor.analysis.views import ViewLibrary
    from advisor.frontend.parse import read_script
    from advisor.risk.cardinality import Growth
    from advisor.risk.plan import Planner

    growth = Growth(catalog)

    def rows_by_year(condition):
        (query,) = analyse(read_script(f"SELECT a.personID FROM Attendance a WHERE {condition}\n"), catalog, ViewLibrary(catalog))
        return [Planner(growth.sizes(year)).estimate(query.graph).rows for year in (0, 5)]

    start = date(date.today().year - 1, 1, 1)
    years = (date.today() - start).days / 365  # what the fixed start keeps now: between one and two years
    fixed = rows_by_year(f"a.date >= '{start:%Y-%m-%d}'")
    sliding = rows_by_year(f"a.date >= DATEADD(day, -{(date.today() - start).days}, GETDATE())")
    assert fixed[0] == pytest.approx(sliding[0])
    assert fixed[1] / fixed[0] == pytest.approx((years + 5) / years)  # five more years of attendance
    assert sliding[1] == pytest.approx(sliding[0])  # the same span of days
