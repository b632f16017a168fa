"""CL011: ISNULL(date_or_number, '') in a SELECT list, which returns 1900-01-01 or 0 for every NULL
instead of a blank (and stops the statement for a decimal); and ISNULL(date_or_number, 'N/A') or
CASE ... THEN 'N/A' ELSE date_or_number END (or IIF), whose text cannot become the column's type:
the first row that takes it stops the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    WHOLE_NUMBER_CALLS,
    WIDEST_INT,
    becomes,
    blank,
    conversion_error,
    string_text,
    type_family,
    unsigned_number,
)
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.checks.unions import is_star, set_operations, union_arms

# The types '' cannot become: SQL Server stops with "Error converting data type varchar to numeric"
_REFUSING = ("decimal", "numeric")


@statement_rule("CL011")
def blank_for_null(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for ref in (ref for projection in block.projections for ref in projection.columns):
            call = ref.node.parent
            if not isinstance(call, exp.Coalesce) or call.this is not ref.node:
                continue
            texts = [value for value in call.expressions if string_text(value) is not None]
            facts = known(ref) if texts else None
            family = type_family(facts.column.type) if facts is not None else None
            if family not in ("date", "number") or not facts.column.nullable:
                continue  # text takes the blank as it is; a column that is never NULL never gets it
            refused = next((value for value in texts if not blank(value) and not becomes(value.this, facts.column.type)),
                           None)
            if refused is not None:
                yield _refused(query, call, refused, facts.label, facts.column.type.lower(), family)
            elif any(blank(value) for value in texts):
                yield _hit(query, call, facts.label, facts.column.type.lower())
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for choice in projection.node.find_all(exp.Case, exp.If):
                hit = _text_among_values(query, choice, refs)
                if hit is not None:
                    yield hit
    yield from _text_in_union_columns(query)


def _results(choice: exp.Case | exp.If) -> list[exp.Expression]:
    """What a CASE or an IIF returns: each THEN's value and the ELSE's; IIF's second and third."""
    if isinstance(choice, exp.If):
        results = [choice.args.get("true"), choice.args.get("false")]
    else:
        results = [when.args.get("true") for when in choice.args.get("ifs") or []] + [choice.args.get("default")]
    return [result.unnest() for result in results if result is not None]


def _text_among_values(query: Query, choice: exp.Case | exp.If, refs: dict[int, m.ColumnRef]) -> Hit | None:
    """CASE WHEN ... THEN 'N/A' ELSE a.minutes END, THEN 'Senior' ELSE 0 END, or IIF(..., 'N/A',
    a.minutes): a CASE or an IIF returns the highest type among its results, the number or date,
    and the text cannot become it."""
    found = _text_refused(query, [(result, refs) for result in _results(choice)])
    if found is None:
        return None
    (value, whose, sql_type, objects), text = found
    name = "IIF" if isinstance(choice, exp.If) else "CASE"
    family = type_family(sql_type)
    return Hit(
        query.span_of(text),
        f"This {name} returns {whose}, the highest of its results' types, and {text.sql('tsql')} cannot become a {family}: "
        f"the first row that takes it stops the statement with {conversion_error(sql_type, text.sql('tsql'))}. It "
        "runs until such a row is read.",
        _made_text(query, value, sql_type, f"where the {name} returns it", "every result is text"),
        objects,
        "error",
    )


def _text_in_union_columns(query: Query) -> Iterator[Hit]:
    """SELECT 'Person ID' UNION ALL SELECT p.personID ...: a UNION's column takes the highest of its
    arms' types, and a header row's text cannot become the number or the date."""
    blocks = {id(block.node): block for block in query.user_blocks}
    for union in set_operations(query):
        if not isinstance(union, exp.Union) or isinstance(union.parent, exp.Union):
            continue  # judged from the outermost, which holds every arm
        arms = [blocks.get(id(arm)) for arm in union_arms(union)]
        if any(arm is None or not isinstance(arm.node, exp.Select) or any(map(is_star, arm.node.expressions))
               for arm in arms) or len({len(arm.node.expressions) for arm in arms}) != 1:
            continue  # a star's width is not known here; arms of other widths are CL010's
        refs = [{id(ref.node): ref for projection in arm.projections for ref in projection.columns} for arm in arms]
        for position in range(len(arms[0].node.expressions)):
            values = [arm.node.expressions[position].unalias().unnest() for arm in arms]
            found = _text_refused(query, list(zip(values, refs)))
            if found is not None:
                text_arm = next(arm for arm, value in zip(arms, values) if value is found[1])
                yield _text_in_union_column(query, found, text_arm, position)


def _text_in_union_column(query: Query, found: tuple[tuple[exp.Expression, str, str, tuple[str, ...]], exp.Literal],
                          text_arm: m.Block, position: int) -> Hit:
    (value, whose, sql_type, objects), text = found
    if text_arm.relations:
        when, after = "the first row that takes it stops the statement", " It runs until such a row is read."
    else:
        when, after = "its arm's row, which reads no table, stops the statement every time it runs,", ""
    return Hit(
        query.span_of(text),
        f"Column {position + 1} of this UNION returns {whose}, the highest of its arms' types, and {text.sql('tsql')} "
        f"cannot become a {type_family(sql_type)}: {when} with {conversion_error(sql_type, text.sql('tsql'))}.{after}",
        _made_text(query, value, sql_type, "in its arm", "every arm returns text in the column"),
        objects,
        "error",
    )


def _text_refused(query: Query, returned: list[tuple[exp.Expression, dict[int, m.ColumnRef]]]
                  ) -> tuple[tuple[exp.Expression, str, str, tuple[str, ...]], exp.Literal] | None:
    """Of values returned as one (a CASE's results, a UNION column's arms), each with the column
    references of its SELECT list: the first whose date or number type outranks text (`_typed`),
    and a string among them that cannot become it."""
    typed = next((found for value, refs in returned if (found := _typed(query, value, refs)) is not None), None)
    if typed is None:
        return None
    text = next((value for value, _ in returned if string_text(value) is not None
                 and not blank(value) and not becomes(value.this, typed[2])), None)
    return (typed, text) if text is not None else None


def _made_text(query: Query, value: exp.Expression, sql_type: str, where: str, so_that: str) -> str:
    """The fix: the number or date that outranks the text written as text `where` it is returned."""
    if isinstance(value, exp.Literal):
        return f"Write the number as text {where}, '{value.this}', so that {so_that}."
    as_text, shown = _as_text(as_in_file(query, value, cut=False), sql_type)
    return f"Turn the {type_family(sql_type)} into text {where}, {as_text}, so that {so_that}{shown}."


def _typed(query: Query, result: exp.Expression, refs: dict[int, m.ColumnRef]
           ) -> tuple[exp.Expression, str, str, tuple[str, ...]] | None:
    """A CASE result whose date or number type outranks text: a column of the catalog, a whole
    number written out or a count (an int). With how to name its type, the type, and its table."""
    if isinstance(result, exp.Column):
        facts = known(refs[id(result)]) if id(result) in refs else None
        if facts is None or type_family(facts.column.type) not in ("date", "number"):
            return None
        sql_type = facts.column.type.lower()
        return result, f"{facts.label}'s type, {sql_type}", sql_type, (facts.table.name,)
    number = unsigned_number(result)
    if number is not None and number <= WIDEST_INT:
        return result, f"the type of {result.this}, int", "int", ()
    if isinstance(result, WHOLE_NUMBER_CALLS):  # COUNT(*), DATEDIFF(...), LEN(...)
        return result, f"the type of {as_in_file(query, result)}, int", "int", ()
    return None


def _as_text(column: str, sql_type: str) -> tuple[str, str]:
    """The column turned into text, and what that text looks like where it needs saying."""
    if type_family(sql_type) == "date":
        return (f"CONVERT(varchar(10), {column}, 23)",
                "" if sql_type == "date" else " (yyyy-mm-dd; varchar(19) and style 120 keep the time)")
    return f"CAST({column} AS varchar(40))", ""


def _refused(query: Query, call: exp.Coalesce, text: exp.Literal, label: str, sql_type: str, family: str) -> Hit:
    written, column = as_in_file(query, call), as_in_file(query, call.this, cut=False)
    name = "ISNULL" if call.args.get("is_null") else "COALESCE"
    as_text, shown = _as_text(column, sql_type)
    return Hit(
        query.span_of(call),
        f"{written} returns {label}'s type, {sql_type}, not text, and {text.sql('tsql')} cannot become a {family}: the "
        f"first row without a value stops the statement with {conversion_error(sql_type, text.sql('tsql'))}. It runs "
        "until such a row is read.",
        f"Turn the value into text first: {name}({as_text}, {text.sql('tsql')}){shown}.",
        severity="error",
    )


def _hit(query: Query, call: exp.Coalesce, label: str, sql_type: str) -> Hit:
    written, column = as_in_file(query, call), as_in_file(query, call.this, cut=False)
    name = "ISNULL" if call.args.get("is_null") else "COALESCE"
    refused = sql_type.split("(")[0] in _REFUSING
    text, timed = _as_text(column, sql_type)
    if type_family(sql_type) == "date":
        result = f"the blank becomes the {sql_type} 1900-01-01, which every row without a date shows"
    elif refused:
        result = (f"the blank cannot become a {sql_type}: the first row without a value stops the statement with error "
                  "8114, \"Error converting data type varchar to numeric\"")
    else:
        result = f"the blank becomes the {sql_type} 0, which every row without a value shows"
    return Hit(
        query.span_of(call),
        f"{written} returns {label}'s type, not text: {result}.",
        f"Turn the value into text first, and the blank stays blank: {name}({text}, ''){timed}.",
        severity="error" if refused else None,
    )
