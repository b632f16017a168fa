"""Values written where SQL Server needs a condition, and conditions where it needs a value.

SQL Server has no true and false values in columns or variables: WHERE e.noShow, HAVING
COUNT(*), CASE WHEN @all THEN ..., IF @debug stop the query ("An expression of non-boolean type
specified in a context where a condition is expected"). Other databases read a bit or a number as
a condition, and sqlglot reads them as they do; here the first such value is found, to be
reported where it is. The other way round, a condition given to a function (SUM(e.grade = '09'),
or s.calendarID (0 = @year OR ...) with its AND or WHERE left out) stops the query too.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from advisor.frontend.dialect import unwritten_select
from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree

_CONDITIONS = (exp.Predicate, exp.And, exp.Or, exp.Not, exp.Exists, exp.Escape, exp.Contains, exp.Boolean)
_FULL_TEXT = frozenset({"FREETEXT", "CONTAINS"})  # full-text predicates sqlglot may leave unnamed
# Functions that return NULL for what does not exist: IF OBJECT_ID('tempdb..#t') IS NOT NULL
_NULL_WHEN_MISSING = frozenset({"OBJECT_ID", "COL_LENGTH", "DB_ID", "SCHEMA_ID", "TYPE_ID", "INDEXPROPERTY"})


# The nodes that hold conditions: WHERE, HAVING, a join's ON, CASE WHEN and IIF, AND, OR and NOT.
_HOLDERS = (exp.Where, exp.Having, exp.Join, exp.If, exp.And, exp.Or, exp.Not)
# The comparisons of two values
COMPARED = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
# Conditions that no function takes as an argument, nor a SELECT list as an item; the functions
# sqlglot reads that do (IIF, CASE, AND, OR)
_GIVEN_CONDITIONS = (*COMPARED, exp.Like, exp.Between, exp.In, exp.Is, exp.And, exp.Or, exp.Not, exp.Exists)
_TAKING_CONDITIONS = (exp.If, exp.Case, exp.Connector)
# What the checks of the module look at, found by the caller in its one walk of the tree
LOOKED_AT = (*_HOLDERS, *_GIVEN_CONDITIONS)


def not_a_condition(holders: list[exp.Expression]) -> exp.Expression | None:
    """The first value written where SQL Server needs a condition, in these nodes of _HOLDERS'
    kinds (found by the caller, in the one walk of the tree it makes for its own checks too)."""
    return next((found for found in _places(holders) if found is not None and not is_condition(found)), None)


def value_for_condition(value: exp.Expression, text: str) -> WrongTree:
    """The error for a value written where a condition must be."""
    value = value.unnest()  # (@debug): the value is what the parentheses hold
    where = text_bounds(value, text)
    written = text[where[0] : where[1]] if where else f"@{value.name}" if isinstance(value, exp.Parameter) else "the value"
    compared = (f"{written} IS NOT NULL" if isinstance(value, exp.Func) and _called(value).upper() in _NULL_WHEN_MISSING
                else f"{written} = 1, {written} > 0")
    return WrongTree(f"{written} is a value, not a condition: SQL Server has no true or false values, so compare it "
                     f"({compared})", where)


def condition_as_value(nodes: list[exp.Expression], tokens: list[Token]) -> exp.Expression | None:
    """The first condition in these nodes given to a function as its argument, or written as an
    item of a SELECT list (SELECT e.grade > '08' AS upper) other than the one an IF's or a WHILE's
    condition is read as the column of (unwritten_select)."""
    for node in nodes:
        if isinstance(node, _GIVEN_CONDITIONS):
            holder = holder_of(node)
            if isinstance(holder, exp.Func) and not isinstance(holder, _TAKING_CONDITIONS):
                return node
            selecting = _select_listing(node, holder)
            if selecting is not None and not unwritten_select(selecting, tokens):
                return node
    return None


def _select_listing(condition: exp.Expression, holder: exp.Expression | None) -> exp.Select | None:
    """The SELECT whose list has the condition as an item, named or not. SELECT @total = ... sets
    a variable and SELECT 'Last Name' = ... names a column: neither is one."""
    if isinstance(holder, exp.Alias):
        holder = holder_of(holder)
    elif isinstance(condition, exp.EQ) and (isinstance(condition.this, exp.Parameter) or (
            isinstance(condition.this, exp.Literal) and condition.this.is_string)):
        return None
    return holder if isinstance(holder, exp.Select) else None


def condition_for_value(condition: exp.Expression, text: str) -> WrongTree:
    """The error for a condition given to a function or written as a SELECT list's item."""
    holder = holder_of(condition)
    where = text_bounds(condition, text)
    written = text[where[0] : where[1]] if where else "a condition"
    if not isinstance(holder, exp.Func):
        return WrongTree(f"{written} is a condition where the SELECT list takes a value: SQL Server has no true or false "
                         f"values and rejects it; write CASE WHEN {written} THEN 1 ELSE 0 END", where)
    return WrongTree(f"{written} is a condition where {_called(holder)}(...) takes a value: SQL Server has no true or false "
                     "values and rejects it; is an AND or a WHERE missing before the parenthesis, or CASE WHEN ... THEN 1 "
                     "ELSE 0 END meant?", where)


def _called(call: exp.Func) -> str:
    """The name of a function called: as written for one sqlglot does not know (the district's
    own), SQL Server's spelling for one it does."""
    return call.name if isinstance(call, exp.Anonymous) else call.sql_name()


def holder_of(node: exp.Expression) -> exp.Expression | None:
    """What holds a node, out of the parentheses around it."""
    holder = node.parent
    while isinstance(holder, exp.Paren):
        holder = holder.parent
    return holder


def _places(holders: list[exp.Expression]) -> Iterator[exp.Expression | None]:
    """What stands where a condition must."""
    for node in holders:
        if not isinstance(node, _HOLDERS):
            continue
        if isinstance(node, (exp.Where, exp.Having, exp.Not)):
            yield node.this
        elif isinstance(node, exp.Join):
            yield node.args.get("on")
        elif isinstance(node, exp.If):
            if not (isinstance(node.parent, exp.Case) and node.parent.this is not None):  # CASE x WHEN 'KG': a value
                yield node.this
        else:
            yield node.this
            yield node.expression


def is_condition(node: exp.Expression) -> bool:
    while isinstance(node, exp.Paren):
        node = node.this
    return (isinstance(node, _CONDITIONS) or (isinstance(node, exp.Anonymous) and node.name.upper() in _FULL_TEXT)
            or _updated_column(node))


def updates_as_calls(tokens: list[Token]) -> list[Token]:
    """A trigger's IF UPDATE(column), true where the statement changed the column: sqlglot takes
    UPDATE for the statement's keyword, so it is read here as the name of the function it is."""
    called = {at for at in range(len(tokens) - 1)
              if tokens[at].token_type == TokenType.UPDATE and tokens[at + 1].token_type == TokenType.L_PAREN}
    return [Token(TokenType.VAR, token.text, token.line, token.col, token.start, token.end) if at in called else token
            for at, token in enumerate(tokens)]


def _updated_column(node: exp.Expression) -> bool:
    """UPDATE(column), read as the call it is (updates_as_calls)."""
    return isinstance(node, exp.Anonymous) and node.name.upper() == "UPDATE"
