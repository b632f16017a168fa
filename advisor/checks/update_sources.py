"""JN006: an UPDATE whose FROM joins each changed row to several rows of the table its new value
comes from (CustomStudent joined to every Enrollment row of the student, one per year). SQL
Server changes each row once, with the values of one of those rows, and which one is not
defined: it may differ from run to run, and nothing says so. A MERGE whose source has several
rows for a target row it updates or deletes fails instead, with error 8672, the first time the
data holds such a pair."""

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
        if isinstance(block.node, exp.Merge) and target is not None:
            yield from _merge(query, block, target)
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
    """Each relation joined to the changed row, directly or through others, from the changed table
    outwards, whose rows for each value of the columns joined are known (`_one_row_each`)."""
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
            tied = set().union(*(columns for partner, columns in joined.items() if id(partner) in several)) | fixed
            one = _one_row_each(relation, tied)
            if one is None:
                continue
            grains = relation.table.grains if relation.table is not None else ()
            missing = next(([c for c in grain if c.lower() not in tied] for grain in grains if {c.lower() for c in grain} & tied), [])
            written = sorted({f"{relation.alias}.{sides[0].name}" for key in block.join_keys
                              if (sides := key.side(relation)) and id(sides[1].relation) in several})
            several[id(relation)] = not one or several[id(parent)]
            reached[relation] = _Reached(parent, written, [f"{relation.alias}.{c}" for c in missing],
                                         several[id(relation)])
            frontier.append(relation)
    return reached


def _one_row_each(relation: m.Relation, columns: set[str]) -> bool | None:
    """Whether the relation has one row at most for each value of the lower-case `columns`: by a
    key of a catalog table (or the columns that tell its rows apart), by a unique index of an
    indexed view, or through a derived table or CTE that passes on the columns of one such
    relation as they are. None where that is not known: another view, a grouped, DISTINCT or
    windowed query (ROW_NUMBER() ... = 1 is the fix), a temp table."""
    if relation.kind == m.TABLE and relation.table is not None:
        table = relation.table
        return table.unique_by(columns) or any({c.lower() for c in grain} <= columns for grain in table.grains)
    if relation.kind == m.VIEW and relation.view is not None and relation.view.indexed:
        return any(index.unique and {c.lower() for c in index.columns} <= columns for index in relation.view.indexes)
    if relation.kind not in (m.DERIVED, m.CTE) or len(relation.inner) != 1 or relation.recursive_anchor:
        return None
    block = relation.inner[0]
    if len(block.relations) != 1 or block.grouped or block.windowed or block.distinct or block.top:
        return None
    (inner,) = block.relations
    passed = {projection.name.lower(): ref.name.lower() for projection in block.projections
              if len(projection.columns) == 1 and isinstance(projection.node.unalias(), exp.Column)
              and (ref := projection.columns[0]).relation is inner}
    if not columns <= passed.keys():
        return None
    return _one_row_each(inner, {passed[column] for column in columns} | join_columns(block, inner)[1])


def _merge(query: Query, block: m.Block, target: m.Relation) -> Iterator[Hit]:
    """A MERGE that updates or deletes the rows it matches, from a source with several rows for
    some of them."""
    whens = (block.node.args.get("whens") or exp.Whens()).expressions
    if not any(when.args.get("matched") and not when.args.get("source") for when in whens):
        return
    source = next((r for r in block.relations if r is not target), None)
    if source is None:
        return
    joined, fixed = join_columns(block, source)
    if target not in joined or _one_row_each(source, joined[target] | fixed) is not False:
        return
    written = _written(block, source, target)
    yield Hit(
        source.span or query.statement.span,
        f"{source.label()} has several rows for some {target.label()} rows (the ON joins it on {names(written)} "
        f"only), and the MERGE updates or deletes the rows it matches: the first time a {target.name} row matches two, "
        "SQL Server stops the statement with error 8672 (\"The MERGE statement attempted to UPDATE or DELETE the same "
        "row more than once\") and makes none of its changes.",
        f"Give the MERGE one source row for each {target.name} row: keep one row per {names(written)} in the source "
        "(ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ... DESC) = 1, or GROUP BY), or join on the rest of a key.",
        (target.name, source.name),
    )


def _written(block: m.Block, relation: m.Relation, partner: m.Relation) -> list[str]:
    """The relation's columns joined to the partner, as written."""
    return sorted({f"{relation.alias}.{sides[0].name}" for key in block.join_keys
                   if (sides := key.side(relation)) and sides[1].relation is partner})


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
        f"Give each {target.name} row one {source.name} row: {key}join a derived table that keeps one row per "
        f"{per} (ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ... DESC) = 1 keeps the latest).",
        (target.name, source.name),
    )
