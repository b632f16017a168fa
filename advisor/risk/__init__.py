"""Risk: how long each statement will take on the district's data, the chance it passes the ad
hoc timeout, and the year it will as history tables grow."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.risk.allowances import SIGMA, Allowance, allowances
from advisor.risk.cardinality import Sizes
from advisor.risk.plan import Estimate, Planner
from advisor.risk.timing import TimeModel, band, p_over
from advisor.span import LineIndex, Span

DEFAULT_TIMEOUT = 600  # seconds: the ad hoc filter timeout
HORIZON_YEARS = 10
QUERY_WIZARD_ROWS = 5_000_000  # Query Wizard results are cut at this many rows
_DRIVERS = 3
_NOTABLE = 0.05  # a part under this share of the cost is not worth naming


@dataclass(frozen=True)
class Settings:
    timeout_seconds: float = DEFAULT_TIMEOUT
    model: TimeModel = field(default_factory=TimeModel)


@dataclass(frozen=True)
class Risk:
    band: str
    p_timeout: float
    estimated_seconds: float
    timeout_seconds: float
    crosses_timeout_in_years: int | None
    drivers: tuple[str, ...]
    cost: float = 0.0
    rows: float = 0.0  # the result's estimated rows
    seconds_by_year: tuple[float, ...] = ()  # the estimate now and each year of growth after


@dataclass(frozen=True)
class StatementRisk:
    index: int
    span: Span
    keyword: str
    risk: Risk
    returns_rows: bool  # a SELECT whose rows go to the user, not into a table


@dataclass
class FileRisk:
    risk: Risk
    statements: list[StatementRisk] = field(default_factory=list)


@dataclass(frozen=True)
class _Year:
    seconds: float
    sigma: float


def assess(queries: list[Query], catalog: Catalog, settings: Settings, lines: LineIndex) -> FileRisk:
    """Every statement's risk now and as the district's history grows, and the file's: its
    statements run one after another."""
    planners = [Planner(Sizes(catalog, years)) for years in range(HORIZON_YEARS + 1)]
    statements: list[StatementRisk] = []
    per_year: list[list[_Year]] = [[] for _ in planners]
    for query in queries:
        if query.graph is None or not query.graph.nodes:
            continue
        estimates = [planner.estimate(query.graph) for planner in planners]
        hidden = [allowances(query, estimate) for estimate in estimates]
        years = [_year(estimate, extra, settings) for estimate, extra in zip(estimates, hidden, strict=True)]
        for at, year in enumerate(years):
            per_year[at].append(year)
        risk = _risk(years, settings, _drivers(query, estimates[0], hidden[0], lines), estimates[0])
        statements.append(StatementRisk(query.statement.index, query.statement.span, query.statement.keyword, risk,
                                        _returns_rows(query)))
    totals = [_Year(sum(y.seconds for y in year), max((y.sigma for y in year), default=settings.model.sigma))
              for year in per_year]
    ranked = sorted(statements, key=lambda s: -s.risk.estimated_seconds)
    drivers = tuple(dict.fromkeys(d for s in ranked for d in s.risk.drivers))[:_DRIVERS]
    return FileRisk(_risk(totals, settings, drivers, None), statements)


def _year(estimate: Estimate, extra: list[Allowance], settings: Settings) -> _Year:
    seconds = settings.model.seconds(estimate.cost) + sum(a.seconds for a in extra)
    sigma = settings.model.sigma + sum(SIGMA[kind] for kind in {a.kind for a in extra})
    return _Year(seconds, sigma)


def _risk(years: list[_Year], settings: Settings, drivers: tuple[str, ...], now: Estimate | None) -> Risk:
    timeout = settings.timeout_seconds
    chances = [p_over(year.seconds, year.sigma, timeout) for year in years]
    crossing = next((at for at, p in enumerate(chances) if p >= 0.5), None)
    return Risk(band(chances[0]), round(chances[0], 4), round(years[0].seconds, 3), timeout, crossing, drivers,
                now.cost if now else 0.0, now.rows if now else 0.0, tuple(year.seconds for year in years))


def _drivers(query: Query, estimate: Estimate, extra: list[Allowance], lines: LineIndex) -> tuple[str, ...]:
    """The largest parts of the cost, then the hidden per-row work, in words."""
    total = max(estimate.cost, 1e-9)
    words: list[str] = []
    for part in sorted(estimate.parts, key=lambda p: -p.cost):
        if part.cost / total < _NOTABLE:
            break
        text = part.words
        if part.condition is not None:
            span = query.span_of(part.condition)
            text = text.replace("{condition}", lines.text[span.start : span.end])
        words.append(text)
    words += [a.words for a in extra if a.seconds > 0]
    return tuple(dict.fromkeys(words))[:_DRIVERS]


def _returns_rows(query: Query) -> bool:
    tree = query.statement.tree
    return isinstance(tree, (exp.Select, exp.SetOperation)) and not tree.args.get("into")
