"""JN006: an UPDATE whose FROM joins each changed row to several rows of the table its new value
comes from (CustomStudent joined to every Enrollment row of the student, one per year). SQL
Server changes each row once, with the values of one of those rows, and which one is not
defined: it may differ from run to run, and nothing says so. A MERGE whose source has several
rows for a target row it updates or deletes fails instead, with error 8672, the first time the
data holds such a pair."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.joins import join_columns
from advisor.checks.multiplicity import (
    Joined,
    columns_joined,
    fixed_columns,
    joined_rows,
    one_row_each,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import a_or_an, names


@statement_rule("JN006")
def several_source_rows(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        target = next((r for r in block.relations if r.changed), None)
        if isinstance(block.node, exp.Merge) and target is not None:
            yield from _merge(query, block, target)
        if not isinstance(block.node, exp.Update) or target is None or len(block.relations) < 2:
            continue
        reached = joined_rows(block, target)
        relation_of = {id(ref.node): ref.relation for ref in block.set_columns}
        setting: dict[m.Relation, list[exp.EQ]] = {}  # each table read with several rows, and the SET items that read it
        for item in block.node.expressions:
            if isinstance(item, exp.EQ):
                for source in dict.fromkeys(relation_of.get(id(c)) for c in item.expression.find_all(exp.Column)):
                    if source in reached and reached[source].several:
                        setting.setdefault(source, []).append(item)
        for source, items in setting.items():
            yield _hit(query, target, source, reached[source], items)


def _merge(query: Query, block: m.Block, target: m.Relation) -> Iterator[Hit]:
    """A MERGE that updates or deletes the rows it matches, from a source with several rows for
    some of them."""
    whens = (block.node.args.get("whens") or exp.Whens()).expressions
    if not any(when.args.get("matched") and not when.args.get("source") for when in whens):
        return
    source = next((r for r in block.relations if r is not target), None)
    if source is None:
        return
    joined = join_columns(block, source)[0]
    if target not in joined or one_row_each(source, joined[target] | fixed_columns(block, source)) is not False:
        return
    written = columns_joined(block, source, target)
    yield Hit(
        source.span or query.statement.span,
        f"{source.label()} has several rows for some {target.label()} rows (the ON joins it on {names(written)} "
        f"only), and the MERGE updates or deletes the rows it matches: the first time {a_or_an(target.name)} row matches two, "
        "SQL Server stops the statement with error 8672 (\"The MERGE statement attempted to UPDATE or DELETE the same "
        "row more than once\") and makes none of its changes.",
        f"Give the MERGE one source row for each {target.name} row: keep one row per {names(written)} in the source "
        "(ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ... DESC) = 1, or GROUP BY), or join on the rest of a key.",
        (target.name, source.name),
    )


def _hit(query: Query, target: m.Relation, source: m.Relation, found: Joined, items: list[exp.EQ]) -> Hit:
    changed = names([as_in_file(query, item.this) for item in items])
    takes = "takes its new value" if len(items) == 1 else "take their new values"
    applied = source.join in m.APPLIES
    how = (f"the {source.join.upper()} keeps every row its query finds" if applied
           else f"joined on {names(found.columns)} only" if found.parent is target else f"through {found.parent.label()}")
    key = f"join on the rest of its key ({names(found.missing)}) with the one value meant, or " if found.missing else ""
    per = names(found.columns) if found.columns else f"{target.name} row"
    one = (f"keep one row in the {source.join.upper()} with SELECT TOP 1 ... ORDER BY what says which row is meant "
           "(... DESC for the latest)." if applied else
           f"{key}join a derived table that keeps one row per {per} (ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ... "
           "DESC) = 1 keeps the latest).")
    return Hit(
        query.span_of(items[0]),
        f"{changed} {takes} from {source.label()}, which has several rows for each {target.label()} row ({how}): "
        f"SQL Server changes each {target.name} row once, with the values of one of those rows, and which one is not "
        "defined. It may differ from run to run, with no error.",
        f"Give each {target.name} row one {source.name} row: {one}",
        (target.name, source.name),
    )
