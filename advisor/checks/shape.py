"""The shape of a query: DISTINCT hiding a fan-out, ORDER BY the
optimizer drops, a CTE run twice, too many tables, table variables against large tables, a LEFT
JOIN the WHERE turns into an inner one, TOP without ORDER BY, COUNT(1), a statement that expands
past what can be judged."""

from __future__ import annotations

import math
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.flatten import MOST_TABLE_READS
from advisor.analysis.lineage import blocks_within
from advisor.analysis.model import Query
from advisor.analysis.predicates import literal_number
from advisor.analysis.resolve import DEEPEST_CTES
from advisor.analysis.script import inserted_into
from advisor.catalog.model import Catalog
from advisor.checks.indexes import sides_of
from advisor.checks.multiplicity import fixed_columns, one_row_each
from advisor.checks.registry import FileContext, Hit, file_rule, statement_rule
from advisor.checks.semi_joins import exists_test, tested_conditions, unreturned_joins
from advisor.checks.sizes import HUGE_ROWS, LARGE_ROWS, relation_rows, severity_for_rows
from advisor.checks.snippets import as_in_file
from advisor.checks.subqueries import largest_note, read_by
from advisor.words import a_or_an, count, names

MANY_TABLES = 9
# A table variable this small is planned about right at SQL Server's one-row guess.
FEW_ROWS = 1_000


@statement_rule("SH004")
def distinct_over_fan_out(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        if not block.distinct or len(block.relations) < 2 or block.grouped:
            continue  # grouped, the rows are one per group already, and its aggregates count what the joins match
        shown = block.returned_ids()
        for group, links in unreturned_joins(block, shown):
            if any(r.kind in (m.TEMP, m.TABLE_VARIABLE) for r in group) or not any(_repeats(r, block) for r in group):
                continue  # a temp table's rows are not known
            largest = max(group, key=lambda r: relation_rows(r) or 0)
            rows = relation_rows(largest) or 0
            if rows < LARGE_ROWS:
                continue
            returned = (f"none of {group[0].alias}'s columns is returned" if len(group) == 1
                        else f"none of the columns of {names([r.alias for r in group])} is returned")
            exists = exists_test(query, block, group, links)
            # a pass-through filter: Campus writes the SELECT DISTINCT, the author the join in box A
            boxed = query.span_of(block.node).line in query.campus_lines and group[0].span.line not in query.campus_lines
            # a view's, CTE's or derived table's rows are not counted: the largest table it reads decides the severity
            matching = (f"{largest.table.name} row ({count(rows)} rows in all)" if largest.table is not None
                        else f"row of the derived table {largest.alias}" if largest.kind == m.DERIVED
                        else f"{largest.name} row")
            yield Hit(
                group[0].span,
                f"DISTINCT removes the copies {'this join makes' if len(group) == 1 else 'these joins make'}: every row is "
                f"repeated for each matching {matching}, and {returned}.",
                _boxed_fix(query, block, group, links, exists) if boxed else
                f"Test for a match instead of joining: WHERE {exists}, and drop the DISTINCT.",
                tuple(dict.fromkeys(r.table.name if r.table is not None else r.name for r in group)),
                severity_for_rows(rows),
            )


def _boxed_fix(query: Query, block: m.Block, group: list[m.Relation], links: list[tuple[m.ColumnRef, m.ColumnRef]],
               exists: str) -> str:
    """SH004's fix in a pass-through filter: the EXISTS goes in box B, unless a condition it would
    take runs into the conditions Campus writes (box B's OR without parentheses), which the
    author cannot move."""
    spans = [query.span_of(p.node) for p in tested_conditions(block, group, links)]
    if any(line in query.campus_lines for span in spans for line in range(span.line, span.end_line + 1)):
        return ("Put box B's OR in parentheses first (AND (... OR ...)): as written, it ties box B's conditions to "
                "those Campus writes around the boxes. Then test for a match in box B instead of joining in box A: "
                "AND EXISTS (SELECT 1 FROM ... WHERE ...) with the join's tables and box B's conditions on them, in "
                "place of the join. Campus's DISTINCT then has no copies to remove.")
    return (f"Test for a match in box B instead of joining in box A: AND {exists}, in place of the join and of box "
            "B's conditions on its columns. Campus's DISTINCT then has no copies to remove.")


def _repeats(relation: m.Relation, block: m.Block) -> bool:
    """Whether a joined table can match more than one row for each row it is joined to: no key
    it is joined on identifies its rows. A view, by the rows its definition has for the columns
    joined (`v_AdHocStudent` has a row per enrollment)."""
    keys = [mine.name for mine, _ in sides_of(block, relation)]
    if relation.table is None:
        return bool(keys) and one_row_each(relation, {key.lower() for key in keys} | fixed_columns(block, relation)) is False
    return bool(keys) and not any(relation.table.unique_on(key) for key in keys)


@statement_rule("SH006")
def ignored_order_by(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        node = block.node
        order, limit = node.args.get("order"), node.args.get("limit")
        if order is None or block.parent is None and not isinstance(node.parent, (exp.Subquery, exp.CTE, exp.Create)):
            continue
        if node.args.get("for_"):
            continue  # FOR XML or FOR JSON builds one document, in this order
        if limit is None and node.args.get("offset") is None:
            yield Hit(
                query.span_of(order),
                "SQL Server refuses this statement: ORDER BY inside a view, subquery, derived table or CTE is allowed "
                "only with TOP, OFFSET or FOR XML (error 1033), and it would not order the result anyway.",
                "Remove it there and put the ORDER BY on the outermost SELECT.",
                severity="error",
            )
            continue
        options = limit.args.get("limit_options") if isinstance(limit, exp.Limit) else None
        if options is not None and options.args.get("percent") and limit.expression.this == "100":
            yield Hit(
                query.span_of(order),
                "ORDER BY inside a view, CTE or derived table (with TOP 100 PERCENT) does not order the result: "
                "SQL Server drops it, and the rows come back in whatever order the plan gives.",
                "Remove it there and put the ORDER BY on the outermost SELECT.",
            )


@statement_rule("SH007")
def cte_read_twice(query: Query, catalog: Catalog) -> Iterator[Hit]:
    references = _cte_references(query)
    runs: dict[str, int] = {}

    def run_count(name: str) -> int:
        """A reference runs the CTE once for every run of the query that holds it."""
        if name not in runs:
            runs[name] = 1  # while it is counted: T-SQL lets a CTE refer only to those before it
            runs[name] = sum(1 if holder is None else run_count(holder) for holder in references[name][1])
        return runs[name]

    for name, (relation, holders) in references.items():
        if run_count(name) < 2 or all(holder is not None and run_count(holder) > 1 for holder in holders):
            continue  # run again only because the CTEs that read it are: those are the ones to fix
        tables, rows = read_by(blocks_within(relation.inner))
        if rows < LARGE_ROWS:
            continue
        yield Hit(
            relation.span,
            f"{relation.name} is read {runs[name]} times, and SQL Server runs a CTE's query again for every "
            f"reference: each time it reads {names(tables)}{largest_note(tables, rows)}.",
            f"Run it once into a temp table (SELECT ... INTO #{relation.name} ...) and read that, or read it "
            "once and derive the rest from that single pass.",
            tuple(tables),
            # Each read may be one year's rows; only reading a huge table again is sure to hurt.
            "warning" if rows >= HUGE_ROWS else "info",
        )


def _cte_references(query: Query) -> dict[str, tuple[m.Relation, list[str | None]]]:
    """Each CTE the statement reads: its first reference, and the CTE whose query holds each
    reference to it (None for a reference outside every CTE)."""
    read = [(block, r) for block in query.user_blocks for r in block.relations if r.kind == m.CTE and r.inner]
    holder_of = {id(inner): relation.name.lower() for _, relation in read
                 for inner in blocks_within(relation.inner, into_ctes=False)}
    found: dict[str, tuple[m.Relation, list[str | None]]] = {}
    for block, relation in read:
        found.setdefault(relation.name.lower(), (relation, []))[1].append(holder_of.get(id(block)))
    return found


@statement_rule("SH008")
def too_many_tables(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        read = [r for r in block.relations if r.kind not in (m.VALUES,)]
        if len(read) > MANY_TABLES:
            yield Hit(
                read[0].span,
                f"{len(read)} tables, views and subqueries joined in one SELECT: the optimizer cannot weigh every "
                "join order, stops at a plan that is good enough, and its row estimates compound with every join.",
                "Split the query: gather the core rows (students of this year) into a temp table first, then join "
                "the rest to it.",
            )


@file_rule("SH009")
def table_variable_join(context: FileContext) -> Iterator[Hit]:
    most: dict[str, float] = {}  # each table variable's most rows, from the INSERTs that filled it so far
    for query in context.queries:
        for block in query.user_blocks:
            variables = [r for r in block.relations if r.kind == m.TABLE_VARIABLE
                         and most.get(r.name.lower(), math.inf) > FEW_ROWS]
            large = [(r, rows) for r in block.relations if (rows := relation_rows(r) or 0) >= LARGE_ROWS]
            if not variables or not large:
                continue
            relation, rows = max(large, key=lambda pair: pair[1])
            yield Hit(
                variables[0].span or query.statement.span,
                f"{variables[0].name} is a table variable joined to {relation.name} ({count(rows)} rows): SQL Server "
                "has no statistics on table variables and (before SQL Server 2019) plans for one row, so a variable "
                "holding thousands gets a plan made for one.",
                f"Use a temp table (CREATE TABLE #{variables[0].name.lstrip('@')} ...), which has statistics, or add "
                "OPTION (RECOMPILE) so the plan sees the real row count.",
                (relation.name,),
                severity_for_rows(rows),
            )
        filled = _filled_variable(query)
        if filled is not None:
            most[filled] = most.get(filled, 0) + _most_rows(query)


def _filled_variable(query: Query) -> str | None:
    """The table variable an INSERT ... SELECT or INSERT ... VALUES fills, by lower-case name."""
    tree = query.statement.tree
    name = inserted_into(tree) if isinstance(tree, exp.Insert) else None
    return name if name and name.startswith("@") else None


def _most_rows(query: Query) -> float:
    """The most rows a statement can put in a table, if it runs once: VALUES puts its rows; a query
    of catalog tables, those of the largest (its joins are taken to match rows, not to multiply
    them: JN001 and JN002 report those that multiply)."""
    if query.loops or query.passes or query.uncounted_loop:
        return math.inf
    values = query.statement.tree.find(exp.Values)
    relations = [r for block in query.user_blocks for r in block.relations]
    if not relations:
        return len(values.expressions) if values is not None else math.inf
    sizes = [relation_rows(r) if r.kind in (m.TABLE, m.VIEW) else None for r in relations]
    return math.inf if None in sizes else max(sizes)


@statement_rule("SH012")
def left_join_made_inner(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for relation in block.relations:
            predicate = relation.made_inner_by
            if predicate is None:
                continue
            if predicate.clause == "on":
                if predicate.on.join == m.INNER:  # else a LEFT JOIN made inner itself, whose finding says why
                    yield _inner_join_after(query, relation, predicate)
                continue
            column = next(ref.node.name for ref in predicate.columns if ref.relation is relation)
            tested = predicate.node.unnest()
            if isinstance(tested, exp.Not) and isinstance(tested.this.unnest(), exp.Is):  # x IS NOT NULL: only the matches are meant
                known = relation.table.column(column) if relation.table is not None else None
                # a column no row has NULL in (the key) is NULL only where the join found nothing
                dropped = " and drop the condition" if known is not None and not known.nullable else ""
                yield Hit(
                    query.span_of(predicate.node),
                    f"{as_in_file(query, predicate.node)} keeps only the rows where the LEFT JOIN found {a_or_an(relation.name)}, "
                    "so the LEFT JOIN works as an inner join.",
                    f"Write INNER JOIN {relation.name}{dropped}: it says what the query does.",
                )
                continue
            yield Hit(
                query.span_of(predicate.node),
                f"The WHERE condition on {relation.alias}.{column} throws away the rows where the LEFT JOIN found "
                f"no {relation.name}, so the LEFT JOIN works as an inner join.",
                f"Move the condition into the ON clause to keep the rows that find no {relation.name}, or write INNER "
                "JOIN to say what the query does.",
            )


def _inner_join_after(query: Query, relation: m.Relation, predicate: m.Predicate) -> Hit:
    """SH012 for an inner join whose ON compares a LEFT JOIN's table: it drops the rows the LEFT
    JOIN found nothing for, as a WHERE does. The fix takes in the inner joins that hang on it."""
    joined = predicate.on
    hanging = _hanging_on(relation)
    listed = names([r.label() for r in hanging])
    ons = [r.join_condition for r in (relation, *hanging)]
    nested = "" if None in ons else (
        f", or join {'it' if len(hanging) == 1 else 'them'} inside the LEFT JOIN: LEFT JOIN ({relation.label()} "
        + " ".join(f"JOIN {r.label()} ON {as_in_file(query, on, cut=False)}" for r, on in zip(hanging, ons[1:]))
        + f") ON {as_in_file(query, ons[0], cut=False)}")
    filters = [as_in_file(query, p.node) for p in relation.block.predicates
               if p.clause == "where" and any(ref.relation in hanging for ref in p.columns)]
    moved = (f" ({names(filters)} then {'moves' if len(filters) == 1 else 'move'} from the WHERE to the ON of "
             f"{'its join' if len(filters) == 1 else 'their joins'})") if filters else ""
    return Hit(
        query.span_of(predicate.node),
        f"The inner join to {joined.label()} on {as_in_file(query, predicate.node)} throws away the rows where the LEFT "
        f"JOIN found no {relation.name}, so the LEFT JOIN works as an inner join.",
        f"To keep the rows that find no {relation.name}, make the join{'s' if len(hanging) > 1 else ''} to {listed} "
        f"LEFT JOIN{'s' if len(hanging) > 1 else ''} too{nested}{moved}. If only the rows that find one are meant, "
        f"write INNER JOIN {relation.name}: it says what the query does.",
    )


def _hanging_on(relation: m.Relation) -> list[m.Relation]:
    """The inner joins after a LEFT JOIN whose ON compares its table, or one of these, in order."""
    relations = relation.block.relations
    hanging: list[m.Relation] = []
    for later in relations[relations.index(relation) + 1:]:
        if later.join == m.INNER and later.unit is None and any(
                p.on is later and any(ref.relation is relation or ref.relation in hanging for ref in p.columns)
                for p in relation.block.predicates):
            hanging.append(later)
    return hanging


@statement_rule("SH014")
def top_without_order(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        node = block.node
        limit = node.args.get("limit")
        if not isinstance(limit, exp.Limit) or node.args.get("order") is not None or isinstance(node.parent, exp.Exists):
            continue
        if block.empty or block.reads_one_row():
            continue  # TOP 0, or a key's one row: no rows to choose between
        options = limit.args.get("limit_options")
        percent = options is not None and options.args.get("percent")
        if percent and literal_number(limit.expression.unnest()) == 100:
            continue  # TOP 100 PERCENT, as views were once written: every row
        yield Hit(
            query.span_of(limit),
            f"TOP {limit.expression.sql('tsql')}{' PERCENT' if percent else ''} without ORDER BY returns whichever rows "
            "the plan reaches first: a different set after an index or the data changes.",
            "Add the ORDER BY that says which rows are wanted (the latest: ORDER BY x.date DESC).",
        )


@statement_rule("SH017")
def count_one(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for counted in query.calls(exp.Count):
        if isinstance(counted.this, exp.Literal):
            yield Hit(
                query.span_of(counted),
                f"COUNT({counted.this.sql('tsql')}) counts rows exactly as COUNT(*) does; SQL Server treats them the same.",
                "Write COUNT(*), which says what it counts.",
            )


@statement_rule("SH018")
def expands_too_far(query: Query, catalog: Catalog) -> Iterator[Hit]:
    if query.too_large:
        yield Hit(
            query.statement.span,
            f"With its views and CTEs expanded, as SQL Server compiles it, this statement reads more than "
            f"{count(MOST_TABLE_READS)} tables: SQL Server may take long to compile it or give up (errors 8621, 8623). "
            "sqladvise stopped expanding it, so it does not judge its scope or estimate its timeout risk.",
            "Run each part that is read more than once into a temp table (SELECT ... INTO #part) and read that; "
            "moving it into another CTE, subquery or view does not help, since SQL Server expands those again.",
        )
    for relation in (r for block in query.user_blocks for r in block.relations if r.kind == m.CTE and r.unexpanded):
        yield Hit(
            relation.span,
            f"{relation.name} ends a chain of more than {DEEPEST_CTES} CTEs, each reading the one before: sqladvise "
            f"follows such a chain {DEEPEST_CTES} deep and no deeper, so it does not judge what the query reads "
            f"through {relation.name} (its scope, its rows, its cost).",
            "Run the first part of the chain into a temp table (SELECT ... INTO #part) and read that: SQL Server "
            "expands the whole chain into the statement, and reads a temp table as one table.",
            (relation.name,),
            "info",
        )
