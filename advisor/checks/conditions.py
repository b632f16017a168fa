"""How conditions combine: OR across different columns, very long IN lists, the catch-all
`(@p IS NULL OR col = @p)`, and AND mixed with OR without parentheses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.analysis.predicates import compared_with_itself, disjuncts, flatten
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import (
    Compared,
    Known,
    comparisons,
    conditions,
    known_columns,
    seekable,
    severity,
    sought_beside,
    tested_after,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import severity_for_rows
from advisor.checks.snippets import as_in_file
from advisor.words import count, names

LONG_IN_LIST = 100


@statement_rule("PR006")
def or_across_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for predicate in block.predicates:
            if not isinstance(predicate.node, exp.Or) or _mixed(predicate.node):
                continue  # PR009 says what is wrong with a OR b AND c
            branches = [known_columns(branch, predicate) for branch in disjuncts(predicate.node)]
            if not all(branches):
                continue  # a branch on variables alone: a catch-all (PR008, SC002)
            columns = {(id(k.ref.relation), k.column.name.lower()): k for branch in branches for k in branch}
            if len(columns) < 2 or len({relation for relation, _ in columns}) > 1 or not any(seekable(query, k) for k in columns.values()):
                continue  # one column is an IN list; across tables, or on no index, no seek is lost
            largest = max(columns.values(), key=lambda k: k.table.rows)
            between = f"OR between {names(sorted({k.label for k in columns.values()}))}: no one index serves every branch"
            sought = sought_beside(query, largest)
            yield Hit(
                query.span_of(predicate.node),
                f"{between}, so SQL Server does not seek on them; {tested_after(query, sought, 'the OR')}" if sought is not None else
                f"{between}, so SQL Server reads {largest.table.name} ({count(largest.table.rows)} rows) whole or seeks "
                "it once per branch and merges the results.",
                "Write one query per branch joined with UNION (or UNION ALL when the branches cannot match the same "
                "row), each limited by its own column.",
                tuple(dict.fromkeys(k.table.name for k in columns.values())),
                "info" if sought is not None else severity_for_rows(largest.table.rows),
            )


@statement_rule("PR007")
def long_in_list(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        node = compared.node
        if isinstance(node, exp.In) and len(node.expressions) > LONG_IN_LIST:
            yield _long_list(query, node.this, f"IN with {len(node.expressions)} values: SQL Server compiles every value "
                                                     "as its own OR branch")
    for found in conditions(query, (exp.Or,)):
        branches = [] if _within_chain(found.node) else disjuncts(found.node)
        column = _one_column(branches) if len(branches) > LONG_IN_LIST else None
        if column is not None:
            yield _long_list(query, column, f"{as_in_file(query, column)} is compared with {len(branches)} values joined "
                                            "by OR: SQL Server compiles every branch, as it does an IN list's values")


def _long_list(query: Query, node: exp.Expression, compiled: str) -> Hit:
    return Hit(
        query.span_of(node),
        f"{compiled}, so the plan takes long to build and is rarely reused, and the values hide in the query text.",
        "Put the values in a table (a temp table, or the Campus table they come from) and join it.",
    )


def _one_column(branches: list[exp.Expression]) -> exp.Column | None:
    """The column every branch compares with one value (p.personID = 1 OR p.personID = 2 ...), or None."""
    columns = [_column_and_value(branch) for branch in branches]
    if any(c is None for c in columns) or len({c.sql().lower() for c in columns}) != 1:
        return None
    return columns[0]


@statement_rule("PR008")
def catch_all(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for found in conditions(query, (exp.Or,)):
        choice = found.node
        if _within_chain(choice):
            continue  # the chain's outermost OR reads all its branches
        branches = disjuncts(choice)
        switches = {v.name.lower() for b in branches if (v := _unset(b)) is not None}
        for branch in branches if switches else ():
            compared = [p for p in branch.find_all(exp.Parameter) if p.name.lower() in switches]
            seeks = [k for k in known_columns(branch, found.predicate) if seekable(query, k)] if compared else []
            if _unset(branch) is not None or not seeks:
                continue  # no index to seek: the table is read whole in either case
            yield _catch_all(query, choice, f"@{compared[0].name} is NULL", max(seeks, key=lambda k: k.table.rows))
            break
    for found in conditions(query, (exp.EQ,)):
        defaulted = compared_with_itself(found.node)
        seeks = [k for k in known_columns(defaulted[0], found.predicate) if seekable(query, k)] if defaulted else []
        if seeks:
            switch = defaulted[1]  # ISNULL(@p, col) turns the filter off when @p is NULL; a CASE, as its WHEN says
            off = f"@{switch.name} is NULL" if isinstance(switch.parent, exp.Coalesce) else f"@{switch.name} turns the filter off"
            yield _catch_all(query, found.node, off, seeks[0])


def _catch_all(query: Query, condition: exp.Expression, off: str, facts: Known) -> Hit:
    """`off`: when the condition keeps every row, in words."""
    fix = "Add OPTION (RECOMPILE) so that each run is planned for its own values, or write one query for each case."
    plan = (f"{as_in_file(query, condition)} is a catch-all: SQL Server compiles one plan for both cases, one that must also work "
            f"when {off}")
    sought = sought_beside(query, facts)
    if sought is not None:  # the read is what that condition leaves, not the whole table
        return Hit(query.span_of(condition), f"{plan}, so it cannot seek {facts.label}; {tested_after(query, sought, 'the catch-all')}",
                   fix, (facts.table.name,), "info")
    return Hit(query.span_of(condition),
               f"{plan}, so it reads {facts.table.name} ({count(facts.table.rows)} rows) whole even when a value is given.",
               fix, (facts.table.name,), severity(query, facts))


def _column_and_value(branch: exp.Expression) -> exp.Column | None:
    """Of column = value (either way round), the column; None for anything else."""
    if not isinstance(branch, exp.EQ):
        return None
    for column, value in ((branch.this, branch.expression), (branch.expression, branch.this)):
        if isinstance(column, exp.Column) and value.find(exp.Column) is None:
            return column
    return None


def _within_chain(choice: exp.Or) -> bool:
    """An OR that is itself a branch of an OR around it."""
    parent = choice.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    return isinstance(parent, exp.Or)


def _unset(branch: exp.Expression) -> exp.Parameter | None:
    """@p IS NULL: the branch that switches a filter off."""
    if isinstance(branch, exp.Is) and isinstance(branch.expression, exp.Null) and isinstance(branch.this, exp.Parameter):
        return branch.this
    return None


@statement_rule("PR009")
def and_or_without_parentheses(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for found in conditions(query, (exp.Or,)):
        choice = found.node
        if isinstance(choice.parent, exp.Or):
            continue  # one finding for a chain of ORs, at its outermost
        branches = _mixed(choice)
        if not branches:
            continue
        kept = next((branch for branch in branches if not isinstance(branch, exp.And)), branches[0])
        anded = [branch for branch in branches if isinstance(branch, exp.And) and branch is not kept]
        held = [_as_condition(query, c) for c in flatten(anded[0], exp.And, through_parentheses=False)]
        ignored = names(held, 3) + (" says" if len(held) == 1 else " say") + (
            " (and whatever the other AND-ed branches say)" if len(anded) > 1 else "")
        escaped = (f"AND and OR mixed without parentheses: AND binds first, so rows matching {as_in_file(query, kept)} "
                   f"come back whatever {ignored}")
        if _alone(found):
            pair = or_next_to(choice)
            meant = (f"{pair.written(query)}, if it chooses between those two, so that the conditions AND-ed "
                     f"{'before' if pair.anded_first else 'after'} it hold for both" if pair
                     else "WHERE a AND b AND (c OR d)")
            yield Hit(query.span_of(choice), f"{escaped}.", f"Put parentheses around the OR to say what is meant: {meant}.")
        else:  # conditions outside its parentheses still hold for every branch
            yield Hit(query.span_of(choice), f"{escaped}; the conditions outside the parentheses still hold.",
                      "Put parentheses inside to say what is meant: (c OR d) AND e, or c OR (d AND e).")


@dataclass(frozen=True)
class NextTo:
    """In an OR of two branches, one of them AND-ed, written without parentheses (a AND b OR c):
    the condition the OR stands next to (b) and the other branch (c). With the two in
    parentheses, the other AND-ed conditions (a) hold for both."""

    beside: exp.Expression
    other: exp.Expression
    anded_first: bool  # a AND b OR c, not c OR a AND b

    def written(self, query: Query) -> str:
        pair = [as_in_file(query, self.beside), as_in_file(query, self.other)]
        return f"({' OR '.join(pair if self.anded_first else pair[::-1])})"


def or_next_to(chain: exp.Or) -> NextTo | None:
    """The NextTo of an OR chain of two branches, one of them AND-ed; None for any other."""
    branches = flatten(chain, exp.Or, through_parentheses=False)
    if len(branches) != 2 or isinstance(branches[0], exp.And) == isinstance(branches[1], exp.And):
        return None
    first, second = branches
    if isinstance(first, exp.And):
        return NextTo(flatten(first, exp.And, through_parentheses=False)[-1], second, True)
    return NextTo(flatten(second, exp.And, through_parentheses=False)[0], first, False)


def _as_condition(query: Query, condition: exp.Expression) -> str:
    """A condition as written, an OR in its parentheses: beside others, it reads as one."""
    text = as_in_file(query, condition)
    return f"({text})" if isinstance(condition.unnest(), exp.Or) and not text.startswith("(") else text


def _alone(found: Compared) -> bool:
    """Whether the OR is all its clause says: nothing AND-ed outside it still holds for its branches."""
    root = found.predicate.node.unnest()
    clause = [p for p in found.block.predicates if p.clause == found.predicate.clause and p.on is found.predicate.on]
    return root is found.node and len(clause) == 1


def _mixed(choice: exp.Or) -> list[exp.Expression]:
    """The branches of an OR chain written without parentheses, when an AND is among them (and
    nothing says which binds first); else none."""
    branches = flatten(choice, exp.Or, through_parentheses=False)
    return branches if any(isinstance(branch, exp.And) for branch in branches) else []


@statement_rule("PR010")
def not_equal(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        if not isinstance(compared.node, exp.NEQ):
            continue
        seeks = [k for k in known_columns(compared.node, compared.predicate) if seekable(query, k)]
        if seeks:
            yield Hit(
                query.span_of(compared.node),
                f"{as_in_file(query, compared.node)} keeps every row but one value's: an index on {seeks[0].column.name} cannot "
                "narrow the read, so this condition limits nothing by itself.",
                "Name the values wanted (IN (...)) when there are few, or rely on another condition to limit the rows.",
                (seeks[0].table.name,),
            )
