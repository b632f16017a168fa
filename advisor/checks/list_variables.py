"""PR020: a variable that holds a list written as one string, '12,14,15', in IN (@list). IN
compares with each item of its own list, and @list is one item: the column is compared with the
whole string. A number column stops the statement, which cannot turn '12,14,15' into a number
(error 245); a text column matches no row. A report's multi-value parameter, which SSRS writes
into the query as a list, is PR016's."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import string_text, type_family
from advisor.analysis.script import assignments
from advisor.analysis.unset_variables import MENTION
from advisor.checks.comparisons import Known, conditions, known_columns
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file


@file_rule("PR020")
def list_in_one_string(context: FileContext) -> Iterator[Hit]:
    lists = _lists(context)
    if not lists:
        return
    for query in context.queries:
        for compared in conditions(query, (exp.In,)):
            node = compared.node
            for item in node.expressions:
                text = lists.get(item.name.lower()) if isinstance(item, exp.Parameter) else None
                facts = next(iter(known_columns(node.this, compared.predicate)), None) if text is not None else None
                if facts is not None:
                    yield _hit(query, node, item, text, facts)


def _lists(context: FileContext) -> dict[str, str]:
    """The variables, by lower-case name, that the file sets only to strings with a comma in them,
    each with the first such string."""
    found: dict[str, str] = {}
    other: set[str] = set()
    for statement in context.script.statements:
        for variable, value in assignments(statement.tree):
            name = variable.name.lower()
            if string_text(value) is not None and "," in value.this:
                found.setdefault(name, value.this)
            else:
                other.add(name)
        if statement.keyword in ("EXEC", "FETCH") or not statement.understood:  # may set any variable it names
            other.update(name.lower() for name in MENTION.findall(context.script.code, statement.span.start,
                                                                  statement.span.end))
    return {name: text for name, text in found.items() if name not in other}


def _hit(query: Query, node: exp.In, item: exp.Parameter, text: str, facts: Known) -> Hit:
    column = as_in_file(query, node.this)
    values = [value.strip() for value in text.split(",")]
    number = type_family(facts.column.type) == "number"
    split = "LTRIM(RTRIM(value))" if " " in text else "value"  # '09, 10' splits into '09' and ' 10'
    shown = ", ".join(values if number and all(v.isdigit() for v in values) else [f"'{v}'" for v in values])
    effect = (f"SQL Server turns the string into a number ({facts.column.type}) to compare it, and stops the statement (error 245, "
              f"\"Conversion failed when converting the varchar value '{text}' to data type {facts.column.type}\")"
              if number else "only a value that is the whole string matches, and the condition keeps no row")
    return Hit(
        query.span_of(node),
        f"@{item.name} holds '{text}', one string: IN compares {column} with each item of its own list, and "
        f"@{item.name} is one item, so {column} is compared with the whole string, not with each value in it: {effect}.",
        f"Split the string into its values: {column} IN (SELECT {split} FROM STRING_SPLIT(@{item.name}, ',')) (SQL "
        f"Server 2016 and later); or write the values: {column} IN ({shown}).",
        (facts.table.name,),
    )
