"""One file through the stages: decode, read statements, analyse, check, then the settings' rule
selection, the file's suppression comments and the fingerprints. A pass-through saved with box
markers, and an SSRS report definition, are checked as the SQL they amount to, and their findings
placed back on the file as saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.analysis import analyse
from advisor.analysis.history import school_year
from advisor.analysis.views import ViewLibrary
from advisor.catalog.model import Catalog
from advisor.checks import finding, run_checks
from advisor.checks.fingerprints import fingerprint
from advisor.checks.registry import FileContext, Hit
from advisor.checks.selection import RuleSelection
from advisor.checks.suppressions import read_suppressions
from advisor.filters.passthrough import WRAPPER, Wrapped, split_boxes, wrap
from advisor.findings import Finding
from advisor.frontend.decode import NotText, decode, is_xml
from advisor.frontend.header import author
from advisor.frontend.parse import read_script
from advisor.risk import FileRisk, Settings, assess
from advisor.risk.cardinality import Growth
from advisor.risk.findings import risk_hits
from advisor.sources import Source, Unreadable
from advisor.span import LineIndex, Span

if TYPE_CHECKING:  # plans are read only when one is given: a plain check does not import them
    from advisor.frontend.ssrs import Definition
    from advisor.plans.model import Plan

CAMPUS_PART = "In the query Campus runs around the boxes: "
OWNERSHIP_NOTE = (
    "Campus Support does not write, rewrite or support SQL it did not write: this SQL is supported "
    "by its author{who}. sqladvise's advice is for that author."
)


@dataclass
class FileReport:
    """Everything found in one file."""

    path: str
    statements: int = 0
    parsed: int = 0
    author: str | None = None
    findings: list[Finding] = field(default_factory=list)
    lines: LineIndex | None = None  # the text, for showing findings in place
    risk: FileRisk | None = None
    # Why nothing in the file could be analysed, when that is so.
    unanalysable: str | None = None
    fail_on: str = "error"  # the least severe finding that fails the run, from this file's settings
    file: Path | None = None  # where it was read, as the file system names it; None for standard input and exports

    @property
    def active(self) -> list[Finding]:
        """The findings that count: not suppressed by a comment or a baseline."""
        return [finding for finding in self.findings if not finding.suppressed]

    @property
    def ownership_note(self) -> str:
        return OWNERSHIP_NOTE.format(who=f", {self.author}" if self.author else " (no author is named in its header)")


class Checker:
    """Checks sources against one catalog; views are analysed once and reused across files."""

    def __init__(self, catalog: Catalog, settings: Settings = Settings()):
        self.catalog = catalog
        self.settings = settings
        self.views = ViewLibrary(catalog)
        self.growth = Growth(catalog)

    def check(self, source: Source | Unreadable, rules: RuleSelection = RuleSelection(), plan: Plan | None = None) -> FileReport:
        """The file's report; with SQL Server's plan of it, the plan's costs and findings too."""
        if isinstance(source, Unreadable):
            return unanalysable(source.path, source.reason, rules, source.fix, source.file, source.what)
        try:
            text = decode(source.data).text
        except NotText as error:
            return unanalysable(source.path, str(error), rules, file=source.file)
        # A pass-through saved with box markers is checked as Campus runs it, and an SSRS report
        # definition as its data sets' queries; their findings are then placed on the file as saved.
        today = date.today()
        xml = is_xml(text)
        boxes = None if xml else split_boxes(text)
        wrapped = wrap(boxes, school_year(today)) if boxes else None
        definition, facts, sql, offsets = None, None, wrapped.sql if wrapped else text, []
        if xml:  # the XML reader is loaded for XML only
            from advisor.frontend.ssrs import NotADefinition, read_definition

            try:
                definition = read_definition(text)
            except NotADefinition as error:
                return unanalysable(source.path, str(error), rules, DEFINITION_FIX, source.file)
            sql, offsets, facts = definition.script()
        script = read_script(sql)
        script.campus_lines = wrapped.campus_lines if wrapped else source.campus_lines
        script.report = facts
        queries = analyse(script, self.catalog, self.views, today)
        owner = source.owner or (definition.author if definition else None)
        report = FileReport(source.path, script.top_level, script.parsed, owner or author(script),
                            lines=script.lines, file=source.file)
        findings = run_checks(FileContext(source.path, script, queries, self.catalog, report.author), rules.running())
        plan_costs, plan_findings = _from_plan(queries, plan) if plan is not None else ({}, [])
        report.risk = assess(queries, self.growth, self.settings, script.lines, plan_costs, facts)
        if not report.risk.statements and any(query.too_large for query in queries):
            report.risk = None  # its only queries were too large to estimate (SH018): no estimate, not a low one
        findings += [finding(rule, hit) for rule, hit in risk_hits(report.risk)] if report.risk else []
        findings += plan_findings
        suppressions = read_suppressions(script)
        findings = suppressions.apply(rules.apply(findings))
        findings += rules.apply([finding("PA004", hit) for hit in suppressions.problems]
                                + [finding("PA005", hit) for hit in suppressions.unused(rules.enabled)])
        report.findings = fingerprint(sorted(findings, key=_in_order), script)
        if wrapped is not None:
            _as_saved(report, wrapped, boxes.marker_line, LineIndex(text))
        elif definition is not None:
            _in_definition(report, definition, offsets, LineIndex(text), rules)
        if report.statements and not report.parsed:
            report.unanalysable = "none of its statements could be read"
        return report


def _from_plan(queries: list, plan: Plan) -> tuple[dict, list[Finding]]:
    """SQL Server's costs of the statements its plan was made from, and its findings on their lines.
    Imported here: a check without a plan never loads the plan modules."""
    from advisor.plans.attach import match, matched_findings, plan_costs

    matched = match(queries, plan)
    spans = {query.statement.index: query.statement.span for query in queries}
    return plan_costs(matched), [
        finding(found.rule, Hit(spans[index], found.message, found.remediation, found.objects, found.severity))
        for index, found in matched_findings(matched)
    ]


def _in_order(found: Finding) -> tuple:
    return found.span.start, found.rank, found.rule, found.message


def _as_saved(report: FileReport, wrapped: Wrapped, marker_line: int, file: LineIndex) -> None:
    """Findings and statements of a wrapped pass-through, moved to the lines of the file as saved."""
    report.findings = [replace(found, span=wrapped.authors_span(found.span, report.lines)) for found in report.findings]

    def said(found: Finding) -> str:
        return f"{CAMPUS_PART}{found.message}" if wrapped.place(found.span.line).box == WRAPPER else found.message

    _moved(report, lambda span: wrapped.to_file(span, file, marker_line), file, said)


def _in_definition(report: FileReport, definition: Definition, offsets: list[int], file: LineIndex,
                   rules: RuleSelection) -> None:
    """Findings and statements of a report definition's queries, moved to where they stand in its
    XML; and a note on each data set whose query sqladvise does not read, saying why."""
    def to_file(span: Span) -> Span:
        if not offsets:
            return file.span(0, 0)
        start = offsets[min(span.start, len(offsets) - 1)]
        end = offsets[span.end] if span.end < len(offsets) else offsets[-1] + 1
        return file.span(start, max(end, start))

    _moved(report, to_file, file)
    notes = [finding("PA007", Hit(file.span(data_set.start, data_set.end),
                                  f"Data set {data_set.name} is not checked: {unread.reason}.", unread.fix,
                                  (data_set.name,)))
             for data_set, unread in definition.unread()]
    if notes:  # they say why nothing, or not everything, was checked
        report.findings = [found for found in report.findings if found.rule != "PA003"]
    report.findings = sorted(report.findings + fingerprint(rules.apply(notes), None), key=_in_order)


def _moved(report: FileReport, to_file: Callable[[Span], Span], file: LineIndex,
           said: Callable[[Finding], str] = lambda found: found.message) -> None:
    """The report of a text made from the file, its findings and statements placed on the file."""
    report.findings = sorted((replace(found, span=to_file(found.span), message=said(found)) for found in report.findings),
                             key=_in_order)
    if report.risk is not None:
        report.risk.statements = [replace(s, span=to_file(s.span)) for s in report.risk.statements]
    report.lines = file


NOT_TEXT_FIX = "Give sqladvise a SQL text file (UTF-8, UTF-16 with a byte order mark, or Windows-1252)."
DEFINITION_FIX = ("Give sqladvise SQL, or an SSRS report definition (.rdl, .rsd) as Report Builder or Visual Studio "
                  "saves it; a query plan saved from SSMS (.sqlplan) goes with --plan.")


def unanalysable(path: str, reason: str, rules: RuleSelection, fix: str | None = None,
                 file: Path | None = None, what: str = "file") -> FileReport:
    """The report of a file (or of a folder or a path) nothing of which was checked: one PA002
    finding that says why."""
    report = FileReport(path, unanalysable=reason, file=file)
    hit = Hit(Span(0, 0, 1, 1, 1, 1), f"This {what} could not be analysed: {reason}.", fix or NOT_TEXT_FIX)
    report.findings = fingerprint(rules.apply([finding("PA002", hit)]), None)
    return report
