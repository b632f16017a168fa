"""CL024: CAST(x AS char) or CONVERT(char, x) with no length is char(30), which pads a shorter value
with spaces to 30 characters. Comparisons ignore trailing spaces, so the padding goes unseen until
the value is joined to more text or returned: 'Grade ' + CAST(e.grade AS char) + ' only' puts 28
spaces in the middle, and an extract's column carries them to the file, as does the column of a
temp table that SELECT ... INTO makes from it, or a varchar column an INSERT fills with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import CAST_TEXT_LENGTH, conversion_parts, text_length
from advisor.checks.cut_text import most_characters
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file
from advisor.words import plural

_FIXED_WIDTH = {exp.DataType.Type.CHAR: "char", exp.DataType.Type.NCHAR: "nchar"}
_JOINED, _RETURNED = "joined", "returned"
_PASSING = (m.CTE, m.DERIVED)  # a query whose columns the statement reads on
_KEPT = {_JOINED: "the text it is joined to keeps them",
         _RETURNED: "the result's column keeps them, and so does a file extracted from it"}
_KEPT_IN = {  # a temp table's column that a statement reads
    _JOINED: "{table} keeps them in its column {column}, and the statement on line {line} joins it to more text",
    _RETURNED: "{table} keeps them in its column {column}, which the statement on line {line} returns, spaces and all",
}


@file_rule("CL024")
def padded_text(context: FileContext) -> Iterator[Hit]:
    for query in context.queries:
        yield from _padded_in(query)
    yield from _made_padded(context.queries)


def _padded_in(query: Query) -> Iterator[Hit]:
    """The statement's own padded values, joined to text or returned, where it is or through its
    CTEs and derived tables."""
    refs = None
    for converted in query.calls((exp.Cast, exp.Convert)):
        if _fixed_width(converted) is None:
            continue
        refs = query.refs_by_node() if refs is None else refs
        padded = _padding_of(converted, refs)
        shown = _shown(query, converted, refs, set()) if padded is not None else None
        if shown is not None:
            yield _padded(query, converted, *padded, _KEPT[shown])


def _padding_of(converted: exp.Expression,
                refs: dict[int, m.ColumnRef]) -> tuple[str, exp.Expression, float | None] | None:
    """A CAST or CONVERT to char or nchar with no length that pads its value: the type written, the
    value, and its most characters where known. None for another type; for NULL, which stays
    NULL; and for a value as long as char(30), which has no padding, or longer, which is cut
    (CL017's)."""
    fixed = _fixed_width(converted)
    if fixed is None:
        return None
    longest = most_characters(fixed[1], refs)
    return None if longest is not None and longest >= CAST_TEXT_LENGTH else (*fixed, longest)


def _fixed_width(converted: exp.Expression) -> tuple[str, exp.Expression] | None:
    """char or nchar with no length, and the value converted."""
    kind, value = conversion_parts(converted)
    written = _FIXED_WIDTH.get(kind.this) if isinstance(kind, exp.DataType) else None
    if written is None or kind.expressions or not isinstance(value, exp.Expression) or isinstance(value, exp.Null):
        return None
    return written, value


def _shown(query: Query, value: exp.Expression, refs: dict[int, m.ColumnRef], seen: set[int]) -> str | None:
    """Whether the padded value is joined to more text or returned as a column of the result,
    where it is or through the CTEs and derived tables that pass it on; None where its spaces are
    dropped or ignored (a comparison, RTRIM, LEN)."""
    node, parent = value, value.parent
    while isinstance(parent, exp.Paren):
        node, parent = parent, parent.parent
    if isinstance(parent, (exp.Add, exp.DPipe, exp.Concat)):
        return _JOINED
    if isinstance(parent, exp.Alias):
        node, parent = parent, parent.parent
    if not isinstance(parent, exp.Select):
        return None
    at = next((at for at, item in enumerate(parent.expressions) if item is node), None)
    if at is None:
        return None
    return _RETURNED if _returned(query, parent) else _passed_on(query, parent, at, refs, seen)


def _passed_on(query: Query, select: exp.Select, column: int | str, refs: dict[int, m.ColumnRef],
               seen: set[int]) -> str | None:
    """How a column of a CTE's or derived table's SELECT, by its place in the SELECT list or by
    name, shows where the statement reads it. `seen` holds the relations followed, as a recursive
    CTE reads itself."""
    for relation in query.relations:
        arm = next((block for block in relation.inner if block.node is select), None)
        outer = _outer_name(relation, arm, column) if relation.kind in _PASSING and arm is not None else None
        if outer is None or id(relation) in seen:
            continue
        seen.add(id(relation))
        shown = _read_and_shown(query, relation, outer, refs, seen)
        if shown:
            return shown
    return None


def _read_and_shown(query: Query, relation: m.Relation, column: str, refs: dict[int, m.ColumnRef],
                    seen: set[int]) -> str | None:
    """How the statement shows a column of one of the relations it reads (lower-case name), where
    it reads it by name or in a star."""
    for ref in refs.values():
        if ref.relation is relation and ref.name.lower() == column and (shown := _shown(query, ref.node, refs, seen)):
            return shown
    for block in query.blocks:
        if isinstance(block.node, exp.Select) and any(relation in (p.star_of or ()) for p in block.projections):
            shown = _RETURNED if _returned(query, block.node) else _passed_on(query, block.node, column, refs, seen)
            if shown:
                return shown
    return None


def _outer_name(relation: m.Relation, arm: m.Block, column: int | str) -> str | None:
    """What the statement calls a column of one of the relation's SELECTs, in lower case: a
    UNION's columns take the first arm's names, and the alias's column list renames them. None
    where a star before it hides its place."""
    if isinstance(column, int):
        at = column if all(p.star_of is None for p in arm.projections[:column]) else None
    else:
        own = [name.lower() for name in arm.output_names()]
        at = own.index(column) if column in own else None
    names = relation.declared_columns or relation.inner[0].output_names()
    return names[at].lower() if at is not None and at < len(names) else None


def _returned(query: Query, select: exp.Select) -> bool:
    """A SELECT whose rows are the statement's result: the statement itself, or an arm of its UNION."""
    node = select
    while node is not query.statement.tree:
        if not isinstance(node.parent, (exp.SetOperation, exp.Subquery)):
            return False
        node = node.parent
    return query.returns_rows


def _made_padded(queries: list[Query]) -> Iterator[Hit]:
    """A padded column of a temp table that SELECT ... INTO made (char(30) in the table too) or an
    INSERT filled, or passed on from another such table, once a later statement returns it or
    joins it to text: reported where it is converted, once."""
    made: dict[int, dict[str, _Converted]] = {}  # each fill's padded columns, by the id of its SELECT
    reported: set[int] = set()
    for query in queries:
        refs = None
        for relation in query.relations:
            padded = _made_columns(queries, relation, made)
            if not padded:
                continue
            refs = query.refs_by_node() if refs is None else refs
            for column, converted in padded.items():
                if id(converted.node) in reported:
                    continue
                shown = _read_and_shown(query, relation, column, refs, set())
                if shown:
                    reported.add(id(converted.node))
                    where = _KEPT_IN[shown].format(table=relation.name, column=converted.column,
                                                   line=query.statement.span.line)
                    yield _padded(converted.maker, converted.node, converted.written, converted.value,
                                  converted.longest, where)


@dataclass(frozen=True, eq=False)
class _Converted:
    """A temp table's column that a SELECT ... INTO or an INSERT filled with a value converted to
    char or nchar with no length."""

    column: str  # as the table names it, with how much of the value it keeps where that is less than all
    maker: Query  # the statement that converts it
    node: exp.Expression
    written: str  # char or nchar
    value: exp.Expression
    longest: float | None


def _made_columns(queries: list[Query], relation: m.Relation,
                  made: dict[int, dict[str, _Converted]]) -> dict[str, _Converted]:
    """The padded columns of a temp table that a SELECT ... INTO made or an INSERT filled, by
    lower-case name: those it converts, and those it takes as they are from another such table
    (#g's grade in SELECT g.grade INTO #h FROM #g g)."""
    fill = relation.filled_by
    if fill is None:
        return {}
    if id(fill.block) in made:
        return made[id(fill.block)]
    made[id(fill.block)] = {}  # nothing yet, should the tables' fills lead back to this one
    maker = next((query for query in queries if any(block is fill.block for block in query.blocks)), None)
    refs = {id(ref.node): ref for ref in fill.block.column_refs()}
    found = {}
    for column, named, projection in _kept_with_spaces(relation, fill):
        converted = projection.node.unalias()
        ref = refs.get(id(converted)) if isinstance(converted, exp.Column) else None
        if ref is not None and ref.relation is not None:
            passed = _made_columns(queries, ref.relation, made).get(ref.name.lower())
            if passed is not None:
                found[column.lower()] = replace(passed, column=named)
            continue
        padded = _padding_of(converted, refs) if isinstance(converted, (exp.Cast, exp.Convert)) else None
        if maker is not None and padded is not None:
            found[column.lower()] = _Converted(named, maker, converted, *padded)
    made[id(fill.block)] = found
    return found


def _kept_with_spaces(relation: m.Relation, fill: m.Fill) -> list[tuple[str, str, m.Projection]]:
    """The table's columns that keep a padded value's spaces, each with its name as the finding
    gives it and the SELECT list item that fills it: every column a SELECT ... INTO makes (char(30)
    from a padded value); of a table the script declares and an INSERT fills, in order, the varchar
    and nvarchar columns, which store a value as it comes (one shorter than 30 characters keeps
    the spaces up to its length). A char column pads every value itself, CAST or not."""
    projections = fill.block.projections
    if fill.block.node.args.get("into"):
        return [(projection.name, projection.name, projection) for projection in projections]
    declared = {column.name.lower(): column for column in relation.made.declared or ()} if relation.made else {}
    kept = []
    for name, projection in zip(fill.columns, projections):
        kind = declared[name].args.get("kind") if name in declared else None
        written = kind.sql("tsql").lower() if isinstance(kind, exp.DataType) and kind.this not in _FIXED_WIDTH else None
        held = text_length(written) if written is not None else None
        if held is not None:
            column = declared[name].name
            named = column if held >= CAST_TEXT_LENGTH else f"{column} ({written}: up to {held:.0f} characters)"
            kept.append((column, named, projection))
    return kept


def _padded(query: Query, converted: exp.Expression, written: str, value: exp.Expression, longest: float | None,
            where: str) -> Hit:
    function, what = "CAST" if isinstance(converted, exp.Cast) else "CONVERT", as_in_file(query, value)
    padding, fitting, rewritten = _padding(function, written, what, longest)
    return Hit(
        query.span_of(converted),
        f"{as_in_file(query, converted)} is {written}({CAST_TEXT_LENGTH}), as {function} reads {written} with no length: "
        f"SQL Server pads {padding}, and {where}.",
        f"Convert to {fitting}, which adds no spaces: {rewritten}; or give {written} the width meant, where a fixed "
        "width is wanted.",
    )


def _padding(function: str, written: str, what: str, longest: float | None) -> tuple[str, str, str]:
    """How SQL Server pads the value, the type that keeps it as it is, and the conversion to it."""
    national = "" if written == "char" else "n"
    if longest is None:
        padding, fitting = "a shorter value with spaces to 30 characters", f"{national}varchar({CAST_TEXT_LENGTH})"
    else:
        spaces = plural(CAST_TEXT_LENGTH - int(longest), "space")
        padding = (f"{what}, at most {plural(int(longest), 'character')}, with spaces to 30 characters (at least "
                   f"{spaces})")
        fitting = f"{national}varchar({max(int(longest), 1)})"
    return padding, fitting, f"CAST({what} AS {fitting})" if function == "CAST" else f"CONVERT({fitting}, {what})"
