"""CL012: an INSERT that gives a different number of values than the columns it fills: SQL Server
refuses the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import (
    first_select,
    inserted_into,
    made_tables,
    select_into,
    table_name,
)
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.unions import is_star
from advisor.words import plural

_FIX = ("Give as many values as the columns the INSERT fills, in the same order; naming the columns "
        "(INSERT INTO #t (a, b) SELECT ...) makes a change to either side show.")


@file_rule("CL012")
def insert_widths(context: FileContext) -> Iterator[Hit]:
    fillable: dict[str, tuple[int, int]] = {}  # a table the script makes -> its columns to fill, the line that makes it
    for query in context.queries:
        tree = query.statement.tree
        if isinstance(tree, exp.Insert):
            hit = _mismatch(query, tree, fillable)
            if hit is not None:
                yield hit
        # Made again after a DROP, maybe with other columns; by SELECT INTO, with columns not counted
        # here: one it copies from an IDENTITY column is an IDENTITY column too, which fills itself
        into = select_into(tree)
        forgotten = tree.find_all(exp.Table) if isinstance(tree, exp.Drop) else [into.this] if into is not None else []
        for table in forgotten:
            fillable.pop(table_name(table) or "", None)
        for name, columns in made_tables(tree):
            fillable[name] = (len(columns), query.statement.span.line)


def _mismatch(query: Query, insert: exp.Insert, fillable: dict[str, tuple[int, int]]) -> Hit | None:
    source = insert.expression
    widths = _widths(source)
    if not widths:
        return None
    if isinstance(insert.this, exp.Schema):
        listed = len(insert.this.expressions)
        given = next((width for width in widths if width != listed), None)
        if given is None:
            return None
        if isinstance(source, exp.Values):
            code, words = (109, "There are more columns in the INSERT statement than values specified in the VALUES "
                           "clause") if listed > given else (110, "There are fewer columns in the INSERT statement than "
                                                             "values specified in the VALUES clause")
        else:
            code, words = (120, "fewer") if given < listed else (121, "more")
            words = f"The select list for the INSERT statement contains {words} items than the insert list"
        return Hit(query.span_of(insert.this),
                   f"The INSERT names {plural(listed, 'column')} and gives {plural(given, 'value')} a row: SQL Server "
                   f"refuses the statement before it reads a row (error {code}, \"{words}\").", _FIX)
    made = fillable.get(inserted_into(insert) or "")
    given = next((width for width in widths if made and width != made[0]), None)
    if made is None or given is None:
        return None
    return Hit(query.span_of(insert.this),
               f"{inserted_into(insert)} is made on line {made[1]} with {plural(made[0], 'column')} to fill, and this "
               f"INSERT gives {plural(given, 'value')} a row: SQL Server refuses the statement before it reads a row "
               "(error 213, \"Column name or number of supplied values does not match table definition\").", _FIX)


def _widths(source: exp.Expression | None) -> list[int]:
    """How many values each row of an INSERT's source has: a VALUES row's, or the SELECT's (its
    first arm's); none where a star makes it unknown, or the rows come from EXEC."""
    if isinstance(source, exp.Values):
        return sorted({len(row.expressions) for row in source.expressions if isinstance(row, exp.Tuple)})
    source = first_select(source.unnest() if isinstance(source, exp.Subquery) else source)
    if not isinstance(source, exp.Select) or any(is_star(item) for item in source.expressions):
        return []
    return [len(source.expressions)]
