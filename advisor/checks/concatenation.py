"""CL013: text joined with + in a SELECT list, one of whose columns can be NULL: the whole value is
NULL for those rows (a full name without a middle name, an address without an apartment)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import flatten, string_text, type_family
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import Known, known
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file
from advisor.words import names


@statement_rule("CL013")
def null_in_concatenation(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for block in query.user_blocks:
        for projection in block.projections:
            seen: set[int] = set()
            tops: dict[int, exp.Add | None] = {}
            for ref in projection.columns:
                top = _chain_top(ref.node, tops)
                if top is None or id(top) in seen:
                    continue
                seen.add(id(top))
                hit = _nullable_parts(query, projection, top)
                if hit is not None:
                    yield hit


# What joins the fields of a delimited line (a pipe-delimited roster file, a CSV's quoted fields)
_DELIMITERS = frozenset({"|", ",", ";", "~", "^"})
# Text functions whose value is NULL when the text they are given is: LEFT(p.stateID + SPACE(10), 10)
_KEEP_NULL = (exp.Left, exp.Right, exp.Substring, exp.Trim, exp.Upper, exp.Lower, exp.Replace, exp.Cast, exp.Convert)


def _keeps_null(node: exp.Expression, child: exp.Expression) -> bool:
    """Whether `node` passes a NULL of `child`, its argument, on: +, parentheses, or a text function
    given it as its text (not as LEFT's length)."""
    if isinstance(node, (exp.Add, exp.Paren)):
        return True
    return isinstance(node, _KEEP_NULL) and _text_of(node) is child and (not isinstance(node, (exp.Cast, exp.Convert))
                                                                        or _target(node) is not None)


def _text_of(node: exp.Expression) -> exp.Expression:
    """The value a text function works on: CONVERT(char(8), x, 112)'s x, LEFT(x, 10)'s x."""
    return node.expression if isinstance(node, exp.Convert) else node.this


def _target(node: exp.Expression) -> exp.DataType | None:
    """The text type a CAST or CONVERT makes its value, if it makes it text."""
    target = node.this if isinstance(node, exp.Convert) else node.args.get("to")
    return target if isinstance(target, exp.DataType) and type_family(target.sql("tsql")) == "text" else None


def _chain_top(column: exp.Column, tops: dict[int, exp.Add | None]) -> exp.Add | None:
    """The outermost + of the chain the column is a part of, if it is one, climbing through the
    text functions that keep a NULL (a fixed-width record of LEFT(x + SPACE(10), 10) parts). `tops`
    holds the answer for each node climbed so far, so that a chain of thousands of terms is climbed
    once rather than from each of its columns."""
    climbed: list[exp.Expression] = []
    node, top = column, None
    while node.parent is not None and _keeps_null(node.parent, node):
        node = node.parent
        if id(node) in tops:
            top = tops[id(node)]
            break
        climbed.append(node)
    for level in reversed(climbed):  # from the top down: the first + met is the outermost
        top = top if top is not None else level if isinstance(level, exp.Add) else None
        tops[id(level)] = top
    return top


def _string(node: exp.Expression) -> bool:
    return string_text(node) is not None


def _string_when_null(node: exp.Expression, refs: dict[int, m.ColumnRef]) -> bool:
    """ISNULL(a.prefix + ' ', ''), COALESCE(a.apt, ''): text that is never NULL; not ISNULL(e.calendarID,
    ''), a number, which + adds to."""
    if not (isinstance(node, exp.Coalesce) and _string((node.expressions or [node.this])[-1].unnest())):
        return False
    first = node.this.unnest()
    facts = known(refs[id(first)]) if id(first) in refs else None
    return facts is None or type_family(facts.column.type) == "text"


def _nullable_parts(query: Query, projection: m.Projection, top: exp.Add) -> Hit | None:
    parts = flatten(top, exp.Add)
    refs = {id(ref.node): ref for ref in projection.columns}
    facts = {id(part): known(refs[id(part)]) for part in parts if id(part) in refs}
    inside = {id(part): _columns_kept(part, refs) for part in parts if _text_call(part)}
    text = [part for part in parts if _string(part) or _string_when_null(part, refs) or id(part) in inside
            or (facts.get(id(part)) is not None and type_family(facts[id(part)].column.type) == "text")]
    if len(text) != len(parts) or any(found is None for found in inside.values()):
        return None  # a number or an unknown among them: + may add, not join
    every = [fact for fact in facts.values() if fact is not None] + [fact for found in inside.values() for fact in found]
    nullable: list[Known] = [fact for fact in every if fact.column.nullable]
    if not nullable or len(every) < 2 or isinstance(top.parent, exp.Coalesce):
        return None  # one column dressed with text is NULL where it is; ISNULL(' ' + a.tag, '') means it
    columns = [as_in_file(query, fact.ref.node) for fact in nullable]
    called = f" {projection.name}" if projection.name and isinstance(projection.node, exp.Alias) else " value"
    joined = ", ".join(as_in_file(query, part, cut=False) for part in parts)
    return Hit(
        query.span_of(top),
        f"{names(columns)} can be NULL ({names([fact.label for fact in nullable])} "
        f"{'allows' if len(columns) == 1 else 'allow'} it), and text joined with + is "
        f"NULL when any part is: every row where {'it is' if len(columns) == 1 else 'one is'} NULL gets a NULL{called}, "
        "not the rest of it.",
        _record_fix(query, parts, facts, inside) if any(_width(part) for part in parts) else
        f"Join with CONCAT, which reads NULL as empty and keeps every field in its place: CONCAT({joined}). Not "
        "CONCAT_WS, which leaves a NULL field out with its separator and moves the fields after it."
        if _delimited(parts) else
        f"Join with CONCAT_WS, which leaves out the NULL parts with their separator (SQL Server 2017 and later), or "
        f"CONCAT, which reads NULL as empty: CONCAT({joined}).",
    )


def _delimited(parts: list[exp.Expression]) -> bool:
    """A delimited line, its fields joined by a delimiter and the quotes around them:
    st.studentNumber + '|' + st.lastName, '"' + p.studentNumber + '","' + i.lastName + '"'."""
    separators = [set(part.this) for part in parts if _string(part)]
    return (bool(separators) and all(characters <= _DELIMITERS | {'"'} for characters in separators)
            and any(characters & _DELIMITERS for characters in separators))


def _text_call(part: exp.Expression) -> bool:
    """A part that is a text function's value: LEFT(...), CONVERT(char(8), ...), SPACE(10)."""
    return isinstance(part, (*_KEEP_NULL, exp.Space, exp.Repeat)) and (not isinstance(part, (exp.Cast, exp.Convert))
                                                                       or _target(part) is not None)


def _columns_kept(part: exp.Expression, refs: dict[int, m.ColumnRef]) -> list[Known] | None:
    """The columns whose NULL a text function's value passes on: those in the text it is given,
    through + and the functions that keep a NULL; None where one of them is not a column of a
    known type (the part's value is then not known to be text that a NULL makes NULL)."""
    found: list[Known] = []
    waiting = [_text_of(part)] if not isinstance(part, (exp.Space, exp.Repeat)) else []
    while waiting:
        node = waiting.pop().unnest()
        if isinstance(node, exp.Add):
            waiting.extend((node.this, node.expression))
        elif isinstance(node, _KEEP_NULL) and _keeps_null(node, _text_of(node)):
            waiting.append(_text_of(node))
        elif isinstance(node, exp.Column):
            fact = known(refs[id(node)]) if id(node) in refs else None
            if fact is None:
                return None
            found.append(fact)
    return found


def _record_fix(query: Query, parts: list[exp.Expression], facts: dict[int, Known | None],
                inside: dict[int, list[Known] | None]) -> str:
    """For a fixed-width record (parts of a set width: LEFT(x + SPACE(10), 10)), each part that can
    be NULL given a value for NULL of its own width, so that the record keeps its fields in place:
    CONCAT would read it as empty, and shift what follows."""
    wrapped = []
    for part in parts:
        written = as_in_file(query, part, cut=False)
        held = inside.get(id(part)) or ([facts[id(part)]] if facts.get(id(part)) is not None else [])
        if any(fact.column.nullable for fact in held):
            width = _width(part)
            blank = f"SPACE({width})" if width else "''"
            wrapped.append(f"ISNULL({written}, {blank})")
    return (f"Give each part that can be NULL a value for NULL of its width: {', '.join(wrapped)}. CONCAT would read "
            "NULL as empty, and in a fixed-width record shift every field after it.")


def _width(part: exp.Expression) -> int | None:
    """The characters a part always has: LEFT(x, 10)'s and SUBSTRING(x, 1, 10)'s 10, CONVERT(char(8), ...)'s 8."""
    if isinstance(part, (exp.Left, exp.Right)):
        length = part.expression
    elif isinstance(part, exp.Substring):
        length = part.args.get("length")
    elif isinstance(part, (exp.Cast, exp.Convert)) and _target(part).this in (exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR):
        sizes = _target(part).expressions
        length = sizes[0].this if sizes else None
    else:
        return None
    return int(length.name) if isinstance(length, exp.Literal) and length.name.isdigit() else None
