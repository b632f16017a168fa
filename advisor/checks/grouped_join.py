"""SH001's fixes. For a correlated subquery that aggregates the rows matching the outer row
((SELECT COUNT(*) FROM Roster r WHERE r.sectionID = se.sectionID AND ...)): the same values
computed once for every key, as a grouped derived table joined on the keys the subquery matched.
For one that looks up a row by its table's key ((SELECT TOP 1 x.name FROM School x WHERE
x.schoolID = c.schoolID)): a join of that table. For several that read the same rows for
different values: one OUTER APPLY, or one join, that gives them all; for aggregates of the same
table matched on the same keys under different conditions (a student's absences, and their
tardies), one grouped join whose aggregates each take their own conditions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sqlglot import exp

from advisor.analysis import model as m
from advisor.checks.snippets import (
    as_in_file,
    free_alias,
    from_clause,
    with_parts_replaced,
)
from advisor.checks.written_conditions import all_of
from advisor.words import count

# COUNT gives 0 where no row matches; the join gives NULL there, so the fix puts the 0 back
_COUNTS = (exp.Count,)
# Aggregates that skip NULLs, so that CASE WHEN ... THEN x END keeps them to some of the rows
_CONDITIONAL = (exp.Count, exp.Sum, exp.Min, exp.Max, exp.Avg)


@dataclass(frozen=True)
class _Aggregate:
    """A correlated subquery as a grouped join takes it: its SELECT, its one aggregate, the
    columns it matches the outer row on with the outer row's values, and its other conditions."""

    select: exp.Select
    value: exp.AggFunc
    keys: list[tuple[exp.Column, exp.Expression]]
    kept: list[exp.Expression]


def grouped_join(query: m.Query, outer: m.Block, subqueries: list[m.Subquery]) -> str | None:
    """The LEFT JOIN and the SELECT items that replace the subqueries (one, several that read the
    same rows, or several merged by merge_key), when each is one SELECT of one aggregate whose
    WHERE matches the outer row only by equalities on its own columns, in a SELECT that does not
    group (where the joined values would have to be grouped on too)."""
    found = [_aggregate(outer, subquery) for subquery in subqueries]
    if any(aggregate is None for aggregate in found):
        return None
    return _written(query, subqueries, found)


def merge_key(outer: m.Block, subquery: m.Subquery) -> tuple | None:
    """What subqueries must share for one grouped derived table to give all their values, each
    under its own conditions: the same FROM and the same match with the outer row; None where
    the aggregate cannot take a condition of its own (COUNT(CASE WHEN ... THEN 1 END))."""
    found = _aggregate(outer, subquery)
    if found is None or not isinstance(found.value, _CONDITIONAL):
        return None
    sources = [found.select.args["from_"], *(found.select.args.get("joins") or [])]
    return tuple(map(_said, sources)), frozenset((_said(column), _said(value)) for column, value in found.keys)


def _aggregate(outer: m.Block, subquery: m.Subquery) -> _Aggregate | None:
    if len(subquery.blocks) != 1 or isinstance(subquery.node, (exp.Exists, exp.In)) or outer.grouped:
        return None  # CASE WHEN EXISTS (...): a test, not a value
    block = subquery.blocks[0]
    select = block.node
    if (not isinstance(select, exp.Select) or len(select.expressions) != 1 or block.subqueries or block.top
            or not select.args.get("from_")  # SELECT COUNT(*) JOIN ...: nothing to group
            or any(select.args.get(part) for part in ("distinct", "group", "having", "order", "for_"))):
        return None
    value = select.expressions[0].unalias()
    if not isinstance(value, exp.AggFunc) or any(c.outer for p in block.projections for c in p.columns):
        return None
    keys: list[tuple[exp.Column, exp.Expression]] = []
    kept: list[exp.Expression] = []
    for predicate in block.predicates:
        if not any(c.outer for c in predicate.columns):
            if predicate.clause == "where":
                kept.append(predicate.node)
            continue
        key = _key(predicate)
        if key is None or predicate.clause != "where":
            return None  # the outer row is compared otherwise (a range, an ON): no one key to group on
        keys.append(key)
    names = [column.name for column, _ in keys]
    if not keys or len({name.lower() for name in names}) != len(names):
        return None
    return _Aggregate(select, value, keys, kept)


def lookup_join(query: m.Query, outer: m.Block, subqueries: list[m.Subquery]) -> str | None:
    """The LEFT JOIN and the SELECT items that replace subqueries of one table that find one row
    at most, all of a key matched (and one value, not an aggregate, selected from it); several
    when they read the same row for different values (same_rows). In a query that groups, the
    values join its GROUP BY: one for each key, they leave the groups as they are."""
    block = subqueries[0].blocks[0] if len(subqueries[0].blocks) == 1 else None
    select = block.node if block is not None else None
    if (not isinstance(select, exp.Select) or isinstance(subqueries[0].node, (exp.Exists, exp.In))
            or len(select.expressions) != 1 or block.subqueries or block.grouped
            # FOR JSON builds an array even of one row, where the joined value would be that row's
            # value (FOR XML PATH('') of one row is its value as text, as the joined value is)
            or not block.finds_one_row() or select.args.get("distinct") or block.built_as == "JSON"):
        return None
    text = partial(as_in_file, query, cut=False)
    relation = block.relations[0]
    conditions = all_of([p.node for p in block.predicates], text)
    ordered = " Its TOP 1 ... ORDER BY is then not needed." if block.top else ""
    chosen = ", ".join(f"{text(sub.blocks[0].node.expressions[0].unalias())}{f' AS {alias}' if (alias := _alias(sub)) else ''}"
                       for sub in subqueries)
    which, does = ("the subquery", "does") if len(subqueries) == 1 else ("the subqueries", "do")
    values = ", ".join(text(sub.blocks[0].node.expressions[0].unalias()) for sub in subqueries)
    grouped = f" The query groups its rows: add {values} to its GROUP BY." if outer.node.args.get("group") else ""
    return (f"Join {relation.name} once: LEFT JOIN {text(relation.node)} ON {conditions}, and select {chosen} in place "
            f"of {which}. The conditions name all of a key of {relation.name}, so the join finds one row at most for "
            f"each, as {which} {does}.{ordered}{grouped}")


def shared_apply(query: m.Query, subqueries: list[m.Subquery]) -> str:
    """One OUTER APPLY that gives the values of several subqueries that read the same rows (a
    guardian's last name, first name and phone, each looked up for every student): the rows are
    found once for each outer row, not once for each value."""
    text = partial(as_in_file, query, cut=False)
    outputs: list[str] = []
    for at, sub in enumerate(subqueries, 1):
        value = sub.blocks[0].node.expressions[0].unalias()
        name = _alias(sub) or (value.name if isinstance(value, exp.Column) else "") or f"value{at}"
        outputs.append(name if name.lower() not in {o.lower() for o in outputs} else f"{name}{at}")
    chosen = ", ".join(f"{text(sub.blocks[0].node.expressions[0].unalias())} AS {name}" for sub, name in zip(subqueries, outputs))
    first = subqueries[0].blocks[0].node
    applied = with_parts_replaced(query, first, [(first.expressions[0], chosen)])
    if applied is None:  # as sqlglot writes it, where the file has no place for the SELECT or holds a comment
        copied = first.copy()
        copied.set("expressions", [exp.alias_(sub.blocks[0].node.expressions[0].unalias().copy(), name)
                                   for sub, name in zip(subqueries, outputs)])
        applied = copied.sql("tsql")
    table = _free_alias(query)
    return (f"Find the rows once for all {len(subqueries)} values: OUTER APPLY ({applied}) {table} after the "
            f"FROM list, and select {', '.join(f'{table}.{name}' for name in outputs)} in place of the subqueries.")


def _alias(subquery: m.Subquery) -> str:
    """The name the outer SELECT gives a subquery's value: (SELECT ...) AS guardianPhone."""
    holder = subquery.node if isinstance(subquery.node, exp.Subquery) else subquery.node.parent
    return holder.parent.alias if isinstance(holder.parent, exp.Alias) else ""


def _free_alias(query: m.Query) -> str:
    """x, or x2, x3...: an alias no relation of the statement has."""
    return free_alias({relation.alias.lower() for block in query.blocks for relation in block.relations}, "x")


def _key(predicate: m.Predicate) -> tuple[exp.Column, exp.Expression] | None:
    """r.sectionID = se.sectionID: the subquery's own column, and the outer row's value."""
    node = predicate.node.unnest()
    if not isinstance(node, exp.EQ):
        return None
    outer = {id(c.node) for c in predicate.columns if c.outer}
    for own, other in ((node.this, node.expression), (node.expression, node.this)):
        own, other = own.unnest(), other.unnest()
        inside = [c for c in other.find_all(exp.Column) if id(c) not in outer]
        if isinstance(own, exp.Column) and id(own) not in outer and not inside and other.find(exp.Column):
            return own, other
    return None


def _written(query: m.Query, subqueries: list[m.Subquery], found: list[_Aggregate]) -> str:
    text = partial(as_in_file, query, cut=False)
    table = _free_alias(query)
    keys = found[0].keys
    said = [{_said(c) for c in f.kept} for f in found]
    common = [c for c in found[0].kept if all(_said(c) in others for others in said[1:])]
    shared = {_said(c) for c in common}
    own = [[c for c in f.kept if _said(c) not in shared] for f in found]
    taken = {column.name.lower() for column, _ in keys}
    chosen, shown = [], []
    for at, (subquery, aggregate, conditions) in enumerate(zip(subqueries, found, own)):
        alias = _alias(subquery)
        name = alias if alias and alias.lower() not in taken else "n" if "n" not in taken else f"n{at + 1}"
        taken.add(name.lower())
        chosen.append(f"{_under(aggregate.value, conditions, text)} AS {name}")
        read = f"ISNULL({table}.{name}, 0)" if isinstance(aggregate.value, _COUNTS) else f"{table}.{name}"
        shown.append(f"{read}{f' AS {alias}' if alias else ''}")
    columns = ", ".join(text(column) for column, _ in keys)
    limits = [all_of(common, text)] if common else []
    if all(own):  # rows that none of the values takes need not be grouped
        sets = [frozenset(map(_said, conditions)) for conditions in own]
        # a value's conditions that hold another's and more keep rows that the other's keep already
        wider = [c for c, said in zip(own, sets) if not any(other < said for other in sets)]
        branches = list(dict.fromkeys(f"({all_of(c, text)})" if len(c) > 1 else all_of(c, text) for c in wider))
        limits.append(branches[0] if len(branches) == 1 else f"({' OR '.join(branches)})")
    where = f" WHERE {' AND '.join(limits)}" if limits else ""
    on = " AND ".join(f"{table}.{column.name} = {text(outer)}" for column, outer in keys)
    which = "the subquery" if len(subqueries) == 1 else "the subqueries"
    moved = (" Each value's own conditions move into its aggregate, as CASE WHEN ... THEN ... END, so that one pass "
             "over the rows gives them all." if any(own) else "")
    return (f"Compute the values once for every key: join a derived table that groups them, LEFT JOIN (SELECT "
            f"{columns}, {', '.join(chosen)} {from_clause(query, found[0].select)}{where} GROUP BY {columns}) {table} "
            f"ON {on}, and select {', '.join(shown)} in place of {which}.{moved}" + _limit_kept(query, subqueries[0]))


def _said(node: exp.Expression) -> str:
    """A node as sqlglot writes it, in lower case: two written alike say the same."""
    return node.sql("tsql").lower()


def _under(value: exp.AggFunc, conditions: list[exp.Expression], text: Callable[[exp.Expression], str]) -> str:
    """An aggregate over only the rows its own conditions keep: COUNT(*) as COUNT(CASE WHEN ...
    THEN 1 END), MAX(x) as MAX(CASE WHEN ... THEN x END); the rows CASE leaves NULL are not
    counted, summed or compared."""
    if not conditions:
        return text(value)
    argument = value.this
    distinct = isinstance(argument, exp.Distinct)
    if distinct:
        argument = argument.expressions[0]
    taken = "1" if isinstance(argument, exp.Star) else text(argument)
    name = text(value).split("(")[0].strip()  # as written: COUNT_BIG stays COUNT_BIG
    return f"{name}({'DISTINCT ' if distinct else ''}CASE WHEN {all_of(conditions, text)} THEN {taken} END)"


def _limit_kept(query: m.Query, subquery: m.Subquery) -> str:
    """What the author must add when only the match with the outer row limits the subquery's
    history table to a school year (gs.calendarID = e.calendarID): grouped apart from the outer
    rows, the derived table would read every year's."""
    relations = [r for r in subquery.blocks[0].relations if r.table is not None and r.table.history]
    largest = max(relations, key=lambda r: r.table.rows, default=None)
    if largest is None or not any(reach.anchor is largest and reach.scoped for reach in query.reaches):
        return ""  # each run read every year already: grouped, they are read once
    inside = {id(relation) for relation in subquery.blocks[0].relations}
    if query.graph is None or any(node.own_kinds - {"person"} for node in query.graph.all_nodes() if id(node.anchor) in inside):
        return ""  # a limit of its own (c.endYear = 2026 on the Calendar it joins) stays in the derived table
    return (f" Limit the derived table as the outer query is limited (its school year), or it groups every year's "
            f"{count(largest.table.rows)} rows of {largest.table.name} before the join.")
