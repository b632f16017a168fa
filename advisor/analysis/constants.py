"""Variables that hold one constant: set to it once, by a DECLARE @start date = '2025-08-20' (or a
SET) that runs once, and by no other statement that may set them. A date bound or a recursive
CTE's count reads them as the values they are: `a.date >= @start` keeps what `a.date >=
'2025-08-20'` keeps. Set inside an IF or its ELSE, a variable holds the constant in the rest of
that branch only: elsewhere the branch may not have run, and the variable is NULL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlglot import exp

from advisor.analysis.endless import changes
from advisor.analysis.predicates import (
    INTEGER_RANGES,
    becomes,
    conversion,
    holds_number,
    string_text,
    text_length,
    type_family,
    type_name,
)
from advisor.analysis.script import assignments, declared_types
from advisor.analysis.unset_variables import MENTION
from advisor.frontend.parse import Script

# Where a statement may run no times or many, and what runs after it may not have run it: its
# value is not the one value the variable holds (an IF's branch is followed: Fixed.branches)
_NOT_ONCE = frozenset({"WHILE", "CATCH", "EXEC"})


@dataclass(frozen=True)
class Fixed:
    """The one constant a variable holds, from the statement that sets it on."""

    index: int  # the statement that sets it
    value: exp.Expression  # as the variable holds it
    branches: tuple[tuple[int, str], ...]  # the IF branches that statement is in (if_branches): it holds only there

    def holds_at(self, index: int, branches: tuple[tuple[int, str], ...]) -> bool:
        """Whether the variable holds the constant when the statement at `index`, in `branches`, runs."""
        return self.index < index and branches[:len(self.branches)] == self.branches


def fixed_values(script: Script, branches: dict[int, tuple[tuple[int, str], ...]]) -> dict[str, Fixed]:
    """Each such variable, by lower-case name without its @: the statement that sets it, and the
    constant as the variable holds it (a literal, or one converted: CAST('2025-08-20' AS date);
    '9' given to an int is 9, and 9 given to a varchar '9'). `branches`: the IF branches of each
    statement, by index (if_branches)."""
    found: dict[str, Fixed] = {}
    types: dict[str, str] = {}
    for statement in script.statements:
        if statement.keyword == "DECLARE":
            types.update(declared_types([statement]))
        if statement.keyword in ("DECLARE", "SET") and statement.understood and _NOT_ONCE.isdisjoint(statement.enclosing):
            for variable, value in assignments(statement.tree):
                name = variable.name.lower()
                value = _as_held(value, types.get(name)) if _constant(value) else None
                if value is not None:
                    found.setdefault(name, Fixed(statement.index, value, branches.get(statement.index, ())))
    if not found:
        return found  # most scripts: nothing to look for
    for statement in script.statements:
        for name in {mention.lower() for mention in MENTION.findall(script.code, statement.span.start, statement.span.end)}:
            setter = found.get(name)
            if setter is not None and setter.index != statement.index and (
                    not statement.understood or changes(script, statement, name)):
                del found[name]  # set elsewhere too, or maybe: an unread statement may set it
    return found


def held(value: exp.Expression, constants: dict[str, exp.Expression]) -> exp.Expression:
    """The constant a variable of `constants` holds, or the value as it is."""
    if isinstance(value, exp.Parameter) and value.name.lower() in constants:
        return constants[value.name.lower()]
    return value


def _as_held(value: exp.Expression, sql_type: str | None) -> exp.Expression | None:
    """A constant as a variable of the type holds it: text cut to a text type's length ('Sm%' in
    a char(2) is 'Sm'), a number made text by a text type, N'All' made plain text by a type that is
    not Unicode, text made a number by a number type, a bit 1 for any number but 0. None where the DECLARE or SET stops the script instead (text that
    is no number of the type or no day, a number past its range, a number given to a date type:
    PR026, CL027) or makes a day of a number (a datetime given 2026 holds 20 July 1905)."""
    literal, family = value.unnest(), type_family(sql_type or "")
    written = string_text(literal)  # 'All' or N'All'; None for a number
    if not isinstance(literal, (exp.Literal, exp.National)) or sql_type is None:
        return value
    if family == "text":
        length = text_length(sql_type)
        kept = literal.this if length is None or length == math.inf else literal.this[:int(length)]
        unicode = isinstance(literal, exp.National) and type_name(sql_type) in ("nvarchar", "nchar", "ntext")
        return value if kept == written and (unicode or isinstance(literal, exp.Literal)) else exp.Literal.string(kept)
    if family == "date":
        return value if written is not None and becomes(written, sql_type) else None
    if family != "number":
        return value
    text = literal.this.strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if written is not None and not becomes(text, sql_type) or not holds_number(number, sql_type):
        return None
    name = type_name(sql_type)
    return exp.Literal.number(str(int(number != 0) if name == "bit" else int(number) if name in INTEGER_RANGES else number))


def _constant(value: exp.Expression) -> bool:
    value = value.unnest()
    converted = conversion(value)
    core = converted[1].unnest() if converted is not None and converted[1] is not None else value
    if isinstance(core, exp.Neg):
        core = core.this
    return isinstance(core, (exp.Literal, exp.National))
