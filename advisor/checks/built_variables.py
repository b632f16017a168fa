"""SH029: a variable built up over the rows a SELECT reads, SELECT @list = @list + s.studentNumber
+ ',' FROM ...: SQL Server does not promise to run the assignment once for each row, or in the
ORDER BY's order, and Microsoft's documentation says not to compute aggregates so."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.predicates import type_family
from advisor.analysis.script import assignments
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.variables import variable_place


@file_rule("SH029")
def variable_built_over_rows(context: FileContext) -> Iterator[Hit]:
    script = context.script
    for query in context.queries:
        tree, statement = query.statement.tree, query.statement
        if not isinstance(tree, exp.Select) or tree.args.get("from_") is None:
            continue
        assigned = list(assignments(tree))
        block = next((block for block in query.blocks if block.node is tree), None)
        if not assigned or block is None or _one_row(block):
            continue
        for variable, value in assigned:
            name = variable.name
            place = variable_place(script, statement, name)
            adds = name.lower() in statement.compound_targets or any(
                isinstance(node, exp.Parameter) and node.name.lower() == name.lower() for node in value.find_all(exp.Parameter))
            if not adds or value.find(exp.AggFunc):
                continue
            text = type_family(context.variable_types.get(name.lower(), "")) == "text" or any(
                isinstance(node, exp.Literal) and node.is_string for node in value.find_all(exp.Literal))
            yield Hit(
                place,
                f"@{name} is built up over the rows this SELECT reads: SQL Server does not promise to run the assignment "
                "once for each row, nor in the ORDER BY's order, so "
                + ("the list can come back with values missing (with ORDER BY, at times only the last row's)."
                   if text else "the total can come back with rows missing."),
                (f"Build the list in one expression: SELECT @{name} = STRING_AGG(value, ',') WITHIN GROUP (ORDER BY "
                 "...) FROM ... on SQL Server 2017 and later; before, STUFF((SELECT ',' + value FROM ... ORDER BY ... FOR "
                 "XML PATH('')), 1, 1, '')." if text else
                 f"Compute it in one expression: SELECT @{name} = SUM(...) FROM ..."),
            )


def _one_row(block: m.Block) -> bool:
    """TOP 1, an aggregate without GROUP BY, or a key that finds one row: the assignment runs once."""
    return block.top_rows == 1 or (block.grouped and block.node.args.get("group") is None) or block.reads_one_row()
