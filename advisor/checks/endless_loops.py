"""SH035: a WHILE loop that nothing ends (found by analysis.endless): SQL Server runs its body again
and again until the timeout or a cancel stops the script."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.words import names

_STOPS = "SQL Server runs the body again and again, until the query timeout or a cancel stops the script"
_LEAVE = "or leave it with BREAK where the work is done"


@statement_rule("SH035")
def endless_loop(query: Query, catalog: Catalog) -> Iterator[Hit]:
    loop = query.endless
    if loop is None or loop.index != query.statement.index:
        return
    if loop.fetch_status:
        yield Hit(
            loop.span,
            f"{loop.condition} repeats while the last FETCH found a row, and its body fetches none: @@FETCH_STATUS "
            f"stays as it was, and the body works on the same row forever. {_STOPS}.",
            f"End the body with the FETCH NEXT FROM ... INTO ... that reads the next row, {_LEAVE}.",
        )
    elif loop.variables:
        shown = names(list(loop.variables))
        yield Hit(
            loop.span,
            f"{loop.condition} reads {shown}, which no statement of the loop's body changes (no SET, SELECT ... =, "
            f"FETCH INTO), and nothing leaves the loop: its condition never changes, and the loop never ends. {_STOPS}.",
            f"Change {shown} in the body (SET {loop.variables[0]} += 1 at its end, for a count), {_LEAVE}.",
        )
    else:
        yield Hit(
            loop.span,
            f"{loop.condition} reads no variable and nothing leaves the loop (BREAK, RETURN): it never ends. {_STOPS}.",
            "Leave the loop with BREAK where the work is done, or loop on a variable the body changes.",
        )
