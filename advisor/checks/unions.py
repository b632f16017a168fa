"""UNION that sorts for nothing: arms that cannot share a row, each returning its rows once (SH005);
arms that return different numbers of columns (CL010)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import literal_number
from advisor.catalog.model import Catalog
from advisor.checks.indexes import sides_of
from advisor.checks.registry import Hit, statement_rule
from advisor.words import plural


@statement_rule("SH005")
def union_that_could_be_all(query: Query, catalog: Catalog) -> Iterator[Hit]:
    blocks = {id(block.node): block for block in query.user_blocks}
    for union in set_operations(query):
        if not isinstance(union, exp.Union) or not union.args.get("distinct") or isinstance(union.parent, exp.Union):
            continue
        arms = [blocks.get(id(arm)) for arm in union_arms(union)]
        if not all(arm is not None and _rows_once(arm) for arm in arms):
            continue  # UNION also removes the copies one arm returns: UNION ALL would keep them
        if not any(arm.relations for arm in arms) or all(_one_row(arm) for arm in arms):
            continue  # constants alone (SELECT 'P' UNION SELECT 'T'), or a total each: a few rows, sorted at no cost
        position = _tagged(arms)
        if position is None:
            continue
        yield Hit(
            query.span_of(union.expression.unnest()),  # the arm after the word UNION
            f"UNION sorts or hashes the whole result to remove duplicates, but there are none: column "
            f"{position + 1} has a different value in each arm, and each arm returns a row once.",
            "Write UNION ALL, which returns the arms' rows as they come.",
        )


def _one_row(arm: m.Block) -> bool:
    """A row at most: an aggregate with no GROUP BY (SELECT COUNT(*) ...), or a key's row."""
    return (arm.grouped and not arm.group_by) or arm.reads_one_row()


def set_operations(query: Query) -> list[exp.SetOperation]:
    """The UNIONs, INTERSECTs and EXCEPTs the author wrote: found from the blocks up, which costs
    far less than a walk of the whole tree, each climb stopping at one found before it (a chain of
    2,000 arms nests 2,000 deep)."""
    found: dict[int, exp.SetOperation] = {}
    for block in query.user_blocks:
        node = block.node.parent
        while isinstance(node, (exp.SetOperation, exp.Subquery, exp.Paren)):
            if isinstance(node, exp.SetOperation):
                if id(node) in found:
                    break  # it and what holds it were found from an arm before
                found[id(node)] = node
            elif not isinstance(node.parent, exp.SetOperation):
                break  # a subquery's own parentheses: what holds it is another query
            node = node.parent
    return list(found.values())


def union_arms(query: exp.Expression) -> list[exp.Expression]:
    """The SELECTs whose rows a query returns: a UNION's arms, in order, or the query itself."""
    arms, stack = [], [query]
    while stack:
        node = stack.pop()
        if isinstance(node, exp.Union):
            stack += [node.expression, node.this]
        else:
            arms.append(node.unnest())
    return arms


def _tagged(arms: list[m.Block]) -> int | None:
    """A column position where every arm has its own value: 'student' AS role, 'staff' AS role,
    or c.endYear where the arm's WHERE says c.endYear = 2026 and the next's 2027."""
    if not all(isinstance(arm.node, exp.Select) for arm in arms):
        return None
    for position in range(min(len(arm.node.expressions) for arm in arms)):
        values = [_fixed_value(arm, arm.node.expressions[position].unalias()) for arm in arms]
        if None not in values and len(set(values)) == len(values):
            return position
    return None


def _fixed_value(arm: m.Block, returned: exp.Expression) -> tuple | None:
    """The one value an arm returns in a column: a constant, or a column its WHERE makes equal to one."""
    if isinstance(returned, exp.Literal):
        return _value(returned)
    projection = next((p for p in arm.projections if p.node.unalias() is returned), None)
    column = projection.plain if projection is not None else None
    if column is None or column.relation is None:
        return None
    for predicate in arm.predicates:
        if predicate.clause != "where" or not isinstance(predicate.node, exp.EQ):
            continue
        sides = [predicate.node.this.unnest(), predicate.node.expression.unnest()]
        for ref in predicate.columns:
            if ref.relation is column.relation and ref.name.lower() == column.name.lower() and ref.node in sides:
                other = sides[1 - sides.index(ref.node)]
                if isinstance(other, exp.Literal):
                    return _value(other)
    return None


def _value(literal: exp.Literal) -> tuple:
    """A constant as SQL Server compares it: text without case or trailing spaces (the default
    collation), numbers by value (1 and 1.0 are one)."""
    number = literal_number(literal)
    if number is not None:
        return ("number", number)
    return ("text", literal.name.rstrip(" ").casefold())


def _rows_once(arm: m.Block) -> bool:
    """Whether an arm returns each row once by itself: DISTINCT, a GROUP BY on columns it
    returns, a single row (an aggregate alone, no table), or tables that are each found once per
    row: one whose key it returns, the others joined on their own keys."""
    if arm.distinct or not arm.relations:
        return True
    if arm.grouped and not arm.group_all:
        returned = _returned(arm)
        return all(ref is not None and (id(ref.relation), ref.name.lower()) in returned for ref in arm.group_by)
    if not all(relation.kind == m.TABLE and relation.table is not None for relation in arm.relations):
        return False
    returned = _returned(arm)
    looked_up = [relation for relation in arm.relations if relation.table.unique_by(_joined_on(arm, relation))]
    return any(
        relation.table.unique_by({name for owner, name in returned if owner == id(relation)})
        and all(other in looked_up for other in arm.relations if other is not relation)
        for relation in arm.relations
    )


def _joined_on(arm: m.Block, relation: m.Relation) -> set[str]:
    """The relation's lower-case columns that join it to the others."""
    return {mine.name.lower() for mine, _ in sides_of(arm, relation)}


def _returned(arm: m.Block) -> set[tuple[int, str]]:
    """The columns the arm returns as they are, each as (its relation's id, its lower-case name)."""
    return {(id(p.plain.relation), p.plain.name.lower()) for p in arm.projections if p.plain is not None}


@statement_rule("CL010")
def arms_of_other_widths(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for combined in set_operations(query):
        if isinstance(combined.parent, exp.SetOperation):
            continue  # judged with the outermost, which holds every arm
        arms = union_arms(combined)
        if not all(isinstance(arm, exp.Select) for arm in arms) or any(is_star(e) for arm in arms for e in arm.expressions):
            continue  # a star's width is not known here
        widths = [len(arm.expressions) for arm in arms]
        odd = next((at for at, width in enumerate(widths) if width != widths[0]), None)
        if odd is None:
            continue
        word = {exp.Union: "UNION", exp.Intersect: "INTERSECT", exp.Except: "EXCEPT"}.get(type(combined), "UNION")
        yield Hit(
            query.span_of(arms[odd]),
            f"This SELECT returns {plural(widths[odd], 'column')} and the first one {widths[0]}: every arm of a {word} "
            f"must return as many, and SQL Server refuses the statement before it reads a row (error 205).",
            "Return the same columns, in the same order, from every arm (NULL AS ... where an arm has no value).",
        )


def is_star(item: exp.Expression) -> bool:
    """* or alias.*, whose columns depend on the tables."""
    return isinstance(item, exp.Star) or isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
