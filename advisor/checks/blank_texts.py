"""PR028: a text column that the catalog lets be NULL, tested for a blank alone: `c.email = ''`,
`LTRIM(RTRIM(c.email)) = ''` or `LEN(c.email) = 0`. NULL equals nothing, so the rows with no
value at all are left out of a list meant to find the missing ones. Beside the column's IS NULL
in an OR, the query finds both; under a NOT it asks for the rows that have a value, which
leaves the NULLs out as meant. In a SELECT list, a CASE or IIF that labels the blanks
('MISSING') gives the NULLs its ELSE."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.model import Query
from advisor.analysis.predicates import (
    blank,
    null_tested_beside,
    tests_null,
    type_family,
)
from advisor.catalog.model import Catalog
from advisor.checks.comparisons import (
    Compared,
    Known,
    conditions,
    known,
    known_columns,
    tested_and_values,
)
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.snippets import as_in_file


@statement_rule("PR028")
def blank_without_null(query: Query, catalog: Catalog) -> Iterator[Hit]:
    for compared in conditions(query, (exp.EQ, exp.In)):
        column = _found_blank(compared.node)
        if column is None or null_tested_beside(compared.node, column) or _turned(compared) or (
                _made_null(compared.block, column)):
            continue
        facts = next(iter(known_columns(column, compared.predicate)), None)
        if _nullable_text(facts):
            yield _hit(query, compared.node, column, facts.label, facts.table.name)
    for block in query.user_blocks:
        for projection in block.projections:
            refs = {id(ref.node): ref for ref in projection.columns}
            for choice in projection.node.find_all(exp.Case, exp.If):
                if isinstance(choice, exp.If) and isinstance(choice.parent, exp.Case):
                    continue  # a WHEN, read with its CASE
                for test, column, when in _blank_choices(choice):
                    facts = known(refs[id(column)]) if id(column) in refs else None
                    if _nullable_text(facts):
                        yield _choice_hit(query, choice, test, column, when, facts.label, facts.table.name)


def _made_null(block: m.Block, column: exp.Column) -> bool:
    """An UPDATE that sets the column it tests to NULL, UPDATE Contact SET email = NULL WHERE
    email = '': it means the blanks alone, to make them the NULLs the rest already are."""
    return isinstance(block.node, exp.Update) and any(
        isinstance(assigned, exp.EQ) and isinstance(assigned.expression, exp.Null)
        and isinstance(assigned.this, exp.Column) and assigned.this.name.lower() == column.name.lower()
        for assigned in block.node.expressions)


def _nullable_text(facts: Known | None) -> bool:
    return facts is not None and facts.column.nullable and type_family(facts.column.type) == "text"


def _found_blank(node: exp.Expression) -> exp.Column | None:
    """The column a comparison finds blank in: `col = ''` or `IN ('', ...)`, through LTRIM, RTRIM
    or TRIM (SQL Server ignores trailing spaces in =: '' finds '   ' too), or `LEN(col) = 0`."""
    tested, values = tested_and_values(node)
    if isinstance(tested, exp.Length) and isinstance(node, exp.EQ) and _zero(values[0]):
        tested = tested.this.this if isinstance(tested.this, exp.Cast) else tested.this
    elif not any(blank(value) for value in values):
        return None
    return _untrimmed(tested)


def _untrimmed(tested: exp.Expression) -> exp.Column | None:
    while isinstance(tested, exp.Trim):
        tested = tested.this
    return tested if isinstance(tested, exp.Column) else None


def _zero(value: exp.Expression) -> bool:
    return isinstance(value, exp.Literal) and not value.is_string and value.this == "0"


def _turned(compared: Compared) -> bool:
    """Under a NOT, `NOT (c.email = '')`, which asks for the rows that have a value and rightly
    leaves out the NULLs; or inside a CASE or IIF, whose result decides what the test means."""
    return _inside(compared.node, compared.predicate.node, (exp.Not, exp.Case, exp.If))


def _inside(node: exp.Expression, top: exp.Expression, kinds: tuple[type[exp.Expression], ...]) -> bool:
    """Whether a node between `node` and `top`, `top` included, is of one of these kinds."""
    while node is not top and node.parent is not None:
        node = node.parent
        if isinstance(node, kinds):
            return True
    return False


def _blank_choices(choice: exp.Case | exp.If) -> Iterator[tuple[exp.Expression, exp.Column, exp.If | None]]:
    """The blank tests that choose a CASE's or an IIF's result: (the test, its column, its WHEN;
    None for an IIF). A simple CASE, CASE c.email WHEN '' ..., has no way to test for NULL; a
    searched CASE that tests the column IS NULL in any WHEN sends the NULLs where it means."""
    whens = (choice.args.get("ifs") or []) if isinstance(choice, exp.Case) else [None]
    if isinstance(choice, exp.Case) and choice.this is not None:
        column = _untrimmed(choice.this)
        if column is not None:
            yield from ((when.this, column, when) for when in whens
                        if blank(when.this) and not _blanks_made_null(choice, when, column))
        return
    for when in whens:
        condition = choice.this if when is None else when.this
        for node in condition.find_all(exp.EQ, exp.In):
            column = _found_blank(node)
            if column is not None and not null_tested_beside(node, column) and not _inside(node, condition, (exp.Not,)) and not (
                    tests_null(choice, column) or _blanks_made_null(choice, when, column)):
                yield node, column, when


def _blanks_made_null(choice: exp.Case | exp.If, when: exp.If | None, column: exp.Column) -> bool:
    """CASE WHEN c.email = '' THEN NULL ELSE c.email END, NULLIF's work: a NULL that misses the
    WHEN gets NULL all the same."""
    given = (when or choice).args.get("true")
    if when is not None and when is not choice.args["ifs"][-1]:
        return False
    otherwise = choice.args.get("false" if when is None else "default")
    return isinstance(given, exp.Null) and (otherwise is None or otherwise == column)


def _choice_hit(query: Query, choice: exp.Case | exp.If, test: exp.Expression, column: exp.Column, when: exp.If | None,
                label: str, table: str) -> Hit:
    name, tested = as_in_file(query, column), as_in_file(query, test)
    either = f"ISNULL({name}, '') = ''"
    if when is None:
        written, fix = tested, f"IIF({either}, ...)"
        instead = _result(query, "the IIF's third value", choice.args.get("false"), column)
    else:
        simple = choice.this is not None
        written = f"CASE {name} WHEN {tested}" if simple else tested
        fix = f"a searched CASE, CASE WHEN {either} THEN ..." if simple else f"WHEN {either} THEN ..."
        instead = ("the next WHEN" if when is not choice.args["ifs"][-1]
                   else _result(query, "the ELSE", choice.args.get("default"), column))
    return Hit(
        query.span_of(test),
        f"{written} picks out the rows where {label} is blank, not those where it is NULL: NULL equals nothing, '' "
        f"included, so a row with no value at all goes on to {instead}.",
        f"Test for both: {fix}; in a SELECT list ISNULL costs nothing more.",
        (table,),
    )


def _result(query: Query, where: str, value: exp.Expression | None, column: exp.Column) -> str:
    """What a row the blank test misses gets: the ELSE's or the IIF's other value."""
    if value is None:
        return f"{where}, which the CASE does not have: NULL"
    shown = as_in_file(query, value)
    return f"{where}, {shown}, which is NULL there" if value == column else f"{where}, {shown}"


def _hit(query: Query, node: exp.Expression, column: exp.Column, label: str, table: str) -> Hit:
    written, name = as_in_file(query, node), as_in_file(query, column)
    return Hit(
        query.span_of(node),
        f"{written} finds the rows where {label} is blank, not those where it is NULL: {label} can be NULL, and NULL "
        "equals nothing, '' included, so a row with no value at all is left out of what this finds.",
        f"Test for both, in parentheses so that the OR stays within them: ({written} OR {name} IS NULL).",
        (table,),
    )
