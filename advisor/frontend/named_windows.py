"""SQL Server 2022's WINDOW clause: `ROW_NUMBER() OVER w ... WINDOW w AS (PARTITION BY ... ORDER
BY ...)`. sqlglot keeps the name on the OVER and the definition on its SELECT; the rest of
sqladvise reads a window's PARTITION BY, ORDER BY and frame on the OVER itself. So each OVER that
names a window is given what the definition says and it does not say itself (OVER (w ORDER BY x)
adds an ORDER BY to w), as if written there, and the WINDOW clause is dropped from the tree."""

from __future__ import annotations

from sqlglot import exp

from advisor.frontend.lenient_reads import ORDERED_WINDOWS, called_name
from advisor.frontend.positions import text_bounds
from advisor.frontend.wrong_tree import WrongTree

_PARTS = ("partition_by", "order", "spec")


def expand_named_windows(tree: exp.Expression, text: str) -> None:
    """Each OVER that names a window, given its definition's parts; SQL Server rejects a name no
    WINDOW clause of the OVER's SELECT defines, and a definition that leads back to itself."""
    selects: dict[int, exp.Select] = {}
    for window in list(tree.find_all(exp.Window)):
        name = window.args.get("alias")
        if name is None or window.arg_key == "windows":
            continue  # OVER (...) written out, or a definition, which is given its parts when an OVER names it
        select = window.find_ancestor(exp.Select)
        _take_parts(window, _definitions(select), text)
        function = window.this.this if isinstance(window.this, (exp.IgnoreNulls, exp.RespectNulls)) else window.this
        if isinstance(function, ORDERED_WINDOWS) and not window.args.get("order"):
            # said here, where the name is: the window's parts now have the WINDOW clause's places
            raise WrongTree(f"{called_name(function)}'s OVER needs an ORDER BY, and neither it nor the window {name.name} "
                            "it names has one: SQL Server rejects it, as the rows have no order for it otherwise",
                            text_bounds(name, text))
        window.set("alias", None)
        if select is not None:
            selects[id(select)] = select
    for select in selects.values():
        select.set("windows", None)


def _definitions(select: exp.Select | None) -> dict[str, exp.Window]:
    """The windows a SELECT's WINDOW clause defines, by lower-case name."""
    defined = select.args.get("windows") if select is not None else None
    return {window.name.lower(): window for window in defined or []}


def _take_parts(window: exp.Window, defined: dict[str, exp.Window], text: str) -> None:
    """The window given, for each part it lacks, the part of the definition it names, or of the
    window that definition names in turn (WINDOW a AS (PARTITION BY x), b AS (a ORDER BY y))."""
    name = window.args["alias"]
    seen: set[str] = set()
    while name is not None:
        key = name.name.lower()
        if key in seen:
            raise WrongTree(f"the window {name.name} is defined by way of itself: SQL Server rejects it",
                            text_bounds(name, text))
        if key not in defined:
            raise WrongTree(f"OVER names the window {name.name}, which no WINDOW clause of its SELECT defines: SQL "
                            "Server rejects it; define it there, WINDOW w AS (PARTITION BY ... ORDER BY ...), or "
                            "write the window out in the OVER", text_bounds(name, text))
        seen.add(key)
        definition = defined[key]
        for part in _PARTS:
            given = definition.args.get(part)
            if given and not window.args.get(part):
                window.set(part, [item.copy() for item in given] if isinstance(given, list) else given.copy())
        name = definition.args.get("alias")
