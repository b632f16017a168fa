"""Variables a script declares without a value and never sets: each holds NULL wherever it is read,
so a comparison with one is never true (DECLARE @year int, its SET @year = 2027 deleted or
commented out, and WHERE c.endYear = @year returns nothing)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis.script import declared, declared_types
from advisor.frontend.parse import Script, Statement

# Every mention of a variable in the code, strings too: a variable named in SQL an EXEC runs,
# or in anything sqladvise does not read, may be set there
MENTION = re.compile(r"(?<![\w@#$])@([A-Za-z_#][\w@#$]*)")
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.Between, exp.In)
# Statements whose tree only reads variables: their queries, and an IF's or WHILE's condition
_READING = (exp.Select, exp.SetOperation, exp.Update, exp.Delete, exp.Insert, exp.Merge)
_CONDITIONS = ("IF", "WHILE")


@dataclass(frozen=True)
class Unset:
    """A variable nothing sets: the line that declares it, and its type."""

    line: int
    type_name: str


def unset_variables(script: Script) -> dict[str, Unset]:
    """The scalar variables, by lower-case name, that a DECLARE gives no value and that the file
    mentions nowhere else but as an operand of a comparison, in the same batch: nothing can set
    them. Any other mention (SET, SELECT @x =, FETCH INTO, an EXEC's OUTPUT, a string) may."""
    found: dict[str, tuple[Statement, Unset]] = {}
    declarations: Counter[str] = Counter()
    for statement in _read(script):
        for variable, item in declared(statement.tree):
            if not isinstance(variable, exp.Parameter):
                continue
            name, kind = variable.name.lower(), item.args.get("kind")
            declarations[name] += 1
            if isinstance(kind, exp.DataType) and not isinstance(item.args.get("default"), exp.Expression):
                found.setdefault(name, (statement, Unset(statement.span.line, declared_types([statement])[name])))
    if not found:
        return {}
    compared: Counter[str] = Counter()
    for statement in _read(script):
        if not isinstance(statement.tree, _READING) and statement.keyword not in _CONDITIONS:
            continue
        for variable in statement.tree.find_all(exp.Parameter):
            name = variable.name.lower()
            if name in found and _compared(variable, statement.tree) and script.batch_of(statement) == script.batch_of(found[name][0]):
                compared[name] += 1
    mentions = Counter(name.lower() for name in MENTION.findall(script.code))
    return {name: unset for name, (_, unset) in found.items()
            if compared[name] and mentions[name] == compared[name] + declarations[name]}


def _read(script: Script) -> list[Statement]:
    """The statements written in the file (not in an EXEC's string) that sqladvise read."""
    return [statement for statement in script.statements if statement.tree is not None and not statement.nested]


def _compared(variable: exp.Parameter, tree: exp.Expression) -> bool:
    """Whether a variable stands alone as an operand of a comparison, not set by it (SET @x = 1,
    SELECT @x = ..., UPDATE ... SET @x = ... read as =). An IF's or WHILE's `tree` is its
    condition, which sqlglot reads inside a SELECT: IF @x = 1 compares."""
    operand, parent = variable, variable.parent
    while isinstance(parent, exp.Paren):
        operand, parent = parent, parent.parent
    if not isinstance(parent, _COMPARISONS):
        return False
    assigned = (isinstance(parent, exp.EQ) and parent.this is operand and parent is not tree
                and isinstance(parent.parent, (exp.SetItem, exp.Select, exp.Update)))
    return not assigned
