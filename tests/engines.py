"""Running T-SQL, as sqladvise's examples and fixes write it, in a database the tests can start."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import sqlglot

from bench.risk.cluster import cluster


@contextmanager
def postgres_with(*statements: str) -> Iterator[psycopg.Connection]:
    """A connection to a PostgreSQL cluster of its own, after `statements` (the tables and rows a
    test module reads) have run."""
    with cluster() as local, psycopg.connect(local, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
        yield connection


def postgres_rows(connection, tsql: str) -> list[tuple]:
    """The rows a T-SQL statement returns in PostgreSQL, written in its dialect by sqlglot."""
    return connection.execute(sqlglot.transpile(tsql, read="tsql", write="postgres")[0]).fetchall()
