"""A plan next to the SQL it was made from: which plan statement is which of the file's
statements, the cost each gives the risk estimate, and its findings placed on the file's lines."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from advisor.analysis.model import Query
from advisor.plans.findings import PlanFinding, statement_findings
from advisor.plans.model import Plan, PlanStatement
from advisor.risk import DRIVERS, NOTABLE, PlanCost

_LIKE_ENOUGH = 0.5
_NOISE = re.compile(r"[\[\]\s;]+")


def match(queries: list[Query], plan: Plan) -> dict[int, PlanStatement]:
    """Statement index -> the plan statement made from it: by text first (SQL Server keeps each
    statement's text, though it may parameterize literals), then in order for the rest."""
    planned = [q for q in queries if q.graph is not None and q.graph.nodes]
    texts = {q.statement.index: _normal(q.lines.text[q.statement.span.start:q.statement.span.end]) for q in planned}
    free = list(plan.statements)
    found: dict[int, PlanStatement] = {}
    for query in planned:
        scored = [(SequenceMatcher(None, texts[query.statement.index], _normal(s.text)).ratio(), s) for s in free]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= _LIKE_ENOUGH:
            found[query.statement.index] = best[1]
            free.remove(best[1])
    for query, statement in zip([q for q in planned if q.statement.index not in found], free, strict=False):
        found[query.statement.index] = statement
    return found


def _normal(text: str) -> str:
    return _NOISE.sub(" ", text.lower()).strip()


def plan_costs(matched: dict[int, PlanStatement]) -> dict[int, PlanCost]:
    return {index: PlanCost(statement.subtree_cost, _drivers(statement), statement.io_cost)
            for index, statement in matched.items() if statement.subtree_cost is not None}


def _drivers(statement: PlanStatement) -> tuple[str, ...]:
    total = max(statement.subtree_cost or 0.0, 1e-9)
    ranked = sorted(statement.operators, key=lambda op: -op.own_cost)
    return tuple(f"{op.label}: {op.own_cost / total:.0%} of the plan's cost" for op in ranked
                 if op.own_cost / total >= NOTABLE)[:DRIVERS]


def matched_findings(matched: dict[int, PlanStatement]) -> list[tuple[int, PlanFinding]]:
    """Each matched plan statement's findings, with the index of the file's statement they belong to."""
    return [(index, finding) for index, statement in matched.items() for finding in statement_findings(statement)]
