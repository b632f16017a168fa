"""IF ... ELSE: the statements a script runs on one branch or the other, never both. SSRS data
sets and district procedures choose a query by a parameter (IF @school = 0 ... ELSE ...); the
script then takes as long as its slower branch, not as both together."""

from __future__ import annotations

from advisor.frontend.parse import Script

_ARMS = ("IF", "ELSE")


def if_branches(script: Script) -> dict[int, tuple[tuple[int, str], ...]]:
    """For each statement inside IF or ELSE, by index: the IF statements it depends on (index) and
    the branch it is in ("IF" or "ELSE"), outermost first."""
    open_ifs: list[tuple[int, int]] = []  # (depth of the IF statement, its index)
    found: dict[int, tuple[tuple[int, str], ...]] = {}
    for statement in script.statements:
        while open_ifs and not statement.inside(open_ifs[-1][0], _ARMS):
            open_ifs.pop()
        if open_ifs:
            found[statement.index] = tuple((index, statement.enclosing[depth]) for depth, index in open_ifs)
        if statement.keyword == "IF":
            open_ifs.append((len(statement.enclosing), statement.index))
    return found
