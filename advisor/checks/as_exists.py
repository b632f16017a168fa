"""x IN (SELECT y FROM ... WHERE ...) written as the EXISTS that says it, the subquery's FROM and
conditions kept and matched on y = x: SH016's fix, and SH003's for NOT IN."""

from __future__ import annotations

from functools import partial

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import RESERVED_NAMES
from advisor.checks.snippets import as_in_file, from_clause
from advisor.checks.written_conditions import all_of

PATTERN = "EXISTS (SELECT 1 FROM ... WHERE x.col = outer.col)"  # where the subquery's own cannot be written


def as_exists(query: m.Query, tested: exp.Expression, subquery: exp.Expression) -> str | None:
    """EXISTS (SELECT 1 FROM <its FROM> WHERE <its conditions> AND y = x), when the subquery is one
    plain SELECT of one column whose tables' names do not hide the outer row's."""
    select = subquery.this if isinstance(subquery, exp.Subquery) else subquery
    if (not isinstance(select, exp.Select) or len(select.expressions) != 1 or select.args.get("from_") is None
            or any(select.args.get(part) for part in ("group", "having", "limit", "top", "distinct"))):
        return None
    tested = _named_by_table(query, tested)
    inner = {name.lower() for table in select.find_all(exp.Table) for name in (table.alias_or_name, table.name)}
    if tested is None or any(column.table.lower() in inner for column in tested.find_all(exp.Column)):
        return None  # x's table would be read as the subquery's own inside it
    text = partial(as_in_file, query, cut=False)
    returned = select.expressions[0].unalias()
    if not isinstance(returned, exp.Column):
        return None
    sources = from_clause(query, select)
    where = select.args.get("where")
    match = exp.EQ(this=returned.copy(), expression=tested.copy())  # written back by sqlglot: in no file
    return f"EXISTS (SELECT 1 {sources} WHERE {all_of([where.this, match] if where else [match], text)})"


def _named_by_table(query: m.Query, tested: exp.Expression) -> exp.Expression | None:
    """The tested side with each column named by its table, as it must be inside the subquery,
    where a bare name is the subquery's own first (personID NOT IN (SELECT personID FROM
    Enrollment ...) matches on StagingRoster.personID); None where a column's table is not known."""
    bare = [column for column in tested.find_all(exp.Column) if not column.table]
    if not bare:
        return tested
    refs = query.refs_by_node()
    owners = {}
    for column in bare:
        ref = refs.get(id(column))
        if ref is None or ref.relation is None or ref.outer:
            return None
        owners[id(column)] = ref.relation.alias
    named = tested.copy()
    for copied, original in zip(list(named.find_all(exp.Column)), list(tested.find_all(exp.Column))):
        if id(original) in owners:
            alias = owners[id(original)]
            copied.set("table", exp.to_identifier(alias, quoted=alias.upper() in RESERVED_NAMES))
    return named
