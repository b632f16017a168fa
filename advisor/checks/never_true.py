"""Conditions that match no row however the data grows: a comparison with NULL, NULL in an IN
or NOT IN list or a CASE's WHEN NULL, BETWEEN with its bounds the wrong way round, a column
equal to this moment, and a text column equal to a value longer than it holds, or its length to
more than it holds."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    DAY_SPELLINGS,
    conjuncts,
    literal_number,
    string_text,
    text_length,
    unsigned_number,
    written_date,
)
from advisor.analysis.resolve import own_nodes
from advisor.analysis.unset_variables import Unset, unset_variables
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions, known
from advisor.checks.conflicting_conditions import crossed_variables_fix
from advisor.checks.open_ended import KINDS as OPEN_ENDED_KINDS
from advisor.checks.open_ended import is_moment, open_rows_left_out
from advisor.checks.oriented import negation, seen_from
from advisor.checks.registry import FileContext, Hit, file_rule
from advisor.checks.snippets import aside, what_variables_hold
from advisor.frontend.positions import node_bounds
from advisor.span import Span
from advisor.words import names

_KINDS = (exp.EQ, exp.NEQ, exp.In, exp.Between, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like)
_CONTROL = {"IF": "IF never runs the statement under it.", "WHILE": "The loop never runs."}
_ANSI_NULLS_OFF = re.compile(r"\s*SET\s+ANSI_NULLS\s+OFF\b", re.IGNORECASE)  # matched at a statement's start
_MOMENTS = ("GETDATE", "SYSDATETIME", "GETUTCDATE", "SYSUTCDATETIME")
_MAYBE_WORDS = ("NULL", "BETWEEN", *_MOMENTS)  # what _MAYBE needs, found first: the regex is slow to fail
# Text a statement must hold for this rule to find anything in it: BETWEEN, NULL compared or listed, or GETDATE()
_MAYBE = re.compile(r"\bBETWEEN\b|(?:[=<>!(,]|\bIN|\bWHEN)\s*NULL\b|\bNULL\s*[=<>!]|\b(?:" + "|".join(_MOMENTS) + r")\s*\(",
                    re.IGNORECASE)
_WHEN_NULL = re.compile(r"\bWHEN\s+NULL\b", re.IGNORECASE)
_NEAR = 40  # how far before or after its placed parts a comparison's NULL or variable may be written
_UNKNOWN = ("a comparison with NULL gives unknown, not true, whatever the other side holds (SQL Server's ANSI_NULLS rule, "
            "on unless a script turns it off)")


@file_rule("PR011")
def matches_nothing(context: FileContext) -> Iterator[Hit]:
    lines = context.script.lines
    text = lines.text
    nulls_off_from = next((s.index for s in context.script.statements
                           if _ANSI_NULLS_OFF.match(text, s.span.start, s.span.end)), None)
    unset = unset_variables(context.script) if nulls_off_from is None else {}
    named = re.compile("|".join(rf"@{re.escape(name)}(?![\w@#$])" for name in unset), re.IGNORECASE) if unset else None
    for query in context.queries:
        yield from _longer_than_held(query, context.catalog)
        span = query.statement.span
        maybe = lines.holds(_MAYBE_WORDS, span.start, span.end) and _MAYBE.search(text, span.start, span.end)
        if not maybe and not (named and named.search(text, span.start, span.end)):
            continue  # most statements: no BETWEEN, NULL only in IS NULL or a function's name, no variable left NULL
        nulls_on = nulls_off_from is None or query.statement.index < nulls_off_from
        for node, consequence in _conditions(query):
            found = (_between(query, node) if isinstance(node, exp.Between) else _this_moment(query, node)
                     or (_null(query, node) if nulls_on else None)) or _unset(query, node, unset)
            if found is not None:
                message, remediation, never = found
                yield Hit(_span(query, node), f"{message} {consequence}" if never and consequence else message, remediation)
        if nulls_on:
            yield from _case_when_null(query)
        for compared in conditions(query, OPEN_ENDED_KINDS):
            found = open_rows_left_out(query, compared)
            if found is not None:
                yield Hit(query.span_of(compared.node), found[0], found[1])


def _conditions(query: Query) -> Iterator[tuple[exp.Expression, str | None]]:
    """The comparisons of the WHERE, ON and HAVING clauses the author wrote, of an IF's or WHILE's
    condition, and of each CASE WHEN and IIF, each with what follows where it is never true, if it
    alone decides its clause."""
    seen: set[int] = set()
    for compared in conditions(query, _KINDS):
        seen.add(id(compared.node))
        predicate = compared.predicate
        yield compared.node, _clause_consequence(predicate) if _tested(compared.node) is predicate.node else None
    tree = query.statement.tree
    if query.statement.keyword in _CONTROL and tree is not None:  # IF @d = NULL: the tree is the condition
        for node in own_nodes(tree):
            if isinstance(node, _KINDS):
                seen.add(id(node))
                yield node, _CONTROL[query.statement.keyword] if any(_tested(node) is part for part in conjuncts(tree)) else None
    for branch in query.calls(exp.If):
        for node in own_nodes(branch.this):
            if isinstance(node, _KINDS) and id(node) not in seen:
                seen.add(id(node))
                whole = _tested(node) is branch.this.unnest()
                consequence = ("CASE never takes this WHEN's THEN." if isinstance(branch.parent, exp.Case)
                               else "IIF always gives its last value.")
                yield node, consequence if whole else None


# the columns that hold what a code stands for: AttendanceExcuse's description, GradingTask's name
_DESCRIBING = re.compile(r"name|description", re.IGNORECASE)


@dataclass(frozen=True)
class _Declared:
    """A text column's declared type, as the catalog or the script's CREATE TABLE gives it."""

    label: str  # Enrollment.serviceType, #kids.grade
    type: str
    table: str
    columns: list[tuple[str, str]]  # the catalog table's columns and their types, that may hold the text
    bundled: bool  # from sqladvise's bundled catalog, an approximation


def _declared(ref: m.ColumnRef, catalog: Catalog) -> _Declared | None:
    facts = known(ref)
    if facts is not None:
        columns = [(c.name, c.type) for c in facts.table.columns]
        return _Declared(facts.label, facts.column.type, facts.table.name, columns, catalog.guessed([facts.table.name]))
    made = ref.relation.made if ref.relation is not None and not ref.outer else None
    if made is None or made.declared is None:
        return None
    found = next(((d.name, d.args["kind"]) for d in made.declared if d.name.lower() == ref.name.lower()), None)
    if found is None or not isinstance(found[1], exp.DataType):
        return None
    # no other column offered: which of the author's own columns holds the text is theirs to say
    return _Declared(f"{ref.relation.name}.{found[0]}", found[1].sql("tsql").lower(), ref.relation.name, [], False)


def _longer_than_held(query: Query, catalog: Catalog) -> Iterator[Hit]:
    """e.serviceType = 'Primary' of a char(1), ae.code IN ('UA', 'Unexcused') of a varchar(10): a
    value longer than the column holds, which no row equals (= ignores trailing spaces only); and
    LEN(p.stateID) > 15 of a varchar(15), a length no value of it reaches. The column's length is the
    catalog's, or a temp table's as the script declares it."""
    refs: dict[int, m.ColumnRef] | None = None
    for node, consequence in _conditions(query):
        if negation(node) is not None:
            continue  # NOT IN, NOT (a = 'x'): true of every row
        column, texts = _column_and_texts(node) if isinstance(node, (exp.EQ, exp.In)) else (None, [])
        length = _length_compared(node) if column is None else None
        column = length[0] if length is not None else column
        if column is None:
            continue
        refs = query.refs_by_node() if refs is None else refs
        declared = _declared(refs[id(column)], catalog) if id(column) in refs else None
        held = text_length(declared.type) if declared is not None else None
        if held is None or held == math.inf:
            continue
        found = (_length_past(query, node, length[1], declared, held) if length is not None
                 else _texts_past(query, node, column, texts, declared, held))
        if found is None:
            continue
        message, remediation, never = found
        if declared.bundled:
            remediation += " If your database's column is longer, a catalog exported from it says so (sqladvise catalog pull)."
        yield Hit(query.span_of(node), f"{message} {consequence}" if never and consequence else message, remediation)


def _holds(declared: _Declared, held: float) -> str:
    """What the column is declared and holds, in words, and where that comes from."""
    where = " in sqladvise's bundled catalog, an approximation of Campus," if declared.bundled else ""
    return f"{declared.label} is {declared.type}{where} and holds at most {held:.0f} {'character' if held == 1 else 'characters'}"


def _texts_past(query: Query, node: exp.Expression, column: exp.Column, texts: list[str], declared: _Declared,
                held: float) -> tuple[str, str, bool] | None:
    """The finding and its fix where texts a = or IN compares with are longer than the column
    holds, and whether no row matches."""
    longer = [text for text in texts if len(text.rstrip(" ")) > held]
    if not longer:
        return None
    quoted = names([f"'{text}'" for text in longer])
    never = len(longer) == len(texts)
    message = f"{_written(query, node)} is never true" if never else f"{quoted} in {_written(query, node)} can match no row"
    message += f": {_holds(declared, held)}, fewer than {quoted} {'has' if len(longer) == 1 else 'have'}."
    described = [name for name, kind in declared.columns
                 if _DESCRIBING.search(name) and (text_length(kind) or 0) >= len(longer[0])]
    remediation = (f"Compare {_written(query, column)} with a value it holds"
                   + (f", or compare {quoted} with the column that holds such text: {declared.table} has "
                      f"{names(described)}." if described else "."))
    return message, remediation, never


# A length compared so that only a longer value than `held` passes: LEN(x) > held, >= held + 1, = held + 1
_PAST = {exp.GT: lambda n, held: n >= held, exp.GTE: lambda n, held: n > held, exp.EQ: lambda n, held: n > held}


def _length_past(query: Query, node: exp.Expression, compared: tuple[type, int], declared: _Declared,
                 held: float) -> tuple[str, str, bool] | None:
    """The finding and its fix where a length is compared so that only a value longer than the
    column holds passes."""
    kind, number = compared
    if kind not in _PAST or not _PAST[kind](number, held):
        return None
    length = node.this.unnest() if isinstance(node.this.unnest(), exp.Length) else node.expression.unnest()
    return (f"{_written(query, node)} is never true: {_holds(declared, held)}.",
            f"Compare {_written(query, length)} with a length the column can hold, {held:.0f} at most.", True)


def _length_compared(node: exp.Expression) -> tuple[exp.Column, tuple[type, int]] | None:
    """LEN(x) > 15, 15 < LEN(RTRIM(x)): the column whose length is compared, and the comparison as
    LEN sees it, with the number. A conversion or a trim makes no text longer than the column's."""
    if not isinstance(node, (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        return None
    side = next((s for s in (node.this.unnest(), node.expression.unnest()) if isinstance(s, exp.Length)), None)
    oriented = seen_from(node, side) if side is not None else None
    number = unsigned_number(oriented[1][0]) if oriented is not None else None
    if number is None:
        return None
    inner = side.this
    while isinstance(inner, (exp.Cast, exp.Trim)):
        inner = inner.this
    return (inner, (oriented[0], number)) if isinstance(inner, exp.Column) else None


def _column_and_texts(node: exp.Expression) -> tuple[exp.Column | None, list[str]]:
    """The column a = or IN compares, and the texts written for it: e.x = 'text', IN ('a', 'b')."""
    if isinstance(node, exp.In):
        values = node.expressions
        column = node.this.unnest()
    else:
        sides = [node.this.unnest(), node.expression.unnest()]
        column = next((side for side in sides if isinstance(side, exp.Column)), None)
        values = [side for side in sides if side is not column]
    texts = [text for value in values if (text := string_text(value)) is not None]
    return (column, texts) if isinstance(column, exp.Column) and len(texts) == len(values) else (None, [])


def _case_when_null(query: Query) -> Iterator[Hit]:
    """CASE e.endDate WHEN NULL THEN ...: a CASE with a value compares it with each WHEN's by =,
    and with NULL that is never true."""
    text = query.lines.text
    for case in query.calls(exp.Case):
        if case.this is None or not any(isinstance(branch.this.unnest(), exp.Null) for branch in case.args.get("ifs") or []):
            continue
        tested = _written(query, case.this)
        after = node_bounds(case.this)
        found = _WHEN_NULL.search(text, after[1] if after else query.statement.span.start, query.statement.span.end)
        yield Hit(
            query.lines.span(found.start(), found.end()) if found else query.span_of(case),
            f"CASE {tested} WHEN NULL never matches, not even where {tested} is NULL: a CASE with a value compares it "
            f"with each WHEN's by =, and {_UNKNOWN}. CASE never takes this WHEN's THEN.",
            f"Test for NULL with IS NULL, in a CASE that tests conditions: CASE WHEN {tested} IS NULL THEN ... WHEN "
            f"{tested} = ... THEN ... END.",
        )


def _clause_consequence(predicate: m.Predicate) -> str | None:
    """What a never-true condition AND-ed with the rest of its clause does."""
    if predicate.clause == "where":
        return "The WHERE clause is AND-ed with it, so this SELECT returns no rows."
    if predicate.clause == "having":
        return "The HAVING clause is AND-ed with it, so this SELECT returns no groups."
    if predicate.on is not None and predicate.on.join == m.LEFT:
        return (f"The ON clause is AND-ed with it, so the LEFT JOIN finds no row of {predicate.on.label()}: "
                "its columns are NULL on every row.")
    if predicate.on is not None and predicate.on.join == m.INNER:
        return "The ON clause is AND-ed with it, so the join finds no rows and this SELECT returns none."
    return None


def _tested(node: exp.Expression) -> exp.Expression:
    """The condition a node decides: NOT x IN (...) for the IN of x NOT IN (...), NOT (x = @v)
    for its x = @v."""
    negated = negation(node)
    return negated if negated is not None else node


def _null(query: Query, node: exp.Expression) -> tuple[str, str, bool] | None:
    """What a comparison with NULL, or an IN list holding NULL, matches: its message, its fix, and
    whether it is never true."""
    if isinstance(node, (exp.EQ, exp.NEQ)):
        sides = [node.this.unnest(), node.expression.unnest()]
        if not any(isinstance(side, exp.Null) for side in sides) or all(isinstance(side, exp.Null) for side in sides):
            return None
        (tested,) = [_written(query, side) for side in sides if not isinstance(side, exp.Null)]
        fix = f"{tested} IS NULL" if isinstance(node, exp.EQ) else f"{tested} IS NOT NULL"
        return f"{_written(query, node)} is never true: {_UNKNOWN}.", f"Write {fix}.", True
    if not isinstance(node, exp.In) or not any(isinstance(value.unnest(), exp.Null) for value in node.expressions):
        return None
    tested = _written(query, node.this)
    values = [_written(query, value) for value in node.expressions if not isinstance(value.unnest(), exp.Null)]
    if isinstance(node.parent, exp.Not):
        fix = (f"Take NULL out of the list: {tested} NOT IN ({', '.join(values)}) already leaves out the rows where "
               f"{tested} is NULL." if values else f"Write {tested} IS NOT NULL.")
        return (f"{_written(query, node.parent)} is never true: NOT IN asks that {tested} differ from every value in the "
                f"list, and {_UNKNOWN}.", fix, True)
    if not values:
        return f"{_written(query, node)} is never true: {_UNKNOWN}.", f"Write {tested} IS NULL.", True
    return (f"The NULL in {_written(query, node)} matches no row, not even those where {tested} is NULL: {_UNKNOWN}.",
            f"Write ({tested} IN ({', '.join(values)}) OR {tested} IS NULL) to keep the rows where it is NULL; "
            "otherwise take NULL out of the list.", False)


def _unset(query: Query, node: exp.Expression, unset: dict[str, Unset]) -> tuple[str, str, bool] | None:
    """A comparison with a variable the script declares with no value and never sets, which is
    NULL: never true, as a comparison with NULL is (but x IN (@none, 5) still matches 5, and x NOT
    BETWEEN @none AND 5 matches above 5)."""
    if isinstance(node, exp.In):
        operands = [node.this, *node.expressions]
    elif isinstance(node, exp.Between):
        operands = [node.this, node.args.get("low"), node.args.get("high")]
    else:
        operands = [node.this, node.expression]
    left = [operand.unnest() for operand in operands if operand is not None and isinstance(operand.unnest(), exp.Parameter)
            and operand.unnest().name.lower() in unset]
    if not left:
        return None
    negated = negation(node)
    if isinstance(node, exp.Between) and negated is not None:
        return None
    if isinstance(node, exp.In) and node.this.unnest() not in left and negated is None and len(left) < len(node.expressions):
        return None
    variable = left[0]
    facts = unset[variable.name.lower()]
    tested = _written(query, _tested(node))
    return (f"{tested} is never true: @{variable.name} is declared on line {facts.line} with no value, and nothing in the "
            f"file sets it, so it is NULL, and {_UNKNOWN}.",
            f"Give @{variable.name} its value where it is declared (DECLARE @{variable.name} {facts.type_name} = ...), or "
            "SET it before this statement reads it.", True)


def _this_moment(query: Query, node: exp.Expression) -> tuple[str, str, bool] | None:
    """a.date = GETDATE(): GETDATE() is this moment, to a fraction of a second, which a stored date
    or time equals only if it was written at that very instant."""
    if not isinstance(node, exp.EQ):
        return None
    sides = [node.this.unnest(), node.expression.unnest()]
    now = next((side for side in sides if is_moment(side)), None)
    column = next((side for side in sides if isinstance(side, exp.Column)), None)
    if now is None or column is None or node_bounds(now) is None:
        return None  # CURRENT_TIMESTAMP, a keyword: sqlglot keeps no place to quote it from
    tested, moment = _written(query, column), _written(query, now)
    today = f"CAST({moment} AS date)"
    return (f"{_written(query, node)} is never true in practice: {moment} is this moment, to a fraction of a second, and "
            f"{tested} equals it only for a value written at that very instant.",
            f"Write {tested} >= {today} AND {tested} < DATEADD(day, 1, {today}) for today's rows, whatever the time "
            "each holds.", True)


def _between(query: Query, node: exp.Between) -> tuple[str, str, bool] | None:
    """BETWEEN 2026 AND 2020: SQL Server reads it as >= 2026 AND <= 2020, which nothing is; under a
    NOT, which every value but NULL is."""
    low, high = node.args.get("low"), node.args.get("high")
    if low is None or high is None:
        return None
    low, high = _bound(held(low.unnest(), query.constants)), _bound(held(high.unnest(), query.constants))
    if low is None or high is None or type(low) is not type(high) or not low > high or _lengths_differ(low, high):
        return None
    first, second = _written(query, node.args["low"]), _written(query, node.args["high"])
    tested = _written(query, node.this)
    variables = [bound.unnest() for bound in (node.args["low"], node.args["high"]) if isinstance(bound.unnest(), exp.Parameter)]
    said = aside(what_variables_hold(variables, query.constants))
    fix = crossed_variables_fix(names([f"@{v.name}" for v in variables])) if variables else None
    if isinstance(node.parent, exp.Not):
        return (f"{_written(query, node.parent)} is true of every value but NULL{said}: BETWEEN takes the smaller bound "
                "first, so the BETWEEN inside matches no value, and NOT keeps them all.",
                fix or f"Put the bounds the other way round: {tested} NOT BETWEEN {second} AND {first}.", False)
    return (f"{_written(query, node)} is never true{said}: BETWEEN takes the smaller bound first, and reads as "
            f">= {first} AND <= {second}, which no value is.",
            fix or f"Put the bounds the other way round: {tested} BETWEEN {second} AND {first}.", True)


def _lengths_differ(low: object, high: object) -> bool:
    """'9' and '10': text puts '9' after '10', a number column 9 before 10."""
    return isinstance(low, tuple) and low[0] != high[0]


def _bound(value: exp.Expression) -> object | None:
    """A bound written as a number, as a day, or as digits in quotes ('09'), comparable with the
    other bound. Digits of one length sort the same as text and as numbers, whatever the column."""
    number = literal_number(value)
    if number is not None:
        return number
    written = string_text(value)
    if written is not None:
        text = written.strip()
        day = written_date(text, DAY_SPELLINGS)
        return (len(text), text) if day is None and text.isdigit() and text.isascii() else day
    return None


def _span(query: Query, node: exp.Expression) -> Span:
    """Where a node is in the author's text. sqlglot keeps no position for NULL or a variable, so
    a comparison that starts or ends with one (IF @d = NULL, NULL <> e.endDate) is found by its
    own words, near the positions its other parts have, or in the statement."""
    if not any(isinstance(part, (exp.Null, exp.Parameter)) for part in (node, *node.iter_expressions())):
        return query.span_of(node)
    statement = query.statement.span
    bounds = node_bounds(node)
    start, end = (statement.start, statement.end) if bounds is None else (
        max(bounds[0] - _NEAR, statement.start), min(bounds[1] + _NEAR, statement.end))
    words = re.findall(r"@+[\w@#$]+|\w+|<>|!=|[^\s\w]", node.sql("tsql"))
    pattern = r"\s*".join("(?:<>|!=)" if word in ("<>", "!=") else re.escape(word) for word in words)
    found = re.compile(pattern, re.IGNORECASE).search(query.lines.text, start, end) if words else None
    if found is not None:
        return query.lines.span(found.start(), found.end())
    return query.span_of(node)


def _written(query: Query, node: exp.Expression) -> str:
    span = _span(query, node)
    return query.lines.text[span.start:span.end]
