"""A LEFT JOIN whose table nothing reads: it cannot remove a row, so it only costs, and where its
join columns are not unique it brings every row back once per match."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import passed_through
from advisor.analysis.model import Query
from advisor.analysis.resolve import own_nodes
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import relation_rows
from advisor.words import count, names

_READ = (m.TABLE, m.VIEW, m.DERIVED, m.CTE)
_FEW_ROWS = 1_000  # a join to a table this small costs next to nothing: information


@statement_rule("JN003")
def unused_left_join(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for relation in block.relations:
            if relation.join != m.LEFT or relation.kind not in _READ:
                continue
            condition = relation.join_condition
            if condition is None or _read_elsewhere(block, relation, condition):
                continue
            joined = sorted({c.name for c in condition.find_all(exp.Column) if c.table.lower() == relation.alias.lower()})
            unique = _one_row_each(relation, {c.lower() for c in joined})
            if (block.grouped or block.windowed) and not unique:
                continue  # COUNT(*) and SUM count every match: the join changes the totals
            yield _hit(block, relation, joined, unique)


def _one_row_each(relation: m.Relation, joined: set[str]) -> bool:
    """Whether the join columns name one row of the relation at most: a key of a table, or what a
    derived table or CTE groups by (or makes DISTINCT), or a key of the one table it passes on."""
    if relation.kind == m.TABLE:
        return relation.table.unique_by(joined)
    passed = [passed_through(relation, name) for name in joined]
    source = passed[0][0] if passed else relation
    if (source is not relation and any(outer is relation for outer in source.standing_in)
            and all(holder is source for holder, _ in passed)):
        return _one_row_each(source, {column.lower() for _, column in passed})  # (SELECT * FROM AttendanceExcuse) x
    if relation.kind in (m.DERIVED, m.CTE) and len(relation.inner) == 1:
        inner = relation.inner[0]
        if inner.distinct:
            return {name.lower() for name in inner.output_names()} <= joined
        return inner.grouped and bool(inner.group_columns) and inner.group_columns <= joined
    return False


def _read_elsewhere(block: m.Block, relation: m.Relation, condition: exp.Expression) -> bool:
    """Whether the block reads any column of the relation outside its own ON condition: in its
    SELECT list (a star too), another join, WHERE, GROUP BY, ORDER BY or a subquery. A column
    without a table name that the relation may have counts as read."""
    if any(p.star_of is not None and relation in p.star_of for p in block.projections):
        return True
    on = {id(node) for node in condition.walk()}
    alias = relation.alias.lower()
    offered = {c.lower() for c in relation.output_columns or []}
    for node in own_nodes(block.node):  # the block's own expressions, not those of the queries inside it
        if isinstance(node, exp.Column) and id(node) not in on:
            table = node.table.lower()
            if table == alias or (not table and (not offered or node.name.lower() in offered)):
                return True
    # a subquery reads it only by its name: a bare column there is the subquery's own
    return any(column.table.lower() == alias and id(column) not in on for column in block.node.find_all(exp.Column))


def _hit(block: m.Block, relation: m.Relation, joined: list[str], unique: bool) -> Hit:
    rows = relation_rows(relation)
    size = f" ({count(rows)} rows)" if rows else ""
    if unique:
        effect = ("SQL Server can leave out a LEFT JOIN on a unique key that nothing reads, so it costs little, "
                  "but the next reader will look for what it is for.")
    elif block.distinct:
        effect = f"The join still reads {relation.name}{size} for every row, and its extra matches are thrown away again."
    elif not isinstance(block.node, exp.Select):  # an UPDATE or DELETE changes each row once however often it matches
        effect = f"The join still reads {relation.name}{size} for every row it changes."
    else:
        on = f" on {names(joined)}" if joined else ""
        effect = (f"Joined{on}, which does not identify one row of it, it brings each row back once for every "
                  f"match: the result multiplies, for nothing.")
    return Hit(
        relation.span,
        f"LEFT JOIN {relation.label()} adds nothing: no column of it is read outside its own ON condition, "
        f"and a LEFT JOIN cannot remove a row. {effect}",
        f"Remove the join to {relation.label()}; if its rows were meant to filter, write INNER JOIN or EXISTS.",
        (relation.name,),
        "info" if unique or (rows or 0) < _FEW_ROWS else "warning",
    )
