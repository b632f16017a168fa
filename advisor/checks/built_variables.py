"""Variables a SELECT sets from the rows it reads.

SH029: a variable built up over them, SELECT @list = @list + s.studentNumber + ',' FROM ...: SQL
Server does not promise to run the assignment once for each row, or in the ORDER BY's order, and
Microsoft's documentation says not to compute aggregates so.

SH031: a variable set from them when there can be more than one, SELECT @calendarID = c.calendarID
FROM Calendar c WHERE c.endYear = 2027: it keeps one row's value, which row unsaid, and the rest of
the script runs for that one calendar of many."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.keys import CannotTell, unpinned
from advisor.analysis.predicates import string_text, type_family
from advisor.analysis.script import assignments
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.single_values import how_many
from advisor.checks.variables import variable_place
from advisor.frontend.parse import Statement
from advisor.words import names


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
            if not _reads_itself(statement, variable, value) or value.find(exp.AggFunc):
                continue
            text = type_family(context.variable_types(statement).get(name.lower(), "")) == "text" or any(
                string_text(node) is not None for node in value.find_all(exp.Literal, exp.National))
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


@file_rule("SH031")
def variable_set_from_many_rows(context: FileContext) -> Iterator[Hit]:
    for query in context.queries:
        tree, statement = query.statement.tree, query.statement
        if not isinstance(tree, exp.Select) or tree.args.get("from_") is None or tree.args.get("order") is not None:
            continue  # with ORDER BY, the last row is meant: SH029 and SH027 speak of that
        assigned = [(variable, value) for variable, value in assignments(tree) if not _reads_itself(statement, variable, value)]
        block = next((block for block in query.blocks if block.node is tree), None)
        if not assigned or block is None or _one_row(block):
            continue
        try:
            many = unpinned(block, {})
        except CannotTell:
            continue
        if many is None:
            continue
        named = names([f"@{variable.name}" for variable, _ in assigned])
        yield Hit(
            variable_place(context.script, statement, assigned[0][0].name),
            f"This SELECT sets {named} from each row it reads, and it can read more than one: {how_many(many)}. "
            f"{named} {'keeps' if len(assigned) == 1 else 'keep'} one row's value, the last the plan happens to read, "
            "without an error: the rest of the script runs for that one row of many, and which one can change from one "
            "run to the next.",
            "Say which row: TOP 1 with an ORDER BY (the latest, the first in sequence), an aggregate (MAX(...)), or "
            "conditions that name one row; to use all of them, put them in a temp table or table variable and join it.",
        )


def _reads_itself(statement: Statement, variable: exp.Parameter, value: exp.Expression) -> bool:
    """SELECT @list = @list + ... or @total += ...: built up over the rows (SH029)."""
    name = variable.name.lower()
    return name in statement.compound_targets or any(node.name.lower() == name for node in value.find_all(exp.Parameter))


def _one_row(block: m.Block) -> bool:
    """TOP 1, an aggregate without GROUP BY, or a key that finds one row: the assignment runs once."""
    return block.top_rows == 1 or (block.grouped and block.node.args.get("group") is None) or block.reads_one_row()
