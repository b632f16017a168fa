"""Tables a query joins only to test for a match: none of their columns is returned (or, in a
grouped query, grouped on or totalled). Where such a join repeats rows (SH004 under a DISTINCT,
JN007 under a COUNT or SUM), an EXISTS tests the same without repeating them; where a join
cannot limit a grouped view (SC003), an IN tests its column against the values the other table
keeps; and where the grouped table's own rows repeat a total (JN010), a derived table of its
distinct rows reads each group once."""

from __future__ import annotations

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.checks.indexes import sides_of
from advisor.checks.snippets import as_in_file
from advisor.checks.written_conditions import all_of

# besides catalog tables; a derived table too, whose text the EXISTS repeats, unless it is an APPLY's
_TESTED = (m.VIEW, m.CTE, m.DERIVED, m.TEMP, m.TABLE_VARIABLE)


def exists_test(query: Query, block: m.Block, group: list[m.Relation],
                links: list[tuple[m.ColumnRef, m.ColumnRef]]) -> str:
    """The EXISTS (SELECT 1 FROM ... WHERE ...) that tests what a group's joins match, as written."""
    joins = _joined_after(group, block)
    joined = " ".join([_named(query, group[0])] + [
        f"JOIN {_named(query, r)} ON {as_in_file(query, key.predicate.node, cut=False)}" for r, key in joins])
    matched = all_of([p.node for p in tested_conditions(block, group, links)], lambda node: as_in_file(query, node, cut=False))
    return f"EXISTS (SELECT 1 FROM {joined} WHERE {matched})"


def tested_conditions(block: m.Block, group: list[m.Relation], links: list[tuple[m.ColumnRef, m.ColumnRef]]) -> list[m.Predicate]:
    """The block's conditions that go into the EXISTS of `exists_test`."""
    return _tests_of(group, links[0][1].relation, _joined_after(group, block), block)


def values_kept(query: Query, relation: m.Relation, column: str) -> str | None:
    """The values of the relation's column that its own conditions keep, as a subquery as
    written: (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026); None
    where no condition is the relation's alone, or one is a pass-through's toolbar condition,
    which Campus writes with each run's values."""
    own = _own_conditions(relation)
    return _selected(query, relation, f"{relation.alias}.{column}", own) if own else None


def distinct_rows(query: Query, relation: m.Relation, columns: list[str]) -> str | None:
    """The relation's rows once for each value of its `columns`, with its own conditions, as a
    derived table in its place, as written: (SELECT DISTINCT e.personID FROM Enrollment e WHERE
    e.endYear = 2026) e; None where a condition is a pass-through's toolbar condition."""
    listed = ", ".join(f"{relation.alias}.{column}" for column in columns)
    selected = _selected(query, relation, f"DISTINCT {listed}", _own_conditions(relation))
    return f"{selected} {relation.alias}" if selected else None


def _own_conditions(relation: m.Relation) -> list[exp.Expression]:
    """The conditions of the relation's block on its columns alone, not on its groups."""
    return [p.node for p in relation.block.predicates
            if p.columns and not p.on_groups and all(ref.relation is relation and not ref.outer for ref in p.columns)]


def _selected(query: Query, relation: m.Relation, listed: str, own: list[exp.Expression]) -> str | None:
    """(SELECT `listed` FROM the relation WHERE its `own` conditions), as written."""
    spans = [query.span_of(node) for node in own]
    if any(line in query.campus_lines for span in spans for line in range(span.line, span.end_line + 1)):
        return None
    kept = f" WHERE {all_of(own, lambda node: as_in_file(query, node, cut=False))}" if own else ""
    return f"(SELECT {listed} FROM {_named(query, relation)}{kept})"


def unreturned_joins(block: m.Block, shown: set[int], first_too: bool = False
                     ) -> list[tuple[list[m.Relation], list[tuple[m.ColumnRef, m.ColumnRef]]]]:
    """The catalog tables, views, temp tables and table variables inner-joined into a block that
    are not `shown` (by id), in groups joined to each other (Roster and the Section it names), each
    with its links to the rest: the group's columns paired with the one relation outside it they
    join.
    With `first_too`, the FROM's first table as well, where the rest would read it in its place. A
    group that links two relations or more (RelatedPair between a student and a contact) is left
    out: an EXISTS would have to take them along."""
    joins = (m.LEFT,) if first_too else (m.FROM, m.LEFT)
    hidden = {id(r): r for r in block.relations
              if (r.table is not None or r.kind in _TESTED) and id(r) not in shown and r.join not in (*joins, *m.APPLIES)}
    groups: list[tuple[list[m.Relation], list[tuple[m.ColumnRef, m.ColumnRef]]]] = []
    placed: set[int] = set()
    order = {id(r): at for at, r in enumerate(block.relations)}
    for relation in hidden.values():
        if id(relation) in placed:
            continue
        group, links, waiting = [], [], [relation]
        while waiting:
            current = waiting.pop()
            if id(current) in placed:
                continue
            placed.add(id(current))
            group.append(current)
            for pair in sides_of(block, current):
                if id(pair[1].relation) in hidden:
                    waiting.append(pair[1].relation)
                elif pair[1].relation is not current:
                    links.append(pair)
        group.sort(key=lambda r: order[id(r)])
        if links and len({id(theirs.relation) for _, theirs in links}) == 1:
            groups.append((group, links))
    return groups


def _tests_of(group: list[m.Relation], outer: m.Relation, joins: list[tuple[m.Relation, m.JoinKey]],
              block: m.Block) -> list[m.Predicate]:
    """The conditions that go into the EXISTS that replaces a group's joins: those on its tables,
    alone or with the relation it is joined to (r.personID = s.personID, se.homeroomSection = 1),
    but for the joins within it."""
    inside = {id(r) for r in group}
    used = {id(key.predicate) for _, key in joins}
    return [p for p in block.predicates if id(p) not in used and any(id(ref.relation) in inside for ref in p.columns)
            and all(id(ref.relation) in inside or ref.relation is outer for ref in p.columns)]


def _joined_after(group: list[m.Relation], block: m.Block) -> list[tuple[m.Relation, m.JoinKey]]:
    """Each table of a group after its first, with a join key to one before it."""
    found = []
    for at, relation in enumerate(group[1:], start=1):
        earlier = {id(r) for r in group[:at]}
        key = next((k for k in block.join_keys if (pair := k.side(relation)) and id(pair[1].relation) in earlier), None)
        if key is not None:
            found.append((relation, key))
    return found


def _named(query: Query, relation: m.Relation) -> str:
    """The relation as the FROM of an EXISTS reads it: an indexed view WITH (NOEXPAND), as Campus
    asks (VW004); a derived table as written, its query and its alias."""
    if relation.kind == m.DERIVED:
        return query.written(relation.node)
    name = relation.table.name if relation.table is not None else relation.name
    noexpand = " WITH (NOEXPAND)" if relation.view is not None and relation.view.indexed else ""
    alias = f" {relation.alias}" if relation.alias.lower() != name.lower() else ""  # a CTE read by its name: cur, not cur cur
    return f"{name}{alias}{noexpand}"

