"""sqladvise's side of the comparison: each statement's estimate, through the same pipeline a
user's `sqladvise check` runs, on the bundled catalog sized for the bench's district. Estimates
are made when the report is written, so a change to the model needs no new measurements."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from advisor.catalog.load import load_bundled
from advisor.pipeline import Checker, FileReport
from advisor.risk import Settings
from advisor.sources import Source
from bench.risk.queryset import File


@dataclass(frozen=True)
class Estimate:
    cost: float  # SQL Server cost units
    io_cost: float  # the part of the cost that reads pages
    hidden_seconds: float  # the per-row allowances, beyond what the cost says
    estimated_seconds: float
    projected_seconds: tuple[float, ...]  # now and each year of growth after


def _report(checker: Checker, file: File) -> FileReport:
    return checker.check(Source(str(file.path), file.data))


@cache
def _bundled() -> Checker:
    return Checker(load_bundled())


def estimated_statements(file: File) -> set[int]:
    """The statements sqladvise gives a risk estimate: the bench's query set."""
    return set(estimates(_bundled(), file))


def checker_for(students: int) -> Checker:
    return Checker(load_bundled().sized_for(students), Settings(every_year=True))


def estimates(checker: Checker, file: File) -> dict[int, Estimate]:
    """Each statement's estimate, by index. The bench times one run of each statement, so one that
    a cursor loop runs many times is left out."""
    model = checker.settings.model
    return {
        statement.index: Estimate(
            statement.risk.cost,
            statement.risk.io_cost,
            max(statement.risk.estimated_seconds - model.seconds(statement.risk.cost, statement.risk.io_cost), 0.0),
            statement.risk.estimated_seconds,
            statement.risk.seconds_by_year,
        )
        for statement in _report(checker, file).risk.statements
        if statement.risk.runs == 1
    }
