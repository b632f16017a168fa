"""The report for people: grouped by file, each finding with the lines it is about, colours by
severity on a terminal. Anywhere else (a pipe, a CI log) it is plain text, one finding per line,
never wrapped."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from advisor.findings import Finding
from advisor.pipeline import OWNERSHIP_NOTE, FileReport
from advisor.report import Report
from advisor.span import LineIndex

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_FRAME_LINES = 3
_UNWRAPPED = 100_000


def render(report: Report, stream: TextIO, color: bool | None = None) -> None:
    console = Console(file=stream, highlight=False, force_terminal=color, no_color=color is False)
    if not console.is_terminal:
        console.width = _UNWRAPPED
    for file in report.files:
        _file(console, file, report.internal_errors.get(file.path))
    _summary(console, report)


def _file(console: Console, file: FileReport, internal_error: str | None) -> None:
    if file.unanalysable and not file.statements:
        detail = "not analysed"
    else:
        owner = f"author: {file.author}" if file.author else "author: not named in the header"
        detail = f"{owner} · {_count(file.statements, 'statement')}, {file.parsed} read"
    console.print(Text.assemble((file.path, "bold"), "  ", (detail, "dim")))
    if internal_error:
        console.print(Padding(Text.assemble(("internal error ", "bold red"), internal_error), (0, 0, 0, 2), expand=False))
    elif not file.findings:
        console.print(Padding(Text("no findings", "green"), (0, 0, 0, 2), expand=False))
    for finding in file.findings:
        _finding(console, finding, file.lines)
    console.print()


def _finding(console: Console, finding: Finding, lines: LineIndex | None) -> None:
    span = finding.span
    style = _STYLE[finding.severity]
    heading = Text.assemble(
        (finding.severity, style), " ", (finding.rule, "bold"), " ", (finding.category, "dim"),
        f" {span.line}:{span.column}  ", finding.message,
    )
    console.print(Padding(heading, (0, 0, 0, 2), expand=False))
    if lines is not None and lines.text:
        _frame(console, lines, finding, style)
    fix = Text.assemble(("fix: ", "dim"), finding.remediation)
    console.print(Padding(fix, (0, 0, 0, 4), expand=False))


def _frame(console: Console, lines: LineIndex, finding: Finding, style: str) -> None:
    span = finding.span
    last = min(span.end_line, span.line + _FRAME_LINES - 1, lines.line_count)
    width = len(str(last))
    for number in range(span.line, last + 1):
        text = lines.line_text(number)
        console.print(Text.assemble((f"    {number:>{width}} │ ", "dim"), text.expandtabs(4)), overflow="ellipsis", no_wrap=True)
        if number == span.line:
            start = len(text[: span.column - 1].expandtabs(4))
            end_column = span.end_column if span.end_line == span.line else len(text)
            length = max(len(text[:end_column].expandtabs(4)) - start, 1)
            console.print(Text.assemble((f"    {' ' * width} │ ", "dim"), " " * start, ("^" * length, style)), no_wrap=True)


def _summary(console: Console, report: Report) -> None:
    counts = report.counts()
    statements = sum(file.statements for file in report.files)
    parsed = sum(file.parsed for file in report.files)
    summary = Text(f"{_count(len(report.files), 'file')} · {_count(statements, 'statement')}, {parsed} read · ")
    for at, (severity, count) in enumerate(counts.items()):
        label = severity if severity == "info" or count == 1 else severity + "s"
        summary.append(f"{', ' if at else ''}{count} {label}", _STYLE[severity] if count else "dim")
    if report.unanalysable:
        summary.append(f" · {len(report.unanalysable)} not analysable", "bold red")
    console.print(summary)
    console.print(Text(OWNERSHIP_NOTE.format(who=""), "dim"))
    console.print(Text(report.catalog_note, "dim"))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
