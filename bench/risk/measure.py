"""Real runtimes: each file's statements run in order in one transaction that is rolled back, so
temp tables work and nothing stays changed; each timed statement's server time (planning and
execution, from EXPLAIN ANALYZE, without sending rows to a client) is the median of several runs.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field

import psycopg

from bench.risk.queryset import File

EXPLAINABLE = {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "DECLARE CURSOR", "IF"}
LONG_SECONDS = 30  # a statement this slow is timed once: its noise is small beside it


@dataclass
class Timing:
    runs: list[float] = field(default_factory=list)
    problem: str | None = None  # PostgreSQL's error
    timed_out: bool = False

    @property
    def seconds(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None


def measure(connection: psycopg.Connection, file: File, timed: set[int], repeats: int, timeout: float) -> dict[int, Timing]:
    """Time the statements numbered in `timed`; the file's other statements run untimed, as
    the setup they are."""
    found = {index: Timing() for index in timed}
    connection.execute(f"SET statement_timeout = {int(timeout * 1000)}")
    connection.execute('SET search_path = "dbo", public')
    connection.commit()
    for attempt in range(repeats):
        with connection.transaction(force_rollback=True):
            for step in file.steps:
                if step.sql is None:
                    continue
                timing = found.get(step.index)
                if timing is not None and attempt and (timing.problem or (timing.seconds or 0) > LONG_SECONDS) \
                        and step.keyword in ("SELECT", "WITH", "IF") and " INTO " not in step.sql.upper():
                    continue  # already known; a plain query leaves nothing later statements need
                try:
                    with connection.transaction():
                        seconds = _run(connection, step.sql, timed=timing is not None and step.keyword in EXPLAINABLE)
                except psycopg.errors.QueryCanceled:
                    if timing is not None:
                        timing.timed_out, timing.problem = True, f"timed out after {timeout:g} s"
                    continue
                except psycopg.Error as error:
                    if timing is not None and timing.problem is None:
                        timing.problem = str(error).strip().splitlines()[0]
                    continue
                if timing is not None and timing.problem is None:
                    timing.runs.append(seconds)
    return found


def _run(connection: psycopg.Connection, sql: str, timed: bool) -> float:
    if timed:
        plan = connection.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}").fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        return (plan["Planning Time"] + plan["Execution Time"]) / 1000
    started = time.perf_counter()
    connection.execute(sql)
    return time.perf_counter() - started
