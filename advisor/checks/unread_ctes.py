"""SH044: a CTE that nothing in its statement reads. SQL Server runs only the CTEs its statement
names, directly or through another CTE it runs: one left unread after an edit is skipped, and
whatever it was written to filter or add is missing from the result."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.registry import Hit, statement_rule
from advisor.words import names

_WITH = re.compile(r"\bWITH\s+[^\s(]", re.IGNORECASE)  # WITH name AS (...); not a hint's WITH (NOLOCK)


@statement_rule("SH044")
def unread_cte(query: Query, catalog: Catalog) -> Iterator[Hit]:
    tree, span = query.statement.tree, query.statement.span
    if tree is None or not _WITH.search(query.lines.text, span.start, span.end):  # a walk of every tree costs more
        return
    for with_ in tree.find_all(exp.With):
        ctes = {cte.alias.lower(): cte for cte in with_.expressions}
        readers: dict[str, list[str]] = {name: [] for name in ctes}  # the CTEs whose query names each
        for name, cte in ctes.items():
            for read in _names_read(cte.this, ctes) - {name}:  # a recursive CTE reading itself is not read by that
                readers[read].append(cte.alias)
        run = _names_read(with_.parent, ctes, skip=with_)
        waiting = list(run)
        while waiting:  # a CTE that a run CTE reads runs too
            for read in _names_read(ctes[waiting.pop()].this, ctes) - run:
                run.add(read)
                waiting.append(read)
        for name, cte in ctes.items():
            if name not in run:
                yield _unread(query, cte, readers[name])


def _names_read(node: exp.Expression, ctes: dict[str, exp.CTE], skip: exp.Expression | None = None) -> set[str]:
    """The names of the CTEs that `node` names as a table (one with a schema, dbo.Person, is a table)."""
    return {table.name.lower() for table in node.walk(prune=lambda n: n is skip)
            if isinstance(table, exp.Table) and not table.args.get("db") and table.name.lower() in ctes}


def _unread(query: Query, cte: exp.CTE, readers: list[str]) -> Hit:
    name = cte.alias
    if readers:
        why = (f"only {names(readers)} {'reads' if len(readers) == 1 else 'read'} it, and "
               f"{'that is' if len(readers) == 1 else 'they are'} never read either")
    else:
        why = "nothing in the statement names it"
    return Hit(
        query.span_of(cte.args["alias"]),
        f"The CTE {name} is never read: {why}, so SQL Server does not run it, and whatever it was written to "
        "filter or add is not in the result. Any other finding inside it costs nothing while it is unread.",
        f"Read {name} where it was meant to be read (in the FROM, in place of the table it narrows), or delete it.",
    )
