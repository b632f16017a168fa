"""A PRIMARY KEY added with ALTER TABLE to a column that allows NULL: SQL Server refuses it
(error 8111), and the script goes on without the key."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import AddedKey
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.positions import text_bounds
from advisor.words import names

# Once a script sets either, a column declared without NULL or NOT NULL is NOT NULL
_NOT_NULL_BY_DEFAULT = re.compile(r"\bSET\s+(?:ANSI_NULL_DFLT_ON\s+OFF|ANSI_NULL_DFLT_OFF\s+ON)\b", re.IGNORECASE)
_NULL = re.compile(r"\s+NULL\b", re.IGNORECASE)  # written to say a column allows NULL, which the fix replaces
# Constraints that make a column NOT NULL whatever the default: IDENTITY, and a key of its own
_NEVER_NULL = (exp.GeneratedAsIdentityColumnConstraint, exp.PrimaryKeyColumnConstraint)


@file_rule("CL025")
def primary_key_on_nullable_column(context: FileContext) -> Iterator[Hit]:
    text = context.script.lines.text
    nulls_by_default: bool | None = None  # searched for in the scripts that add a key, not in every file
    for query in context.queries:
        added = query.added_key
        if added is None or added.kind != "PRIMARY KEY" or added.made is None or added.made.declared is None:
            continue
        if nulls_by_default is None:
            nulls_by_default = _NOT_NULL_BY_DEFAULT.search(text) is None
        keyed = {name.lower() for kind, columns in added.made.keys if kind == "PRIMARY KEY" for name in columns}
        nullable = [(name, at, column) for name, at in zip(added.columns, added.written_at)
                    if name.lower() not in keyed and (column := _declared(added, name)) is not None
                    and _allows_null(column, nulls_by_default)]
        if not nullable:
            continue
        name, start, _ = nullable[0]
        written = len(name) + 2 if text.startswith("[", start) else len(name)  # [personID]
        table = added.made.name
        declarations = [_written(column, text) for _, _, column in nullable]
        one = len(nullable) == 1
        yield Hit(
            query.lines.span(start, start + written),
            f"{names([f'{table}.{column.name}' for _, _, column in nullable])} {'allows' if one else 'allow'} NULL: line "
            f"{added.made.line} makes {'it' if one else 'them'} {names(declarations)}, with no NOT NULL, and SQL Server "
            "refuses a PRIMARY KEY on a column that allows NULL. This ALTER TABLE stops with error 8111 (\"Cannot "
            "define PRIMARY KEY constraint on nullable column\"), and the script goes on without the key: its rows "
            "may repeat, and nothing seeks them by it.",
            f"Declare {'the column' if one else 'the columns'} NOT NULL where {table} is made, "
            f"{names([_NULL.sub('', d) + ' NOT NULL' for d in declarations])}; or make the key there, with PRIMARY KEY "
            f"({', '.join(added.columns)}) in its CREATE TABLE.",
            (table,),
        )


def _written(column: exp.ColumnDef, text: str) -> str:
    """A column's declaration as the script writes it, up to the comma or parenthesis that ends
    it: personID int, grade varchar(4) NULL."""
    bounds = text_bounds(column, text)
    if bounds is None:
        return column.name
    depth, end = 0, bounds[1]
    while end < len(text) and not (depth == 0 and text[end] in ",)"):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        end += 1
    return " ".join(text[bounds[0]:end].split())


def _declared(added: AddedKey, name: str) -> exp.ColumnDef | None:
    return next((column for column in added.made.declared if column.name.lower() == name.lower()), None)


def _allows_null(column: exp.ColumnDef, nulls_by_default: bool) -> bool:
    """Whether a column CREATE TABLE makes allows NULL: written NULL, or written with neither and
    the session's default (ANSI_NULL_DFLT_ON, which SSMS and SQL Server's ODBC and OLE DB drivers
    turn on)."""
    kinds = [constraint.args.get("kind") for constraint in column.args.get("constraints") or []]
    if any(isinstance(kind, (*_NEVER_NULL, exp.ComputedColumnConstraint)) for kind in kinds):
        return False
    said = next((kind for kind in kinds if isinstance(kind, exp.NotNullColumnConstraint)), None)
    return bool(said.args.get("allow_null")) if said is not None else nulls_by_default
