"""PR013: a range that ends on a day, on a column that holds times. PostgreSQL reads a day
without a time as its midnight, as SQL Server does: the range as written leaves out the rows
from later on its last day, and the fix keeps them and nothing after."""

import re

import pytest
from engines import postgres_rows, postgres_with


@pytest.fixture(scope="module")
def postgres():
    with postgres_with(
        "CREATE TABLE GradingScore (personID int, calendarID int, modifiedDate timestamp)",
        "INSERT INTO GradingScore VALUES (1, 5, '2026-08-01 07:30'), (2, 5, '2026-08-31 00:00'), "
        "(3, 5, '2026-08-31 14:05'), (4, 5, '2026-09-01 00:00'), (5, 5, '2026-09-15 09:00')",
    ) as connection:
        yield connection


def _rows(postgres, tsql: str) -> list:
    return sorted(postgres_rows(postgres, tsql))


@pytest.mark.parametrize("condition", [
    "gs.modifiedDate BETWEEN '2026-08-01' AND '2026-08-31'",
    "gs.modifiedDate BETWEEN '2026-08-01' AND '08/31/2026'",
    "gs.modifiedDate <= '20260831'",
    "'2026-08-31' >= gs.modifiedDate",
])
def test_a_range_ending_on_a_day_leaves_out_the_rest_of_it_and_the_fix_keeps_it(check, postgres, condition):
    sql = f"SELECT gs.personID FROM GradingScore gs WHERE gs.calendarID = 5 AND {condition}"
    (hit,) = [f for f in check(sql + "\n").findings if f.rule == "PR013"]
    assert hit.message.startswith(f"{condition} ends at midnight at the start of 31 August 2026: GradingScore.modifiedDate "
                                  "is a datetime, which holds times")
    fixed = sql.replace(condition, re.match(r"End the range before the next day: (.+), which keeps all of 31 August\.$",
                                            hit.remediation)[1])
    assert _rows(postgres, sql)[-1] == (2,)  # 31 August at midnight, and nothing later that day
    assert _rows(postgres, fixed)[-2:] == [(2,), (3,)]


@pytest.mark.parametrize("condition", [
    "a.date BETWEEN '2026-08-01' AND '2026-08-31'",  # smalldatetime at midnight: Campus's days
    "a.modifiedDate BETWEEN '2026-08-01' AND '2026-08-31 23:59:59'",  # a time written: the author chose the end
    "a.modifiedDate NOT BETWEEN '2026-08-01' AND '2026-08-31'",
    "a.modifiedDate >= '2026-08-31'",  # the start of a range, not its end
])
def test_days_kept_whole_or_ends_with_their_time_are_left_alone(check, condition):
    sql = f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND {condition}\n"
    assert not [f for f in check(sql).findings if f.rule == "PR013"]
