"""SH040: a variable declared with no value, whose first assignment adds to it (SET @count =
@count + 1, SET @count += 1, SELECT @list = @list + ', ' + x.name): it starts as NULL, NULL plus
anything is NULL, and the count or list stays NULL however often the assignment runs."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.script import assignments, declared, declared_types
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.variables import variable_place
from advisor.frontend.parse import Script, Statement

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
        if statement.keyword in ("SET", "SELECT"):
            # each variable set and the value it is set to; SET @n += 1 keeps the value alone, its target aside
            values = {variable.name.lower(): value for variable, value in assignments(statement.tree)}
            for name in dict.fromkeys([*values, *statement.compound_targets]):
                if name in unset and (name in statement.compound_targets or _adds_to_itself(values[name], name)):
                    yield _hit(script, statement, unset[name], name, types.get(name, ""))
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


def _hit(script: Script, statement: Statement, declaration: Statement, name: str, type_name: str) -> Hit:
    text = type_name.startswith(_TEXT_TYPES)
    start = "''" if text else "0"
    return Hit(
        variable_place(script, statement, name),
        f"@{name} is declared on line {declaration.span.line} with no value, so it is NULL, and this first assignment "
        f"{'joins text to' if text else 'adds to'} it: NULL {'+ text' if text else 'plus a number'} is NULL, so @{name} "
        "stays NULL however often it runs, and what reads it gets NULL.",
        f"Give @{name} its starting value where it is declared: DECLARE @{name} {type_name or '...'} = {start}.",
    )
