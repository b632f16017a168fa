"""The report for people: grouped by file, each finding with the lines it is about.

On a terminal it is printed with rich: colours by severity, long lines wrapped under their
indent. Anywhere else (a pipe, a CI log, a pre-commit hook) it is plain text, one finding per
line and never wrapped, and rich is not even imported: that keeps a one-file run quick.
"""

from __future__ import annotations

import os
from typing import NamedTuple, TextIO

from advisor.findings import Finding
from advisor.pipeline import OWNERSHIP_NOTE, FileReport
from advisor.report import Report
from advisor.risk import Risk
from advisor.span import LineIndex
from advisor.words import duration, plural, severity_count

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_RISK_STYLE = {"high": "bold red", "elevated": "yellow", "watch": "cyan", "low": "green"}
_FRAME_LINES = 3
# Of a quoted line, the characters shown, and of those how many before a mark further on: a
# line of generated SQL can run to a megabyte.
_SHOWN = 160
_BEFORE_MARK = 40


class Line(NamedTuple):
    """A printed line: its indent and its (text, style) segments; a style of "" is plain."""

    indent: int
    segments: list[tuple[str, str]]
    wrap: bool = True  # quoted SQL is cut at the terminal's edge, never wrapped

    @property
    def plain(self) -> str:
        return " " * self.indent + "".join(text for text, _ in self.segments)


def render(report: Report, stream: TextIO, color: bool | None = None) -> None:
    lines: list[Line] = []
    for file in report.files:
        lines.extend(_file(file, report.internal_errors.get(file.path)))
    lines.extend(_summary(report))
    terminal = color if color is not None else stream.isatty() and not os.environ.get("NO_COLOR")
    if terminal:
        _print_rich(lines, stream)
    else:
        stream.write("".join(line.plain + "\n" for line in lines))


def _print_rich(lines: list[Line], stream: TextIO) -> None:
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    console = Console(file=stream, highlight=False, force_terminal=True)
    for line in lines:
        text = Text.assemble(*line.segments)
        if not line.segments:
            console.print()  # padded, an empty text prints no line at all
        elif line.wrap:
            console.print(Padding(text, (0, 0, 0, line.indent), expand=False))
        else:
            console.print(Text(" " * line.indent) + text, no_wrap=True, overflow="ellipsis")


def _file(file: FileReport, internal_error: str | None) -> list[Line]:
    if file.unanalysable and not file.statements:
        detail = "not analysed"
    else:
        owner = f"author: {file.author}" if file.author else "author: not named in the header"
        detail = f"{owner} · {plural(file.statements, 'statement')}, {file.parsed} read"
    lines = [Line(0, [(file.path, "bold"), ("  " + detail, "dim")])]
    if file.risk is not None and (file.risk.statements or file.risk.risk.never_ends):  # a loop of SETs can still never end
        lines.extend(_risk(file.risk.risk))
    if internal_error:
        lines.append(Line(2, [("internal error ", "bold red"), (internal_error, "")]))
    elif not file.active:
        lines.append(Line(2, [("no findings", "green")]))
    for finding in file.active:
        lines.extend(_finding(finding, file.lines))
    if len(file.active) < len(file.findings):
        lines.append(Line(2, [(f"{plural(len(file.findings) - len(file.active), 'finding')} suppressed", "dim")]))
    lines.append(Line(0, []))
    return lines


def _risk(risk: Risk) -> list[Line]:
    """Band, time, chance, the year it crosses, and what drives it."""
    text = f"{risk.band} risk · {risk.length} · {risk.p_timeout:.0%} chance of passing the {duration(risk.timeout_seconds)} {risk.limit}"
    if risk.crosses_timeout_in_years == 0:
        text += " · likely past it already"
    elif risk.crosses_timeout_in_years is not None:
        text += f" · likely past it in {risk.crosses_timeout_in_years} year{'s' if risk.crosses_timeout_in_years != 1 else ''}"
    found = [Line(2, [(text, _RISK_STYLE[risk.band])])]
    if risk.drivers:
        found.append(Line(4, [("drivers: ", "dim"), ("; ".join(risk.drivers), "")]))
    return found


def _finding(finding: Finding, lines: LineIndex | None) -> list[Line]:
    span = finding.span
    style = _STYLE[finding.severity]
    heading = [(finding.severity, style), (" ", ""), (finding.rule, "bold"), (" ", ""), (finding.category, "dim"),
               (f" {span.line}:{span.column}  {finding.message}", "")]
    found = [Line(2, heading)]
    if lines is not None and lines.text:
        found.extend(_frame(lines, finding, style))
    first, *more = finding.remediation.split("\n")  # VW001's FROM list to use, a line for each table
    found.append(Line(4, [("fix: ", "dim"), (first, "")]))
    found.extend(Line(4 + len("fix: "), [(line, "")]) for line in more)
    return found


def _frame(lines: LineIndex, finding: Finding, style: str) -> list[Line]:
    """The finding's lines of the file, the first one underlined where the finding is; a line
    longer than _SHOWN characters (generated SQL on one line) is cut to the part around the mark."""
    span = finding.span
    last = min(span.end_line, span.line + _FRAME_LINES - 1, lines.line_count)
    width = len(str(last))
    first = lines.line_text(span.line)
    start = len(first[: span.column - 1].expandtabs(4))
    end_column = span.end_column if span.end_line == span.line else len(first)
    length = max(len(first[:end_column].expandtabs(4)) - start, 1)
    left = 0 if start + min(length, _BEFORE_MARK) <= _SHOWN else start - _BEFORE_MARK  # the line's start if the mark is near it
    frame: list[Line] = []
    for number in range(span.line, last + 1):
        text = lines.line_text(number).expandtabs(4)
        shown = text[left : left + _SHOWN]
        shown = ("…" if left else "") + shown + ("…" if len(text) > left + _SHOWN else "")
        frame.append(Line(4, [(f"{number:>{width}} │ ", "dim"), (shown, "")], wrap=False))
        if number == span.line:
            offset = start - left + (1 if left else 0)
            underline = max(min(length, _SHOWN - (start - left)), 1)
            frame.append(Line(4, [(f"{' ' * width} │ ", "dim"), (" " * offset, ""), ("^" * underline, style)], wrap=False))
    return frame


def _summary(report: Report) -> list[Line]:
    statements = sum(file.statements for file in report.files)
    parsed = sum(file.parsed for file in report.files)
    segments = [(f"{plural(len(report.files), 'file')} · {plural(statements, 'statement')}, {parsed} read · ", "")]
    for at, (severity, count) in enumerate(report.counts().items()):
        segments.append((f"{', ' if at else ''}{severity_count(severity, count)}", _STYLE[severity] if count else "dim"))
    if report.suppressed:
        segments.append((f" · {report.suppressed} suppressed", "dim"))
    if report.excluded:
        segments.append((f" · {plural(report.excluded, 'file')} excluded by the settings", "dim"))
    if report.unanalysable:
        segments.append((f" · {len(report.unanalysable)} not analysable", "bold red"))
    return [Line(0, segments), Line(0, [(OWNERSHIP_NOTE.format(who=""), "dim")]), Line(0, [(report.catalog_note, "dim")])]
