"""SET's session options: the ones SQL Server knows, and what each takes. sqlglot reads any word
after SET as an option given a value (SET DATEFIRTS 7, SET NOCOUNT ONN), and SET @x 5 as an
assignment; SQL Server rejects all three."""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from advisor.frontend.known_names import guess
from advisor.frontend.repairs import COMPOUND_OPERATORS
from advisor.frontend.wrong_tree import WrongTree, spanning

# Options turned ON or OFF, several at once with commas (SET NOCOUNT, XACT_ABORT ON). NO_BROWSETABLE
# is undocumented, but drivers send it and traces show it.
_SWITCHES = frozenset({
    "ANSI_DEFAULTS", "ANSI_NULL_DFLT_OFF", "ANSI_NULL_DFLT_ON", "ANSI_NULLS", "ANSI_PADDING", "ANSI_WARNINGS",
    "ARITHABORT", "ARITHIGNORE", "CONCAT_NULL_YIELDS_NULL", "CURSOR_CLOSE_ON_COMMIT", "FMTONLY", "FORCEPLAN",
    "IMPLICIT_TRANSACTIONS", "NOCOUNT", "NOEXEC", "NUMERIC_ROUNDABORT", "PARSEONLY", "QUOTED_IDENTIFIER",
    "REMOTE_PROC_TRANSACTIONS", "SHOWPLAN_ALL", "SHOWPLAN_TEXT", "SHOWPLAN_XML", "XACT_ABORT", "NO_BROWSETABLE",
    "RESULT_SET_CACHING",
})
# Also turned ON or OFF, with more words after the option: SET STATISTICS IO ON, SET
# IDENTITY_INSERT dbo.Course ON, SET OFFSETS SELECT, FROM ON; and SET FIPS_FLAGGER OFF.
_NAMED_FURTHER = frozenset({"STATISTICS", "IDENTITY_INSERT", "OFFSETS"})
_STATISTICS = frozenset({"IO", "TIME", "XML", "PROFILE"})
# Options given a value: SET DATEFIRST 7, SET LANGUAGE us_english, SET DEADLOCK_PRIORITY LOW
_VALUED = frozenset({
    "DATEFIRST", "DATEFORMAT", "DEADLOCK_PRIORITY", "LOCK_TIMEOUT", "LANGUAGE", "QUERY_GOVERNOR_COST_LIMIT",
    "ROWCOUNT", "TEXTSIZE", "CONTEXT_INFO", "FIPS_FLAGGER",
})
_LEVELS = frozenset({"READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SNAPSHOT", "SERIALIZABLE"})
_KNOWN = _SWITCHES | _VALUED | _NAMED_FURTHER | {"TRANSACTION"}
_ON_OFF = frozenset({"ON", "OFF"})
_ASSIGNING = (TokenType.EQ, TokenType.DOT)  # SET @x = ..., SET @doc.modify(...)


def check_isolation(tokens: list[Token], words: list[str]) -> None:
    """SET TRANSACTION ISOLATION LEVEL and one of its levels."""
    if words[2:4] != ["ISOLATION", "LEVEL"] or " ".join(words[4:]) not in _LEVELS:
        raise WrongTree("SET TRANSACTION ISOLATION LEVEL takes one of READ UNCOMMITTED, READ COMMITTED, REPEATABLE "
                        "READ, SNAPSHOT or SERIALIZABLE: SQL Server rejects anything else", spanning(tokens[0], tokens[-1]))


def switched(tokens: list[Token], words: list[str]) -> bool:
    """Whether the statement turns options ON or OFF (SET NOCOUNT ON), not a variable's value."""
    return len(tokens) > 2 and words[-1] in _ON_OFF and tokens[1].token_type != TokenType.PARAMETER


def check_switches(tokens: list[Token], words: list[str]) -> None:
    """Each option a SET ... ON or OFF names is one SQL Server turns on and off."""
    start, statistics = 1, False
    for end in [*(at for at, token in enumerate(tokens) if token.token_type == TokenType.COMMA), len(tokens) - 1]:
        if end == start:
            raise _at(tokens[end], "an option's name is missing here: SQL Server rejects it")
        option = words[start]
        if option == "STATISTICS" or (statistics and option in _STATISTICS):  # SET STATISTICS IO, TIME ON
            statistics = True
            if end != start + 1 + (option == "STATISTICS") or words[end - 1] not in _STATISTICS:
                raise _at(tokens[start], "SET STATISTICS names IO, TIME, XML or PROFILE, then ON or OFF: SQL Server "
                                         "rejects it otherwise")
        elif option in ("IDENTITY_INSERT", "OFFSETS"):
            if end == start + 1:
                raise _at(tokens[start], f"SET {option} names {'a table' if option == 'IDENTITY_INSERT' else 'words'} "
                                         "before ON or OFF: SQL Server rejects it without")
            return  # what follows is a table's name or a list of words, commas and all
        elif option == "FIPS_FLAGGER" and end == start + 1 and words[-1] == "OFF":
            pass
        elif option in _VALUED:
            raise _at(tokens[start], f"SET {option} takes a value, not ON or OFF: SQL Server rejects it")
        elif option not in _SWITCHES or end != start + 1:
            raise _unknown(tokens[start], option or tokens[start].text)
        start = end + 1


def check_other(tokens: list[Token], words: list[str]) -> None:
    """A SET that neither turns options ON or OFF nor is compound assignment: a variable's
    assignment needs its =, an option given a value needs the value."""
    if len(tokens) == 1:
        return  # SET alone: the tree's checks say it ends where it needs more
    if tokens[1].token_type == TokenType.PARAMETER:
        after = tokens[3] if len(tokens) > 3 else None
        if after is None or after.token_type not in _ASSIGNING:
            name = f"@{tokens[2].text}" if len(tokens) > 2 else "@"
            raise _at(after or tokens[-1], f"the = between {name} and its value is missing (SET {name} = ...): SQL "
                                           "Server rejects it")
        return
    option = words[1]
    if len(tokens) > 2 and tokens[2].token_type == TokenType.EQ:
        return  # SET total = 0: a variable without its @, which the tree's checks name
    if option in _SWITCHES or option in _NAMED_FURTHER:
        raise _at(tokens[-1] if len(tokens) > 2 else tokens[1], f"SET {option} takes ON or OFF: SQL Server rejects "
                                                                  "anything else")
    if option not in _VALUED:
        raise _unknown(tokens[1], option or tokens[1].text)
    if len(tokens) == 2:
        raise _at(tokens[1], f"SET {option} needs the value it sets: SQL Server rejects it without")


def check_one_variable(tokens: list[Token]) -> None:
    """A SET gives one variable its value: SET @a = 1, @b = 2 is T-SQL's SELECT written as SET."""
    depth = 0
    for at, token in enumerate(tokens):
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        if depth == 0 and token.token_type == TokenType.COMMA and _assigns(tokens[at + 1 : at + 5]):
            first, second = tokens[2].text, tokens[at + 2].text
            raise WrongTree(f"a SET gives one variable its value, and SQL Server rejects a second: write SET @{second} "
                            f"= ... on its own, or SELECT @{first} = ..., @{second} = ... to give both",
                            spanning(tokens[at + 1], tokens[at + 2]))


def _assigns(tokens: list[Token]) -> bool:
    """Whether the tokens start a variable's assignment: @b = ..., or @b += ..."""
    kinds = [token.token_type for token in tokens]
    return kinds[:2] == [TokenType.PARAMETER, TokenType.VAR] and (
        kinds[2:3] == [TokenType.EQ] or (kinds[3:4] == [TokenType.EQ] and kinds[2] in COMPOUND_OPERATORS))


def _unknown(token: Token, option: str) -> WrongTree:
    return _at(token, f"SQL Server's SET has no option {option}, and a variable's name starts with @: "
                      f"{guess(option, _KNOWN)}")


def _at(token: Token, reason: str) -> WrongTree:
    return WrongTree(reason, spanning(token))
