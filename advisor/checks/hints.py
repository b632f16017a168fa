"""Hints: NOLOCK, which Campus asks districts to remove, and hints that tie the optimizer's hands."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.forced import forced_indexes
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.frontend.executed import MAIL_DATABASE
from advisor.words import names

_DIRTY_READS = ("NOLOCK", "READUNCOMMITTED")
_SYSTEM_DATABASES = frozenset({"master", "msdb", "model", "tempdb"})
_NOLOCK_WHY = (
    "Campus runs READ COMMITTED SNAPSHOT since Campus.2331 and asks districts to remove {hint}: it "
    "saves nothing now, can cost extra reads, and can still return rows twice or miss them."
)
# Why each hint that forces the optimizer's hand can hurt once the data or the indexes change.
_FORCING = {
    "INDEX": "forces one index, even when the data has changed so that another plan is far cheaper, and fails outright if the index is renamed or dropped",
    "FORCESEEK": "forces a seek even when reading the whole table would be cheaper",
    "FORCESCAN": "forces a scan of the whole table even when a seek would read a fraction of it",
    "LOOP JOIN": "forces nested loops, which repeat the inner side for every outer row as the outer side grows",
    "HASH JOIN": "forces a hash join, which builds a hash table in memory even for small inputs",
    "MERGE JOIN": "forces a merge join, which may add sorts the optimizer would avoid",
    "REMOTE JOIN": "forces the join to run on the remote server",
    "FORCE ORDER": "fixes the join order as written, so the optimizer cannot start from the most selective table",
    "FAST": "optimizes for the first rows, which can make the whole result much slower",
    "MAXDOP": "caps parallelism for this query, which on a large read can make it several times slower",
    "USE PLAN": "pins a saved plan that stops fitting as the data changes",
    "OPTIMIZE FOR": "plans for values other than the ones the query actually runs with",
    "QUERYTRACEON": "changes optimizer behaviour through a trace flag",
    "TABLE HINT": "forces table hints from outside the query",
}
# A join hint written in the FROM (not in OPTION) fixes the order of every join in the query too.
_JOIN_ORDER = "; like any join hint in the FROM, it also fixes the order of all the query's joins as written, as OPTION (FORCE ORDER) does"


@statement_rule("HT001")
def nolock(query: Query, catalog: Catalog) -> Iterator[Hit]:
    statement = query.statement
    if statement.keyword == "SET TRANSACTION ISOLATION LEVEL" and statement.detail == "READ UNCOMMITTED":
        yield Hit(
            statement.span,
            "READ UNCOMMITTED makes every later query of this session read like NOLOCK. "
            + _NOLOCK_WHY.format(hint="it"),
            "Remove the SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED statement.",
        )
    for relation in query.relations:
        for hint in relation.hints:
            if hint.name in _DIRTY_READS:
                yield Hit(
                    hint.span or relation.span,
                    f"{hint.name} on {relation.label()}: " + _NOLOCK_WHY.format(hint=hint.name),
                    f"Remove {hint.name} from the hints of {relation.label()}"
                    + (" (keep NOEXPAND: the view needs it)." if any(h.name == "NOEXPAND" for h in relation.hints) else "."),
                    (relation.name,),
                )


@statement_rule("HT002")
def forcing_hints(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for relation in query.relations:
        for hint in relation.hints:
            reason = _reason(hint.name)
            if not reason:
                continue
            forced = forced_indexes(relation, relation.table) if hint.name == "INDEX" and relation.table else None
            if forced is not None and forced.missing:
                yield _missing_index(catalog, relation, hint, list(forced.missing))
                continue
            if hint.name.endswith(" JOIN"):
                reason += _JOIN_ORDER
            yield Hit(
                hint.span or relation.span,
                f"{hint.text} on {relation.label()} {reason}.",
                f"Remove {hint.text} unless a measured plan shows it is still needed; note why in a comment if it stays.",
                (relation.name,),
            )
    for hint in query.hints:
        reason = _reason(hint.name)
        if reason:
            yield Hit(
                hint.span or query.statement.span,
                f"OPTION ({hint.text}) {reason}.",
                f"Remove {hint.text} from the OPTION clause unless a measured plan shows it is still needed.",
            )


def _missing_index(catalog: Catalog, relation: m.Relation, hint: m.Hint, missing: list[str]) -> Hit:
    table = relation.table
    one = len(missing) == 1
    offered = ", ".join(index.name for index in table.indexes) or "none"
    if catalog.guessed([table.name]):
        message = (f"{hint.text} on {relation.label()} names {names(missing)}, which sqladvise's bundled catalog, an "
                   f"approximation of Campus, does not list among {table.name}'s indexes: if your database lacks "
                   f"{'it' if one else 'them'} too, SQL Server refuses the query before it reads a row.")
        severity = "info"
    else:
        message = (f"{hint.text} on {relation.label()} names {names(missing)}, which {table.name} does not have in "
                   f"{catalog.description}: SQL Server refuses the query before it reads a row.")
        severity = "error"
    return Hit(hint.span or relation.span, message,
               f"Remove {hint.text}, or name one of {table.name}'s indexes ({offered}).", (relation.name,), severity)


def _reason(name: str) -> str | None:
    for key, reason in _FORCING.items():
        if name == key or name.startswith(key + " ") or name.startswith(key + "("):
            return reason
    return None


@statement_rule("HT003")
def other_database(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for relation in query.relations:
        table = relation.node
        if relation.span is None or not isinstance(table, exp.Table) or not table.catalog:
            continue
        linked = isinstance(table.this, exp.Dot)  # server.database.schema.table
        # Not another database: the one the script's USE chose, named in full, or one every SQL Server has
        if not linked and table.catalog.lower() in {(query.database or "").lower(), *_SYSTEM_DATABASES}:
            continue
        # the name as written in full, from the server or database that the finding is about
        named = query.lines.span(query.span_of(table.parts[0]).start, relation.span.end)
        if linked:
            yield Hit(
                named,
                f"{table.sql('tsql').split(' ')[0]} is read through the linked server {table.catalog}: SQL Server often "
                "copies the remote table whole across the network before filtering it, has no statistics for it, and "
                "the query fails whenever that server is down.",
                "Copy what is needed into this database on a schedule (a Data Extract or Task Scheduler job), or run "
                "the filtering part on the remote server with OPENQUERY.",
                (relation.name,),
                "warning",
            )
        elif not table.catalog.startswith("$("):  # a SQLCMD variable already names the database in one place
            name, database = table.sql("tsql").split(" ")[0], table.catalog
            if relation.kind in (m.TABLE, m.VIEW):  # a table Campus has, maybe read in Campus's own database
                why = (f"{name} names its database, {database}, in full: run from another database, the query depends on "
                       f"{database}'s name, permissions and availability; run in {database}, a copy of it (a sandbox or "
                       f"training site) still reads {database}'s rows.")
                fix = (f"Name it without its database ({table.db or 'dbo'}.{table.name}) when the query runs in {database}; "
                       "from another database, name it in one place (a synonym) so that a move is one change.")
                if query.statement.runs_in == MAIL_DATABASE:  # a Database Mail @query, run where sp_send_dbmail is
                    fix = (f"Database Mail runs its @query in msdb, where only the full name finds {table.name}: to name it "
                           f"{table.db or 'dbo'}.{table.name}, give sp_send_dbmail @execute_query_database = N'{database}'.")
            else:
                why = (f"{name} is in another database, {database}: the query now depends on that database's name, "
                       "permissions and availability, and on a Campus update that moves it.")
                fix = ("Keep the query in the database whose data it reads, or name the other database in one place (a "
                       "synonym) so that a move is one change.")
            yield Hit(
                named,
                why,
                fix,
                (relation.name,),
            )
