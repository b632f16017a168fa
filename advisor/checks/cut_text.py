"""CL017: text cut short without an error. A variable declared varchar with no length holds one
character; a string or a column longer than the variable it is put in loses its end; CAST(... AS
varchar) with no length is varchar(30); ISNULL cuts its second value to its first one's type
(ISNULL(e.grade, 'Unknown') is 'Unkn'); SUBSTRING(x, 0, 2), which starts before the first
character, gives one. SQL Server truncates all of them silently, where an INSERT into a table's
column would stop with an error (CL015)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.predicates import (
    CAST_TEXT_LENGTH,
    conversion_parts,
    string_text,
    text_length,
    whole_number,
)
from advisor.analysis.script import assignments, declared
from advisor.catalog.model import type_parts
from advisor.checks.comparisons import known
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.variables import variable_place
from advisor.frontend.parse import Script, Statement
from advisor.frontend.positions import text_bounds
from advisor.words import plural

_TEXT_TYPES = {exp.DataType.Type.VARCHAR: "varchar", exp.DataType.Type.NVARCHAR: "nvarchar",
               exp.DataType.Type.CHAR: "char", exp.DataType.Type.NCHAR: "nchar"}
_UNBOUNDED = float("inf")


@file_rule("CL017")
def text_cut_short(context: FileContext) -> Iterator[Hit]:
    yield from _variables(context)
    for query in context.queries:
        refs = _refs(query)
        for converted in query.calls((exp.Cast, exp.Convert)):
            hit = _cast_without_length(query, converted, refs)
            if hit is not None:
                yield hit
        for cut in query.calls(exp.Substring):
            hit = _substring_before_the_start(query, cut)
            if hit is not None:
                yield hit
        for defaulted in query.calls(exp.Coalesce):
            if not defaulted.args.get("is_null"):
                continue
            hit = _isnull_cut(query, defaulted, refs, context.variable_types(query.statement))
            if hit is not None:
                yield hit


def _substring_before_the_start(query: m.Query, call: exp.Substring) -> Hit | None:
    """SUBSTRING(x, 0, 2): SQL Server counts a text's characters from 1 and gives those of the
    positions asked that exist, so a start before 1 gives fewer characters than the length."""
    first, count = whole_number(call.args.get("start")), whole_number(call.args.get("length"))
    if first is None or count is None or first >= 1 or count < 1:
        return None
    given = max(count + first - 1, 0)
    value = as_in_file(query, call.this)
    gets = f"{plural(given, 'character')}, not {count}" if given else f"no characters, not {count}"
    return Hit(
        query.span_of(call),
        f"{as_in_file(query, call)} starts before the first character: SQL Server counts from 1, and gives the characters "
        f"of positions {first} to {first + count - 1} that exist, so {gets}.",
        f"Start at 1: SUBSTRING({value}, 1, {count}), or LEFT({value}, {count}).",
    )


def _refs(query: m.Query | None) -> dict[int, m.ColumnRef]:
    return query.refs_by_node() if query is not None else {}


def _variables(context: FileContext) -> Iterator[Hit]:
    """Variables declared varchar with no length, and strings longer than a variable put in it."""
    script = context.script
    lengths: dict[str, tuple[float, str]] = {}  # each variable's length and its type as written, by lower-case name
    said: set[int] = set()  # the values a finding on a declaration with no length has named
    queries = {query.statement.index: query for query in context.queries}
    for statement in script.statements:
        for variable, item in declared(statement.tree):
            kind, default = item.args.get("kind"), item.args.get("default")
            written = _text_type(kind)
            if written is None or not isinstance(variable, exp.Parameter):
                continue
            length = _length(kind)
            shown = "max" if length == _UNBOUNDED else length or 1
            lengths[variable.name.lower()] = (length or 1, f"{written}({shown})")
            if length is None and written in ("varchar", "nvarchar"):
                said.add(id(default.unnest()) if isinstance(default, exp.Expression) else 0)
                yield _no_length(script, statement, variable, written, default)
        query = queries.get(statement.index)
        for variable, value in assignments(statement.tree):
            held = lengths.get(variable.name.lower())
            value = value.unnest()
            longest = most_characters(value, _refs(query)) if held is not None and id(value) not in said else None
            if longest is not None and longest > held[0]:
                yield _longer(script, statement, query, variable, value, longest, *held)


def _no_length(script: Script, statement: Statement, variable: exp.Parameter, written: str,
               default: exp.Expression | None) -> Hit:
    value = default.unnest() if isinstance(default, exp.Expression) else None
    long = string_text(value) is not None and len(value.this) > 1
    kept = f", so {value.sql('tsql')} is kept as '{value.this[:1]}'" if long else ""
    size = f"{written}({len(value.this)})" if long else f"{written}(50), or the length of the column it stands for"
    return Hit(
        variable_place(script, statement, variable.name),
        f"@{variable.name} is declared {written} with no length, which a DECLARE takes as {written}(1): it holds one "
        f"character{kept}, without an error.",
        f"Give it the length of the longest value it holds: {size}.",
    )


def _longer(script: Script, statement: Statement, query: m.Query | None, variable: exp.Parameter,
            value: exp.Expression, longest: float, length: float, written: str) -> Hit:
    bounds = text_bounds(value, script.lines.text)
    if isinstance(value, exp.Literal):
        said = (f"{value.sql('tsql')} is {plural(len(value.this), 'character')}: SQL Server keeps "
                f"'{value.this[:int(length)]}' without an error")
    else:
        how = _how_long(longest)
        returned = value.expressions[0].unalias() if isinstance(value, exp.Select) else value
        what = as_in_file(query, returned) if query is not None else returned.sql("tsql")
        whose = "the subquery's " if returned is not value else ""
        said = f"{whose}{what} {how}: SQL Server keeps the first {int(length)} of a longer value without an error"
    fitting = f"{written.split('(')[0]}({'max' if longest == _UNBOUNDED else int(longest)})"
    return Hit(
        script.lines.span(*bounds) if bounds else variable_place(script, statement, variable.name),
        f"@{variable.name} is {written}, and {said}.",
        f"Declare @{variable.name} as long as the longest value it holds: {fitting}.",
    )


def _cast_without_length(query: m.Query, converted: exp.Expression, refs: dict[int, m.ColumnRef]) -> Hit | None:
    """CAST(x AS varchar) of a value that can be longer than 30 characters."""
    kind, value = conversion_parts(converted)
    written = _text_type(kind)
    if written is None or _length(kind) is not None or not isinstance(value, exp.Expression):
        return None
    longest = most_characters(value, refs)
    if longest is None or longest <= CAST_TEXT_LENGTH:
        return None
    how = _how_long(longest)
    fitting = f"{written}(max)" if longest == _UNBOUNDED else f"{written}({int(longest)})"
    function = "CAST" if isinstance(converted, exp.Cast) else "CONVERT"
    return Hit(
        query.span_of(converted),
        f"{function} to {written} with no length gives {written}({CAST_TEXT_LENGTH}): {as_in_file(query, value)} {how}, and SQL "
        f"Server cuts it at {CAST_TEXT_LENGTH} characters without an error.",
        f"Give the length: {fitting}.",
    )


def _isnull_cut(query: m.Query, isnull: exp.Coalesce, refs: dict[int, m.ColumnRef], variables: dict[str, str]) -> Hit | None:
    """ISNULL(e.grade, 'Unknown'): ISNULL gives the type of its first value, varchar(4), and cuts
    the second to it ('Unkn'); COALESCE takes the longer type."""
    first, second = isnull.this.unnest(), isnull.expressions[0].unnest() if isnull.expressions else None
    if isinstance(first, exp.Parameter):
        type_name = variables.get(first.name.lower())
    else:
        facts = known(refs[id(first)]) if isinstance(first, exp.Column) and id(first) in refs else None
        type_name = facts.column.type if facts is not None else None
    length = text_length(type_name) if type_name else None
    longest = most_characters(second, refs) if length is not None and second is not None else None
    if longest is None or longest <= length:
        return None
    if isinstance(second, exp.Literal):
        said = f"{second.sql('tsql')} is {plural(len(second.this), 'character')}, and SQL Server keeps '{second.this[:int(length)]}'"
    else:
        how = _how_long(longest)
        said = f"{as_in_file(query, second)} {how}, and SQL Server keeps its first {int(length)}"
    written_first, written_second = as_in_file(query, first), as_in_file(query, second)
    return Hit(
        query.span_of(isnull),
        f"ISNULL gives the type of its first value, {written_first}'s {type_name}: {said} without an error.",
        f"Use COALESCE({written_first}, {written_second}), which takes the longer of the two types.",
    )


def _how_long(longest: float) -> str:
    return "can be longer" if longest == _UNBOUNDED else f"can be up to {plural(int(longest), 'character')}"


def most_characters(node: exp.Expression, refs: dict[int, m.ColumnRef]) -> float | None:
    """The most characters a text value can have: a string written in the query, a text column of
    the catalog, text joined with + or CONCAT, ISNULL or COALESCE of such; None where it is not
    known to be text. The parts joined are summed from a plain stack: 'a' + 'b' + ... nests as deep
    as it is long."""
    total, stack = 0.0, [node]
    while stack:
        part = stack.pop().unnest()
        if isinstance(part, (exp.Add, exp.DPipe)):
            stack += [part.this, part.expression]
        elif isinstance(part, exp.Concat):
            stack += part.expressions
        elif (length := _longest_part(part, refs)) is not None:
            total += length
        else:
            return None
    return total


def _longest_part(node: exp.Expression, refs: dict[int, m.ColumnRef]) -> float | None:
    if string_text(node) is not None:
        return len(node.this)
    if isinstance(node, exp.Column):
        facts = known(refs[id(node)]) if id(node) in refs else None
        return text_length(facts.column.type) if facts is not None else None
    if isinstance(node, exp.Coalesce) and node.args.get("is_null"):  # ISNULL: its first value's type, which cuts the second
        return most_characters(node.this, refs)
    if isinstance(node, exp.Coalesce):
        lengths = [most_characters(part, refs) for part in [node.this, *node.expressions]]
        return None if None in lengths else max(lengths)
    if isinstance(node, exp.Select) and len(node.expressions) == 1:  # (SELECT TOP 1 i.lastName FROM ...)
        return most_characters(node.expressions[0].unalias(), refs)
    if isinstance(node, (exp.Cast, exp.Convert)):  # no longer than the type it is converted to
        kind, value = conversion_parts(node)
        if _text_type(kind) is None:
            return None
        inner = most_characters(value, refs)  # a number's or a date's text: its length depends on the value and the style
        return min(_length(kind) or CAST_TEXT_LENGTH, inner) if inner is not None else None
    if isinstance(node, (exp.Upper, exp.Lower, exp.Trim)):
        return most_characters(node.this, refs)
    cut = node.expression if isinstance(node, (exp.Left, exp.Right)) else node.args.get("length") if isinstance(
        node, exp.Substring) else None
    if isinstance(cut, exp.Literal) and not cut.is_string and cut.this.isdigit():  # LEFT(i.lastName, 5): at most 5
        inner = most_characters(node.this, refs)
        return min(int(cut.this), inner if inner is not None else _UNBOUNDED)
    return None


def _text_type(kind: exp.Expression | None) -> str | None:
    return _TEXT_TYPES.get(kind.this) if isinstance(kind, exp.DataType) else None


def _length(kind: exp.Expression | None) -> float | None:
    """The length a text type is written with (MAX: no end); None where it has none."""
    parts = type_parts(kind.sql("tsql")) if isinstance(kind, exp.DataType) else None
    if parts is None or parts[1] is None:
        return None
    return _UNBOUNDED if parts[1] == "max" else int(parts[1]) if parts[1].isdigit() else None
