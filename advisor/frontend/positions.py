"""Where things are in the text: sqlglot keeps positions on identifiers, literals and function
names only, and the front end gives variables theirs (dialect.with_placed_variables), so the rest
is found from those or from the text itself."""

from __future__ import annotations

import re

from sqlglot import exp

from advisor.span import LineIndex, Span


def node_bounds(node: exp.Expression) -> tuple[int, int] | None:
    """The offsets a node covers in the text it was parsed from, from the positions sqlglot
    keeps on its identifiers, literals and function names."""
    meta = node._meta
    if meta and "start" in meta and isinstance(node, (exp.Identifier, exp.Literal)):
        return _start(node, meta), meta["end"] + 1  # a leaf: nothing below it to look at
    start = end = None
    for child in node.walk():
        meta = child._meta
        if meta and "start" in meta:
            if start is None or _start(child, meta) < start:
                start = _start(child, meta)
            if end is None or meta["end"] > end:
                end = meta["end"]
    if start is None:
        return None
    return start, end + 1


def _start(node: exp.Expression, meta: dict) -> int:
    """Where a node's text starts: a temp table's name at its # or ##, which sqlglot keeps as a
    flag on the name and not in its position."""
    if isinstance(node, exp.Identifier) and (node.args.get("temporary") or node.args.get("global_")):
        return meta["start"] - (2 if node.args.get("global_") else 1)
    return meta["start"]


def text_bounds(node: exp.Expression, text: str) -> tuple[int, int] | None:
    """A node's whole text in `text`, from the positions sqlglot keeps (`node_bounds`) and what it
    keeps none for around them: the ')' that ends YEAR(a.date), CONVERT's name before CONVERT(date,
    a.date), the '(' and SELECT of a subquery, TOP's and NOT's keywords, CASE's and its END,
    GETDATE()'s parentheses."""
    bounds = node_bounds(node)
    if bounds is None or isinstance(node, _PLAIN):
        return bounds
    start, end = bounds
    called = _CALLED.match(text, end)  # GETDATE(): the last position is the name's, before its parentheses
    if called and text[end - 1:end].isalnum():
        end = _closing(text, called.end() - 1, called.end()) or end
    end = _keywords_after(node, text, end)
    # Parentheses opened before the first position: those it closes, or those of the calls from the
    # node down to that position with no position of their own (CAST(SUBSTRING(| x, 2, 3) AS int)),
    # whichever are more; a subquery's own, unless it is a derived table, whose alias follows its ')'.
    wanted = max(_unmatched_closings(text, start, end), _unplaced_calls(node, start))
    if isinstance(node, exp.Subquery) and not node.alias:
        wanted += 1
    if wanted:
        opening = _unclosed(text, start, wanted)
        if opening is None:
            return bounds
        name = _NAME_BEFORE.search(text, max(opening - 128, 0), opening)
        start = name.start() if name and name.group().strip().upper() not in _KEYWORDS else opening
    if isinstance(node, exp.Select):
        keywords = list(_SELECT.finditer(text, max(start - _REACH, 0), start))
        start = keywords[-1].start() if keywords else start
    for part in reversed(_edge(node, first=True)):  # NOT a = 1 AND ...: NOT's keyword starts the AND too
        keyword = next((found for kind, words in _KEYWORDS_BEFORE if isinstance(part, kind)
                        and (found := words.search(text, max(start - 80, 0), start))), None)
        start = keyword.start() if keyword else start
    closing = _closing(text, start, end)
    if closing is None:
        return bounds
    # past what CAST(x AS int) IS NULL leaves before its NULL, once the parentheses are closed
    return start, _keywords_after(node, text, closing) if closing != end else end


def _keywords_after(node: exp.Expression, text: str, end: int) -> int:
    """The end moved past the keywords the node's text ends with, which have no position: CASE's
    END, the NULL of x IS NULL or of ELSE NULL, a COLLATE's collation, ORDER BY's DESC."""
    for part in reversed(_edge(node, first=False)):
        words = (_CASE_END if isinstance(part, exp.Case) else _null_after(part) if isinstance(part, exp.Null)
                 else _COLLATION if isinstance(part, exp.Var) and isinstance(part.parent, exp.Collate) else None)
        after = words.match(text, end) if words else None
        end = after.end() if after else end
    direction = _DIRECTION.match(text, end)  # ORDER BY x DESC, last in a subquery or an OVER (...)
    return direction.end() if direction and node.find(exp.Ordered) is not None else end


def _null_after(null: exp.Null) -> re.Pattern:
    parent = null.parent
    while isinstance(parent, exp.Paren):  # ELSE (NULL)
        parent = parent.parent
    if isinstance(parent, exp.Case):
        return _ELSE_NULL
    if isinstance(parent, exp.In):
        return _IN_NULL
    return _THEN_NULL if isinstance(parent, exp.If) and isinstance(parent.parent, exp.Case) else _NULL_AFTER


def _edge(node: exp.Expression, first: bool) -> list[exp.Expression]:
    """The node and the nodes its text starts with (`first`) or ends with, outermost first: a = b
    starts as a starts and ends as b ends; CASE ... END ends with its ELSE's value, then END."""
    chain = [node]
    while True:
        current, following = chain[-1], None
        if first and isinstance(current, (exp.Binary, exp.In, exp.Between, exp.Not)):
            following = current.this
        elif first and isinstance(current, exp.Case):
            following = current.this or next(iter(current.args.get("ifs") or []), None)
            following = following.this if isinstance(following, exp.If) else following
        elif not first and isinstance(current, exp.Binary):
            following = current.expression
        elif not first and isinstance(current, exp.In) and current.expressions:
            following = current.expressions[-1]
        elif not first and isinstance(current, (exp.Between, exp.Not)):
            following = current.args.get("high") if isinstance(current, exp.Between) else current.this
        elif not first and isinstance(current, exp.Case):
            whens = current.args.get("ifs") or []
            following = current.args.get("default") or (whens[-1].args.get("true") if whens else None)
        if isinstance(following, exp.Paren) and isinstance(following.unnest(), exp.Null):
            following = following.unnest()  # ELSE (NULL): its parentheses have no place either
        if not isinstance(following, exp.Expression):
            return chain
        chain.append(following)


def find_words(lines: LineIndex, words: str, start: int, end: int, last: bool = False) -> Span | None:
    """The span of `words` (any spacing, any case) in the text between two offsets."""
    pattern = re.compile(r"\b" + r"\s+".join(re.escape(part) for part in words.split()) + r"\b", re.IGNORECASE)
    matches = pattern.finditer(lines.text, start, end)
    match = None
    for match in matches:
        if not last:
            break
    return lines.span(match.start(), match.end()) if match else None


_DIRECTION = re.compile(r"\s+(?:ASC|DESC)\b", re.IGNORECASE)
_PLAIN = (exp.Identifier, exp.Literal, exp.Column, exp.Table)  # their positions are their whole text
# Functions to sqlglot, written without a call's parentheses: a = b, a AND b, NOT a, CASE ... END
_NOT_CALLS = (exp.Binary, exp.Connector, exp.Unary, exp.Predicate, exp.Case)
_NAME_BEFORE = re.compile(r"[\w$.\[\]]+[ \t]*$")  # a function's name before its parenthesis: CAST (x AS date)
# the keywords written before a node's first position: TOP (10), NOT (a < b), CASE WHEN (a < b)
_KEYWORDS_BEFORE = ((exp.Limit, re.compile(r"\bTOP\s*\(?\s*$", re.IGNORECASE)),
                    (exp.Not, re.compile(r"\bNOT\s*\(?\s*$", re.IGNORECASE)),
                    (exp.Neg, re.compile(r"-\s*$")),
                    # EXISTS (SELECT TOP (1) * FROM ...: sqlglot keeps no position for EXISTS, its
                    # parenthesis or SELECT, nor for what of its SELECT list is not a name or a number
                    (exp.Exists, re.compile(r"\bEXISTS\s*(?:\(\s*SELECT\b(?:[^()'\"\[\]]|\(\s*\d+\s*\))*)?$", re.IGNORECASE)),
                    (exp.Case, re.compile(r"\bCASE\b(?:\s|\(|\b(?:WHEN|NOT|EXISTS)\b|@[\w@#$]+|[=<>!+\-*/%])*$", re.IGNORECASE)))
# the keywords written after a node's last position, past the parentheses that close inside it:
# CASE's END, the NULL of x IS NULL, of THEN NULL and that ends an IN list, COLLATE and its collation
_CASE_END = re.compile(r"[\s)]*\bEND\b", re.IGNORECASE)
_COLLATION = re.compile(r"[\s)]*\bCOLLATE\s+\w+", re.IGNORECASE)
_CLOSED = r"(?:[\s)]|\bEND\b)*"  # what may stand before: the ends of what came before it
_NULL = r"\(*\s*NULL\b\s*\)*"  # NULL, or (NULL)
# ... THEN NULL ELSE NULL: the last WHEN's NULL has no place either
_ELSE_NULL = re.compile(_CLOSED + r"(?:\bTHEN\s+" + _NULL + r"\s*)?\bELSE\s+" + _NULL, re.IGNORECASE)
_THEN_NULL = re.compile(_CLOSED + r"\bTHEN\s+" + _NULL, re.IGNORECASE)
_NULL_AFTER = re.compile(_CLOSED + r"(?:\bIS\s+(?:NOT\s+)?|[=<>!+\-*/%]+\s*)NULL\b", re.IGNORECASE)
_IN_NULL = re.compile(_CLOSED + r"(?:\b(?:NOT\s+)?IN\s*\(\s*|,\s*)NULL\s*\)", re.IGNORECASE)  # IN ('09', NULL)
_CALLED = re.compile(r"[ \t]*\(")
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
# a comment, quoted text or quoted name is passed over whole
_PARENTHESES = re.compile(r"--[^\n]*|/\*[\s\S]*?(?:\*/|$)|'[^']*'?|\[[^\]]*\]?|\"[^\"]*\"?|[()]")
# keywords: sqlglot keeps no place for them, and none is a function's name before a parenthesis
_KEYWORDS = frozenset({"AND", "OR", "NOT", "IS", "NULL", "IN", "LIKE", "BETWEEN", "ESCAPE", "CASE", "WHEN", "THEN",
                       "ELSE", "END", "AS", "EXISTS", "SELECT", "DISTINCT", "TOP", "FROM", "WHERE", "JOIN", "ON",
                       "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "APPLY", "GROUP", "ORDER", "BY", "HAVING",
                       "ASC", "DESC", "UNION", "ALL", "WITH", "OVER", "VALUES", "INTO", "SET", "IF", "WHILE",
                       "RETURN", "PRINT", "UPDATE", "INSERT", "DELETE", "EXEC", "EXECUTE", "PERCENT", "TIES"})
_REACH = 4000  # parentheses further away than this are not looked for: the bounds stay as the positions give them


def _unplaced_calls(node: exp.Expression, start: int) -> int:
    """How many calls, from the node down to the position its text starts from, have no position of
    their own (sqlglot keeps none for CAST, SUBSTRING, DATEPART...): each has its name and '(' before,
    as has a type written with its length (CONVERT(varchar(60), ...) starts at the 60)."""
    starts = _subtree_starts(node)
    count = 0
    while node is not None and not (node._meta and node._meta.get("start") == start):
        if isinstance(node, exp.Func) and not isinstance(node, _NOT_CALLS) and not (
                isinstance(node, exp.If) and isinstance(node.parent, exp.Case)):
            count += 1  # (a CASE's WHEN ... THEN is an IIF to sqlglot; its ELSE's value is whatever it is)
        elif isinstance(node, exp.DataType) and node.expressions:
            count += 1
        node = next((child for child in node.iter_expressions() if starts.get(id(child)) == start), None)
    return count


def _subtree_starts(node: exp.Expression) -> dict[int, int]:
    """Where each node's text starts, as node_bounds finds it, worked out once for the whole tree
    from its leaves up: a chain of 3,000 strings joined with + would be walked 3,000 times over."""
    starts: dict[int, int] = {}
    for current in children_first(node):
        found = [starts[id(child)] for child in current.iter_expressions() if id(child) in starts]
        meta = current._meta
        if meta and "start" in meta:
            found.append(_start(current, meta))
        if found:
            starts[id(current)] = min(found)
    return starts


def _unmatched_closings(text: str, start: int, end: int) -> int:
    """How many ')' between the offsets close a '(' opened before `start`."""
    depth = unmatched = 0
    for _, character in _parentheses(text, start, end):
        if character == "(":
            depth += 1
        elif depth:
            depth -= 1
        else:
            unmatched += 1
    return unmatched


def _unclosed(text: str, before: int, wanted: int) -> int | None:
    """The offset of the `wanted`-th parenthesis left open before `before`, counting back."""
    depth = 0
    for at in range(before - 1, max(before - _REACH, 0) - 1, -1):
        if text[at] == ")":
            depth += 1
        elif text[at] == "(":
            if depth == 0:
                wanted -= 1
                if wanted == 0:
                    return at
            else:
                depth -= 1
        elif text[at] in "'\"]":
            return None  # a quoted text or name between: not worth reading backwards
    return None


def _closing(text: str, start: int, end: int) -> int | None:
    """Just after the parenthesis that closes the last one left open at `end`, counting from
    `start`; `end` when none is. None when one closes that `start` did not open."""
    depth = 0
    for at, character in _parentheses(text, start, min(len(text), max(end, start + _REACH))):
        if at >= end and depth == 0:
            return end
        depth += 1 if character == "(" else -1
        if depth < 0:
            return None
        if depth == 0 and at >= end - 1:
            return at + 1
    return end if depth == 0 else None


def _parentheses(text: str, start: int, end: int):
    """The parentheses between the offsets, with their offsets, outside comments, quoted texts and names."""
    for match in _PARENTHESES.finditer(text, start, end):
        if match.group() in "()":
            yield match.start(), match.group()


def children_first(root: exp.Expression) -> list[exp.Expression]:
    """A tree's nodes, each after all of its children: for what is worked out from the leaves up,
    without recursion (a + b + ... nests as deep as it is long)."""
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.iter_expressions())
    return order[::-1]
