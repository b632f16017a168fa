"""`date 'Day'`: a name that is also a type's, then a string or a number. sqlglot reads an ANSI
typed literal, CAST('Day' AS date), but T-SQL has none. In a SELECT list SQL Server reads the
column `date` returned under the name 'Day' (Attendance has a column date); anywhere else, or
before a number, the value after the name is a syntax error."""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.tsql import TSQL
from sqlglot.tokens import Token, TokenType

from advisor.frontend.wrong_tree import WrongTree

_VALUES = frozenset({TokenType.STRING, TokenType.NUMBER})
# The words sqlglot reads a CAST from when a string follows; NULL 'x' it reads as an alias
_TYPES = frozenset(TSQL.Parser.TYPE_TOKENS - {TokenType.NULL, TokenType.NULLABLE, TokenType.UNION})
_TYPE_WORDS = frozenset(word for word, kind in TSQL.Tokenizer.KEYWORDS.items() if kind in _TYPES)


def read_typed_literals(tree: exp.Expression, tokens: list[Token], words: list[str], text: str) -> None:
    """Each typed literal of the tree made the column and name SQL Server reads, where it is an
    item of a SELECT list with a string after the name; any other is rejected."""
    if _TYPE_WORDS.isdisjoint(words):
        return
    # a name after a dot (a.date 'Day') has no word: sqlglot reads it as a column already
    starts = {tokens[at + 1].start: tokens[at] for at in range(len(tokens) - 1)
              if words[at] in _TYPE_WORDS and tokens[at].token_type in _TYPES and tokens[at + 1].token_type in _VALUES}
    if not starts:
        return
    for literal in list(tree.find_all(exp.Literal)):
        name = starts.get(literal.meta.get("start"))
        cast = literal.parent
        if name is None or not isinstance(cast, exp.Cast) or literal.arg_key != "this":
            continue
        if literal.is_string and cast.arg_key == "expressions" and isinstance(cast.parent, exp.Select):
            column = exp.Column(this=exp.Identifier(this=name.text, quoted=False).update_positions(name))
            alias = exp.Identifier(this=literal.this, quoted=True)
            alias.meta.update(literal.meta)
            cast.replace(exp.Alias(this=column, alias=alias))
            continue
        value = text[literal.meta["start"] : literal.meta["end"] + 1]
        kind = "datetime2" if name.text.upper() == "TIMESTAMP" else name.text.lower()  # T-SQL's timestamp is rowversion
        raise WrongTree(f"{name.text} {value} is another database's constant, not SQL Server's: write the "
                        f"{'string' if literal.is_string else 'number'} alone, {value}, which SQL Server turns into the "
                        f"column's type; or CAST({value} AS {kind})", (name.start, literal.meta["end"] + 1))
