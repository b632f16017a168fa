"""PR016: an SSRS report's multi-value parameter where one value stands. SSRS writes the values
picked into the query as a list, which only IN (...) takes: c.schoolID = @Schools becomes
c.schoolID = 12,14 once two schools are picked, and SQL Server stops the data set."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.predicates import COMPARISONS
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file


@file_rule("PR016")
def list_parameter_outside_in(context: FileContext) -> Iterator[Hit]:
    report = context.script.report
    if report is None or not any(report.lists):
        return
    for query in context.queries:
        number = report.data_set_at(query.statement.span.start)
        lists, said, tree = report.lists[number], set(), query.statement.tree
        for variable in tree.find_all(exp.Parameter) if lists and tree is not None else ():
            name = variable.name.lower()
            if name not in lists or name in said or isinstance(variable.parent, exp.Parameter) or _listed(variable):
                continue
            said.add(name)
            compared = variable.parent if isinstance(variable.parent, COMPARISONS) else None
            place = compared if compared is not None else variable
            fix = f"Use @{variable.name} only inside IN (@{variable.name})."
            if isinstance(compared, exp.EQ):  # c.schoolID = @Schools: the column's IN
                other = compared.expression if compared.this is variable else compared.this
                fix = f"Write {as_in_file(query, other)} IN (@{variable.name})."
            yield Hit(
                query.span_of(place),
                f"@{variable.name} is given a report parameter that takes several values: SSRS writes the values picked "
                f"into data set {report.names[number]}'s query as a list, which only IN (@{variable.name}) takes. "
                f"{as_in_file(query, place)} stops the data set with an error as soon as two values are picked (Select All picks "
                "every one).",
                f"{fix} Where one value is meant, make the report parameter single-valued (clear Allow multiple values).",
                (report.names[number],),
            )


def _listed(variable: exp.Parameter) -> bool:
    """Whether the variable is one of the values of an IN list: x IN (@Schools, 0)."""
    parent = variable.parent
    return isinstance(parent, exp.In) and any(item is variable for item in parent.expressions)
