"""What earlier statements of a script have defined: temp tables and table variables, with their
columns when the script says them and the one query that filled them, views the script creates,
the variables it declares, the database it USEs, and a trigger's inserted and deleted rows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.model import AddedKey, Fill, MadeTable, Query
from advisor.analysis.written import identifier_name
from advisor.catalog.model import View
from advisor.frontend.parse import Statement

# Statements whose header declares parameters: CREATE PROCEDURE p @schoolID int, @asOf date AS
# The statements whose header names parameters, which their body uses undeclared
ROUTINES = frozenset({"CREATE PROCEDURE", "ALTER PROCEDURE", "CREATE FUNCTION", "ALTER FUNCTION"})
_VARIABLE = re.compile(r"@[\w@#$]+")
_TRIGGERS = frozenset({"CREATE TRIGGER", "ALTER TRIGGER"})
# A trigger's body reads the rows its statement changed as these two tables, which no catalog lists.
_TRIGGER_TABLES = ("inserted", "deleted")
# ALTER TABLE #t ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE [CLUSTERED | NONCLUSTERED] (columns)
_ADDED_KEY = re.compile(r"\s*ALTER\s+TABLE\s+(\S+)\s+ADD\s+(?:CONSTRAINT\s+\S+\s+)?(PRIMARY\s+KEY|UNIQUE)"
                        r"(?:\s+(?:NON)?CLUSTERED)?\s*\(([^)]*)\)", re.IGNORECASE)
_KEY_COLUMN = re.compile(r"\s*(\[[^\]]*\]|[^\s,]+)[^,]*,?")  # one of the key's columns, ASC or DESC after it
# ALTER TABLE #t ADD b int, DROP COLUMN b, ALTER COLUMN b ...: a change to its columns, which
# sqladvise does not parse (ADD CONSTRAINT, PRIMARY KEY and the like leave them as they are)
_CHANGED_COLUMNS = re.compile(r"\s*ALTER\s+TABLE\s+(\S+)\s+(?:ADD\s+(?!(?:CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|"
                              r"DEFAULT|INDEX|PERIOD)\b)|DROP\s+COLUMN\b|ALTER\s+COLUMN\b)", re.IGNORECASE)
# EXEC sp_rename '#t.personID', 'pid', 'COLUMN': a temp table's column renamed, by any of the
# procedure's names (tempdb.sys.sp_rename) and with its arguments named or not
_RENAMED_COLUMN = re.compile(r"\s*EXEC(?:UTE)?\s+(?:\[?\w*\]?\.){0,2}\[?sp_rename\]?\s+(?:@objname\s*=\s*)?N?'(#[^.']+)\.",
                             re.IGNORECASE)
# What changes a table's columns, by the statement's keyword
_CHANGING_COLUMNS = {"ALTER": _CHANGED_COLUMNS, "EXEC": _RENAMED_COLUMN, "EXECUTE": _RENAMED_COLUMN}
# Statements that take rows away from a table or change which rows it holds, besides an INSERT
_REMOVE_ROWS = (exp.Delete, exp.Merge, exp.TruncateTable)
# The blocks a statement may not run in, or may run in many times
_CONDITIONAL = frozenset({"IF", "ELSE", "CATCH", "WHILE"})
# The bodies of routines: run when called, not where the script defines them
_ROUTINE_BODIES = frozenset({"PROCEDURE", "FUNCTION", "TRIGGER"})


class ScriptState:
    def __init__(self) -> None:
        self._tables: dict[str, list[str] | None] = {}
        self._made: dict[str, MadeTable] = {}  # each table made and not dropped since, by lower-case name
        # each temp table's or table variable's one fill so far; None once a statement takes rows
        # away, or the fill repeats in a loop: which rows it holds is then not known
        self._fills: dict[str, Fill | None] = {}
        # the statements that added rows to a table after its one fill: each an INSERT ... SELECT's
        # fill, or None for rows not known (VALUES, EXEC, a loop's)
        self._added: dict[str, list[Fill | None]] = {}
        # the fills as they stood before the routine body being read: what follows the body sees
        self._before_body: tuple[dict[str, Fill | None], dict[str, list[Fill | None]]] | None = None
        self._views: dict[str, View] = {}
        self.variables: set[str] = set()  # lower case, with their @: DECLAREd, or a procedure's or function's parameters
        # the variables that hold one constant (constants.py), set before the statement read now:
        # by lower-case name without the @
        self.constants: dict[str, exp.Expression] = {}
        self.database: str | None = None  # the latest USE's

    def columns(self, name: str) -> list[str] | None:
        return self._tables.get(name.lower())

    def keys(self, name: str) -> list[tuple[str, ...]]:
        made = self._made.get(name.lower())
        return [columns for _, columns in made.keys] if made is not None else []

    def made_as(self, name: str) -> MadeTable | None:
        """The table the script made by this name, as it made it: CREATE TABLE's columns and types."""
        return self._made.get(name.lower())

    def target(self, query: Query) -> MadeTable | None:
        """The table the script made that a statement INSERTs into, UPDATEs or indexes, as it was made."""
        tree = query.statement.tree
        if isinstance(tree, exp.Insert):
            name = inserted_into(tree)
        elif isinstance(tree, exp.Update):
            name = next((relation.name.lower() for relation in query.relations if relation.changed), None)
        elif isinstance(tree, exp.Create) and isinstance(tree.this, exp.Index):
            name = table_name(tree.this.args.get("table"))
        else:
            return None
        return self._made.get(name or "")

    def fill(self, name: str) -> Fill | None:
        """The one query whose rows the table holds, and no others."""
        return None if name.lower() in self._added else self._fills.get(name.lower())

    def added_key(self, statement: Statement, code: str) -> AddedKey | None:
        """The unique index or key a statement adds to a table, with the queries whose rows the
        table holds: the first that filled it and those of the INSERTs since whose rows are known;
        `code` is the script's text with its comments blanked."""
        added = _added_key(statement, code)
        if added is None:
            return None
        table, kind, columns, written_at = added
        first = self._fills.get(table)
        later = self._added.get(table, [])
        return AddedKey(table, kind, columns, (first, *(fill for fill in later if fill is not None)) if first is not None else (),
                        self._made.get(table), written_at)

    def made(self, name: str) -> bool:
        """Whether an earlier statement of the script creates the table: CREATE TABLE, SELECT INTO."""
        return name.lower() in self._tables

    def view(self, name: str) -> View | None:
        return self._views.get(name.lower())

    def enter(self, statement: Statement) -> None:
        """Before a statement is analysed: a routine's body is followed on its own, since what it
        does to a temp table happens when it is called, and the temp tables it makes are gone
        when it ends."""
        in_body = not _ROUTINE_BODIES.isdisjoint(statement.enclosing)
        if in_body and self._before_body is None:
            self._before_body = (dict(self._fills), {name: list(fills) for name, fills in self._added.items()})
        elif not in_body and self._before_body is not None:
            self._fills, self._added = self._before_body
            self._before_body = None

    def observe(self, statement: Statement, text: str, query: Query) -> None:
        """Learn from a statement that has just been analysed (`query`); `text` is the script's."""
        tree = statement.tree
        if isinstance(tree, exp.Drop):  # made again after, maybe otherwise: nothing known of it holds
            for name in {table_name(table) or "" for table in tree.find_all(exp.Table)}:
                for known in (self._made, self._fills, self._added):
                    known.pop(name, None)
        self._follow_fills(statement, query)
        if statement.keyword == "INSERT EXEC" and statement.detail:
            self._tables.setdefault(statement.detail.split("(")[0].lower(), None)
        if statement.keyword in ROUTINES:
            self.variables.update(name.lower() for name in _VARIABLE.findall(text, statement.span.start, statement.span.end))
        if statement.keyword in _TRIGGERS:
            for name in _TRIGGER_TABLES:
                self._tables.setdefault(name, None)
        changing = _CHANGING_COLUMNS.get(statement.keyword)
        changed = changing.match(text, statement.span.start, statement.span.end) if changing is not None else None
        if changed is not None:  # what its columns are now is not known
            name = changed.group(1).lower()
            if name in self._tables:
                self._tables[name] = None
            self._made.pop(name, None)
        if tree is None:
            return
        if isinstance(tree, exp.Use) and tree.this is not None:
            self.database = tree.this.name
        kind = str(tree.args.get("kind")).upper() if isinstance(tree, exp.Create) else None
        if kind == "VIEW":
            name = tree.this.this.name if isinstance(tree.this, exp.Schema) else tree.this.name  # CREATE VIEW v (a, b)
            definition = text[statement.span.start : statement.span.end]
            columns = view_column_list(tree) or [p.alias_or_name for p in tree.expression.selects]
            self._views[name.lower()] = View(name, definition, columns=tuple(columns))
        elif kind == "TABLE" or isinstance(tree, exp.Declare):
            self.variables.update("@" + target.name.lower() for target, _ in declared(tree))
            for name, schema in made_schemas(tree):
                columns = tuple(c for c in schema.expressions if isinstance(c, exp.ColumnDef))
                self._tables[name] = [c.name for c in columns]
                self._made[name] = MadeTable(name, statement.span.line, columns, tuple(_keys_of(schema)))
        else:
            # SELECT ... INTO #t: the INTO belongs to the statement's (first) query.
            select, into = first_select(tree), select_into(tree)
            name = table_name(into.this) if into is not None else None
            if name:
                self._tables[name] = None if select.is_star else [p.alias_or_name for p in select.expressions]
                block = next((b for b in query.blocks if b.node is select), None)
                self._made[name] = MadeTable(name, statement.span.line, None, selected=block)

    def _follow_fills(self, statement: Statement, query: Query) -> None:
        """The one query that fills a temp table or table variable (SELECT INTO, or the first
        INSERT ... SELECT after it is made), and whether another statement adds rows or takes some."""
        tree = statement.tree
        added: set[str | None] = set()
        if statement.keyword == "INSERT EXEC" and statement.detail:
            added.add(statement.detail.split("(")[0].lower())
        elif isinstance(tree, exp.Insert):
            added.add(inserted_into(tree))
        elif isinstance(tree, _REMOVE_ROWS):  # WITH d AS (SELECT ... FROM #t) DELETE FROM d too
            tables = {table_name(table) for table in tree.find_all(exp.Table)}
            emptied = _empties(tree, tables) and not _CONDITIONAL.intersection(statement.enclosing)
            for name in tables:
                if name is not None and name.startswith(("#", "@")):
                    if emptied:  # the next query to fill it is the one fill of what it holds
                        self._fills.pop(name, None)
                        self._added.pop(name, None)
                    else:
                        self._fills[name] = None
        filled = query.fills
        # the rows it puts there, where known: a loop's differ from pass to pass
        fill = None if filled is None or "WHILE" in statement.enclosing else _fill(tree, query, self._tables.get(filled))
        if filled is not None and filled not in self._fills:
            self._fills[filled] = fill
            added.discard(filled)
        for name in added - {None}:
            if name.startswith(("#", "@")):
                if self._fills.get(name) is None:
                    self._fills[name] = None  # rows before its first fill: that fill is not all it holds
                else:
                    self._added.setdefault(name, []).append(fill if name == filled else None)


def _empties(tree: exp.Expression, tables: set[str | None]) -> bool:
    """Whether the statement takes every row away: TRUNCATE TABLE, or a DELETE of one table
    with no WHERE (DELETE FROM @t, as a table variable cannot be truncated)."""
    return isinstance(tree, exp.TruncateTable) or (isinstance(tree, exp.Delete) and tree.args.get("where") is None
                                                   and len(tables) == 1)


def _fill(tree: exp.Expression, query: Query, made: list[str] | None) -> Fill | None:
    """The SELECT that fills the table, and the SELECT list name each of its columns takes: by
    name for a SELECT INTO, in order for an INSERT (its column list, or the table's columns as
    made). None for a UNION, or a SELECT whose list a star or an unknown column list hides."""
    select = tree.expression if isinstance(tree, exp.Insert) else tree
    block = next((b for b in query.blocks if b.node is select), None)
    if block is None or not isinstance(select, exp.Select) or any(p.star_of is not None for p in block.projections):
        return None
    names = [projection.name.lower() for projection in block.projections]
    if not isinstance(tree, exp.Insert):
        return Fill(block, {name: name for name in names}, query.statement.span.line)
    listed = tree.this.expressions if isinstance(tree.this, exp.Schema) else None
    columns = [column.name.lower() for column in listed] if listed else [c.lower() for c in made or []]
    return Fill(block, dict(zip(columns, names)), query.statement.span.line) if len(columns) == len(names) else None


def _added_key(statement: Statement, code: str) -> tuple[str, str, tuple[str, ...], tuple[int, ...]] | None:
    """A unique index or key a statement adds to a table (CREATE UNIQUE INDEX, ALTER TABLE ... ADD
    PRIMARY KEY or UNIQUE): the table's lower-case name, what is added, its columns, and for ALTER
    TABLE, which is read from the text, where each column is written."""
    tree = statement.tree
    if isinstance(tree, exp.Create) and tree.args.get("unique") and isinstance(tree.this, exp.Index):
        params = tree.this.args.get("params")
        columns = [ordered.this for ordered in (params.args.get("columns") or [])] if params is not None else []
        name = table_name(tree.this.args.get("table"))
        if name and columns and all(isinstance(c, exp.Column) for c in columns):
            return name, "UNIQUE INDEX", tuple(c.name for c in columns), ()
    elif statement.keyword == "ALTER":  # sqladvise does not parse ALTER TABLE
        added = _ADDED_KEY.match(code, statement.span.start, statement.span.end)
        if added is not None:
            written = [(found.group(1), found.start(1)) for found in _KEY_COLUMN.finditer(code, added.start(3), added.end(3))]
            return (added.group(1).lower(), " ".join(added.group(2).upper().split()),
                    tuple(name.strip("[]") for name, _ in written), tuple(at for _, at in written))
    return None


def filled_table(tree: exp.Expression | None) -> str | None:
    """The temp table or table variable a statement fills with a query's rows (SELECT ... INTO #t,
    INSERT INTO #t SELECT ..., INSERT INTO @t SELECT ...), by lower-case name with its # or @."""
    if isinstance(tree, exp.Insert) and isinstance(tree.expression, exp.Query):
        name = inserted_into(tree)
    else:
        into = select_into(tree)
        name = table_name(into.this if into is not None else None)
    return name if name and name.startswith(("#", "@")) else None


def declared(tree: exp.Expression | None) -> Iterator[tuple[exp.Expression, exp.Expression]]:
    """Each variable a DECLARE declares, with its declaration (its type, its default value)."""
    for item in tree.expressions if isinstance(tree, exp.Declare) else ():
        for variable in item.this if isinstance(item.this, list) else [item.this]:
            yield variable, item


def assignments(tree: exp.Expression | None) -> Iterator[tuple[exp.Parameter, exp.Expression]]:
    """Each variable a statement sets, with its value: DECLARE @year int = ..., SET @year = ...,
    SELECT @year = ...."""
    for variable, item in declared(tree):
        default = item.args.get("default")
        if isinstance(variable, exp.Parameter) and isinstance(default, exp.Expression):
            yield variable, default
    if isinstance(tree, (exp.Set, exp.Select)):
        for item in tree.expressions:
            item = item.this if isinstance(item, exp.SetItem) else item
            if isinstance(item, exp.EQ) and isinstance(item.this, exp.Parameter) and isinstance(item.expression, exp.Expression):
                yield item.this, item.expression


def declared_types(statements: list[Statement]) -> dict[str, str]:
    """The type of every variable the statements DECLARE, by lower-case name without the @, as
    SQL Server spells it (int, not integer)."""
    found = {}
    for statement in statements:
        for variable, item in declared(statement.tree):
            kind = item.args.get("kind")
            if isinstance(kind, exp.DataType) and isinstance(variable, exp.Parameter):
                found[variable.name.lower()] = kind.sql("tsql").lower().replace("integer", "int")
    return found


def _keys_of(schema: exp.Schema) -> list[tuple[str, tuple[str, ...]]]:
    """sqlglot writes a key on a column as its constraint, and one on the table as an item of the
    schema: PRIMARY KEY (a, b), CONSTRAINT name PRIMARY KEY CLUSTERED (a), UNIQUE (a)."""
    keys = []
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            kinds = [type(c.args.get("kind")) for c in item.args.get("constraints") or []]
            keys += [(_KEY_KINDS[kind], (item.name,)) for kind in kinds if kind in _KEY_KINDS]
        elif (kind := _key_kind(item)) is not None:
            keys.append((_KEY_KINDS[kind], tuple(dict.fromkeys(n.name for n in _key_columns(item)))))
    return keys


def _key_kind(item: exp.Expression) -> type[exp.Expression] | None:
    return next((k for k in _KEY_KINDS if isinstance(item, k) or item.find(k)), None)


def _key_columns(item: exp.Expression) -> list[exp.Expression]:
    """The names of the columns a key that is an item of a table's schema is on: not the
    constraint's own name."""
    named = item.this if isinstance(item, exp.Constraint) else None
    return [n for n in item.find_all(exp.Column, exp.Identifier) if n is not named and not isinstance(n.parent, exp.Column)]


def indexed_columns(tree: exp.Expression | None) -> list[exp.Expression]:
    """The columns a statement puts an index or a key on, as written: CREATE INDEX's and its
    INCLUDE's; a table's own keys, for CREATE TABLE and DECLARE @t TABLE. (ALTER TABLE is not
    parsed: its keys are read from its text, added_key.)"""
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Index):
        parameters = tree.this.args.get("params")
        if parameters is None:
            return []
        return [*(o.this if isinstance(o, exp.Ordered) else o for o in parameters.args.get("columns") or []),
                *(parameters.args.get("include") or [])]
    return [name for _, schema in made_schemas(tree) for item in schema.expressions
            if not isinstance(item, exp.ColumnDef) and _key_kind(item) is not None for name in _key_columns(item)]


_KEY_KINDS = {exp.PrimaryKey: "PRIMARY KEY", exp.PrimaryKeyColumnConstraint: "PRIMARY KEY", exp.UniqueColumnConstraint: "UNIQUE"}


def made_schemas(tree: exp.Expression | None) -> Iterator[tuple[str, exp.Schema]]:
    """CREATE TABLE #t (...) and DECLARE @t TABLE (...): each table's lower-case name and columns."""
    if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE" and isinstance(tree.this, exp.Schema):
        name = table_name(tree.this.this)
        if name:
            yield name, tree.this
    for variable, item in declared(tree):
        if isinstance(item.args.get("kind"), exp.Schema):
            yield "@" + variable.name.lower(), item.args["kind"]


def view_column_list(tree: exp.Expression | None) -> list[str] | None:
    """The names CREATE VIEW v (a, b) AS ... lists for its columns, if it lists them."""
    made = tree.this if isinstance(tree, exp.Create) else None
    return [name.name for name in made.expressions] if isinstance(made, exp.Schema) and made.expressions else None


def first_select(node: exp.Expression | None) -> exp.Expression | None:
    """A query's first SELECT: itself, or its UNION's first arm, through parentheses."""
    while isinstance(node, exp.SetOperation):
        node = node.this.unnest()
    return node


def select_into(tree: exp.Expression | None) -> exp.Into | None:
    """SELECT ... INTO #t: the INTO of a statement's first query."""
    select = first_select(tree)
    return select.args.get("into") if isinstance(select, exp.Select) else None


def inserted_into(tree: exp.Insert) -> str | None:
    """The table an INSERT puts its rows in, by lower-case name (#t, @t, or dbo.Staging's Staging)."""
    return table_name(named_table(tree))


def named_table(tree: exp.Expression) -> exp.Expression:
    """The table or view an INSERT, MERGE, CREATE or ALTER names, without the column list that
    INSERT INTO #t (a, b) or CREATE TABLE #t (...) gives it."""
    return tree.this.this if isinstance(tree.this, exp.Schema) else tree.this


def table_name(table: exp.Expression | None) -> str | None:
    """A table's lower-case name as a script refers to it: #t, @t, or dbo.Staging's Staging."""
    if not isinstance(table, exp.Table):
        return None
    identifier = table.this
    if isinstance(identifier, exp.Identifier):
        return identifier_name(identifier).lower()
    if isinstance(identifier, exp.Parameter):
        return ("@" + identifier.name).lower()
    return None
