"""The batch review as one JSON document: a row per filter, in input order, then a summary."""

from __future__ import annotations

import json
from collections import Counter

from advisor import __version__
from advisor.batch import Reviewed
from advisor.filters import Filter
from advisor.filters.wizard import ADVICE
from advisor.findings import SEVERITIES
from advisor.report.json_output import finding_entry, risk_entry
from advisor.risk.timing import BANDS


def render(reviewed: list[Reviewed], catalog_note: str) -> str:
    rows = [_row(entry) for entry in reviewed]
    bands = Counter(row["risk"]["band"] for row in rows if row["risk"])
    severities = Counter(f["severity"] for row in rows for f in row["findings"])
    document = {
        "tool": {"name": "sqladvise", "version": __version__},
        "filters": rows,
        "summary": {
            "filters": len(rows),
            "statuses": {status: sum(1 for r in rows if r["status"] == status) for status in ("checked", "bad input", "error")},
            "bands": {name: bands[name] for _, name in reversed(BANDS)},
            "findings": {severity: severities[severity] for severity in SEVERITIES},
            "catalog": catalog_note,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _row(entry: Reviewed) -> dict:
    report, item = entry.report, entry.filter
    findings = []
    for finding in report.active if report else []:
        box, line, column, end_line = entry.placed(finding)
        findings.append({**finding_entry(finding), "box": box, "line": line, "column": column, "end_line": end_line})
    return {
        "name": item.name,
        "kind": getattr(item, "kind", None),
        "origin": item.origin,
        "owner": entry.owner,
        "modified": getattr(item, "modified", None),
        "status": entry.status,
        "problem": entry.problem,
        "statements": report.statements if report else 0,
        "parsed": report.parsed if report else 0,
        "risk": risk_entry(report.risk.risk) if report and report.risk and entry.status == "checked" else None,
        "findings": findings,
        # Campus's own advice for slow wizard filters, when this one has something to fix
        "advice": list(ADVICE) if isinstance(item, Filter) and item.wizard and findings else [],
    }
