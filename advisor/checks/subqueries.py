"""Subqueries: a correlated one in the SELECT list runs per row, NOT IN over a subquery trips on
NULLs, COUNT(*) asked only whether anything exists, IN (SELECT ...) where EXISTS says it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.lineage import blocks_within, passed_through
from advisor.analysis.model import Query
from advisor.analysis.written import as_written
from advisor.catalog.model import Catalog
from advisor.checks.as_exists import PATTERN, as_exists
from advisor.checks.comparisons import (
    COMPARISONS,
    comparisons,
    conditions,
    fixed_columns,
    known_columns,
)
from advisor.checks.grouped_join import (
    grouped_join,
    lookup_join,
    merge_key,
    shared_apply,
)
from advisor.checks.oriented import MIRRORED, seen_from
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.running_totals import (
    running_total,
    running_total_fix,
    what_each_run_does,
)
from advisor.checks.sizes import relation_rows, severity_for_rows
from advisor.checks.snippets import as_in_file
from advisor.checks.written_conditions import all_of
from advisor.words import count, names


def read_by(blocks: list[m.Block]) -> tuple[list[str], int]:
    """The catalog tables and views some blocks read, themselves or through the derived tables
    they read, and the largest one's rows."""
    through = blocks_within(blocks, into_ctes=False, into_subqueries=False)
    relations = [r for block in through for r in block.relations if r.kind in (m.TABLE, m.VIEW)]
    rows = max((relation_rows(r) or 0 for r in relations), default=0)
    return list(dict.fromkeys(r.name for r in relations)), rows


def largest_note(tables: list[str], rows: int) -> str:
    return f" (which holds {count(rows)} rows)" if len(tables) == 1 else f" (the largest holds {count(rows)} rows)"


@statement_rule("SH001")
def correlated_select_subquery(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        correlated = [s for s in block.subqueries if s.clause == "select" and s.correlated]
        correlated.sort(key=lambda s: query.span_of(s.node).start)  # a CASE's subqueries are kept inside out
        for group in _merged(block, _same_rows(correlated)):
            group.sort(key=lambda s: query.span_of(s.node).start)  # merged groups interleave
            subquery, others = group[0], group[1:]
            tables, rows = read_by(subquery.blocks)
            if not tables:
                continue
            each_run, few = _each_run(query, subquery.blocks, tables, rows)
            lookup = lookup_join(query, block, group)
            running = running_total(subquery.blocks) if not others else None
            again = _again(query, group, tables) if others else what_each_run_does(running) if running else ""
            listed = "an UPDATE's SET runs once for every row it changes" if isinstance(block.node, exp.Update) else (
                "the SELECT list runs once for every row the query returns")
            once = block.reads_one_row()  # Person p WHERE p.personID = @personID: a report of one student
            if few and not others and not once and _counted_for_a_test(subquery):
                continue  # SH011 asks with EXISTS, which then costs one seek for each row
            if isinstance(subquery.node, exp.Exists) and few and not others and not once:
                yield _test_per_row(query, subquery, listed, each_run, tables)
                continue
            fix = (lookup or (running_total_fix(query, running) if running else None) or grouped_join(query, block, group)
                   or (shared_apply(query, group) if others else _ranged(query, subquery, few) or _fix(subquery)))
            yield Hit(
                query.span_of(subquery.node),
                f"A correlated subquery in {listed}, {each_run}.{again}" + (_ONCE if once else ""),
                f"It may stay as it is; should the query come to find more rows, {fix[0].lower()}{fix[1:]}" if once and not lookup
                else fix,
                tuple(tables),
                "info" if lookup or once else _per_run_severity(rows, few),
            )


_ONCE = " Here the query finds one row at most, each table it reads fixed by its key, so the subquery runs once."


def _test_per_row(query: Query, subquery: m.Subquery, listed: str, each_run: str, tables: list[str]) -> Hit:
    """CASE WHEN EXISTS (...) where each run seeks a few rows: it stops at the first it finds, so
    each row the query returns costs one seek, as a join would. A derived table of the matching
    keys joined in its place finds them for every row it is not limited to first (SC003)."""
    return Hit(
        query.span_of(subquery.node),
        f"A correlated EXISTS in {listed}, {each_run}, and stops at the first row it finds: one seek for each row.",
        "It may stay: SQL Server runs it as a semi join that keeps every row and notes whether it found one. A derived "
        "table of the matching keys joined in its place would first find them for rows the outer query does not need.",
        tuple(tables),
        "info",
    )


def _again(query: Query, group: list[m.Subquery], tables: list[str]) -> str:
    """What the others of a group of subqueries read: the same rows, or the same table for the
    same keys under other conditions."""
    others = group[1:]
    lines = sorted({query.span_of(other.node).line for other in others})
    where = f"line{'s' if len(lines) > 1 else ''} {names([str(line) for line in lines])}"
    one = len(others) == 1
    if len({_rows_read(subquery) for subquery in group}) == 1:
        return (f" The subquery on {where} reads the same rows again, for another value." if one
                else f" The subqueries on {where} read the same rows again, for other values.")
    return (f" The subquer{'y' if one else 'ies'} on {where} read{'s' if one else ''} {names(tables)} again for the same "
            f"keys, under other conditions, for {'another value' if one else 'other values'}.")


def _fix(subquery: m.Subquery) -> str:
    built = _built_as(subquery.blocks)
    if built == "XML":
        return ("On SQL Server 2017 or later, build the list with STRING_AGG over a join grouped by the outer key "
                "instead of FOR XML PATH per row.")
    if built == "JSON":
        return ("FOR JSON in a subquery is how SQL Server nests an array in each row, and it runs for each row the "
                "query returns: keep those rows to the ones the extract needs. On SQL Server 2017 or later an array of "
                "plain values can be built once for all rows instead: STRING_AGG over a join grouped by the outer key, "
                "as JSON_QUERY('[' + ... + ']').")
    return ("Compute the values once for all rows: join a derived table that groups them (LEFT JOIN (SELECT "
            "personID, COUNT(*) AS n FROM ... GROUP BY personID) x ON x.personID = s.personID); for the first row "
            "of each key, number the rows once (ROW_NUMBER() OVER (PARTITION BY personID ORDER BY ...) AS rn) and "
            "join on rn = 1, in place of a TOP 1 run per row.")


_RANGES = (exp.LT, exp.LTE, exp.GT, exp.GTE, exp.Between)


def _ranged(query: Query, subquery: m.Subquery, few: bool) -> str | None:
    """The fix for a subquery of one aggregate of one table that compares the outer row's own
    values by a range (a.date BETWEEN r.startDate AND r.endDate): each row has a total of its
    own, which no derived table grouped once for each key can give."""
    block = subquery.blocks[0] if len(subquery.blocks) == 1 else None
    select = block.node if block is not None else None
    if (not isinstance(select, exp.Select) or len(select.expressions) != 1 or len(block.relations) != 1
            or not isinstance(select.expressions[0].unalias(), exp.AggFunc)):
        return None
    compared = [p.node for p in block.predicates if any(ref.outer for ref in p.columns) and isinstance(p.node, _RANGES)]
    if not compared:
        return None
    text = partial(as_in_file, query, cut=False)
    relation = block.relations[0]
    keep = "Each run seeks a few rows, so the subquery may well stay as it is. To" if few else "To"
    return (f"The subquery compares the outer row's own values ({names([text(node) for node in compared])}), so each row "
            f"has a value of its own: no derived table grouped once for each key gives it. {keep} compute every row's "
            f"value in one join, LEFT JOIN {text(relation.node)} ON {all_of([p.node for p in block.predicates], text)}, "
            "and group by the outer row's key, with the aggregate over the joined rows (COUNT of a column of theirs, not "
            "COUNT(*), which counts a row with no match as one).")


def _built_as(blocks: list[m.Block]) -> str | None:
    """XML or JSON where a query builds one text of its rows, whose rows no join can stand for."""
    return next((block.built_as for block in blocks if block.built_as), None)


def _same_rows(subqueries: list[m.Subquery]) -> list[list[m.Subquery]]:
    """The subqueries, those that read the same rows for different values together (TOP 1
    ccs.lastName, then TOP 1 ccs.firstName, of the same guardian): one SELECT of one value each,
    alike apart from that value."""
    groups: dict[object, list[m.Subquery]] = {}
    for subquery in subqueries:
        groups.setdefault(_rows_read(subquery) or id(subquery), []).append(subquery)
    return list(groups.values())


def _merged(outer: m.Block, groups: list[list[m.Subquery]]) -> list[list[m.Subquery]]:
    """The groups, those whose aggregates one grouped derived table can give together (merge_key)
    made one: a student's absences and their tardies, each counted under its own status."""
    merged: dict[object, list[m.Subquery]] = {}
    for group in groups:
        keys = {merge_key(outer, subquery) for subquery in group}
        key = keys.pop() if len(keys) == 1 and None not in keys else id(group)
        merged.setdefault(key, []).extend(group)
    return list(merged.values())


def _rows_read(subquery: m.Subquery) -> tuple[str, bool] | None:
    """A subquery written without the value it selects, where it is one SELECT of one value, and
    whether that value aggregates (COUNT(*) and a plain column cannot share one SELECT)."""
    select = subquery.blocks[0].node if len(subquery.blocks) == 1 else None
    if (isinstance(subquery.node, (exp.Exists, exp.In)) or not isinstance(select, exp.Select)
            or len(select.expressions) != 1 or _built_as(subquery.blocks)):
        return None
    bare = select.copy()
    bare.set("expressions", [])
    return bare.sql("tsql"), bool(select.expressions[0].find(exp.AggFunc))


def _per_run_severity(rows: int, few: bool) -> str:
    """A subquery run for every row: as large as its table, but a warning where each run seeks a
    few rows, which costs as many rows as the query returns rather than as the table holds."""
    found = severity_for_rows(rows)
    return "warning" if few and found == "error" else found


# Scope kinds whose one value holds a few rows of a table: a person's, a section's, one record
_FEW_PER_VALUE = frozenset({"person", "record", "enrollment", "section"})


def _each_run(query: Query, blocks: list[m.Block], tables: list[str], rows: int) -> tuple[str, bool]:
    """What each run of a subquery reads, in words: its largest table sought on the columns the
    subquery fixes (the outer row's personID), or read whole when no index starts with one of
    them; and whether each run reads only a few rows (a seek on a person, not on a calendar)."""
    largest = max((r for block in blocks for r in block.relations if r.kind == m.TABLE and r.table is not None),
                  key=lambda r: r.table.rows, default=None)
    if largest is None or largest.table.rows < rows:  # a view is the largest: what it seeks is its own affair
        return f"reading {names(tables)} each time{largest_note(tables, rows)}", False
    fixed = _fixed_each_run(query, largest)
    # sorted: a catalog pulled from a live database lists the indexes in its own order
    starts = sorted({index.columns[0] for index in largest.table.indexes
                     if index.columns and index.columns[0].lower() in fixed}, key=str.lower)
    among = f", the largest of {names(tables)}" if len(tables) > 1 else ""
    if starts:  # which of the indexes is best is the optimizer's choice: name each it can start from
        few = any(largest.table.scope_kind(start) in _FEW_PER_VALUE or largest.table.unique_on(start) for start in starts)
        return f"each time seeking {largest.table.name} ({count(rows)} rows{among}) on {' or '.join(starts)}", few
    return (f"each time reading all {count(rows)} rows of {largest.table.name}{among}: no index starts with a "
            "column the subquery fixes"), False


def _fixed_each_run(query: Query, relation: m.Relation) -> set[str]:
    """The columns of a subquery's table that each run fixes, lower case: by an equality of its
    own, by the outer row (r.personID1 = p.personID), or by a join to a table of the subquery
    that is sought without it (Attendance's calendarID, joined to the Calendar its year seeks).
    A join to a table read whole fixes nothing per run, nor one to a table reached only through
    this one (RelatedPair's personID2, to the Person it names)."""
    graph = next((g for g in query.graph.all_graphs() if any(n.anchor is relation for n in g.nodes)), None)
    if graph is None:
        return fixed_columns(query, relation, relation.table)
    inside = {id(node): node for node in graph.nodes}
    own = {key: {f.column for f in node.filters if f.sargable and f.operator in ("eq", "in", "null")}
           for key, node in inside.items()}
    sides = [(node, column.lower(), other) for join in graph.joins
             for (node, column), (other, _) in ((join.left, join.right), (join.right, join.left)) if id(node) in inside]
    for node, column, other in sides:
        if id(other) not in inside:  # the outer row's value
            own[id(node)].add(column)
    for group in graph.either:  # rp.personID1 = s.personID OR rp.personID2 = s.personID: a seek for each, if each has an index
        branches = [(node, column.lower()) for join in group for (node, column), (other, _) in
                    ((join.left, join.right), (join.right, join.left)) if id(node) in inside and id(other) not in inside]
        if len(branches) == len(group) and all(_sought(node, {column}) for node, column in branches):
            for node, column in branches:
                own[id(node)].add(column)
    found: set[str] = set()
    for target in [key for key, node in inside.items() if node.anchor is relation]:
        sought = _sought_without(target, inside, own, sides)
        found |= own[target] | {column for node, column, other in sides if id(node) == target and id(other) in sought}
    return found


def _sought_without(target: int, inside: dict, own: dict[int, set[str]], sides: list) -> set[int]:
    """The subquery's tables an index can seek each run without going through `target`: on their
    own fixed columns, or on those a join to such a table fixes."""
    fixed = {key: set(columns) for key, columns in own.items()}
    sought = {key for key, node in inside.items() if key != target and _sought(node, fixed[key])}
    changed = True
    while changed:
        changed = False
        for node, column, other in sides:
            if id(node) != target and id(node) not in sought and id(other) in sought:
                fixed[id(node)].add(column)
                if _sought(node, fixed[id(node)]):
                    sought.add(id(node))
                    changed = True
    return sought


def _sought(node, fixed: set[str]) -> bool:
    if node.table is None:  # a table the catalog lacks is taken to be small, as the estimate takes it: its rows seek the next
        return node.relation.kind in (m.UNKNOWN, m.TABLE)
    return any(index.columns and index.columns[0].lower() in fixed for index in node.table.indexes)


@statement_rule("SH003")
def not_in_subquery(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for found in conditions(query, (exp.Not,)):
        inner = found.node.this.unnest()
        if not isinstance(inner, exp.In) or inner.args.get("query") is None:
            continue
        tested = as_in_file(query, inner.this)
        returns_null = not _never_null(query, inner.args["query"])
        tested_null = not any(not k.column.nullable for k in known_columns(inner.this, found.predicate))
        if not returns_null and not tested_null:
            continue  # neither side can be NULL: SQL Server plans it as NOT EXISTS
        written = as_exists(query, inner.this, inner.args["query"]) or PATTERN
        kept = (f" NOT IN leaves out the rows where {tested} is NULL and NOT EXISTS keeps them: add {tested} IS NOT "
                "NULL where they must stay out." if tested_null else "")
        yield Hit(
            query.span_of(found.node),
            f"NOT IN over a subquery: if the subquery returns a single NULL, {tested} NOT IN (...) is never true and the "
            "query returns nothing; to guard against that SQL Server adds a second pass over the subquery's rows."
            if returns_null else
            f"NOT IN over a subquery: where {tested} is NULL, {tested} NOT IN (...) is unknown, not true, so SQL Server "
            f"tests each row for {tested} IS NULL as well as for a match, which rules out a plain anti-join.",
            f"Write NOT {written}: no NULL trap, and a plain anti-join.{kept}",
        )


def _never_null(query: Query, subquery: exp.Expression) -> bool:
    """Whether the one column a subquery returns cannot be NULL: the catalog declares it NOT NULL,
    or the subquery's WHERE says col IS NOT NULL."""
    select = subquery.this if isinstance(subquery, exp.Subquery) else subquery
    block = next((b for b in query.blocks if b.node is select), None)
    ref = block.projections[0].plain if block is not None and len(block.projections) == 1 else None
    if ref is None:
        return False
    # a table's column, or one a derived table or CTE passes on from it: (SELECT * FROM Attendance) a
    source, name = passed_through(ref.relation, ref.name, inner_only=True) if ref.relation is not None else (None, "")
    declared = source.table.column(name) if source is not None and source.table is not None else None
    if declared is not None and not declared.nullable:
        return True
    return any(isinstance(p.node, exp.Not) and isinstance(p.node.this, exp.Is) and isinstance(p.node.this.expression, exp.Null)
               and len(p.columns) == 1 and p.columns[0].relation is ref.relation and p.columns[0].name.lower() == ref.name.lower()
               for p in block.predicates if p.clause == "where")


@statement_rule("SH011")
def count_for_existence(query: Query, catalog: Catalog) -> Iterator[Hit]:
    tests = [query.statement.tree] if query.statement.keyword in ("IF", "WHILE") and query.statement.tree else []
    nodes = [node for test in tests for node in test.find_all(*COMPARISONS)] + [c.node for c in comparisons(query)]
    for node in nodes + _selected_tests(query):
        found = _counted(node)
        if found is None:
            continue
        counted, exists = found
        blocks = [b for b in query.blocks if b.node is counted]
        tables, rows = read_by(blocks)
        few = bool(blocks and tables) and _each_run(query, blocks, tables, rows)[1]
        asked = counted.copy().select(exp.Literal.number(1), append=False)
        yield Hit(
            query.span_of(node),
            f"{as_in_file(query, node)} only asks whether a row exists, but counts every matching "
            f"row{f' of {names(tables)}' if tables else ''}.",
            f"Ask with EXISTS, which stops at the first row: {'' if exists else 'NOT '}EXISTS ({as_written(asked)}) in place of "
            f"{as_in_file(query, node, cut=False)}.",
            tuple(tables),
            _per_run_severity(rows, few) if rows else None,
        )


def _selected_tests(query: Query) -> list[exp.Expression]:
    """The comparisons that a CASE WHEN or an IIF in a SELECT list tests."""
    return [node for block in query.user_blocks for projection in block.projections
            for choice in projection.node.find_all(exp.If) for node in choice.this.find_all(*COMPARISONS)]


def _counted_for_a_test(subquery: m.Subquery) -> bool:
    """(SELECT COUNT(*) ...) > 0 in what a SELECT list's CASE WHEN or IIF tests, alone or among
    other conditions: SH011's, which asks with EXISTS."""
    compared = subquery.node.parent
    while isinstance(compared, exp.Paren):
        compared = compared.parent
    if compared is None or _counted(compared) is None:
        return False
    test = compared
    while isinstance(test.parent, (exp.Paren, exp.And, exp.Or, exp.Not)):
        test = test.parent
    return isinstance(test.parent, exp.If) and test is test.parent.this


# COUNT(*) compared with 0 or 1, as the count's side sees it: whether that asks for a row (True) or for none
_EXISTENCE = {(exp.GT, "0"): True, (exp.GTE, "1"): True, (exp.NEQ, "0"): True,
              (exp.EQ, "0"): False, (exp.LT, "1"): False, (exp.LTE, "0"): False}


def _counted(node: exp.Expression) -> tuple[exp.Select, bool] | None:
    """In (SELECT COUNT(*) FROM ...) > 0, the SELECT, and whether the comparison asks for a row or
    for none; None for other comparisons (= 1 and > 1 ask for a number of rows)."""
    if not isinstance(node, tuple(MIRRORED)):
        return None
    for side in (node.this, node.expression):
        select = side.unnest()  # unnest() also takes a subquery out of its parentheses
        oriented = seen_from(node, side)
        if (isinstance(select, exp.Select) and len(select.expressions) == 1 and isinstance(select.expressions[0].unalias(), exp.Count)
                and not select.args.get("group") and oriented is not None and isinstance(oriented[1][0], exp.Literal)):
            asked = _EXISTENCE.get((oriented[0], oriented[1][0].this))
            return (select, asked) if asked is not None else None
    return None


@statement_rule("SH016")
def in_subquery(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for subquery in block.subqueries:
            node = subquery.node
            if isinstance(node, exp.In) and subquery.clause in ("where", "on") and not isinstance(node.parent, exp.Not):
                written = as_exists(query, node.this, node.args["query"]) or PATTERN
                yield Hit(
                    query.span_of(node),
                    f"{as_in_file(query, node.this)} IN (SELECT ...) asks whether a matching row exists; EXISTS says so "
                    "directly and can test more than one column.",
                    f"Write {written}. SQL Server plans both the same way: this is about reading the intent, not speed.",
                )
