"""CL014: a column written without its table that two of the query's tables have (SELECT
personID FROM student s JOIN Enrollment e ...), or an ORDER BY name that two different items of
the SELECT list return (e.personID AS id, e.calendarID AS id ... ORDER BY id). SQL Server refuses
the statement: "Ambiguous column name"."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names

_REFUSED = "SQL Server cannot tell which is meant and refuses the statement (error 209, \"Ambiguous column name\")."


@statement_rule("CL014")
def ambiguous_column(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not isinstance(block.node, exp.Select):
            continue
        said: set[str] = set()
        for column, returned in _sorted_by_a_name_returned_twice(block):
            said.add(column.name.lower())  # ORDER BY looks at the SELECT list's names first: that is what is ambiguous
            yield _returned_twice(query, column, returned)
        for ref, tables in _ambiguous(block):
            if ref.name.lower() in said:
                continue
            said.add(ref.name.lower())
            bundled = catalog.guessed(relation.name for relation in tables)
            yield _hit(query, ref, tables, bundled)


def _ambiguous(block: m.Block) -> Iterator[tuple[m.ColumnRef, tuple[m.Relation, ...]]]:
    """Each unqualified name of the block that names a column of two tables or more where SQL
    Server looks for it."""
    for projection in block.projections:
        yield from ((ref, ref.ambiguous) for ref in projection.columns if ref.ambiguous)
    order = {id(relation): at for at, relation in enumerate(block.relations)}
    for predicate in block.predicates:
        for ref in predicate.columns:
            if not ref.ambiguous:
                continue
            if predicate.clause == "on":
                # an ON sees the tables joined up to its own: one joined later does not make the name ambiguous
                if predicate.on is None or id(predicate.on) not in order:
                    continue
                seen = tuple(r for r in ref.ambiguous if order.get(id(r), len(order)) <= order[id(predicate.on)])
                if len(seen) > 1:
                    yield ref, seen
            else:
                yield ref, ref.ambiguous
    yield from ((ref, ref.ambiguous) for ref in block.group_by if ref is not None and ref.ambiguous)
    # ORDER BY takes a name the SELECT list returns once as that item (resolve.py): such a name is not ambiguous
    yield from ((ref, ref.ambiguous) for ref in block.ordered_by if ref.ambiguous)


def _sorted_by_a_name_returned_twice(block: m.Block) -> Iterator[tuple[exp.Column, list[m.Projection]]]:
    """Each ORDER BY item that is a name alone which two different items of the SELECT list
    return: ORDER BY takes such a name for a returned item before a table's column."""
    order = block.node.args.get("order")
    for item in order.expressions if order is not None else []:
        column = item.this if isinstance(item, exp.Ordered) else item
        if not isinstance(column, exp.Column) or column.table:
            continue
        returned = [p for p in block.projections if p.name.lower() == column.name.lower()]
        if any(p.node.unalias() != returned[0].node.unalias() for p in returned[1:]):
            yield column, returned


def _returned_twice(query: Query, column: exp.Column, returned: list[m.Projection]) -> Hit:
    name = as_in_file(query, column)
    items = names([as_in_file(query, p.node) for p in returned])
    count = "two" if len(returned) == 2 else len(returned)
    columns = [as_in_file(query, p.node.unalias()) for p in returned if isinstance(p.node.unalias(), exp.Column)]
    itself = f", or sort by the column meant as its table names it: ORDER BY {' or '.join(columns)}" if columns else ""
    return Hit(
        query.span_of(column),
        f"ORDER BY {name}: the SELECT list returns {count} different items named {name} ({items}). {_REFUSED}",
        f"Give the items different names and sort by the one meant{itself}.",
    )


def _hit(query: Query, ref: m.ColumnRef, tables: tuple[m.Relation, ...], bundled: bool) -> Hit:
    name = as_in_file(query, ref.node)
    labels = names([relation.label() for relation in tables])
    caveat = (f" sqladvise's bundled catalog is an approximation: if only one of them has a column {name} in your "
              "database, this does not apply." if bundled else "")
    return Hit(
        query.span_of(ref.node),
        f"{name} is a column of {'both ' if len(tables) == 2 else ''}{labels}, and it is written without its table: "
        f"{_REFUSED}{caveat}",
        f"Write the alias of the table it is meant from: {' or '.join(f'{r.alias}.{name}' for r in tables)}.",
        tuple(relation.name for relation in tables),
        "warning" if bundled else "error",
    )
