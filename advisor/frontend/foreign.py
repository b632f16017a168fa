"""SQL of other databases that sqlglot reads as T-SQL and SQL Server rejects.

A district author who finds a query on the web often finds MySQL's, PostgreSQL's or Oracle's:
LIMIT 10, NOW(), IFNULL, x::date. sqlglot reads them all, since it reads many dialects; SQL Server
stops on them ("Incorrect syntax near 'LIMIT'", "'NOW' is not a recognized built-in function
name"). Each is a parse finding that names the T-SQL to write instead, rather than advice on a
query that would never run.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.parser import Parser
from sqlglot.tokens import Token, TokenType

from advisor.frontend.function_names import NOT_SQL_SERVERS, REPLACED
from advisor.frontend.repairs import (
    NAME_TOKENS,
    depth0_index,
    matching_parenthesis,
    opening_parenthesis,
    past_name,
)
from advisor.frontend.wrong_tree import WrongTree, spanning

# Type names SQL Server does not have, with the type to write instead (DOUBLE alone: DOUBLE PRECISION
# is T-SQL's float). Only where a type stands: CAST(x AS ...), DECLARE @x ...; a column named
# number is a column.
_TYPES = {
    "BOOLEAN": "bit", "BOOL": "bit", "VARCHAR2": "varchar", "NVARCHAR2": "nvarchar", "STRING": "varchar(n)",
    "NUMBER": "decimal(p, s) or int", "DOUBLE": "float", "TIMESTAMPTZ": "datetimeoffset", "SIGNED": "int",
    "UNSIGNED": "int or bigint", "SERIAL": "int IDENTITY", "BIGSERIAL": "bigint IDENTITY", "CLOB": "varchar(max)",
    "BLOB": "varbinary(max)", "BYTEA": "varbinary(max)", "INT64": "bigint", "FLOAT64": "float",
    "ENUM": "varchar(n) with a CHECK (column IN (...))",
}
# Words before a name that make it the name of a table, a CTE or a column list, not a call; AS
# names a derived table with its columns: (VALUES (1, 2)) AS week (a, b).
_NAMING = frozenset({"AS", "WITH", "TABLE", "INTO", "FROM", "JOIN", "APPLY", "REFERENCES", "VIEW", "FUNCTION",
                     "PROCEDURE", "PROC", "EXEC", "EXECUTE", "ON", "UPDATE", "TYPE", "INDEX"})
_GRANTS = frozenset({"GRANT", "DENY", "REVOKE", "ALTER"})  # ON SCHEMA::dbo, ON OBJECT::x
# SQL Server's functions of no arguments that still need their parentheses, and Oracle's words that stand alone.
_CALLED_WITH_PARENTHESES = frozenset({"GETDATE", "GETUTCDATE", "SYSDATETIME", "SYSUTCDATETIME", "SYSDATETIMEOFFSET"})
_ORACLES = {"SYSDATE": "GETDATE()", "SYSTIMESTAMP": "SYSDATETIMEOFFSET()",
            "ROWNUM": "TOP (n) for the first rows, or ROW_NUMBER() OVER (ORDER BY ...) to number them"}
# What SQL Server writes for CREATE ... IF NOT EXISTS, by the kind of object created.
_TEST_FIRST = ("test whether it exists first, e.g. IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = 'IX_name'), "
               "then CREATE")
_CREATED_IF_MISSING = {
    "TABLE": ("test first, IF OBJECT_ID('tempdb..#name') IS NULL CREATE TABLE #name (...) for a temp table, "
              "OBJECT_ID('dbo.name') for one of the database's"),
    **dict.fromkeys(("VIEW", "PROCEDURE", "PROC", "FUNCTION", "TRIGGER"),
                    "write CREATE OR ALTER (SQL Server 2016 SP1 and later), which replaces it where it exists"),
}
# The words that show another database's clause in the tree sqlglot made of it; most statements
# have none of them, and their trees are not walked.
_IN_THE_TREE = frozenset({"LIMIT", "USING", "NATURAL", "DISTINCT", "QUALIFY", "TRUE", "FALSE", "INTERVAL", "FILTER",
                          "LATERAL"})
_WATCHED = (frozenset(REPLACED) | NOT_SQL_SERVERS | frozenset(_TYPES) | _IN_THE_TREE
            | {"ILIKE", "NULLS", "TEMP", "TEMPORARY", "GROUP BY", "DEFAULT", "REGEXP", "RLIKE", "SIMILAR TO", "STRING_AGG",
               "RECURSIVE", "EXCEPT", "INTERSECT", "RETURNING", "CONFLICT", "DUPLICATE", "MATERIALIZED",
               "CURRENT_TIMESTAMP", "AUTO_INCREMENT", "AUTOINCREMENT", "GENERATED", "ENGINE"} | _CALLED_WITH_PARENTHESES | frozenset(_ORACLES) | {"DUAL"})
_SET_OPERATORS = frozenset({"UNION", "EXCEPT", "INTERSECT"})
# Where a GROUP BY's list ends.
_AFTER_GROUPS = frozenset({"HAVING", "ORDER BY", "UNION", "EXCEPT", "INTERSECT", "OPTION", "FOR", "WITH"})
_COLON_NAME = re.compile(r"(?<![:\w]):[^\W\d]")  # :calendar, not '10:30' nor SCHEMA::dbo
_WATCHED_KINDS = frozenset({TokenType.DCOLON, TokenType.EQ, TokenType.COLON_EQ, TokenType.NULLSAFE_EQ, TokenType.COLON})


def foreign(tree: exp.Expression, tokens: list[Token], words: list[str], written: str) -> tuple[str, Token | None] | None:
    """Why SQL Server rejects this statement (`written`), written for another database, and the
    token where it shows; None for T-SQL."""
    if words[0] in ("UPDATE", "DELETE"):
        aliased = _aliased_target(tree, tokens, words, written)
        if aliased is not None:
            return aliased
    if words[0] == "INSERT":
        at = past_name(tokens, 2 if words[1:2] == ["INTO"] else 1)
        if words[at : at + 1] == ["SET"]:
            return ("INSERT ... SET column = value is MySQL's, not SQL Server's: list the columns, then their values, "
                    "INSERT INTO t (column, ...) VALUES (value, ...)"), tokens[at]
    if words[0] == "CREATE":
        created = _foreign_create(words)
        if created is not None:
            reason, at = created
            return reason, tokens[at]
    symbols = ("==" in written or "<=>" in written
               or (":" in written and ("::" in written or ":=" in written or _COLON_NAME.search(written) is not None)))
    if not symbols and _WATCHED.isdisjoint(words):  # nearly every statement: nothing to look at twice
        return None
    look_at_tree = False
    for at, word in enumerate(words):
        if word in _WATCHED or (symbols and tokens[at].token_type in _WATCHED_KINDS):
            found = _foreign_token(tokens, words, at, tree)
            if found:
                return found, tokens[at]
            look_at_tree = look_at_tree or word in _IN_THE_TREE and (word != "DISTINCT" or words[at + 1 : at + 2] == ["ON"])
    return _foreign_tree(tree, tokens) if look_at_tree else None


def if_called(tokens: list[Token], words: list[str]) -> WrongTree | None:
    """MySQL's IF(condition, then, else) where a value stands, which sqlglot cannot read as T-SQL
    either: the error that names T-SQL's IIF."""
    at = next((at for at, word in enumerate(words) if word == "IF" and at and tokens[at + 1 : at + 2]
               and tokens[at + 1].token_type == TokenType.L_PAREN), None)
    if at is None:
        return None
    return WrongTree("IF() is MySQL's function, not SQL Server's: write IIF(condition, then, else), or CASE WHEN "
                     "condition THEN ... ELSE ... END", spanning(tokens[at]))


def _foreign_token(tokens: list[Token], words: list[str], at: int, tree: exp.Expression) -> str | None:
    word, kind = words[at], tokens[at].token_type
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    called = following is not None and following.token_type == TokenType.L_PAREN and _called(tokens, words, at)
    if word in REPLACED and called:
        return f"{tokens[at].text}() is another database's function, not SQL Server's: write {REPLACED[word]}"
    if word in NOT_SQL_SERVERS and called and not _listed_table_function(tokens, at, tree):
        return (f"{tokens[at].text}() is not one of SQL Server's functions: write the T-SQL function that does the same, "
                f"or call the district's own function with its schema (dbo.{tokens[at].text}())")
    if kind in (TokenType.RLIKE, TokenType.SIMILAR_TO):
        return (f"{tokens[at].text.upper()} is another database's pattern match, not SQL Server's: write LIKE with its "
                "wildcards (% _ [a-z]), or PATINDEX")
    if kind == TokenType.ILIKE:
        return "ILIKE is PostgreSQL's, not SQL Server's: write LIKE, which ignores case under Campus's collation"
    if kind == TokenType.DCOLON and following is not None and following.token_type in Parser.TYPE_TOKENS and words[0] not in _GRANTS:
        return f"::{following.text} is PostgreSQL's cast, not SQL Server's: write CAST(value AS {following.text})"
    if word == "NULLS" and at + 1 < len(words) and words[at + 1] in ("FIRST", "LAST"):
        return (f"NULLS {words[at + 1]} is not SQL Server's, which puts NULLs first in an ascending sort: sort on "
                "CASE WHEN value IS NULL THEN 1 ELSE 0 END before the value")
    if kind == TokenType.EQ and tokens[at].text == "==":
        return "== is not SQL Server's: write ="
    if kind == TokenType.NULLSAFE_EQ:
        return ("<=> is MySQL's comparison that takes two NULLs as equal, not SQL Server's: write IS NOT DISTINCT FROM "
                "(SQL Server 2022), or (a = b OR (a IS NULL AND b IS NULL))")
    if kind == TokenType.COLON_EQ:
        return ":= is MySQL's assignment, not SQL Server's: write SELECT @x = value or SET @x = value"
    if word == "GROUP BY" and _grouped_by_number(tokens, words, at + 1):
        return "GROUP BY 1, a column named by its place in the SELECT, is other databases', not SQL Server's: name the column"
    if word in _TYPES and _type_stands(tokens, words, at):
        return f"{tokens[at].text} is another database's type, not SQL Server's: write {_TYPES[word]}"
    if word == "DEFAULT" and words[0] == "DECLARE" and depth0_index(tokens, words, ("DEFAULT",)) == at:
        return "DEFAULT in a DECLARE is MySQL's, not SQL Server's: write DECLARE @x int = value"
    if word in ("TEMP", "TEMPORARY") and words[at - 1 : at] == ["CREATE"]:
        return "CREATE TEMP TABLE is not SQL Server's: write CREATE TABLE #name"
    if word in ("TEMP", "TEMPORARY") and words[at - 1 : at] == ["INTO"]:
        return f"INTO {tokens[at].text} is PostgreSQL's, not SQL Server's: write INTO #name, a temp table"
    if word in _CALLED_WITH_PARENTHESES and kind == TokenType.VAR and not called and _stands_alone(tokens, words, at):
        return (f"{tokens[at].text} is a function, and SQL Server reads it without its parentheses as a column's name "
                f"(error 207): write {tokens[at].text}()")
    if word in _ORACLES and kind == TokenType.VAR and _stands_alone(tokens, words, at):
        return f"{tokens[at].text} is Oracle's, not SQL Server's: write {_ORACLES[word]}"
    if word == "DUAL" and words[at - 1 : at] == ["FROM"]:
        return "FROM DUAL is Oracle's: SQL Server's SELECT of values alone needs no FROM, SELECT GETDATE() AS now"
    if kind == TokenType.CURRENT_TIMESTAMP and following is not None and following.token_type == TokenType.L_PAREN:
        return "CURRENT_TIMESTAMP takes no parentheses in SQL Server: write CURRENT_TIMESTAMP, or GETDATE()"
    if kind == TokenType.COLON and _marks_parameter(tokens, at):
        return (f":{following.text} is a parameter marker of other databases and tools, not T-SQL's: write a variable, "
                f"@{following.text}, that the report or a DECLARE gives its value")
    if word == "STRING_AGG" and called and _ordered_inside(tokens, words, at + 1):
        return ("STRING_AGG's ORDER BY inside its parentheses is PostgreSQL's, not SQL Server's: write it after them, "
                "STRING_AGG(x, ',') WITHIN GROUP (ORDER BY ...)")
    return _foreign_clause(words, at) or _foreign_change(tokens, words, at) or _foreign_column(tokens, words, at)


def _foreign_clause(words: list[str], at: int) -> str | None:
    """Another database's way of writing a query's clause."""
    word = words[at]
    if word == "RECURSIVE" and words[at - 1 : at] == ["WITH"]:
        return ("WITH RECURSIVE is PostgreSQL's and MySQL's, not SQL Server's: write WITH alone, as a CTE that reads "
                "itself is recursive without the word")
    if word == "MATERIALIZED" and words[at - 1 : at] in (["AS"], ["NOT"]):
        return ("a CTE's MATERIALIZED is PostgreSQL's, not SQL Server's: write AS (...) alone; to read its rows once, "
                "put them in a temp table (SELECT ... INTO #name)")
    if word in ("EXCEPT", "INTERSECT") and words[at + 1 : at + 2] == ["ALL"]:
        return (f"{word} ALL is not SQL Server's, whose {word} drops repeated rows: write {word}, or "
                f"{'NOT ' if word == 'EXCEPT' else ''}EXISTS (SELECT ...) to keep every row of the first query")
    if word == "DISTINCT" and at and words[at - 1] in _SET_OPERATORS:
        return f"{words[at - 1]} DISTINCT is not SQL Server's: write {words[at - 1]}, which drops repeated rows"
    return None


def _foreign_change(tokens: list[Token], words: list[str], at: int) -> str | None:
    """Another database's clause of an INSERT, UPDATE or DELETE."""
    word = words[at]
    if word == "RETURNING" and tokens[at].token_type == TokenType.RETURNING:
        return ("RETURNING is PostgreSQL's, not SQL Server's: write OUTPUT inserted.column (deleted.column for a "
                "DELETE) before the VALUES, SELECT, FROM or WHERE")
    if word == "CONFLICT" and words[at - 1 : at] == ["ON"] and words[0] == "INSERT":
        return ("INSERT ... ON CONFLICT is PostgreSQL's, not SQL Server's: insert only the new rows, INSERT ... SELECT "
                "... WHERE NOT EXISTS (SELECT ...), and UPDATE the others in a statement of their own")
    if word == "DUPLICATE" and words[at - 1 : at + 2] == ["ON", "DUPLICATE", "KEY"] and words[0] == "INSERT":
        return ("INSERT ... ON DUPLICATE KEY UPDATE is MySQL's, not SQL Server's: UPDATE the rows that exist, then "
                "INSERT ... SELECT ... WHERE NOT EXISTS (SELECT ...) the others")
    return None


def _foreign_column(tokens: list[Token], words: list[str], at: int) -> str | None:
    """Another database's way of making a table's column count, or of storing the table."""
    word = words[at]
    if "TABLE" not in words:
        return None
    if word in ("AUTO_INCREMENT", "AUTOINCREMENT") or (word == "GENERATED" and "IDENTITY" in words[at + 1 : at + 5]):
        written = "GENERATED ... AS IDENTITY" if word == "GENERATED" else word
        return f"{written} is another database's, not SQL Server's: write IDENTITY(1, 1) after the column's type"
    if word == "ENGINE" and tokens[at - 1].token_type == TokenType.R_PAREN and tokens[at + 1 : at + 2] and (
            tokens[at + 1].token_type == TokenType.EQ):  # ) ENGINE=InnoDB, after the columns
        return "ENGINE is MySQL's, not SQL Server's: a table takes no storage engine; leave it out"
    return None


def _foreign_create(words: list[str]) -> tuple[str, int] | None:
    """Another database's way of writing a CREATE, and where it shows."""
    if words[1:3] == ["OR", "REPLACE"]:
        return "CREATE OR REPLACE is not SQL Server's: write CREATE OR ALTER (SQL Server 2016 SP1 and later)", 2
    at = next((at for at in range(2, min(len(words), 5)) if words[at : at + 3] == ["IF", "NOT", "EXISTS"]), None)
    if at is None:
        return None
    created = words[at - 1]
    return f"CREATE {created} IF NOT EXISTS is not SQL Server's: {_CREATED_IF_MISSING.get(created, _TEST_FIRST)}", at



def _aliased_target(tree: exp.Expression, tokens: list[Token], words: list[str], written: str) -> tuple[str, Token] | None:
    """UPDATE Enrollment e SET ..., DELETE FROM Enrollment e WHERE ...: other databases' alias for
    the table a statement changes, which SQL Server takes only in a FROM of its own."""
    target = tree.this
    if not isinstance(target, exp.Table) or not target.alias:
        return None
    deleting = isinstance(tree, exp.Delete)
    if deleting and (words[1:2] != ["FROM"] or depth0_index(tokens[2:], words[2:], ("FROM",)) is not None):
        return None  # DELETE e FROM Enrollment e, DELETE FROM e FROM Enrollment e
    start = 2 if deleting else 1
    alias_at = next((at for at in range(start + 1, len(tokens)) if tokens[at].text == target.alias), None)
    if alias_at is None:
        return None
    offset = tokens[0].start
    table = written[tokens[start].start - offset : tokens[alias_at - 1 - (words[alias_at - 1] == "AS")].end + 1 - offset]
    alias = tokens[alias_at].text
    if deleting:
        return (f"DELETE FROM names its table without an alias in SQL Server: write DELETE FROM {table} WHERE ..., "
                f"or DELETE {alias} FROM {table} {alias} WHERE ... to keep {alias}"), tokens[alias_at]
    return (f"UPDATE names the table it changes without an alias in SQL Server: write UPDATE {alias} SET ... FROM "
            f"{table} {alias} WHERE ..., or UPDATE {table} SET ... without {alias}"), tokens[alias_at]


def _stands_alone(tokens: list[Token], words: list[str], at: int) -> bool:
    """Whether the name at `at` stands alone as a value: not after a dot or AS, not called."""
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    return ((following is None or following.token_type != TokenType.L_PAREN) and words[at - 1 : at] != ["AS"]
            and (at == 0 or tokens[at - 1].token_type != TokenType.DOT))


def _marks_parameter(tokens: list[Token], at: int) -> bool:
    """Whether the colon at `at` starts a name, :name, as other databases mark a parameter; not a
    label's colon (done:), which comes right after its name."""
    colon = tokens[at]
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    labelled = at > 0 and tokens[at - 1].end + 1 == colon.start
    return (following is not None and following.token_type == TokenType.VAR and following.start == colon.end + 1
            and not labelled)


def _ordered_inside(tokens: list[Token], words: list[str], opening: int) -> bool:
    """Whether an ORDER BY stands in the call's own parentheses, opened at `opening` (not in a
    subquery inside them)."""
    depth = 0
    for at in range(opening, matching_parenthesis(tokens, opening) or opening):
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tokens[at].token_type, 0)
        if depth == 1 and words[at] == "ORDER BY":
            return True
    return False


def _grouped_by_number(tokens: list[Token], words: list[str], start: int) -> bool:
    """Whether an item of the GROUP BY list that starts at `start` is a number alone (GROUP BY 1, 2)."""
    depth, item_start = 0, start
    for at in range(start, len(tokens) + 1):
        kind = tokens[at].token_type if at < len(tokens) else None
        ends_item = kind is None or (depth == 0 and (kind in (TokenType.COMMA, TokenType.R_PAREN) or words[at] in _AFTER_GROUPS))
        if ends_item and at == item_start + 1 and tokens[item_start].token_type == TokenType.NUMBER:
            return True
        if ends_item and kind != TokenType.COMMA:
            return False
        if ends_item:
            item_start = at + 1
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(kind, 0)
    return False


def _type_stands(tokens: list[Token], words: list[str], at: int) -> bool:
    """Whether a type stands at `at`: after the AS of a CAST or TRY_CAST (or after the type there,
    for BIGINT UNSIGNED), after a variable's name in a DECLARE, or after a column's name where a
    table's columns are defined."""
    before = at - 1
    named = before - 1 if words[before] == "AS" else before  # DECLARE @x AS ...
    if words[0] == "DECLARE" and named > 0 and tokens[named].token_type == TokenType.VAR and (
            tokens[named - 1].token_type == TokenType.PARAMETER):
        return True
    if "TABLE" in words and _defines_column(tokens, words, before):
        return True
    if words[before] != "AS" and tokens[before].token_type not in Parser.TYPE_TOKENS:
        return False
    opening = opening_parenthesis(tokens, before)  # the parenthesis the type is inside, and the word before it
    return opening is not None and opening > 0 and words[opening - 1] in ("CAST", "TRY_CAST")


def _defines_column(tokens: list[Token], words: list[str], named: int) -> bool:
    """Whether the name at `named` is a column's, given its type after it, in the parentheses of
    CREATE TABLE #t (...) or DECLARE @t TABLE (...)."""
    if named < 1 or tokens[named].token_type not in NAME_TOKENS:
        return False
    if tokens[named - 1].token_type not in (TokenType.L_PAREN, TokenType.COMMA):
        return False
    opening = opening_parenthesis(tokens, named - 1)  # the parenthesis the column is in, just after the table's name
    return opening is not None and "TABLE" in words[max(0, opening - 5) : opening]


def _called(tokens: list[Token], words: list[str], at: int) -> bool:
    """Whether the name at `at`, before a parenthesis, is a function call: not schema-qualified,
    not in an ODBC escape ({fn NOW()}), not a table, CTE or column list named like a function
    (nor a derived table's, named after its parenthesis)."""
    before = tokens[at - 1] if at else None
    if before is not None and (before.token_type in (TokenType.DOT, TokenType.R_PAREN) or words[at - 1] in _NAMING
                               or (before.text.lower() == "fn" and at > 1 and tokens[at - 2].token_type == TokenType.L_BRACE)):
        return False
    closing = matching_parenthesis(tokens, at + 1)
    cte = (closing is not None and words[closing + 1 : closing + 2] == ["AS"]  # WITH a AS (...), now (x) AS (...)
           and matching_parenthesis(tokens, closing + 2) is not None)
    return not cte


def _listed_table_function(tokens: list[Token], at: int, tree: exp.Expression) -> bool:
    """Whether the call at `at` may be a district's table-valued function in a FROM list, which
    SQL Server finds by its name alone: FROM Person p, Split(@list, ',') s."""
    return tokens[at - 1].token_type == TokenType.COMMA and any(
        isinstance(table.this, exp.Func) for table in tree.find_all(exp.Table))


def _foreign_tree(tree: exp.Expression, tokens: list[Token]) -> tuple[str, Token | None] | None:
    tops = sum(1 for token in tokens if token.token_type == TokenType.TOP)
    if sum(1 for _ in tree.find_all(exp.Limit)) > tops:  # sqlglot reads TOP and LIMIT alike
        where = next((t for t in tokens if t.token_type == TokenType.LIMIT), None)
        return ("LIMIT is MySQL's and PostgreSQL's, not SQL Server's: write SELECT TOP (n) ..., or ORDER BY ... OFFSET m "
                "ROWS FETCH NEXT n ROWS ONLY"), where
    for node in tree.find_all(exp.Join, exp.Distinct, exp.Select, exp.Boolean, exp.Interval, exp.Filter, exp.Lateral,
                              exp.Delete):
        reason = _foreign_node(node)
        if reason:
            return reason, None
    return None


def _foreign_node(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Join) and node.args.get("using"):
        return "JOIN ... USING (column) is not SQL Server's: write JOIN ... ON a.column = b.column"
    if isinstance(node, exp.Delete) and node.args.get("using"):
        return ("DELETE ... USING is PostgreSQL's, not SQL Server's: name the table to delete from, then join in a FROM: "
                "DELETE t FROM #t t JOIN Other o ON o.id = t.id")
    if isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "NATURAL":
        return "NATURAL JOIN is not SQL Server's: write JOIN ... ON, naming the columns that match"
    if isinstance(node, exp.Distinct) and node.args.get("on"):
        return ("DISTINCT ON is PostgreSQL's, not SQL Server's: number the rows with ROW_NUMBER() OVER (PARTITION BY ... "
                "ORDER BY ...) and keep the first")
    if isinstance(node, exp.Select) and node.args.get("qualify"):
        return "QUALIFY is not SQL Server's: filter the window function's result in an outer query"
    if isinstance(node, exp.Boolean):
        return "TRUE and FALSE are not values in SQL Server: write 1 and 0 (a bit)"
    if isinstance(node, exp.Interval):
        return "INTERVAL is not SQL Server's: write DATEADD(day, n, date)"
    if isinstance(node, exp.Lateral) and node.args.get("cross_apply") is None:  # not CROSS or OUTER APPLY
        return ("LATERAL is PostgreSQL's and MySQL's, not SQL Server's: write CROSS APPLY (SELECT ...) alias, or OUTER "
                "APPLY to keep the rows it finds nothing for")
    if isinstance(node, exp.Filter):
        return ("an aggregate's FILTER (WHERE ...) is PostgreSQL's, not SQL Server's: put the condition in a CASE inside "
                "it, SUM(CASE WHEN ... THEN x END), COUNT(CASE WHEN ... THEN 1 END)")
    return None
