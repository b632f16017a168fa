"""Keywords where SQL Server does not take them and sqlglot reads past them: a query's clauses out
of order (ORDER BY ... WHERE) or twice, a clause with nothing in it (FROM FROM), a comma left
before one (GROUP BY a, ORDER BY a, where the last item was commented out), an ORDER BY before
UNION, a CTE without its AS, OUTER JOIN without its side, a CASE's WHEN without its THEN, DISTINCT
after TOP."""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from advisor.frontend.wrong_tree import WrongTree, spanning

# A query's clauses, in the order SQL Server takes them
_RANKS = {"FROM": 1, "WHERE": 2, "GROUP BY": 3, "HAVING": 4, "ORDER BY": 5}
_ORDER = "FROM, WHERE, GROUP BY, HAVING, ORDER BY"
# Words no comma comes right before, and that cannot come right after one of _EMPTY_BEFORE
_SET_OPERATORS = frozenset({"UNION", "EXCEPT", "INTERSECT"})
_NO_COMMA_BEFORE = frozenset({*_RANKS, *_SET_OPERATORS, "INTO", "OPTION"})
_EMPTY_BEFORE = frozenset({*_RANKS, "INTO"})
_JOIN_METHODS = frozenset({"HASH", "MERGE", "LOOP", "REMOTE"})  # LEFT OUTER HASH JOIN
_SIDES = frozenset({"LEFT", "RIGHT", "FULL"})
_CHANGES = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"})
_WATCHED = frozenset({*_CHANGES, *_NO_COMMA_BEFORE, "DISTINCT", "OUTER", "CASE", "WHEN", "THEN", "ELSE", "END"})
_PARENS = (TokenType.L_PAREN, TokenType.R_PAREN)


def check_clause_words(tokens: list[Token], words: list[str]) -> None:
    """One pass over a statement's tokens, with what is open at each depth of parentheses."""
    ranks = [0]  # for each depth: the last clause of the query there, by its rank
    whens: list[Token | None] = []  # for each CASE open: its WHEN that still waits for a THEN
    naming = words[0] == "WITH"  # in a WITH's list of CTEs, before the statement they serve
    # most tokens are none of these: one quick pass picks the rest out
    for at in [at for at, (token, word) in enumerate(zip(tokens, words)) if word in _WATCHED or token.token_type in _PARENS]:
        token, word, kind = tokens[at], words[at], tokens[at].token_type
        if kind == TokenType.L_PAREN:
            if naming and len(ranks) == 1 and words[at + 1 : at + 2] in (["SELECT"], ["WITH"]) and _cte_name(tokens, words, at):
                named = tokens[at - 1]
                raise WrongTree(f"the CTE {named.text} needs AS before its query, WITH {named.text} AS (SELECT ...): SQL "
                                "Server rejects it without", spanning(named))
            ranks.append(0)
        elif kind == TokenType.R_PAREN:
            if len(ranks) > 1:
                ranks.pop()
        elif word in _CHANGES:
            ranks[-1] = 0  # a query of its own: after UNION, or the statement the CTEs serve
            naming = naming and len(ranks) > 1
        elif word in _NO_COMMA_BEFORE and not (word == "FROM" and at and words[at - 1] == "DISTINCT"):  # IS DISTINCT FROM
            _check_clause(tokens, words, at, ranks)
        elif word == "DISTINCT" and _after_top(tokens, words, at):
            raise WrongTree("DISTINCT comes before TOP, SELECT DISTINCT TOP 10 ...: SQL Server rejects it after",
                            spanning(token))
        elif word == "OUTER" and _sideless_join(words, at):
            raise WrongTree("OUTER JOIN needs LEFT, RIGHT or FULL before it, the side whose every row it keeps: SQL Server "
                            "rejects it without", spanning(token))
        elif word == "CASE":
            whens.append(None)
        elif word in ("WHEN", "ELSE", "END") and whens:
            waiting = whens[-1]
            if waiting is not None:
                raise WrongTree("this WHEN needs its THEN and the value it gives: SQL Server rejects it without",
                                spanning(waiting))
            if word == "WHEN":
                whens[-1] = token
            elif word == "END":
                whens.pop()
        elif word == "THEN" and whens:
            whens[-1] = None


def _check_clause(tokens: list[Token], words: list[str], at: int, ranks: list[int]) -> None:
    """A clause's word where SQL Server does not take it: after a comma, right before another
    clause's, after the clauses that come after it in its query, or a second time there."""
    word, token = words[at], tokens[at]
    if at and tokens[at - 1].token_type == TokenType.COMMA:
        raise WrongTree(f"a comma before {word}: SQL Server rejects it", spanning(tokens[at - 1]))
    if word in _EMPTY_BEFORE and words[at + 1 : at + 2] and words[at + 1] in _NO_COMMA_BEFORE:
        raise WrongTree(f"{word} has nothing after it: SQL Server rejects it", spanning(token))
    if word in _SET_OPERATORS and ranks[-1] == _RANKS["ORDER BY"]:
        raise WrongTree(f"an ORDER BY before {word}: SQL Server sorts only the whole result, with one ORDER BY after the "
                        "last query (or a query in parentheses with its TOP)", spanning(token))
    rank = _RANKS.get(word)
    if rank is None:
        return
    if rank < ranks[-1]:
        before = next(name for name, value in _RANKS.items() if value == ranks[-1])
        raise WrongTree(f"{word} comes after {before}: SQL Server takes a query's clauses in the order {_ORDER}",
                        spanning(token))
    if rank == ranks[-1] and word != "FROM":  # DELETE FROM t FROM t JOIN ...: the second FROM is the joined tables
        fix = "join the conditions with AND" if word in ("WHERE", "HAVING") else "list the columns in one"
        raise WrongTree(f"a second {word} in one query: SQL Server rejects it; {fix}", spanning(token))
    ranks[-1] = rank


def _cte_name(tokens: list[Token], words: list[str], at: int) -> bool:
    """Whether the parenthesis at `at` follows a CTE's name: WITH name (SELECT ..., or , name (SELECT."""
    return at >= 2 and tokens[at - 1].token_type != TokenType.R_PAREN and (
        tokens[at - 2].token_type == TokenType.COMMA or words[at - 2] == "WITH")


def _after_top(tokens: list[Token], words: list[str], at: int) -> bool:
    """Whether the word at `at` follows a TOP and its count: TOP 10, TOP (5) PERCENT WITH TIES."""
    before = at - 1
    if before >= 2 and words[before - 1 : before + 1] == ["WITH", "TIES"]:
        before -= 2
    if before >= 1 and words[before] == "PERCENT":
        before -= 1
    if before >= 1 and tokens[before].token_type == TokenType.R_PAREN:
        depth = 0
        while before >= 1:  # back to the parenthesis it closes
            depth += {TokenType.R_PAREN: 1, TokenType.L_PAREN: -1}.get(tokens[before].token_type, 0)
            if depth == 0:
                break
            before -= 1
    return before >= 1 and words[before - 1] == "TOP"


def _sideless_join(words: list[str], at: int) -> bool:
    following = words[at + 1 : at + 3]
    joins = following[:1] == ["JOIN"] or (following[:1] and following[0] in _JOIN_METHODS and following[1:] == ["JOIN"])
    return bool(joins) and (at == 0 or words[at - 1] not in _SIDES)
