"""Which columns of a relation hold one value for each value of others: a teacher's lastName for
their personID, though StaffMember has a row for each of the teacher's school assignments. Inside
a view, derived table or CTE the values are followed from the tables that give the columns along
the joins that name one row: Person by the assignment's personID, then Identity by the person's
currentIdentityID. A contact's email does not hold one value for the student's personID: the
student's RelatedPair rows name several contacts."""

from __future__ import annotations

from advisor.analysis import model as m
from advisor.analysis.keys import source_column
from advisor.checks.multiplicity import one_row_each

# How many views, derived tables and CTEs deep the values are followed
_DEEPEST = 20


def one_value_each(relation: m.Relation, columns: set[str], column: str, depth: int = 0) -> bool:
    """Whether the relation's `column` holds one value for each value of its lower-case `columns`
    (False where that is not known)."""
    column = column.lower()
    if column in columns or one_row_each(relation, columns, depth) is True:
        return True  # one row for them, and so one value of each column
    if relation.kind not in (m.VIEW, m.DERIVED, m.CTE) or len(relation.inner) != 1 or depth >= _DEEPEST:
        return False
    block = relation.inner[0]
    if not block.transparent:
        return False
    given = [source_column(block, name) for name in columns]
    wanted = source_column(block, column)
    if wanted is None or not given or any(source is None for source in given):
        return False
    known: dict[int, set[str]] = {}
    for source, name in given:
        known.setdefault(id(source), set()).add(name.lower())
    whole = _rows_named(block, known, depth)
    holder, name = wanted
    return id(holder) in whole or (id(holder) in known and one_value_each(holder, known[id(holder)], name, depth + 1))


def _rows_named(block: m.Block, known: dict[int, set[str]], depth: int) -> set[int]:
    """The relations of the block with one row for the values `known` gives (lower-case columns by
    relation id), by id; `known` gains the columns the joins tie to those values."""
    relations = {id(relation): relation for relation in block.relations}
    whole: set[int] = set()
    changed = True
    while changed:
        changed = False
        for at, columns in list(known.items()):
            if at not in whole and at in relations and one_row_each(relations[at], columns, depth + 1) is True:
                whole.add(at)
                changed = True
        for key in block.join_keys:
            for mine, other in ((key.left, key.right), (key.right, key.left)):
                if mine.relation is None or other.relation is None:
                    continue
                if id(mine.relation) in whole or mine.name.lower() in known.get(id(mine.relation), ()):
                    tied = known.setdefault(id(other.relation), set())
                    if other.name.lower() not in tied:
                        tied.add(other.name.lower())
                        changed = True
    return whole
