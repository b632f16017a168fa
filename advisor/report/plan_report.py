"""`sqladvise plan FILE.sqlplan`: what the plan says, statement by statement, for people or as JSON."""

from __future__ import annotations

import json
from typing import TextIO

from advisor.checks.registry import rule_docs
from advisor.plans.findings import PlanFinding
from advisor.plans.model import Plan, PlanStatement
from advisor.words import count, plural

_SHOWN_TEXT = 160


def severity(finding: PlanFinding) -> str:
    return finding.severity or rule_docs()[finding.rule].severity


def text(plan: Plan, findings: list[PlanFinding], stream: TextIO) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False)
    console.print(f"[bold]{escape(plan.source)}[/bold]  {plural(len(plan.statements), 'statement')}"
                  + (f", SQL Server {plan.build}" if plan.build else ""))
    for statement in plan.statements:
        console.print(f"\n[bold]{statement.index}. {statement.kind}[/bold]  {escape(_short(statement.text))}")
        console.print(f"  {escape(_facts(statement))}")
        for finding in (f for f in findings if f.statement == statement.index):
            console.print(f"  {severity(finding)} {finding.rule} {rule_docs()[finding.rule].category}"
                          f"{f' node {finding.node}' if finding.node is not None else ''}  {escape(finding.message)}")
            console.print(f"    fix: {escape(finding.remediation)}")
    counts = {level: sum(severity(f) == level for f in findings) for level in ("error", "warning", "info")}
    console.print(f"\n{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info")


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 3] + "..."


def _facts(statement: PlanStatement) -> str:
    parts = []
    if statement.subtree_cost is not None:
        parts.append(f"cost {statement.subtree_cost:,.2f}")
    if statement.estimated_rows is not None:
        parts.append(f"{count(statement.estimated_rows)} {'row' if statement.estimated_rows == 1 else 'rows'} estimated")
    if statement.optimization_level:
        parts.append(f"{statement.optimization_level.lower()} optimization"
                     + (f" (stopped: {statement.early_abort})" if statement.early_abort else ""))
    if statement.estimator_version:
        parts.append(f"cardinality estimator {statement.estimator_version}")
    if statement.degree_of_parallelism is not None:
        parts.append(f"parallel ({statement.degree_of_parallelism})" if statement.degree_of_parallelism > 1
                     else "serial" + (f" ({statement.serial_reason})" if statement.serial_reason else ""))
    if statement.memory_grant_kb:
        parts.append(f"memory grant {count(statement.memory_grant_kb)} KB")
    if statement.elapsed_ms is not None:
        parts.append(f"ran {statement.elapsed_ms / 1000:,.3f} s ({(statement.cpu_ms or 0) / 1000:,.3f} s CPU)")
    return ", ".join(parts) or "no costs in the plan"


def as_json(plan: Plan, findings: list[PlanFinding]) -> str:
    document = {
        "plan": plan.source,
        "build": plan.build,
        "statements": [{
            "statement": s.index,
            "kind": s.kind,
            "text": s.text,
            "cost": s.subtree_cost,
            "estimated_rows": s.estimated_rows,
            "optimization_level": s.optimization_level,
            "early_abort": s.early_abort,
            "estimator_version": s.estimator_version,
            "degree_of_parallelism": s.degree_of_parallelism,
            "serial_reason": s.serial_reason,
            "memory_grant_kb": s.memory_grant_kb,
            "actual": s.actual,
            "elapsed_ms": s.elapsed_ms,
            "cpu_ms": s.cpu_ms,
            "operators": [{
                "node": o.node_id, "physical": o.physical, "logical": o.logical, "object": o.table, "index": o.index,
                "estimated_rows": o.estimated_rows, "rows_read": o.rows_read, "table_cardinality": o.table_cardinality,
                "io_cost": o.io_cost, "cpu_cost": o.cpu_cost, "subtree_cost": o.subtree_cost, "actual_rows": o.actual_rows,
                "actual_elapsed_ms": o.actual_elapsed_ms, "actual_cpu_ms": o.actual_cpu_ms,
            } for o in s.operators],
            "findings": [{
                "rule": f.rule, "category": rule_docs()[f.rule].category, "severity": severity(f), "node": f.node,
                "message": f.message, "remediation": f.remediation, "objects": list(f.objects),
            } for f in findings if f.statement == s.index],
        } for s in plan.statements],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
