"""SH040: a variable declared with no value, whose first assignment adds to it (SET @count =
@count + 1, SET @count += 1, SELECT @list = @list + ', ' + x.name): it starts as NULL, NULL plus
anything is NULL, and the count or list stays NULL however often the assignment runs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.script import assignments, declared, declared_types
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.frontend.parse import Statement
from advisor.span import LineIndex

# SET @count += 1: sqladvise keeps only the value of a compound assignment, so its target is read here
_COMPOUND_SET = re.compile(r"SET\s+@([\w@#$]+)\s*[-+*/%&|^]=", re.IGNORECASE)
# The operators through which a NULL operand makes the whole value NULL
_NULL_THROUGH = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.DPipe, exp.Paren, exp.Neg)
_TEXT_TYPES = ("char", "varchar", "nchar", "nvarchar", "text", "ntext")
# Statements that may set a variable some other way: FETCH ... INTO @x, EXEC ... @x OUTPUT, UPDATE ... SET @x = ...
_MAY_SET = frozenset({"FETCH", "EXEC", "EXECUTE", "UPDATE", "INSERT EXEC", "MERGE"})


@file_rule("SH040")
def total_of_null(context: FileContext) -> Iterator[Hit]:
    script = context.script
    code = script.code
    types = declared_types(script.statements)
    unset: dict[str, Statement] = {}  # lower-case names declared with no value and not yet assigned: their DECLARE
    batch = 0
    for statement in script.statements:
        if statement.nested:
            continue
        if script.batch_of(statement) != batch:  # a batch's variables end with it
            batch, unset = script.batch_of(statement), {}
        for variable, item in declared(statement.tree):
            if isinstance(variable, exp.Parameter) and isinstance(item.args.get("kind"), exp.DataType):
                name = variable.name.lower()
                if isinstance(item.args.get("default"), exp.Expression):
                    unset.pop(name, None)
                else:
                    unset[name] = statement
        compound = _COMPOUND_SET.match(code, statement.span.start, statement.span.end) if statement.keyword == "SET" else None
        # each variable set, and whether the value it is set to adds to its own (SELECT @list += x: a compound target)
        set_here = [(name, name in statement.compound_targets or _adds_to_itself(value, name))
                    for name, value in ((variable.name.lower(), value) for variable, value in assignments(statement.tree))
                    if statement.keyword in ("SET", "SELECT")]
        if compound is not None:
            set_here.append((compound.group(1).lower(), True))
        for name, adds in set_here:
            if name in unset and adds:
                yield _hit(statement, unset[name], name, types.get(name, ""), script.lines)
            unset.pop(name, None)
        if statement.keyword in _MAY_SET:
            mentioned = code[statement.span.start : statement.span.end].lower()
            for name in [name for name in unset if f"@{name}" in mentioned]:
                del unset[name]


def _adds_to_itself(value: exp.Expression, name: str) -> bool:
    """Whether the value reads the variable where a NULL makes the whole value NULL: @count + 1,
    @list + ', ' + x, not ISNULL(@list + ', ', '') + x or CONCAT(@list, x)."""
    for variable in value.find_all(exp.Parameter):
        if variable.name.lower() != name:
            continue
        node = variable
        while node is not value and isinstance(node.parent, _NULL_THROUGH):
            node = node.parent
        if node is value:
            return True
    return False


def _hit(statement: Statement, declaration: Statement, name: str, type_name: str, lines: LineIndex) -> Hit:
    text = type_name.startswith(_TEXT_TYPES)
    start = "''" if text else "0"
    place = re.compile(rf"@{re.escape(name)}(?![\w@#$])", re.IGNORECASE).search(lines.text, statement.span.start,
                                                                                statement.span.end)
    return Hit(
        lines.span(place.start(), place.end()) if place is not None else statement.span,
        f"@{name} is declared on line {declaration.span.line} with no value, so it is NULL, and this first assignment "
        f"{'joins text to' if text else 'adds to'} it: NULL {'+ text' if text else 'plus a number'} is NULL, so @{name} "
        "stays NULL however often it runs, and what reads it gets NULL.",
        f"Give @{name} its starting value where it is declared: DECLARE @{name} {type_name or '...'} = {start}.",
    )
