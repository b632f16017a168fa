"""CL021: a derived table, a CTE or a SELECT INTO whose columns are not each named once. What they
make is a table, and a table's columns need a name of their own: an unnamed value (COUNT(*) with
no AS) or two columns of one name (e.personID and p.personID, or e.* beside p.*) makes SQL Server
refuse the statement before it reads a row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names

_REFUSED = "SQL Server refuses the statement before it reads a row"


@dataclass(frozen=True)
class _Made:
    """A table a query makes: what it is called, and the errors SQL Server gives for an unnamed
    column and for a name given twice."""

    name: str
    block: m.Block
    unnamed: str
    repeated: str


@statement_rule("CL021")
def unnamed_or_repeated_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for made in _made_tables(query):
        columns = _columns(made.block)
        if columns is None:
            continue
        seen: dict[str, exp.Expression] = {}
        repeated: dict[tuple[int, int], tuple[exp.Expression, exp.Expression, list[str]]] = {}
        for at, (name, node) in enumerate(columns, start=1):
            if not name:
                written = as_in_file(query, node)
                yield Hit(
                    query.span_of(node),
                    f"Column {at} of {made.name}, {written}, has no name: {_REFUSED} ({made.unnamed.format(at=at)}).",
                    f"Name it: {written} AS someName.",
                )
            elif name.lower() in seen:
                first = seen[name.lower()]
                repeated.setdefault((id(first), id(node)), (first, node, []))[2].append(name)
            else:
                seen[name.lower()] = node
        for first, node, names_given in repeated.values():
            yield _repeated(query, made, first, node, names_given)


def _repeated(query: Query, made: _Made, first: exp.Expression, node: exp.Expression, names_given: list[str]) -> Hit:
    written, listed = as_in_file(query, node), names(names_given)
    said = f"{as_in_file(query, first)} and {written} both return {listed}" if first is not node else f"{written} returns {listed} twice"
    stars = first.is_star or node.is_star
    twice = f"two columns named {listed}" if len(names_given) == 1 else f"two columns of each of the names {listed}"
    return Hit(
        query.span_of(node),
        f"{made.name} has {twice}: {said}. {_REFUSED} ({made.repeated.format(name=names_given[0])}).",
        "List the columns in place of the stars, each once." if stars else
        f"Return {listed} once, or give one of them a name of its own (... AS another name).",
    )


def _made_tables(query: Query) -> Iterator[_Made]:
    """Each derived table and CTE the statement reads (once, however often it is read) that names
    no columns of its own, and the table a SELECT INTO creates."""
    done: set[int] = set()
    for block in query.user_blocks:
        for relation in block.relations:
            if relation.kind not in (m.DERIVED, m.CTE) or not relation.inner or id(relation.inner[0]) in done:
                continue
            done.add(id(relation.inner[0]))
            holder = relation.node if relation.kind == m.DERIVED else relation.inner[0].node.find_ancestor(exp.CTE)
            alias = holder.args.get("alias") if holder is not None else None
            if alias is None or alias.columns or relation.recursive_anchor:
                continue  # WITH x (a, b) AS ...: the list names the columns
            yield _Made(relation.name, relation.inner[0],
                        "error 8155, \"No column name was specified for column {at} of '" + relation.name + "'\"",
                        "error 8156, \"The column '{name}' was specified multiple times for '" + relation.name + "'\"")
        into = block.node.args.get("into") if isinstance(block.node, exp.Select) and block.parent is None else None
        if isinstance(into, exp.Into) and into.this is not None:
            table = into.this.sql("tsql")
            yield _Made(table, block,
                        "error 1038, \"An object or column name is missing or empty\"",
                        "error 2705, \"Column names in each table must be unique. Column name '{name}' in table '"
                        + table + "' is specified more than once\"")


def _columns(block: m.Block) -> list[tuple[str, exp.Expression]] | None:
    """The names of the columns a block returns, in order, each with what gives it: a star gives
    each column of the tables it expands. None where a star's tables' columns are not known."""
    columns: list[tuple[str, exp.Expression]] = []
    for projection in block.projections:
        if projection.name != "*":
            columns.append((projection.name, projection.node))
            continue
        for relation in projection.star_of or []:
            offered = relation.output_columns
            if offered is None:
                return None
            columns += [(name, projection.node) for name in offered]
    return columns
