"""A query's OPTION (...) hints as SQL Server takes them: a name it knows (known_names), a number
written out where the hint needs one (OPTION (MAXDOP) and MAXRECURSION @depth are rejected), and
nothing after a hint that takes nothing (RECOMPILE 5). sqlglot reads all of those."""

from __future__ import annotations

import re

from sqlglot.tokens import Token, TokenType

from advisor.frontend.known_names import unknown_query_hint
from advisor.frontend.repairs import depth0_index
from advisor.frontend.wrong_tree import WrongTree

# Each hint that needs a number, written as SQL Server takes it, and the number's form
_WHOLE, _ANY = re.compile(r"\d+"), re.compile(r"\d+(?:\.\d*)?|\.\d+")
_NUMBERED = {"MAXDOP": ("MAXDOP 1", _WHOLE), "FAST": ("FAST 100", _WHOLE), "MAXRECURSION": ("MAXRECURSION 1000", _WHOLE),
             "QUERYTRACEON": ("QUERYTRACEON 4199", _WHOLE), "MAX_GRANT_PERCENT": ("MAX_GRANT_PERCENT = 10", _ANY),
             "MIN_GRANT_PERCENT": ("MIN_GRANT_PERCENT = 5", _ANY)}
_TAKING_NOTHING = ("RECOMPILE", "KEEP PLAN", "KEEPFIXED PLAN", "ROBUST PLAN", "EXPAND VIEWS", "FORCE ORDER",
                   "NO_PERFORMANCE_SPOOL", "HASH JOIN", "LOOP JOIN", "MERGE JOIN", "HASH GROUP", "ORDER GROUP",
                   "CONCAT UNION", "HASH UNION", "MERGE UNION")


def check_query_options(tokens: list[Token], words: list[str]) -> None:
    """A statement's OPTION clause at its end, each of its items as SQL Server takes it."""
    option = trailing_option(tokens, words)
    if option is not None:
        wrong = next(filter(None, map(misused_query_hint, option_items(tokens[option + 2 : -1]))), None)
        if wrong is not None:
            raise WrongTree(wrong, (tokens[option].start, tokens[-1].end + 1))


def misused_query_hint(item: str) -> str | None:
    """Why SQL Server rejects an OPTION (...) item, its tokens in upper case: FORCE ORDER, MAXDOP 1."""
    unknown = unknown_query_hint(item)
    if unknown is not None:
        return unknown
    name, _, rest = item.partition(" ")
    if name in _NUMBERED:
        example, number = _NUMBERED[name]
        given = rest.removeprefix("= ") if "=" in example else rest
        if not rest:
            return f"OPTION ({name}) needs its number, OPTION ({example}): SQL Server rejects it without"
        if not number.fullmatch(given) or ("=" in example) != rest.startswith("= "):
            kind = "a whole number" if number is _WHOLE else "a number"
            return f"{name} takes {kind} written out, OPTION ({example}): SQL Server rejects anything else"
    taking_nothing = next((hint for hint in _TAKING_NOTHING if item.startswith(hint + " ")), None)
    if taking_nothing is not None:
        return f"OPTION ({taking_nothing}) takes nothing after it: SQL Server rejects anything there"
    return None


def option_items(tokens: list[Token]) -> tuple[str, ...]:
    """FORCE ORDER, MAXDOP 1, OPTIMIZE FOR (@p UNKNOWN): the comma-separated items, upper case."""
    items: list[list[str]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.COMMA and depth == 0:
            items.append([])
            continue
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        items[-1].append(token.text.upper())
    return tuple(" ".join(item) for item in items if item)


def trailing_option(tokens: list[Token], words: list[str]) -> int | None:
    """Where the statement's OPTION (...) clause starts, if it ends the statement."""
    at = depth0_index(tokens, words, ("OPTION",))
    if at is None or at + 1 >= len(tokens) or tokens[at + 1].token_type != TokenType.L_PAREN:
        return None
    if tokens[-1].token_type != TokenType.R_PAREN:
        return None
    return at
