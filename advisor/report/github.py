"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's lines.

GitHub shows only the first few annotations of each level per step (ANNOTATIONS_SHOWN), so when
there are more, a closing line says how many there are and how to see them all.
"""

from __future__ import annotations

from advisor.checks.registry import rule_docs
from advisor.findings import SEVERITIES
from advisor.report import Report
from advisor.words import plural, severity_count

ANNOTATIONS_SHOWN = 10  # per level and step, as GitHub documents it
_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report) -> str:
    docs = rule_docs()
    lines = []
    for file in report.files:
        for finding in file.active:
            span = finding.span
            properties = {"file": file.path, "line": span.line, "col": span.column, "endLine": span.end_line,
                          "endColumn": span.end_column, "title": f"{finding.rule} {docs[finding.rule].name}"}
            lines.append(_command(_COMMAND[finding.severity], properties, f"{finding.message} Fix: {finding.remediation}"))
        if file.path in report.internal_errors:
            lines.append(_command("error", {"file": file.path}, f"sqladvise failed on this file: {report.internal_errors[file.path]}"))
    counts = report.counts()
    total = sum(counts.values())
    summary = (f"sqladvise: {plural(len(report.files), 'file')}, {plural(total, 'finding')} ("
               + ", ".join(severity_count(s, counts[s]) for s in SEVERITIES) + ")")
    if report.suppressed:
        summary += f", {report.suppressed} suppressed"
    if any(count > ANNOTATIONS_SHOWN for count in counts.values()):
        summary += (f". GitHub shows {ANNOTATIONS_SHOWN} annotations of each level per step, so some are not shown "
                    "on the pull request; run `sqladvise check` without --format github to see every finding.")
    lines.append(summary)
    return "".join(line + "\n" for line in lines)


def _command(name: str, properties: dict, message: str) -> str:
    rendered = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items())
    return f"::{name} {rendered}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
