"""Analysis: statements to Query models (relations resolved, views expanded, scope worked out)."""

from __future__ import annotations

from datetime import date

from sqlglot import exp

from advisor.analysis.branches import if_branches
from advisor.analysis.constants import fixed_values
from advisor.analysis.endless import endless_loops
from advisor.analysis.flatten import TooLarge
from advisor.analysis.loops import while_loops
from advisor.analysis.model import Hint, Query
from advisor.analysis.passes import counted_loops
from advisor.analysis.resolve import Resolver
from advisor.analysis.scope import reaches
from advisor.analysis.script import ScriptState, filled_table
from advisor.analysis.views import ViewLibrary
from advisor.catalog.model import Catalog
from advisor.frontend.parse import Script, Statement
from advisor.frontend.positions import find_words
from advisor.span import LineIndex


def analyse(script: Script, catalog: Catalog, views: ViewLibrary, today: date | None = None) -> list[Query]:
    """A Query for every understood statement, in order; statements that hold no query give an
    empty one, so that script-level checks still see them. `today`: the day the script is checked
    on, which a date counted back from GETDATE() is counted from (by default, the machine's)."""
    state = ScriptState()
    # a report's single-valued parameters hold one value each, as a procedure's do
    state.variables.update(f"@{name}" for name in script.report_parameters)
    resolver = Resolver(catalog, views, state, script.lines)
    (loops, passes, uncounted), branches = while_loops(script, counted_loops(script)), if_branches(script)
    endless = endless_loops(script)
    fixed = fixed_values(script, branches)
    queries = []
    for statement in script.statements:
        if not statement.understood:
            continue
        state.enter(statement)
        if fixed:
            inside = branches.get(statement.index, ())
            state.constants = {name: held.value for name, held in fixed.items() if held.holds_at(statement.index, inside)}
        query = Query(statement, script.lines, campus_lines=script.campus_lines,
                      database=statement.runs_in or state.database,
                      fills=filled_table(statement.tree),
                      loops=loops.get(statement.index, ()), passes=passes.get(statement.index, ()),
                      uncounted_loop=statement.index in uncounted,
                      endless=endless.get(statement.index),
                      branches=branches.get(statement.index, ()), constants=state.constants)
        query.added_key = state.added_key(statement, script.code)
        if statement.tree is not None:
            query.blocks = resolver.statement_blocks(statement.tree, statement.cursor_row)
            query.hints = _query_hints(statement, resolver.options, script.lines)
            try:
                query.graph, query.reaches = reaches(resolver.roots, catalog, state.variables, today, state.constants)
            except TooLarge:
                query.too_large = True
            query.target = state.target(query)
        state.observe(statement, script.text, query)
        queries.append(query)
    return queries


def _query_hints(statement: Statement, options: list[exp.QueryOption], lines: LineIndex) -> list[Hint]:
    """The hints of the statement's OPTION (...) clause, all placed at the clause."""
    names = [" ".join(option.sql("tsql").upper().split()) for option in options] + list(statement.option_hints)
    if not names:
        return []
    span = find_words(lines, "OPTION", statement.span.start, statement.span.end, last=True)
    return [Hint(name, name, span) for name in names]
