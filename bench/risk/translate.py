"""District T-SQL to PostgreSQL, through sqlglot, for the bench database.

sqlglot does the dialect work; this module only makes the bench's conventions hold: every
name lower-case and quoted (PostgreSQL folds unquoted names, T-SQL does not care), table hints
dropped except NOEXPAND, which reads an indexed view's stored copy, variables replaced by what
the script gave them, and GETDATE() the bench's fixed today. Anything sqlglot cannot express in PostgreSQL raises
Untranslatable with its reason, so that no statement is changed silently.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

STORED_SUFFIX = "_noexpand"  # the materialized copy of an indexed view
# The bench's today: a Monday in the spring of the school year the sample queries name (they
# say endYear = 2026), so that GETDATE() finds this term, this week and yesterday in the data.
TODAY = "2026-03-16 10:00:00"


class Untranslatable(Exception):
    pass


def to_postgres(tree: exp.Expression, variables: dict[str, exp.Expression], stored_views: set[str]) -> str:
    tree = tree.copy()
    if (assignments := assigned(tree)) is not None:  # SELECT @a = x: run as SELECT x
        tree.set("expressions", [value.copy() for value in assignments.values()])
    for table in list(tree.find_all(exp.Table)):
        hints = [str(var.name).upper() for hint in table.args.get("hints") or [] for var in hint.expressions]
        table.set("hints", None)
        if "NOEXPAND" in hints and table.name.lower() in stored_views:
            table.set("this", exp.to_identifier(table.name + STORED_SUFFIX))
    tree = _substituted(tree, variables)
    for now in list(tree.find_all(exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentDatetime)):
        now.replace(exp.cast(exp.Literal.string(TODAY), "timestamp"))
    for identifier in tree.find_all(exp.Identifier):
        identifier.set("this", identifier.name.lower())
        identifier.set("quoted", True)
    try:
        return tree.sql(dialect="postgres", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        raise Untranslatable(str(error).splitlines()[0]) from None


def _substituted(tree: exp.Expression, variables: dict[str, exp.Expression]) -> exp.Expression:
    for parameter in list(tree.find_all(exp.Parameter)):
        name = parameter.name.lower()
        if name not in variables:
            raise Untranslatable(f"@{parameter.name} is given no value in the script (a parameter or table variable)")
        if parameter is tree:
            return variables[name].copy()
        parameter.replace(variables[name].copy())
    return tree


def declare(tree: exp.Expression, variables: dict[str, exp.Expression]) -> None:
    """Record what the statement gives variables, in terms of values already known."""
    for name, value in declared(tree).items():
        try:
            variables[name] = _substituted(value.copy(), variables)
        except Untranslatable:
            variables.pop(name, None)


def declared(tree: exp.Expression) -> dict[str, exp.Expression]:
    """What a DECLARE, SET or SELECT gives variables, as an expression that can stand in for
    them: DECLARE @year int = 2026, SET @today = CAST(GETDATE() AS date), and
    SELECT @year = endYear FROM SchoolYear WHERE active = 1 (a scalar subquery)."""
    found: dict[str, exp.Expression] = {}
    if isinstance(tree, exp.Declare):
        for item in tree.expressions:
            default = item.args.get("default")
            targets = item.this if isinstance(item.this, list) else [item.this]
            if default is not None:
                for target in targets:
                    found[target.name.lower()] = _standalone(default)
    elif isinstance(tree, exp.Set):
        for item in tree.expressions:
            assignment = item.this if isinstance(item, exp.SetItem) else item
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Parameter):
                found[assignment.this.name.lower()] = _standalone(assignment.expression)
    elif (assignments := assigned(tree)) is not None:
        for name, value in assignments.items():
            query = tree.copy()
            query.set("expressions", [value.copy()])
            found[name] = exp.Subquery(this=query)
    return found


def assigned(tree: exp.Expression) -> dict[str, exp.Expression] | None:
    """SELECT @a = x, @b = y FROM ...: the variables and what each is given; else None."""
    if not isinstance(tree, exp.Select) or not tree.expressions:
        return None
    pairs = [(e.this, e.expression) for e in tree.expressions if isinstance(e, exp.EQ)]
    if len(pairs) != len(tree.expressions) or not all(isinstance(target, exp.Parameter) for target, _ in pairs):
        return None
    return {target.name.lower(): value for target, value in pairs}


def _standalone(value: exp.Expression) -> exp.Expression:
    return value if isinstance(value, (exp.Literal, exp.Subquery, exp.Paren)) else exp.Paren(this=value)


def view_to_postgres(definition: str, stored_views: set[str]) -> tuple[str, str]:
    """A CREATE VIEW statement in PostgreSQL, and the view's query alone."""
    try:
        create = sqlglot.parse_one(definition, read="tsql")
    except SqlglotError as error:
        raise Untranslatable(str(error).splitlines()[0]) from None
    if not isinstance(create, exp.Create) or not isinstance(create.expression, exp.Query):
        raise Untranslatable("not a CREATE VIEW ... AS SELECT")
    create.set("properties", None)  # WITH SCHEMABINDING
    return to_postgres(create, {}, stored_views), to_postgres(create.expression, {}, stored_views)
