"""JN009: a table joined to itself on part of its key and a range of one column, FROM Attendance a
JOIN Attendance a2 ON a2.personID = a.personID AND a2.date <= a.date: each row meets every row of
its person up to its date, so the join makes rows that grow with the square of each person's rows
(a triangular join), usually to count them as a running total. A window function totals them in
one pass."""

from __future__ import annotations

import math
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog, Table
from advisor.checks.indexes import naming
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.running_totals import (
    KEEPS,
    RunningTotal,
    compared_rows,
    growth,
    running_total,
    running_window,
    windowed,
)
from advisor.checks.sizes import LARGE_ROWS, key_values
from advisor.checks.snippets import as_in_file
from advisor.words import names

MANY_PER_KEY = 20  # rows of a key: with fewer, each row meets a handful and the pairs stay near the rows


@statement_rule("JN009")
def triangular_join(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for applied in block.relations:
            found = running_total(applied.inner) if applied.join in m.APPLIES else None
            if found is not None:
                yield _applied(query, applied, found, _rows_per_key(catalog, found))
        copies = _compared_copies(block)
        for first, second in copies:
            # each way round, the one whose copy the query totals by its own rows first
            ways = [(row, others, _grouped_total(block, row, others)) for row, others in ((first, second), (second, first))]
            for row, others, total in sorted(ways, key=lambda way: way[2] is None):
                found = compared_rows(naming(block, others), total or exp.Count(this=exp.Star()), others,
                                      lambda ref, row=row: ref.relation is row)
                if found is not None:
                    running = total is not None and found.ordered[1].name.lower() in {r.name.lower() for r in block.group_by}
                    yield _hit(query, found, running, _rows_per_key(catalog, found))
                    break


def _compared_copies(block: m.Block) -> list[tuple[m.Relation, m.Relation]]:
    """The pairs of references to one table that a range comparison of a column with the same
    column of the other joins: the only ones that can pair each row with those before it. Found
    from the conditions, not by trying every pair of tables: a chain of hundreds of joins of one
    table has tens of thousands of pairs, and few such conditions."""
    found: dict[frozenset[int], tuple[m.Relation, m.Relation]] = {}
    for predicate in block.predicates:
        if (not isinstance(predicate.node, tuple(KEEPS)) or len(predicate.columns) != 2
                or any(ref.outer for ref in predicate.columns)):
            continue  # an outer row's column: a subquery's or an APPLY's, said where it runs
        one, other = (ref.relation for ref in predicate.columns)
        same = {ref.name.lower() for ref in predicate.columns}
        if one is not None and other is not None and one is not other and one.table is not None \
                and one.table is other.table and len(same) == 1:
            found.setdefault(frozenset((id(one), id(other))), (one, other))
    return list(found.values())


def _grouped_total(block: m.Block, row: m.Relation, others: m.Relation) -> exp.AggFunc | None:
    """The aggregate of `others`' rows (or COUNT(*)) where the block groups by `row`'s columns
    only, as a running total by a join does; None where it does not."""
    if not block.grouped or any(ref is None or ref.relation is not row for ref in block.group_by):
        return None
    for projection in block.projections:
        refs = {id(ref.node): ref for ref in projection.columns}
        for total in projection.node.find_all(exp.AggFunc):
            read = [refs.get(id(column)) for column in total.find_all(exp.Column)]
            if windowed(total) and window_of(total) is None and all(ref is not None and ref.relation is others for ref in read):
                return total
    return None


def _rows_per_key(catalog: Catalog, found: RunningTotal) -> float | None:
    """About how many rows of the table each key has, which each row meets half of on average;
    None where the catalog does not say how many values the keys hold."""
    rows = found.relation.table.rows
    values = [key_values(catalog, own.name) for own, _ in found.keys]
    if None in values:
        return None
    return rows / max(min(math.prod(values), rows), 1)


def _hit(query: Query, found: RunningTotal, running: bool, per_key: float | None) -> Hit:
    """`running`: the query groups by the other rows' compared column, a total for each of them;
    `per_key`: the table's rows for each key, when the catalog tells."""
    others, row = found.relation, found.ordered[1].relation
    name, keeps = found.ordered[0].name, KEEPS[found.comparison]
    keys = names([own.name for own, _ in found.keys])
    of_key = f"of its {keys}" if found.keys else "of the table"
    window, ties = running_window(query, found)
    table = others.name
    if running:
        fix = (f"Total the rows in one pass with a window function over {row.label()} alone, in place of the join to "
               f"{others.label()} and the GROUP BY: {window} gives each row the total of the rows {of_key} {keeps} its "
               f"{name} ({ties}).")
    else:
        fix = (f"For a running total, a window function over {row.label()} alone gives it in one pass: {window} ({ties}). "
               f"For the pairs themselves, limit both sides to the {name}s you need, so that each row meets few.")
    return Hit(
        others.span,
        f"{others.label()} is joined to {row.label()} on {_conditions(query, found)}: each {row.alias} row meets every "
        f"{table} row {of_key} {keeps} its {name}, so the join makes rows that {growth(found, ' (a triangular join)')}.",
        fix,
        (table,),
        _severity(others.table, per_key),
    )


def _applied(query: Query, applied: m.Relation, found: RunningTotal, per_key: float | None) -> Hit:
    """An APPLY that totals again, for each outer row, the rows of its own table before it."""
    row, table = found.ordered[1].relation, found.relation.table
    name, keeps = found.ordered[0].name, KEEPS[found.comparison]
    keys = names([own.name for own, _ in found.keys])
    window, ties = running_window(query, found)
    value = found.total.parent.alias_or_name if isinstance(found.total.parent, exp.Alias) else ""
    read = f", and read it where {applied.alias}.{value} was read" if value else ""
    return Hit(
        applied.span,
        f"{applied.join.upper()} {applied.alias} totals again, for each {row.label()} row, the {table.name} rows "
        f"{f'of its {keys} ' if found.keys else ''}{keeps} its {name} ({_conditions(query, found)}), so the rows it reads "
        f"{growth(found, ' (a triangular join)')}.",
        f"Total the rows in one pass with a window function over {row.label()}, in place of the APPLY{read}: {window} "
        f"({ties}).",
        (table.name,),
        _severity(table, per_key),
    )


def _severity(table: Table, per_key: float | None) -> str:
    """A warning where the pairs are many times the rows (Attendance by person: 150 rows each) and
    many in all; information for a few rows to a key (a person's enrollments, a schedule's terms),
    whose pairs are a small multiple of the rows. Without the key's size, by whether the table
    keeps history."""
    if per_key is None:
        return "warning" if table.history else "info"
    return "warning" if per_key >= MANY_PER_KEY and table.rows * (per_key + 1) / 2 >= LARGE_ROWS else "info"


def _conditions(query: Query, found: RunningTotal) -> str:
    """The conditions that pair the rows, as the author wrote them: a2.personID = a.personID and
    a2.date <= a.date."""
    compared = [*(own.parent for own, _ in found.keys), found.ordered[0].parent]  # each column's comparison
    return names([as_in_file(query, comparison) for comparison in compared])
