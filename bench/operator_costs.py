"""Derive the join, sort and aggregate cost coefficients in advisor/risk/cost.py from the real
SQL Server showplans in ../shared/plans: for each serial operator, the optimizer's own CPU
estimate divided by the work it was given; the medians are the coefficients.

    python bench/operator_costs.py [PLANS_FOLDER]
"""

from __future__ import annotations

import math
import re
import statistics
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"
NS = "{http://schemas.microsoft.com/sqlserver/2004/07/showplan}"


def operators(folder: Path):
    for path in sorted(folder.rglob("*.sqlplan")):
        root = ET.fromstring(_text(path.read_bytes()))
        for op in root.iter(f"{NS}RelOp"):
            if op.get("Parallel") in ("1", "true"):
                continue  # parallel plans divide CPU by the degree of parallelism
            yield op


def _text(data: bytes) -> str:
    """The plan's XML as text. Some files declare an encoding they were not saved in, so the
    bytes decide and the declaration goes."""
    text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def _rows(op) -> float:
    """Rows an operator produces over all its executions."""
    return float(op.get("EstimateRows", 0)) * (1 + float(op.get("EstimateRebinds", 0)) + float(op.get("EstimateRewinds", 0)))


def _per_execution(op, rows: float) -> float:
    """Input rows of one execution: the optimizer's CPU figure is for one execution of the operator."""
    return rows / (1 + float(op.get("EstimateRebinds", 0)) + float(op.get("EstimateRewinds", 0)))


def _children(op):
    return [child for child in op.iter(f"{NS}RelOp") if child is not op and _parent_relop(op, child)]


def _parent_relop(op, child) -> bool:
    """Whether `child` is a direct input of `op` (no RelOp between them)."""
    for candidate in op:
        if candidate is child:
            return True
        if candidate.tag != f"{NS}RelOp" and _parent_relop(candidate, child):
            return True
    return False


def coefficients(folder: Path) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"hash join per input row": [], "hash aggregate per input row": [],
                                     "stream aggregate per input row": [], "sort per n log2 n": [],
                                     "nested loops per output row": []}
    for op in operators(folder):
        physical, logical = op.get("PhysicalOp"), op.get("LogicalOp", "")
        cpu = float(op.get("EstimateCPU", 0))
        inputs = [_rows(child) for child in _children(op)]
        if physical == "Hash Match" and "Join" in logical and len(inputs) == 2 and sum(inputs) > 1000:
            found["hash join per input row"].append((cpu - 0.0177) / sum(inputs))
        elif physical == "Hash Match" and "Aggregate" in logical and inputs and inputs[0] > 1000:
            found["hash aggregate per input row"].append((cpu - 0.0177) / inputs[0])
        elif physical == "Stream Aggregate" and inputs and (per_execution := _per_execution(op, inputs[0])) > 100:
            found["stream aggregate per input row"].append(cpu / per_execution)
        elif physical == "Sort" and inputs and inputs[0] > 1000:
            n = inputs[0]
            found["sort per n log2 n"].append(cpu / (n * math.log2(n)))
        elif physical == "Nested Loops" and float(op.get("EstimateRows", 0)) > 1000:
            found["nested loops per output row"].append(cpu / _rows(op))
    return found


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else PLANS
    for name, values in coefficients(folder).items():
        if values:
            print(f"{name:32} median {statistics.median(values):.3g}  from {len(values)} operators")
        else:
            print(f"{name:32} no serial operators large enough")


if __name__ == "__main__":
    main()
