"""Batch review: every filter a district has saved, checked the way Campus runs it, each on its own.

A pass-through is checked inside Campus's query (filters/passthrough.py), a Query Wizard filter
as the query it amounts to (filters/wizard.py); findings are placed back on the lines of the
boxes, or on the fields and conditions, that their author chose. A filter that could not be read, that
sqladvise failed on or that took too long is a row that says so; the others still run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from advisor import run
from advisor.analysis.history import school_year
from advisor.catalog.model import Catalog
from advisor.filters import BadFilter, Filter
from advisor.filters.passthrough import WRAPPER, Wrapped, wrap
from advisor.filters.wizard import CONDITIONS, FIELDS, UnknownPrefix, generate
from advisor.findings import Finding
from advisor.pipeline import FileReport
from advisor.sources import Source

# What a Query Wizard filter's author does not write: the joins between its views, that they are
# LEFT JOINs, and the DISTINCT. How Campus writes them is not public (filters/wizard.py
# reconstructs them), so findings about them would judge sqladvise's guess, with a fix no one
# can make in the wizard: a join on part of a key, DISTINCT removing a join's copies, a LEFT JOIN
# a condition turns into an inner join.
WIZARD_WRITES = ("JN002", "SH004", "SH012")


@dataclass
class Reviewed:
    """One saved filter in the batch review: its report, or why it could not be read."""

    filter: Filter | BadFilter
    report: FileReport | None = None  # None for a filter that could not be read
    wrapped: Wrapped | None = None  # a pass-through as Campus runs it
    error: str | None = None  # sqladvise failed on it, or took too long

    @property
    def status(self) -> str:
        if isinstance(self.filter, BadFilter):
            return "bad input"
        return "error" if self.error else "checked"

    @property
    def problem(self) -> str | None:
        """Why the filter was not checked: it could not be read, or sqladvise failed on it."""
        return self.filter.reason if isinstance(self.filter, BadFilter) else self.error

    @property
    def owner(self) -> str | None:
        return self.filter.owner or (self.report.author if self.report else None)

    def place(self, finding: Finding) -> tuple[str | None, int]:
        """Where the author sees the finding: the box ("A", "B", "fields", "conditions", "wrapper" for
        Campus's part, None for plain SQL) and the line (or field, or condition) in it."""
        box, line, _, _ = self.placed(finding)
        return box, line

    def placed(self, finding: Finding) -> tuple[str | None, int, int, int]:
        """place(), with the column it starts at and the line it ends on: a finding that starts
        in Campus's part and runs into a box starts at the box's first line."""
        span = finding.span
        if self.wrapped is None:
            return None, span.line, span.column, span.end_line
        if self.report is not None and self.report.lines is not None:  # none for a file sqladvise could not analyse
            span = self.wrapped.authors_span(span, self.report.lines)
        where = self.wrapped.place(span.line)
        return where.box, where.line, span.column, where.line + span.end_line - span.line

    def where(self, finding: Finding) -> str:
        """The place in words: "line 3", "box A, line 2", "field 4 (gpa.cumGpa)", "Campus's wrapper"."""
        box, line = self.place(finding)
        wizard = self.filter.wizard if isinstance(self.filter, Filter) else None
        if box == FIELDS and wizard:
            return f"field {line} ({wizard.fields[line - 1]})"
        if box == CONDITIONS and wizard:
            return f"condition {line} ({wizard.conditions[line - 1]})"
        return {None: f"line {line}", WRAPPER: "Campus's wrapper"}.get(box, f"box {box}, line {line}")


def review(found: list[Filter | BadFilter], job: Callable[[Source], run.FileJob], catalog: Catalog,
           processes: int, advance: Callable[[], None] = lambda: None, today: date | None = None) -> list[Reviewed]:
    """Every filter in input order; `job` gives a source its settings; the catalog says which views
    Query Wizard field prefixes read."""
    year = school_year(today or date.today())
    indexed = frozenset(key for key, view in catalog.views.items() if view.indexed)
    reviewed = [Reviewed(item) for item in found]
    jobs, checked = [], []
    for entry in reviewed:
        if isinstance(entry.filter, Filter):
            try:
                source, entry.wrapped = _source(entry.filter, year, catalog.wizard_fields, indexed)
            except UnknownPrefix as error:
                item = entry.filter
                entry.filter = BadFilter(item.origin, item.name, str(error), item.owner)
                advance()
                continue
            made = job(source)
            if entry.filter.wizard is not None:
                made = replace(made, rules=replace(made.rules, ignore=(*made.rules.ignore, *WIZARD_WRITES)))
            jobs.append(made)
            checked.append(entry)
        else:
            advance()
    for entry, outcome in zip(checked, run.check_all(jobs, processes, advance), strict=True):
        entry.report, entry.error = outcome.report, outcome.internal_error
    return reviewed


def _source(item: Filter, year: int, wizard_fields: dict[str, str], indexed: frozenset[str]) -> tuple[Source, Wrapped | None]:
    if item.boxes is not None or item.wizard is not None:
        wrapped = wrap(item.boxes, year) if item.boxes is not None else generate(item.wizard, wizard_fields, indexed)
        return Source(item.origin, wrapped.sql.encode("utf-8"), item.owner, campus_lines=wrapped.campus_lines), wrapped
    return Source(item.origin, (item.sql or "").encode("utf-8"), item.owner), None

