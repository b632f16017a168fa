"""How many rows: SQL Server's guesses for data it has no statistics on, made aware of scope
with what the catalog knows (a school year is one year of a history table's rows).

Without a district's statistics every estimate is a guess; these are the optimizer's own:
equality keeps rows^0.75 of a column without known values (the legacy estimator), a one-sided
inequality 30%, BETWEEN and LIKE 9%, and several filters on a table combine by exponential
backoff as the 2014+ estimator does (by multiplying, as the legacy one does, for a database whose
catalog says its compatibility level is below 120). Where the catalog knows better (a key, a column naming
another table's key, a year column) the number of distinct values decides.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.flatten import listed_rows
from advisor.analysis.graph import Choice, Filter, Node, other_bound
from advisor.analysis.predicates import comparison, string_text, written_date
from advisor.analysis.scope import WITHIN_A_YEAR, kind_of, window
from advisor.catalog.model import Catalog, Index, Table
from advisor.catalog.storage import index_pages, table_pages

EQUALITY_EXPONENT = 0.75
RANGE_GUESS = 0.30
BETWEEN_GUESS = 0.09
LIKE_GUESS = 0.09
NULL_GUESS = 0.10
# Of a year's spans still open (an enrollment, a roster entry: endDate NULL while open), the share
# whose end is written ahead of time (a withdrawal already dated): a guess, as NULL_GUESS is
WRITTEN_END_GUESS = 0.10
# Relations the catalog has no counts for.
TABLE_VARIABLE_ROWS = 1  # what SQL Server assumes
FUNCTION_ROWS = 100  # a multi-statement table-valued function, as SQL Server 2014+ assumes
LEGACY_FUNCTION_ROWS = 1  # the same under the legacy estimator
TEMP_TABLE_ROWS = 1_000
UNKNOWN_ROWS = 1_000
_TIME_KINDS = frozenset({"year", "date"})
_WHEN = -1  # the key of the conditions that keep a time, among those keyed by id()
# What names a thing of one school year: a calendar, term, trial or section
_OF_A_SCHOOL_YEAR = WITHIN_A_YEAR - _TIME_KINDS
SCHOOL_DAYS = 180  # the distinct dates a school year gives a date column
CODE_VALUES = 4  # a one- or two-character code column holds a handful of values
LETTERS = 26  # how much each letter of a LIKE prefix narrows a name
_DATE_SPELLINGS = ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y")  # how district SQL writes a date literal


class Sizes:
    """Row and page counts `years` from now: history tables gain a year of rows each year,
    lookups stay as they are."""

    def __init__(self, catalog: Catalog, years: int = 0):
        self.catalog = catalog
        self.years = years
        self.legacy = catalog.server is not None and catalog.server.legacy_estimator
        # A column named like another table's one-column key takes that table's values
        self.keys = catalog.key_tables()
        # Column sets that identify a row of some table: where a query groups another table
        # by one, its combinations are no more than that table's rows.
        self.grains = [(table, frozenset(c.lower() for c in grain)) for table in catalog.tables.values() for grain in table.grains]
        self._pages: dict[tuple[int, int], float] = {}
        self._values: dict[tuple[int, str], float | None] = {}

    def rows(self, table: Table) -> float:
        return max(table.rows + table.growth_per_year * self.years, 1)

    def combine(self, selectivities: list[float]) -> float:
        """Several filters on one table, as the database's cardinality estimator combines them."""
        return math.prod(selectivities) if self.legacy else backoff(selectivities)

    def pages(self, table: Table) -> float:
        return self._remembered(table, None, lambda: table_pages(table) * self._grown(table))

    def index_pages(self, table: Table, index: Index) -> float:
        return self._remembered(table, index, lambda: index_pages(table, index) * self._grown(table))

    def _remembered(self, table: Table, index: Index | None, work: Callable[[], float]) -> float:
        """Page counts of the catalog's own tables are kept: every file asks for the same ones.
        A file's temp tables are not: another file's #t is another table."""
        if self.catalog.table(table.name) is not table:
            return work()
        key = (id(table), id(index))
        if key not in self._pages:
            self._pages[key] = work()
        return self._pages[key]

    def years_share(self, table: Table, rows: float, years: float = 1.0) -> float:
        """The share of a history table's `rows` that `years` school years of it hold."""
        return min(self.per_year(table) * years / rows, 1.0)

    def per_year(self, table: Table) -> float:
        """The rows one school year adds to a history table."""
        if table.growth_per_year:
            return table.growth_per_year
        return table.rows / max(self.catalog.history_years, 1)

    def ndv(self, table: Table, column: str) -> float | None:
        """How many distinct values the column holds, when the catalog says enough to tell. Kept
        for the catalog's own tables, as page counts are: planning a file asks thousands of times."""
        column = column.lower()
        if self.catalog.tables.get(table.name.lower()) is not table:
            return self._ndv(table, column)
        key = (id(table), column)
        if key not in self._values:
            self._values[key] = self._ndv(table, column)
        return self._values[key]

    def _ndv(self, table: Table, column: str) -> float | None:
        kind = table.scope_kind(column)
        referenced = self.keys.get(column)
        # School.number names a school, as School's key does; Term.termScheduleID shares Term's
        # scope but holds TermSchedule's keys
        names_row = kind is not None and kind == table.key_kind and (referenced is None or referenced is table)
        if table.unique_on(column) or kind == "record" or names_row:
            return self.rows(table)
        if kind == "person" and (people := self.keys.get("personid")) is not None:
            return min(self.rows(table), self.rows(people))  # a student number names one person
        if kind == "year":
            return max(self.rows(table) / self.per_year(table), 1)
        if kind == "date":
            return max(self.rows(table) / self.per_year(table), 1) * SCHOOL_DAYS
        if referenced is not None and referenced is not table:
            return self.rows(referenced)
        described = table.column(column)
        if described is not None and described.type.lower() == "bit":
            return 2
        if described is not None and _code_type(described.type):
            return CODE_VALUES
        return None

    def _grown(self, table: Table) -> float:
        return self.rows(table) / max(table.rows, 1)


def _code_type(sql_type: str) -> bool:
    """char(1), varchar(2)...: a code column such as status or serviceType."""
    kind = sql_type.lower().replace(" ", "")
    return kind.startswith(("char(", "nchar(", "varchar(", "nvarchar(")) and kind.split("(")[1].rstrip(")") in ("1", "2")


def base_rows(sizes: Sizes, node: Node, filled: dict[str, float]) -> float:
    """The rows a node holds before any filter: a catalog table's, a temp table's or table
    variable's that an earlier statement filled (`filled`: its estimated rows, by name), or a
    guess. SQL Server plans a table variable as one row whatever it holds; its time follows the rows."""
    if node.table is not None:
        return sizes.rows(node.table)
    if node.relation.kind in (m.TEMP, m.TABLE_VARIABLE) and node.relation.name.lower() in filled:
        return max(filled[node.relation.name.lower()], 1.0)
    listed = listed_rows(node.relation)
    if listed is not None:
        return listed
    return {
        m.TABLE_VARIABLE: TABLE_VARIABLE_ROWS,
        m.FUNCTION: LEGACY_FUNCTION_ROWS if sizes.legacy else FUNCTION_ROWS,
        m.TEMP: TEMP_TABLE_ROWS,
    }.get(node.relation.kind, UNKNOWN_ROWS)


def backoff(selectivities: list[float]) -> float:
    """Several filters on one table, most selective first: s1 * s2^(1/2) * s3^(1/4) * s4^(1/8)."""
    combined = 1.0
    for at, selectivity in enumerate(sorted(selectivities)[:4]):
        combined *= selectivity ** (1 / 2**at)
    return combined


def filter_selectivity(sizes: Sizes, node: Node, condition: Filter, rows: float) -> float:
    """The share of the node's rows (`rows` before any filter) that pass the condition."""
    table = node.table
    if condition.operator in ("eq", "in"):
        distinct = condition.choices or (sizes.ndv(table, condition.column) if table is not None and condition.own_values else None)
        shared = _shared(table, condition, distinct) if table is not None and condition.own_values else None
        if shared is not None:
            return shared
        if condition.values == math.inf:
            return _report_list(sizes, table, condition.column, rows)
        per_value = 1 / distinct if distinct else rows ** (EQUALITY_EXPONENT - 1)
        return min(per_value * _values_given(sizes, condition), 1.0)
    if condition.operator == "range":
        if table is not None and table.history and table.scope_kind(condition.column) in _TIME_KINDS:
            days = _days_between(node, condition)
            if days is not None:  # the lower bound stands for the window; the upper one is within it
                return 1.0 if condition.bound == "upper" else sizes.years_share(table, rows, days / 365)
            if condition.bound != "upper":
                # the years a lower bound keeps, one more each year for a fixed one; a year when it is a
                # variable. An end date keeps the spans that end after it: those that began up to a year before.
                kept = window(condition)
                years = 1.0 if kept is None else kept.years + (sizes.years if kept.fixed else 0)
                if kept is not None and condition.column.startswith("end"):
                    years += 1.0
                if condition.sargable and _open_span_end(table, condition.column):
                    # this year's open spans have no end to compare (NULL): only those written ahead
                    # stay. Not through ISNULL(e.endDate, '2099-12-31'), which gives them one.
                    years -= 1 - WRITTEN_END_GUESS
                return sizes.years_share(table, rows, max(years, 1 / 365))
            if condition.condition.find(exp.CurrentTimestamp, exp.CurrentDate) is not None:
                return 1.0  # startDate <= GETDATE(): every year of the history, up to today
        elif condition.bound and other_bound(condition, node.filters) is not None:
            # calendarID >= 100 AND calendarID < 110 is one range, as BETWEEN is: the lower bound stands for it
            return 1.0 if condition.bound == "upper" else BETWEEN_GUESS
        return RANGE_GUESS if condition.bound else BETWEEN_GUESS
    if condition.operator == "like":
        # LIKE 'Anders%' reads a range of names; each letter of a literal prefix narrows it
        prefix = like_prefix(condition.condition)
        return min(LIKE_GUESS, LETTERS ** -len(prefix)) if prefix else LIKE_GUESS
    if table is not None and condition.own_values and _open_span_end(table, condition.column):
        return sizes.years_share(table, rows)
    return NULL_GUESS


def _open_span_end(table: Table, column: str) -> bool:
    """The end date of a person's span in a school year (an enrollment, a roster entry): NULL
    while the span is open, so the rows where it is NULL are this year's."""
    kinds = table.scope.values()
    return (table.history and column.startswith("end") and table.scope_kind(column) == "date"
            and "person" in kinds and not _OF_A_SCHOOL_YEAR.isdisjoint(kinds))


def _values_given(sizes: Sizes, condition: Filter) -> float:
    """How many values the condition compares with: its IN list's; for an IN (SELECT y ...)
    pushed into a grouped view, the values y holds among the subquery's rows, as far as the
    catalog tells (this year's calendars: a year of them), else one."""
    source = condition.source
    if source is None or source[0].table is None or sizes.ndv(source[0].table, source[1]) is None:
        return condition.values
    node, column = source
    return distinct_in(sizes, node, column, math.inf, alone=True, same_year=bool(node.own_kinds & WITHIN_A_YEAR))


def _report_list(sizes: Sizes, table: Table | None, column: str, rows: float) -> float:
    """The share of rows a report's multi-value parameter keeps: every value it may hold, as
    Select All passes them. A report lists the calendars, terms or sections of the school year
    picked first, so for those a year of the history; every row otherwise."""
    if table is not None and table.history and table.scope_kind(column) in _OF_A_SCHOOL_YEAR:
        return sizes.years_share(table, rows)
    return 1.0


def _shared(table: Table, condition: Filter, distinct: float | None) -> float | None:
    """The share of rows the condition's literal values hold, where the catalog knows how often
    its column's values occur: a value it does not list shares what the listed ones leave."""
    shares = table.shares.get(condition.column)
    if not shares or not condition.literals:
        return None
    others = max(1.0 - sum(shares.values()), 0.0) / max((distinct or 2) - len(shares), 1)
    return min(sum(shares.get(value, others) for value in condition.literals), 1.0)


def like_prefix(condition: exp.Expression) -> str | None:
    """The literal start of a LIKE pattern, before its first wildcard: 'Anders' for
    'Anders%', '' for '%son' (no index can seek on that); None when the pattern is not a literal."""
    parsed = comparison(condition)
    text = string_text(parsed.values[0]) if parsed is not None and parsed.operator == "like" else None
    if text is None:
        return None
    cut = min((at for at in (text.find(w) for w in "%_[") if at >= 0), default=len(text))
    return text[:cut]


def _listed(node: Node, column: str) -> list[float]:
    """How many values each equality or IN list on the column gives: a = 812 leaves one."""
    return [f.values for f in node.filters if f.column == column and f.operator in ("eq", "in") and f.own_values]


def _days_between(node: Node, condition: Filter) -> int | None:
    """The days between the literal dates that bound a column: BETWEEN '2026-03-01' AND
    '2026-03-31', or date >= '2026-03-01' with date < '2026-04-01' on the same column."""
    if condition.bound is None:
        dates = _dates_in(condition.condition)
        return (max(dates) - min(dates)).days + 1 if len(dates) == 2 else None
    partner = other_bound(condition, node.filters)
    mine, theirs = _dates_in(condition.condition), _dates_in(partner.condition) if partner is not None else []
    if len(mine) != 1 or len(theirs) != 1:
        return None
    lower, upper = (mine[0], theirs[0]) if condition.bound == "lower" else (theirs[0], mine[0])
    return max((upper - lower).days, 1)


def _dates_in(condition: exp.Expression) -> list[date]:
    """The dates a condition's string literals spell: '2026-03-01', '20260301', '3/1/2026'."""
    written = (written_date(text.strip()[:10], _DATE_SPELLINGS) for literal in condition.find_all(exp.Literal, exp.National)
               if (text := string_text(literal)) is not None)
    return [day for day in written if day is not None]


def choice_selectivity(sizes: Sizes, node: Node, choice: Choice, rows: float,
                       tested: dict[int, float] | None = None) -> float:
    """An OR: a row passes if any branch lets it through; a branch without a filter on this
    node lets every row through, unless an IN or EXISTS in it keeps a known share of them
    (`tested`, by the branch's place)."""
    passing = 1.0
    for index, branch in enumerate(choice.branches):
        mine = [filter_selectivity(sizes, node, f, rows) for f in branch if f.node is node]
        if tested and index in tested:
            mine.append(tested[index])
        if not mine:
            return 1.0
        passing *= 1 - sizes.combine(mine)
    return 1 - passing


def node_selectivity(sizes: Sizes, node: Node, choices: list[Choice], rows: float, extra: list[float] = (),
                     tested: dict[int, dict[int, float]] | None = None) -> float:
    # One condition on several of the node's columns (a view's activeToday reads startDate and
    # endDate) keeps its rows once: the most selective of its filters stands for it. So do the
    # conditions that each keep a school year or a window of dates (endYear = 2026 AND
    # endDate IS NULL): they keep the same year's rows, not a share of a share.
    by_condition: dict[int, float] = {}
    for f in node.filters:
        key = _WHEN if _keeps_a_time(node, [f]) else id(f.condition) if f.condition is not None else id(f)
        by_condition[key] = min(by_condition.get(key, 1.0), filter_selectivity(sizes, node, f, rows))
    for choice in choices:
        mine = [[f for f in branch if f.node is node] for branch in choice.branches]
        given = (tested or {}).get(id(choice))
        if not any(mine) and not given:
            continue
        if all(_keeps_a_time(node, branch) for branch in mine) and not _times_apart(node, mine):
            # each branch keeps the same year (endDate IS NULL OR endDate >= GETDATE()): together, that year
            share = max(sizes.combine([filter_selectivity(sizes, node, f, rows) for f in branch]) for branch in mine)
            by_condition[_WHEN] = min(by_condition.get(_WHEN, 1.0), share)
        else:
            by_condition[id(choice)] = choice_selectivity(sizes, node, choice, rows, given)
    return sizes.combine([s for s in (*by_condition.values(), *extra) if s < 1.0])


def _times_apart(node: Node, branches: list[list[Filter]]) -> bool:
    """Branches that each name their own years or days (c.endYear = 2026 OR c.endYear = 2025): the
    rows they keep add up, where two ways to say this year keep its rows once."""
    named = []
    for branch in branches:
        values = frozenset(value for f in branch if f.operator in ("eq", "in") and f.literals and _keeps_a_time(node, [f])
                           for value in f.literals)
        if not values:
            return False
        named.append(values)
    return len(set(named)) > 1


def _keeps_a_time(node: Node, filters: list[Filter]) -> bool:
    """Whether one of the filters keeps a school year or a window of dates of the node's table:
    on the column itself, since MONTH(a.date) = 3 keeps March of every year."""
    return any(f.own_values and kind_of(node, f.column, f.bound) in _TIME_KINDS for f in filters)


def join_selectivity(left_distinct: float, right_distinct: float) -> float:
    """An equality join by containment: each value of the side with fewer values finds its match."""
    return 1 / max(left_distinct, right_distinct, 1)


def distinct_in(sizes: Sizes, node: Node, column: str, rows: float, alone: bool = False, same_year: bool = False) -> float:
    """The distinct values of a node's column among `rows` of its rows: no more than its
    equality filters list (a = 812 leaves one); rows limited to a school year hold one year and
    its school days' dates; a grouped or ranked block's column that is an inner table's has that
    column's values. Rows read `alone`, not yet joined to anything, are limited by their own
    conditions only: a Calendar that a join on endYear holds to the active year holds every
    year before that join. Where the join's two sides are each held to the school year by their
    own conditions (`same_year`), a key of a history table takes one year's values too: today's
    calendars meet the active enrollments, whose calendars are today's."""
    listed = _listed(node, column)
    node, column = _source(node, column)
    known = _column_values(sizes, node, column)
    if known and same_year:
        known = _year_of(sizes, node.table, column, known)
    elif known and node.table is not None and (node.own_kinds if alone else node.kinds) & WITHIN_A_YEAR:
        known = _in_a_year(node.table.scope_kind(column), known)
    return min(known or rows, rows, *listed, _people_held(sizes, node, column) or rows)


def _people_held(sizes: Sizes, node: Node, column: str) -> float | None:
    """How many people a person column names among a node's rows held to some calendars: no more
    than those calendars' enrollments (a calendar's 27k Attendance rows are its 549 students',
    not 27k people's)."""
    if node.table is None or not node.filters or node.table.scope_kind(column) != "person":
        return None
    held = [f.values for f in node.filters if f.operator in ("eq", "in") and f.own_values
            and node.table.scope_kind(f.column) == "calendar"]
    enrollments, calendars = sizes.keys.get("enrollmentid"), sizes.keys.get("calendarid")
    if not held or enrollments is None or calendars is None:
        return None
    return min(held) * sizes.rows(enrollments) / max(sizes.rows(calendars), 1.0)


def combinations(sizes: Sizes, targets: list[tuple[Node, str]], table: Table, rows: float, alone: bool) -> float:
    """The distinct combinations of the columns of a table's grain among `rows` rows, each column
    as a node holds it: no more than the columns' values multiplied, than the rows, nor than the
    rows of the table whose grain they are (a year's, where a node's own conditions hold it to a
    school year; not where only the join being sized would): Attendance's (personID,
    calendarID) pairs are enrollments."""
    multiplied = math.prod(distinct_in(sizes, node, column, rows, alone=alone) for node, column in targets)
    within_a_year = any(node.own_kinds & WITHIN_A_YEAR for node, _ in targets)
    return min(multiplied, rows, _held(sizes, table, within_a_year))


def values_in_all(sizes: Sizes, node: Node, column: str) -> float | None:
    """How many values the column holds in all, where the catalog tells, as distinct_in reads it."""
    return _column_values(sizes, *_source(node, column))


def _source(node: Node, column: str) -> tuple[Node, str]:
    """A grouped or ranked block's column that is an inner table's: that table's node and column."""
    if node.table is None and node.opaque is not None and column in node.opaque.sources:
        return node.opaque.sources[column]
    return node, column


def _in_a_year(kind: str | None, values: float) -> float:
    """The values of a column of this scope kind among rows limited to a school year: one year,
    the school days' dates."""
    return 1 if kind == "year" else min(values, SCHOOL_DAYS) if kind == "date" else values


def groups(sizes: Sizes, grouped: list[tuple[Node, str] | None], rows: float) -> float:
    """The groups GROUP BY makes of `rows` rows: each grouped column's (node, column), None for
    an expression. The product of the columns' distinct values, where the catalog knows them;
    without that, a guess: the square root of the rows. Columns that make up a grain combine into
    no more values than its table has rows."""
    guess = max(1.0, math.sqrt(rows))
    known = [_values_of(sizes, *column) if column is not None else None for column in grouped]
    found = [values for values in known if values is not None]
    if not found:
        return guess
    valued = [(column, values) for column, values in zip(grouped, known) if column is not None and values is not None]
    product = math.prod(found) * _combinations_that_occur(sizes, valued)
    return max(1.0, min(rows, product if len(found) == len(known) else max(product, guess)))


def _combinations_that_occur(sizes: Sizes, valued: list[tuple[tuple[Node, str], float]]) -> float:
    """The share of the combinations of one table's grouped columns that occur, where they make
    up another table's grain: Attendance's (personID, calendarID) pairs are no more than the
    enrollments (a year's, for rows limited to a school year), not every person in every calendar;
    and none of a table's combinations are more than its rows: Attendance's (personID, date) pairs
    of a year are no more than that year's Attendance rows, however many rows a join makes of them."""
    share = 1.0
    for node in {id(node): node for (node, _), _ in valued}.values():
        values = {column.lower(): count for (owner, column), count in valued if owner is node}
        within_a_year = bool(node.kinds & WITHIN_A_YEAR)
        held = [(table, grain) for table, grain in sizes.grains if grain <= values.keys()]
        if node.table is not None:
            held.append((node.table, frozenset(values)))
        share *= min([1.0, *(_held(sizes, table, within_a_year) / math.prod(values[column] for column in grain)
                             for table, grain in held)])
    return share


def _held(sizes: Sizes, table: Table, within_a_year: bool) -> float:
    return sizes.per_year(table) if table.history and within_a_year else sizes.rows(table)


def _values_of(sizes: Sizes, node: Node, column: str) -> float | None:
    """A column's distinct values (_column_values), fewer among rows limited to a school year."""
    lower = column.lower()
    found = _column_values(sizes, node, lower)
    if found is None or not node.kinds & WITHIN_A_YEAR:
        return found
    return min(_year_of(sizes, node.table, lower, found), _people_held(sizes, node, lower) or found)


def _column_values(sizes: Sizes, node: Node, column: str) -> float | None:
    """A column's distinct values, from its table; a temp table's column named like a table's
    key holds no more than that table's values: #stu.schoolID, the schools'."""
    if node.table is not None:
        return sizes.ndv(node.table, column)
    referenced = sizes.keys.get(column.lower())
    return sizes.rows(referenced) if referenced is not None else None


def _year_of(sizes: Sizes, table: Table | None, column: str, values: float) -> float:
    """The values of a column among rows held to a school year: one year, its days, the year's
    students (no more than a year of enrollments, from the catalog's own sizes, so that a
    district's export with the same sizes gives the same answer) and one year's rows of a
    history table whose key it names (this year's calendars and sections)."""
    lower = column.lower()
    kind = table.scope_kind(lower) if table is not None else None
    if kind in _TIME_KINDS:
        return _in_a_year(kind, values)
    if kind == "person" and (enrolled := sizes.keys.get("enrollmentid")) is not None and enrolled.history:
        return min(values, sizes.per_year(enrolled))
    referenced = sizes.keys.get(lower)
    return min(values, sizes.per_year(referenced)) if referenced is not None and referenced.history else values


class Growth:
    """The catalog's sizes in each year of growth, made once and shared by every file checked."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._years: dict[int, Sizes] = {}
        self._factors: dict[int, float] = {}

    def factor(self, years: int) -> float:
        """How many times over the fastest-growing table's rows grow in `years`."""
        if years not in self._factors:
            now, later = self.sizes(0), self.sizes(years)
            self._factors[years] = max((later.rows(t) / now.rows(t) for t in self.catalog.tables.values()), default=1.0)
        return self._factors[years]

    def sizes(self, years: int) -> Sizes:
        if years not in self._years:
            self._years[years] = Sizes(self.catalog, years)
        return self._years[years]
