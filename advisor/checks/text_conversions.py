"""CL016: a text column converted to a number or a date with CAST or CONVERT (CAST(e.grade AS
int)): the query stops at the first value that is not one, whatever the WHERE leaves out."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import conversion_error, conversion_parts, type_family
from advisor.analysis.resolve import own_nodes
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

# A number written beside +, -, *, / or %: only then can a column be converted for arithmetic
_NUMBER_BESIDE = re.compile(r"[-+*/%]\s*\d|\d\s*[-+*/%]")
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
_TESTED, _ISNUMERIC_ONLY = "tested", "ISNUMERIC only"
# ISNUMERIC is true of currency signs, separators, exponents and lone signs: only money takes them all
_ISNUMERIC_HOLDS = ("money", "smallmoney")
_ISNUMERIC_PASSES = "'$', '1,000', '1e5', '.', '-', and for a whole number '1.5'"


@statement_rule("CL016")
def text_converted(query: Query, catalog: Catalog) -> Iterator[Hit]:
    conversions = [*_explicit(query), *_arithmetic(query)]
    if not conversions:
        return
    refs = {id(ref.node): ref for block in query.user_blocks for ref in block.column_refs()}
    for node, column, target, fix in conversions:
        facts = known(refs[id(column)]) if id(column) in refs else None
        kind = type_family(target)
        if kind not in ("number", "date") or facts is None or type_family(facts.column.type) != "text":
            continue
        guard = _tested_first(node, column)
        if guard == _TESTED or (guard == _ISNUMERIC_ONLY and target in _ISNUMERIC_HOLDS):
            continue
        how = "" if isinstance(node, (exp.Cast, exp.Convert)) else " (arithmetic with a number reads the text as a number)"
        why = (f"the branch is taken where ISNUMERIC({as_in_file(query, column)}) says the text is a number, but ISNUMERIC "
               f"is true of text that {target} cannot hold ({_ISNUMERIC_PASSES}), and such a value stops the query"
               if guard == _ISNUMERIC_ONLY else
               f"the first {column.name} that is not a {kind} stops the query")
        after = ("" if guard == _ISNUMERIC_ONLY else
                 " A condition that leaves such rows out does not prevent it: SQL Server may convert a row before it "
                 "filters it.")
        yield Hit(
            query.span_of(node),
            f"{as_in_file(query, node)} converts {facts.label} ({facts.column.type}) to {target}{how}: {why} with "
            f"{conversion_error(target)}.{after}",
            f"Convert with {fix} (SQL Server 2012 and later), which gives NULL for a value that is not a {kind}"
            + (", in place of the ISNUMERIC test." if guard == _ISNUMERIC_ONLY else "."),
            (facts.table.name,),
        )


def _explicit(query: Query) -> Iterator[tuple[exp.Expression, exp.Column, str, str]]:
    """Each CAST and CONVERT of a column (not TRY_CAST, TRY_CONVERT): the node, the column, the type
    it converts to and the conversion that gives NULL instead."""
    for conversion in query.calls((exp.Cast, exp.Convert)):
        if isinstance(conversion, exp.TryCast) or conversion.args.get("safe"):
            continue
        to, column = conversion_parts(conversion)
        if not isinstance(column, exp.Column) or not isinstance(to, exp.DataType):
            continue
        target = _type_name(to)
        converted = as_in_file(query, column, cut=False)
        style = conversion.args.get("style") if isinstance(conversion, exp.Convert) else None
        yield conversion, column, target, (
            f"TRY_CAST({converted} AS {target})" if isinstance(conversion, exp.Cast)
            else f"TRY_CONVERT({target}, {converted}{f', {style.sql()}' if style is not None else ''})")


def _arithmetic(query: Query) -> Iterator[tuple[exp.Expression, exp.Column, str, str]]:
    """Each column added to, subtracted from, multiplied or divided by a number written in the
    query (e.grade + 1): SQL Server converts the column to the number's type."""
    span = query.statement.span
    if not _NUMBER_BESIDE.search(query.lines.text, span.start, span.end):
        return
    for block in query.user_blocks:
        for clause in (*block.projections, *block.predicates):
            for node in own_nodes(clause.node):
                if not isinstance(node, _ARITHMETIC):
                    continue
                sides = (node.this.unnest(), node.expression.unnest())
                for column, number in (sides, sides[::-1]):
                    if isinstance(column, exp.Column) and isinstance(number, exp.Literal) and not number.is_string:
                        target = "int" if number.this.isdigit() else "decimal"
                        yield node, column, target, f"TRY_CAST({as_in_file(query, column, cut=False)} AS {target})"


def _type_name(to: exp.DataType) -> str:
    # sqlglot writes decimal as numeric, its synonym, and int as integer
    return to.sql("tsql").lower().replace("integer", "int").replace("numeric", "decimal")


def _tested_first(conversion: exp.Expression, column: exp.Column) -> str | None:
    """Whether the conversion is in a branch of a CASE or IIF whose condition tests the same column:
    CASE evaluates its conditions before the branch, so the author has kept the text out
    (_TESTED), unless the condition reads the column only through ISNUMERIC (_ISNUMERIC_ONLY)."""
    written = column.sql("tsql").lower()
    child, node = conversion, conversion.parent
    found = None
    while node is not None:
        tests: list[exp.Expression] = []
        if isinstance(node, exp.If) and child is not node.this:
            simple = isinstance(node.parent, exp.Case) and node.parent.this is not None
            tests = [node.parent.this if simple else node.this]  # CASE e.grade WHEN '09' THEN CAST(e.grade AS int)
        elif isinstance(node, exp.Case) and child is node.args.get("default"):
            tests = [node.this] if node.this is not None else [branch.this for branch in node.args.get("ifs") or []]
        for test in tests:  # CASE e.grade WHEN 'KG' THEN 0 ELSE CAST(e.grade AS int) END
            read = [c for c in test.find_all(exp.Column) if c.sql("tsql").lower() == written]
            if any(not _in_isnumeric(c, test) for c in read):
                return _TESTED
            found = _ISNUMERIC_ONLY if read else found
        child, node = node, node.parent
    return found


def _in_isnumeric(column: exp.Column, test: exp.Expression) -> bool:
    node = column.parent
    while node is not None and node is not test.parent:
        if isinstance(node, exp.Anonymous) and node.name.upper() == "ISNUMERIC":
            return True
        node = node.parent
    return False

