"""CL028: a value put where another column of the same name is: a later arm of a UNION that
returns i.firstName where the first returns lastName, an INSERT whose SELECT gives i.firstName
to the lastName column, or a column list after a CTE's name, roster (lastName, firstName), over
a SELECT of i.firstName, i.lastName. Each matches columns by position, not by name, so first
names come out as last names, with no error."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import first_select, inserted_into
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.unions import set_operations, union_arms


@statement_rule("CL028")
def value_in_another_column(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for select, names, label, how, order in _placements(query):
        for item, at, there, swapped in _misplaced(select, names):
            shown = _shown(query, item)
            if swapped is not None:
                said = (f"{shown} and {_shown(query, swapped)} {how[1]} {label}{names[at]} and {label}{names[there]}: "
                        f"{how[2]} by position, not by name, and {order} has them the other way round.")
            else:
                said = (f"{shown} {how[0]} {label}{names[at]}: {how[2]} by position, not by name, and {order} has "
                        f"{names[there]} in column {there + 1}.")
            yield Hit(query.span_of(item), said, _fix(query, item, swapped, names, at, there, order))


def _placements(query: Query) -> Iterator[tuple[exp.Select, list, str, tuple[str, str, str], str]]:
    """Each SELECT whose columns go where names say by position: the SELECT, the names, what
    comes before a name in a message (#names.), how the values get there (as said of one, of two,
    and why), and what has the names in order."""
    insert = query.statement.tree
    if isinstance(insert, exp.Insert) and (filled := _filled(query, insert)):
        select, table = first_select(insert.expression), inserted_into(insert)
        if isinstance(select, exp.Select):
            yield (select, filled, f"{table}.", ("goes into", "go into", "an INSERT fills columns"),
                   _order(insert, table, filled))
    for select, named, listed in _column_lists(query):
        yield (select, listed, f"{named}.", ("comes out as", "come out as", "a column list names a SELECT's columns"),
               f"{named} ({', '.join(listed)})")
    for combined in set_operations(query):
        if isinstance(combined.parent, exp.Union) or not isinstance(combined, exp.Union):
            continue  # judged with the outermost UNION, which holds every arm
        first, *others = union_arms(combined)
        names = _names(first) if isinstance(first, exp.Select) else []
        for arm in (arm for arm in others if isinstance(arm, exp.Select) and names):
            yield arm, names, "", ("comes out as", "come out as", "the arms of a UNION match columns"), "the first SELECT"


def _column_lists(query: Query) -> Iterator[tuple[exp.Select, str, list[str]]]:
    """Each SELECT that a list of columns after a CTE's or derived table's name names (WITH n
    (lastName, firstName) AS (SELECT ...), (SELECT ...) AS d (a, b)): the first of a UNION's."""
    for block in query.user_blocks:
        holder = block.node
        while isinstance(holder.parent, exp.SetOperation) and holder.parent.this is holder:
            holder = holder.parent
        owner = holder.parent
        alias = owner.args.get("alias") if isinstance(owner, (exp.CTE, exp.Subquery)) else None
        if isinstance(block.node, exp.Select) and isinstance(alias, exp.TableAlias) and alias.columns:
            yield block.node, alias.name, [column.name for column in alias.columns]


def _filled(query: Query, insert: exp.Insert) -> list[str]:
    """The columns an INSERT fills, in order: those it lists, or those the script's CREATE TABLE
    or DECLARE @t TABLE gives the table."""
    if isinstance(insert.this, exp.Schema):
        return [column.name for column in insert.this.expressions]
    made = query.target
    return [column.name for column in made.to_fill] if made is not None and made.declared is not None else []


def _order(insert: exp.Insert, table: str | None, filled: list[str]) -> str:
    listed = "the INSERT's list of columns" if isinstance(insert.this, exp.Schema) else f"the order of {table}'s columns"
    return f"{listed} ({', '.join(filled)})"


def _names(select: exp.Select) -> list[str | None]:
    """The name of each item a SELECT returns, where it has one: its alias, or its column's."""
    return [item.alias if isinstance(item, exp.Alias) else item.name if isinstance(item, exp.Column) else None
            for item in select.expressions]


def _misplaced(select: exp.Select, names: list[str | None],
               ) -> Iterator[tuple[exp.Expression, int, int, exp.Expression | None]]:
    """Each item of the SELECT named as another of `names` is, where that name is one of them
    only: the item, the position it fills, the position of its name, and the item there where
    the two are swapped (said once, at the first). Not where their numbers differ: SQL Server
    refuses that statement (CL010 and CL012 say so of a UNION and an INSERT)."""
    items = select.expressions
    if len(items) != len(names):
        return
    wanted = [name.lower() if name else None for name in names]
    given = [name.lower() if name else None for name in _names(select)]
    for at, name in enumerate(given):
        if name is None or wanted[at] in (None, name) or wanted.count(name) != 1:
            continue
        there = wanted.index(name)
        swapped = given[there] == wanted[at]
        if not swapped or at < there:
            yield items[at], at, there, items[there] if swapped else None


def _shown(query: Query, item: exp.Expression) -> str:
    return query.written(item.this if isinstance(item, exp.Alias) else item)


def _fix(query: Query, item: exp.Expression, swapped: exp.Expression | None, names: list[str | None], at: int,
         there: int, order: str) -> str:
    shown = _shown(query, item)
    if swapped is not None:
        return (f"Swap {shown} and {_shown(query, swapped)} to follow {order}; if the swap is meant, say so with "
                f"aliases: {shown} AS {names[at]}, {_shown(query, swapped)} AS {names[there]}.")
    return (f"Move {shown} to column {there + 1} ({names[there]}) to follow {order}; if its values are meant to go into "
            f"{names[at]}, say so with an alias: {shown} AS {names[at]}.")
