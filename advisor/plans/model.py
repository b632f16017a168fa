"""What SQL Server's own plan says: per statement its cost, estimates and warnings; per operator
its estimates and, in an actual plan, what really happened. Plain data, read by read.py."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MissingIndex:
    """An index the optimizer asked for while compiling the statement."""

    impact: float  # the optimizer's estimate of the cost it would save, in percent
    table: str
    equality: tuple[str, ...]
    inequality: tuple[str, ...]
    include: tuple[str, ...]


@dataclass
class Operator:
    """One operator of a plan, with the optimizer's estimates and, in an actual plan, what happened."""

    node_id: int
    physical: str  # Clustered Index Scan, Nested Loops, Sort...
    logical: str  # Inner Join, Eager Spool...
    estimated_rows: float
    subtree_cost: float
    io_cost: float = 0.0
    cpu_cost: float = 0.0
    rows_read: float | None = None  # EstimatedRowsRead: rows a scan or seek touches before its predicate
    table_cardinality: float | None = None
    executions: float = 1.0  # 1 + estimated rebinds and rewinds
    table: str | None = None  # the object read or written: [schema].[table], or a table variable's @name
    index: str | None = None
    lookup: bool = False  # a key lookup (an Index Seek marked Lookup)
    warnings: tuple[str, ...] = ()  # SpillToTempDb, NoJoinPredicate, ...
    actual_rows: float | None = None  # summed over threads, in an actual plan
    actual_elapsed_ms: float | None = None  # the slowest thread's, in an actual plan that timed operators
    actual_cpu_ms: float | None = None  # summed over threads
    own_cost: float = 0.0  # its subtree cost less its children's

    @property
    def label(self) -> str:
        where = f" on {self.table}" if self.table else ""
        return f"{self.physical} (node {self.node_id}){where}"

    @property
    def own_io_cost(self) -> float:
        """The part of its own cost that reads or writes pages. EstimateIO and EstimateCPU are for
        one execution. Over repeated executions SQL Server charges the CPU each time but fewer
        reads (pages already read), so the reads are what its own cost holds beyond the CPU;
        under a row goal (TOP, EXISTS) the whole operator is scaled down, and the reads keep
        their share."""
        if self.io_cost <= 0:
            return 0.0
        cpu = self.cpu_cost * self.executions
        if self.own_cost >= cpu:
            return self.own_cost - cpu
        return self.own_cost * self.io_cost / (self.io_cost + self.cpu_cost)


@dataclass
class PlanStatement:
    """One statement of a plan: its cost, its operators and what the optimizer noted."""

    index: int  # 1-based, in the order of the file
    text: str
    kind: str  # SELECT, INSERT, COND...
    subtree_cost: float | None
    estimated_rows: float | None
    optimization_level: str | None  # TRIVIAL or FULL
    early_abort: str | None  # TimeOut, MemoryLimitExceeded, GoodEnoughPlanFound
    estimator_version: int | None  # 70 is the legacy estimator, 120 and up the new one
    degree_of_parallelism: int | None
    serial_reason: str | None  # NonParallelPlanReason
    memory_grant_kb: int | None
    operators: list[Operator] = field(default_factory=list)
    missing_indexes: list[MissingIndex] = field(default_factory=list)
    converts: list[tuple[str, str]] = field(default_factory=list)  # (issue, expression) from PlanAffectingConvert
    elapsed_ms: float | None = None  # actual plans: QueryTimeStats
    cpu_ms: float | None = None

    @property
    def io_cost(self) -> float:
        """The part of its cost that reads or writes pages. A spool's own cost can count its
        input's more than once, so the sum stops at the statement's cost."""
        return min(sum(op.own_io_cost for op in self.operators), self.subtree_cost or 0.0)

    @property
    def actual(self) -> bool:
        return self.elapsed_ms is not None or any(op.actual_rows is not None for op in self.operators)


@dataclass
class Plan:
    """A SHOWPLAN XML document: the statements SQL Server planned."""

    source: str
    build: str | None  # the SQL Server build that made it
    statements: list[PlanStatement] = field(default_factory=list)
