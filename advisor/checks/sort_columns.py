"""CL007: an ORDER BY item a SELECT DISTINCT, or a UNION, INTERSECT or EXCEPT, does not return:
SQL Server refuses the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import unsigned_number
from advisor.analysis.script import first_select
from advisor.analysis.written import matchable
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.unions import is_star, set_operations
from advisor.words import names


@statement_rule("CL007")
def order_by_not_returned(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        select = block.node
        if isinstance(select, exp.Select) and select.args.get("distinct") and select.args.get("order"):
            yield from _unreturned(query, select.args["order"], select.expressions, exact=True)
    for combined in set_operations(query):
        first = first_select(combined) if combined.args.get("order") else None
        if isinstance(first, exp.Select):
            yield from _unreturned(query, combined.args["order"], first.expressions, exact=False)


def _unreturned(query: Query, order: exp.Order, returned: list[exp.Expression], exact: bool) -> Iterator[Hit]:
    """One finding for the ORDER BY items the list does not return. A DISTINCT's items must be in
    its list as written; a UNION's are named by the first SELECT's columns or aliases."""
    if any(is_star(item) for item in returned):
        return  # a star returns columns sqladvise may not know
    missing = [ordered.this for ordered in order.expressions if not _returned(ordered.this, returned, exact)]
    if not missing:
        return
    shown = [as_in_file(query, item) for item in missing]
    if exact:
        code, words, where = 145, "if SELECT DISTINCT is specified", "its SELECT DISTINCT list"
        fix = (f"Sort by columns the SELECT list returns, or add {names(shown)} to it (which can make more rows distinct: "
               "one for each value).")
    else:
        code, where = 104, "the first SELECT's list"
        words = "if the statement contains a UNION, INTERSECT or EXCEPT operator"
        fix = ("Sort by a column of the first SELECT's list, by its name, alias or position; to sort by another value, "
               "return it from every arm.")
    yield Hit(
        query.span_of(missing[0]),
        f"{names(shown)} {'is' if len(shown) == 1 else 'are'} in the ORDER BY but not in {where}: SQL Server refuses "
        f"the statement before it reads a row (error {code}, \"ORDER BY items must appear in the select list {words}\").",
        fix,
    )


def _returned(item: exp.Expression, returned: list[exp.Expression], exact: bool) -> bool:
    if unsigned_number(item) is not None:
        return True  # ORDER BY 2: a position in the list
    written = matchable(item)
    if any(written == matchable(value.unalias()) for value in returned):
        return True
    if not isinstance(item, exp.Column):
        return False
    names_returned = {value.alias_or_name.lower() for value in returned}
    if not item.table or not exact:
        return item.name.lower() in names_returned
    return any(isinstance(value.unalias(), exp.Column) and value.unalias().name.lower() == item.name.lower()
               and value.unalias().table.lower() in ("", item.table.lower()) for value in returned)
