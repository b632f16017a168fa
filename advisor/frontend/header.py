"""Who wrote a file, from its header comments: -- Author:, Created by, Written by (and Owner:,
Developer:, Maintained by, which districts write too)."""

from __future__ import annotations

import re

from advisor.frontend.parse import Script

# "Created by", or with the day between: "Created 2024-05-01 by", "Written on 3/4/2024 by"
_BY = r"(?:created|written|maintained)(?:\s+(?:on\s+)?\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4})?\s+by\b"
_AUTHOR = re.compile(
    rf"^[\s*\-/#=]*(?:(?:author|owner|developer)\s*[:\-\u2013]|{_BY}\s*[:\-\u2013]?)\s*(?P<name>.*)$",
    re.IGNORECASE,
)
# The same said inside a line, after a parenthesis or a separator: "-- Attendance letters (Author:
# G. Ruiz)", "-- Report: bus roster | Created by: Lee Park", "/* Guardians - written by M. Chen */";
# the name ends where the aside does.
_AUTHOR_ASIDE = re.compile(
    rf"(?:[(\[|;,]|\s[-\u2013\u2014]+)\s*(?:(?:author|owner|developer)\s*:|{_BY}\s*:?)\s*(?P<name>[^)\]|;]*)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_TRAILING = [
    re.compile(r"\s*[<(\[]?" + _ADDRESS.pattern + r"[>)\]]?.*$"),  # an e-mail address and what follows
    re.compile(r"(^|[\s,;]+)(on\s+)?\d{1,4}[/.\-]\d{1,2}([/.\-]\d{1,4})?.*$", re.IGNORECASE),  # a date
    re.compile(r"(^|[\s,;]+)(on\s+)?(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
               r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?\s+\d.*$", re.IGNORECASE),
    # what the file is for, after the name: "J. Park - behavior incidents", "Jane Doe for transportation"
    re.compile(r"\s+(?:[-\u2013\u2014|]+|for)\s.*$", re.IGNORECASE),
    re.compile(r"[\s,;:\-*/]+$"),
]
_PLACEHOLDERS = frozenset({"", "unknown", "n/a", "na", "none", "tbd", "todo", "xxx", "?", "name", "your name",
                           "your name here", "first last", "firstname lastname"})
# How far into the file a header may reach when the file has no statement to end it.
_HEADER_LINES = 40
# What SSMS's "Script As" writes before the header it copies from its template: the header is
# still the file's.
_PREAMBLE = frozenset({"USE", "SET OPTION"})


def author(script: Script) -> str | None:
    first = next((s for s in script.statements if s.keyword not in _PREAMBLE), None)
    end = first.span.start if first is not None else len(script.text)
    for comment in script.comments:
        if comment.start >= end or script.lines.position(comment.start)[0] > _HEADER_LINES:
            break
        for line in comment.text.splitlines():
            match = _AUTHOR.match(line) or _AUTHOR_ASIDE.search(line)
            if match:
                name = _clean(match.group("name"))
                if name:
                    return name
    return None


def _clean(name: str) -> str | None:
    address = _ADDRESS.search(name)
    for pattern in _TRAILING:
        name = pattern.sub("", name)
    name = name.strip() or (address.group() if address else "")  # an address alone names its author
    if "<" in name or ">" in name or name.lower() in _PLACEHOLDERS:
        return None  # an SSMS template's <Author,,Name>, or nothing said
    return name[:80]
