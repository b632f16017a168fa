"""SH032: ORDER BY a date written as text that does not sort as the dates do (CONVERT(varchar(10),
a.date, 101) is mm/dd/yyyy): the rows come in the text's order, every January before December
whatever the year."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import conversion, type_family, unsigned_number
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.date_text import date_text
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("SH032")
def order_by_date_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        order = block.node.args.get("order") if isinstance(block.node, exp.Select) else None
        refs = {id(ref.node): ref for ref in block.column_refs()}
        for ordered in order.expressions if order is not None else ():
            item = ordered.this.unnest()
            converted = _sorted_value(block, item)
            _, column = (conversion(converted) if converted is not None else None) or (None, None)
            facts = known(refs[id(column)]) if isinstance(column, exp.Column) and id(column) in refs else None
            if facts is None or type_family(facts.column.type) != "date":
                continue
            written = date_text(converted, facts.column.type)
            shown = written.out_of_order() if written is not None else None
            if shown is None:
                continue
            date_column = as_in_file(query, column, cut=False)
            yield Hit(
                query.span_of(ordered),
                f"ORDER BY {as_in_file(query, item)} sorts {facts.label} as the text {as_in_file(query, converted)} "
                f"writes, which does not sort as the dates do: '{shown[0]}' comes after '{shown[1]}', so the rows are "
                "not in date order.",
                f"Order by the date itself, ORDER BY {date_column}, and keep the text in the SELECT list; under SELECT "
                "DISTINCT or a UNION, which order only by what they return, write the text year first, "
                f"CONVERT(varchar(10), {date_column}, 23), which sorts as the dates do.",
                (facts.table.name,),
            )


def _sorted_value(block: m.Block, item: exp.Expression) -> exp.Expression | None:
    """What an ORDER BY item sorts by: the expression itself, the SELECT list's item it names by
    alias (ORDER BY day), or by position (ORDER BY 2)."""
    position = unsigned_number(item)
    if position is not None:
        return block.projections[position - 1].node.unalias() if 0 < position <= len(block.projections) else None
    if isinstance(item, exp.Column) and not item.table:
        named = next((p for p in block.projections if p.name.lower() == item.name.lower() and isinstance(p.node, exp.Alias)), None)
        if named is not None:
            return named.node.unalias()
    return item if isinstance(item, (exp.Cast, exp.Convert)) else None
