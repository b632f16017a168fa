"""PR027: a number or bit column compared with a blank, `a.excuseID = ''`. SQL Server turns the
blank into 0 to compare it, so the test finds the rows holding 0, not those without a value,
which hold NULL. Beside an IS NULL of the same column in an OR, the blank only adds the rows
holding 0: said as information. A decimal refuses the blank (PR026's); a date takes it as
1 January 1900 (PR019's)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import becomes, blank, type_family
from advisor.catalog.model import Catalog
from advisor.checks.blank_values import blank_hit
from advisor.checks.comparisons import conditions, known_columns, tested_and_values
from advisor.checks.registry import Hit, statement_rule


@statement_rule("PR027")
def blank_for_missing_number(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, (exp.EQ, exp.In)):
        node = compared.node
        tested, values = tested_and_values(node)
        blanks = [value for value in values if blank(value)]
        if not blanks or not isinstance(tested, exp.Column):
            continue
        facts = next(iter(known_columns(tested, compared.predicate)), None)
        if facts is None or type_family(facts.column.type) != "number" or not becomes("", facts.column.type):
            continue
        yield blank_hit(query, node, tested, blanks[0], facts, "number")
