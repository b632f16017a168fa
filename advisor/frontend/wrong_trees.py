"""Trees sqlglot returns that are wrong: statements SQL Server rejects or reads otherwise.

sqlglot reads many dialects and forgives much that SQL Server does not: a statement cut short,
a bit column where a condition must be, DATEADD with two arguments, another database's LIMIT. It
returns a tree for them, and sqladvise would advise on a query that never runs. Each is refused
here with the reason and its place, and becomes the statement's parse finding.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from advisor.frontend.arguments import ARGUMENTS, check_call, depths
from advisor.frontend.conditions import (
    LOOKED_AT,
    condition_as_value,
    condition_for_value,
    not_a_condition,
    value_for_condition,
)
from advisor.frontend.empty_items import check_empty_items
from advisor.frontend.foreign import foreign
from advisor.frontend.given_twice import check_given_twice
from advisor.frontend.known_names import (
    RESERVED,
    TYPES,
    misspelt_system_value,
)
from advisor.frontend.lenient_reads import ORDERED_WINDOWS, STRINGS, check_lenient_reads
from advisor.frontend.positions import text_bounds
from advisor.frontend.query_options import check_query_options
from advisor.frontend.recursive_ctes import check_ctes
from advisor.frontend.repairs import matching_parenthesis
from advisor.frontend.reserved_names import (
    NAMING,
    check_bare_columns,
    check_names_after_dots,
    check_reserved_names,
    named_after_as,
)
from advisor.frontend.wrong_tree import WrongTree, spanning

# Words no statement ends with: what follows them is missing (SELECT a FROM t GROUP BY, SET). Not
# VALUES, which ends INSERT ... DEFAULT VALUES.
_NEEDS_MORE = frozenset(
    {"SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "AND", "OR", "NOT", "JOIN", "ON", "AS", "SET",
     "IN", "LIKE", "BETWEEN", "IS", "INTO", "UNION", "EXCEPT", "INTERSECT", "CASE", "WHEN", "THEN",
     "DISTINCT", "TOP", "BY", "APPLY", "DECLARE", "EXEC", "EXECUTE", "WITH", "EXISTS"}
)
# Tokens no statement ends with either: DECLARE @from date =, the item after a comma
_COMPARISONS = frozenset({TokenType.EQ, TokenType.NEQ, TokenType.GT, TokenType.GTE, TokenType.LT, TokenType.LTE})
_OPERATORS_NEEDING_MORE = _COMPARISONS | {TokenType.COMMA, TokenType.PLUS, TokenType.DASH, TokenType.SLASH, TokenType.MOD}


# What SQL Server takes an ORDER BY in: a query, a window (OVER), a WITHIN GROUP (STRING_AGG's
# reads as GroupConcat). sqlglot also reads one in a call's parentheses, as other databases take it.
_ORDERED = (exp.Query, exp.Window, exp.WithinGroup, exp.GroupConcat)
# What SQL Server folds into one constant: values written out, and arithmetic or a CASE of them.
# Not a variable, a function or a subquery: ORDER BY (SELECT NULL) is accepted, and asks for no order.
_FOLDED = (exp.Literal, exp.Null, exp.Boolean, exp.Paren, exp.Binary, exp.Unary, exp.Case, exp.If)
# The clauses that can follow a SELECT list's last item
_CLAUSES = frozenset({"FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING"})
# The words a deleted column name leaves right after its table's alias and dot, which SQL Server
# takes as a name only in brackets: SELECT p. FROM, sch. AS schoolName, = s. LEFT JOIN ... (sqlglot
# reads columns named FROM, AS and LEFT)
_NOT_NAMES = _CLAUSES | RESERVED
# Words that need a part after them, which sqlglot reads without: COUNT(DISTINCT), > ALL, ASC DESC,
# ESCAPE '', ROWS UNBOUNDED, OFFSET 10 without ROWS, AS with no name (sch.number AS , g.lastName), FOR JSON
# without PATH or AUTO, COUNT(ALL)
_NEEDING_A_PART = frozenset({"DISTINCT", "ALL", "ANY", "SOME", "ASC", "DESC", "ESCAPE", "UNBOUNDED", "OFFSET", "AS", "FOR"})
# FOR JSON and FOR XML take one of these modes straight after them
_FOR_MODES = {"JSON": ("PATH", "AUTO"), "XML": ("RAW", "AUTO", "EXPLICIT", "PATH")}
_LOOKED_AT = frozenset(ARGUMENTS) | _NEEDING_A_PART | {"IN", "GO", "TOP"}
# A dot with a space after it, where a column's name may have been deleted (sch. AS schoolName)
_DOT_GAP = re.compile(r"\.\s")
# An @ or # with a space after it, apart from the name it starts (@ @year, # #counts)
_PREFIX_GAP = re.compile(r"[@#]\s")
_PREFIXES = (TokenType.PARAMETER, TokenType.HASH)
# SQL Server 2000's outer joins, by their two tokens written together: how they are written, and the join to write
_OLD_JOINS = {(TokenType.STAR, TokenType.EQ): ("*=", "LEFT"), (TokenType.EQ, TokenType.STAR): ("=*", "RIGHT")}


def old_outer_join(tokens: list[Token], words: list[str]) -> WrongTree | None:
    """a.x *= b.x in a WHERE: SQL Server 2000's outer join, which SQL Server has rejected since
    2012 (and from compatibility level 90). Not SET total *= 2, a compound assignment."""
    filtered: set[int] = set()  # the depths at which a WHERE or HAVING has begun
    for at, (depth, token) in enumerate(depths(tokens, 0, len(tokens) - 1)):
        kind, following = token.token_type, tokens[at + 1]
        if kind == TokenType.R_PAREN:
            filtered.discard(depth + 1)  # the WHERE of the query this parenthesis closes
        if words[at] in ("WHERE", "HAVING"):
            filtered.add(depth)
        elif depth in filtered and (kind, following.token_type) in _OLD_JOINS and following.start == token.end + 1:
            written, side = _OLD_JOINS[kind, following.token_type]
            return WrongTree(f"{written} is SQL Server 2000's outer join, which SQL Server no longer reads: write {side} JOIN "
                             "... ON with the columns it compares", (token.start, following.end + 1))
    return None


def _left_open(tokens: list[Token]) -> Token | None:
    """The last parenthesis the statement opens and never closes, if any."""
    opened: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            opened.append(token)
        elif token.token_type == TokenType.R_PAREN and opened:
            opened.pop()
    return opened[-1] if opened else None


# The kinds of node the checks look at, found in the one walk of the tree they need
_LOOKED_FOR = (exp.Select, exp.Order, exp.Convert, exp.Coalesce, exp.Is, exp.Exists, exp.From, exp.Concat, exp.WithTableHint,
               exp.DataType, exp.Schema, exp.Values, exp.Pivot, exp.Tuple, exp.Paren, exp.Update, exp.With, exp.Window,
               exp.WithinGroup, *NAMING, *ORDERED_WINDOWS, *LOOKED_AT)
_IS_LOOKED_FOR: dict[type, bool] = {}


def _looked_at(tree: exp.Expression) -> list[exp.Expression]:
    """The tree's nodes of _LOOKED_FOR's kinds, in find_all's order. Asking isinstance of that many
    kinds for every node of every statement cost three times the walk; each type is asked once."""
    found = []
    for node in tree.walk():
        kind = type(node)
        looked_for = _IS_LOOKED_FOR.get(kind)
        if looked_for is None:
            looked_for = _IS_LOOKED_FOR[kind] = issubclass(kind, _LOOKED_FOR)
        if looked_for:
            found.append(node)
    return found


def _indexed_columns(index: exp.Index) -> list[exp.Expression]:
    params = index.args.get("params")
    return (params.args.get("columns") or []) if params is not None else []


def check_tree(tree: exp.Expression, tokens: list[Token], words: list[str], text: str) -> None:
    """What sqlglot accepts but SQL Server would not, or reads differently."""
    if isinstance(tree, exp.Command):
        raise WrongTree("part of it is not T-SQL that sqladvise can read", None, rejected=False)
    if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "VIEW" and not isinstance(tree.expression, exp.Query):
        raise WrongTree("a view needs AS and the query that defines it", None)
    if words[1:2] == ["TOP"] and words[0] in ("UPDATE", "DELETE", "INSERT", "MERGE"):
        raise WrongTree(f"the {words[0]}'s TOP is read as a table's name", None, rejected=False)  # DELETE TOP (10) FROM t: a table TOP
    if isinstance(tree, exp.Update) and not isinstance(tree.this, exp.Table):
        raise WrongTree("an UPDATE needs the table it changes", None)
    if isinstance(tree, exp.Insert) and isinstance(tree.this, exp.Values):  # INSERT INTO VALUES (1)
        raise WrongTree("an INSERT needs the table it fills: SQL Server rejects it without", None)
    if isinstance(tree, exp.Insert) and tree.expression is None and not tree.args.get("default"):  # INSERT INTO #t
        raise WrongTree("an INSERT names the table it fills, then the rows it adds (VALUES (...), a SELECT, an EXEC or "
                        "DEFAULT VALUES): SQL Server rejects it without them", None)
    if words[0] == "TRUNCATE" and words[1:2] != ["TABLE"]:
        raise WrongTree("TRUNCATE needs TABLE before the table's name, TRUNCATE TABLE #t: SQL Server rejects it without",
                        (tokens[0].start, tokens[0].end + 1))
    if isinstance(tree, exp.TruncateTable) and len(tree.expressions) > 1:
        raise WrongTree("TRUNCATE TABLE takes one table: SQL Server rejects a list; write one TRUNCATE TABLE for each",
                        text_bounds(tree.expressions[1], text))
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Index) and not _indexed_columns(tree.this):
        raise WrongTree("CREATE INDEX needs its columns in parentheses after the table, ON #t (personID): SQL Server "
                        "rejects it without", None)
    if isinstance(tree, exp.Use) and len(tokens) != 2:  # USE Campus Campus: sqlglot reads an alias
        raise WrongTree("USE takes one database's name, USE Campus: SQL Server rejects anything more",
                        spanning(tokens[0], tokens[-1]))
    if isinstance(tree, exp.Delete) and not tree.args.get("tables") and isinstance(tree.this, exp.Table) and (
            tree.this.args.get("joins")):
        raise WrongTree("DELETE FROM takes one table: SQL Server rejects a list or a JOIN there; name the table whose rows "
                        "go, then the others, DELETE e FROM Enrollment e JOIN ...", None)
    if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE" and isinstance(tree.this, exp.Table):
        raise WrongTree("CREATE TABLE needs its columns in parentheses, CREATE TABLE #t (personID int): SQL Server "
                        "rejects it without", None)
    if "UPDATE" in words and any(not isinstance(u.args.get("expressions"), list) or not u.expressions
                                 for u in tree.find_all(exp.Update)):
        # WHEN MATCHED THEN UPDATE @t SET ...: sqlglot takes @t for the assignments; UPDATE t SET WHERE ...: none
        raise WrongTree("an UPDATE's SET is not a list of column = value assignments", None)
    unclosed = _left_open(tokens)
    if unclosed is not None:  # CAST(e.grade AS int >= 9, which sqlglot reads as if it were closed
        raise WrongTree("a ( is left open: its ) is missing", (unclosed.start, unclosed.end + 1))
    check_empty_items(tokens, words, text)
    nodes = _looked_at(tree)
    check_lenient_reads(nodes, tokens, words, text)
    check_given_twice(tree, nodes, text)
    check_reserved_names(nodes, text)
    check_bare_columns(tree, words, text)
    for with_ in (node for node in nodes if isinstance(node, exp.With)):
        check_ctes(with_, text)
    if "JOIN" in words and any(isinstance(s, exp.Select) and s.args.get("joins") and not s.args.get("from_") for s in nodes):
        raise WrongTree("a JOIN with no FROM before it: SQL Server rejects it", None)
    if "OFFSET" in words and any(isinstance(s, exp.Select) and s.args.get("offset") and not s.args.get("order") for s in nodes):
        offset = tokens[words.index("OFFSET")]
        raise WrongTree("OFFSET is part of an ORDER BY, and SQL Server rejects it without one: write ORDER BY the "
                        "columns that order the rows before OFFSET", (offset.start, offset.end + 1))
    written = text[tokens[0].start : tokens[-1].end + 1]
    check_names_after_dots(tokens, written)
    elsewhere = foreign(tree, tokens, words, written)
    if elsewhere is not None:
        reason, token = elsewhere
        raise WrongTree(reason, (token.start, token.end + 1) if token is not None else None)
    long_name = _five_part_name(tokens) if written.count(".") > 3 else None
    if long_name is not None:
        raise WrongTree("a name has at most four parts (server.database.schema.table, database.schema.table.column): SQL "
                        "Server rejects more", (long_name[0].start, long_name[-1].end + 1))
    stray = _lone_plus(tokens) if "+" in written else None
    if stray is not None:
        raise stray
    star = _misplaced_star(tree) if "*" in written else None
    if star is not None:
        raise WrongTree("* stands for a row's columns only in a SELECT list, COUNT(*) and CHECKSUM(*): SQL Server "
                        "rejects it here", text_bounds(star, text))
    if "ORDER BY" in words:
        _check_orders(nodes, text)
    if "CONVERT" in words or "TRY_CONVERT" in words:
        _check_conversions(nodes, text)
    if "COALESCE" in words:
        _check_coalesce(nodes, text)
    if "OPTION" in words:
        check_query_options(tokens, words)
    # Only where JOINs outnumber ONs can one lack its ON (a MERGE's ON, ON DELETE can hide one)
    unjoined = _join_without_on(tokens, words) if words.count("JOIN") > words.count("ON") else None
    if unjoined is not None:
        raise WrongTree("this JOIN has no ON, and SQL Server rejects it: write ON with the columns that match, or CROSS "
                        "JOIN if every pair of rows is meant", (unjoined.start, unjoined.end + 1))
    last = tokens[-1]
    named = named_after_as(last, text) if words[-1] == "AS" else None
    if named is not None:
        raise named
    if words[-1] in _NEEDS_MORE or last.token_type in _OPERATORS_NEEDING_MORE:
        missing = ("with a comma, and the item after it missing" if last.token_type == TokenType.COMMA
                   else f"at {words[-1] or last.text}, and what follows it missing")
        raise WrongTree(f"it ends {missing}: SQL Server rejects it", (last.start, last.end + 1))
    unnamed = _variable_without_at(tokens, words)
    if unnamed is not None:
        raise not_a_variable(unnamed)
    alone = _lone_prefix(tokens) if _PREFIX_GAP.search(written) else None
    if alone is not None:
        raise WrongTree(f"{alone.text} stands apart from the name after it: a variable's name (@endYear) or a temp "
                        f"table's (#counts) has no space after its {alone.text}, and SQL Server rejects it", spanning(alone))
    misspelt = _misspelt_system_value(tokens) if "@@" in written else None
    if misspelt is not None:
        raise misspelt
    untyped = _untyped_variable(tree, tokens) if words[0] == "DECLARE" else None
    if untyped is not None:
        raise untyped
    unnamed_column = missing_name(tokens, words) if _DOT_GAP.search(written) else None
    if unnamed_column is not None:
        raise unnamed_column
    for at, word in enumerate(words):
        if word not in _LOOKED_AT:  # most words: one look each
            continue
        token, following = tokens[at], tokens[at + 1] if at + 1 < len(tokens) else None
        opens = following is not None and following.token_type == TokenType.L_PAREN
        if word in ARGUMENTS and opens:
            check_call(tokens, at)
        elif word == "IN" and opens and at + 2 < len(tokens) and tokens[at + 2].token_type == TokenType.R_PAREN:
            raise WrongTree("IN () holds no value, and SQL Server rejects it: a list a program builds needs at least "
                            "one value, or the condition left out", (token.start, tokens[at + 2].end + 1))
        elif word == "IN" and not opens:
            raise WrongTree("IN NULL: a test for NULL is IS NULL; SQL Server rejects IN without parentheses"
                            if words[at + 1 : at + 2] == ["NULL"] else
                            "IN takes its values in parentheses, IN (9, 10) or IN (SELECT ...): SQL Server rejects it "
                            "without", spanning(token, following))
        elif word == "TOP" and following is not None and following.token_type == TokenType.PARAMETER:
            name = tokens[at + 2].text if at + 2 < len(tokens) else ""
            raise WrongTree(f"TOP takes a variable only in parentheses, and SQL Server rejects TOP @{name}: write TOP "
                            f"(@{name})", (following.start, tokens[min(at + 2, len(tokens) - 1)].end + 1))
        elif word == "GO":
            # The splitter ends statements at every keyword that starts one; GO is the word it
            # cannot, and sqlglot takes it as an alias.
            raise WrongTree("GO is read as a name here", (token.start, token.end + 1), rejected=False)
        elif word in _NEEDING_A_PART and (missing := _part_missing(tokens, words, at)) is not None:
            raise WrongTree(missing, (token.start, token.end + 1))
    value = not_a_condition(nodes)  # after the calls' arguments are counted: its text needs whole calls
    if value is not None:
        raise value_for_condition(value, text)
    condition = condition_as_value(nodes, tokens)
    if condition is not None:
        raise condition_for_value(condition, text)


def _part_missing(tokens: list[Token], words: list[str], at: int) -> str | None:
    """What is missing after the word at `at`, where SQL Server needs more than sqlglot does."""
    word, following = words[at], tokens[at + 1] if at + 1 < len(tokens) else None
    if word in ("DISTINCT", "ALL") and following is not None and following.token_type == TokenType.R_PAREN:
        return f"{word} with nothing after it: SQL Server rejects it; name the column it counts or totals"
    if word == "FOR" and (modes := _FOR_MODES.get(words[at + 1] if at + 1 < len(words) else "")) is not None:
        if words[at + 2 : at + 3] not in ([mode] for mode in modes):
            listed = ", ".join(modes[:-1]) + " or " + modes[-1]
            return f"FOR {words[at + 1]} needs {listed} after it, FOR {words[at + 1]} PATH: SQL Server rejects it without"
    if word in ("ALL", "ANY", "SOME") and at and tokens[at - 1].token_type in _COMPARISONS:
        if following is None or following.token_type != TokenType.L_PAREN:
            return f"{word} compares with the rows of a subquery, and SQL Server rejects it without one: write {word} (SELECT ...)"
        if at + 2 < len(tokens) and tokens[at + 2].token_type != TokenType.L_PAREN and words[at + 2] not in ("SELECT", "WITH"):
            return (f"{word} compares with the rows of a subquery, {word} (SELECT ...), and SQL Server rejects a list of "
                    "values: for = ANY of a list write IN (...), for <> ALL NOT IN (...)")
    if word == "ESCAPE" and following is not None and following.token_type in STRINGS and len(following.text) != 1:
        return f"ESCAPE takes one character, ESCAPE '!': SQL Server rejects '{following.text}' (error 506)"
    if word == "UNBOUNDED" and words[at + 1 : at + 2] not in (["PRECEDING"], ["FOLLOWING"]):
        return "UNBOUNDED needs PRECEDING or FOLLOWING after it, ROWS UNBOUNDED PRECEDING: SQL Server rejects it without"
    if word == "AS" and (following is None or following.token_type == TokenType.COMMA or words[at + 1] in _CLAUSES):
        return "AS with no name after it: SQL Server rejects it; write the column's name after AS, or leave AS out"
    if word == "OFFSET" and not _rows_follow(tokens, words, at + 1):
        return "OFFSET needs ROWS after its count, OFFSET 10 ROWS: SQL Server rejects it without"
    if word in ("ASC", "DESC") and words[at + 1 : at + 2] in (["ASC"], ["DESC"]):
        return "a column is sorted one way, ASC or DESC, and SQL Server rejects both: keep the one meant"
    return None


def _rows_follow(tokens: list[Token], words: list[str], start: int) -> bool:
    """Whether ROW or ROWS ends the count that starts at `start`: before the parenthesis it is in
    closes, or the statement ends."""
    depth = 0
    for token, word in zip(tokens[start:], words[start:]):
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth < 0 or word in ("FETCH", "OPTION", "FOR"):
            return False
        if depth == 0 and word in ("ROW", "ROWS"):
            return True
    return False


def missing_name(tokens: list[Token], words: list[str]) -> WrongTree | None:
    """A reserved word just after a table's alias and its dot, where a column's name was deleted
    (SELECT p. FROM Person): sqlglot reads some as the column's name, and fails on others."""
    for at, word in enumerate(words):
        if word in _NOT_NAMES and _after_a_dot(tokens, at):
            return _missing_name(tokens, at)
    return None


def _after_a_dot(tokens: list[Token], at: int) -> bool:
    return at > 1 and tokens[at - 1].token_type == TokenType.DOT


def _missing_name(tokens: list[Token], at: int) -> WrongTree:
    named, dot = tokens[at - 2], tokens[at - 1]
    return WrongTree(f"a name is missing after {named.text}.: SQL Server rejects it", (named.start, dot.end + 1))


def _five_part_name(tokens: list[Token]) -> list[Token] | None:
    """The first name written in more than four parts (a.b.c.d.e), where sqlglot reads the fifth
    as a field of the fourth: from the first part to the last."""
    start, dots = 0, 0
    for at, token in enumerate(tokens):
        if token.token_type == TokenType.DOT:
            dots += 1
            if dots == 4:
                end = at + 1 if at + 1 < len(tokens) and tokens[at + 1].token_type != TokenType.DOT else at
                return tokens[start : end + 1]
        elif not (at and tokens[at - 1].token_type == TokenType.DOT):
            start, dots = at, 0
    return None


def _lone_prefix(tokens: list[Token]) -> Token | None:
    """An @ or # with a space between it and the token after it: sqlglot joins them into a name."""
    return next((token for token, following in zip(tokens, tokens[1:])
                 if token.token_type in _PREFIXES and following.start != token.end + 1), None)


def _misspelt_system_value(tokens: list[Token]) -> WrongTree | None:
    """An @@ name that is a typo of one of SQL Server's (@@ROWCOUNTS)."""
    for first, second, name in zip(tokens, tokens[1:], tokens[2:]):
        if (first.token_type == second.token_type == TokenType.PARAMETER and first.end + 1 == second.start
                and second.end + 1 == name.start and (why := misspelt_system_value(name.text)) is not None):
            return WrongTree(why, spanning(first, name))
    return None


def _lone_plus(tokens: list[Token]) -> WrongTree | None:
    """A + with nothing after it, before a ) or a comma, which sqlglot drops (YEAR(+) reads as
    YEAR(), CONCAT(+, 1) as 1); after a column's name, Oracle's outer join, a.x = b.x(+)."""
    for at in range(1, len(tokens) - 1):
        token, following = tokens[at], tokens[at + 1]
        if token.token_type != TokenType.PLUS or following.token_type not in (TokenType.R_PAREN, TokenType.COMMA):
            continue
        if at > 2 and tokens[at - 1].token_type == TokenType.L_PAREN and tokens[at - 3].token_type == TokenType.DOT:
            return WrongTree("(+) is Oracle's outer join, which SQL Server does not have: write LEFT JOIN ... ON with the "
                             "columns it compares", (tokens[at - 1].start, following.end + 1))
        return WrongTree("an expression is incomplete: this + has nothing after it", (token.start, token.end + 1))
    return None


def _misplaced_star(tree: exp.Expression) -> exp.Star | None:
    """A * where SQL Server takes none, which sqlglot reads: YEAR(*), SUM(*), COUNT(DISTINCT *), (*) = 1."""
    for star in tree.find_all(exp.Star):
        holder = star.parent
        if isinstance(holder, (exp.Select, exp.Column, exp.Count)):
            continue
        if isinstance(holder, exp.Anonymous) and holder.name.upper() in ("CHECKSUM", "BINARY_CHECKSUM"):
            continue
        return star
    return None


def _check_orders(nodes: list[exp.Expression], text: str) -> None:
    """An ORDER BY where SQL Server takes none, which sqlglot reads: SUM(x ORDER BY y),
    DATEDIFF(day, e.startDate ORDER BY e.personID, GETDATE())."""
    for order in nodes:
        if isinstance(order, exp.Order) and not isinstance(order.parent, _ORDERED):
            raise WrongTree("an ORDER BY inside a function's parentheses: SQL Server orders a query's rows, a window's "
                            "(OVER) or a WITHIN GROUP's, and rejects it here", text_bounds(order, text))
        if isinstance(order, exp.Order) and isinstance(order.parent, exp.Query):
            _check_order_numbers(order, text)
        if isinstance(order, exp.Order) and isinstance(order.parent, (exp.Query, exp.Window)):
            _check_order_constants(order, text)


def _check_order_numbers(order: exp.Order, text: str) -> None:
    """ORDER BY 3 sorts by the third item of the SELECT list, which must have one (error 108)."""
    select = _listing(order)
    if select is None or any(item.is_star for item in select.expressions):
        return
    for ordered in order.expressions:
        value = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        if isinstance(value, exp.Literal) and value.name.isdigit() and not 1 <= int(value.name) <= len(select.expressions):
            raise WrongTree(f"ORDER BY {value.name} sorts by the SELECT list's item of that number, and it has "
                            f"{len(select.expressions)}: SQL Server rejects it (error 108)", text_bounds(ordered, text))


def _check_order_constants(order: exp.Order, text: str) -> None:
    """A constant sorts no row before another, and SQL Server rejects one in an ORDER BY (error
    408): 'Last Name', which names a column in the SELECT list but is only text here, NULL, 1 + 1.
    A number alone is a position of the SELECT list, but a window takes no positions (error 5309)."""
    window = isinstance(order.parent, exp.Window)
    for position, ordered in enumerate(order.expressions, start=1):
        value = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        if not all(isinstance(node, _FOLDED) for node in value.walk()) or (
                not window and isinstance(value, exp.Literal) and value.name.isdigit()):
            continue
        where = text_bounds(value, text)
        written = f"ORDER BY {text[where[0]:where[1]] if where else f'item {position}'}"
        if window:
            raise WrongTree(f"the window's {written} is a constant, and a window takes no positions: SQL Server rejects "
                            "it (error 5309); where any order will do, write ORDER BY (SELECT NULL)", where)
        named = _alias_spelt(value, _listing(order))
        if named is not None:
            raise WrongTree(f"{written} sorts by that text, the same for every row, not by the column the SELECT list "
                            f"names so: SQL Server rejects a constant there (error 408); write the name in brackets, "
                            f"ORDER BY [{named}]", where)
        raise WrongTree(f"{written} is a constant, the same for every row: SQL Server rejects it (error 408); sort by "
                        "a column, an alias or a position of the SELECT list", where)


def _listing(order: exp.Order) -> exp.Select | None:
    """The SELECT whose list a query's ORDER BY names: a UNION's first query's."""
    select = order.parent
    while isinstance(select, exp.SetOperation):
        select = select.this
    return select if isinstance(select, exp.Select) else None


def _alias_spelt(value: exp.Expression, select: exp.Select | None) -> str | None:
    """The SELECT list's alias a quoted text spells, as `'Last Name' = i.lastName` or `i.lastName AS
    'Last Name'` give it, in any case."""
    if select is None or not (isinstance(value, exp.Literal) and value.is_string):
        return None
    for item in select.expressions:
        spelt = item.this if isinstance(item, exp.EQ) and isinstance(item.this, exp.Literal) and item.this.is_string else None
        name = spelt.name if spelt is not None else item.alias
        if name and name.lower() == value.name.lower():
            return name
    return None


def _check_conversions(nodes: list[exp.Expression], text: str) -> None:
    """A CONVERT whose first argument is not a type, which sqlglot reads without one: CONVERT(in, e.grade)."""
    for conversion in nodes:
        if isinstance(conversion, exp.Convert) and conversion.this is None and conversion.expression is not None:  # CONVERT(): its count of arguments is wrong
            where = text_bounds(conversion.expression, text)
            written = text[where[0] : where[1]] if where else "the first argument"
            raise WrongTree(f"{written} is not a data type: CONVERT's first argument is the type to convert to, as "
                            "in CONVERT(int, ...)", where)
        if isinstance(conversion, exp.Convert) and _type_named_as_value(conversion):
            raise WrongTree("CONVERT takes the type first and the value second, CONVERT(varchar(10), e.grade): SQL Server "
                            "rejects them the other way round", text_bounds(conversion, text))


def _type_named_as_value(conversion: exp.Convert) -> bool:
    """CONVERT(e.grade, varchar(10)), MySQL's order: sqlglot reads e.grade as a type of the
    district's and varchar as a column or a function."""
    given, value = conversion.this, conversion.expression
    return (isinstance(given, exp.DataType) and given.this == exp.DataType.Type.USERDEFINED
            and isinstance(value, (exp.Column, exp.Anonymous)) and value.name.upper() in TYPES)


def _check_coalesce(nodes: list[exp.Expression], text: str) -> None:
    """A COALESCE of NULL constants alone, which SQL Server refuses (ISNULL(NULL, NULL) it takes),
    or of one value, which sqlglot reads."""
    for call in nodes:
        if isinstance(call, exp.Coalesce) and not call.args.get("is_null") and not call.expressions:
            raise WrongTree("COALESCE takes two or more values, and SQL Server rejects it with one: add the value to use "
                            "when the first is NULL, COALESCE(x, 0), or leave COALESCE out", text_bounds(call, text))
        if isinstance(call, exp.Coalesce) and not call.args.get("is_null") and all(isinstance(a.unnest(), exp.Null) for a in [call.this, *call.expressions]):
            raise WrongTree("COALESCE's arguments are all NULL, and SQL Server rejects it (error 4127, \"At least one of the "
                            "arguments to COALESCE must be an expression that is not the NULL constant\"): give it the "
                            "value meant, or write CAST(NULL AS the type) for a NULL", text_bounds(call, text))


# Words that end a FROM clause, where every JOIN in it must have had its ON.
_AFTER_FROM = frozenset({"WHERE", "GROUP BY", "HAVING", "ORDER BY", "UNION", "EXCEPT", "INTERSECT", "OPTION", "FOR",
                         "WHEN", "SELECT", "PIVOT", "UNPIVOT"})


def _join_without_on(tokens: list[Token], words: list[str]) -> Token | None:
    """A JOIN (not CROSS JOIN, not an APPLY) whose FROM clause ends before its ON: each ON closes
    the innermost JOIN still open at its depth (a JOIN b JOIN c ON ... ON ... nests); the query
    hints of OPTION (HASH JOIN) are not joins."""
    open_joins: list[list[Token]] = [[]]  # per depth of parentheses, the JOINs waiting for their ON
    at = 0
    while at < len(tokens):
        token, word = tokens[at], words[at]
        if word == "OPTION" and at + 1 < len(tokens) and tokens[at + 1].token_type == TokenType.L_PAREN:
            at = (matching_parenthesis(tokens, at + 1) or len(tokens) - 1) + 1
            continue
        if token.token_type == TokenType.L_PAREN:
            open_joins.append([])
        elif token.token_type == TokenType.R_PAREN or word in _AFTER_FROM:
            if open_joins[-1]:
                return open_joins[-1][-1]
            if token.token_type == TokenType.R_PAREN and len(open_joins) > 1:
                open_joins.pop()
        elif word == "JOIN" and words[at - 1] != "CROSS":
            open_joins[-1].append(token)
        elif word == "ON" and open_joins[-1]:
            open_joins[-1].pop()
        at += 1
    return open_joins[-1][-1] if open_joins[-1] else None


def not_a_variable(name: Token) -> WrongTree:
    """The error for a name set or declared as a variable without its @ (SET total = 0)."""
    return WrongTree(f"{name.text} is not a variable: a variable's name starts with @ (@{name.text})", spanning(name))


def _variable_without_at(tokens: list[Token], words: list[str]) -> Token | None:
    """The name a DECLARE or SET gives a variable without its @ (DECLARE total int, SET total = 0),
    which SQL Server rejects."""
    if words[0] == "SET":
        named = tokens[1:2] if [t.token_type for t in tokens[1:3]] == [TokenType.VAR, TokenType.EQ] else []
    elif words[0] == "DECLARE":
        named = [tokens[1], *(tokens[at + 1] for at, (depth, token) in enumerate(depths(tokens, 0, len(tokens) - 1))
                              if depth == 0 and token.token_type == TokenType.COMMA)]
    else:
        return None
    return next((token for token in named if token.token_type != TokenType.PARAMETER), None)


def _untyped_variable(tree: exp.Expression, tokens: list[Token]) -> WrongTree | None:
    """The first variable a DECLARE gives no type, which sqlglot reads, pointed at by its @ and name:
    one with nothing after it, or one before others that share a type (DECLARE @a, @b int)."""
    untyped = next((item for item in tree.find_all(exp.DeclareItem) if item.args.get("kind") is None
                    or isinstance(item.this, list) and len(item.this) > 1), None)
    if untyped is None:
        return None
    name = untyped.this[0].name if isinstance(untyped.this, list) else untyped.name
    named = next(((at, after) for at, after in zip(tokens, tokens[1:])
                  if at.token_type == TokenType.PARAMETER and after.text.lower() == name.lower()), None)
    return WrongTree(f"@{name} is declared without a type (DECLARE @{name} int): SQL Server rejects it",
                     (named[0].start, named[1].end + 1) if named else None)
