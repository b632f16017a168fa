"""A person's record with no end date is still open: a current enrollment, roster row,
relationship or assignment. A condition that its end date comes after now (e.endDate >=
GETDATE(), GETDATE() BETWEEN e.startDate AND e.endDate) leaves those out, as a comparison with
NULL is never true: PR011 says so, with the condition that keeps them."""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import conjuncts, conversion
from advisor.checks.comparisons import Compared, known_columns
from advisor.checks.snippets import as_in_file

KINDS = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)
_NOW = (exp.CurrentTimestamp, exp.CurrentTimestampLTZ)  # GETDATE(), SYSDATETIME(), CURRENT_TIMESTAMP...
_UTC_NOW = ("GETUTCDATE", "SYSUTCDATETIME")  # which sqlglot does not know
_END_FIRST = (exp.GT, exp.GTE)  # e.endDate >= GETDATE(); GETDATE() <= e.endDate the other way round


def is_moment(node: exp.Expression) -> bool:
    """GETDATE() and the like: this moment, to a fraction of a second."""
    return isinstance(node, _NOW) or (isinstance(node, exp.Anonymous) and node.name.upper() in _UTC_NOW)


def _now_or_today(node: exp.Expression) -> bool:
    """This moment, or its day: CAST(GETDATE() AS date)."""
    converted = conversion(node)
    return is_moment(converted[1] if converted is not None else node)


def open_rows_left_out(query: Query, compared: Compared) -> tuple[str, str, bool] | None:
    """What a condition that a person's record ends after now leaves out, and the condition that
    keeps the open records too; None for any other condition, or one that is not one of its
    clause's AND-ed parts (OR-ed with the IS NULL test, under a NOT or in a CASE)."""
    node = compared.node
    if not any(part is node for part in conjuncts(compared.predicate.node)):
        return None  # (e.endDate IS NULL OR e.endDate >= GETDATE()), NOT (...), a CASE: not one of the clause's ANDs
    if isinstance(node, exp.Between):
        now, end = node.this.unnest(), node.args["high"].unnest()
    else:
        end, now = (node.this, node.expression) if isinstance(node, _END_FIRST) else (node.expression, node.this)
        end, now = end.unnest(), now.unnest()
    if not _now_or_today(now) or not isinstance(end, exp.Column):
        return None
    facts = next(iter(known_columns(end, compared.predicate)), None)
    if facts is None or not (facts.column.nullable and facts.column.name.lower() == "enddate"
                             and "person" in facts.table.scope.values()):
        return None
    written, column = as_in_file(query, node), as_in_file(query, end)
    if isinstance(node, exp.Between):
        moment, start = as_in_file(query, now), as_in_file(query, node.args["low"])
        kept = f"{moment} >= {start} AND ({column} IS NULL OR {moment} <= {column})"
    else:
        kept = f"({column} IS NULL OR {written})"
    return (f"{written} leaves out the rows whose {column} is NULL, which in {facts.table.name} are the ones still "
            "open: a comparison with NULL is never true.",
            f"Write {kept} to keep the open ones.", False)
