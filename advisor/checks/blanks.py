"""CL011: ISNULL(date_or_number, '') in a SELECT list, which returns 1900-01-01 or 0 for every NULL
instead of a blank (and stops the statement for a decimal)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import type_family
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
            if not isinstance(call, exp.Coalesce) or call.this is not ref.node or not any(_blank(v) for v in call.expressions):
                continue
            facts = known(ref)
            family = type_family(facts.column.type) if facts is not None else None
            if family not in ("date", "number") or not facts.column.nullable:
                continue  # text takes the blank as it is; a column that is never NULL never gets it
            yield _hit(query, call, facts.label, facts.column.type.lower())


def _blank(value: exp.Expression) -> bool:
    return isinstance(value, exp.Literal) and value.is_string and not value.this.strip()


def _hit(query: Query, call: exp.Coalesce, label: str, sql_type: str) -> Hit:
    written, column = as_in_file(query, call), as_in_file(query, call.this, cut=False)
    name = "ISNULL" if call.args.get("is_null") else "COALESCE"
    refused = sql_type.split("(")[0] in _REFUSING
    timed = ""
    if type_family(sql_type) == "date":
        text = f"CONVERT(varchar(10), {column}, 23)"
        timed = "" if sql_type == "date" else " (yyyy-mm-dd; varchar(19) and style 120 keep the time)"
        result = f"the blank becomes the {sql_type} 1900-01-01, which every row without a date shows"
    elif refused:
        text = f"CAST({column} AS varchar(40))"
        result = (f"the blank cannot become a {sql_type}: the first row without a value stops the statement with error "
                  "8114, \"Error converting data type varchar to numeric\"")
    else:
        text = f"CAST({column} AS varchar(40))"
        result = f"the blank becomes the {sql_type} 0, which every row without a value shows"
    return Hit(
        query.span_of(call),
        f"{written} returns {label}'s type, not text: {result}.",
        f"Turn the value into text first, and the blank stays blank: {name}({text}, ''){timed}.",
        severity="error" if refused else None,
    )
