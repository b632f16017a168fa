"""Reading a SHOWPLAN XML document (a .sqlplan file from SSMS, or what SET SHOWPLAN_XML returns)
into the plan model, safely: defusedxml refuses DTDs, so no entity is ever expanded and no
external file or address is ever read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor.plans import PlanError
from advisor.plans.model import MissingIndex, Operator, Plan, PlanStatement

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TRUE = ("1", "true")
_LARGEST = 1e100
_DYNAMIC_SEEK = re.compile(r"\bGetRange(WithMismatchedTypes|ThroughConvert)\(")


def read_plan_file(path: str | Path) -> Plan:
    if not str(path):  # not the folder the run is in, as Path("") would be
        raise PlanError("'': an empty path names no plan file")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise PlanError(f"{path}: cannot read the plan: {error.strerror or error}") from None
    return read_plan(data, str(path))


def read_plan(data: bytes | str, source: str) -> Plan:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    text = _DECLARATION.sub("", data if isinstance(data, str) else _decoded(data, source), count=1)
    try:
        root = fromstring(text, forbid_dtd=True)
    except DefusedXmlException:
        raise PlanError(f"{source}: the file declares a DTD or XML entities, which a SQL Server plan never has; "
                        "sqladvise does not expand them") from None
    except ParseError as error:
        raise PlanError(f"{source}: not a readable XML document: {error}") from None
    if _name(root) != "ShowPlanXML":
        raise PlanError(f"{source}: not a SQL Server plan: the document is <{_name(root)}>, not <ShowPlanXML>")
    plan = Plan(source, root.get("Build"))
    for element in _statements(root):
        plan.statements.append(_statement(element, len(plan.statements) + 1))
    return plan


def _decoded(data: bytes, source: str) -> str:
    """SSMS saves plans as UTF-16 with a byte order mark; other tools write UTF-8, some of them
    under a declaration that still says utf-16. The bytes decide, not the declaration."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif len(data) > 1 and data[1] == 0 and data[0] != 0:
        return data.decode("utf-16-le", errors="replace")
    elif len(data) > 1 and data[0] == 0 and data[1] != 0:
        return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanError(f"{source}: the plan is neither UTF-16 nor UTF-8 text") from None


def _name(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _statements(root: Any) -> Iterator[Any]:
    for element in root.iter():
        if _name(element).startswith("Stmt") and (element.get("StatementText") is not None
                                                  or next(_own(element, "QueryPlan"), None) is not None):
            yield element


def _own(element: Any, name: str) -> Iterator[Any]:
    """Descendants named `name` that belong to this element, not to a statement or operator inside it."""
    stack = list(element)
    while stack:
        child = stack.pop(0)
        local = _name(child)
        if local == name:
            yield child
        elif not local.startswith("Stmt") and local != "RelOp":
            stack.extend(child)


def _number(element: Any, attribute: str) -> float | None:
    """A count, cost, size or time of the plan, or None when it is absent or no such thing: a plan
    holds none that is negative, NaN or infinite, nor past a googol (real plans reach 1e44 rows)."""
    value = element.get(attribute) if element is not None else None
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number <= _LARGEST else None


def _statement(element: Any, index: int) -> PlanStatement:
    plans = list(_own(element, "QueryPlan"))
    query_plan = plans[0] if plans else None
    grant = next(_own(query_plan, "MemoryGrantInfo"), None) if query_plan is not None else None
    times = next(_own(query_plan, "QueryTimeStats"), None) if query_plan is not None else None
    version = _number(element, "CardinalityEstimationModelVersion")
    dop = _number(query_plan, "DegreeOfParallelism")
    granted = _number(grant, "GrantedMemory") or _number(grant, "SerialDesiredMemory")
    statement = PlanStatement(
        index=index,
        text=" ".join((element.get("StatementText") or "").split()),
        kind=element.get("StatementType") or _name(element)[4:].upper(),
        subtree_cost=_number(element, "StatementSubTreeCost"),
        estimated_rows=_number(element, "StatementEstRows"),
        optimization_level=element.get("StatementOptmLevel"),
        early_abort=element.get("StatementOptmEarlyAbortReason"),
        estimator_version=int(version) if version is not None else None,
        degree_of_parallelism=int(dop) if dop is not None else None,
        serial_reason=query_plan.get("NonParallelPlanReason") if query_plan is not None else None,
        memory_grant_kb=int(granted) if granted is not None else None,
        elapsed_ms=_number(times, "ElapsedTime"),
        cpu_ms=_number(times, "CpuTime"),
    )
    for query_plan in plans:
        for relop in _own(query_plan, "RelOp"):
            _operators(relop, statement.operators)
        # On the plan, or on the operator whose seek it spoiled.
        statement.converts += [(c.get("ConvertIssue") or "", c.get("Expression") or "")
                               for c in query_plan.iter() if _name(c) == "PlanAffectingConvert"]
        # A value whose type differs from the column's: the seek range is worked out at run time.
        statement.converts += [("Dynamic Seek", s) for c in query_plan.iter()
                               if _DYNAMIC_SEEK.search(s := c.get("ScalarString") or "")]
        for group in (g for missing in _own(query_plan, "MissingIndexes") for g in missing):
            statement.missing_indexes += [_missing(group, m) for m in group if _name(m) == "MissingIndex"]
    return statement


def _operators(relop: Any, found: list[Operator]) -> Operator:
    operation = next((c for c in relop if _name(c) not in ("OutputList", "Warnings", "RunTimeInformation",
                                                          "MemoryFractions", "RunTimePartitionSummary",
                                                          "InternalInfo", "Predicate")), None)
    target = next((o for o in (operation if operation is not None else ()) if _name(o) == "Object"), None)
    warnings = next((c for c in relop if _name(c) == "Warnings"), None)
    counters = [t for r in relop if _name(r) == "RunTimeInformation" for t in r if _name(t) == "RunTimeCountersPerThread"]
    operator = Operator(
        node_id=int(_number(relop, "NodeId") or 0),
        physical=relop.get("PhysicalOp") or "",
        logical=relop.get("LogicalOp") or "",
        estimated_rows=_number(relop, "EstimateRows") or 0.0,
        subtree_cost=_number(relop, "EstimatedTotalSubtreeCost") or 0.0,
        io_cost=_number(relop, "EstimateIO") or 0.0,
        cpu_cost=_number(relop, "EstimateCPU") or 0.0,
        rows_read=_number(relop, "EstimatedRowsRead"),
        table_cardinality=_number(relop, "TableCardinality"),
        executions=1 + (_number(relop, "EstimateRebinds") or 0) + (_number(relop, "EstimateRewinds") or 0),
        table=_object_name(target),
        index=(target.get("Index") if target is not None else None),
        lookup=(operation is not None and (operation.get("Lookup") or "").lower() in _TRUE),
        warnings=_warning_names(warnings),
        actual_rows=sum(_number(t, "ActualRows") or 0 for t in counters) if counters else None,
        actual_elapsed_ms=max((v for t in counters if (v := _number(t, "ActualElapsedms")) is not None), default=None),
        actual_cpu_ms=_total(_number(t, "ActualCPUms") for t in counters),
    )
    found.append(operator)
    children = [_operators(child, found) for child in _own(operation, "RelOp")] if operation is not None else []
    operator.own_cost = max(operator.subtree_cost - sum(child.subtree_cost for child in children), 0.0)
    return operator


def _total(values) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _object_name(target: Any) -> str | None:
    if target is None:
        return None
    table = target.get("Table") or ""
    schema = target.get("Schema")
    return f"{schema}.{table}" if schema and table else table or None


def _warning_names(warnings: Any) -> tuple[str, ...]:
    if warnings is None:
        return ()
    flags = [name for name, value in warnings.attrib.items() if value.lower() in _TRUE]
    return tuple(flags + [_name(child) for child in warnings])


def _missing(group: Any, missing: Any) -> MissingIndex:
    columns: dict[str, tuple[str, ...]] = {}
    for column_group in missing:
        if _name(column_group) == "ColumnGroup":
            columns[column_group.get("Usage") or ""] = tuple(
                (c.get("Name") or "").strip("[]") for c in column_group if _name(c) == "Column")
    return MissingIndex(
        impact=_number(group, "Impact") or 0.0,
        table=_object_name(missing) or "",
        equality=columns.get("EQUALITY", ()),
        inequality=columns.get("INEQUALITY", ()),
        include=columns.get("INCLUDE", ()),
    )
