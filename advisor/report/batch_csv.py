"""The batch review as CSV: a row per filter, in input order, for a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections import Counter

from advisor.batch import Reviewed
from advisor.findings import SEVERITIES

COLUMNS = ["name", "kind", "owner", "origin", "status", "problem", "band", "p_timeout", "estimated_seconds",
           "crosses_timeout_in_years", "never_ends", *SEVERITIES, "rules"]


def render(reviewed: list[Reviewed]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in reviewed:
        report = entry.report if entry.status == "checked" else None
        risk = report.risk.risk if report and report.risk else None
        findings = report.active if report else []
        severities = Counter(f.severity for f in findings)
        writer.writerow([
            _cell(entry.filter.name), getattr(entry.filter, "kind", ""), _cell(entry.owner), _cell(entry.filter.origin),
            entry.status, _cell(entry.problem),
            risk.band if risk else "", risk.p_timeout if risk else "", risk.estimated_seconds if risk else "",
            "" if risk is None or risk.crosses_timeout_in_years is None else risk.crosses_timeout_in_years,
            "" if risk is None else str(risk.never_ends).lower(),
            *(severities[s] for s in SEVERITIES), " ".join(dict.fromkeys(f.rule for f in findings)),
        ])
    return out.getvalue()


def _cell(text: str | None) -> str:
    """Text from the input, made safe for a spreadsheet: a cell that starts like a formula is not
    run as one."""
    text = text or ""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
