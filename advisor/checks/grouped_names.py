"""CL026: a total grouped by people's names and nothing that tells the people apart (GROUP BY
i.lastName, i.firstName). Two students of one name make one group, and its COUNT or SUM adds both:
in a district of thousands, some names are shared."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import origins
from advisor.analysis.model import Query
from advisor.analysis.resolve import own_nodes
from advisor.catalog.model import Catalog
from advisor.checks.multiplicity import fixed_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file

_NAMES = ("lastname", "firstname")
# What a column that tells people (or rows) apart is to the catalog
_TELLS_APART = ("person", "record", "enrollment")


@statement_rule("CL026")
def grouped_by_name(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.group_by or block.adds_totals:
            continue
        names = {name: ref for ref in block.group_by if ref is not None and (name := _name_of(ref)) is not None}
        if len(names) < len(_NAMES) or any(_tells_apart(ref, catalog) for ref in block.group_by if ref is not None):
            continue
        totals = _totals(block)
        if not totals or _one_person(block, catalog):
            continue
        if any(_names_a_person(ref.relation, ref.name, catalog) for ref in _counted(block, totals)):
            continue  # COUNT(DISTINCT i.personID) per name: the people who share one are the question
        yield _hit(query, block, names, totals[0])


def _name_of(ref: m.ColumnRef) -> str | None:
    """lastname or firstname, where the column holds a person's, through a view's lineage."""
    found = {o.column.lower() for o in origins(ref.relation, ref.name)} if ref.relation is not None else set()
    name = next(iter(found), ref.name.lower()) if len(found) <= 1 else None
    return name if name in _NAMES else None


def _tells_apart(ref: m.ColumnRef, catalog: Catalog) -> bool:
    """A person's key or number, a row's key, or any ID: a group of it is one person's at most; or
    a birthdate, which two people of one name seldom share."""
    if ref.name.lower().endswith("id") or ref.name.lower() == "birthdate" or ref.relation is None:
        return True
    for origin in origins(ref.relation, ref.name):
        if origin.column.lower() == "birthdate":
            return True
        table = origin.relation.table
        if table is not None and (table.scope_kind(origin.column) in _TELLS_APART or table.unique_on(origin.column)):
            return True
    return _names_a_person(ref.relation, ref.name, catalog)


def _names_a_person(relation: m.Relation | None, column: str, catalog: Catalog) -> bool:
    """personID, studentNumber and the like, of a table, a view or a temp table."""
    if relation is not None and any(o.relation.table is not None and o.relation.table.scope_kind(o.column) == "person"
                                    for o in origins(relation, column)):
        return True
    person = catalog.table("Person")
    return person is not None and person.scope_kind(column) == "person"


def _totals(block: m.Block) -> list[exp.AggFunc]:
    """The aggregates the SELECT list and HAVING compute over each group's rows."""
    nodes = [p.node for p in block.projections] + [p.node for p in block.predicates if p.clause == "having"]
    return [n for node in nodes for n in own_nodes(node) if isinstance(n, exp.AggFunc) and not isinstance(n.parent, exp.Window)]


def _counted(block: m.Block, totals: list[exp.AggFunc]) -> list[m.ColumnRef]:
    """The columns the aggregates take."""
    inside = {id(n) for total in totals for n in own_nodes(total) if isinstance(n, exp.Column)}
    return [ref for ref in block.column_refs() if id(ref.node) in inside]


def _one_person(block: m.Block, catalog: Catalog) -> bool:
    """The WHERE fixes a column that names one person (p.personID = @personID): no namesakes."""
    return any(_names_a_person(relation, column, catalog) for relation in block.relations for column in fixed_columns(block, relation))


def _hit(query: Query, block: m.Block, names: dict[str, m.ColumnRef], total: exp.AggFunc) -> Hit:
    grouped = ", ".join(as_in_file(query, names[name].node) for name in _NAMES)
    last = names["lastname"]
    key = _person_key(last.relation)
    if key is None:
        fix = ("Group by what tells the people apart too, their personID or student number, and keep the names for "
               "the reader.")
    else:
        written = ", ".join(as_in_file(query, item) for item in block.node.args["group"].expressions)
        key = f"{last.relation.alias or last.relation.name}.{key}"
        fix = f"Group by the person too: GROUP BY {key}, {written}. The SELECT list need not show {key}."
    return Hit(
        query.span_of(last.node),
        f"GROUP BY {grouped} makes one group of everyone who shares a name: two people of one name are one group, "
        f"and {as_in_file(query, total)} is worked out over both people's rows.",
        fix,
    )


def _person_key(relation: m.Relation) -> str | None:
    """The relation's column that names the person, as the catalog writes it (personID)."""
    return next((c for c in relation.output_columns or () if c.lower() in ("personid", "studentnumber")), None)
