"""Risk: how long each statement will take on the district's data, the chance it passes the ad
hoc timeout, and the year it will as history tables grow."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from advisor.analysis.endless import EndlessLoop
from advisor.analysis.model import Query
from advisor.frontend.parse import ReportFacts
from advisor.risk import limits
from advisor.risk.allowances import SIGMA, Allowance, allowances
from advisor.risk.cardinality import Growth
from advisor.risk.plan import Estimate, Planner
from advisor.risk.timing import TimeModel, band, p_over
from advisor.span import LineIndex, Span
from advisor.words import count, duration, names, row_count

DEFAULT_TIMEOUT = 600  # seconds: the ad hoc filter timeout
HORIZON_YEARS = 10
QUERY_WIZARD_ROWS = 5_000_000  # Query Wizard results are cut at this many rows
DRIVERS = 3  # named per statement and per file
NOTABLE = 0.05  # a part under this share of the cost is not worth naming
UNCOUNTED_LOOP = "runs once for each pass of a WHILE loop whose passes sqladvise cannot count: this is one pass"
_MOST_POWERS = 64  # past this the ceiling is out of reach of any timeout anyway (and of floats)
# With SQL Server's own plan the cost is the optimizer's, not a guess at it: what is left uncertain
# is mostly time per cost unit on the district's server.
PLAN_SIGMA = 0.45
STATIC, PLAN, MIXED = "static", "plan", "mixed"


@dataclass(frozen=True)
class PlanCost:
    """What SQL Server's plan says of one statement: its cost, and its costliest operators in words."""

    cost: float
    drivers: tuple[str, ...]
    io_cost: float = 0.0  # the part of the cost that reads or writes pages (from the plan)


@dataclass(frozen=True)
class Settings:
    """The timeout and the time model the risk is estimated with."""

    timeout_seconds: float = DEFAULT_TIMEOUT
    model: TimeModel = field(default_factory=TimeModel)
    # Plan every year of the horizon, for seconds_by_year (the bench). Otherwise only the years the
    # crossing year depends on are planned: the chance of passing the timeout rises as history
    # grows, so year 10 says whether there is a crossing, and halving the years finds it.
    every_year: bool = False


@dataclass(frozen=True)
class Risk:
    """How likely a statement or file is to pass the timeout, now and as history grows."""

    band: str
    p_timeout: float
    estimated_seconds: float
    timeout_seconds: float
    crosses_timeout_in_years: int | None
    drivers: tuple[str, ...]
    cost: float = 0.0
    rows: float = 0.0  # the result's estimated rows
    seconds_by_year: tuple[float, ...] = ()  # now and each year of growth after; with Settings.every_year
    source: str = STATIC  # whose cost: sqladvise's static estimate, SQL Server's plan, or some of each
    io_cost: float = 0.0  # the part of the cost that reads or writes pages
    runs: float = 1.0  # how often the statement runs: once, or once per row of the cursor loops around it
    limit: str = limits.AD_HOC  # which timeout timeout_seconds is
    # In a WHILE loop that nothing ends: the timeout stops it every time, and estimated_seconds is the timeout's.
    never_ends: bool = False

    @property
    def length(self) -> str:
        """How long it takes, in words: about so long, or that it never ends."""
        return "never ends" if self.never_ends else f"about {duration(self.estimated_seconds)}"


@dataclass(frozen=True)
class StatementRisk:
    """One statement's risk, and where the statement is."""

    index: int
    span: Span
    keyword: str
    risk: Risk
    returns_rows: bool  # a SELECT whose rows go to the user, not into a table


@dataclass
class FileRisk:
    """A file's risk and each of its statements' risks."""

    risk: Risk
    statements: list[StatementRisk] = field(default_factory=list)


@dataclass(frozen=True)
class _Year:
    """A statement's estimated seconds in one year, and their uncertainty."""

    seconds: float
    sigma: float


def assess(queries: list[Query], growth: Growth, settings: Settings, lines: LineIndex,
           plans: dict[int, PlanCost] | None = None, report: ReportFacts | None = None) -> FileRisk:
    """Every statement's risk now and as the district's history grows, and the file's: its
    statements run one after another, or, for an SSRS `report`, each data set's at the same time
    as the others', each stopped by its own query timeout too. `plans` gives SQL Server's own
    cost for some statements (by statement index); their history still grows as sqladvise's
    estimate says it does."""
    plans = plans or {}
    planned = [query for query in queries if query.graph is not None and query.graph.nodes and not query.defines_view]
    projection = _Projection(planned, growth, settings, [plans.get(q.statement.index) for q in planned], report)
    whole = limits.whole(settings.timeout_seconds, report)
    own = limits.own(report, whole)
    for year in range(HORIZON_YEARS + 1) if settings.every_year else (0,):
        projection.at(year)
    statements: list[StatementRisk] = []
    for at, query in enumerate(planned):
        estimate, hidden = projection.now[at]
        given = projection.plans[at]
        runs = projection.runs[at]
        drivers = given.drivers if given else _drivers(query, estimate, hidden, lines)
        if query.graph.list_parameters and not given:
            drivers = (_list_driver(query.graph.list_parameters), *drivers)[:DRIVERS]
        if query.uncounted_loop:
            drivers = (UNCOUNTED_LOOP, *drivers)[:DRIVERS]
        if runs > 1:
            drivers = (_loop_driver(query, runs), *drivers)[:DRIVERS]
        limit = own[projection.data_set(query)] if own else None
        risk = _risk([(lambda year, at=at: projection.at(year)[at], limit or whole)], projection.ceiling(at), projection,
                     drivers, estimate, PLAN if given else STATIC)
        risk = replace(risk, runs=runs)
        if given:
            risk = replace(risk, cost=given.cost, io_cost=given.io_cost)
        if query.endless is not None:
            risk = _never_ending(risk, limit or whole, query.endless)
        statements.append(StatementRisk(query.statement.index, query.statement.span, query.statement.keyword, risk,
                                        query.returns_rows))
    ranked = sorted(statements, key=lambda s: -s.risk.estimated_seconds)
    # A statement that takes a sliver of the file's time does not drive it: DECLARE @year = (SELECT ...)
    least = NOTABLE * sum(s.risk.estimated_seconds for s in statements)
    drivers = tuple(dict.fromkeys(d for s in ranked if s.risk.estimated_seconds >= least for d in s.risk.drivers))[:DRIVERS]
    ceiling = sum(projection.ceiling(at) for at in range(len(planned)))
    sources = {s.risk.source for s in statements}
    source = MIXED if len(sources) > 1 else sources.pop() if sources else STATIC
    timed = [(projection.total, whole)] + [(lambda year, number=number: projection.of_data_set(year, number), limit)
                                           for number, limit in enumerate(own) if limit is not None]
    risk = _risk(timed, ceiling, projection, drivers, None, source)
    endless = next((query.endless for query in queries if query.endless is not None), None)
    return FileRisk(_never_ending(risk, whole, endless) if endless else risk, statements)


def _never_ending(risk: Risk, limit: limits.Limit, loop: EndlessLoop) -> Risk:
    """The risk of a statement or script in a WHILE loop that nothing ends: the timeout stops it
    every time, whatever one pass costs."""
    driver = f"the WHILE loop on line {loop.span.line} never ends (SH035)"
    return replace(risk, band=band(1.0), p_timeout=1.0, estimated_seconds=float(limit.seconds), timeout_seconds=limit.seconds,
                   crosses_timeout_in_years=0, drivers=(driver,), limit=limit.words, never_ends=True)


class _Projection:
    """Each statement's time in a year of growth, planned once per year asked about."""

    def __init__(self, queries: list[Query], growth: Growth, settings: Settings, plans: list[PlanCost | None],
                 report: ReportFacts | None = None):
        self._queries, self._growth, self._settings = queries, growth, settings
        self.plans = plans
        self._report = report
        self._years: dict[int, list[_Year]] = {}
        self.now: list[tuple[Estimate, list[Allowance]]] = []
        self.runs: list[float] = []  # how often each statement runs now (cursor loops, WHILE loops that count)
        self._by_index = {query.statement.index: query for query in queries}

    def at(self, year: int) -> list[_Year]:
        if year not in self._years:
            planner = Planner(self._growth.sizes(year))
            found = []
            fetched: dict[int, float] = {}  # each statement's rows, by index: what a cursor over it fetches
            for at, query in enumerate(self._queries):
                estimate = planner.estimate(query.graph)
                fetched[query.statement.index] = estimate.rows
                runs = math.prod(fetched.get(cursor, 1.0) for cursor, _ in query.loops) * math.prod(
                    passes for passes, _ in query.passes)
                if query.fills:  # later statements read the temp table or table variable at its estimated size
                    added = planner.filled.get(query.fills, 0.0) if query.statement.keyword == "INSERT" else 0.0
                    planner.filled[query.fills] = added + estimate.rows
                hidden = allowances(query, estimate)
                if year == 0:
                    self.now.append((estimate, hidden))
                    self.runs.append(runs)
                given = self.plans[at]
                if given is None:
                    found.append(_year(estimate.cost, estimate.io_cost, hidden, self._settings.model.sigma, self._settings, runs))
                else:  # the plan's cost, grown as sqladvise's own estimate grows
                    grown = estimate.cost / max(self.now[at][0].cost, 1e-9)
                    found.append(_year(given.cost * grown, given.io_cost * grown, hidden, PLAN_SIGMA, self._settings, runs))
            self._years[year] = found
        return self._years[year]

    def ceiling(self, at: int) -> float:
        """More seconds than statement `at` can take at the horizon, from this year's plan alone.
        Every row count grows by at most the growth factor, so a join of n tables by at most its
        n-th power; costs grow no faster than the rows they handle (sorts a little faster: one
        power more), and twice that leaves room for plans that change."""
        query = self._queries[at]
        # a cursor's rows grow as the tables it reads do, and the statement runs once for each
        tables = len(query.graph.nodes) + sum(len(self._by_index[cursor].graph.nodes)
                                             for cursor, _ in query.loops if cursor in self._by_index)
        growth = self._growth.factor(HORIZON_YEARS) ** min(tables + 1, _MOST_POWERS)
        return 2 * growth * self.at(0)[at].seconds

    def total(self, year: int) -> _Year:
        """The file's statements, one after another; of an IF and its ELSE, the slower branch. A
        report's data sets run at the same time: the slowest one's."""
        years = self.at(year)
        runs: dict[int, list[tuple[Query, _Year]]] = {}
        for query, found in zip(self._queries, years):
            runs.setdefault(self._report.runs[self.data_set(query)] if self._report else 0, []).append((query, found))
        seconds = max((_in_order(run) for run in runs.values()), default=0.0)
        return _Year(seconds, max((y.sigma for y in years), default=self._settings.model.sigma))

    def of_data_set(self, year: int, number: int) -> _Year:
        """A report's data set's statements, one after another."""
        run = [(query, found) for query, found in zip(self._queries, self.at(year)) if self.data_set(query) == number]
        return _Year(_in_order(run), max((found.sigma for _, found in run), default=self._settings.model.sigma))

    def data_set(self, query: Query) -> int:
        """The number of the report's data set a statement is in; 0 in a script."""
        return self._report.data_set_at(query.statement.span.start) if self._report else 0

    def every_year(self) -> bool:
        return len(self._years) == HORIZON_YEARS + 1


def _in_order(run: list[tuple[Query, _Year]]) -> float:
    """The seconds of statements run one after another; of an IF and its ELSE, the slower branch."""
    if any(query.branches for query, _ in run):
        return _slowest_path([(query.branches, found.seconds) for query, found in run])
    return sum(found.seconds for _, found in run)


def _slowest_path(timed: list[tuple[tuple[tuple[int, str], ...], float]]) -> float:
    """The seconds of statements run in order, each with the IF branches it runs under (`timed`,
    in the script's order): of an IF's two arms only the slower counts. Without recursion: an
    ELSE IF chain nests as deep as it is long."""
    total = 0.0
    open_ifs: list[list] = []  # each IF still open, outermost first: [its index, the arm now, IF seconds, ELSE seconds]

    def add(seconds: float) -> None:
        nonlocal total
        if open_ifs:
            open_ifs[-1][2 if open_ifs[-1][1] == "IF" else 3] += seconds
        else:
            total += seconds

    def close_to(depth: int) -> None:
        while len(open_ifs) > depth:
            _, _, then, other = open_ifs.pop()
            add(max(then, other))

    for branches, seconds in timed:
        same = 0
        while same < min(len(open_ifs), len(branches)) and open_ifs[same][0] == branches[same][0]:
            same += 1
        switched = next((depth for depth in range(same) if open_ifs[depth][1] != branches[depth][1]), None)
        if switched is not None:  # on to the ELSE: what was open inside the IF arm is done
            close_to(switched + 1)
            open_ifs[switched][1] = branches[switched][1]
            same = switched + 1
        close_to(same)
        open_ifs.extend([index, arm, 0.0, 0.0] for index, arm in branches[same:])
        add(seconds)
    close_to(0)
    return total


def _year(cost: float, io_cost: float, extra: list[Allowance], sigma: float, settings: Settings, runs: float) -> _Year:
    seconds = runs * (settings.model.seconds(cost, io_cost) + sum(a.seconds for a in extra))
    return _Year(seconds, sigma + sum(SIGMA[kind] for kind in {a.kind for a in extra}))


def _risk(timed: list[tuple[Callable[[int], _Year], limits.Limit]], ceiling: float, projection: _Projection,
          drivers: tuple[str, ...], now: Estimate | None, source: str) -> Risk:
    """The risk of the time `timed[0]` gives each year passing its limit, or of any other time
    given passing its own (a report's data set, its query timeout)."""
    def chances(year: int) -> list[float]:
        return [p_over((found := time(year)).seconds, found.sigma, limit.seconds) for time, limit in timed]

    def chance(year: int) -> float:
        return max(chances(year))

    year_of = timed[0][0]
    by_year = tuple(year_of(year).seconds for year in range(HORIZON_YEARS + 1)) if projection.every_year() else ()
    crossing = _crossing(chance, could_cross=ceiling >= min(limit.seconds for _, limit in timed))
    # the limit the time is most likely to pass: the one it does pass in the crossing year, or now
    # the one it comes nearest
    if crossing:
        binding = max(zip(chances(crossing), (limit for _, limit in timed)), key=lambda pair: pair[0])[1]
    else:
        binding = max(timed, key=lambda pair: pair[0](0).seconds / pair[1].seconds)[1]
    return Risk(band(chance(0)), round(chance(0), 4), round(year_of(0).seconds, 3), binding.seconds, crossing,
                drivers, now.cost if now else 0.0, now.rows if now else 0.0, by_year, source,
                now.io_cost if now else 0.0, limit=binding.words)


def _crossing(chance: Callable[[int], float], could_cross: bool) -> int | None:
    """The first year the chance reaches one half (the median time reaches the timeout), or None
    within the horizon."""
    if chance(0) >= 0.5:
        return 0
    if not could_cross or chance(HORIZON_YEARS) < 0.5:
        return None
    below, reached = 0, HORIZON_YEARS
    while reached - below > 1:
        middle = (below + reached) // 2
        below, reached = (below, middle) if chance(middle) >= 0.5 else (middle, reached)
    return reached


def _list_driver(names: tuple[str, ...]) -> str:
    """A report's multi-value parameters, taken with every value picked (Select All)."""
    if len(names) == 1:
        return f"takes {names[0]} as a report's multi-value parameter with every value picked (the script does not declare it)"
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return f"takes {listed} as a report's multi-value parameters with every value picked (the script does not declare them)"


def _loop_driver(query: Query, runs: float) -> str:
    """How often the cursor loops, and the WHILE loops that count with a variable, around a
    statement run it."""
    cursors, counters = [name for _, name in query.loops], [variable for _, variable in query.passes]
    if len(cursors) == 1 and not counters:
        return f"runs once for each of the {row_count(runs)} cursor {cursors[0]} fetches"
    each = ([f"row of cursor{'s' if len(cursors) > 1 else ''} {names(cursors)}"] if cursors else []) + (
        [f"pass of the WHILE loop{'s' if len(counters) > 1 else ''} on {names(counters)}"] if counters else [])
    return f"runs {count(runs)} times: once for each {' and each '.join(each)}"


def _drivers(query: Query, estimate: Estimate, extra: list[Allowance], lines: LineIndex) -> tuple[str, ...]:
    """The largest parts of the cost, then the hidden per-row work, in words."""
    total = max(estimate.cost, 1e-9)
    words: list[str] = []
    told: set[str | None] = set()  # the per-row work a part's words tell of already
    for part in sorted(estimate.parts, key=lambda p: -p.cost):
        if part.cost / total < NOTABLE:
            break
        text = part.words
        if part.condition is not None:
            span = query.span_of(part.condition)
            text = text.replace("{condition}", lines.text[span.start : span.end])
        words.append(text)
        told.add(part.kind)
    words += [a.words for a in extra if a.seconds > 0 and a.kind not in told]
    return tuple(dict.fromkeys(words))[:DRIVERS]


