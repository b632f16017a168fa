"""Names given twice where SQL Server takes each once: a column set twice in one SET (error 264),
sorted by twice in one ORDER BY (169), two tables of one name in a FROM (1011, 1013), a procedure's
argument named twice (8143). sqlglot reads them all; SQL Server refuses the statement before it
runs. An EXEC's argument by position after one by name (119) is checked with its names."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree


def check_given_twice(tree: exp.Expression, nodes: list[exp.Expression], text: str) -> None:
    """The module's checks over the statement's tree and the nodes check_tree found in its one walk
    of it (queries, ORDER BYs, UPDATEs among them)."""
    if isinstance(tree, exp.Execute):
        _check_exec_arguments(tree, text)
    for node in nodes:
        if isinstance(node, exp.Update):
            _check_set_columns(node, text)
        elif isinstance(node, exp.Order) and isinstance(node.parent, exp.Query):
            _check_order_columns(node, text)
        elif isinstance(node, exp.Select):
            _check_table_names(node, text)


def _check_exec_arguments(call: exp.Execute, text: str) -> None:
    """A procedure's arguments by position come before those by name (EXEC p @year = 2027, 14 is
    error 119), and each name is given once (error 8143)."""
    named: set[str] = set()
    for argument in call.expressions:
        given = argument.this if isinstance(argument, exp.Alias) else argument  # @rows = @n OUTPUT
        name = given.this.name.lower() if isinstance(given, exp.EQ) and isinstance(given.this, exp.Parameter) else None
        if name is None and named:
            where = text_bounds(argument, text)
            written = text[where[0] : where[1]] if where else "an argument"
            raise WrongTree(f"{written} is given by position after an argument given by name, and SQL Server rejects it "
                            "(error 119): once one is @name = value, so is each after it", where)
        if name in named:
            raise WrongTree(f"@{given.this.name} is given twice, and SQL Server rejects it (error 8143): give it once",
                            text_bounds(argument, text))
        if name is not None:
            named.add(name)


def _check_set_columns(update: exp.Update, text: str) -> None:
    """An UPDATE's SET (a MERGE's too) gives each column one value: UPDATE #t SET a = 1, a = 2 is
    error 264. @v = e.absences = 0 sets the column as well as the variable."""
    seen: set[str] = set()
    for assignment in update.expressions:
        if not isinstance(assignment, exp.EQ):
            continue
        column = assignment.expression if isinstance(assignment.this, exp.Parameter) else assignment.this
        if isinstance(column, exp.EQ):
            column = column.this
        if not isinstance(column, exp.Column):
            continue
        if column.name.lower() in seen:
            raise WrongTree(f"the column {column.name} is set twice in one SET, and SQL Server rejects it (error 264): "
                            "give it one value", text_bounds(column, text))
        seen.add(column.name.lower())


def _check_order_columns(order: exp.Order, text: str) -> None:
    """A query's ORDER BY names each column once (e.grade, e.grade DESC is error 169); by its
    number in the SELECT list too."""
    seen: set[str] = set()
    for ordered in order.expressions:
        value = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        if not (isinstance(value, exp.Column) or (isinstance(value, exp.Literal) and value.name.isdigit())):
            continue
        key = f"{value.table}.{value.name}".lower() if isinstance(value, exp.Column) else value.name
        if key in seen:
            raise WrongTree("this ORDER BY names the same column twice, and SQL Server rejects it (error 169): keep the "
                            "first", text_bounds(ordered, text))
        seen.add(key)


def _check_table_names(select: exp.Select, text: str) -> None:
    """The tables of one FROM, joined or listed, each go by a name of their own: an alias, or the
    table's name where it has none. FROM Enrollment e JOIN Person e is error 1011; Enrollment
    twice without aliases, error 1013."""
    seen: set[str] = set()
    for source in _sources(select):
        aliased = bool(source.alias)
        # unaliased, a table goes by its name as written: dbo.Person and other.Person differ
        name = (source.alias if aliased or not isinstance(source, exp.Table) else ".".join(p.name for p in source.parts))
        if not name:
            continue
        if name.lower() in seen:
            error = "1011" if aliased else "1013"
            raise WrongTree(f"two tables of this FROM go by the name {source.alias_or_name}, and SQL Server rejects it "
                            f"(error {error}): give each an alias of its own", text_bounds(
                                source.args["alias"] if aliased else source, text))
        seen.add(name.lower())


def _sources(select: exp.Select) -> Iterator[exp.Expression]:
    """The tables, derived tables and functions a SELECT's FROM names, joins or lists after a comma."""
    from_ = select.args.get("from_")
    if from_ is not None:
        yield from_.this
    for join in select.args.get("joins") or []:
        yield join.this
