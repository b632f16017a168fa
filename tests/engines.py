"""Running T-SQL, as sqladvise's examples and fixes write it, in a database the tests can start."""

import sqlite3
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


def postgres_cast(connection, value: str, sql_type: str):
    """A value, written as SQL, converted to a type in PostgreSQL."""
    return connection.execute(f"SELECT CAST({value} AS {sql_type})").fetchone()[0]


def sqlite_with(tables: dict[str, tuple[str, list[tuple]]]) -> sqlite3.Connection:
    """An in-memory SQLite database with the tables: each name with its columns, as a CREATE TABLE
    lists them, and its rows."""
    connection = sqlite3.connect(":memory:")
    for table, (columns, rows) in tables.items():
        connection.execute(f"CREATE TABLE {table} ({columns})")
        connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    return connection


def sqlite_rows(connection: sqlite3.Connection, tsql: str) -> list[tuple]:
    """The rows a T-SQL query returns in SQLite, written in its dialect by sqlglot, in order."""
    return sorted(connection.execute(sqlglot.transpile(tsql, read="tsql", write="sqlite")[0]).fetchall())

