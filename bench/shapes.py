"""How the time to check one statement grows with its size, shape by shape.

    python bench/shapes.py [--repeat 5]

Generated SQL can be long in one direction: thousands of OR-ed values, hundreds of joins,
subqueries nested dozens deep. For each shape this times whole `sqladvise check` processes on one
statement of size n, 2n and 4n, takes off the start-up (a one-line file, run in the same rounds) and
reports how the rest grows each time the size doubles: an exponent of 1 is linear, 2 quadratic.
Anything well above 1 is a shape on which a large statement will stall a check.
Writes bench/results/shapes.md.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
from pathlib import Path

from speed import (  # bench/speed.py: whole runs in rounds after a warm-up; results out
    measured_on,
    publish,
    rounds,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "shapes.md"
SQLADVISE = Path(sys.executable).parent / "sqladvise"
# Below this many seconds of work, run-to-run noise decides the ratio: no exponent is given.
NOISE = 0.05
# The frontend refuses parentheses nested more than 100 deep, so nesting stops at 100 levels; a
# statement is not expanded past 1,000 table reads (SH018), so the CTE shape stops at 512.
SHAPES = {
    "values OR-ed on one column": (2000, lambda n: "SELECT p.personID FROM Person p WHERE "
                                   + " OR ".join(f"p.personID = {i}" for i in range(n))),
    "AND-ed pairs OR-ed together": (2000, lambda n: "SELECT p.personID FROM Person p WHERE "
                                    + " OR ".join(f"p.personID = {i} AND p.stateID = '{i}'" for i in range(n))),
    "catch-alls AND-ed": (500, lambda n: "SELECT p.personID FROM Person p WHERE "
                          + " AND ".join(f"(@p{i} IS NULL OR p.personID = @p{i})" for i in range(n))),
    "conditions AND-ed": (4000, lambda n: "SELECT p.personID FROM Person p WHERE "
                          + " AND ".join(f"p.personID <> {i}" for i in range(n))),
    "values in an IN list": (20000, lambda n: "SELECT p.personID FROM Person p WHERE p.personID IN ("
                             + ", ".join(str(i) for i in range(n)) + ")"),
    "tables joined in a chain": (100, lambda n: "SELECT p0.personID FROM Person p0 "
                                 + " ".join(f"JOIN Person p{i} ON p{i}.personID = p{i - 1}.personID" for i in range(1, n))),
    # JN002 asks, for each table joined on part of its key, what else links it to its partner, and
    # SC001 how far each view's limit would reach; a hundred views of eleven tables are near SH018's
    # 1,000 table reads, past which a statement is not analysed
    "views joined in a chain on part of their key": (25, lambda n: "SELECT s0.personID FROM v_AdHocStudent s0 "
        + " ".join(f"JOIN v_AdHocStudent s{i} ON s{i}.personID = s{i - 1}.personID" for i in range(1, n))),
    # JN007 and JN006 follow how many rows each table of a chain gives for the first one's
    "tables joined in a chain, grouped and counted": (100, lambda n: "SELECT p0.personID, COUNT(p0.stateID) FROM Person p0 "
        + " ".join(f"JOIN Person p{i} ON p{i}.personID = p{i - 1}.personID" for i in range(1, n)) + " GROUP BY p0.personID"),
    "tables joined in a chain under an UPDATE": (100, lambda n: f"UPDATE p0 SET p0.stateID = p{n - 1}.stateID FROM Person p0 "
        + " ".join(f"JOIN Person p{i} ON p{i}.personID = p{i - 1}.personID" for i in range(1, n))),
    "SELECTs in a UNION ALL": (500, lambda n: " UNION ALL ".join(f"SELECT p.personID FROM Person p WHERE p.personID = {i}"
                                                                for i in range(n))),
    "columns in the SELECT list": (2000, lambda n: "SELECT " + ", ".join(f"p.personID + {i} AS c{i}" for i in range(n))
                                   + " FROM Person p"),
    "scalar subqueries nested": (25, lambda n: "SELECT " + "(SELECT " * n + "1" + ")" * n + " FROM Person"),
    "EXISTS nested": (25, lambda n: "SELECT 1 FROM Person p0 WHERE " + "".join(
        f"EXISTS (SELECT 1 FROM Person p{i} WHERE p{i}.personID = p{i - 1}.personID AND " for i in range(1, n + 1))
        + "1 = 1" + ")" * n),
    "FOR XML lists nested in FOR XML lists": (12, lambda n: _nested_lists(n)),
    "table references from CTEs each read twice": (128, lambda n: _doubling_ctes(round(math.log2(n)))),
    # followed 50 deep, then again from where it stops (SH018)
    "CTEs each reading the one before": (100, lambda n: "WITH " + ",\n".join(
        ["c0 AS (SELECT p.personID, p.stateID FROM Person p)"]
        + [f"c{i} AS (SELECT x.personID, x.stateID FROM c{i - 1} x)" for i in range(1, n)])
        + f"\nUPDATE p SET p.stateID = x.stateID FROM Person p JOIN c{n - 1} x ON x.personID = p.personID"),
    # each UPDATE asks how many rows the temp table has, through every fill before it (60 at most)
    "temp tables each filled from the one before": (100, lambda n: "SELECT p.personID, p.stateID INTO #t0 FROM Person p\n"
        + "\n".join(f"SELECT x.personID, x.stateID INTO #t{i} FROM #t{i - 1} x\nUPDATE p SET p.stateID = x.stateID "
                    f"FROM Person p JOIN #t{i} x ON x.personID = p.personID" for i in range(1, n))),
    "statements in one file": (1000, lambda n: "\n".join(f"SELECT p.personID FROM Person p WHERE p.personID = {i}"
                                                         for i in range(n))),
    # dynamic SQL built in one statement: + nests as deep as the strings it joins are many
    "strings joined with + into a variable": (2000, lambda n: "DECLARE @sql varchar(100)\nSET @sql = "
                                              + " + ".join(f"'part {i} '" for i in range(n))),
    "strings joined with + in a CAST": (2000, lambda n: "SELECT CAST(" + " + ".join(f"'part {i} '" for i in range(n))
                                        + " AS varchar) AS v FROM Person p"),
    "a sum of terms grouped by": (1000, lambda n: "SELECT {0} AS v, COUNT(*) FROM Person p GROUP BY {0}".format(
        " + ".join(["p.personID"] * n))),
}


def _nested_lists(levels: int) -> str:
    """A list joined with FOR XML PATH inside the query of another, `levels` deep: each level's
    .value(...) is taken out before sqlglot reads the statement, once for the whole statement."""
    query = "SELECT p.stateID FROM Person p"
    for level in range(levels):
        query = (f"SELECT (({query} FOR XML PATH(''), TYPE).value('.', 'varchar(max)')) AS list{level} "
                 f"FROM Person p{level}")
    return query


def _doubling_ctes(levels: int) -> str:
    """c0 reads Person; each CTE after it joins the one before to itself, so the statement reads
    Person 2^levels times once the CTEs are expanded, as SQL Server expands them."""
    ctes = ["c0 AS (SELECT personID FROM Person)"] + [
        f"c{i} AS (SELECT a.personID FROM c{i - 1} a JOIN c{i - 1} b ON a.personID = b.personID)"
        for i in range(1, levels + 1)]
    return "WITH " + ",\n".join(ctes) + f"\nSELECT * FROM c{levels}"


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)

        def check(name: str, sql: str) -> list[str]:
            path = folder / f"{name}.sql"
            path.write_text(sql + "\n", encoding="utf-8")
            return [str(SQLADVISE), "check", "--format", "json", str(path)]

        one_line = check("one_line", "SELECT p.personID FROM Person p WHERE p.personID = 1")
        start_ups = []
        for label, (size, make) in SHAPES.items():
            sizes = (size, 2 * size, 4 * size)
            start_up, *times = rounds([one_line] + [check(f"s{at}", make(n)) for at, n in enumerate(sizes)], args.repeat)
            start_ups += start_up
            work = [statistics.median(t - s for t, s in zip(sized, start_up)) for sized in times]
            exponents = [f"{math.log2(later / earlier):.2f}" if min(earlier, later) >= NOISE else "-"
                         for earlier, later in zip(work, work[1:])]
            rows.append(f"| {label} | {' / '.join(f'{n:,}' for n in sizes)} | "
                        f"{' / '.join(f'{max(w, 0):.2f}' for w in work)} | {' / '.join(exponents)} |")
    lines = [
        "# How checking time grows with a statement's size",
        "",
        f"{measured_on()}; medians of {args.repeat} runs of `sqladvise check --format json` on one file, "
        f"less the start-up of a one-line file run in the same rounds (median {statistics.median(start_ups):.2f} s). The exponent is log2 of the "
        "time's ratio when the size doubles: 1 is linear, 2 quadratic; none is given under "
        f"{NOISE} s, where noise decides it. The last exponent, between the two largest sizes, is the one to read.",
        "",
        "| shape | sizes | seconds after start-up | growth exponent |",
        "|---|---|---:|---:|",
        *rows,
        "",
    ]
    publish(RESULTS, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
