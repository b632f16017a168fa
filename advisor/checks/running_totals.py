"""Running totals written so that each row reads again the rows before it: a correlated
subquery (SELECT COUNT(*) FROM Attendance a2 WHERE a2.personID = a.personID AND a2.date <=
a.date), SH001's, or a join of a table to itself on the same conditions, JN009's. The rows read
grow with the square of each key's rows, and a history table's every year adds to them. A window
function totals them in one pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import RESERVED_NAMES
from advisor.checks.snippets import as_in_file
from advisor.words import names

# Each comparison, as the totalled rows' column against the other rows': which of them it keeps
KEEPS = {exp.LTE: "up to", exp.LT: "before", exp.GTE: "from", exp.GT: "after"}
_TURNED = {exp.LTE: exp.GTE, exp.LT: exp.GT, exp.GTE: exp.LTE, exp.GT: exp.LT}  # the other rows' column written first
_WINDOWED = (exp.Count, exp.Sum, exp.Min, exp.Max, exp.Avg)


@dataclass(frozen=True)
class RunningTotal:
    """What a running total's fix is written from: its aggregate, the table reference whose rows
    it totals, the columns that match them with the other rows' same columns, and the one it
    compares with the other rows' same column; each as (its own, the other rows')."""

    total: exp.AggFunc
    relation: m.Relation
    keys: tuple[tuple[exp.Column, m.ColumnRef], ...]
    ordered: tuple[exp.Column, m.ColumnRef]
    comparison: type[exp.Expression]  # as the totalled rows' column against the other one: exp.LTE for a2.date <= a.date
    conditions: tuple[exp.Expression, ...]  # the totalled rows' own, which do not name the other rows


def running_total(blocks: list[m.Block]) -> RunningTotal | None:
    """A correlated subquery's or APPLY's blocks as a running total: one SELECT of one aggregate
    of the outer row's table, matched with the outer row by equalities of its same columns and by
    one range comparison of a column with the outer row's same column; None for any other."""
    block = blocks[0] if len(blocks) == 1 else None
    select = block.node if block is not None else None
    if (not isinstance(select, exp.Select) or len(select.expressions) != 1 or len(block.relations) != 1
            or block.subqueries or any(select.args.get(part) for part in ("distinct", "group", "having"))):
        return None
    total = select.expressions[0].unalias()
    if not windowed(total):
        return None
    return compared_rows(block.predicates, total, block.relations[0], lambda ref: ref.outer)


def windowed(total: exp.Expression) -> bool:
    """An aggregate a window can compute: not COUNT(DISTINCT ...), which has no window (10759)."""
    return isinstance(total, _WINDOWED) and not isinstance(total.this, exp.Distinct)


def compared_rows(predicates: list[m.Predicate], total: exp.AggFunc, relation: m.Relation,
                  other: Callable[[m.ColumnRef], bool]) -> RunningTotal | None:
    """The rows of `relation` that `total` totals as a running total of the other rows of the same
    table (`other` tells their columns): the predicates match them by equalities of the same
    columns and one range comparison of the same column, and add conditions of `relation`'s own;
    None where they compare them otherwise or name a third table with it."""
    keys: list[tuple[exp.Column, m.ColumnRef]] = []
    conditions: list[exp.Expression] = []
    ranges: list[tuple[tuple[exp.Column, m.ColumnRef], type[exp.Expression]]] = []
    for predicate in predicates:
        mine = sum(ref.relation is relation and not other(ref) for ref in predicate.columns)
        theirs = sum(map(other, predicate.columns))
        if not mine:
            continue  # about the other rows, or other tables
        if mine + theirs != len(predicate.columns):
            return None
        if not theirs:
            conditions.append(predicate.node)
            continue
        side = _own_side(predicate, other)
        if side is None or predicate.clause == "having":
            return None
        pair, kind = side
        if kind is exp.EQ:
            keys.append(pair)
        else:
            ranges.append((pair, kind))
    if len(ranges) != 1:
        return None
    ordered, comparison = ranges[0]
    pairs = [*keys, ordered]
    if (relation.table is None or len({id(ref.relation) for _, ref in pairs}) != 1
            or ordered[1].relation is None or ordered[1].relation.table is not relation.table
            or any(own.name.lower() != ref.name.lower() for own, ref in pairs)
            or relation.table.unique_by({own.name.lower() for own, _ in keys})):
        return None  # other rows than those it totals, or one row of each key: each reads its own share, no square
    return RunningTotal(total, relation, tuple(keys), ordered, comparison, tuple(conditions))


def _own_side(predicate: m.Predicate, other: Callable[[m.ColumnRef], bool]
              ) -> tuple[tuple[exp.Column, m.ColumnRef], type[exp.Expression]] | None:
    """A comparison of a column of the totalled rows with one of the other rows: the two, and the
    comparison as the totalled rows' column against the other one."""
    node = predicate.node
    kind = type(node)
    if kind is not exp.EQ and kind not in KEEPS:
        return None
    theirs = {id(ref.node): ref for ref in predicate.columns if other(ref)}
    left, right = node.this, node.expression
    if not (isinstance(left, exp.Column) and isinstance(right, exp.Column)) or (id(left) in theirs) == (id(right) in theirs):
        return None
    if id(left) in theirs:
        return (right, theirs[id(left)]), _TURNED.get(kind, kind)
    return (left, theirs[id(right)]), kind


def what_each_run_does(total: RunningTotal) -> str:
    """Why the runs cost more than one seek each: the rows each reads again."""
    key = names([own.name for own, _ in total.keys])
    rows = f"its {key}'s rows" if key else "the rows"
    return (f" Each run totals afresh {rows} {KEEPS[total.comparison]} the outer row's {total.ordered[0].name}: a "
            f"running total computed this way reads rows that {growth(total)}.")


def growth(total: RunningTotal, named: str = "") -> str:
    """How the rows read grow, `named` after the square (" (a triangular join)"), and with the
    years of a table that keeps them."""
    key = names([own.name for own, _ in total.keys])
    history = ", and every year of history adds to them" if total.relation.table.history else ""
    return f"grow with the square of {f'each {key}' if key else 'the table'}'s rows{named}{history}"


def running_total_fix(query: m.Query, total: RunningTotal) -> str:
    """The window function that totals the rows in one pass, to put in place of the subquery."""
    window, ties = running_window(query, total)
    keeps, table = KEEPS[total.comparison], total.relation.name
    own = ", with its conditions inside the aggregate" if total.conditions else ""
    return (f"Total the rows in one pass with a window function, in place of the subquery{own}: {window} gives each {table} "
            f"row the total of its key's rows {keeps} it ({ties}). The window totals only the rows the outer query keeps: "
            f"where the subquery totals rows it leaves out (other years), compute the window in a derived table of {table} "
            f"that keeps them, and join that on the table's key.")


def running_window(query: m.Query, total: RunningTotal) -> tuple[str, str]:
    """The window function that totals the rows in one pass, written with the other rows' alias
    and the totalled rows' own conditions inside its aggregate; and how its frame meets the
    comparison's ties."""
    outer = total.ordered[1].relation
    written = _counted_when(total.total, total.conditions)
    for column in written.find_all(exp.Column):
        if column.table.lower() == total.relation.alias.lower():
            column.set("table", exp.to_identifier(outer.alias, quoted=outer.alias.upper() in RESERVED_NAMES))
    partition = f"PARTITION BY {', '.join(as_in_file(query, ref.node, cut=False) for _, ref in total.keys)} " if total.keys else ""
    descending = " DESC" if total.comparison in (exp.GTE, exp.GT) else ""
    strict = total.comparison in (exp.LT, exp.GT)
    frame = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING" if strict else "RANGE UNBOUNDED PRECEDING"
    ordered = as_in_file(query, total.ordered[1].node, cut=False)
    window = f"{written.sql('tsql')} OVER ({partition}ORDER BY {ordered}{descending} {frame})"
    name, keeps = total.ordered[0].name, KEEPS[total.comparison]
    ties = (f"ROWS takes the rows before it in that order: those {keeps} its {name} where no two rows of a key share one"
            if strict else f"RANGE takes in the rows of the same {name} too, as the comparison does")
    return window, ties


def _counted_when(total: exp.AggFunc, conditions: tuple[exp.Expression, ...]) -> exp.Expression:
    """The aggregate of only the rows its conditions keep: COUNT(CASE WHEN a.status = 'A' THEN 1
    END), SUM(CASE WHEN ... THEN a.minutes END); each of them skips the NULL of the others."""
    if not conditions:
        return total.copy()
    test = exp.and_(*(condition.copy() for condition in conditions))
    value = total.this.copy() if not isinstance(total.this, exp.Star) else exp.Literal.number(1)
    return total.__class__(this=exp.Case(ifs=[exp.If(this=test, true=value)]))
