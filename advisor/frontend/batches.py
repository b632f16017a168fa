"""Split a script into `GO` batches, and find its comments and SQLCMD directives, in one pass
that knows T-SQL's strings, quoted names and (nested) block comments, so that a `GO` or `--`
inside them counts for nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# One alternative per construct that can hide a GO line or a comment marker. Strings and quoted
# names that never close run to the end of the text, as they do for SQL Server. The lookahead
# holds what each alternative starts with: one test at most positions, where there were seven.
_SCAN = re.compile(
    r"""
    (?=[-/'"\[]|^[ \t]*[g:])
    (?:
      (?P<line_comment>--[^\n]*)
    | (?P<block_comment>/\*)
    | (?P<string>'(?:[^']|'')*(?P<string_end>'|\Z))
    | (?P<quoted>"(?:[^"]|"")*(?P<quoted_end>"|\Z))
    | (?P<bracketed>\[(?:[^\]]|\]\])*(?P<bracketed_end>\]|\Z))
    | (?P<go>^[ \t]*go(?:[ \t]+(?P<count>\d+))?[ \t]*(?:--[^\n]*)?\r?$)
    | (?P<directive>^[ \t]*:(?:setvar|r|on[ \t]+error|connect|out|error|perftrace|listvar|list|serverlist|xml
                               |help|exit|quit|reset|ed)\b[^\n]*
                   |^[ \t]*:!![^\n]*)
    )
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_BLOCK_EDGE = re.compile(r"/\*|\*/")

_UNCLOSED = {
    "string": "a string that starts here has no closing quote (')",
    "quoted": 'a quoted name that starts here has no closing quote (")',
    "bracketed": "a [bracketed] name that starts here has no closing ]",
    "block_comment": "a /* comment that starts here has no closing */",
}


@dataclass(frozen=True)
class Comment:
    """A comment in the script."""

    start: int
    end: int
    text: str  # without the -- or /* */ markers


@dataclass
class Batch:
    """A batch of the script between GO lines."""

    start: int
    end: int
    repeat: int = 1  # GO n runs the batch n times
    # Where a string, quoted name or comment opens and never closes, and what it is; the
    # batch's text past that point cannot be read as SQL.
    unclosed_at: int | None = None
    unclosed_reason: str | None = None


@dataclass
class ScannedScript:
    """A script's batches and comments, found before it is parsed."""

    batches: list[Batch] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # SQLCMD mode's own commands (:setvar, :r, :on error...): sqlcmd and SSMS carry them out and
    # never send them to the server, so they are not SQL. (start, end) of each line.
    directives: list[tuple[int, int]] = field(default_factory=list)


def scan(text: str) -> ScannedScript:
    result = ScannedScript()
    batch_start = 0
    unclosed: tuple[int, str] | None = None
    position = 0
    search = _SCAN.search
    while True:
        match = search(text, position)
        if match is None:
            break
        kind = match.lastgroup
        start = match.start()
        if kind == "line_comment":
            result.comments.append(Comment(start, match.end(), match.group()[2:]))
            position = match.end()
        elif kind == "block_comment":
            end, closed = _block_comment_end(text, start)
            result.comments.append(Comment(start, end, text[start + 2 : end - 2 if closed else end]))
            if not closed and unclosed is None:
                unclosed = (start, _UNCLOSED["block_comment"])
            position = end
        elif kind == "directive":
            result.directives.append((start, match.end()))
            position = match.end()
        elif kind == "go":
            result.batches.append(_batch(batch_start, start, unclosed, match.group("count")))
            batch_start = match.end()
            unclosed = None
            position = match.end()
        else:
            if not match.group(f"{kind}_end") and unclosed is None:
                unclosed = (start, _UNCLOSED[kind])
            position = max(match.end(), start + 1)
    result.batches.append(_batch(batch_start, len(text), unclosed, None))
    return result


def _block_comment_end(text: str, start: int) -> tuple[int, bool]:
    """T-SQL block comments nest: /* a /* b */ c */ is one comment."""
    depth = 0
    for edge in _BLOCK_EDGE.finditer(text, start):
        depth += 1 if edge.group() == "/*" else -1
        if depth == 0:
            return edge.end(), True
    return len(text), False


def _batch(start: int, end: int, unclosed: tuple[int, str] | None, count: str | None) -> Batch:
    batch = Batch(start, end, repeat=int(count) if count else 1)
    if unclosed:
        batch.unclosed_at, batch.unclosed_reason = unclosed
    return batch
