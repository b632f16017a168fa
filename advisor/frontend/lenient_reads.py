"""What sqlglot reads in a statement's tree and SQL Server rejects as written: a SELECT with no
columns, EXISTS of no subquery or compared as a value, IS with a value or NOT NULL without IS, a
ranking or offset function without OVER (ORDER BY ...), DISTINCT in a window's aggregate,
PERCENTILE_CONT without OVER, TOP WITH TIES without ORDER BY, TOP with OFFSET, a CROSS JOIN with
an ON, a derived table without its alias, two strings with no comma between, a misspelt type or
table hint, SELECT ... INTO a table variable or in a UNION's later query, a SELECT that sets
variables and returns columns, a column named twice, two rows of VALUES with no comma between, a
PIVOT without its name, BETWEEN without its AND, a list of values where one must be, a column
named with a variable, AS and a type in parentheses that call nothing."""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from advisor.frontend.conditions import COMPARED, holder_of
from advisor.frontend.dialect import unwritten_select
from advisor.frontend.known_names import TYPES, misspelt_type, unknown_table_hint
from advisor.frontend.positions import node_bounds, text_bounds
from advisor.frontend.repairs import matching_parenthesis
from advisor.frontend.type_sizes import check_type_size
from advisor.frontend.wrong_tree import WrongTree, spanning

# The window functions SQL Server runs only over rows in an order: OVER (ORDER BY ...)
ORDERED_WINDOWS = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.PercentRank, exp.CumeDist, exp.Lag, exp.Lead,
                   exp.FirstValue, exp.LastValue)
STRINGS = (TokenType.STRING, TokenType.NATIONAL_STRING)
# The functions that SQL Server runs only as window functions, with WITHIN GROUP (ORDER BY ...)
_WINDOWED_ONLY = (exp.PercentileCont, exp.PercentileDisc)
# Where one value must stand: compared, or returned as a column
_AS_A_VALUE = (*COMPARED, exp.Select, exp.Alias)
_OPENED_VALUES = re.compile(r"\(\s*VALUES\s*\Z", re.IGNORECASE)


def check_lenient_reads(nodes: list[exp.Expression], tokens: list[Token], words: list[str], text: str) -> None:
    """The module's checks, over the nodes of the kinds they look at (found by check_tree in the
    one walk of the tree it makes for its own checks too)."""
    if "SELECT" in words and any(isinstance(s, exp.Select) and not s.expressions for s in nodes):
        selects = [token for token, word in zip(tokens, words) if word == "SELECT"]  # which one, where there is one
        raise WrongTree("a SELECT with no columns: SQL Server rejects it; name the columns it returns",
                        (selects[0].start, selects[0].end + 1) if len(selects) == 1 else None)
    if sum(isinstance(node, exp.Is) for node in nodes) > words.count("IS"):  # WHERE e.endDate NOT NULL: read as IS NOT NULL
        at = next((at for at in range(1, len(words) - 1) if words[at : at + 2] == ["NOT", "NULL"] and words[at - 1] != "IS"),
                  None)
        raise WrongTree("a test for NULL needs IS, e.endDate IS NOT NULL: SQL Server rejects it without",
                        (tokens[at].start, tokens[at + 1].end + 1) if at is not None else None)
    betweens = sum(isinstance(node, exp.Between) for node in nodes)
    if betweens and words.count("AND") < betweens + sum(isinstance(node, exp.And) for node in nodes):
        # a.date BETWEEN @from '2026-06-05': sqlglot reads the AND that is not there
        raise WrongTree("BETWEEN needs AND between its two ends, BETWEEN @from AND @to: SQL Server rejects it without",
                        _word_bounds(tokens, words, "BETWEEN") if betweens == 1 else None)
    for node in nodes:
        if isinstance(node, exp.Exists):
            _check_exists(node, tokens, text)
        if isinstance(node, exp.Is) and not isinstance(node.expression, exp.Null):
            raise WrongTree("IS takes only NULL (IS NULL, IS NOT NULL): to compare with a value, write = or <>",
                            text_bounds(node, text))
        if isinstance(node, ORDERED_WINDOWS):
            _check_window_order(node, text)
        if isinstance(node, exp.Window) and isinstance(node.this, exp.AggFunc) and isinstance(node.this.this, exp.Distinct):
            name = called_name(node.this)
            raise WrongTree(f"{name}(DISTINCT ...) with OVER: SQL Server rejects DISTINCT in a window's aggregate (error "
                            f"10759). Count the distinct values in a grouped query joined back on the partition's columns, "
                            f"or as DENSE_RANK() OVER (PARTITION BY ... ORDER BY x) + DENSE_RANK() OVER (PARTITION BY ... "
                            f"ORDER BY x DESC) - 1 (a NULL counts as a value there)", text_bounds(node.this, text))
        if (isinstance(node, exp.WithinGroup) and isinstance(node.this, _WINDOWED_ONLY)
                and not isinstance(node.parent, exp.Window)):
            name = called_name(node.this)
            raise WrongTree(f"{name} needs OVER after its WITHIN GROUP, OVER (PARTITION BY ...) or OVER (): SQL Server "
                            f"runs it only over a window of rows and rejects it without (error 10753)", text_bounds(node, text))
        if isinstance(node, exp.Join) and node.kind == "CROSS" and node.args.get("on") is not None:
            raise WrongTree("a CROSS JOIN takes no ON, and SQL Server rejects it: write INNER JOIN ... ON to match rows, or "
                            "leave the ON out to pair every row", text_bounds(node, text))
        if isinstance(node, (exp.From, exp.Join)) and (unnamed := _unnamed_derived_table(node.this)) is not None:
            where = text_bounds(unnamed, text)
            if where and isinstance(unnamed, exp.Values):  # sqlglot keeps where its rows are, not (VALUES ... )
                opened = _OPENED_VALUES.search(text, 0, where[0])
                closed = text.find(")", where[1])
                where = (opened.start() if opened else where[0], closed + 1 if closed >= 0 else where[1])
            raise WrongTree("a query or VALUES in a FROM or APPLY needs a name, (SELECT ...) AS x: SQL Server rejects it "
                            "without", where)
        if isinstance(node, exp.DataType):
            if node.this == exp.DataType.Type.USERDEFINED:
                _check_type_name(str(node.args.get("kind") or ""), tokens)
            else:
                check_type_size(node, text)
        if isinstance(node, exp.WithTableHint):
            _check_table_hints(node, tokens)
        if isinstance(node, exp.Select):
            _check_select_shape(node, tokens, words, text)
        if isinstance(node, exp.Schema):
            _check_column_names(node, text)
        if isinstance(node, exp.Tuple) and isinstance(holder_of(node), _AS_A_VALUE):
            # (x.excuse, a.excuse) = 'U', its ISNULL deleted: sqlglot reads a row of values
            raise WrongTree("a list of values in parentheses where one value must be: SQL Server rejects it; is a "
                            "function's name missing before the parenthesis?", text_bounds(node, text))
        if isinstance(node, exp.Tuple) and isinstance(node.parent, exp.In) and node.parent.this is node:
            # (e.personID, e.calendarID) IN (SELECT ...): other databases compare rows of values
            matched = " AND ".join(f"... = {item.sql('tsql')}" for item in node.expressions)
            raise WrongTree(f"IN compares one value: SQL Server has no rows of values such as {node.sql('tsql')} and "
                            f"rejects it; write EXISTS (SELECT 1 FROM ... WHERE {matched})",
                            _parenthesized(text_bounds(node, text), text))
        if isinstance(node, exp.Paren) and isinstance(node.this, exp.Alias) and node.this.alias.upper() in TYPES:
            # (SUBSTRING(n, 2, 3) AS int): its CAST deleted
            raise WrongTree("AS and a type inside parentheses that call nothing: SQL Server rejects it; is CAST missing "
                            "before them, CAST(x AS int)?", _parenthesized(text_bounds(node, text), text))
        if isinstance(node, exp.Pivot) and not node.alias:
            word = "an UNPIVOT" if node.args.get("unpivot") else "a PIVOT"
            raise WrongTree(f"{word} needs a name after its parentheses, {word.split()[1]} (...) AS pv: SQL Server rejects "
                            "it without", _keyword_bounds(word.split()[1], text_bounds(node, text), tokens))
        if isinstance(node, exp.Values) and (rows := node.args.get("alias")) is not None and not rows.this and rows.columns:
            # INSERT ... VALUES (1, 2) (3, 4): sqlglot reads the second row as the first's column names
            raise WrongTree("a comma is missing between two rows of VALUES: SQL Server rejects them without",
                            text_bounds(rows.columns[0], text))
        if isinstance(node, exp.Values) and (uneven := _uneven_row(node)) is not None:
            row, first = uneven
            raise WrongTree(f"each row of VALUES needs as many values as the first, {first}: this one has "
                            f"{len(row.expressions)}, and SQL Server rejects them (error 10709)",
                            _parenthesized(text_bounds(row, text), text))
        if type(node) is exp.Concat and not node.args.get("safe") and not isinstance(node.parent, exp.Select):
            # '09' '10': sqlglot joins strings written side by side, which SQL Server takes only as a
            # SELECT list's value and its name
            second = next((b for a, b in zip(tokens, tokens[1:]) if a.token_type in STRINGS and b.token_type in STRINGS
                           and b.text == node.expressions[1].name), None)
            raise WrongTree("nothing between two strings: SQL Server rejects it; a comma is missing, or a + to join them",
                            (second.start, second.end + 1) if second else None)


def _uneven_row(values: exp.Values) -> tuple[exp.Tuple, int] | None:
    """The first row of a VALUES list with a different number of values from the first row, and
    the first row's number."""
    widths = [(row, len(row.expressions)) for row in values.expressions if isinstance(row, exp.Tuple)]
    return next(((row, widths[0][1]) for row, width in widths[1:] if width != widths[0][1]), None)


def _check_exists(exists: exp.Exists, tokens: list[Token], text: str) -> None:
    """EXISTS takes a subquery, and is a condition: SQL Server has no true or false value to compare
    or return (EXISTS (...) = 1, SELECT EXISTS (...)); not an IF's condition (unwritten_select)."""
    if not isinstance(exists.this, exp.Query):
        raise WrongTree("EXISTS takes a subquery, EXISTS (SELECT ...), and SQL Server rejects anything else",
                        text_bounds(exists, text))
    holder = holder_of(exists)
    if isinstance(holder, _AS_A_VALUE) and not unwritten_select(holder, tokens):
        raise WrongTree("EXISTS is a condition, not a value: SQL Server rejects it compared or returned; write WHERE "
                        "EXISTS (...) alone, or CASE WHEN EXISTS (...) THEN 1 ELSE 0 END for a value",
                        _keyword_bounds("EXISTS", text_bounds(exists.this, text), tokens))


def _parenthesized(bounds: tuple[int, int] | None, text: str) -> tuple[int, int] | None:
    """These bounds with the parentheses around them, which sqlglot keeps no place for."""
    if bounds is None:
        return None
    before = len(text[: bounds[0]].rstrip()) - 1
    after = len(text) - len(text[bounds[1] :].lstrip())
    return (before, after + 1) if text[before : before + 1] == "(" and text[after : after + 1] == ")" else bounds


def _keyword_bounds(keyword: str, inside: tuple[int, int] | None, tokens: list[Token]) -> tuple[int, int] | None:
    """From a keyword to the ) that closes the parentheses after it, around what is `inside`
    them: EXISTS (SELECT ...), PIVOT (...), whose keyword and parentheses sqlglot keeps no
    position for."""
    if inside is None:
        return None
    at = next((at for at in range(len(tokens) - 2, -1, -1)
               if tokens[at].start < inside[0] and tokens[at].text.upper() == keyword), None)
    closing = matching_parenthesis(tokens, at + 1) if at is not None else None
    return spanning(tokens[at], tokens[closing]) if closing is not None else None


def _check_type_name(name: str, tokens: list[Token]) -> None:
    why = misspelt_type(name)
    if why is not None:
        raise _unknown_name(why, name, tokens)


def _check_table_hints(hints: exp.WithTableHint, tokens: list[Token]) -> None:
    for hint in hints.expressions:
        why = unknown_table_hint(hint.name) if isinstance(hint, (exp.Var, exp.Anonymous, exp.Column)) else None
        if why is not None:
            raise _unknown_name(why, hint.name, tokens)


def _unknown_name(why: str, name: str, tokens: list[Token]) -> WrongTree:
    """A name SQL Server does not know, pointed at where it is first written."""
    named = next((t for t in tokens if t.text.upper() == name.upper()), None)
    return WrongTree(why, (named.start, named.end + 1) if named else None)


def _named_with_table(item: exp.Expression, text: str) -> bool:
    """SELECT e.grade = '09': the name = value way of naming a column, with a table's name before the
    name, which sqlglot reads as the name alone."""
    alias = item.args.get("alias") if isinstance(item, exp.Alias) else None
    named = node_bounds(alias) if isinstance(alias, exp.Identifier) else None
    if named is None or _table_before(named[0], text) == named[0]:  # most names: no dot before them
        return False
    value = node_bounds(item.this)
    return value is not None and named[0] < value[0]


def _table_before(start: int, text: str) -> int:
    """Where a name that starts at `start` really starts: at the table's name before it and its dot
    (e.grade, e.[grade], [e] . grade), if any."""
    dot = start - 1 if text[start - 1 : start] in ("[", '"') else start
    dot = _skip_blanks(text, dot - 1)
    if dot < 0 or text[dot] != ".":
        return start
    end = _skip_blanks(text, dot - 1)
    if text[end : end + 1] in ("]", '"'):
        opened = text.rfind("[" if text[end] == "]" else '"', 0, end)
        return opened if opened >= 0 else start
    begin = end
    while begin >= 0 and (text[begin].isalnum() or text[begin] in "_#@$"):
        begin -= 1
    return begin + 1 if begin < end else start


def _skip_blanks(text: str, at: int) -> int:
    """The last place at or before `at` that is not a blank (-1 if none)."""
    while at >= 0 and text[at].isspace():
        at -= 1
    return at


def _check_select_shape(select: exp.Select, tokens: list[Token], words: list[str], text: str) -> None:
    """SELECT ... INTO a table variable, which only INSERT fills, or in a UNION's later query; a
    column named with a variable; a TOP that is not a whole number, with OFFSET, or WITH TIES
    without an ORDER BY; a SELECT that both sets variables and returns columns."""
    made = select.args.get("into")
    if made is not None and isinstance(made.this, exp.Table) and isinstance(made.this.this, exp.Parameter):
        name = made.this.this.name
        raise WrongTree(f"SELECT ... INTO makes a new table, and cannot fill the table variable @{name}: SQL Server "
                        f"rejects it; write INSERT INTO @{name} SELECT ... instead", _word_bounds(tokens, words, "INTO"))
    named = None if unwritten_select(select, tokens) else next(
        (item for item in select.expressions if isinstance(item, exp.Alias) and isinstance(item.args.get("alias"), exp.Parameter)),
        None)
    if named is not None:  # SELECT a, b @list: its FROM deleted
        raise WrongTree(f"a column cannot be named with a variable, @{named.alias}: SQL Server rejects it; is a FROM or "
                        f"a comma missing before it, or SELECT @{named.alias} = ... meant?", text_bounds(named, text))
    qualified = next((item for item in select.expressions if _named_with_table(item, text)), None)
    if qualified is not None:
        end = (text_bounds(qualified, text) or node_bounds(qualified))[1]  # its name has a place: it has bounds
        start = _table_before(node_bounds(qualified.args["alias"])[0], text)
        written = text[start:end]
        raise WrongTree(f"{written}: a column's name given as name = value stands alone, and SQL Server rejects one with "
                        f"its table's name before it; to return whether it is true, write CASE WHEN {written} THEN 1 ELSE "
                        "0 END AS name", (start, end))
    top = select.args.get("limit")
    rows = top.expression.unnest() if isinstance(top, exp.Limit) and top.expression is not None else None
    options = top.args.get("limit_options") if isinstance(top, exp.Limit) else None
    if (isinstance(rows, exp.Literal) and not rows.is_string and not rows.name.isdigit()
            and not (options is not None and options.args.get("percent"))):
        raise WrongTree(f"TOP {rows.name} is not a whole number of rows, and SQL Server rejects it (error 1060): TOP takes "
                        "a whole number, or a share with PERCENT (TOP 0.5 PERCENT)", text_bounds(rows, text))
    if isinstance(top, exp.Limit) and select.args.get("offset") is not None and "TOP" in words:  # not LIMIT's
        raise WrongTree("TOP and OFFSET in one query: SQL Server rejects it (error 10741); write OFFSET n ROWS FETCH NEXT "
                        "m ROWS ONLY for the rows after the first n, or TOP alone", _word_bounds(tokens, words, "TOP"))
    if made is not None and isinstance(select.parent, exp.SetOperation) and select.arg_key == "expression":
        raise WrongTree("INTO in a later query of a UNION, EXCEPT or INTERSECT: SQL Server takes it only in the first "
                        "one, and rejects it here (error 196); move INTO to the first SELECT",
                        _word_bounds(tokens, words, "INTO", last=True))
    if options is not None and options.args.get("with_ties") and not select.args.get("order"):
        raise WrongTree("TOP ... WITH TIES needs an ORDER BY: the ties it adds are rows equal to the last in that order, "
                        "and SQL Server rejects it without (error 1062)", _word_bounds(tokens, words, "TIES"))
    setting = [isinstance(item, exp.EQ) and isinstance(item.this, exp.Parameter) for item in select.expressions]
    if any(setting) and not all(setting):
        returned = select.expressions[setting.index(False)]
        raise WrongTree("a SELECT that sets variables (@x = ...) cannot also return columns: SQL Server rejects it (error "
                        "141); set the variables in a SELECT of their own", text_bounds(returned, text))


def _check_column_names(columns: exp.Schema, text: str) -> None:
    """A table's columns, or those an INSERT fills, with one name twice (errors 2705, 264); a
    column of a new table or table variable without its type (CREATE TABLE #t (personID)), which
    a view's list of names has none of."""
    made = isinstance(columns.parent, exp.DeclareItem) or (
        isinstance(columns.parent, exp.Create) and str(columns.parent.args.get("kind")).upper() == "TABLE")
    seen: set[str] = set()
    for column in columns.expressions:
        untyped = isinstance(column, (exp.Identifier, exp.Anonymous)) or (  # personID, schoolNumber (10)
            isinstance(column, exp.ColumnDef) and not (column.args.get("kind") or column.find(exp.ComputedColumnConstraint)))
        if made and untyped:
            raise WrongTree(f"the column {column.name} has no type: SQL Server rejects it; write {column.name} int, or "
                            "the type it holds", text_bounds(column, text))
        name = column.name.lower() if isinstance(column, (exp.ColumnDef, exp.Identifier)) else ""
        if name in seen:
            named = column.this if isinstance(column, exp.ColumnDef) else column
            raise WrongTree(f"the column {column.name} is named twice here: SQL Server rejects it",
                            text_bounds(named, text))
        if name:
            seen.add(name)


def _word_bounds(tokens: list[Token], words: list[str], word: str, last: bool = False) -> tuple[int, int] | None:
    """Where a word first (or last) is in the statement, if it is."""
    at = (len(words) - 1 - words[::-1].index(word) if last else words.index(word)) if word in words else None
    return (tokens[at].start, tokens[at].end + 1) if at is not None else None


def _unnamed_derived_table(source: exp.Expression) -> exp.Expression | None:
    """A query or VALUES read from without the alias SQL Server requires; not a table, a function,
    or joins in parentheses, FROM (Person p JOIN Enrollment e ON ...)."""
    if isinstance(source, exp.Lateral):  # APPLY: the alias can be the APPLY's or its subquery's
        return None if source.alias else _unnamed_derived_table(source.this)
    unnamed = isinstance(source, exp.Values) or (isinstance(source, exp.Subquery) and isinstance(source.this, exp.Query))
    return source if unnamed and not source.alias else None


def _check_window_order(function: exp.Expression, text: str) -> None:
    """ROW_NUMBER(), LAG(x) and the like are run over the rows in an order: OVER (ORDER BY ...);
    all but FIRST_VALUE and LAST_VALUE take no frame of rows around each one (ROWS, RANGE)."""
    window = function.parent.parent if isinstance(function.parent, (exp.IgnoreNulls, exp.RespectNulls)) else function.parent
    if isinstance(window, exp.Window) and window.args.get("order"):
        if window.args.get("spec") and not isinstance(function, (exp.FirstValue, exp.LastValue)):
            raise WrongTree(f"{called_name(function)} takes no ROWS or RANGE frame in its OVER, and SQL Server rejects "
                            "one (error 10752): it numbers or reads rows by their order alone; leave the frame out",
                            text_bounds(window, text))
        return
    name = called_name(function)
    if not isinstance(window, exp.Window):
        raise WrongTree(f"{name} needs OVER (ORDER BY ...), and SQL Server rejects it without: the rows have no "
                        "order for it otherwise", text_bounds(function, text))
    raise WrongTree(f"{name}'s OVER needs an ORDER BY, and SQL Server rejects it without: the rows have no "
                    "order for it otherwise", text_bounds(window, text))


def called_name(function: exp.Expression) -> str:
    """A function's name as SQL Server writes it (ROW_NUMBER, LAG): for a message, not a hot path,
    as sqlglot writes the whole call to give it."""
    return function.sql("tsql").split("(")[0]
