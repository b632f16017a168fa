"""SARIF 2.1.0, the format code-scanning tools (GitHub, Azure DevOps, IDE viewers) read.

Every rule is described from its entry in rules/; every finding is a result, suppressed ones
included with the reason (a comment in the file, or the baseline), so a viewer can show them as
such. Columns count characters, as sqladvise's do.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from advisor import __version__
from advisor.checks.registry import RuleDoc, rule_docs
from advisor.findings import Finding
from advisor.report import INTERNAL, USAGE, Report
from advisor.sources import real_path, relative_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    index = rule_index()
    results = [_result(file.path, file.file, finding, index, report.baseline is not None)
               for file in report.files for finding in file.findings]
    notifications = [notification(f"{path}: {error}") for path, error in report.internal_errors.items()]
    notifications += [notification(f"{file.path}: could not be analysed: {file.unanalysable}")
                      for file in report.files if file.unanalysable]
    return log(results, notifications, report.exit_code(), report.catalog_note)


def log(results: list[dict], notifications: list[dict], exit_code: int, catalog_note: str) -> str:
    """The whole SARIF document: one run, every rule described, the results given."""
    run = {
        "tool": {"driver": {"name": "sqladvise", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(doc) for doc in rule_docs().values()]}},
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": exit_code not in (USAGE, INTERNAL),
                         "exitCode": exit_code, "toolExecutionNotifications": notifications}],
        "results": results,
        "properties": {"catalog": catalog_note},
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"


def rule_index() -> dict[str, int]:
    """Each rule's place in the tool's rule list, which results point at."""
    return {rule: at for at, rule in enumerate(rule_docs())}


def notification(text: str) -> dict:
    return {"level": "error", "message": {"text": text}}


def _rule(doc: RuleDoc) -> dict:
    return {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.title},
        "fullDescription": {"text": _plain(doc.why)},
        "help": {"text": "\n\n".join([_plain(doc.why), "How to fix it:\n" + doc.fix.strip(),
                                      "When it does not matter: " + _plain(doc.ignore_when)]),
                 "markdown": _markdown(doc)},
        "defaultConfiguration": {"level": _LEVEL[doc.severity], "enabled": doc.enabled},
        "properties": {"category": doc.category, "tags": [doc.category]},
    }


def _markdown(doc: RuleDoc) -> str:
    parts = [f"**{doc.id} {doc.name}**: {doc.title}", "### Why it matters", doc.why.strip(), "### How to fix it",
             doc.fix.strip(), "### When it does not matter", doc.ignore_when.strip()]
    for example in doc.examples:
        parts += ["### Flagged", f"```{example.language}\n{example.bad.strip()}\n```", "### Not flagged",
                  f"```{example.language}\n{example.good.strip()}\n```"]
    return "\n\n".join(parts)


def _result(path: str, file: Path | None, finding: Finding, index: dict[str, int], baselined: bool) -> dict:
    span = finding.span
    region = {"startLine": span.line, "startColumn": span.column,
              "endLine": span.end_line, "endColumn": span.end_column + 1}  # SARIF's end is exclusive
    result = result_for(finding, index, path, region, file=file)
    if finding.suppressed:
        result["suppressions"] = [{"kind": finding.suppressed}]
    if baselined:
        result["baselineState"] = "unchanged" if finding.suppressed == "external" else "new"
    return result


def result_for(finding: Finding, index: dict[str, int], path: str, region: dict, said: str = "",
               file: Path | None = None) -> dict:
    """A result at a region of a file (`file`, as the file system names it, when it was read from
    one); `said` goes before the finding's message."""
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": _LEVEL[finding.severity],
        "message": {"text": f"{said}{finding.message} Fix: {finding.remediation}"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(path, file), "region": region}}],
        "partialFingerprints": {"sqladvise/v1": finding.fingerprint},
        "properties": {"category": finding.category, "objects": list(finding.objects), "remediation": finding.remediation},
    }


def _artifact(path: str, file: Path | None) -> dict:
    """The file's URI from the bytes of its name, so that a name saved in another encoding (caf\xe9.sql)
    points at the file, not at the name the report shows (caf\ufffd.sql)."""
    if file is None and path.startswith("<"):
        return {"uri": quote(path)}  # <stdin>
    absolute = real_path(file or path)
    relative = relative_path(absolute, Path.cwd().resolve())
    if relative is None or relative.startswith(".."):
        return {"uri": absolute.as_uri()}
    return {"uri": quote(os.fsencode(relative)), "uriBaseId": "SRCROOT"}


def _plain(text: str) -> str:
    return " ".join(text.split())
