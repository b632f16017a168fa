"""CL023: text joined with + to a number or a date ('Year: ' + c.endYear, 'Entered ' + e.startDate).
In T-SQL + adds where either side is one: SQL Server makes the text a number or a date first,
and text that is not one stops the query at its first row (error 245, 8114 or 235 as the
number's type is; 241 for a date). Of the dates only datetime and smalldatetime add: SQL Server
rejects text + a date, datetime2 or datetimeoffset before it runs (error 402)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    WHOLE_NUMBER_CALLS,
    becomes,
    conversion_error,
    flatten,
    string_text,
    type_family,
    type_name,
)
from advisor.analysis.resolve import own_nodes
from advisor.checks.comparisons import known
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import as_in_file

# The date types + does not take at all
_NOT_ADDED = frozenset({"date", "datetime2", "datetimeoffset"})
# SQL Server's @@ functions that return a number
_SYSTEM_NUMBERS = frozenset({"rowcount", "error", "fetch_status", "trancount", "identity", "spid", "nestlevel",
                             "datefirst", "procid"})
# What + does with each, and how the fix makes the value text
_DOES = {"number": "adds", "date": "adds days"}
_AS_TEXT = {"number": "CAST({} AS varchar(20))", "date": "CONVERT(varchar(10), {}, 101)"}


@file_rule("CL023")
def text_plus_number(context: FileContext) -> Iterator[Hit]:
    for query in context.queries:
        span = query.statement.span
        if query.lines.text.find("+", span.start, span.end) >= 0:
            yield from _in_query(query, context.variable_types(query.statement))


def _in_query(query: Query, variables: dict[str, str]) -> Iterator[Hit]:
    clauses = [(clause.node, {id(ref.node): ref for ref in clause.columns})
               for block in query.user_blocks for clause in (*block.projections, *block.predicates)]
    tree = query.statement.tree
    # SET @message = 'Rows: ' + @count and PRINT 'Rows: ' + @@ROWCOUNT, which read no table
    if isinstance(tree, exp.Set) or query.statement.keyword == "PRINT":
        clauses.append((tree, {}))
    if isinstance(tree, exp.Update):  # the values its SET gives the columns
        refs = query.refs_by_node()
        clauses += [(assignment.expression, refs) for assignment in tree.expressions if isinstance(assignment, exp.EQ)]
    for top, refs in clauses:
        for node in own_nodes(top):
            if isinstance(node, exp.Add) and not isinstance(node.parent, exp.Add):  # each chain once, from its top
                hit = _added(query, node, refs, variables)
                if hit is not None:
                    yield hit


def _added(query: Query, chain: exp.Add, refs: dict[int, m.ColumnRef], variables: dict[str, str]) -> Hit | None:
    parts = flatten(chain, exp.Add, through_parentheses=False)
    families = [_family(part, refs, variables) for part in parts]
    kind = next((family for family in families if family in ("number", "date")), None)
    if kind is None:
        return None
    made = parts[families.index(kind)]
    written, value = as_in_file(query, chain), as_in_file(query, made, cut=False)
    fix = (f"Make the {kind} text first, {_AS_TEXT[kind].format(value)}, or join with CONCAT(...), which makes each "
           "value text (and a NULL an empty string).")
    sql_type = type_name(_declared_type(made, refs, variables))
    if kind == "date" and sql_type in _NOT_ADDED:
        if not any(family == "text" or string_text(part) is not None for part, family in zip(parts, families)):
            return None
        return Hit(query.span_of(chain),
                   f"{written} joins text to {value}, a {sql_type}, with +: + adds days only to a datetime or "
                   f"smalldatetime, so SQL Server rejects the statement before it runs with error 402 (\"The data types "
                   f"varchar and {sql_type} are incompatible in the add operator\").", fix)
    label = next((part for part in parts if (text := string_text(part)) is not None
                  and not becomes(text, sql_type or "int")), None)
    held = next((part for part, family in zip(parts, families) if family == "text" and isinstance(part, exp.Parameter)
                 and _refused(query.constants.get(part.name.lower()), sql_type)), None) if label is None else None
    column = next((part for part, family in zip(parts, families) if family == "text" and isinstance(part, exp.Column)),
                  None) if label is None and held is None else None
    if label is None and held is None and column is None:
        return None
    given = label if label is not None else query.constants.get(held.name.lower()) if held is not None else None
    # a count or @@ROWCOUNT, whose type is not declared, is an int
    error = conversion_error(sql_type or "int", text_type="nvarchar" if isinstance(given, exp.National) else "varchar")
    if label is not None or held is not None:
        stops = "the query stops at its first row" if _per_row(chain) else "the statement stops"
        refused = (as_in_file(query, label) if label is not None else
                   f"@{held.name}, which holds {query.constants[held.name.lower()].sql('tsql')},")
        fails, severity = f"{refused} is not one: {stops}", None
    else:
        fails, severity = f"the first {as_in_file(query, column, cut=False)} that is not one stops the query", "warning"
    return Hit(
        query.span_of(chain),
        f"{written} joins text to {value}, a {kind}, with +: where either side is a {kind}, + {_DOES[kind]}, so SQL "
        f"Server makes the text a {kind} first, and {fails} with {error}.",
        fix,
        severity=severity,
    )


def _per_row(chain: exp.Add) -> bool:
    """Whether the value is worked out for each row a statement reads, not once: a SET's or a
    SELECT's with no FROM is once, even where a subquery in it reads a table."""
    owner = chain.find_ancestor(exp.Select, exp.Update, exp.Delete)
    return isinstance(owner, (exp.Update, exp.Delete)) or (owner is not None and owner.args.get("from_") is not None)


def _refused(value: exp.Expression | None, sql_type: str) -> bool:
    """A string a variable holds (query.constants) that the number or date type refuses."""
    text = string_text(value)
    return text is not None and not becomes(text, sql_type or "int")


def _family(part: exp.Expression, refs: dict[int, m.ColumnRef], variables: dict[str, str]) -> str | None:
    """text, number or date, for a column of the catalog or a declared variable; number for a
    count, for a subquery of one count ('Rows: ' + (SELECT COUNT(*) FROM ...)), and for @@ROWCOUNT
    and its kind."""
    if isinstance(part, WHOLE_NUMBER_CALLS) or _counted(part):
        return "number"
    if isinstance(part, exp.Parameter) and isinstance(part.this, exp.Parameter):  # @@ROWCOUNT
        return "number" if part.this.name.lower() in _SYSTEM_NUMBERS else None
    return type_family(_declared_type(part, refs, variables))


def _counted(part: exp.Expression) -> bool:
    """A subquery of one count, (SELECT COUNT(*) FROM ...), which returns an int."""
    query = part.this if isinstance(part, exp.Subquery) else None
    return (isinstance(query, exp.Select) and len(query.expressions) == 1
            and isinstance(query.expressions[0].unalias(), WHOLE_NUMBER_CALLS))


def _declared_type(part: exp.Expression, refs: dict[int, m.ColumnRef], variables: dict[str, str]) -> str:
    """The type a variable is declared with, or a column of the catalog has; "" if not known."""
    if isinstance(part, exp.Parameter):
        return variables.get(part.name.lower(), "")
    facts = known(refs[id(part)]) if isinstance(part, exp.Column) and id(part) in refs else None
    return facts.column.type if facts is not None else ""
