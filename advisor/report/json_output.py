"""The JSON document other tools read (design.md, "Contracts other tools rely on")."""

from __future__ import annotations

import json
from dataclasses import asdict

from advisor.catalog.model import Server
from advisor.findings import Finding
from advisor.pipeline import FileReport
from advisor.report import Report
from advisor.risk import FileRisk, Risk


def render(report: Report) -> str:
    document = {
        "tool": {"name": "sqladvise", "version": report.version},
        "files": [_file(file, report.internal_errors.get(file.path)) for file in report.files],
        "summary": {
            "files": len(report.files),
            "statements": sum(file.statements for file in report.files),
            "parsed": sum(file.parsed for file in report.files),
            "findings": report.counts(),
            "suppressed": report.suppressed,
            "excluded": report.excluded,
            "baseline": report.baseline,
            "unanalysable": report.unanalysable,
            "fail_on": report.fail_on,
            "exit_code": report.exit_code(),
            "catalog": {
                "origin": report.catalog.origin,
                "description": report.catalog.description,
                "approximate": report.catalog.approximate,
                "students": report.catalog.profile.students if report.catalog.profile else None,
                "note": report.catalog_note,
                "from_bundled": list(report.catalog.from_bundled),
                "sized_from_bundled": list(report.catalog.sized_from_bundled),
                "unsized": list(report.catalog.unsized),
                "server": _server(report.catalog.server),
            },
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _server(server: Server | None) -> dict | None:
    return asdict(server) if server is not None else None


def _file(file: FileReport, internal_error: str | None) -> dict:
    entry = {
        "path": file.path,
        "statements": file.statements,
        "parsed": file.parsed,
        "ownership": {"author": file.author, "note": file.ownership_note},
        "risk": _file_risk(file.risk) if file.risk is not None else None,
        "findings": [finding_entry(finding) for finding in file.active],
        "suppressed": [{**finding_entry(finding), "suppression": finding.suppressed}
                       for finding in file.findings if finding.suppressed],
        "fail_on": file.fail_on,
    }
    if internal_error:  # only when sqladvise itself failed on the file
        entry["internal_error"] = internal_error
    return entry


def risk_entry(risk: Risk) -> dict:
    return {
        "band": risk.band,
        "p_timeout": risk.p_timeout,
        "estimated_seconds": risk.estimated_seconds,
        "timeout_seconds": risk.timeout_seconds,
        "timeout": risk.limit,
        "crosses_timeout_in_years": risk.crosses_timeout_in_years,
        "never_ends": risk.never_ends,
        "drivers": list(risk.drivers),
        "source": risk.source,
    }


def _file_risk(file_risk: FileRisk) -> dict:
    statements = [
        {"statement": s.index + 1, "line": s.span.line, "keyword": s.keyword, **risk_entry(s.risk),
         "estimated_cost": round(s.risk.cost, 4), "estimated_rows": round(s.risk.rows)}
        for s in file_risk.statements
    ]
    return {**risk_entry(file_risk.risk), "statements": statements}


def finding_entry(finding: Finding) -> dict:
    span = finding.span
    return {
        "rule": finding.rule,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
        "remediation": finding.remediation,
        "objects": list(finding.objects),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "fingerprint": finding.fingerprint,
    }
