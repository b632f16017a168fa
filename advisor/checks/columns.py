"""Columns: SELECT * and alias.*, many columns pulled from views (Campus's "extraneous
fields"), and columns, tables and views the catalog does not know, and functions SQL Server does
not have by the name they are called."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.calls import unqualified_calls
from advisor.analysis.model import Query
from advisor.analysis.resolve import own_nodes
from advisor.analysis.script import indexed_columns, made_schemas
from advisor.catalog.model import Catalog
from advisor.checks.registry import FileContext, Hit, file_rule, statement_rule
from advisor.frontend.function_names import SQL_SERVERS
from advisor.frontend.positions import node_bounds
from advisor.span import Span
from advisor.words import names

# From this many columns of one view, the fields themselves are a cost worth naming.
MANY_VIEW_COLUMNS = 15
# Schemas every SQL Server database has, which no catalog export lists.
_SYSTEM_SCHEMAS = frozenset({"sys", "information_schema"})
# How alike a name must be to a known one to be offered as the name meant (difflib's ratio).
_ALIKE = 0.8
# ODBC's escape, {fn UCASE(x)}: SQL Server calls functions by their ODBC names there.
_ODBC_ESCAPE = re.compile(r"\{\s*fn\s*$", re.IGNORECASE)


@statement_rule("CL001")
def select_star(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.blocks:
        if not block.in_user_text or isinstance(block.node.parent, exp.Exists) or block.empty:
            continue  # EXISTS (SELECT * ...) reads no columns; SELECT * INTO #t ... WHERE 1 = 0 copies them, no rows
        if not any(projection.star_of for projection in block.projections) or _pruned(block):
            continue
        for projection in block.projections:
            relations = [r for r in projection.star_of or [] if r.kind in (m.TABLE, m.VIEW)]
            if not relations:
                continue
            counts = [len(r.output_columns or []) for r in relations]
            written = "SELECT *" if isinstance(projection.node, exp.Star) else projection.node.sql("tsql")
            views = [r.name for r in relations if r.kind == m.VIEW]
            message = f"{written} returns all {sum(counts)} columns of {names([r.label() for r in relations])}"
            message += f"; {names(views)} must compute every one of them." if views else ", whether the extract uses them or not."
            example = ", ".join(f"{relations[0].alias}.{c}" for c in (relations[0].output_columns or [])[:3])
            yield Hit(
                projection.span or relations[0].span,
                message,
                f"Name the columns the extract needs: SELECT {example}, ... ",
                tuple(r.name for r in relations),
                "warning" if views or sum(counts) > MANY_VIEW_COLUMNS else "info",
            )


def _pruned(block: m.Block) -> bool:
    """A derived table or CTE whose readers each name the columns they use: SQL Server reads only
    those, whatever its SELECT list says (SELECT COUNT(*) FROM (SELECT * FROM ...) x). Not when
    it removes duplicates (DISTINCT, UNION): every column decides which rows are the same."""
    if _deduplicated(block):
        return False
    return bool(block.readers) and all(reader.read_columns is not None for reader in block.readers)


def _deduplicated(block: m.Block) -> bool:
    """Whether the block's rows go through a DISTINCT, or a UNION that drops copies."""
    parent = block.node.parent
    while isinstance(parent, (exp.SetOperation, exp.Paren)):
        if isinstance(parent, exp.Union) and parent.args.get("distinct"):
            return True
        parent = parent.parent
    return block.distinct


@statement_rule("CL002")
def many_view_columns(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.blocks:
        if not block.in_user_text:
            continue
        for relation in block.relations:
            if relation.kind != m.VIEW:
                continue
            used = list(dict.fromkeys(
                ref.name for projection in block.projections for ref in projection.columns if ref.relation is relation
            ))
            if len(used) < MANY_VIEW_COLUMNS:
                continue
            yield Hit(
                relation.span,
                f"This query returns {len(used)} columns of {relation.name}. Each field from a view can add "
                f"joins and per-row work; Campus names extraneous fields as a common cause of slow ad hoc filters.",
                "Keep only the fields the extract really sends, or read the few base tables that hold them.",
                (relation.name,),
            )


# The tables a script makes, whose columns it says when it makes them
_MADE = (m.TEMP, m.TABLE_VARIABLE)
# The relations a query of the statement's own defines, whose columns its SELECT list names
_QUERIED = (m.DERIVED, m.CTE)


@file_rule("CL003")
def unknown_column(context: FileContext) -> Iterator[Hit]:
    # Where the bundled catalog lacks a column, it is said once in the file: a view column a
    # district's Campus has (student.activeToday) that every statement of a script reads is one
    # piece of information. With a district's own catalog, each statement that reads it stops.
    said: set[tuple[str, str]] = set()  # (object, column), lower case
    for query in context.queries:
        yield from _inserted_not_made(query)
        yield from _indexed_not_made(query)
        yield from _keyed_not_made(query)
        for block in query.user_blocks:
            for relation in block.relations:
                columns = unknown_columns(block, relation)
                if not columns:
                    continue
                if relation.kind in _MADE:
                    yield from (_not_made(query, relation.name, relation.output_columns or [], column) for column in columns)
                    continue
                if relation.kind in _QUERIED:
                    # a * over Person returns the catalog's Person columns, which the bundled one may lack
                    objects = _starred(relation)
                    if not objects or not context.catalog.guessed(objects):
                        yield from (_not_returned(query, relation, column) for column in columns)
                        continue
                    subject = f"{relation.name}, whose * reads {names(objects)},"
                else:
                    known = relation.table or relation.view
                    objects, subject = [known.name] if known is not None else [], relation.name
                    if not context.catalog.guessed(objects):
                        yield from (_invalid(query, context.catalog, relation, column) for column in columns)
                        continue
                name = ", ".join(objects).lower() or relation.name.lower()
                new = [column for column in columns if (name, column.name.lower()) not in said]
                said.update((name, column.name.lower()) for column in new)
                if new:
                    yield _not_in_bundled(query, relation, subject, new)  # one finding: the catalog lacks some columns


def unknown_columns(block: m.Block, relation: m.Relation) -> list[exp.Column]:
    """The first reference to each column the query reads from the relation that it does not have:
    named with its alias, or unqualified when it is the block's only relation."""
    if relation.kind not in (m.TABLE, m.VIEW, *_MADE, *_QUERIED) or relation.output_columns is None:
        return []
    if relation.kind in _QUERIED and relation.declared_columns is None and any(
            not p.name or p.star_of is not None and any(r.kind not in (m.TABLE, m.VIEW) for r in p.star_of)
            for p in relation.inner[0].projections):
        return []  # a column with no name is CL021's; a star over a query's columns is not followed
    has = {c.lower() for c in relation.output_columns}
    unknown = relation.columns - has
    found: dict[str, exp.Column] = {}
    for column in block.node.find_all(exp.Column) if unknown else ():
        name = column.name.lower()
        if name in unknown and name not in found and column.table.lower() == relation.alias.lower():
            found[name] = column
    if block.relations == [relation]:
        for column in _unqualified_unknown(block, has):
            found.setdefault(column.name.lower(), column)
    return sorted(found.values(), key=lambda column: node_bounds(column) or (0, 0))


def _unqualified_unknown(block: m.Block, has: set[str]) -> Iterator[exp.Column]:
    """Unqualified columns of the block's own clauses that its one relation lacks, and that are
    neither a name its SELECT list gives a value, outside that value (ORDER BY fullName; elsewhere
    CL008 says SQL Server does not take them), nor a column an enclosing query offers."""
    given = {p.name.lower(): p.node for p in block.projections if isinstance(p.node, exp.Alias)}
    for node in own_nodes(block.node):
        if not isinstance(node, exp.Column) or node.table or isinstance(node.this, exp.Star):
            continue
        name = node.name.lower()
        named = given.get(name)
        if (name not in has and (named is None or node.find_ancestor(exp.Alias) is named) and not offered_outside(block, name)
                and node.find_ancestor(exp.WithTableHint) is None  # WITH (INDEX(ix_name)) names an index
                and not _first_of_unknown_call(node)):
            yield node


def _first_of_unknown_call(column: exp.Column) -> bool:
    """The first argument of a call of a function SQL Server does not have (CL005): what it is, a
    column or a date part (DATEDIF(day, ...)), only the function would say."""
    call = column.parent
    return (isinstance(call, exp.Anonymous) and call.name.upper() not in SQL_SERVERS
            and bool(call.expressions) and call.expressions[0] is column)


def offered_outside(block: m.Block, name: str) -> bool:
    """Whether an enclosing query has a relation with the column, or one whose columns are unknown."""
    outer = block.parent
    while outer is not None:
        for relation in outer.relations:
            columns = relation.output_columns
            if columns is None or name in {c.lower() for c in columns}:
                return True
        outer = outer.parent
    return False


def _not_in_bundled(query: Query, relation: m.Relation, subject: str, columns: list[exp.Column]) -> Hit:
    """Columns the bundled catalog does not give `subject`: the relation, or what its * reads."""
    one = len(columns) == 1
    return Hit(
        query.span_of(columns[0]),
        f"{subject} has no column{'' if one else 's'} {names([c.name for c in columns])} in sqladvise's "
        f"bundled catalog, an approximation of Campus. If your database has {'it' if one else 'them'}, sqladvise "
        f"does not know what {'it holds' if one else 'they hold'}, and a filter on {'it' if one else 'them'} does "
        "not count as a limit; if not, SQL Server stops with \"Invalid column name\".",
        _quoted_text(query, columns) + "Check the names against the table; if they are right, check with your "
        "district's own catalog (sqladvise catalog pull, or catalog export-script), which knows every column.",
        (relation.name,),
        "info",
    )


def _inserted_not_made(query: Query) -> Iterator[Hit]:
    """The columns an INSERT's list names that the temp table or table variable it fills was not
    made with: INSERT INTO #t (personID, grade) where CREATE TABLE #t has no grade."""
    tree, made = query.statement.tree, query.target
    if not isinstance(tree, exp.Insert) or not isinstance(tree.this, exp.Schema) or made is None or made.declared is None:
        return
    has = [column.name for column in made.declared]
    lower = {name.lower() for name in has}
    for listed in tree.this.expressions:
        if listed.name.lower() not in lower:
            yield _not_made(query, made.name, has, listed)


def _indexed_not_made(query: Query) -> Iterator[Hit]:
    """The columns an index or key is on that its temp table or table variable was not made with:
    CREATE INDEX ix ON #t (calendarID) where SELECT ... INTO #t took no calendarID, or CREATE TABLE
    #t (a int, PRIMARY KEY (b))."""
    tree = query.statement.tree
    made = next(made_schemas(tree), None)
    if made is not None:  # the table's own keys, on the columns it is made with just before them
        table, has = made[0], [item.name for item in made[1].expressions if isinstance(item, exp.ColumnDef)]
    elif query.target is not None and query.target.column_names is not None:
        table, has = query.target.name, query.target.column_names
    else:
        return
    lower = {name.lower() for name in has}
    for named in indexed_columns(tree):
        if named.name.lower() not in lower:
            yield _not_made(query, table, has, named, stop=_not_in_target(named.name))


def _keyed_not_made(query: Query) -> Iterator[Hit]:
    """The columns ALTER TABLE ... ADD PRIMARY KEY or UNIQUE puts a key on that the table it adds
    it to was not made with (CREATE TABLE #t (personID int), or SELECT e.personID INTO #t, then
    PRIMARY KEY (calendarID))."""
    added = query.added_key
    has = added.made.column_names if added is not None and added.made is not None else None
    if has is None:
        return
    lower = {name.lower() for name in has}
    for name, at in zip(added.columns, added.written_at):
        if name.lower() not in lower:
            written = len(name) + 2 if query.lines.text.startswith("[", at) else len(name)
            yield _not_made(query, added.made.name, has, name, query.lines.span(at, at + written), stop=_not_in_target(name))


def _not_in_target(name: str) -> str:
    """SQL Server's error for a column an index or key names that its table does not have."""
    return f"\"Column name '{name}' does not exist in the target table or view\" (error 1911)"


def _not_made(query: Query, table: str, made: list[str], column: exp.Expression | str, span: Span | None = None,
              stop: str | None = None) -> Hit:
    """A column that a temp table or table variable the script makes is not made with; `stop` is
    SQL Server's error, when it is not the one for a column it cannot find in a query. A column
    read from the text, not the tree, is its name and `span`."""
    name = column if isinstance(column, str) else column.name
    meant = closest_name(name, made)
    quoted = _quoted_text(query, [column]) if isinstance(column, exp.Column) else ""
    stop = stop or f"\"Invalid column name '{name}'\""
    return Hit(
        span if span is not None else query.span_of(column),
        f"{table} has no column {name}: the script makes it with {names(made)}, and SQL Server stops with "
        f"{stop} before it reads a row.",
        f"{quoted}{f'Did you mean {meant}? ' if meant else ''}Correct the name, or add the column where {table} is made.",
        (table,),
        "error",
    )


def _starred(relation: m.Relation) -> list[str]:
    """The tables and views whose every column a derived table's or CTE's query returns with a *."""
    if relation.declared_columns is not None or not relation.inner:
        return []
    return list(dict.fromkeys(r.name for p in relation.inner[0].projections for r in p.star_of or ()))


def _returned_words(relation: m.Relation) -> str:
    """What the query of a derived table or CTE with a * returns, in its order: "personID and every
    column of Enrollment"."""
    return names([returned for projection in relation.inner[0].projections
                  for returned in ([f"every column of {r.name}" for r in projection.star_of] if projection.star_of
                                   else [projection.name])])


def _not_returned(query: Query, relation: m.Relation, column: exp.Column) -> Hit:
    """A column that a derived table's or CTE's query does not return."""
    returned = relation.output_columns or []
    meant = closest_name(column.name, returned)
    what = "derived table" if relation.kind == m.DERIVED else "CTE"
    listed = _returned_words(relation) if _starred(relation) else names(returned)
    return Hit(
        query.span_of(column),
        f"{relation.name} has no column {column.name}: the {what} returns {listed}, and SQL Server stops with "
        f"\"Invalid column name '{column.name}'\" before it reads a row.",
        f"{_quoted_text(query, [column])}{f'Did you mean {meant}? ' if meant else ''}Correct the name, or add the column "
        f"to the {what}'s SELECT list.",
        (relation.name,),
        "error",
    )


def _invalid(query: Query, catalog: Catalog, relation: m.Relation, column: exp.Column) -> Hit:
    meant = closest_name(column.name, relation.output_columns or [])
    return Hit(
        query.span_of(column),
        f"{relation.name} has no column {column.name} in {catalog.description}: SQL Server stops with "
        f"\"Invalid column name '{column.name}'\" before it reads a row.",
        f"{_quoted_text(query, [column])}{f'Did you mean {meant}? ' if meant else ''}Correct the name; if the column "
        "was added after the catalog was exported, export it again.",
        (relation.name,),
        "error",
    )


def _quoted_text(query: Query, columns: list[exp.Column]) -> str:
    """What to say of names written in double quotes ("A"): SQL Server reads them as names, unless
    the script says SET QUOTED_IDENTIFIER OFF, and they are most often meant as text."""
    quoted = [written for written in (query.written(c) for c in columns if not c.table) if written.startswith('"')]
    if not quoted:
        return ""
    texts = names(["'" + name[1:-1].replace('""', '"') + "'" for name in quoted])
    return f"{names(quoted)} in double quotes {'is a name' if len(quoted) == 1 else 'are names'}: if text is meant, write {texts}. "


@file_rule("CL004")
def unknown_table(context: FileContext) -> Iterator[Hit]:
    ended: dict[str, int] = {}  # the CTEs of the statements before, by lower-case name: the line of their statement
    # With the bundled catalog, a name is said once in the file: a district's own table that a
    # script reads in every statement is one piece of information, not one for each statement.
    said: set[str] = set()
    for query in context.queries:
        yield from _unknown_tables(query, context.catalog, ended, said)
        tree = query.statement.tree
        made = tree.args.get("with_") if tree is not None and query.statement.keyword == "WITH" else None
        for cte in made.expressions if isinstance(made, exp.With) else ():
            ended.setdefault(cte.alias.lower(), query.statement.span.line)


def _unknown_tables(query: Query, catalog: Catalog, ended: dict[str, int], said: set[str]) -> Iterator[Hit]:
    seen = set(said)
    first = ""  # the first unknown name, as written: later ones refer to what its finding says
    for block in query.user_blocks:
        for relation in block.relations:
            if relation.kind != m.UNKNOWN or relation.name.lower() in seen or not _in_this_database(relation):
                continue
            seen.add(relation.name.lower())
            span = relation.span or query.statement.span  # a name sqlglot's tree has no place for
            if relation.name.lower() in ended:
                yield _ended_cte(relation, span, ended[relation.name.lower()])
                continue
            reader = _read_before_made(relation)
            if reader is not None:
                yield _cte_read_too_soon(relation, span, reader)
                continue
            first = first or relation.name
            meant = closest_name(relation.name, [*(t.name for t in catalog.tables.values()), *(v.name for v in catalog.views.values())])
            guess = f"Did you mean {meant}? " if meant else ""
            if catalog.approximate:
                said.add(relation.name.lower())
                yield Hit(
                    span,
                    f"{relation.name} is not a table or view in sqladvise's bundled catalog either: as for {first}, the "
                    "estimate takes it as 1,000 rows, and a filter on it does not count as a limit."
                    if relation.name != first else
                    f"{relation.name} is not a table or view in sqladvise's bundled catalog, an approximation of "
                    "Campus that lacks many of its tables. If your database has it, sqladvise does not know its "
                    "columns or its size: the estimate takes it as 1,000 rows, and a filter on it does not count "
                    "as a limit; if not, SQL Server stops with \"Invalid object name\".",
                    f"{guess}Check the name; if it is right, check with your district's own catalog (sqladvise "
                    "catalog pull, or catalog export-script), which knows every table.",
                    (relation.name,),
                    "info",
                )
            else:
                yield Hit(
                    span,
                    f"{relation.name} is not a table or view in {catalog.description}: SQL Server stops with "
                    f"\"Invalid object name '{relation.name}'\" before it reads a row.",
                    f"{guess}Correct the name; if the table was created after the catalog was exported, export "
                    "it again.",
                    (relation.name,),
                    "error",
                )


def _read_before_made(relation: m.Relation) -> str | None:
    """The CTE whose query reads this name, where a CTE of that name comes after it in the same
    WITH (WITH a AS (SELECT ... FROM b), b AS (...)): the name of the CTE that reads it."""
    reader = relation.node.find_ancestor(exp.CTE)
    while reader is not None:
        made = reader.parent
        if isinstance(made, exp.With):
            later = made.expressions[made.expressions.index(reader) + 1 :]
            if any(cte.alias.lower() == relation.name.lower() for cte in later):
                return reader.alias
        reader = reader.find_ancestor(exp.CTE)
    return None


def _cte_read_too_soon(relation: m.Relation, span: Span, reader: str) -> Hit:
    return Hit(
        span,
        f"{relation.name} is a CTE of this WITH that comes after {reader}, which reads it: a CTE can read only the "
        f"CTEs before it, and SQL Server stops with \"Invalid object name '{relation.name}'\" (error 208).",
        f"Write {relation.name} before {reader} in the WITH.",
        (relation.name,),
        "error",
    )


def _ended_cte(relation: m.Relation, span: Span, line: int) -> Hit:
    return Hit(
        span,
        f"{relation.name} is a CTE of the statement on line {line}, and a CTE lasts for the one statement its WITH "
        f"comes before: this statement cannot read it, and SQL Server stops with \"Invalid object name "
        f"'{relation.name}'\" (error 208).",
        f"Write the WITH again before this statement, or keep the rows in a temp table (SELECT ... INTO "
        f"#{relation.name}) that every statement after it can read.",
        (relation.name,),
        "error",
    )


@statement_rule("CL005")
def unknown_function(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for call in unqualified_calls(query.calls(exp.Anonymous)):
        span = query.span_of(call)
        if call.name.upper() in SQL_SERVERS or _ODBC_ESCAPE.search(query.lines.text, max(span.start - 8, 0), span.start):
            continue
        written = query.written(call).split("(", 1)[0].strip()
        name = written if written.strip('[]"').upper() == call.name.upper() else call.name  # as the author wrote it
        own = catalog.function(call.name)
        meant = closest_name(call.name, list(SQL_SERVERS)) if own is None else None
        if own is not None:
            advice = f"Write {own.schema}.{own.name}(...), as {catalog.description} has it."
        elif meant is not None:
            advice = f"Did you mean {meant}? Correct the name."
        else:
            advice = (f"If it is the district's own function, write its schema before its name: dbo.{name}(...). If "
                      "it is another database's, write the T-SQL function that does the same.")
        yield Hit(
            query.lines.span(span.start, span.start + len(name)),
            f"{name}() is not one of SQL Server's built-in functions, and SQL Server calls a database's own scalar "
            f"function only with its schema: as written, the statement stops with error 195 (\"'{name}' is not a "
            "recognized built-in function name\").",
            advice,
        )


def _in_this_database(relation: m.Relation) -> bool:
    """Not another database's object (HT003 names those) nor a system view."""
    node = relation.node
    return isinstance(node, exp.Table) and not node.catalog and node.db.lower() not in _SYSTEM_SCHEMAS


def closest_name(name: str, known: list[str]) -> str | None:
    """The known name most like a misspelt one: studnet for student."""
    by_lower = {candidate.lower(): candidate for candidate in known}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=_ALIKE)
    return by_lower[close[0]] if close else None
