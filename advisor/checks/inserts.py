"""CL012: an INSERT that gives a different number of values than the columns it fills: SQL Server
refuses the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.script import first_select, inserted_into
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.unions import is_star
from advisor.words import plural

_FIX = ("Give as many values as the columns the INSERT fills, in the same order; naming the columns "
        "(INSERT INTO #t (a, b) SELECT ...) makes a change to either side show.")


@statement_rule("CL012")
def insert_widths(query: Query, catalog: Catalog) -> Iterator[Hit]:
    insert = query.statement.tree
    if isinstance(insert, exp.Merge):
        yield from _merge_inserts(query, insert)
        return
    if not isinstance(insert, exp.Insert):
        return
    source = insert.expression
    widths = _widths(source)
    if not widths:
        return
    if isinstance(insert.this, exp.Schema):
        listed = len(insert.this.expressions)
        given = next((width for width in widths if width != listed), None)
        if given is None:
            return
        if isinstance(source, exp.Values):
            yield _unlike_values(query, insert.this, listed, given)
            return
        code, words = (120, "fewer") if given < listed else (121, "more")
        yield _unlike(query, insert.this, listed, given, code,
                      f"The select list for the INSERT statement contains {words} items than the insert list")
        return
    # a table SELECT ... INTO makes is not counted: a column it copies from an IDENTITY column
    # is an IDENTITY column too, which fills itself
    made = query.target
    if made is None or made.declared is None:
        return
    columns = len(made.to_fill)
    given = next((width for width in widths if width != columns), None)
    if given is not None:
        yield Hit(query.span_of(insert.this),
                  f"{inserted_into(insert)} is made on line {made.line} with {plural(columns, 'column')} to fill, and this "
                  f"INSERT gives {plural(given, 'value')} a row: SQL Server refuses the statement before it reads a row "
                  "(error 213, \"Column name or number of supplied values does not match table definition\").", _FIX)


def _merge_inserts(query: Query, merge: exp.Merge) -> Iterator[Hit]:
    """A MERGE's WHEN NOT MATCHED THEN INSERT (a, b) VALUES (...): a value for each column it names."""
    whens = merge.args.get("whens")
    for when in whens.expressions if whens is not None else []:
        insert = when.args.get("then")
        if isinstance(insert, exp.Insert) and isinstance(insert.this, exp.Tuple) and isinstance(insert.expression, exp.Tuple):
            listed, given = len(insert.this.expressions), len(insert.expression.expressions)
            if listed != given:
                yield _unlike_values(query, insert.this, listed, given)


def _unlike_values(query: Query, columns: exp.Expression, listed: int, given: int) -> Hit:
    """A VALUES row of another width than the column list: more columns (109) or fewer (110)."""
    if listed > given:
        return _unlike(query, columns, listed, given, 109,
                       "There are more columns in the INSERT statement than values specified in the VALUES clause")
    return _unlike(query, columns, listed, given, 110,
                   "There are fewer columns in the INSERT statement than values specified in the VALUES clause")


def _unlike(query: Query, columns: exp.Expression, listed: int, given: int, code: int, words: str) -> Hit:
    return Hit(query.span_of(columns),
               f"The INSERT names {plural(listed, 'column')} and gives {plural(given, 'value')} a row: SQL Server "
               f"refuses the statement before it reads a row (error {code}, \"{words}\").", _FIX)


def _widths(source: exp.Expression | None) -> list[int]:
    """How many values each row of an INSERT's source has: a VALUES row's, or the SELECT's (its
    first arm's); none where a star makes it unknown, or the rows come from EXEC."""
    if isinstance(source, exp.Values):
        return sorted({len(row.expressions) for row in source.expressions if isinstance(row, exp.Tuple)})
    source = first_select(source.unnest() if isinstance(source, exp.Subquery) else source)
    if not isinstance(source, exp.Select) or any(is_star(item) for item in source.expressions):
        return []
    return [len(source.expressions)]
