"""Running T-SQL, as sqladvise's examples and fixes write it, in a database the tests can start."""

import sqlglot


def postgres_rows(connection, tsql: str) -> list[tuple]:
    """The rows a T-SQL statement returns in PostgreSQL, written in its dialect by sqlglot."""
    return connection.execute(sqlglot.transpile(tsql, read="tsql", write="postgres")[0]).fetchall()
