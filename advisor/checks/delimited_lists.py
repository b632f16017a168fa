"""A column looked for in a delimited list, the way a stored procedure takes an SSRS report's
multi-value parameter: CHARINDEX(',' + CAST(c.schoolID AS varchar(10)) + ',', ',' + @Schools + ',')
> 0, or ',' + @Grades + ',' LIKE '%,' + e.grade + ',%'. SQL Server builds the text for every row
and cannot seek the column; an IN over the list's values can."""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from advisor.analysis.predicates import (
    concatenated,
    conversion,
    string_text,
    unsigned_number,
)
from advisor.checks.oriented import negated, seen_from
from advisor.checks.snippets import quoted


@dataclass(frozen=True)
class ListTest:
    """The column a condition looks for in a list, the list, the text between its values, and
    whether the rows kept are those whose value is not in it."""

    column: exp.Column
    listed: exp.Expression
    separator: str
    left_out: bool = False


_GENERAL = ("Look the column up in the list's values with IN, which an index on the column can seek, instead of "
            "building text on every row.")
# CHARINDEX(...) compared with a number, as CHARINDEX sees it: found in the list, or not
_FOUND = {(exp.GT, 0): False, (exp.NEQ, 0): False, (exp.GTE, 1): False, (exp.EQ, 0): True, (exp.LTE, 0): True,
          (exp.LT, 1): True}


def list_test(node: exp.Expression) -> ListTest | None:
    """CHARINDEX(sep + col + sep, list) > 0 (= 0: not in it), CHARINDEX(col, list) > 0 without a
    separator, or list [NOT] LIKE '%' + sep + col + sep + '%'."""
    if isinstance(node, exp.Like):
        return _looked_for(node.expression, node.this, wildcards=True, left_out=negated(node))
    for search in (node.this, node.args.get("expression")):
        oriented = seen_from(node, search) if isinstance(search, exp.StrPosition) else None
        number = unsigned_number(oriented[1][0]) if oriented and len(oriented[1]) == 1 else None
        left_out = _FOUND.get((oriented[0], number)) if oriented else None
        if left_out is not None:
            return _looked_for(search.args.get("substr"), search.this, wildcards=False, left_out=left_out)
    return None


def values_fix(test: ListTest, column: str, column_type: str) -> str:
    """The IN that says the same: the list's values written out, or the parameter split once."""
    text = string_text(test.listed)
    within = f"{column} NOT IN" if test.left_out else f"{column} IN"
    sought = "" if test.left_out else ", which an index on the column can seek"
    # without a separator around the column, a value is also found inside a longer one
    inside = "" if test.separator else " As written, a value is also found inside a longer one: '1' in '10,11'."
    if text is not None:
        # only a value with the separator on both sides is ever found: ',12,14,' holds 12 and 14, '12,14' neither
        if test.separator:
            values = text.split(test.separator)[1:-1]
        else:  # a list of its own, to read values from, only where commas part them
            values = [value for value in text.split(",") if value] if "," in text else []
        written = [value if value.isdigit() else quoted(value) for value in values]
        return f"List the values: {within} ({', '.join(written)}){sought}.{inside}" if values else _GENERAL
    parts = concatenated(test.listed) or [test.listed]
    lists = [part for part in parts if not isinstance(part, exp.Literal)]
    named = lists[0].sql("tsql") if len(lists) == 1 else "the list"
    separator = test.separator or ","
    wrapped = not test.separator or (len(parts) > 2 and string_text(parts[0]) == separator == string_text(parts[-1]))
    return (f"Split the list once and look the column up in it: {within} (SELECT CAST(value AS {column_type}) FROM "
            f"STRING_SPLIT({named}, '{separator}')) on SQL Server 2016 or later (before that, fill a table "
            f"variable from the list){sought}.{inside}"
            + ("" if wrapped else f" As written, the list's first and last values are never found: nothing puts "
                                  f"'{separator}' before the first or after the last."))


def _looked_for(needle: exp.Expression | None, listed: exp.Expression | None, wildcards: bool,
                left_out: bool) -> ListTest | None:
    """The column a search text is built around with one separator on each side ('%,' and ',%'
    for a LIKE), in a list that holds no column of its own."""
    if listed is None or listed.find(exp.Column) is not None or needle is None:
        return None
    bare = _column(needle)
    if bare is not None and not wildcards:  # CHARINDEX(x.code, @codes): no separator around it
        return ListTest(bare, listed, "", left_out)
    parts = concatenated(needle)
    if not parts or len(parts) != 3:
        return None
    before, middle, after = string_text(parts[0]), _column(parts[1]), string_text(parts[2])
    if before is None or after is None or middle is None:
        return None
    if wildcards:
        if not (before.startswith("%") and after.endswith("%")):
            return None
        before, after = before[1:], after[:-1]
    # LIKE '%' + col + '%': the column anywhere in the list, with no separator around it
    return ListTest(middle, listed, before, left_out) if before == after and (before or wildcards) else None


def _column(node: exp.Expression) -> exp.Column | None:
    """A column, or its text: CAST(c.schoolID AS varchar(10))."""
    node = node.unnest()
    converted = conversion(node)
    node = converted[1].unnest() if converted and converted[1] is not None else node
    return node if isinstance(node, exp.Column) else None
