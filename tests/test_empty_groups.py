"""SH042: HAVING COUNT(*) = 0 in a grouped query keeps no group, since a group exists only where
rows do. SQLite runs each query: the one reported returns nothing, the fix the rooms with none;
PostgreSQL, a ROLLUP's grand total of no rows, which is left alone."""

from functools import partial

import pytest
from checked import found
from engines import postgres_rows, postgres_with, sqlite_rows, sqlite_with

_hits = partial(found, rule="SH042")

ROOMS = {
    "Room": ("roomID int, name text", [(1, "101"), (2, "Gym")]),
    "SectionPlacement": ("sectionID int, roomID int", [(10, 1)]),  # nothing placed in the gym
}
LEFT = "SELECT rm.name FROM Room rm LEFT JOIN SectionPlacement sp ON sp.roomID = rm.roomID GROUP BY rm.name HAVING {}"


@pytest.mark.parametrize("condition", ["COUNT(*) = 0", "COUNT(*) < 1", "0 = COUNT(*)", "COUNT(1) <= 0"])
def test_a_count_of_every_row_asked_to_be_0_keeps_no_group_and_a_count_of_the_joined_column_does(check, condition):
    (hit,) = _hits(check, LEFT.format(condition))
    assert hit.message.endswith("keeps no group: a group exists only where it has rows, and "
                                f"{'COUNT(1)' if '1)' in condition else 'COUNT(*)'} counts at least one in each, so the "
                                "query returns nothing.")
    operator = "<=" if "<=" in condition else "<" if "<" in condition else "="
    fixed = f"COUNT(sp.roomID) {operator} {'1' if operator == '<' else '0'}"
    assert hit.remediation == (f"Count a column of SectionPlacement sp, which is NULL where the LEFT JOIN finds none: "
                               f"HAVING {fixed}.")
    database = sqlite_with(ROOMS)
    assert sqlite_rows(database, LEFT.format(condition)) == []
    assert _hits(check, LEFT.format(fixed)) == []
    assert sqlite_rows(database, LEFT.format(fixed)) == [("Gym",)]


def test_a_count_of_an_inner_join_s_column_is_reported_with_the_way_to_find_what_has_none(check):
    inner = LEFT.replace("LEFT JOIN", "JOIN").format("COUNT(DISTINCT sp.sectionID) = 0")
    (hit,) = _hits(check, inner)
    assert hit.remediation.startswith("To find what has none, start from the table that lists it and LEFT JOIN")
    assert sqlite_rows(sqlite_with(ROOMS), inner) == []


@pytest.mark.parametrize("sql", [
    # no GROUP BY: one group, of no rows where nothing passes the WHERE
    "SELECT COUNT(*) FROM SectionPlacement sp WHERE sp.roomID = 2 HAVING COUNT(*) = 0",
    LEFT.format("COUNT(*) = 1"),
    # the grand total of a ROLLUP is a group even where no row is left
    "SELECT sp.roomID, COUNT(*) FROM SectionPlacement sp WHERE sp.roomID = 2 GROUP BY ROLLUP (sp.roomID) HAVING COUNT(*) = 0",
    LEFT.format("COUNT(*) > 0"),
])
def test_a_count_that_can_be_what_is_asked_is_left_alone(check, sql):
    assert _hits(check, sql) == []


def test_a_rollup_s_grand_total_is_a_group_of_no_rows(check):
    sql = "SELECT sp.roomID, COUNT(*) FROM SectionPlacement sp GROUP BY ROLLUP (sp.roomID) HAVING COUNT(*) = 0"
    assert _hits(check, sql) == []
    with postgres_with("CREATE TABLE SectionPlacement (sectionID int, roomID int)") as database:
        assert postgres_rows(database, sql) == [(None, 0)]
