"""`sqladvise catalog pull`: a district's catalog read from a live database, read-only.

SQL Server answers the export script (export.sql), the same queries a DBA runs in SSMS, on a
connection that declares ApplicationIntent=ReadOnly. Other databases SQLAlchemy can reach are
reflected (reflect.py) on a read-only connection. Nothing but catalog queries is sent, and no
message ever carries the password.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from advisor.catalog.load import FORMAT, VERSION
from advisor.connection import connected, shown

EXPORT_SCRIPT = Path(__file__).parent / "export.sql"


class PullError(Exception):
    """The database could not be read; the message is one line, free of the password."""


def pull(address: str) -> tuple[dict, list[str]]:
    """The catalog document of the database at `address` (a SQLAlchemy URL), and warnings.
    Raises ConnectError (connection.py) or PullError with a one-line message."""
    with connected(address) as connection:
        if connection.dialect.name == "mssql":
            return exported(connection), []
        from advisor.catalog.reflect import reflect

        found, warnings = reflect(connection)
        document = {"format": FORMAT, "version": VERSION, "description": _description(connection.engine.url),
                    "approximate": False, **found}
    return document, [f"{shown(address)}: {warning}" for warning in warnings]


def exported(connection: Any) -> dict:
    """The export script's one JSON value, from SQL Server."""
    query = EXPORT_SCRIPT.read_text(encoding="utf-8").split("SET NOCOUNT ON;", 1)[1]
    value = connection.exec_driver_sql(query).scalar()
    if not value:
        raise PullError("the server returned no catalog: does the login have VIEW DEFINITION on the database?")
    try:
        return json.loads(value)
    except json.JSONDecodeError as error:
        raise PullError(f"the server's catalog is not valid JSON ({error.msg} at character {error.pos})") from None
    except RecursionError:
        raise PullError("the server's catalog is not a catalog: its JSON nests too deeply") from None


def _description(url: Any) -> str:
    database = Path(url.database).name if url.get_backend_name() == "sqlite" else url.database
    return f"{database} ({url.get_backend_name()}), pulled {datetime.now().isoformat(timespec='seconds')}"


