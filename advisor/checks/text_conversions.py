"""CL016: a text column converted to a number or a date with CAST or CONVERT (CAST(e.grade AS
int)): the query stops at the first value that is not one, whatever the WHERE leaves out."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import conversion_error, type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("CL016")
def text_converted(query: Query, catalog: Catalog) -> Iterator[Hit]:
    conversions = [c for c in query.calls(exp.Cast) + query.calls(exp.Convert)
                   if not isinstance(c, exp.TryCast) and not c.args.get("safe")]
    if not conversions:
        return
    refs = {id(ref.node): ref for block in query.user_blocks for ref in block.column_refs()}
    for conversion in conversions:
        column, to = ((conversion.this, conversion.args.get("to")) if isinstance(conversion, exp.Cast)
                      else (conversion.expression, conversion.this))
        if not isinstance(column, exp.Column) or not isinstance(to, exp.DataType) or id(column) not in refs:
            continue
        # sqlglot writes decimal as numeric, its synonym, and int as integer
        target = to.sql("tsql").lower().replace("integer", "int").replace("numeric", "decimal")
        kind = type_family(target)
        facts = known(refs[id(column)])
        if kind not in ("number", "date") or facts is None or type_family(facts.column.type) != "text":
            continue
        if _tested_first(conversion, column):
            continue
        converted = as_in_file(query, column, cut=False)
        style = conversion.args.get("style") if isinstance(conversion, exp.Convert) else None
        safe = (f"TRY_CAST({converted} AS {target})" if isinstance(conversion, exp.Cast)
                else f"TRY_CONVERT({target}, {converted}{f', {style.sql()}' if style is not None else ''})")
        yield Hit(
            query.span_of(conversion),
            f"{as_in_file(query, conversion)} converts {facts.label} ({facts.column.type}) to {target}: the first "
            f"{column.name} that is not a {kind} stops the query with {conversion_error(target)}. A condition that "
            "leaves such rows out does not prevent it: SQL Server may convert a row before it filters it.",
            f"Convert with {safe} (SQL Server 2012 and later), which gives NULL for a value that is not a {kind}.",
            (facts.table.name,),
        )


def _tested_first(conversion: exp.Expression, column: exp.Column) -> bool:
    """Whether the conversion is in a branch of a CASE or IIF whose condition tests the same column:
    CASE evaluates its conditions before the branch, so the author has kept the text out."""
    written = column.sql("tsql").lower()
    child, node = conversion, conversion.parent
    while node is not None:
        if isinstance(node, exp.If) and child is not node.this:
            simple = isinstance(node.parent, exp.Case) and node.parent.this is not None
            if _reads(node.parent.this if simple else node.this, written):
                return True  # CASE e.grade WHEN '09' THEN CAST(e.grade AS int); IIF(e.grade = 'KG', 0, CAST(...))
        if isinstance(node, exp.Case) and child is node.args.get("default"):
            tests = [node.this] if node.this is not None else [branch.this for branch in node.args.get("ifs") or []]
            if any(_reads(test, written) for test in tests):
                return True  # CASE e.grade WHEN 'KG' THEN 0 ELSE CAST(e.grade AS int) END
        child, node = node, node.parent
    return False


def _reads(test: exp.Expression, written: str) -> bool:
    return any(column.sql("tsql").lower() == written for column in test.find_all(exp.Column))
