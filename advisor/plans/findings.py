"""What a plan shows, as findings in the words DBAs know from sp_BlitzCache: conversions that
spoil a seek, joins without a predicate, missing indexes, large scans, costly key lookups, spills,
spools, fixed estimates, serial plans, compilations that gave up, guessed and wrong estimates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from advisor.checks.sizes import HUGE_ROWS, LARGE_ROWS, severity_for_rows
from advisor.plans.model import Operator, Plan, PlanStatement
from advisor.words import count

RULES = ("PL001", "PL002", "PL003", "PL004", "PL005", "PL006", "PL007", "PL008", "PL009", "PL010", "PL011", "PL012")
COSTLY_SHARE = 0.25  # of the statement's cost: an operator worth naming
LOOKUP_SHARE = 0.20
CHEAP_STATEMENT = 1.0  # cost units, about 10 ms: a share of less than this is not worth a warning
MISSING_INDEX_IMPACT = 10.0  # percent; below it the optimizer's suggestion is noise
GUESSES = (0.30, 0.09)  # what SQL Server assumes of an inequality, and of BETWEEN or LIKE, without statistics
WRONG_BY = 1000  # actual rows against the estimate, either way
_SPILLS = ("SpillToTempDb", "HashSpillDetails", "SortSpillDetails", "ExchangeSpillDetails")
_SCANS = ("Table Scan", "Clustered Index Scan", "Index Scan")
_UDF_REASONS = ("TSQLUserDefinedFunctionsNotParallelizable", "UserDefinedFunction")


@dataclass(frozen=True)
class PlanFinding:
    """A finding in a plan, on a plan statement and, when it is about one, an operator."""

    rule: str
    statement: int  # the plan statement's index, 1-based
    node: int | None  # the operator's NodeId, when about one operator
    message: str
    remediation: str
    severity: str | None = None  # None: the rule's default
    objects: tuple[str, ...] = ()


def plan_findings(plan: Plan) -> list[PlanFinding]:
    return [finding for statement in plan.statements for finding in statement_findings(statement)]


def statement_findings(statement: PlanStatement) -> Iterator[PlanFinding]:
    cost = statement.subtree_cost or max((op.subtree_cost for op in statement.operators), default=0.0)
    yield from _converts(statement)
    yield from _missing_indexes(statement)
    yield from _statement_level(statement)
    for operator in statement.operators:
        share = operator.own_cost / cost if cost else 0.0
        for check in (_no_join_predicate, _large_scan, _lookup, _spill, _spool, _fixed_estimate, _guess, _wrong_estimate):
            found = check(statement, operator, share)
            if found is not None:
                yield found


def _finding(statement: PlanStatement, operator: Operator | None, rule: str, message: str, remediation: str,
             severity: str | None = None) -> PlanFinding:
    objects = (operator.table,) if operator is not None and operator.table else ()
    return PlanFinding(rule, statement.index, operator.node_id if operator else None, message, remediation, severity, objects)


def _converts(statement: PlanStatement) -> Iterator[PlanFinding]:
    for issue, expression in dict.fromkeys(statement.converts):
        seek = issue == "Seek Plan"
        effect = {"Seek Plan": "converts the column, so it cannot seek its index",
                  "Dynamic Seek": "compares values of different types, so it works out the seek range at run time "
                                  "and estimates the rows without the value"}.get(
            issue, "converts the column, so it cannot use its statistics to estimate rows")
        yield _finding(
            statement, None, "PL001",
            f"{expression} ({issue}): SQL Server {effect}.",
            "Compare the column with a value of its own type (declare variables and parameters with the column's "
            "type; no N'' against varchar).",
            "warning" if seek else "info",
        )


def _missing_indexes(statement: PlanStatement) -> Iterator[PlanFinding]:
    for missing in statement.missing_indexes:
        if missing.impact < MISSING_INDEX_IMPACT:
            continue
        keys = ", ".join(missing.equality + missing.inequality)
        include = f" INCLUDE ({', '.join(missing.include)})" if missing.include else ""
        yield PlanFinding(
            "PL003", statement.index, None,
            f"The optimizer reports a missing index on {missing.table} that would cut this statement's cost by "
            f"{missing.impact:.0f}%: equality ({', '.join(missing.equality) or 'none'}), inequality "
            f"({', '.join(missing.inequality) or 'none'}), include ({', '.join(missing.include) or 'none'}).",
            f"Campus owns its indexes: ask Campus Support before adding one. Often the query can use an existing "
            f"index instead. The suggestion was: ON {missing.table} ({keys}){include}.",
            "warning" if missing.impact >= 50 else "info",
            (missing.table,),
        )


def _statement_level(statement: PlanStatement) -> Iterator[PlanFinding]:
    if statement.serial_reason and any(reason in statement.serial_reason for reason in _UDF_REASONS):
        yield _finding(
            statement, None, "PL009",
            f"The plan runs on one processor because of a T-SQL scalar function ({statement.serial_reason}), "
            "and the function runs once per row.",
            "Write the function's logic into the query, or make it an inline table-valued function.",
        )
    if statement.early_abort in ("TimeOut", "MemoryLimitExceeded"):
        yield _finding(
            statement, None, "PL010",
            f"The optimizer stopped searching ({statement.early_abort}) and kept the best plan found so far: the "
            "query is too complex to plan well.",
            "Simplify it: fewer joins and views per statement, or stage part of it in a temp table.",
        )


def _no_join_predicate(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    if "NoJoinPredicate" not in operator.warnings:
        return None
    return _finding(
        statement, operator, "PL002",
        f"{operator.label} has no join predicate: every row of one input is paired with every row of the other "
        f"({count(operator.estimated_rows)} rows estimated).",
        "Add the missing ON condition; check every table in FROM is joined to the others.",
    )


def _large_scan(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    rows = operator.rows_read or operator.table_cardinality or 0
    if operator.physical not in _SCANS or operator.lookup or rows < LARGE_ROWS or share < COSTLY_SHARE:
        return None
    return _finding(
        statement, operator, "PL004",
        f"{operator.label} reads {count(rows)} rows, {share:.0%} of the statement's cost, to return "
        f"{count(operator.estimated_rows)}.",
        "Limit the rows with a filter an index can seek (a year, a calendar, a person), or read a narrower index.",
        severity_for_rows(int(rows)),
    )


def _lookup(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    if not (operator.lookup or operator.physical == "RID Lookup") or share < LOOKUP_SHARE:
        return None
    rows = operator.estimated_rows * operator.executions
    return _finding(
        statement, operator, "PL005",
        f"{operator.label} looks up {count(rows)} {'row' if round(rows) == 1 else 'rows'} one at a time, {share:.0%} of the "
        "statement's cost: the index it seeks does not hold every column the query reads.",
        "Read only the columns the index holds, or filter so that fewer rows are looked up.",
        None if (statement.subtree_cost or 0) >= CHEAP_STATEMENT else "info",
    )


def _spill(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    spills = [w for w in operator.warnings if w in _SPILLS]
    if spills:
        return _finding(
            statement, operator, "PL006",
            f"{operator.label} spilled to tempdb ({', '.join(spills)}): its memory grant was too small for the "
            "rows it got, so it wrote them to disk and read them back.",
            "Make the estimate right (no functions on filtered columns, no table variables) or sort and hash fewer "
            "rows (filter first).",
        )
    if operator.physical in ("Sort", "Hash Match") and operator.estimated_rows >= HUGE_ROWS:
        return _finding(
            statement, operator, "PL006",
            f"{operator.label} sorts or hashes {count(operator.estimated_rows)} rows: a large memory grant that "
            "waits for memory and spills when the estimate is low.",
            "Filter before sorting or grouping, and drop an ORDER BY or DISTINCT the extract does not need.",
            "info",
        )
    return None


def _spool(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    if operator.physical == "Index Spool" and operator.logical == "Eager Spool":
        return _finding(
            statement, operator, "PL007",
            f"{operator.label} builds an index in tempdb on every run, because no index fits the query: SQL Server's "
            "own hint that an index is missing.",
            "Seek through an existing index (filter on its leading columns), or ask Campus Support about the index "
            "this spool builds.",
            "warning",
        )
    if operator.physical == "Table Spool" and share >= COSTLY_SHARE:
        return _finding(
            statement, operator, "PL007",
            f"{operator.label} stores rows in tempdb to read them again, {share:.0%} of the statement's cost.",
            "Read the repeated part once into a temp table, or remove what the spool protects (a CTE read twice, an "
            "update reading its own table).",
        )
    return None


def _fixed_estimate(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    variable = (operator.table or "").lstrip("[").startswith("@")
    if operator.physical != "Table-valued function" and not variable:
        return None
    what = "a table variable" if variable else "a multi-statement table-valued function"
    fixed = operator.estimated_rows in (1.0, 100.0)
    return _finding(
        statement, operator, "PL008",
        f"{operator.label} reads {what}: SQL Server estimated {count(operator.estimated_rows)} rows, "
        + ("its fixed guess rather than a count, and sized the rest of the plan for it." if fixed else
           "the count it saw when it first compiled the plan, which every later run reuses whatever it holds."),
        "Use a temp table, or an inline table-valued function, whose rows SQL Server can estimate.",
        None if fixed else "info",
    )


def _guess(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    table = operator.table_cardinality or 0
    if table < LARGE_ROWS or operator.physical not in (*_SCANS, "Filter"):
        return None
    ratio = operator.estimated_rows / table
    guess = next((g for g in GUESSES if abs(ratio - g) < 0.001), None)
    if guess is None:
        return None
    return _finding(
        statement, operator, "PL011",
        f"{operator.label} estimates exactly {guess:.0%} of its {count(table)} rows: SQL Server's fixed guess when "
        "it cannot read the filter's values (a function, a local variable, a column without statistics).",
        "Give the optimizer something to estimate: bare columns, literals or OPTION (RECOMPILE) instead of "
        "variables, statistics on the filtered columns.",
    )


def _wrong_estimate(statement: PlanStatement, operator: Operator, share: float) -> PlanFinding | None:
    if operator.actual_rows is None:
        return None
    expected = operator.estimated_rows * operator.executions
    high, low = max(expected, operator.actual_rows), max(min(expected, operator.actual_rows), 1.0)
    if high < LARGE_ROWS / 100 or high / low < WRONG_BY:
        return None
    return _finding(
        statement, operator, "PL012",
        f"{operator.label} returned {count(operator.actual_rows)} rows against an estimate of {count(expected)}: "
        f"off by {high / low:,.0f} times, so every choice above it was made for the wrong number of rows.",
        "Find what the optimizer cannot see (a function on a column, a table variable, a local variable, stale "
        "statistics) and remove it.",
    )
