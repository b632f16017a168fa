"""CL006: a column a grouped query returns, tests in HAVING or sorts by, that is neither one of
the GROUP BY's nor inside an aggregate: SQL Server refuses the statement."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.resolve import window_of
from advisor.analysis.written import as_written, matchable
from advisor.catalog.model import Catalog
from advisor.checks.aliases import early_aliases
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.frontend.positions import children_first
from advisor.words import names

# SQL Server's error for each clause, how its message names the clause, and how sqladvise does
_ERRORS = {"select": (8120, "the select list", "in the SELECT list"), "having": (8121, "the HAVING clause", "in HAVING"),
           "order": (8127, "the ORDER BY clause", "in the ORDER BY")}
# What may take its value from many rows of a group: an aggregate, its FILTER. An unknown
# function may be an aggregate sqlglot does not know (VAR, STDEVP, a district's CLR aggregate): it
# is given the benefit of the doubt. A window is not: SQL Server computes it over the groups, so
# what it partitions or orders by, and the value its SUM(...) OVER adds up, are the groups' too.
_SUMMARISING = (exp.AggFunc, exp.Filter, exp.Anonymous)
_GROUPING_LISTS = (exp.Rollup, exp.Cube, exp.GroupingSets, exp.Tuple, exp.Paren)


@statement_rule("CL006")
def ungrouped_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        select = block.node
        if not isinstance(select, exp.Select) or not block.grouped or block.group_all:
            continue
        if any(clause == "GROUP BY" for clause, _, _ in early_aliases(block)):
            continue  # it groups by a SELECT list name, which SQL Server refuses first (CL008)
        group = select.args.get("group")
        items = _grouped_items(group)
        expressions = _GroupedExpressions([item for item in items if not isinstance(item, exp.Column)])
        columns = [item for item in items if isinstance(item, exp.Column)]
        stray: dict[str, tuple[str, exp.Column]] = {}
        for clause, column, root in _candidates(block):
            if not _grouped(column, root, expressions, columns):
                stray.setdefault(as_in_file(query, column, cut=False).lower(), (clause, column))
        if stray:
            yield _hit(query, group, list(stray.values()))


def _hit(query: Query, group: exp.Group | None, stray: list[tuple[str, exp.Column]]) -> Hit:
    clause, first = stray[0]
    code, clause_words, _ = _ERRORS[clause]
    columns = [as_in_file(query, column, cut=False) for _, column in stray]
    placed = names([f"{text} {_ERRORS[where][2]}" for text, (where, _) in zip(columns, stray)])
    them = "it" if len(columns) == 1 else "them"
    why = ("each group holds many rows" if group is not None
           else "its aggregates make one row of all the rows it reads")
    grouping = ", ".join([*(_item_text(query, item) for item in (group.expressions if group else [])), *columns])
    return Hit(
        query.span_of(first),
        f"{placed} {'is' if len(columns) == 1 else 'are'} neither grouped nor inside an aggregate, but {why}: "
        f"SQL Server refuses the statement before it reads a row (error {code}, \"Column ... is invalid in {clause_words} "
        "because it is not contained in either an aggregate function or the GROUP BY clause\").",
        f"For a row for each value, group by {them} too: GROUP BY {grouping}. For one value of each group, "
        f"take it with an aggregate: MAX({columns[0]}).",
    )


def _item_text(query: Query, item: exp.Expression) -> str:
    """A GROUP BY item as the author wrote it; ROLLUP, CUBE and GROUPING SETS, whose words have no
    place in sqlglot's tree, as sqlglot writes them."""
    return as_written(item) if isinstance(item, _GROUPING_LISTS) else as_in_file(query, item, cut=False)


def _candidates(block: m.Block) -> Iterator[tuple[str, exp.Column, exp.Expression]]:
    """The block's own columns in its SELECT list, HAVING and ORDER BY, each with the clause and
    the item it is part of; not a correlated subquery's outer columns, which are one value per run."""
    for projection in block.projections:
        for ref in projection.columns:
            if not ref.outer and ref.relation is not None:
                yield "select", ref.node, projection.node
    for predicate in block.predicates:
        if predicate.clause == "having":
            for ref in predicate.columns:
                if not ref.outer and ref.relation is not None:
                    yield "having", ref.node, predicate.node
    returned = {projection.name.lower() for projection in block.projections}
    for ref in block.ordered_by:
        item = ref.node.find_ancestor(exp.Ordered)
        # ORDER BY students, where the SELECT list returns an item of that name, sorts by that
        # item, which is checked where the SELECT list has it; in an expression (LEN(name)) a name
        # is a table's column
        names_item = not ref.node.table and item is not None and item.this is ref.node and ref.node.name.lower() in returned
        if not names_item and not ref.outer and ref.relation is not None:
            yield "order", ref.node, item


def _grouped_items(group: exp.Group | None) -> list[exp.Expression]:
    """What the GROUP BY groups on, through ROLLUP, CUBE and GROUPING SETS."""
    items, stack = [], list(group.expressions) if group is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, _GROUPING_LISTS):
            stack.extend(item.expressions if not isinstance(item, exp.Paren) else [item.this])
        else:
            items.append(item)
    return items


class _GroupedExpressions:
    """The expressions a GROUP BY groups on (YEAR(a.date)), and whether a node is one of them as
    SQL Server matches them (matchable). Only a node of the kind and size of one of them is written
    out to compare, each once; and each node of an item is climbed once, not from each column of
    it: an item can hold thousands of terms."""

    def __init__(self, items: list[exp.Expression]):
        self.texts = {matchable(item) for item in items}
        self.shapes = {(type(item), _sizes(item)[id(item)]) for item in items}
        self._sizes: dict[int, int] = {}
        self._same: dict[int, bool] = {}
        self._covered: dict[tuple[int, int], bool] = {}

    def covered(self, node: exp.Expression, root: exp.Expression) -> bool:
        """Whether the node, or one above it up to the root, is an aggregate, a window or one of
        the expressions grouped on."""
        climbed, answer = [], False
        while (known := self._covered.get((id(node), id(root)))) is None:
            climbed.append(node)
            if (isinstance(node, _SUMMARISING) and not (isinstance(node, exp.Func) and window_of(node))) or (
                    self.texts and node in self):
                answer = True
                break
            if node is root or node.parent is None:
                break
            node = node.parent
        else:
            answer = known
        for level in climbed:
            self._covered[id(level), id(root)] = answer
        return answer

    def measure(self, root: exp.Expression) -> None:
        if id(root) not in self._sizes:
            self._sizes.update(_sizes(root))

    def __contains__(self, node: exp.Expression) -> bool:
        if (type(node), self._sizes.get(id(node))) not in self.shapes:
            return False
        if id(node) not in self._same:
            self._same[id(node)] = matchable(node) in self.texts
        return self._same[id(node)]


def _sizes(root: exp.Expression) -> dict[int, int]:
    """How many nodes each node of a tree holds, itself included, counted from the leaves up."""
    sizes: dict[int, int] = {}
    for node in children_first(root):
        sizes[id(node)] = 1 + sum(sizes[id(child)] for child in node.iter_expressions())
    return sizes


def _grouped(column: exp.Column, root: exp.Expression, expressions: _GroupedExpressions, columns: list[exp.Column]) -> bool:
    """Whether a column has one value in each group: it is one of the GROUP BY's `columns`, or
    part of an expression it groups on (YEAR(a.date)), or inside an aggregate."""
    if expressions.texts:
        expressions.measure(root)
    above = column.parent if column is not root else None
    return (above is not None and expressions.covered(above, root)) or any(_same_column(column, item) for item in columns)


def _same_column(a: exp.Column, b: exp.Column) -> bool:
    """The same name, and the same table where both name one (GROUP BY lastName groups s.lastName)."""
    return a.name.lower() == b.name.lower() and (not a.table or not b.table or a.table.lower() == b.table.lower())
