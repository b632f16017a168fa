"""The bench's T-SQL to PostgreSQL translation and its statistics: what the risk figures in
README rest on."""

import math

import pytest
import sqlglot

from advisor.risk.timing import TimeModel
from bench.risk.analysis import PairResult, Point, fit, ranks, spearman
from bench.risk.translate import Untranslatable, declare, to_postgres


def translated(sql: str, variables=None, stored=frozenset({"student"})) -> str:
    return to_postgres(sqlglot.parse_one(sql, read="tsql"), variables or {}, set(stored))


def test_names_are_lower_case_and_quoted_and_hints_dropped():
    sql = translated("SELECT p.personID FROM dbo.Person p WITH (NOLOCK) JOIN [Identity] i ON i.personID = p.personID")
    assert sql == ('SELECT "p"."personid" FROM "dbo"."person" AS "p" JOIN "identity" AS "i" ON "i"."personid" = "p"."personid"')


def test_noexpand_reads_the_stored_copy_of_an_indexed_view_and_only_then():
    assert '"student_noexpand"' in translated("SELECT s.personID FROM student s WITH (NOEXPAND)")
    assert '"student" AS' in translated("SELECT s.personID FROM student s")


def test_variables_take_what_the_script_gave_them():
    variables: dict = {}
    declare(sqlglot.parse_one("DECLARE @year smallint = 2026", read="tsql"), variables)
    declare(sqlglot.parse_one("DECLARE @next smallint = @year + 1", read="tsql"), variables)
    sql = translated("SELECT e.personID FROM Enrollment e WHERE e.endYear = @next", variables)
    assert sql.endswith('WHERE "e"."endyear" = (2026 + 1)')


def test_a_variable_set_by_a_query_becomes_that_query():
    variables: dict = {}
    declare(sqlglot.parse_one("SELECT @year = sy.endYear FROM SchoolYear sy WHERE sy.active = 1", read="tsql"), variables)
    sql = translated("SELECT e.personID FROM Enrollment e WHERE e.endYear = @year", variables)
    assert 'WHERE "e"."endyear" = (SELECT "sy"."endyear" FROM "schoolyear" AS "sy" WHERE "sy"."active" = 1)' in sql


def test_an_assignment_select_runs_as_the_query_it_is():
    assert translated("SELECT @n = COUNT(*) FROM School sch") == 'SELECT COUNT(*) FROM "school" AS "sch"'


@pytest.mark.parametrize("sql, reason", [
    ("SELECT s.personID FROM student s WHERE s.schoolID = @schoolID", "@schoolID is given no value"),
    ("SELECT * FROM (SELECT a, b FROM t) x PIVOT (MAX(b) FOR a IN ([1], [2])) p", "PIVOT"),
])
def test_what_postgresql_cannot_say_is_refused_with_the_reason(sql, reason):
    with pytest.raises(Untranslatable, match=reason):
        translated(sql)


def test_ranks_share_ties():
    assert ranks([10, 30, 20, 30]) == [1, 3.5, 2, 3.5]


def test_spearman_is_one_for_the_same_order_and_minus_one_for_the_reverse():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 400]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    assert abs(spearman([1, 2, 3, 4, 5], [2, 5, 1, 4, 3])) < 0.5


def test_pairs_that_measure_alike_are_ties_and_an_estimate_that_cannot_tell_is_wrong():
    assert PairResult("p", "s", 2, 1, 0.102, 0.100).tie  # under 1.25x
    assert PairResult("p", "s", 2, 1, 0.004, 0.001).tie  # under 5 ms apart
    assert PairResult("p", "s", 2, 1, 1.0, 0.1).ordered_right
    assert not PairResult("p", "s", 1, 2, 1.0, 0.1).ordered_right
    assert not PairResult("p", "s", 1, 1, 1.0, 0.1).ordered_right


def test_the_fit_finds_the_model_that_made_the_times():
    made = TimeModel(a=-2.5, b=0.8, io_weight=0.3)
    costs = [0.01, 0.1, 1, 10, 100, 1000, 10_000, 3, 30, 300, 0.5, 5, 50, 500]
    points = []
    for i, cost in enumerate(costs):
        io_cost = cost * (0.9 if i % 3 else 0.05)  # mostly reads, or mostly the rest
        seconds = made.seconds(cost, io_cost) * 10 ** (0.1 * (-1) ** i)
        points.append(Point("f.sql", i, 1, "s", 1000, 0, cost, io_cost, 0.0, 0.0, (), seconds, None, False, False))
    found = fit(points)
    assert found.a == pytest.approx(-2.5, abs=0.1) and found.b == pytest.approx(0.8, abs=0.03)
    assert found.io_weight == pytest.approx(0.3, abs=0.05)
    assert found.sigma == pytest.approx(0.1 * math.sqrt(14 / 11), abs=0.02)

