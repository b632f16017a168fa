"""SH030: a recursive CTE that counts from a constant to a constant (a list of days, of numbers)
needs more levels of recursion than the statement allows: SQL Server stops the statement with
error 530 once it passes them, 100 unless OPTION (MAXRECURSION n) says otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.counting import Count, levels_of
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

HIGHEST_LIMIT = 32767  # the largest n OPTION (MAXRECURSION n) takes; 0 lifts the limit
_UNIT_WORDS = {"DAY": "day", "WEEK": "week", "MONTH": "month", "QUARTER": "quarter", "YEAR": "year"}


@statement_rule("SH030")
def recursion_past_its_limit(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for reference in block.relations:
            if reference.recursive_anchor and _endless(query, block, reference):
                yield _without_end(query, block, reference)
                continue
            if not reference.recursive_anchor or reference.recursions is None:
                continue
            count = reference.counted
            levels = levels_of(count) if count is not None else 0
            if count is None or levels <= reference.recursions:
                continue
            allowed = (f"the {reference.recursions} levels SQL Server allows without OPTION (MAXRECURSION n)"
                       if reference.recursions == m.MOST_RECURSIONS and not _option_given(query)
                       else f"the {reference.recursions} levels its OPTION (MAXRECURSION {reference.recursions}) allows")
            option = f"OPTION (MAXRECURSION {levels})" if levels <= HIGHEST_LIMIT else "OPTION (MAXRECURSION 0)"
            days = (" A list of school days is also the Day table's: d.date for d.calendarID = the calendar, one row "
                    "a day, with no recursion.") if count.unit == "DAY" else ""
            yield Hit(
                query.span_of(count.condition),
                f"{reference.name} counts {count.column} from {_written(count.start)} {_by(count)} while "
                f"{as_in_file(query, count.condition)}: {levels:,} levels of recursion, past {allowed}. SQL Server stops "
                f"the statement with error 530 (The maximum recursion {reference.recursions} has been exhausted before "
                "statement completion) partway through its rows.",
                f"End the statement that reads {reference.name} with {option}: the OPTION goes after the whole "
                f"statement, not inside the CTE, and 0 lifts the limit.{days}",
                (reference.name,),
            )


def _endless(query: Query, block: m.Block, reference: m.Relation) -> bool:
    """The part of a recursive CTE that reads only itself with no WHERE: each level makes a row
    of every row of the one before, for ever; no TOP on the statement stops it early."""
    top = query.statement.tree
    return (block.relations == [reference] and block.node.args.get("where") is None
            and not (isinstance(top, exp.Select) and top.args.get("limit") is not None))


def _without_end(query: Query, block: m.Block, reference: m.Relation) -> Hit:
    limit = reference.recursions
    ends = (f"SQL Server stops the statement with error 530 (The maximum recursion {limit} has been exhausted before "
            "statement completion)" if limit is not None else "with OPTION (MAXRECURSION 0) the statement never ends")
    return Hit(
        query.span_of(block.node),
        f"The part of {reference.name} that reads itself has no WHERE, so nothing ends the recursion: {ends}.",
        f"Give it the condition that ends the list, such as WHERE {reference.alias}.d < '2026-06-05' for a list of days, "
        "or WHERE n < 100 for numbers.",
        (reference.name,),
    )


def _option_given(query: Query) -> bool:
    return any(hint.name.startswith("MAXRECURSION") for hint in query.hints)


def _written(value: int | date) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _by(count: Count) -> str:
    if count.unit is None:
        return f"by {count.step}" if count.step != 1 else "one at a time"
    word = _UNIT_WORDS[count.unit]
    return f"{count.step} {word}s at a time" if count.step != 1 else f"a {word} at a time"
