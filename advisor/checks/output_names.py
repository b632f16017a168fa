"""CL021: a derived table, a CTE or a SELECT INTO whose columns are not each named once. What they
make is a table, and a table's columns need a name of their own: an unnamed value (COUNT(*) with
no AS), two columns of one name (e.personID and p.personID, or e.* beside p.*), or a column list
(WITH active (personID, calendarID) AS ...) of more or fewer names than the query has columns
makes SQL Server refuse the statement before it reads a row."""

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
    listed: exp.TableAlias | None = None  # its column list: x (a, b)


@statement_rule("CL021")
def unnamed_or_repeated_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for made in _made_tables(query):
        columns = _columns(made.block)
        if columns is None:
            continue
        if made.listed is not None:
            yield from _listed(query, made, made.listed, columns)
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


def _listed(query: Query, made: _Made, alias: exp.TableAlias, columns: list[tuple[str, exp.Expression]]) -> Iterator[Hit]:
    """A column list (WITH x (a, b) AS ...) names the columns in place of the query: one name for
    each of its columns, each name once."""
    listed = [column.name for column in alias.columns]
    written = f"{made.name} ({', '.join(listed)})"
    if len(listed) != len(columns):
        more = len(columns) > len(listed)
        error = (f"error {8158 if more else 8159}, \"'{made.name}' has {'more' if more else 'fewer'} columns than were "
                 "specified in the column list\"")
        if more:
            named = listed + [name or f"column{at}" for at, (name, _) in enumerate(columns[len(listed):], start=len(listed) + 1)]
            fix = f"Give the list a name for each column, in order: {made.name} ({', '.join(named)}); or return only the columns it names."
        else:
            extra = listed[len(columns):]
            fix = f"Drop {names(extra)} from the list, or return a column for {'it' if len(extra) == 1 else 'each'}."
        yield Hit(query.span_of(alias),
                  f"{written} names {len(listed)} columns, and its query returns {len(columns)}: {_REFUSED} ({error}).", fix)
        return
    twice = sorted({name for name in listed if [n.lower() for n in listed].count(name.lower()) > 1}, key=str.lower)
    if twice:
        yield Hit(query.span_of(alias),
                  f"{written} names {names(twice)} twice: {_REFUSED} ({made.repeated.format(name=twice[0])}).",
                  "Give each column of the list a name of its own.")


def _made_tables(query: Query) -> Iterator[_Made]:
    """Each derived table and CTE the statement reads (once, however often it is read), with its
    column list if it has one, and the table a SELECT INTO creates."""
    done: set[int] = set()
    for block in query.user_blocks:
        for relation in block.relations:
            if relation.kind not in (m.DERIVED, m.CTE) or not relation.inner or id(relation.inner[0]) in done:
                continue
            done.add(id(relation.inner[0]))
            holder = relation.node if relation.kind == m.DERIVED else relation.inner[0].node.find_ancestor(exp.CTE)
            alias = holder.args.get("alias") if holder is not None else None
            if alias is None or (relation.recursive_anchor and not alias.columns):
                continue
            yield _Made(relation.name, relation.inner[0],
                        "error 8155, \"No column name was specified for column {at} of '" + relation.name + "'\"",
                        "error 8156, \"The column '{name}' was specified multiple times for '" + relation.name + "'\"",
                        alias if alias.columns else None)
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
