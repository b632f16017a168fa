"""JN008: HAVING SUM of a LEFT JOIN's column against a number a sum of 0 passes. SQLite sums a
group of NULLs to NULL as SQL Server does: the student without a transcript is dropped, and the
fix's ISNULL keeps them."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="JN008")

SHORT = ("SELECT p.personID, {total} AS credits FROM Person p\n"
         "LEFT JOIN TranscriptCourse tc ON tc.personID = p.personID\n"
         "GROUP BY p.personID\nHAVING {compared}")


@pytest.fixture(scope="module")
def database():
    return sqlite_with({
        "Person": ("personID", [(1,), (2,), (3,)]),
        "TranscriptCourse": ("personID, creditsEarned", [(1, 10.0), (1, 12.0), (2, 5.0)]),
    })


def test_a_sum_of_nothing_is_null_and_the_having_drops_the_group_the_left_join_kept(check, database):
    sql = SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(tc.creditsEarned) < 18")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("HAVING SUM(tc.creditsEarned) < 18 drops every group TranscriptCourse tc has no row "
                                  "for: there the LEFT JOIN gives NULL")
    assert (hit.span.line, hit.span.column) == (4, 8)
    assert sqlite_rows(database, sql) == [(2, 5.0)]  # person 3, with no transcript, is gone
    assert hit.remediation.startswith("Count them as 0: compare ISNULL(SUM(tc.creditsEarned), 0) instead of "
                                      "SUM(tc.creditsEarned).")
    fixed = SHORT.format(total="ISNULL(SUM(tc.creditsEarned), 0)", compared="ISNULL(SUM(tc.creditsEarned), 0) < 18")
    assert sqlite_rows(database, fixed) == [(2, 5.0), (3, 0)]
    assert _hits(check, fixed) == []


@pytest.mark.parametrize("compared", [
    "18 > SUM(tc.creditsEarned)",
    "SUM(tc.creditsEarned) = 0",
    "SUM(tc.creditsEarned) <> 24",
    "SUM(tc.creditsEarned) BETWEEN 0 AND 6",
    "SUM(tc.creditsEarned * 2) <= 10",
    "SUM(DISTINCT tc.creditsEarned) < 18",
    "SUM(tc.creditsEarned) > -1",
    "COUNT(*) > 1 AND SUM(tc.creditsEarned) < 18",
])
def test_every_comparison_a_sum_of_zero_passes_is_reported(check, compared):
    assert len(_hits(check, SHORT.format(total="SUM(tc.creditsEarned)", compared=compared))) == 1


@pytest.mark.parametrize("sql", [
    # a sum of 0 fails these too: the groups without a row would be dropped either way
    SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(tc.creditsEarned) > 0"),
    SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(tc.creditsEarned) >= 5"),
    SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(tc.creditsEarned) BETWEEN 1 AND 6"),
    # zero where the LEFT JOIN found nothing
    SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(ISNULL(tc.creditsEarned, 0)) < 18"),
    SHORT.format(total="COUNT(tc.creditsEarned)", compared="COUNT(tc.creditsEarned) < 3"),
    # compared with something other than a number
    SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(tc.creditsEarned) < @least"),
    # an inner join, and a LEFT JOIN the WHERE makes inner
    SHORT.format(total="SUM(tc.creditsEarned)", compared="SUM(tc.creditsEarned) < 18").replace("LEFT JOIN", "JOIN"),
    "SELECT p.personID FROM Person p LEFT JOIN TranscriptCourse tc ON tc.personID = p.personID "
    "WHERE tc.endYear = 2025 GROUP BY p.personID HAVING SUM(tc.creditsEarned) < 18",
    # the sum of the rows every group has
    "SELECT tc.personID FROM TranscriptCourse tc LEFT JOIN Person p ON p.personID = tc.personID "
    "GROUP BY tc.personID HAVING SUM(tc.creditsEarned) < 18",
    # grouped on the LEFT JOIN's own rows: its missing row is a group of its own
    "SELECT tc.endYear FROM Person p LEFT JOIN TranscriptCourse tc ON tc.personID = p.personID "
    "GROUP BY tc.endYear HAVING SUM(tc.creditsEarned) < 18",
])
def test_sums_that_are_there_or_comparisons_zero_fails_are_left_alone(check, sql):
    assert _hits(check, sql) == []


SUMMED = ("WITH credits AS (SELECT p.personID, {total} AS earned FROM Person p\n"
          "LEFT JOIN TranscriptCourse tc ON tc.personID = p.personID GROUP BY p.personID)\n"
          "SELECT c.personID, c.earned FROM credits c WHERE {compared}")


def test_a_sum_made_in_a_cte_and_compared_outside_drops_the_rows_the_left_join_kept(check, database):
    sql = SUMMED.format(total="SUM(tc.creditsEarned)", compared="c.earned < 18")
    (hit,) = _hits(check, sql)
    assert hit.message.startswith("WHERE c.earned < 18 drops every row of credits c that TranscriptCourse tc has no row "
                                  "for: c.earned is SUM(tc.creditsEarned) over a LEFT JOIN")
    assert (hit.span.line, hit.span.column) == (3, 50)
    assert sqlite_rows(database, sql) == [(2, 5.0)]
    assert hit.remediation.startswith("Count them as 0: write ISNULL(SUM(tc.creditsEarned), 0) in credits, or compare "
                                      "ISNULL(c.earned, 0).")
    for fixed, kept in ((SUMMED.format(total="ISNULL(SUM(tc.creditsEarned), 0)", compared="c.earned < 18"), 0),
                        (SUMMED.format(total="SUM(tc.creditsEarned)", compared="ISNULL(c.earned, 0) < 18"), None)):
        assert sqlite_rows(database, fixed) == [(2, 5.0), (3, kept)]
        assert _hits(check, fixed) == []


@pytest.mark.parametrize("sql", [
    SUMMED.format(total="SUM(tc.creditsEarned)", compared="c.earned > 0"),  # 0 fails it too
    SUMMED.format(total="COUNT(tc.creditsEarned)", compared="c.earned < 3"),
    SUMMED.format(total="MAX(p.personID)", compared="c.earned < 18"),  # no LEFT JOIN column in it
    SUMMED.format(total="SUM(tc.creditsEarned)", compared="c.earned < 18").replace("LEFT JOIN", "JOIN"),
    # a WHERE on the grouped query's own table: no SUM there
    "SELECT p.personID FROM Person p LEFT JOIN TranscriptCourse tc ON tc.personID = p.personID "
    "WHERE p.personID < 18 GROUP BY p.personID",
])
def test_a_column_of_a_cte_that_is_no_sum_over_a_left_join_is_left_alone(check, sql):
    assert _hits(check, sql) == []
