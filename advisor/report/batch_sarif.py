"""The batch review as SARIF: each finding at the file its filter came from.

A filter from a .sql file points at its own lines (a pass-through file's box lines included). A
filter from a CSV or JSON Lines dump points at the line its row starts on, and the message names
the filter and where in it the finding is; the filter's name is also the location's logical one.
"""

from __future__ import annotations

from advisor.batch import Reviewed
from advisor.report.sarif import log, notification, result_for, rule_index


def render(reviewed: list[Reviewed], catalog_note: str, exit_code: int) -> str:
    index = rule_index()
    results, notifications = [], []
    for entry in reviewed:
        if entry.problem:
            notifications.append(notification(f"{entry.filter.origin}: {entry.problem}"))
            continue
        path, row = _origin(entry.filter.origin)
        for finding in entry.report.active:
            box, line, column, end_line = entry.placed(finding)
            if row is None and box in (None, "A", "B"):  # lines of the file itself
                region = {"startLine": line, "startColumn": column, "endLine": end_line,
                          "endColumn": finding.span.end_column + 1}
            else:
                region = {"startLine": row or 1}
            result = result_for(finding, index, path, region, f"Filter {entry.filter.name!r} ({entry.where(finding)}): ")
            result["locations"][0]["logicalLocations"] = [{"name": entry.filter.name, "kind": "object"}]
            result["partialFingerprints"]["sqladvise/filter"] = entry.filter.name  # one dump holds many
            results.append(result)
    return log(results, notifications, exit_code, catalog_note)


def _origin(origin: str) -> tuple[str, int | None]:
    """A dump row's origin is `file:line`; a .sql file's is its path."""
    path, _, line = origin.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (origin, None)
