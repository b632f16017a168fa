"""The finding for a blank compared with a date or number column (PR019's e.endDate = '',
PR027's a.excuseID = ''): SQL Server turns the blank into a value of the column's type, and a
column without a value holds NULL."""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import null_tested_beside
from advisor.checks.comparisons import Known
from advisor.checks.registry import Hit
from advisor.checks.snippets import as_in_file

# For a date and a number: what the blank becomes, the rows that hold it, what a row without one lacks
_BECOMES = {"date": ("1 January 1900", "the rows dated that day", "date"),
            "number": ("0", "the rows holding 0", "value")}


def blank_hit(query: Query, node: exp.Expression, tested: exp.Expression, value: exp.Expression, facts: Known,
              kind: str) -> Hit:
    """`node` compares `tested`, a column of `kind` ("date" or "number"), with the blank `value`.
    Beside the column's IS NULL in an OR, the query finds what it means, and the blank only adds
    rows: information."""
    becomes, holding, lacked = _BECOMES[kind]
    column, written = as_in_file(query, tested), as_in_file(query, node)
    if null_tested_beside(node, tested):
        return Hit(query.span_of(value),
                   f"{value.sql('tsql')} is {becomes} to SQL Server beside {facts.label}: the IS NULL beside it finds "
                   f"the rows without a {lacked}, and {written} adds only {holding}.",
                   f"Drop {written}: {column} IS NULL finds the rows without a {lacked}.",
                   (facts.table.name,), severity="info")
    return Hit(query.span_of(value),
               f"{value.sql('tsql')} is no {kind}: SQL Server turns it into {becomes} to compare it with {facts.label}, "
               f"so in {written} it matches {holding}, not those without a {lacked}, which hold NULL; no error says so.",
               f"Test for the missing {lacked}: {column} IS NULL"
               + (", beside the list's other values with OR." if isinstance(node, exp.In) else "."),
               (facts.table.name,))
