"""CL011: ISNULL(date_or_number, '') in a SELECT list, which returns 1900-01-01 or 0 for every NULL
instead of a blank (and stops the statement for a decimal); and ISNULL(date_or_number, 'N/A'),
whose text cannot become the column's type: the first row without a value stops the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import DAY_SPELLINGS, type_family, written_date
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# The types '' cannot become: SQL Server stops with "Error converting data type varchar to numeric"
_REFUSING = ("decimal", "numeric")


@statement_rule("CL011")
def blank_for_null(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for ref in (ref for projection in block.projections for ref in projection.columns):
            call = ref.node.parent
            if not isinstance(call, exp.Coalesce) or call.this is not ref.node:
                continue
            texts = [value for value in call.expressions if isinstance(value, exp.Literal) and value.is_string]
            facts = known(ref) if texts else None
            family = type_family(facts.column.type) if facts is not None else None
            if family not in ("date", "number") or not facts.column.nullable:
                continue  # text takes the blank as it is; a column that is never NULL never gets it
            refused = next((value for value in texts if not _blank(value) and not _becomes(value.this, family)), None)
            if refused is not None:
                yield _refused(query, call, refused, facts.label, facts.column.type.lower(), family)
            elif any(_blank(value) for value in texts):
                yield _hit(query, call, facts.label, facts.column.type.lower())


def _blank(value: exp.Expression) -> bool:
    return isinstance(value, exp.Literal) and value.is_string and not value.this.strip()


def _becomes(text: str, family: str) -> bool:
    """Whether SQL Server can turn this text into a number or a date: '0', '2099-12-31'."""
    if family == "date":
        return written_date(text.strip()[:10], DAY_SPELLINGS) is not None
    try:
        float(text)
    except ValueError:
        return False
    return True


def _as_text(column: str, sql_type: str) -> tuple[str, str]:
    """The column turned into text, and what that text looks like where it needs saying."""
    if type_family(sql_type) == "date":
        return (f"CONVERT(varchar(10), {column}, 23)",
                "" if sql_type == "date" else " (yyyy-mm-dd; varchar(19) and style 120 keep the time)")
    return f"CAST({column} AS varchar(40))", ""


def _refused(query: Query, call: exp.Coalesce, text: exp.Literal, label: str, sql_type: str, family: str) -> Hit:
    written, column = as_in_file(query, call), as_in_file(query, call.this, cut=False)
    name = "ISNULL" if call.args.get("is_null") else "COALESCE"
    error = ("241, \"Conversion failed when converting date and/or time from character string\"" if family == "date"
             else f"245, \"Conversion failed when converting the varchar value {text.sql('tsql')} to data type {sql_type}\"")
    as_text, shown = _as_text(column, sql_type)
    return Hit(
        query.span_of(call),
        f"{written} returns {label}'s type, {sql_type}, not text, and {text.sql('tsql')} cannot become a {family}: the "
        f"first row without a value stops the statement with error {error}. It runs until such a row is read.",
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
