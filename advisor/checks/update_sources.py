"""JN006: an UPDATE whose FROM joins each changed row to several rows of the table its new value
comes from (CustomStudent joined to every Enrollment row of the student, one per year). SQL
Server changes each row once, with the values of one of those rows, and which one is not
defined: it may differ from run to run, and nothing says so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.catalog.model import Catalog
from advisor.checks.joins import join_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names


@dataclass(frozen=True)
class _Reached:
    """A catalog table the UPDATE's FROM joins to the changed row, and how."""

    parent: m.Relation  # what it is joined to: the changed table, or a table between
    columns: list[str]  # its columns that tie it to the changed row, as written: e.personID
    missing: list[str]  # the rest of a key of it that would make it one row, as written: e.calendarID
    several: bool  # several rows for each changed row, here or on the way


@statement_rule("JN006")
def several_source_rows(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        target = next((r for r in block.relations if r.changed), None)
        if not isinstance(block.node, exp.Update) or target is None or len(block.relations) < 2:
            continue
        reached = _reached(block, target)
        relation_of = {id(ref.node): ref.relation for ref in block.set_columns}
        setting: dict[m.Relation, list[exp.EQ]] = {}  # each table read with several rows, and the SET items that read it
        for item in block.node.expressions:
            if isinstance(item, exp.EQ):
                for source in dict.fromkeys(relation_of.get(id(c)) for c in item.expression.find_all(exp.Column)):
                    if source in reached and reached[source].several:
                        setting.setdefault(source, []).append(item)
        for source, items in setting.items():
            yield _hit(query, target, source, reached[source], items)


def _reached(block: m.Block, target: m.Relation) -> dict[m.Relation, _Reached]:
    """Each catalog table joined to the changed row, directly or through others, from the changed
    table outwards; a view, derived table or CTE is not followed (a derived table of one row per
    student is the fix)."""
    reached: dict[m.Relation, _Reached] = {}
    seen, frontier, several = {id(target)}, [target], {id(target): False}
    while frontier:
        parent = frontier.pop(0)
        for relation in block.relations:
            if id(relation) in seen:
                continue
            joined, fixed = join_columns(block, relation)
            if parent not in joined:
                continue
            seen.add(id(relation))
            if relation.kind != m.TABLE or relation.table is None:
                continue
            tied = set().union(*(columns for partner, columns in joined.items() if id(partner) in several)) | fixed
            table = relation.table
            one = table.unique_by(tied) or any({c.lower() for c in grain} <= tied for grain in table.grains)
            missing = next(([c for c in grain if c.lower() not in tied] for grain in table.grains
                            if {c.lower() for c in grain} & tied), [])
            written = sorted({f"{relation.alias}.{sides[0].name}" for key in block.join_keys
                              if (sides := key.side(relation)) and id(sides[1].relation) in several})
            several[id(relation)] = not one or several[id(parent)]
            reached[relation] = _Reached(parent, written, [f"{relation.alias}.{c}" for c in missing],
                                         several[id(relation)])
            frontier.append(relation)
    return reached


def _hit(query: Query, target: m.Relation, source: m.Relation, found: _Reached, items: list[exp.EQ]) -> Hit:
    changed = names([as_in_file(query, item.this) for item in items])
    takes = "takes its new value" if len(items) == 1 else "take their new values"
    how = f"joined on {names(found.columns)} only" if found.parent is target else f"through {found.parent.label()}"
    key = f"join on the rest of its key ({names(found.missing)}) with the one value meant, or " if found.missing else ""
    per = names(found.columns) if found.columns else f"{target.name} row"
    return Hit(
        query.span_of(items[0]),
        f"{changed} {takes} from {source.label()}, which has several rows for each {target.label()} row ({how}): "
        f"SQL Server changes each {target.name} row once, with the values of one of those rows, and which one is not "
        "defined. It may differ from run to run, with no error.",
        f"Give each {target.name} row one {source.table.name} row: {key}join a derived table that keeps one row per "
        f"{per} (ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ... DESC) = 1 keeps the latest).",
        (target.name, source.table.name),
    )
