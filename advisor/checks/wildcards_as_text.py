"""PR022: a LIKE pattern whose [ ] or _ was meant as text. In T-SQL's LIKE, [ELL] is a set of
characters that matches one of them, E or L, not the text [ELL]; and _ is any one character, so
'%_%' matches every value with a character in it, not those with an underscore. Either way the
condition keeps rows it was written to leave out, without an error."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis.constants import held
from advisor.analysis.model import Query
from advisor.analysis.predicates import concatenated, string_text
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import conditions
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import (
    as_in_file,
    aside,
    given,
    quoted,
    what_variables_hold,
)

# A set of characters in a pattern: what is between [ and the next ]
_SET = re.compile(r"\[([^\]]*)\]")
_ANY_ONE = "%_"  # the pattern '%_%', '_%' or '%_': any value with a character in it


@statement_rule("PR022")
def wildcards_as_text(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, (exp.Like,)):
        like = compared.node
        if isinstance(like.parent, exp.Escape):  # LIKE '%\[ELL\]%' ESCAPE '\': the author has said which are text
            continue
        pattern = like.expression.unnest()
        pieces = concatenated(pattern) or [pattern]
        for piece in pieces:
            text = string_text(held(piece.unnest(), query.constants))
            if text is None:
                continue
            word = next((found for found in _SET.finditer(text) if _written_as_word(found[1])), None)
            if word is not None:
                yield _set_as_word(query, like, piece, text, word)
            elif piece is pattern and set(text) == set(_ANY_ONE) and text.count("_") == 1:
                yield _any_one_character(query, like, piece, text)


def _written_as_word(inside: str) -> bool:
    """A set of characters that names one of them twice, [ELL] or [Inactive], was written as a
    word: a set needs each character once. A range [A-Z] and a set left out [^0-9] are sets."""
    letters = inside.lower()
    return len(letters) > 1 and not letters.startswith("^") and "-" not in letters.strip("-") and len(set(letters)) < len(letters)


def _written(query: Query, like: exp.Like, piece: exp.Expression) -> str:
    """The LIKE as written, and what the variable its pattern is in holds, if one is."""
    return as_in_file(query, like) + aside(what_variables_hold([piece.unnest()], query.constants))


def _rewritten(piece: exp.Expression, text: str) -> str:
    """How the fix writes the pattern: as the LIKE's, or as its variable's value."""
    piece = piece.unnest()
    return given(piece, text) if isinstance(piece, exp.Parameter) else f"LIKE {quoted(text)}"


def _set_as_word(query: Query, like: exp.Like, piece: exp.Expression, text: str, word: re.Match) -> Hit:
    members = list(dict.fromkeys(word[1].upper()))
    one_of = ", ".join(members[:-1]) + " or " + members[-1] if len(members) > 1 else members[0]
    escaped = text[:word.start()] + "[[]" + text[word.start() + 1:]
    found = "leaves out" if like.args.get("negate") else "finds"
    return Hit(
        query.span_of(piece),
        f"In LIKE, [{word[1]}] is a set of characters: it matches one character, {one_of}, and never the text "
        f"[{word[1]}], so {_written(query, like, piece)} {found} the values with any one of them in its place.",
        f"Write the [ as [[] to match it as text: {_rewritten(piece, escaped)}.",
    )


def _any_one_character(query: Query, like: exp.Like, piece: exp.Expression, text: str) -> Hit:
    kept = "only ''" if like.args.get("negate") else "every value but NULL and ''"
    return Hit(
        query.span_of(piece),
        f"In LIKE, _ is any one character: '{text}' matches every value with a character in it, not those with an "
        f"underscore, so {_written(query, like, piece)} keeps {kept}.",
        f"Write the _ as [_] to match it as text: {_rewritten(piece, text.replace('_', '[_]'))}.",
    )
