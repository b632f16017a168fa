"""The bench's queries: the team's sample queries and anti-pattern / fix pairs, read once by
sqladvise's own front end and translated statement by statement to PostgreSQL.

A file runs as its author runs it, top to bottom in one session (temp tables made by one
statement are read by the next), with three allowances PostgreSQL needs: variables stand for
what the script gave them, the body of an IF or WHILE runs once, and a query inside an IF's
condition or a DECLARE's value runs as SELECT (condition). Every statement that cannot be translated is
kept with the reason, for the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlglot import exp

from advisor.frontend.decode import decode
from advisor.frontend.parse import read_script
from bench.risk.translate import Untranslatable, declare, to_postgres

FOLDERS = ("extracts", "pairs", "scripts")
RUNNABLE = {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "DECLARE CURSOR", "TRUNCATE"}


@dataclass(frozen=True)
class Step:
    index: int  # the statement's number in the file, as sqladvise counts them
    keyword: str
    line: int
    sql: str | None  # the PostgreSQL to run
    problem: str | None = None  # why there is no PostgreSQL for it


@dataclass(frozen=True)
class File:
    path: Path  # relative to the samples folder
    data: bytes
    steps: tuple[Step, ...]

    @property
    def pair(self) -> tuple[str, str] | None:
        """(pair name, "bad" or "good") for an anti-pattern / fix pair."""
        stem, _, side = self.path.stem.rpartition(".")
        return (stem, side) if self.path.parent.name == "pairs" and side in ("bad", "good") else None


def load(samples: Path, stored_views: set[str]) -> list[File]:
    files = []
    for folder in FOLDERS:
        for path in sorted((samples / folder).glob("*.sql")):
            data = path.read_bytes()
            files.append(File(path.relative_to(samples), data, tuple(_steps(decode(data).text, stored_views))))
    return files


def _steps(text: str, stored_views: set[str]):
    variables: dict[str, exp.Expression] = {}
    for statement in read_script(text).statements:
        tree = statement.tree
        if tree is not None:
            declare(tree, variables)
        sql, problem = None, None
        if statement.error:
            problem = f"sqladvise could not read it: {statement.error}"
        elif statement.keyword in ("IF", "DECLARE") and tree is not None and tree.find(exp.Query):
            tree = exp.select(*_expressions(tree))  # the query in a condition or a variable's value
        elif statement.keyword not in RUNNABLE or tree is None:
            problem = f"{statement.keyword} has no PostgreSQL counterpart here"
        if problem is None:
            try:
                sql = to_postgres(tree, variables, stored_views)
            except Untranslatable as reason:
                problem = str(reason)
        yield Step(statement.index, statement.keyword, statement.span.line, sql, problem)


def _expressions(tree: exp.Expression) -> list[exp.Expression]:
    """What an IF or DECLARE evaluates: its condition, or its variables' values."""
    if isinstance(tree, exp.Declare):
        return [item.args["default"] for item in tree.expressions if item.args.get("default") is not None]
    return [tree]
