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
from advisor.words import names, plural

_REFUSED = "SQL Server refuses the statement before it reads a row"


@dataclass(frozen=True)
class _Made:
    """A table a query makes: what it is called, and the errors SQL Server gives for an unnamed
    column and for a name given twice."""

    name: str
    columns: list[tuple[str, exp.Expression]] | None  # None where a star's tables' columns are not known
    unnamed: str
    repeated: str
    alias: exp.TableAlias | None = None  # its name as written, with its column list if it has one: x (a, b)
    values: bool = False  # a VALUES table, whose columns have no names but its list's


@statement_rule("CL021")
def unnamed_or_repeated_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for made in _made_tables(query):
        columns = made.columns
        if columns is None:
            continue
        if made.alias is not None and made.alias.columns:
            yield from _listed(query, made, made.alias, columns)
            continue
        if made.values:
            yield _unlisted_values(query, made, columns)
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
        returned = (f"its rows have {plural(len(columns), 'value')}" if made.values
                    else f"its query returns {len(columns)}")
        error = (f"error {8158 if more else 8159}, \"'{made.name}' has {'more' if more else 'fewer'} columns than were "
                 "specified in the column list\"")
        if more:
            named = listed + [name or f"column{at}" for at, (name, _) in enumerate(columns[len(listed):], start=len(listed) + 1)]
            fix = f"Give the list a name for each column, in order: {made.name} ({', '.join(named)}); or return only the columns it names."
        else:
            extra = listed[len(columns):]
            fix = f"Drop {names(extra)} from the list, or return a column for {'it' if len(extra) == 1 else 'each'}."
        yield Hit(query.span_of(alias),
                  f"{written} names {plural(len(listed), 'column')}, and {returned}: {_REFUSED} ({error}).", fix)
        return
    twice = sorted({name for name in listed if [n.lower() for n in listed].count(name.lower()) > 1}, key=str.lower)
    if twice:
        yield Hit(query.span_of(alias),
                  f"{written} names {names(twice)} twice: {_REFUSED} ({made.repeated.format(name=twice[0])}).",
                  "Give each column of the list a name of its own.")


def _made_tables(query: Query) -> Iterator[_Made]:
    """Each derived table, VALUES table and CTE the statement reads (once, however often it is
    read), with its column list if it has one, and the table a SELECT INTO creates."""
    done: set[int] = set()
    for block in query.user_blocks:
        for relation in block.relations:
            unnamed = "error 8155, \"No column name was specified for column {at} of '" + relation.name + "'\""
            repeated = "error 8156, \"The column '{name}' was specified multiple times for '" + relation.name + "'\""
            if (values := _values_of(relation)) is not None:
                columns = [("", value) for value in values.expressions[0].expressions]
                yield _Made(relation.name, columns, unnamed, repeated, relation.node.args["alias"], values=True)
                continue
            if relation.kind not in (m.DERIVED, m.CTE) or not relation.inner or id(relation.inner[0]) in done:
                continue
            done.add(id(relation.inner[0]))
            holder = relation.node if relation.kind == m.DERIVED else relation.inner[0].node.find_ancestor(exp.CTE)
            alias = holder.args.get("alias") if holder is not None else None
            if alias is None or (relation.recursive_anchor and not alias.columns):
                continue
            yield _Made(relation.name, _columns(relation.inner[0]), unnamed, repeated, alias)
        into = block.node.args.get("into") if isinstance(block.node, exp.Select) and block.parent is None else None
        if isinstance(into, exp.Into) and into.this is not None:
            table = into.this.sql("tsql")
            yield _Made(table, _columns(block),
                        "error 1038, \"An object or column name is missing or empty\"",
                        "error 2705, \"Column names in each table must be unique. Column name '{name}' in table '"
                        + table + "' is specified more than once\"")


def _values_of(relation: m.Relation) -> exp.Values | None:
    """The rows of a VALUES table, FROM (VALUES (1, 'a'), (2, 'b')) AS v (n, s), or APPLY'd."""
    node = relation.node
    if isinstance(node, exp.Lateral) and isinstance(node.this, exp.Subquery):
        node = node.this.this
    if not isinstance(node, exp.Values) or not isinstance(relation.node.args.get("alias"), exp.TableAlias):
        return None
    first = node.expressions[0] if node.expressions else None
    return node if isinstance(first, exp.Tuple) else None


def _unlisted_values(query: Query, made: _Made, columns: list[tuple[str, exp.Expression]]) -> Hit:
    """A VALUES table's columns have no names but the ones its column list gives them."""
    listed = ", ".join(f"column{at}" for at in range(1, len(columns) + 1))
    return Hit(query.span_of(made.alias),
               f"The columns of {made.name} have no names: a VALUES table takes them from a column list after its "
               f"name, and without one {_REFUSED} ({made.unnamed.format(at=1)}).",
               f"Name its {plural(len(columns), 'column')} after its name, in order: AS {made.name} ({listed}).")


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
