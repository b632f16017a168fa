"""JN007: a COUNT or SUM over the rows of the table a query groups, with another table joined only
to filter them, which has several rows for some of them: absences counted per student, joined
to Enrollment to keep this year's students, count twice for a student enrolled twice this year.
The join repeats each row once for each match, and nothing in the result shows it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.catalog.model import Catalog
from advisor.checks.multiplicity import joined_rows
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.semi_joins import exists_test, unreturned_joins
from advisor.checks.snippets import as_in_file
from advisor.words import names

_TOTALS = (exp.Sum, exp.Count)


@statement_rule("JN007")
def total_repeated_by_a_filter(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        grouped = {id(ref.relation): ref.relation for ref in block.group_by if ref is not None and ref.relation is not None}
        if not block.grouped or len(grouped) != 1 or len(block.relations) < 2:
            continue
        (counted,) = grouped.values()
        totals = _totals_of(block, counted)
        if not totals:
            continue
        joined = joined_rows(block, counted)
        for group, links in unreturned_joins(block, shown_relations(block), first_too=True):
            repeating = next((r for r in group if r in joined and joined[r].several), None)
            if repeating is None or any(r not in joined for r in group):
                continue  # one row each, or how many is not known
            yield _hit(query, block, counted, totals, group, links, repeating, joined[repeating].columns)


def _totals_of(block: m.Block, counted: m.Relation) -> list[exp.Expression]:
    """The SUMs and COUNTs of the grouped table's own columns: not COUNT(*), which may mean the
    joined rows, nor a DISTINCT total, which counts each value once however often it comes."""
    totals = []
    for projection in block.projections:
        refs = {id(ref.node): ref for ref in projection.columns}
        for total in projection.node.find_all(_TOTALS):
            if isinstance(total.this, (exp.Distinct, exp.Star)) or window_of(total) is not None:
                continue
            read = [refs.get(id(column)) for column in total.find_all(exp.Column)]
            if read and all(ref is not None and ref.relation is counted for ref in read):
                totals.append(total)
    return totals


def shown_relations(block: m.Block) -> set[int]:
    """The relations whose columns the grouped query returns, groups on, orders by or tests in its
    HAVING: a join to any of them is not only a filter."""
    refs = [ref for projection in block.projections for ref in projection.columns]
    refs += [ref for ref in block.group_by if ref is not None] + block.ordered_by
    refs += [ref for predicate in block.predicates if predicate.clause == "having" for ref in predicate.columns]
    return {id(ref.relation) for ref in refs} | {id(r) for p in block.projections for r in p.star_of or []}


def _hit(query: Query, block: m.Block, counted: m.Relation, totals: list[exp.Expression], group: list[m.Relation],
         links: list[tuple[m.ColumnRef, m.ColumnRef]], repeating: m.Relation, joined_on: list[str]) -> Hit:
    written = names([as_in_file(query, total) for total in totals])
    how = f" (joined on {names(joined_on)} only)" if joined_on else ""
    filters = group[0].label() if len(group) == 1 else names([r.label() for r in group])
    return Hit(
        group[0].span,
        f"{filters} {'is' if len(group) == 1 else 'are'} joined only to filter the {counted.name} rows: none of "
        f"{'its' if len(group) == 1 else 'their'} columns is returned or grouped on. But "
        f"{'it' if group == [repeating] else repeating.label()} has "
        f"several rows for one {counted.label()} row{how}, and the join repeats each {counted.name} row once for "
        f"each of them: {written} {'counts' if len(totals) == 1 else 'count'} it as many times.",
        f"{_first(counted, group)}Test for a match instead of joining, in the WHERE: "
        f"{exists_test(query, block, group, links)}. Each {counted.name} row is then counted once.",
        (counted.name, repeating.name),
    )


def _first(counted: m.Relation, group: list[m.Relation]) -> str:
    """Where the filter is the FROM's first table, the table counted takes its place."""
    return f"Read {counted.label()} in the FROM. " if any(r.join == m.FROM for r in group) else ""

