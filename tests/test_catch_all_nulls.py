"""PR025: col = ISNULL(@p, col) on a column that can be NULL leaves out the rows whose column is
NULL when @p says "all". SQLite, which compares NULL as SQL Server does, runs the condition and its
fix with @p given as NULL."""

from functools import partial

import pytest
from checked import found
from engines import sqlite_rows, sqlite_with

_hits = partial(found, rule="PR025")

QUERY = "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12 AND {}"


@pytest.mark.parametrize("condition, everything", [
    ("e.grade = ISNULL(@grade, e.grade)", "@grade IS NULL"),
    ("e.grade = COALESCE(@grade, e.grade)", "@grade IS NULL"),
    ("e.grade = CASE WHEN @grade = 'ALL' THEN e.grade ELSE @grade END", "@grade = 'ALL'"),
    ("e.grade = IIF(@grade = 'ALL', e.grade, @grade)", "@grade = 'ALL'"),
])
def test_a_catch_all_on_a_column_that_can_be_null_leaves_those_rows_out_and_the_fix_keeps_them(check, condition,
                                                                                                  everything):
    (hit,) = _hits(check, QUERY.format(condition))
    assert hit.message == (f"{condition} leaves out every row whose e.grade is NULL, also when {everything} and every row "
                           "is meant: it then compares e.grade with itself, and NULL = NULL is not true. Enrollment.grade "
                           "can be NULL.")
    fixed = f"({everything} OR e.grade = @grade)"
    assert hit.remediation == (f"Test @grade apart, so that every row passes when {everything}: {fixed}; and add OPTION "
                               "(RECOMPILE) so that each run is planned for its own value.")
    assert _hits(check, QUERY.format(fixed)) == []
    # student 2's grade is not entered yet; "all grades" is meant
    database = sqlite_with({"Enrollment": ("personID int, calendarID int, grade text", [(1, 12, "09"), (2, 12, None)])})
    value = "NULL" if "IS NULL" in everything else "'ALL'"
    assert sqlite_rows(database, QUERY.format(condition).replace("@grade", value)) == [(1,)]
    assert sqlite_rows(database, QUERY.format(fixed).replace("@grade", value)) == [(1,), (2,)]


@pytest.mark.parametrize("condition", [
    "e.calendarID = ISNULL(@calendar, e.calendarID)",  # no row has no calendar: every row passes
    "e.grade = ISNULL(@grade, '09')",  # a default value, not the column
])
def test_a_catch_all_that_keeps_every_row_is_left_alone(check, condition):
    assert _hits(check, QUERY.format(condition)) == []
