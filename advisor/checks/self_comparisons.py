"""PR017: a column compared with itself (a.personID = a.personID), nearly always a slip for
another table's column: it limits nothing and joins nothing, and in a subquery it leaves the
subquery untied to the row of the query around it. So is a column compared with its own UPPER,
LOWER or RTRIM (i.lastName = UPPER(i.lastName), meant to find names in capitals): Campus's
collation compares text without regard to case or trailing spaces."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions
from advisor.checks.oriented import OPERATORS
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names

_ALWAYS_OR_NULL = (exp.EQ, exp.GTE, exp.LTE)  # true wherever the column is not NULL
_NEVER = (exp.NEQ, exp.GT, exp.LT)


@statement_rule("PR017")
def compared_with_itself(query: Query, catalog: Catalog) -> Iterator[Hit]:
    by_predicate: dict[int, dict[int, m.ColumnRef]] = {}  # one OR of thousands of comparisons is one predicate
    for found in conditions(query, _ALWAYS_OR_NULL + _NEVER):
        refs = by_predicate.get(id(found.predicate))
        if refs is None:
            refs = by_predicate[id(found.predicate)] = {id(ref.node): ref for ref in found.predicate.columns}
        node = found.node
        (this, folded_this), (that, folded_that) = _unfolded(node.this), _unfolded(node.expression)
        left, right = refs.get(id(this)), refs.get(id(that))
        if left is None or right is None or left.relation is None or left.relation is not right.relation \
                or left.name.lower() != right.name.lower() or left.outer != right.outer:
            continue
        folded = folded_this + folded_that
        yield _folded_hit(query, node, left, folded) if folded else _hit(query, found.block, found.predicate, node, left)


# What changes nothing a comparison in a case-insensitive collation sees: the case, and trailing
# spaces (SQL Server pads the shorter text with spaces before it compares)
_CASES = {exp.Upper: "UPPER", exp.Lower: "LOWER"}


def _unfolded(side: exp.Expression) -> tuple[exp.Expression, list[str]]:
    """The side without the UPPER, LOWER and RTRIM around it, and their names, outermost first."""
    names = []
    side = side.unnest()
    while type(side) in _CASES or (isinstance(side, exp.Trim) and side.args.get("position") == "TRAILING"
                                   and side.expression is None):
        names.append(_CASES.get(type(side), "RTRIM"))
        side = side.this.unnest()
    return side, names


def _outcome(node: exp.Expression) -> str:
    return ("true on every row where it is not NULL, so it limits nothing" if isinstance(node, _ALWAYS_OR_NULL)
            else "never true, so it keeps no row")


def _folded_hit(query: Query, node: exp.Expression, column: m.ColumnRef, folded: list[str]) -> Hit:
    """PR017 for a column compared with its own UPPER, LOWER or RTRIM."""
    written, named = as_in_file(query, node), f"{column.relation.alias}.{column.name}"
    cases = [name for name in folded if name != "RTRIM"]
    ignored = [*(["Campus's databases compare text without regard to case (a case-insensitive collation)"] if cases else []),
               *(["SQL Server compares text without its trailing spaces"] if "RTRIM" in folded else [])]
    functions = list(dict.fromkeys(folded))
    fix = (f"To tell apart the values {cases[0]} changes, compare in a case-sensitive collation: {named} COLLATE "
           f"Latin1_General_CS_AS {OPERATORS[type(node)]} {cases[0]}({named})." if cases else
           f"To find the values that end in spaces, compare their lengths in bytes, which count the spaces: "
           f"DATALENGTH({named}) <> DATALENGTH(RTRIM({named})).")
    return Hit(query.span_of(node),
               f"{written} compares {named} with itself: {' and '.join(ignored)}, so {names(functions)} "
               f"change{'s' if len(functions) == 1 else ''} nothing the comparison sees, and it is {_outcome(node)}.",
               fix, (column.relation.name,))


def _hit(query: Query, block: m.Block, predicate: m.Predicate, node: exp.Expression, column: m.ColumnRef) -> Hit:
    written, relation = as_in_file(query, node), column.relation
    outcome = _outcome(node)
    meant, where = _meant(block, predicate, relation, column.name)
    if where == "subquery":
        outcome += (": the subquery is not tied to the row of the query around it, so it gives the same answer for "
                    "every row (an EXISTS is true for all of them or for none)")
    elif where == "join":
        outcome += f", and it joins {predicate.on.label()} to nothing"
    fix = (f"Compare with the column meant: {as_in_file(query, node.this)} {OPERATORS[type(node)]} {meant}." if meant
           else "Compare with the column meant, of another table, or remove the comparison.")
    return Hit(query.span_of(node), f"{written} compares {relation.alias}.{column.name} with itself: {outcome}.", fix,
               (relation.name,))


def _meant(block: m.Block, predicate: m.Predicate, relation: m.Relation, name: str) -> tuple[str | None, str]:
    """The column the comparison was most likely meant for, and where it is: in a join's ON, the
    column of that name of another table of the join; in a subquery, that of the query around it."""
    if predicate.clause == "on" and predicate.on is not None:
        others, where = [r for r in block.relations if r is not relation], "join"
    elif block.parent is not None and any(block in subquery.blocks for subquery in block.parent.subqueries):
        others, where = block.parent.relations, "subquery"
    else:
        return None, "block"
    having = [r for r in others if r.offers(name)]
    return (f"{having[0].alias}.{name}" if len(having) == 1 else None), where
