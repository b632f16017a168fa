"""SH028: a correlated subquery that COALESCE, NULLIF or a simple CASE runs more than once for
every row. SQL Server rewrites COALESCE(x, 0) as CASE WHEN x IS NOT NULL THEN x ELSE 0 END, and
NULLIF(x, 0) as CASE WHEN x = 0 THEN NULL ELSE x END: where x is a subquery, it runs twice;
CASE x WHEN 'a' ... WHEN 'b' ... tests x once for each WHEN."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.reruns import reruns
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.subqueries import largest_note, read_by
from advisor.words import plural


@statement_rule("SH028")
def subquery_run_again(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for subquery in block.subqueries:
            if not subquery.correlated or not isinstance(subquery.node, exp.Subquery):
                continue
            found = reruns(subquery.node)
            if found is None:
                continue
            times, around = found
            tables, rows = read_by(subquery.blocks)
            reads = f", reading {', '.join(tables)}{largest_note(tables, rows)}" if tables else ""
            yield Hit(
                query.span_of(subquery.node),
                f"{_why(times, around)}, so this subquery runs {_times(times, around)} for every row{reads}.",
                _fix(query, subquery, coalesce=isinstance(around, exp.Coalesce)),
                tuple(tables),
            )


def _why(times: int, around: exp.Expression) -> str:
    if isinstance(around, exp.Coalesce):
        return "SQL Server reads COALESCE(x, y) as CASE WHEN x IS NOT NULL THEN x ELSE y END"
    if isinstance(around, exp.Nullif):
        return "SQL Server reads NULLIF(x, y) as CASE WHEN x = y THEN NULL ELSE x END"
    return f"A CASE on a value tests it once for each of its {times} WHENs"


def _times(times: int, around: exp.Expression) -> str:
    """Twice, or, for a CASE that stops at the WHEN that matches, up to once per WHEN."""
    return f"up to {plural(times, 'time')}" if isinstance(around, exp.Case) else "twice"


def _fix(query: Query, subquery: m.Subquery, coalesce: bool) -> str:
    select = subquery.blocks[0].node if subquery.blocks else None
    returned = select.expressions[0] if isinstance(select, exp.Select) and len(select.expressions) == 1 else None
    if returned is None:
        value, name = "...", "value"
    else:
        value, name = as_in_file(query, returned.unalias()), returned.alias or "value"
    instead = (" ISNULL runs it once too, but its result takes the subquery's type, so a longer value in its place is "
               "cut (ISNULL of a varchar(2) value and 'none' gives 'no')." if coalesce else "")
    return (f"Run it once for each row: read it in an OUTER APPLY after the FROM, its value named (OUTER APPLY (SELECT "
            f"{value} AS {name} FROM ... WHERE ...) x), and write x.{name} where the subquery is.{instead}")
