"""Predicates that hide a column from its index: a function or arithmetic on the column,
a leading wildcard, CHARINDEX and PATINDEX, conversions SQL Server makes on the column's side,
dates handled as strings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from sqlglot import exp

from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    conversion,
    date_of_datetime,
    date_part,
    string_text,
    type_family,
)
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import (
    Compared,
    Known,
    comparisons,
    known_columns,
    seekable,
    severity,
    sides,
    sought_beside,
    tested_after,
    unseekable,
)
from advisor.checks.date_parts import (
    coming_round,
    one_month,
    parts_beside,
    together,
)
from advisor.checks.date_ranges import date_range_fix
from advisor.checks.delimited_lists import ListTest, list_test, values_fix
from advisor.checks.digit_ranges import numbers_fix
from advisor.checks.oriented import negated, seen_from
from advisor.checks.registry import FileContext, Hit, file_rule, statement_rule
from advisor.checks.rewrites import empty_test, rewrite
from advisor.checks.snippets import (
    as_in_file,
    aside,
    given,
    quoted,
    what_variables_hold,
    with_parts_replaced,
)
from advisor.words import count


@statement_rule("PR001")
def function_on_column(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        for side in sides(compared.node):
            if isinstance(side, (exp.Column, exp.Subquery, exp.Literal)) or _searches(side) or _date_as_text(side, compared):
                continue
            if compared.predicate.clause == "having" or side.find(exp.AggFunc, exp.Window):
                continue  # computed over groups or rows once every row is read: no index is involved (CL019 where refused)
            mine = known_columns(side, compared.predicate)
            if len({id(k.ref.relation) for k in mine}) != 1:
                continue  # ISNULL(x.status, a.status): several tables' columns, no bare column to compare
            other = [s for s in sides(compared.node) if s is not side]
            beside = [k for s in other for k in known_columns(s, compared.predicate)]
            if any(k.ref.relation is mine[0].ref.relation for k in beside):
                continue  # a.x + 1 > a.y compares a row with itself
            facts = max(mine, key=lambda k: (seekable(query, k), k.table.rows))
            written = partial(as_in_file, query, cut=False)
            if seekable(query, facts) and date_of_datetime(side, facts.column.type):
                yield Hit(
                    query.span_of(side),
                    f"{as_in_file(query, side)} still lets SQL Server seek an index on {facts.label} through the conversion to "
                    "date, but the seek also reads the day before, and its row estimate is a guess where a range "
                    "on the bare column would use the column's statistics.",
                    rewrite(side, facts, compared.node, written, beside),
                    (facts.table.name,),
                    "info",
                )
                continue
            parts = parts_beside(query, compared, facts) if date_part(side) else {}
            combined = together(facts.ref.node.sql("tsql"), parts, written) if len(parts) > 1 else None
            part = coming_round(date_part(side)) if combined is None else None
            if part is not None:
                # a month and a day with no year is the same day of every year (a birthday): no one year is meant
                every_year = part == "month" and parts.keys().isdisjoint(("year", "day"))
                meant = one_month(facts.ref.node.sql("tsql"), parts) if every_year else None
                yield Hit(
                    query.span_of(side),
                    f"{as_in_file(query, side)} computes the {part} of {facts.label} ({count(facts.table.rows)} rows) for every row "
                    f"SQL Server reads: no one range of {facts.column.name} holds every date of the same {part}, so the work "
                    "on each row is the cost, not a lost seek.",
                    f"Limit the rows first (a school year, a date window) so that fewer are computed; a filter on the "
                    f"{part} that runs often can have a computed column ({as_in_file(query, side, cut=False)}) with an index "
                    "of its own, on a table the district owns: Campus's tables are Campus's to change."
                    + (f" If you mean the month of one year, compare the bare column with its dates: {meant}."
                       if meant else ""),
                    (facts.table.name,),
                    "info",
                )
                continue
            fix = combined or rewrite(side, facts, compared.node, written, beside)
            message, fix, level = _hidden(query, side, facts, compared, other, fix)
            yield Hit(query.span_of(side), message, fix, (facts.table.name,), level)


def _hidden(query: Query, side: exp.Expression, facts: Known, compared: Compared, other: list[exp.Expression],
            fix: str) -> tuple[str, str, str]:
    """PR001's message, fix and severity for a column hidden inside an expression: what it costs,
    or why no seek is lost (`_cost`), and what YEAR() of a date compared with a school year's end
    keeps."""
    message, fix, level = _cost(query, side, facts, compared, other, fix)
    school_year = _school_year(query, side, facts, other, compared)
    if school_year is None:
        return message, fix, level
    fix, warning = school_year
    return f"{message} {warning}", fix, level


def _cost(query: Query, side: exp.Expression, facts: Known, compared: Compared, other: list[exp.Expression],
          fix: str) -> tuple[str, str, str]:
    """What hiding the column costs, or why no seek is lost."""
    hidden = f"{as_in_file(query, side)} hides {facts.label} ({count(facts.table.rows)} rows) inside an expression"
    if _unanchored(compared.node, query.constants):  # UPPER(i.lastName) LIKE '%SMITH%': PR002 says what the pattern costs
        return (f"{hidden}, but no seek is lost to it: the pattern starts with a wildcard, which no index on "
                f"{facts.column.name} could seek either. It only adds work on every row SQL Server tests.", fix, "info")
    if _keeps_most(compared.node, side):
        return f"{hidden}: SQL Server computes it for every row it reads, and {_reach(query, facts, True)}.", fix, "info"
    # a join's comparison first: its value is worked out once for each row of the smaller side,
    # whether or not an equality beside it seeks that side
    larger = _larger_joined(other, compared, facts)  # tc.endYear >= s.endYear - 3
    if larger is not None:
        return (f"{hidden}, but no seek is lost: {facts.ref.relation.label()} is the smaller side of the join, and this is "
                f"the value the larger {larger.label} ({count(larger.table.rows)} rows) is compared with.",
                f"Nothing to change for the join: {as_in_file(query, side)} is computed once for each row of "
                f"{facts.ref.relation.label()}; moving the arithmetic across would hide {larger.label} instead."
                if isinstance(side, _MOVABLE) else fix, "info")
    joined = _joined_beside(facts, other, compared)  # e2.endYear = e.endYear - 1 AND e2.personID = e.personID
    if joined is not None:
        equality, column = joined
        return (f"{hidden}, but no seek is lost: the join also compares {as_in_file(query, equality)}, and "
                f"{facts.table.name}'s index on {column} is what SQL Server seeks {facts.ref.relation.label()} by (or it "
                f"reads {facts.ref.relation.alias} first and computes {as_in_file(query, side)} once for each of its rows).",
                "Nothing to change for the join: moving the arithmetic across would hide the other table's column instead."
                if isinstance(side, _MOVABLE) else fix, "info")
    sought = sought_beside(query, facts, same_column=True)  # LEN(i.lastName) > 3 AND i.lastName = 'Smith'
    if sought is not None:
        return f"{hidden}, but no seek is lost: {tested_after(query, sought, as_in_file(query, side))}", fix, "info"
    cost = f"{hidden}: SQL Server computes it for every row it reads, and {_reach(query, facts, False)}."
    return cost, fix, severity(query, facts)


def _school_year(query: Query, side: exp.Expression, facts: Known, other: list[exp.Expression],
                 compared: Compared) -> tuple[str, str] | None:
    """For YEAR(a.date) = c.endYear, the comparison of a calendar year with the year a school year
    ends in, which keeps January to June: the fix with the school year's own first and last days,
    where its table has them, and the warning."""
    if date_part(side) != "year" or not isinstance(compared.node, exp.EQ):
        return None
    ends = [k for s in other if isinstance(s, exp.Column) for k in known_columns(s, compared.predicate)
            if k.column.name.lower() == "endyear" and k.table.scope_kind(k.column.name) == "year"]
    if not ends:
        return None
    year = ends[0]
    qualifier = f"{year.ref.node.table}." if year.ref.node.table else ""
    column = facts.ref.node.sql("tsql")
    # a Calendar's or SchoolYear's startDate and endDate are the year's own first and last days
    days = year.table.key_kind in ("calendar", "year") and year.table.column("startDate") and year.table.column("endDate")
    fix = (f"For the whole school year, compare with its first and last days: {column} >= {qualifier}startDate AND "
           f"{column} <= {qualifier}endDate instead of {as_in_file(query, compared.node, cut=False)}." if days else
           f"For the whole school year, compare {column} with the first and last days of the school year, from its "
           "Calendar or SchoolYear, not with the number of the year it ends in.")
    warning = (f"{as_in_file(query, year.ref.node)} is the year a school year ends in, so "
               f"{as_in_file(query, compared.node)} keeps that school year's dates from January on and drops the fall "
               "before them.")
    return fix, warning


# arithmetic PR001's fix would move to the other side of the comparison
_MOVABLE = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.DateAdd, exp.DateSub, exp.DateDiff)


def _larger_joined(other: list[exp.Expression], compared: Compared, facts: Known) -> Known | None:
    """The bare column on the other side of a join comparison, when its table is larger than the
    hidden column's: the plan reads the smaller side and seeks the larger one with the value."""
    joined = [k for s in other if isinstance(s, exp.Column) for k in known_columns(s, compared.predicate)]
    return joined[0] if joined and joined[0].table.rows > facts.table.rows else None


def _joined_beside(facts: Known, other: list[exp.Expression], compared: Compared) -> tuple[exp.Expression, str] | None:
    """An equality of bare columns beside a join comparison, between the hidden column's table and
    the other side's, on a column that indexes of the hidden column's table start with and that
    none of them follows with the hidden column (e2.personID = e.personID beside e2.endYear =
    e.endYear - 1, IX_Enrollment_personID): nested loops seek that table on it from whichever side
    they start, and the bare column would not have narrowed the seek. Not YEAR(a.date) = e.endYear
    beside a.personID = e.personID: Attendance's (personID, date) index would seek the year's dates."""
    partners = {id(k.ref.relation) for s in other if isinstance(s, exp.Column) for k in known_columns(s, compared.predicate)}
    hidden = facts.column.name.lower()
    narrowed: dict[str, bool] = {}  # each index's first column: whether an index starting with it has the hidden column
    for index in facts.table.indexes:
        columns = [column.lower() for column in index.columns]
        narrowed[columns[0]] = narrowed.get(columns[0], False) or hidden in columns[1:]
    mine = facts.ref.relation
    for predicate in mine.block.predicates:
        node = predicate.node.unnest()
        if (predicate is compared.predicate or not isinstance(node, exp.EQ) or len(predicate.columns) != 2
                or not all(isinstance(s.unnest(), exp.Column) for s in (node.this, node.expression))
                or not any(id(ref.relation) in partners for ref in predicate.columns)):
            continue
        seeking = next((ref.name for ref in predicate.columns if ref.relation is mine and narrowed.get(ref.name.lower()) is False),
                       None)
        if seeking is not None:
            return predicate.node, seeking
    return None


def _reach(query: Query, facts: Known, keeps_most: bool) -> str:
    """What hiding the column costs, in words."""
    if keeps_most:
        return ("the comparison keeps all but some values, which an index on the bare column would not narrow either, "
                "so this costs work on every row")
    if seekable(query, facts):
        return f"an index on {facts.column.name} cannot be sought"
    return f"{unseekable(query, facts)}, so this costs work on every row"


def _keeps_most(node: exp.Expression, side: exp.Expression) -> bool:
    """<>, NOT LIKE, NOT IN: a comparison that keeps all but a few values, which a seek on the
    bare column would not help either (PR010)."""
    oriented = seen_from(node, side)
    return ((oriented is not None and oriented[0] is exp.NEQ) or (isinstance(node, (exp.In, exp.Like)) and negated(node))
            or (isinstance(side, exp.Length) and empty_test(side, node) == "<>"))


@statement_rule("PR002")
def leading_wildcard(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        node = compared.node
        if not _unanchored(node, query.constants):
            continue
        tested = known_columns(node.this, compared.predicate)  # i.lastName, or UPPER(i.lastName)
        if len({id(k.ref.relation) for k in tested}) != 1:
            continue  # a.city + ', ' + b.state: no one table's column is searched
        # one finding for the pattern, on a column an index could seek (i.lastName + ', ' + i.firstName)
        facts = next((k for k in tested if seekable(query, k)), None)
        if facts is None:
            continue  # no index to seek: the table is read whole whatever the pattern
        first = _first_piece(node.expression)
        pattern = string_text(held(first, query.constants))
        everything = set(pattern) == {"%"} and first is node.expression.unnest()  # LIKE '%'
        written = as_in_file(query, node.expression) + aside(what_variables_hold([first], query.constants))
        sought = sought_beside(query, facts)
        if isinstance(first, exp.Parameter):  # what it holds without the wildcards it starts with, as the pattern or its start
            kept = pattern.lstrip("%_")
            anchored = given(first, kept.rstrip("%") + "%" if first is node.expression.unnest() else kept)
        else:
            anchored = f"LIKE {_anchored(query, node.expression)}"
        yield Hit(
            query.span_of(node),
            f"LIKE {written} starts with a wildcard: SQL Server cannot seek {facts.label}; "
            f"{tested_after(query, sought, 'the pattern')}" if sought is not None else
            f"LIKE {written} starts with a wildcard: SQL Server cannot seek {facts.label} and tests every one "
            f"of its {count(facts.table.rows)} rows.",
            f"Write {as_in_file(query, node.this)} IS NOT NULL: LIKE '%' keeps every value but NULL."
            if everything else
            f"Search from the start of the value ({anchored}) when that is what is meant; for searches inside values, limit the rows first (a year, a school) so fewer are tested.",
            (facts.table.name,),
            "info" if sought is not None else severity(query, facts),
        )


def _unanchored(node: exp.Expression, constants: dict[str, exp.Expression]) -> bool:
    """A LIKE whose pattern starts with a wildcard, which no index can seek: LIKE '%SMITH%', or
    LIKE @name where @name holds '%son' (`constants`: what the query's variables hold)."""
    if not isinstance(node, exp.Like):
        return False
    pattern = string_text(held(_first_piece(node.expression), constants))
    return pattern is not None and pattern.startswith(("%", "_"))


# What joins the first piece of a pattern to the next: + or || (written as + in T-SQL), a CONCAT's comma.
_ORDERED = (exp.GT, exp.GTE, exp.LT, exp.LTE)
_SEPARATOR = re.compile(r"^\s*(\+|\|\||,)\s*")


def _first_piece(node: exp.Expression) -> exp.Expression:
    """What a pattern put together starts with: '%' + @name starts with '%'."""
    node = node.unnest()
    while isinstance(node, (exp.DPipe, exp.Add, exp.Concat)):
        node = (node.expressions[0] if isinstance(node, exp.Concat) else node.this).unnest()
    return node


def _anchored(query: Query, pattern: exp.Expression) -> str:
    """The pattern as written without the wildcards it starts with, and ending with one: '%abc%'
    gives 'abc%', '%' + @name + '%' gives @name + '%', CONCAT('%', @n) gives CONCAT(@n, '%')."""
    first = _first_piece(pattern)
    kept = (string_text(first) or "").lstrip("%_").replace("'", "''")
    whole, piece = query.span_of(pattern), query.span_of(first)
    if first is pattern.unnest() or not whole.start <= piece.start < piece.end <= whole.end or whole == query.statement.span:
        return f"'{kept.rstrip('%')}%'"
    text = query.lines.text
    before, after = text[whole.start:piece.start], text[piece.end:whole.end]
    anchored = before + f"'{kept}'" + after if kept else before + _SEPARATOR.sub("", after, count=1)
    if not anchored.rstrip(")").rstrip().endswith("%'"):  # still a search for the whole value
        anchored = (anchored[:-1] + ", '%')" if anchored.endswith(")") and isinstance(pattern.unnest(), exp.Concat)
                    else anchored + " + '%'")
    return re.sub(r"\s+", " ", anchored).strip()


@statement_rule("PR003")
def charindex_filter(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        listed = list_test(compared.node)
        if listed is not None:
            yield from _list_search(query, compared, listed)
            continue
        for side in sides(compared.node):
            if not _searches(side):
                continue
            for facts in known_columns(side, compared.predicate):
                if not seekable(query, facts):
                    continue  # no index to seek: the table is read whole whatever the search
                sought = sought_beside(query, facts)
                yield Hit(
                    query.span_of(side),
                    f"{as_in_file(query, side)} searches inside {facts.label}, which no index can help; "
                    f"{tested_after(query, sought, 'the search')}" if sought is not None else
                    f"{as_in_file(query, side)} searches inside {facts.label} for every one of its {count(facts.table.rows)} "
                    "rows: no index can help.",
                    "When the text starts the value, use LIKE 'text%', which can seek; otherwise limit the rows "
                    "first (a year, a school) so that fewer are searched.",
                    (facts.table.name,),
                    "info" if sought is not None else severity(query, facts),
                )
                break


def _list_search(query: Query, compared: Compared, listed: ListTest) -> Iterator[Hit]:
    """A column looked for in a delimited list: built into text on every row, so no seek."""
    for facts in known_columns(listed.column, compared.predicate)[:1]:
        if not seekable(query, facts):
            continue  # no index to seek: the table is read whole whatever the test
        sought = sought_beside(query, facts)
        looks = f"{as_in_file(query, compared.node)} looks for {facts.label} in a list, as text built on each row"
        yield Hit(
            query.span_of(compared.node),
            f"{looks}, so no index can seek it; {tested_after(query, sought, 'the list')}" if sought is not None else
            f"{looks}: SQL Server builds it for every one of its {count(facts.table.rows)} rows, and no index can seek it.",
            values_fix(listed, as_in_file(query, listed.column, cut=False), facts.column.type),
            (facts.table.name,),
            "info" if sought is not None else severity(query, facts),
        )


def _searches(side: exp.Expression) -> bool:
    return isinstance(side, exp.StrPosition) or (isinstance(side, exp.Anonymous) and side.name.upper() == "PATINDEX")


@file_rule("PR004")
def implicit_conversion(context: FileContext) -> Iterator[Hit]:
    parameters = context.script.report_parameters
    for query in context.queries:
        declared = context.variable_types(query.statement)
        for compared in comparisons(query):
            for subject, values in _column_and_values(compared.node, query.constants):
                if not any(_may_outrank(value, declared) for value in values):
                    continue
                for facts in known_columns(subject, compared.predicate):
                    found = next(((v, r) for v in values if (r := _converts(facts, v, compared, declared)) is not None), None)
                    if found is None:
                        continue
                    converting, (reason, family) = found
                    sent = isinstance(converting, exp.Parameter) and converting.name.lower() in parameters
                    if sent:
                        kind = parameters[converting.name.lower()]
                        reason = f"@{converting.name} is a report parameter, which SSRS sends as {kind}, and {kind} outranks it"
                    may_fail = family in ("number", "date")
                    fails = f" Any {facts.label} that is not a {family} stops the query with a conversion error." if may_fail else ""
                    yield Hit(
                        query.span_of(compared.node),
                        f"{facts.label} is {facts.column.type}; {reason}, so SQL Server converts the column on every "
                        f"one of its {count(facts.table.rows)} rows and cannot seek it.{fails}",
                        _parameter_fix(converting, facts) if sent else
                        _own_type_fix(query, compared.node, converting, values, facts),
                        (facts.table.name,),
                        # a query that can stop with an error matters whatever the table's size
                        "warning" if may_fail and severity(query, facts) == "info" else severity(query, facts),
                    )


def _column_and_values(node: exp.Expression, constants: dict[str, exp.Expression]) -> list[tuple[exp.Column, list[exp.Expression]]]:
    """Each bare column of a comparison with what it is compared with: both ways round for =, <...;
    the tested column of IN; the column LIKE tests, with its pattern where that is no number (LIKE
    converts a number to text, and an N'...' pattern converts the column as = does) and does not
    start with a wildcard, as written or held by its variable (`constants`): no seek either way, PR002's."""
    if isinstance(node, exp.In):
        pairs = [(node.this.unnest(), [v.unnest() for v in node.expressions])]
    elif isinstance(node, exp.Like):
        pattern = node.expression.unnest()
        number = isinstance(pattern, exp.Literal) and not pattern.is_string
        pairs = [] if number or _unanchored(node, constants) else [(node.this.unnest(), [pattern])]
    elif isinstance(node, exp.Between):
        return []
    else:
        left, right = node.this.unnest(), node.expression.unnest()
        pairs = [(left, [right]), (right, [left])]
    return [(column, values) for column, values in pairs if isinstance(column, exp.Column)]


def _own_type_fix(query: Query, node: exp.Expression, converting: exp.Expression, values: list[exp.Expression],
                  facts: Known) -> str:
    """The comparison with the value that converts the column (`converting`, one of `values`) given
    the column's type: numbers and N'...' written as plain text, a variable declared as the column."""
    if isinstance(converting, exp.Parameter):
        return f"Declare @{converting.name} as {facts.column.type}, the type of {facts.label}."
    if isinstance(converting, exp.Column):
        return (f"Compare it with a column of its own type; where {converting.sql('tsql')} is the one meant, convert it "
                f"instead: CAST({converting.sql('tsql')} AS {facts.column.type}) leaves {facts.label} as it is for its "
                "index (as text, '9' does not match '09').")
    if isinstance(node, _ORDERED) and isinstance(converting, exp.Literal) and not converting.is_string:
        # as text, a range is read character by character: '10' before '9', and 'KG' after every digit
        tested = as_in_file(query, node.this if node.expression is converting else node.expression)
        return ("Do not make it a text range: text compares character by character ('10' sorts before '9', and 'KG' "
                f"after every digit). {numbers_fix(node, tested, facts.label)}")
    plain = [value for value in values
             if isinstance(value, exp.National) or (isinstance(value, exp.Literal) and not value.is_string)]
    whole = node.parent if isinstance(node.parent, exp.Escape) else node  # the fix keeps a LIKE's ESCAPE clause
    rewritten = with_parts_replaced(query, whole, [(value, quoted(value.this)) for value in plain])
    if rewritten is None:  # as sqlglot writes it, where the file has no place for a part
        copied = node.copy()
        for value in copied.expressions if isinstance(copied, exp.In) else (copied.this, copied.expression):
            bare = value.unnest()
            if isinstance(bare, exp.National) or (isinstance(bare, exp.Literal) and not bare.is_string):
                bare.replace(exp.Literal.string(bare.this))
        rewritten = copied.sql("tsql")
    if isinstance(converting, exp.National):
        return f"Drop the N: {rewritten}."
    many = sum(isinstance(value, exp.Literal) and not value.is_string for value in values) > 1
    return (f"Compare it with text: {rewritten}, written the way {facts.label} holds {'them' if many else 'it'} "
            "(as text, '9' does not match '09').")


def _parameter_fix(parameter: exp.Parameter, facts: Known) -> str:
    """A report parameter's type is the report's to choose, not the query's: the query converts it."""
    return (f"Convert the parameter, not the column: compare {facts.label} with CAST(@{parameter.name} AS "
            f"{facts.column.type}), which leaves the column as it is for its index.")


def _may_outrank(value: exp.Expression, declared: dict[str, str]) -> bool:
    """Whether a value's type could rank above a text column's: a number, N'...', a declared
    variable or another column. Most comparisons are with strings, and are done here."""
    return ((isinstance(value, exp.Literal) and not value.is_string) or isinstance(value, (exp.National, exp.Column))
            or (isinstance(value, exp.Parameter) and value.name.lower() in declared))


def _converts(facts: Known, value: exp.Expression, compared: Compared, declared: dict[str, str]) -> tuple[str, str] | None:
    """Why the column's side converts, if it does, and the family of the type it converts to:
    SQL Server converts the side whose type ranks lower, and text ranks below numbers and dates,
    and varchar below nvarchar."""
    if type_family(facts.column.type) != "text":
        return None
    varchar = facts.column.type.lower().startswith(("varchar", "char"))
    if isinstance(value, exp.Literal) and not value.is_string:
        return f"comparing it with the number {value.sql('tsql')} turns every value into a number", "number"
    if isinstance(value, exp.National) and varchar:
        return f"N{quoted(value.this)} is nvarchar, which outranks it", "text"
    if isinstance(value, exp.Parameter) and value.name.lower() in declared:
        named, kind = f"@{value.name}", declared[value.name.lower()]
    elif isinstance(value, exp.Column):
        other = next(iter(known_columns(value, compared.predicate)), None)
        if other is None:
            return None
        named, kind = other.label, other.column.type.lower()
    else:
        return None
    if type_family(kind) in ("number", "date") or (varchar and kind.startswith(("nvarchar", "nchar"))):
        return f"{named} is {kind}, which outranks it", type_family(kind) or "text"
    return None


@statement_rule("PR005")
def dates_as_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in comparisons(query):
        for side in sides(compared.node):
            if not _date_as_text(side, compared):
                continue
            depends = "the format" if _numbers_only(side) else "the format and the server's language"
            for facts in known_columns(side, compared.predicate):
                yield Hit(
                    query.span_of(compared.node),
                    f"{as_in_file(query, compared.node)} compares {facts.label} ({count(facts.table.rows)} rows), a "
                    f"{facts.column.type}, as text: SQL Server formats every row it reads as a string, "
                    f"{_reach(query, facts, False)}, and the result depends on {depends}.{_out_of_order(side, compared.node)}",
                    date_range_fix(facts.ref.node.sql("tsql"), facts.column.type, side, seen_from(compared.node, side)),
                    (facts.table.name,),
                    severity(query, facts),
                )
                break


# CONVERT styles that write the month's name (0 and 100 are CAST's and an implicit conversion's),
# which the session's language spells: 'Dec 18 2026' in English is 'déc 18 2026' in French.
_NAMED_MONTH_STYLES = {"0", "100", "6", "106", "7", "107", "9", "109", "13", "113", "130"}


# CONVERT styles whose text does not sort as the days do, for the range that compares it: each
# style's pattern, and how it writes a day of December 2025 and one of August 2026.
_UNSORTED_STYLES = {
    "1": ("mm/dd/yy", "12/15/25", "08/15/26"), "101": ("mm/dd/yyyy", "12/15/2025", "08/15/2026"),
    "10": ("mm-dd-yy", "12-15-25", "08-15-26"), "110": ("mm-dd-yyyy", "12-15-2025", "08-15-2026"),
    "3": ("dd/mm/yy", "15/12/25", "01/08/26"), "103": ("dd/mm/yyyy", "15/12/2025", "01/08/2026"),
    "4": ("dd.mm.yy", "15.12.25", "01.08.26"), "104": ("dd.mm.yyyy", "15.12.2025", "01.08.2026"),
    "5": ("dd-mm-yy", "15-12-25", "01-08-26"), "105": ("dd-mm-yyyy", "15-12-2025", "01-08-2026"),
    "6": ("dd mon yy", "15 Dec 25", "01 Aug 26"), "106": ("dd mon yyyy", "15 Dec 2025", "01 Aug 2026"),
    "7": ("Mon dd, yy", "Dec 15, 25", "Aug 15, 26"), "107": ("Mon dd, yyyy", "Dec 15, 2025", "Aug 15, 2026"),
}
_RANGES_OF_TEXT = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)


def _out_of_order(side: exp.Expression, node: exp.Expression) -> str:
    """For a range over dates written in a style that does not start with the year, which days
    the text puts in the wrong order."""
    styles = {str(converted.args.get("style").name) for converted in side.find_all(exp.Convert)
              if isinstance(converted.args.get("style"), exp.Literal)}
    if not isinstance(node, _RANGES_OF_TEXT) or len(styles) != 1 or (style := styles.pop()) not in _UNSORTED_STYLES:
        return ""
    pattern, december, august = _UNSORTED_STYLES[style]
    return (f" Written as {pattern}, a day of December 2025 ('{december}') sorts after one of August 2026 "
            f"('{august}'): the range keeps days of other years and leaves out some of its own.")


def _numbers_only(side: exp.Expression) -> bool:
    """Whether every conversion of a date to text on this side writes the date in numbers, with a
    style the server's language does not change: CONVERT(varchar(10), a.date, 120)."""
    styles = [converted.args.get("style") for converted in side.find_all(exp.Cast, exp.Convert)]
    return bool(styles) and all(isinstance(style, exp.Literal) and style.name not in _NAMED_MONTH_STYLES
                                for style in styles)


def _date_as_text(side: exp.Expression, compared) -> bool:
    """CONVERT(varchar, a.date, 101) = '...', CAST(a.date AS char(10)) LIKE ..., a.date LIKE '2026%'."""
    if isinstance(side, exp.Column) and isinstance(compared.node, exp.Like):
        return any(type_family(k.column.type) == "date" for k in known_columns(side, compared.predicate))
    for converted in side.find_all(exp.Cast, exp.Convert):
        target, operand = conversion(converted)
        if (isinstance(target, exp.DataType) and target.is_type(*exp.DataType.TEXT_TYPES) and operand is not None
                and any(type_family(k.column.type) == "date" for k in known_columns(operand, compared.predicate))):
            return True
    return False
