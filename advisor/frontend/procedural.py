"""The shapes of the statements that drive a script rather than read tables: FETCH, OPEN, CLOSE,
DEALLOCATE, THROW, RAISERROR, GOTO, WAITFOR, BREAK, CONTINUE; and of the other statements that
hold no query (GRANT, ALTER TABLE, BACKUP...), that they do not end half-written. sqladvise
analyses nothing in them and sqlglot reads few of them, but SQL Server rejects them misshapen: the
batch stops there."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot.tokens import Token, TokenType

from advisor.frontend.arguments import depth0_commas
from advisor.frontend.empty_items import check_empty_items
from advisor.frontend.repairs import NAME_TOKENS, matching_parenthesis
from advisor.frontend.wrong_tree import WrongTree, spanning

_ORIENTATIONS = frozenset({"NEXT", "PRIOR", "FIRST", "LAST"})
_POSITIONED = frozenset({"ABSOLUTE", "RELATIVE"})  # FETCH ABSOLUTE 5 FROM c, RELATIVE -1, ABSOLUTE @n
_NAMES = (TokenType.VAR, TokenType.IDENTIFIER, TokenType.PARAMETER)  # c, [my cursor], @c
_KEYS = frozenset({"SYMMETRIC", "MASTER", "ALL"})  # OPEN SYMMETRIC KEY k ..., CLOSE ALL SYMMETRIC KEYS


# Words no statement without a query ends with: GRANT SELECT ON t TO, ALTER TABLE #t ADD
_UNFINISHED = frozenset({"TO", "ADD", "FROM", "DROP", "COLUMN"})
# A routine's body follows its header as statements of their own: CREATE PROCEDURE p AS ends there
_ROUTINES = frozenset({"CREATE PROCEDURE", "ALTER PROCEDURE", "CREATE FUNCTION", "ALTER FUNCTION", "CREATE TRIGGER",
                       "ALTER TRIGGER"})


def check_procedural(keyword: str, tokens: list[Token], words: list[str], text: str) -> None:
    check = _CHECKS.get(keyword)
    if check is not None:
        check(tokens, words)
    check_empty_items(tokens, words, text)
    last = tokens[-1]
    if keyword not in _ROUTINES and len(tokens) > 1 and (words[-1] in _UNFINISHED or last.token_type == TokenType.COMMA):
        missing = ("with a comma, and the item after it" if last.token_type == TokenType.COMMA
                   else f"at {words[-1]}, and what follows it")
        raise WrongTree(f"it ends {missing} missing: SQL Server rejects it", spanning(last))


def _fetch(tokens: list[Token], words: list[str]) -> None:
    if words[-1] == "ONLY":  # ORDER BY a FETCH NEXT 10 ROWS ONLY, cut at FETCH as a cursor's
        raise _whole(tokens, "FETCH ... ROWS ONLY needs OFFSET before it, ORDER BY ... OFFSET 0 ROWS FETCH NEXT 10 ROWS "
                             "ONLY (or TOP 10): SQL Server rejects it without")
    at, oriented = 1, words[1:2] and (words[1] in _ORIENTATIONS or words[1] in _POSITIONED)
    if oriented:
        at += 1
        if words[1] in _POSITIONED:  # its row's number: 5, -1 or @n
            at += tokens[at].token_type in (TokenType.DASH, TokenType.PLUS) if at < len(tokens) else 0
            at += 2 if at < len(tokens) and tokens[at].token_type == TokenType.PARAMETER else 1
    if words[at : at + 1] == ["FROM"]:
        at += 1
    elif oriented:
        raise _whole(tokens, f"FETCH {words[1]} needs FROM before the cursor's name, FETCH {words[1]} FROM c INTO @a: "
                             "SQL Server rejects it without")
    at = _after_cursor(tokens, words, at)
    if at is None:
        raise _whole(tokens, "FETCH needs the cursor's name: SQL Server rejects it without")
    if at < len(tokens) and (words[at] != "INTO" or at + 1 == len(tokens)):
        raise _whole(tokens, "after the cursor's name FETCH takes only INTO and the variables it fills, FETCH NEXT FROM "
                             "c INTO @a, @b: SQL Server rejects anything else")


def _cursor_named(tokens: list[Token], words: list[str]) -> None:
    """OPEN, CLOSE and DEALLOCATE: one cursor, by its name or its variable."""
    if words[1:2] and words[1] in _KEYS:
        return
    if _after_cursor(tokens, words, 1) != len(tokens):
        raise _whole(tokens, f"{words[0]} takes one cursor's name, {words[0]} c: SQL Server rejects anything else")


def _throw(tokens: list[Token], words: list[str]) -> None:
    if len(tokens) > 1 and depth0_commas(tokens, 1, len(tokens)) != 2:
        raise _whole(tokens, "THROW takes an error number, a message and a state, THROW 50000, 'message', 1 (or nothing, "
                             "in a CATCH block): SQL Server rejects anything else")


def _raiserror(tokens: list[Token], words: list[str]) -> None:
    closing = matching_parenthesis(tokens, 1) if len(tokens) > 1 and tokens[1].token_type == TokenType.L_PAREN else None
    if closing is None or depth0_commas(tokens, 2, closing) < 2:
        raise _whole(tokens, "RAISERROR takes its message, severity and state in parentheses, RAISERROR('message', 16, "
                             "1): SQL Server rejects anything else")


def _goto(tokens: list[Token], words: list[str]) -> None:
    if len(tokens) != 2:
        raise _whole(tokens, "GOTO takes one label's name: SQL Server rejects anything else")


def _waitfor(tokens: list[Token], words: list[str]) -> None:
    if len(tokens) > 1 and tokens[1].token_type == TokenType.L_PAREN:
        return  # WAITFOR (RECEIVE ...), TIMEOUT n
    if words[1:2] not in (["DELAY"], ["TIME"]) or len(tokens) == 2:
        raise _whole(tokens, "WAITFOR takes DELAY or TIME and a time, WAITFOR DELAY '00:00:05': SQL Server rejects "
                             "anything else")


def _alone(tokens: list[Token], words: list[str]) -> None:
    if len(tokens) > 1:
        raise _whole(tokens, f"{words[0]} takes nothing after it: SQL Server rejects anything there")


def _alter(tokens: list[Token], words: list[str]) -> None:
    """ALTER TABLE names the table, then what it changes."""
    if words[1:2] == ["TABLE"] and _one_name(tokens[2:]):
        raise _whole(tokens, "ALTER TABLE names a table, then what it changes (ADD, ALTER COLUMN, DROP COLUMN ...): SQL "
                             "Server rejects it without")


def table_variable_dropped(tokens: list[Token], words: list[str]) -> WrongTree | None:
    """DROP TABLE and TRUNCATE TABLE take tables, not table variables (@t), which sqlglot reads
    there as it reads tables."""
    at = next((at for at in range(2, len(tokens) - 1) if tokens[at].token_type == TokenType.PARAMETER), None)
    if words[1:2] != ["TABLE"] or at is None:
        return None
    return WrongTree(f"{words[0]} TABLE takes tables, and SQL Server rejects a table variable: it lasts until its batch "
                     f"ends, and DELETE FROM @{tokens[at + 1].text} empties it", spanning(tokens[at], tokens[at + 1]))


def _one_name(tokens: list[Token]) -> bool:
    """Whether the tokens are one name, of one part or several (#t, dbo.Person), or none."""
    kinds = [token.token_type for token in tokens]
    parts = kinds[1:] if kinds[:1] == [TokenType.HASH] else kinds
    return all(kind in NAME_TOKENS for kind in parts[::2]) and all(kind == TokenType.DOT for kind in parts[1::2])


def _after_cursor(tokens: list[Token], words: list[str], at: int) -> int | None:
    """Where a cursor's name or variable starting at `at` (after GLOBAL, if given) ends, or None."""
    at += words[at : at + 1] == ["GLOBAL"]
    named = at < len(tokens) and (words[at] not in ("", "INTO", "FROM") or tokens[at].token_type in _NAMES)
    if not named:
        return None
    return at + 2 if tokens[at].token_type == TokenType.PARAMETER else at + 1


def _whole(tokens: list[Token], reason: str) -> WrongTree:
    return WrongTree(reason, spanning(tokens[0], tokens[-1]))


_CHECKS: dict[str, Callable[[list[Token], list[str]], None]] = {
    "FETCH": _fetch, "OPEN": _cursor_named, "CLOSE": _cursor_named, "DEALLOCATE": _cursor_named, "THROW": _throw,
    "RAISERROR": _raiserror, "GOTO": _goto, "WAITFOR": _waitfor, "BREAK": _alone, "CONTINUE": _alone, "ALTER": _alter,
}
