"""PR021: conditions on one column that cancel out. AND-ed, no value meets them all: `e.grade =
'09' AND e.grade = '10'`, `c.endYear = 2027` in a join's ON and `c.endYear = 2026` in the WHERE, a
range whose ends cross, `x IS NULL AND x > GETDATE()`. OR-ed, every value meets one: `e.grade <>
'09' OR e.grade <> '10'`, `a.date >= '2026-08-01' OR a.date <= '2027-06-30'`; or one adds nothing
to the other: `cs.email IS NOT NULL OR cs.email <> ''`. In a WHERE, an ON, a CASE WHEN or an IIF.
Each is an edit gone wrong (a year changed in one place only, OR written for AND), and the report
built on it comes out empty, unfiltered or mislabelled."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from sqlglot import exp

from advisor import words
from advisor.analysis import model as m
from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import conjuncts, disjuncts, string_text, text_length
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions, known
from advisor.checks.oriented import holds, known_value, seen_from
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file, aside, what_variables_hold

_MOST = 64  # limits on one column in one clause past which it is generated SQL, not a slip, and pairing them costs
_LOWER, _UPPER = (exp.GT, exp.GTE), (exp.LT, exp.LTE)
_COMPARED = (exp.EQ, exp.NEQ, *_LOWER, *_UPPER)


@dataclass(eq=False, slots=True)
class _Limit:
    """What one condition allows a column: a list of values (=, IN), values it must not be (<>,
    NOT IN), one end of a range, NULL or not NULL."""

    written: exp.Expression  # the condition as written: the NOT of a NOT IN
    ref: m.ColumnRef
    # exp.EQ (= or IN), exp.NEQ (<> or NOT IN), exp.GT, exp.GTE, exp.LT, exp.LTE, "null", "not null";
    # "compared" with what is not known before the query runs (a column, a variable): true only of a
    # value; or exp.Like and "not like", with its pattern
    kind: type | str
    values: tuple[exp.Expression, ...] = ()  # where a variable holds one constant (constants.py), the constant
    pattern: re.Pattern | None = None  # a LIKE's, as a regular expression
    given: tuple[exp.Expression, ...] = ()  # the values as the query writes them, where they differ: @start

    @property
    def shown(self) -> tuple[exp.Expression, ...]:
        return self.given or self.values

    @property
    def column(self) -> tuple[int, str, bool]:
        return id(self.ref.relation), self.ref.name.lower(), self.ref.outer


@statement_rule("PR021")
def conflicting_conditions(query: Query, catalog: Catalog) -> Iterator[Hit]:
    tested = _tested_by_branches(query)
    if not tested and not any(block.predicates for block in query.user_blocks):
        return
    refs, ors, constants = query.refs_by_node(), list(_ors(query, tested)), query.constants
    for parts, consequence in _and_groups(query, tested, ors):
        for earlier, later in _first_of_each_column(_limits_of(parts, refs, constants, in_or=False), _exclusive):
            yield _never(query, earlier, later, consequence)
    for node, branch in ors:
        branches = disjuncts(node)
        for earlier, later in _first_of_each_column(_limits_of(branches, refs, constants, in_or=True), _covering):
            yield _always(query, earlier, later, branch, len(branches) > 2)


def _and_groups(query: Query, tested: list[tuple[exp.Expression, str]], ors: list[tuple[exp.Expression, str | None]]
                ) -> Iterator[tuple[list[exp.Expression], str]]:
    """The conditions that must hold together, each group with what follows where they cannot: a
    block's WHERE with the ON of each join that keeps only matched rows; each LEFT JOIN's ON; each
    CASE WHEN's or IIF's condition; each AND-ed branch of an OR."""
    for block in query.user_blocks:
        rows: list[exp.Expression] = []
        outer: dict[int, list[m.Predicate]] = {}
        for predicate in block.predicates:
            on = predicate.on
            if predicate.clause == "where" or (predicate.clause == "on" and on is not None and (
                    on.join == m.INNER or on.made_inner_by is not None)):
                rows.append(predicate.node)
            elif predicate.clause == "on" and on is not None and on.join == m.LEFT:
                outer.setdefault(id(on), []).append(predicate)
        if len(rows) > 1:
            yield rows, f"so {_what_block_does(block)}"
        for joined in outer.values():
            yield ([p.node for p in joined],
                   f"so the LEFT JOIN finds no row of {joined[0].on.label()}: its columns are NULL on every row")
    for condition, branch in tested:
        yield conjuncts(condition), ("so CASE never takes this WHEN's THEN" if branch == "CASE"
                                     else "so IIF always gives its last value")
    for node, _ in ors:
        for branch in disjuncts(node):
            if isinstance(branch, exp.And):
                yield conjuncts(branch), "so this branch of the OR is never true"


def _tested_by_branches(query: Query) -> list[tuple[exp.Expression, str]]:
    """The condition of each CASE WHEN and IIF the statement has, with which of the two it is."""
    return [(branch.this, "CASE" if isinstance(branch.parent, exp.Case) else "IIF") for branch in query.calls(exp.If)
            if isinstance(branch.this, exp.Expression)]


def _what_block_does(block: m.Block) -> str:
    if isinstance(block.node, exp.Update):
        return "the UPDATE changes no rows"
    if isinstance(block.node, exp.Delete):
        return "the DELETE removes no rows"
    return "this SELECT returns no rows" if block.parent is None else "this subquery finds no rows"


def _ors(query: Query, tested: list[tuple[exp.Expression, str]]) -> Iterator[tuple[exp.Expression, str | None]]:
    """Each chain of ORs (a OR b OR c once) that no NOT turns round, of the CASE WHEN and IIF
    conditions `tested` (with which of the two it is in) and of the author's WHERE, ON and HAVING
    (with None)."""
    seen: set[int] = set()
    for node, top, branch in [
            *((part, condition, branch) for condition, branch in tested for part in conjuncts(condition) if isinstance(part, exp.Or)),
            *((found.node, found.predicate.node, None) for found in conditions(query, (exp.Or,)))]:
        if id(node) not in seen and not _nested(node, top):
            seen.add(id(node))
            yield node, branch


def _taken(branch: str | None, more: bool, column: str) -> str:
    """What an OR true wherever the column has a value does, where it stands: in a CASE WHEN, an
    IIF, or a WHERE, ON or HAVING (`more`: with other branches)."""
    if branch == "CASE":
        return f"CASE takes this WHEN on every row where {column} has a value, and what follows it only where it is NULL"
    if branch == "IIF":
        return f"IIF gives its first value on every row where {column} has a value, and its last only where it is NULL"
    return (f"the OR they are part of leaves out at most the rows where {column} is NULL" if more
            else f"it leaves out only the rows where {column} is NULL")


def _nested(node: exp.Expression, top: exp.Expression) -> bool:
    """Whether the OR is part of a longer OR chain, or under a NOT, within its condition."""
    parent = node.parent
    while parent is not None and node is not top:
        if isinstance(parent, (exp.Or, exp.Not)):
            return True
        if not isinstance(parent, exp.Paren):
            return False
        node, parent = parent, parent.parent
    return False


def _limits_of(parts: list[exp.Expression], refs: dict[int, m.ColumnRef], constants: dict[str, exp.Expression],
               in_or: bool) -> list[_Limit]:
    return [_held(limit, constants) for part in parts for limit in _limits(part.unnest(), refs, constants, in_or)]


def _held(limit: _Limit, constants: dict[str, exp.Expression]) -> _Limit:
    """The limit with the constants its variables hold in place of them, to compare."""
    if not any(isinstance(value, exp.Parameter) for value in limit.values):
        return limit
    return replace(limit, values=tuple(held(value, constants) for value in limit.values), given=limit.values)


def _limits(part: exp.Expression, refs: dict[int, m.ColumnRef], constants: dict[str, exp.Expression],
            in_or: bool) -> list[_Limit]:
    """What a condition allows the column it tests, compared with values known before the query
    runs (numbers, texts, dates written out, GETDATE(), the one constant a variable holds); none
    for anything else. In an OR a BETWEEN is two limits that must hold together, so it is not
    one of the OR's."""
    def known(value: exp.Expression | None) -> bool:
        return value is not None and known_value(held(value, constants)) is not None

    negated = isinstance(part, exp.Not)
    tested = part.this.unnest() if negated else part
    ref = refs.get(id(tested.this.unnest())) if isinstance(tested.this, exp.Expression) else None
    if isinstance(tested, exp.Is) and isinstance(tested.expression, exp.Null) and ref is not None:
        return [_Limit(part, ref, "not null" if negated else "null")]
    if isinstance(tested, exp.In) and ref is not None and not tested.args.get("query") and tested.expressions \
            and all(known(value) for value in tested.expressions):
        return [_Limit(part, ref, exp.NEQ if negated else exp.EQ, tuple(tested.expressions))]
    if isinstance(tested, exp.Like) and ref is not None and not in_or and not isinstance(part.parent, exp.Escape) \
            and (pattern := _like_pattern(tested.expression)) is not None:
        return [_Limit(part, ref, "not like" if negated or tested.args.get("negate") else exp.Like, (tested.expression,),
                       pattern)]
    if isinstance(tested, exp.Between) and ref is not None and not negated and not in_or:
        low, high = tested.args.get("low"), tested.args.get("high")
        if known(low) and known(high):
            return [_Limit(part, ref, exp.GTE, (low,)), _Limit(part, ref, exp.LTE, (high,))]
    if isinstance(tested, _COMPARED):
        columns = []
        for side in (tested.this, tested.expression):
            ref = refs.get(id(side.unnest()))
            oriented = seen_from(tested, side) if ref is not None else None
            if oriented is not None and oriented[0] in _COMPARED and known(oriented[1][0]):
                return [_Limit(part, ref, oriented[0], oriented[1])]
            columns += [ref] if ref is not None else []
        if not in_or and not negated:  # e.endDate < e.startDate: unknown, never true, where e.endDate IS NULL
            return [_Limit(part, ref, "compared") for ref in columns]
    return []


def _like_pattern(pattern: exp.Expression) -> re.Pattern | None:
    """A LIKE pattern written out with only % and _ for wildcards, as a regular expression that
    ignores case as Campus's collation does; None for one with a set of characters ([0-9]) or
    trailing spaces, which sqladvise does not follow."""
    text = string_text(pattern.unnest())
    if text is None or "[" in text or text != text.rstrip():
        return None
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in text), re.IGNORECASE | re.DOTALL)


def _first_of_each_column(limits: list[_Limit], clash: Callable[[_Limit, _Limit], bool]) -> Iterator[tuple[_Limit, _Limit]]:
    """For each column, the first two limits, in the order written, that `clash` says cancel out."""
    by_column: dict[tuple[int, str, bool], list[_Limit]] = {}
    for limit in limits:
        by_column.setdefault(limit.column, []).append(limit)
    for same in by_column.values():
        if len(same) > _MOST:
            continue
        found = next(((earlier, later) for at, later in enumerate(same) for earlier in same[:at]
                      if earlier.written is not later.written and clash(earlier, later)), None)
        if found is not None:
            yield found


def _exclusive(first: _Limit, second: _Limit) -> bool:
    """Whether no value meets both limits."""
    if "compared" in (first.kind, second.kind):
        return "null" in (first.kind, second.kind)
    if {first.kind, second.kind} & {exp.Like, "not like"}:
        like, other = (first, second) if first.kind in (exp.Like, "not like") else (second, first)
        if other.kind == "null":
            return True
        if {like.kind, other.kind} == {exp.Like, "not like"}:  # LIKE 'K%' AND NOT LIKE 'K%'
            return like.pattern.pattern == other.pattern.pattern
        if other.kind is exp.Like:  # LIKE '0%' AND LIKE '1%'
            return _fixed_ends_differ(like, other)
        texts = [string_text(value.unnest()) for value in other.values] if other.kind is exp.EQ else [None]
        if None in texts:
            return False
        # LIKE ignores the trailing spaces of the value it matches, not of its pattern
        matched = [like.pattern.fullmatch(text.rstrip(" ")) is not None for text in texts]
        return all(matched) if like.kind == "not like" else not any(matched)
    if "null" in (first.kind, second.kind):
        return first.kind != second.kind
    if "not null" in (first.kind, second.kind):
        return False
    if first.kind is exp.EQ and second.kind is exp.EQ:
        return all(_differ(a, b, first.ref) for a in first.values for b in second.values)
    if exp.EQ in (first.kind, second.kind):
        listed, other = (first, second) if first.kind is exp.EQ else (second, first)
        if other.kind is exp.NEQ:
            return all(any(holds(a, exp.EQ, b) is True for b in other.values) for a in listed.values)
        return all(holds(a, other.kind, other.values[0]) is False for a in listed.values)
    lower, upper = _ends(first, second)
    if lower is None or upper is None:
        return False
    both_included = lower.kind is exp.GTE and upper.kind is exp.LTE
    return holds(upper.values[0], exp.LT if both_included else exp.LTE, lower.values[0]) is True


def _fixed_ends_differ(first: _Limit, second: _Limit) -> bool:
    """Whether two LIKE patterns fix different characters at the start of the text, before the
    first % or _, or at its end, after the last: no text starts with both '0' and '1'."""
    (head, tail), (other_head, other_tail) = _fixed_ends(first), _fixed_ends(second)
    return not (head.startswith(other_head) or other_head.startswith(head)) or not (
        tail.endswith(other_tail) or other_tail.endswith(tail))


def _fixed_ends(like: _Limit) -> tuple[str, str]:
    """The characters a LIKE pattern fixes at the start and the end of the text, in lower case as
    the collation ignores case; a pattern with no wildcard fixes the whole text at both."""
    parts = re.split("[%_]", string_text(like.values[0].unnest()).lower())
    return parts[0], parts[-1]


def _covering(first: _Limit, second: _Limit) -> bool:
    """Whether, OR-ed, every value that is not NULL meets one of the limits; or one is IS NOT NULL
    and the other a comparison, which nothing NULL meets."""
    if "not null" in (first.kind, second.kind):
        return "null" not in (first.kind, second.kind) and first.kind != second.kind
    if "null" in (first.kind, second.kind):
        return False
    if first.kind is exp.NEQ and second.kind is exp.NEQ:
        return all(_differ(a, b, first.ref) for a in first.values for b in second.values)
    if {first.kind, second.kind} == {exp.EQ, exp.NEQ}:
        listed, excluded = (first, second) if first.kind is exp.EQ else (second, first)
        return all(any(holds(b, exp.EQ, a) is True for a in listed.values) for b in excluded.values)
    lower, upper = _ends(first, second)
    if lower is None or upper is None:
        return False
    if holds(lower.values[0], exp.LT, upper.values[0]) is True:
        return True
    return holds(lower.values[0], exp.EQ, upper.values[0]) is True and (lower.kind is exp.GTE or upper.kind is exp.LTE)


def _differ(first: exp.Expression, second: exp.Expression, ref: m.ColumnRef) -> bool:
    """Whether two values written out differ for the column: texts of digits that are one number
    ('9', '09') are one value to a column not known to hold text, which may convert them."""
    if holds(first, exp.EQ, second) is not False:
        return False
    facts = known(ref)
    if facts is not None and text_length(facts.column.type) is not None:
        return True
    numbers = [_as_number(value) for value in (first, second)]
    return None in numbers or numbers[0] != numbers[1]


def _as_number(value: exp.Expression) -> float | None:
    try:
        return float(value.name) if isinstance(value, exp.Literal) else None
    except ValueError:
        return None


def _ends(first: _Limit, second: _Limit) -> tuple[_Limit | None, _Limit | None]:
    """The lower and the upper end of a range, where one limit is each."""
    lower = next((limit for limit in (first, second) if limit.kind in _LOWER), None)
    upper = next((limit for limit in (first, second) if limit.kind in _UPPER), None)
    return lower, upper


def _never(query: Query, earlier: _Limit, later: _Limit, consequence: str) -> Hit:
    first, second, column = as_in_file(query, earlier.written), as_in_file(query, later.written), _column(query, later)
    kinds, holding = {earlier.kind, later.kind}, _holding(query, earlier, later)
    if kinds == {exp.EQ}:
        values = ", ".join(as_in_file(query, value) for limit in (earlier, later) for value in limit.shown)
        fix = (f"Keep the one meant (a year or a code changed in one place and not the other is the usual cause); if "
               f"either will do, write {column} IN ({values}).")
    elif holding and kinds <= {*_LOWER, *_UPPER}:
        fix = crossed_variables_fix(_variables(earlier, later))
    elif "null" in kinds or kinds <= {*_LOWER, *_UPPER} or kinds == {exp.Like}:
        ranged = ("; if a range was meant, put its lower end after >= and its upper end after <="
                  if kinds <= {*_LOWER, *_UPPER} else "")
        fix = f"If the rows meant are those that meet either, write OR, in parentheses: ({first} OR {second}){ranged}."
    else:
        fix = "Keep the one meant: as written, each leaves out every row the other keeps."
    return Hit(query.span_of(later.written),
               f"{first} and {second} cannot both be true{aside(holding)}: no row's {column} meets "
               f"both, {consequence}.", fix,
               _objects(later))


def _always(query: Query, earlier: _Limit, later: _Limit, branch: str | None, more: bool) -> Hit:
    first, second, column = as_in_file(query, earlier.written), as_in_file(query, later.written), _column(query, later)
    if "not null" in (earlier.kind, later.kind):
        tested = second if earlier.kind == "not null" else first
        return Hit(query.span_of(later.written),
                   f"{first} OR {second} is true wherever {column} is not NULL: {tested} adds nothing, for it is true "
                   f"only where {column} has a value, where IS NOT NULL is true already.",
                   f"Write {tested} alone for only the rows it is true of (NULL fails it too), or AND if both were meant.",
                   _objects(later))
    if earlier.kind is exp.NEQ and later.kind is exp.NEQ:
        why = "every value differs from one of them"
        excluded = [as_in_file(query, value) for limit in (earlier, later) for value in limit.shown]
        fix = f"To leave out every one of these values, write {column} NOT IN ({', '.join(excluded)})."
    elif exp.NEQ in (earlier.kind, later.kind):
        why = "every value is one or the other"
        fix = "Keep the one meant."
    else:
        why = "every value is past one end or before the other"
        fix = f"For the values between the two, write AND: {first} AND {second}."
    reasons = ", ".join(filter(None, (why, _holding(query, earlier, later))))
    return Hit(query.span_of(later.written),
               f"{first} OR {second} is true wherever {column} is not NULL ({reasons}): {_taken(branch, more, column)}.",
               fix, _objects(later))


def crossed_variables_fix(variables: str) -> str:
    """What to do where the variables that hold a range's ends hold them the wrong way round."""
    return (f"If a range was meant, give {variables} the ends meant: as the script sets them, the range ends before it "
            "starts (a year changed in one and not the other is the usual cause).")


def _holding(query: Query, earlier: _Limit, later: _Limit) -> str:
    return what_variables_hold([given for limit in (earlier, later) for given in limit.given], query.constants)


def _variables(earlier: _Limit, later: _Limit) -> str:
    return words.names([f"@{given.name}" for limit in (earlier, later) for given in limit.given
                        if isinstance(given, exp.Parameter)])


def _column(query: Query, limit: _Limit) -> str:
    return as_in_file(query, limit.ref.node)


def _objects(limit: _Limit) -> tuple[str, ...]:
    relation = limit.ref.relation
    return (relation.name,) if relation is not None else ()
