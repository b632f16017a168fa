"""A CREATE VIEW followed by another statement in its batch: a view's definition is one query, and
CREATE VIEW must be the only statement of its batch (error 111). A script that creates a view and
then selects from it, with no GO between, is the usual way to write it; the reader takes the
whole batch for the view, and here the view is told apart from what follows it."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.tokens import Token, TokenType

from advisor.frontend.split import STARTERS
from advisor.frontend.wrong_tree import WrongTree

# Words a statement can start with that also continue a view's query on a line of their own
_CONTINUING = frozenset({"UNION", "EXCEPT", "INTERSECT", "ALL"})


def is_view(words: list[str]) -> bool:
    """CREATE VIEW, ALTER VIEW, CREATE OR ALTER VIEW."""
    return words[:1] in (["CREATE"], ["ALTER"]) and "VIEW" in words[1:4] and words[1] in ("VIEW", "OR")


def view_not_alone(tokens: list[Token], words: list[str], parse: Callable[[list[Token]], exp.Expression]) -> WrongTree | None:
    """The error for a view whose batch goes on after its query: the first line that starts a
    statement, before which the view reads whole. None where no such line is found."""
    depth = 0
    for at in range(1, len(tokens)):
        kind = tokens[at].token_type
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(kind, 0)
        starts_line = tokens[at].line > tokens[at - 1].line
        if not (starts_line and depth == 0 and words[at] in STARTERS and words[at - 1] not in _CONTINUING):
            continue
        try:
            view = parse(tokens[:at])
        except ParseError:
            continue
        query = view.expression if isinstance(view, exp.Create) else (view.args.get("actions") or [None])[0]
        if isinstance(view, (exp.Create, exp.Alter)) and isinstance(query, exp.Query):  # ALTER VIEW: an Alter
            written = " ".join(words[: words.index("VIEW") + 1])  # CREATE VIEW, ALTER VIEW, CREATE OR ALTER VIEW
            return WrongTree(f"{written} must be the only statement of its batch, and SQL Server rejects the batch (error "
                             f"111): a GO is missing after the view's query, before {tokens[at].text} on line "
                             f"{tokens[at].line}", (tokens[at].start, tokens[at].end + 1))
    return None
