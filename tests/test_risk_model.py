"""The risk model's arithmetic: SQL Server's cost units and guesses, time and its uncertainty."""

import math

import pytest

from advisor.risk import cost
from advisor.risk.cardinality import (
    BETWEEN_GUESS,
    FUNCTION_ROWS,
    LIKE_GUESS,
    RANGE_GUESS,
    TABLE_VARIABLE_ROWS,
    backoff,
)
from advisor.risk.timing import TimeModel, band, p_over


def test_a_clustered_index_scan_costs_what_sql_server_says():
    # 121,317 rows on 1,234 pages: SQL Server's showplan gives IO 0.916458, CPU 0.133606, 1.05006.
    assert cost.io(1234) == pytest.approx(0.916458, abs=1e-6)
    assert cost.cpu(121_317) == pytest.approx(0.133606, abs=1e-6)
    assert cost.scan(121_317, 1234) == pytest.approx(1.05006, abs=1e-5)


def test_one_page_one_row_is_the_first_page_and_the_first_row():
    assert cost.scan(1, 1) == pytest.approx(0.003125 + 0.0001581)


def test_lookups_never_read_more_random_pages_than_the_table_has():
    assert cost.lookups(10, 1000) == pytest.approx(10 * 0.003125 + cost.cpu(10))
    assert cost.lookups(1_000_000, 1000) == pytest.approx(1000 * 0.003125 + cost.cpu(1_000_000))


def test_statistics_free_guesses_are_sql_servers():
    assert (RANGE_GUESS, BETWEEN_GUESS, LIKE_GUESS) == (0.30, 0.09, 0.09)
    assert (TABLE_VARIABLE_ROWS, FUNCTION_ROWS) == (1, 100)


def test_backoff_takes_the_most_selective_filter_whole_and_the_rest_by_square_roots():
    assert backoff([0.3, 0.1]) == pytest.approx(0.1 * 0.3**0.5)
    assert backoff([0.5, 0.1, 0.2, 0.3]) == pytest.approx(0.1 * 0.2**0.5 * 0.3**0.25 * 0.5**0.125)
    # only the four most selective count
    assert backoff([0.1, 0.2, 0.3, 0.5, 0.01]) == pytest.approx(0.01 * 0.1**0.5 * 0.2**0.25 * 0.3**0.125)
    assert backoff([]) == 1.0


def test_time_follows_cost_in_proportion_by_default():
    model = TimeModel(a=-2, b=1, sigma=0.8)
    assert model.seconds(100) == pytest.approx(1.0)
    assert model.seconds(1000) == pytest.approx(10.0)
    assert TimeModel(a=-2, b=0.5).seconds(10_000) == pytest.approx(1.0)


def test_page_reads_count_at_their_weight():
    model = TimeModel(a=-2, b=1, io_weight=0.25)
    assert model.seconds(10, io_cost=8) == pytest.approx(10**-2 * (2 + 0.25 * 8))
    assert model.seconds(10) == pytest.approx(10**-2 * 10)
    assert TimeModel(a=-2, b=1, io_weight=1).seconds(10, io_cost=8) == pytest.approx(10**-2 * 10)


def test_the_chance_of_passing_the_timeout_is_half_at_the_median():
    assert p_over(600, 0.8, 600) == pytest.approx(0.5)
    # one sigma (0.8 decades) under the limit: about 16%
    assert p_over(600 / 10**0.8, 0.8, 600) == pytest.approx(0.1587, abs=1e-3)
    assert p_over(1, 0.8, 600) < 0.001
    assert p_over(60_000, 0.8, 600) > 0.99
    assert p_over(0, 0.8, 600) == 0.0


@pytest.mark.parametrize(
    "p, expected",
    [(0.0, "low"), (0.0199, "low"), (0.02, "watch"), (0.1499, "watch"), (0.15, "elevated"), (0.4999, "elevated"),
     (0.5, "high"), (1.0, "high")],
)
def test_bands(p, expected):
    assert band(p) == expected


def test_more_uncertainty_moves_a_fast_query_towards_the_limit():
    assert p_over(60, 1.2, 600) > p_over(60, 0.8, 600)
    assert math.isclose(p_over(60, 0.8, 600) + p_over(6000, 0.8, 600), 1.0)


@pytest.mark.parametrize("seconds, text", [
    (0.00001, "1 ms"), (0.04, "40 ms"), (0.4, "0.4 s"), (1, "1 s"), (2.63, "2.6 s"), (12, "12 s"),
    (600, "10 min"), (630, "10.5 min"), (7200, "2 h"), (47 * 3600, "47 h"), (59 * 3600, "2.5 days"),
    (365 * 86400, "1 year"), (400 * 86400, "1.1 years"), (3346 * 365 * 86400, "3,346 years"),
    (1e30, "a million years or more"),
])
def test_durations_read_plainly(seconds, text):
    from advisor.words import duration

    assert duration(seconds) == text


@pytest.mark.parametrize("rows, text", [
    (546, "546"), (300_000, "300k"), (15e6, "15.0M"), (2.3e9, "2.3 billion"), (4.3e12, "4.3 trillion"),
    (1e18, "more than a quadrillion"),
])
def test_row_counts_read_plainly_however_large(rows, text):
    from advisor.words import count

    assert count(rows) == text


@pytest.mark.parametrize("figure, text", [
    ("8%", "an 8%"), ("11%", "an 11%"), ("18%", "an 18%"), ("83%", "an 83%"),
    ("0%", "a 0%"), ("1%", "a 1%"), ("9%", "a 9%"), ("18.5%", "an 18.5%"), ("100%", "a 100%"),
    ("8,000", "an 8,000"), ("11,000", "an 11,000"), ("1,100", "a 1,100"), ("25,000", "a 25,000"), ("180", "a 180"),
    ("Enrollment", "an Enrollment"), ("ExtractStudents", "an ExtractStudents"), ("Roster", "a Roster"),
    ("UserAccount", "a UserAccount"), ("v_AdHocStudent", "a v_AdHocStudent"),
])
def test_a_figure_takes_the_article_it_is_read_with(figure, text):
    from advisor.words import a_or_an

    assert a_or_an(figure) == text
