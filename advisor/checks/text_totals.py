"""CL022: SUM or AVG of a text column. SQL Server adds up numbers only, and refuses the statement
before it reads a row (error 8117), whatever the column holds: Campus keeps many numbers as text
(a grade level, a score), and a total of them needs each value made a number first."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

_TOTALS = {exp.Sum: "sum", exp.Avg: "avg"}


@statement_rule("CL022")
def total_of_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    totals = query.calls(tuple(_TOTALS))  # from the one walk of the statement every check shares
    if not totals:
        return
    # the columns of the SELECT lists and HAVINGs, where a total totals a group's rows
    refs = {id(ref.node): ref for block in query.user_blocks
            for ref in [*(ref for projection in block.projections for ref in projection.columns),
                        *(ref for predicate in block.predicates if predicate.clause == "having" for ref in predicate.columns)]}
    for total in totals:
        hit = _text_total(query, total, refs)
        if hit is not None:
            yield hit


def _text_total(query: Query, total: exp.Expression, refs: dict[int, m.ColumnRef]) -> Hit | None:
    value = total.this.unnest()
    if isinstance(value, exp.Distinct) and len(value.expressions) == 1:
        value = value.expressions[0].unnest()
    ref = refs.get(id(value)) if isinstance(value, exp.Column) else None
    facts = known(ref) if ref is not None else None
    if facts is None or type_family(facts.column.type) != "text":
        return None
    operator = _TOTALS[type(total)]  # as SQL Server's message names it
    written, column = as_in_file(query, total), as_in_file(query, value)
    kind = facts.column.type.split("(")[0].strip().lower()
    return Hit(
        query.span_of(total),
        f"{written} adds up {facts.label}, a {facts.column.type}: SQL Server adds up numbers only, and refuses the "
        f"statement before it reads a row (error 8117, \"Operand data type {kind} is invalid for {operator} "
        "operator\").",
        f"Make each value a number first, leaving out those that are not (KG, PK): "
        f"{written.replace(column, f'TRY_CAST({column} AS decimal(9, 2))', 1)}.",
        (facts.table.name,),
    )
