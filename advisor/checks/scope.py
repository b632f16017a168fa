"""Scope: history tables read for every school year, toolbar catch-alls that drop the year, and
UPDATEs and DELETEs that change every row of a Campus table. (Whole views grouped or ranked
before the join that would have limited them: grouped_before_join.py.)"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlglot import exp

from advisor.analysis import model as m
from advisor.analysis.graph import Filter, Node
from advisor.analysis.lineage import Origin, base_tables, origins
from advisor.analysis.model import Query, Reach
from advisor.analysis.predicates import compared_with_itself, disjuncts
from advisor.analysis.resolve import qualifier
from advisor.analysis.scope import (
    OPEN_ENDED,
    WITHIN_A_YEAR,
    branch_limits,
    keeps_history,
    one_sided,
    passes_limits,
    reached_by,
    window,
)
from advisor.analysis.written import as_written
from advisor.catalog.model import Catalog, Table
from advisor.checks.conditions import or_next_to
from advisor.checks.date_parts import coming_round
from advisor.checks.indexes import by_anchor, naming, sides_of
from advisor.checks.joins import held_year, join_columns
from advisor.checks.registry import Hit, statement_rule
from advisor.checks.sizes import LARGE_ROWS, relation_rows, severity_for_rows
from advisor.checks.snippets import as_in_file
from advisor.words import count, names, plural

_KIND_WORDS = {"year": "school year", "calendar": "calendar", "school": "school", "structure": "schedule structure",
               "trial": "trial", "term": "term", "period": "period", "section": "section", "course": "course",
               "enrollment": "enrollment", "date": "date window", "person": "person", "record": "row"}
# the limits to suggest first: a school year's rows, then a schedule's (Roster and Section are kept
# by the trial of a year's schedule), then a date window
PREFERRED = ("year", "calendar", "trial", "term", "date", "school", "section")
# The tables a script makes itself: what rows they hold is the script's choice, not the catalog's
_SCRIPTS_OWN = (m.TEMP, m.TABLE_VARIABLE)


def unscoped_reaches(query: Query, history_only: bool) -> dict[int, list[Reach]]:
    """Unscoped reaches of large tables, by the user's relation they come through, largest
    table first and each table once."""
    found: dict[int, list[Reach]] = {}
    for reach in sorted(query.reaches, key=lambda r: -r.table.rows):
        if reach.scoped or reach.table.rows < LARGE_ROWS or (history_only and not reach.table.history):
            continue
        group = found.setdefault(id(reach.anchor), [])
        if all(other.table is not reach.table for other in group):
            group.append(reach)
    return found


@statement_rule("SC001")
def unscoped_history(query: Query, catalog: Catalog) -> Iterator[Hit]:
    if _every_row_changed(query, catalog) is not None:
        return  # SC005 says more: the statement changes every row it reads
    for reaches in unscoped_reaches(query, history_only=True).values():
        # A grouped block joined to others is SC003's: the join that would limit it comes too late.
        reaches = [r for r in reaches if r.barrier is None or not r.barrier.joined_to_others]
        if not reaches or (reaches[0].through and _main_table_scoped(query, reaches[0].anchor)):
            continue
        if not reaches[0].through and _stops_early(reaches[0].anchor.block):
            continue  # SELECT TOP (1000) ... FROM Attendance: it stops at the thousandth row whatever the years (SH014)
        anchor, largest = reaches[0].anchor, reaches[0].table
        tables = names([f"{r.table.name} ({count(r.table.rows)} rows)" for r in reaches])
        # Transcripts and relationships are kept per person: the limit they need is the students.
        per_person = any(largest.scope_kind(key) == "person" for key in largest.join_keys)
        every = "every student and school year" if per_person else "every school year"
        limits = ("particular students, a school year or a date window" if per_person
                  else "a school year, calendar, school, term or date window")
        subject = anchor.name if reaches[0].through else tables
        upper, far = _open_bounds(query, anchor, catalog)
        branch = _limited_in_some_branches(query, anchor, largest, catalog) if upper is None and far is None else None
        itself = _compared_with_itself(query, anchor) if upper is None and far is None and branch is None else None
        loose = _loose(query, anchor) if upper is None and far is None and branch is None and itself is None else None
        kept = window(far) if far is not None else None
        if kept is not None and kept.school_years >= catalog.history_years:
            given = _as_set(query, far.condition)
            message = (f"{subject} is read for {every}: {as_in_file(query, far.condition)}{f' ({given})' if given else ''} "
                       f"reaches back {plural(kept.school_years, 'school year')}, all of its history.")
        elif kept is not None:
            given = _as_set(query, far.condition)
            message = (f"{subject} is limited only by a fixed start ({as_in_file(query, far.condition)}"
                       f"{f'; {given}' if given else ''}), which keeps "
                       f"{plural(kept.school_years, 'school year')} now and one more every year: nothing limits it "
                       f"to {limits}.")
        elif upper is not None:
            message = (f"{subject} is limited only from above ({as_in_file(query, upper)}), which keeps every school year before "
                       f"it: nothing limits it to {limits}.")
        elif branch is not None:
            limit, carrier, loose = branch
            through = "" if carrier is anchor else f" through {_joins_to(anchor, carrier)} {carrier.label()}"
            message = (f"{subject} is read for {every}: {as_in_file(query, limit)} would limit it{through}, but "
                       f"it is OR-ed with {as_in_file(query, loose)}, which does not: a row of any year that passes that "
                       "is kept, so every year is read.")
        elif itself is not None:
            condition, switch = itself
            message = (f"{subject} is read for {every}: {as_in_file(query, condition)} limits it only for some values of "
                       f"@{switch.name}, and the one plan SQL Server compiles must also serve the runs it does not limit.")
        elif loose is not None:
            condition, keeps = loose
            message = f"{subject} is read for {every}: {as_in_file(query, condition)} {keeps}, and nothing limits it to {limits}."
        elif reaches[0].through:
            message = f"{anchor.name} reads {tables} for {every}: nothing limits {anchor.name} to {limits}."
        else:
            message = f"{tables} is read for {every}: nothing limits it to {limits}."
        if _joined_on_person(query, anchor):
            message += " A join on personID does not: it matches every year of each person's rows."
        matched = _matched_on_person(anchor) or _missing_on_person(query, anchor)
        if matched is not None:
            message += matched
        said_why = any(found is not None for found in (upper, far, branch, itself, loose))
        carrier = _unlimited_carrier(query, anchor, largest, catalog) if not said_why else None
        if carrier is not None:
            column, partner = carrier
            message += (f" Its join on {column} to {partner.label()} would carry {partner.name}'s limit, but "
                        f"{partner.name} is not limited either.")
        if anchor.block.group_all:
            message += (" Under GROUP BY ALL its WHERE does not limit the rows read: every value in all the rows the "
                        "FROM reads makes a group, and the WHERE only decides which rows each group counts.")
        objects = [anchor.name, *(r.table.name for r in reaches)]
        if anchor.block.group_all:
            advice = ("Write GROUP BY without ALL, so that the WHERE limits the rows read (SQL Server has deprecated "
                      "GROUP BY ALL). Where groups with no rows left must show too, select them from what lists them "
                      "and LEFT JOIN the counted rows to it.")
        elif upper is not None and isinstance(query.statement.tree, exp.Delete):  # a purge of old years
            advice = (f"Purge one school year at a time: beside {as_in_file(query, upper)}, add a lower bound one school "
                      "year below it, and repeat the delete for each older year; each delete then reads and locks one "
                      "year's rows.")
        else:
            advice = _student_advice(anchor) if per_person else _scope_advice(query, anchor, catalog)
        if branch is not None and branch[2].find(exp.Column) is not None:  # not a switch such as 0 = @year (SC002's)
            own = (f"give {as_in_file(query, branch[2])} a limit of its own, beside it in its branch of the OR, as "
                   f"{as_in_file(query, branch[0])} is in its: then no branch keeps rows of every year.")
            meant = _meant_in_parentheses(query, branch[0], branch[2])
            advice = f"{meant} Otherwise, {own} {advice}" if meant else f"{own[0].upper()}{own[1:]} {advice}"
        changing = _changed_in_one_go(query, anchor) if upper is None else None
        if changing is not None:
            update = changing == "UPDATE"
            advice = (f"If every year's rows are meant to {'change' if update else 'go'} (a clean-up), run it after "
                      f"school hours, {'updating' if update else 'deleting'} in batches: {changing} TOP (5000) ... "
                      "repeated until none is left (WHILE 1 = 1 BEGIN ... IF @@ROWCOUNT = 0 BREAK END)"
                      f"{', with a WHERE the changed rows no longer pass' if update else ''}, so that each pass holds its "
                      f"locks on {anchor.name} briefly. If not, {advice[0].lower()}{advice[1:]}")
        if query.defines_view:
            # The view reads nothing until a query reads it; such a query is reported if it does not limit it.
            yield Hit(anchor.span, f"{message} The view runs only inside the queries that read it, and each of them "
                      "must limit it.", f"Leave the view general and limit it in every query that reads it, or, "
                      f"if it is meant for one year: {advice[0].lower()}{advice[1:]}",
                      tuple(dict.fromkeys(objects)), "info")
            continue
        yield Hit(anchor.span, message, advice, tuple(dict.fromkeys(objects)), severity_for_rows(largest.rows))


def _open_bounds(query: Query, anchor: m.Relation, catalog: Catalog) -> tuple[exp.Expression | None, Filter | None]:
    """The conditions on a year or date column, of the relation or of one joined to it on a key
    that passes limits (c.endYear on the Calendar it joins; not e.startDate on the enrollment it
    shares a personID with), that leave its history open: one that bounds it from above only
    (date < '2015-07-01': every year before it), and one from below that keeps the whole history
    or a fixed start that keeps more every year (`keeps_history`)."""
    graph = query.graph
    if graph is None:
        return None, None
    indexed = by_anchor(query)
    mine = indexed.nodes.get(id(anchor), [])
    joined = [source for _, source, target, column in sorted(
        (at, source, target, column) for target in mine for at, source, column in indexed.edges.get(id(target), ()))
        if passes_limits(catalog, target, column)]
    timed = [f for node in mine + joined for f in node.filters
             if node.table is not None and node.table.scope_kind(f.column) in OPEN_ENDED]
    upper = next((f.condition for f in timed if f.bound == "upper"), None)
    return upper, next((f for f in timed if keeps_history(f, catalog.history_years)), None)


def _loose(query: Query, anchor: m.Relation) -> tuple[exp.Expression, str] | None:
    """A condition on the relation that looks like a limit but keeps rows of every year, and what
    it keeps: a part of its date that comes round every year (MONTH(a.date) = 3), or an identifier
    bounded on one side (a.calendarID > 0)."""
    for node in query.graph.all_nodes() if query.graph is not None else []:
        for f in node.filters if node.anchor is anchor else ():
            if f.every_year:
                return f.condition, f"keeps the same {coming_round(f.every_year)} of every year"
            if one_sided(f):
                kind = _KIND_WORDS.get(node.table.scope_kind(f.column), "value")
                return f.condition, f"keeps every {kind} past its bound, each new year's too"
    return None


def _limited_in_some_branches(query: Query, anchor: m.Relation, table: Table,
                              catalog: Catalog) -> tuple[exp.Expression, m.Relation, exp.Expression] | None:
    """An OR some branches of which limit the relation's table and some do not (r.startDate >= @d
    OR r.modifiedDate >= @d; c.endYear = 2026 OR a.modifiedDate >= @d, where the Calendar c is
    joined to Attendance a on calendarID): a condition that limits it, the relation it is on, and
    the first branch that does not."""
    graph = query.graph
    if graph is None:
        return None
    read = {id(node) for node in graph.all_nodes() if node.anchor is anchor and node.table is table}
    for choice in graph.choices:
        if choice.condition.root() is not query.statement.tree:
            continue  # an OR inside a view the query reads: the view's, not the author's
        found = [next(((condition, node.anchor) for node, kinds, condition in branch_limits(graph, catalog, choice, index)
                       if node.anchor is anchor or read & reached_by(graph, catalog, node, kinds).keys()), None)
                 for index in range(len(choice.branches))]
        loose = [arm for arm, limit in zip(disjuncts(choice.condition), found) if limit is None]
        if loose and len(loose) < len(found):
            return *next(limit for limit in found if limit is not None), loose[0]
    return None


def _changed_in_one_go(query: Query, relation: m.Relation) -> str | None:
    """UPDATE or DELETE, where the statement changes the relation's rows all in one statement,
    itself or through the CTE it is the one table of (DELETE FROM dup WHERE rn > 1, a clean-up of
    copies): not TOP (n) at a time, nor the one row a cursor is on."""
    statement = query.statement
    through = any(r.changed and r.kind == m.CTE and [b.relations for b in r.inner] == [[relation]] for r in query.relations)
    if not (relation.changed or through) or statement.top_rows or statement.cursor_row is not None:
        return None
    return statement.tree.key.upper() if isinstance(statement.tree, (exp.Update, exp.Delete)) else None


def _meant_in_parentheses(query: Query, limit: exp.Expression, loose: exp.Expression) -> str:
    """Where the OR that lets `loose` through is written among ANDs without parentheses (c.endYear
    = 2027 AND a.status = 'A' OR a.status = 'T'), the reading that keeps the limit for both
    choices, to offer first; empty where there is none."""
    chain = loose
    while isinstance(chain.parent, exp.Or):
        chain = chain.parent
    pair = or_next_to(chain) if chain is not loose else None
    if pair is None or pair.other is not loose or any(node is limit for node in pair.beside.walk()):
        return ""
    return (f"AND binds before OR, and this OR is written without parentheses (PR009): if "
            f"{as_in_file(query, loose)} is another choice beside {as_in_file(query, pair.beside)}, put the two in "
            f"parentheses, {pair.written(query)}, and {as_in_file(query, limit)} holds for both.")


def _joins_to(relation: m.Relation, other: m.Relation) -> str:
    """How a relation is joined to another that would carry a limit to it: directly, or through others."""
    return "its join to" if any(theirs.relation is other for _, theirs in sides_of(relation.block, relation)) else "the joins to"


def _compared_with_itself(query: Query, anchor: m.Relation) -> tuple[exp.Expression, exp.Parameter] | None:
    """A condition that a parameter can turn off (a.calendarID = ISNULL(@cal, a.calendarID)), on the
    relation or on one joined to it, and that parameter."""
    block = anchor.block
    near = [anchor, *(theirs.relation for _, theirs in sides_of(block, anchor))]
    named = {id(predicate): predicate for relation in near for predicate in naming(block, relation)}  # its own first
    for predicate in named.values():
        found = compared_with_itself(predicate.node)
        if found and any(ref.node is found[0] and ref.relation in near for ref in predicate.columns):
            return predicate.node, found[1]
    return None


def _stops_early(block: m.Block) -> bool:
    """TOP n of one table with nothing to sort, group or number first: SQL Server reads until it
    has n rows, however many years the table holds."""
    limit = block.top_rows
    plain = not (block.grouped or block.distinct or block.windowed or block.ordered) and len(block.relations) == 1
    return limit is not None and limit < LARGE_ROWS and plain


def _main_table_scoped(query: Query, view: m.Relation) -> bool:
    """Whether the query limits a view's largest history table: then the view is limited, and
    what its own joins read is the view's design, not this query's (VW001 says to bypass it).
    Not a table the view looks up per row (v_AdHocStudent's homeroom in an OUTER APPLY): the view's
    rows come from the others."""
    nodes = query.graph.all_nodes(per_row=False) if query.graph is not None else []
    history = [n for n in nodes if n.anchor is view and n.table is not None and n.table.history]
    return bool(history) and bool(max(history, key=lambda n: n.table.rows).kinds)


def _joined_on_person(query: Query, relation: m.Relation) -> bool:
    """Whether the relation is joined on personID to something the query does limit, or to a
    temp table or table variable of the script's (its students), as if that limited it too."""
    for mine, theirs in sides_of(relation.block, relation):
        if _is_person(mine.name):
            partner = theirs.relation
            if partner.kind in _SCRIPTS_OWN or any(reach.scoped for reach in by_anchor(query).reaches.get(id(partner), ())):
                return True
    return False


def _matched_on_person(relation: m.Relation) -> str | None:
    """What a subquery that matches the relation's rows to the outer query on personID alone
    asks, where the relation is read for every year: an EXISTS or IN whether the person has such
    a row in any year, so a student whose rows are all from earlier years is kept (or, under NOT,
    left out); a subquery in the SELECT list, or an UPDATE's SET, returns what every year's rows
    make (a COUNT of them all)."""
    block, parent = relation.block, relation.block.parent
    subquery = next((s for s in parent.subqueries if any(b is block for b in s.blocks)), None) if parent else None
    if subquery is None or subquery.clause not in ("where", "select"):
        return None
    node = subquery.node
    if isinstance(node, exp.In) and subquery.clause == "where" and len(block.projections) == 1:
        returned = block.projections[0].plain  # s.personID IN (SELECT a.personID ...)
        matched = returned is not None and returned.relation is relation and _is_person(returned.name)
    elif isinstance(node, exp.Exists) or subquery.clause == "select":
        matched = any(_person_correlation(predicate, relation) for predicate in block.predicates)
    else:
        return None
    if not matched or any(ref.outer for predicate in block.predicates if not _person_correlation(predicate, relation)
                          for ref in predicate.columns):
        return None  # matched on more than personID (e2.startDate > e.startDate: a later row of the person's)
    if subquery.clause == "select":
        where = "an UPDATE's SET" if isinstance(parent.node, exp.Update) else "the SELECT list"
        return (f" The subquery in {where} matches each person to {relation.label()} on personID alone, so what "
                f"it returns comes from every year of the person's rows.")
    negated = isinstance(node.parent, exp.Not)
    written = f"{'NOT ' if negated else ''}{'EXISTS' if isinstance(node, exp.Exists) else 'IN'}"
    return (f" {written} matches each person to {relation.label()} on personID alone, so it looks at every year of "
            f"the person's rows: a student whose {relation.name} rows are all from earlier years is "
            f"{'left out' if negated else 'kept'} too.")


def _missing_on_person(query: Query, relation: m.Relation) -> str | None:
    """What a LEFT JOIN on personID alone asks where the WHERE keeps the rows that found none
    (LEFT JOIN Roster r ON r.personID = s.personID ... WHERE r.rosterID IS NULL): whether the person
    has such a row in any year, as NOT EXISTS on personID alone does."""
    if relation.join != m.LEFT or relation.made_inner_by is not None:
        return None
    joined = [mine.name for mine, _ in sides_of(relation.block, relation)]
    if not joined or not all(_is_person(name) for name in joined):
        return None
    for predicate in relation.block.predicates:
        tested = predicate.node.unnest()
        if (predicate.clause == "where" and isinstance(tested, exp.Is) and isinstance(tested.expression, exp.Null)
                and any(ref.relation is relation for ref in predicate.columns)):
            return (f" {as_in_file(query, predicate.node)} keeps the rows that found no {relation.name} row of the "
                    f"person in any year: a student whose {relation.name} rows are all from earlier years is left out too.")
    return None


def _person_correlation(predicate: m.Predicate, relation: m.Relation) -> bool:
    """a.personID = s.personID, where s is the outer query's."""
    node = predicate.node
    if not isinstance(node, exp.EQ) or len(predicate.columns) != 2:
        return False
    inner = [ref for ref in predicate.columns if ref.relation is relation and not ref.outer]
    outer = [ref for ref in predicate.columns if ref.outer]
    return len(inner) == 1 and len(outer) == 1 and _is_person(inner[0].name) and _is_person(outer[0].name)


def _is_person(column: str) -> bool:
    return column.lower().startswith("personid")


def _unlimited_carrier(query: Query, relation: m.Relation, table: Table, catalog: Catalog) -> tuple[str, m.Relation] | None:
    """A column the relation is joined on that would carry a limit into its table (calendarID,
    not personID), with the smaller relation it joins, when that one is read for every year too:
    limiting the smaller one limits both."""
    for mine, theirs in sides_of(relation.block, relation):
        if not catalog.carries_scope(table, mine.name) or table.scope_kind(mine.name) == "person":
            continue  # a person's rows of every year match a person: the personID sentence says so
        partner = theirs.relation
        if (relation_rows(partner) or 0) < table.rows and any(
                not reach.scoped for reach in by_anchor(query).reaches.get(id(partner), ())):
            return mine.name, partner
    return None


def _student_advice(relation: m.Relation) -> str:
    column = _person_column(relation)
    return (
        f"Limit {relation.label()} to the students you need: join it on {column} to them, e.g. "
        f"{relation.alias}.{column} IN (SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = @endYear)."
    )


def _person_column(relation: m.Relation) -> str:
    """The column that holds a personID (RelatedPair's personID1 and personID2, not a
    studentNumber): the first the query reads, or the first there is; personID where the catalog
    says none."""
    people = [column for column in relation.output_columns or [] for origin in origins(relation, column)
              if origin.column.lower().startswith("personid")]
    read = [column for column in people if column.lower() in relation.columns]
    return (read or people or ["personID"])[0]


def _as_set(query: Query, condition: exp.Expression) -> str:
    """The constants a condition's variables hold, as the script sets them: "@start is
    '2016-08-01', as the script sets it"; "" where it has none."""
    held = [variable for variable in condition.find_all(exp.Parameter) if variable.name.lower() in query.constants]
    given = list(dict.fromkeys(f"@{variable.name} is {as_written(query.constants[variable.name.lower()])}" for variable in held))
    return f"{names(given)}, as the script sets {'it' if len(given) == 1 else 'them'}" if given else ""


def _added_to_on(relation: m.Relation) -> str:
    """How a condition joins the relation's ON: after AND, which binds tighter than OR, so an ON
    that is an OR of joins needs its parentheses first or the condition limits its last branch only."""
    if isinstance(relation.join_condition, exp.Or):
        return "put the ON's condition in parentheses, then add AND "
    return "AND "


def _scope_advice(query: Query, relation: m.Relation, catalog: Catalog) -> str:
    """Name the columns the relation offers that would limit it: first its calendar matched to
    that of a relation the query limits to the year (the student it is joined to on personID)."""
    offered = _scope_columns(relation)
    unlimited = _unlimited_inside(query, relation)
    reaching = _reaching(query, relation, offered, unlimited, catalog) if unlimited else offered
    if unlimited and not reaching:
        read = list(dict.fromkeys(node.table.name for node in unlimited))
        them = "them" if len(read) > 1 else "it"
        why = (f"the view joins {them} to its other tables only on columns that carry no year" if offered else
               "it returns none that carries a year, calendar, school or date")
        return (f"No column {relation.label()} returns limits {names(read)}: {why}. Limit {them} inside the view, or "
                "read the tables the query needs directly.")
    offered = reaching
    alias = relation.alias
    matched = _calendar_partner(query, relation) if offered.get("calendar") else None
    if matched is not None:
        partner, column, limit = matched
        match = f"{alias}.{offered['calendar'][0]} = {partner.alias}.{column}"
        text = (f"Join {relation.label()} on the calendar too, where it joins {partner.label()}: "
                f"{_added_to_on(relation)}{match}."
                if partner.block is relation.block else
                f"Match {relation.label()}'s calendar to the outer row's, in the subquery: AND {match}.")
        others = [f"{c} ({_KIND_WORDS[k]})" for k in PREFERRED if k != "calendar" for c in offered.get(k, [])]
        held = f"is limited to {limit}" if limit is not None else "holds a calendarID for each of its rows"
        text += f" {partner.label()} {held}, and a calendar is one school's year."
        return text + (f" It can also be limited on {names(others)}." if others else "")
    for kind in PREFERRED:
        if offered.get(kind):
            column = offered[kind][0]
            example = {
                "year": f"{alias}.{column} = @endYear",
                "date": f"{alias}.{column} >= @startDate",
                "trial": f"{alias}.{column} IN (SELECT t.trialID FROM Trial t JOIN Calendar c ON c.calendarID = t.calendarID "
                         "WHERE c.endYear = @endYear AND t.active = 1), the year's active schedules",
            }.get(kind, f"{alias}.{column} = @{column}")
            others = [f"{c} ({_KIND_WORDS[k]})" for k in PREFERRED for c in offered.get(k, []) if c != column]
            text = f"Limit {relation.label()} to the {_KIND_WORDS[kind]} you need, e.g. {example}"
            if others:
                text += f"; it can also be limited on {names(others)}"
            joined = " A join on calendarID to a Calendar limited to the year works too." if offered.get("calendar") else ""
            return text + "." + joined
    return (
        f"Join {relation.label()} to a Calendar (on calendarID) limited to the school year you need, "
        "e.g. c.endYear = @endYear, or filter it on a date window."
    )


def _unlimited_inside(query: Query, relation: m.Relation) -> list[Node]:
    """The history tables a view reads that nothing limits; none for a table, or for an indexed
    view read through its index (student WITH (NOEXPAND)), whose columns are its own."""
    if not relation.inner or relation.table is not None or query.graph is None:
        return []
    return [node for node in query.graph.all_nodes() if node.anchor is relation and node.table is not None
            and node.table.history and not node.kinds]


def _reaching(query: Query, relation: m.Relation, offered: dict[str, list[str]], unlimited: list[Node],
              catalog: Catalog) -> dict[str, list[str]]:
    """Of a view's columns that carry a limit, those whose limit reaches the `unlimited` tables it
    reads: its calendarID limits the Enrollment it comes from, not a Roster joined to that on
    personID."""
    graphs = query.graph.all_graphs()
    leaving = _leaving([edge for graph in graphs for edge in graph.edges])
    # an indexed view read WITH (NOEXPAND) is one node, but its columns' origins are the tables
    # its definition reads (v_AdHocStudent's endYear is the Enrollment's that student reads)
    by_relation = {id(table): node for graph in graphs for node in graph.nodes if node.anchor is relation
                   for table in base_tables(node.relation)}
    targets = {id(node) for node in unlimited}
    kept: dict[str, list[str]] = {}
    for kind, columns in offered.items():
        for column in columns:
            starts = [by_relation[id(o.relation)] for o in _column_origins(relation, column) if id(o.relation) in by_relation]
            if targets & {id(node) for node in _spread(starts, leaving, catalog)}:
                kept.setdefault(kind, []).append(column)
    return kept


def _scope_columns(relation: m.Relation) -> dict[str, list[str]]:
    """The relation's columns that carry a scope, by kind: calendarID for "calendar"."""
    return by_kind((column, _column_origins(relation, column)) for column in relation.output_columns or [])


def _column_origins(relation: m.Relation, column: str) -> list[Origin]:
    """The base columns behind a relation's column (origins), and behind a grouped or ranked
    view's column that SQL Server filters before it groups, its GROUP BY's or PARTITION BY's
    (v_AttDayDetail_Federal's calendarID is Attendance's): a limit on it limits what is grouped."""
    found = origins(relation, column)
    if found or relation.kind not in (m.VIEW, m.CTE, m.DERIVED) or len(relation.inner) != 1:
        return found
    block, name = relation.inner[0], relation.inner_name(column).lower()
    if name not in block.pushable_columns:
        return []
    projection = next((p for p in block.projections if p.name.lower() == name), None)
    ref = projection.plain if projection is not None else None
    return origins(ref.relation, ref.name) if ref is not None and ref.relation is not None and not ref.outer else []


def by_kind(columns: Iterable[tuple[str, list[Origin]]], kinds: tuple[str, ...] = PREFERRED) -> dict[str, list[str]]:
    """Columns, each with the base-table columns behind it, by the scope kind of `kinds` those carry."""
    offered: dict[str, list[str]] = {}
    for column, found in columns:
        for origin in found:
            kind = origin.relation.table.scope_kind(origin.column) if origin.relation.table is not None else None
            if kind in kinds and column not in offered.setdefault(kind, []):
                offered[kind].append(column)
    return offered


def _calendar_partner(query: Query, relation: m.Relation) -> tuple[m.Relation, str, str | None] | None:
    """A relation of the same SELECT, or of one around it, that the query limits to a school year
    or calendar and that offers a calendar to match: with its calendar column and what limits it.
    Not one fixed to another year than the relation's own conditions, or its Calendar's, name. A
    temp table or table variable of the script's with a calendarID (the students it chose, each with
    their calendar) offers it too, with no limit sqladvise can tell."""
    limits = by_anchor(query).kinds
    # last year's enrollments joined to this year's on personID, meant for another year: not its calendars
    year = held_year(relation)
    block: m.Block | None = relation.block
    while block is not None:
        for partner in block.relations:
            if partner is relation or _joined_on_calendar(relation, partner):
                continue
            if partner.kind in _SCRIPTS_OWN:
                column = next((c for c in partner.output_columns or [] if c.lower() == "calendarid"), None)
                if column is not None:
                    return partner, column, None
                continue
            kinds = limits.get(id(partner), frozenset()) & {"year", "calendar"}
            columns = _scope_columns(partner).get("calendar") if kinds else None
            if columns and (year is None or held_year(partner) == year):
                return partner, columns[0], "the school year" if "year" in kinds else "a calendar"
        block = block.parent
    return None


def _joined_on_calendar(relation: m.Relation, partner: m.Relation) -> bool:
    """Whether the two are joined on calendarID already: where that leaves the relation unlimited,
    an outer join keeps the partner's limit from it, and the same join again is no fix."""
    return "calendarid" in join_columns(relation.block, relation)[0].get(partner, set())


_HELD_TO_A_YEAR = WITHIN_A_YEAR - {"calendar"}


@statement_rule("SC002")
def toolbar_catch_all(query: Query, catalog: Catalog) -> Iterator[Hit]:
    # A table that another condition keeps within a year (s.endYear = 2026 AND (@school = 0 OR
    # s.schoolID = @school)) reads no more years for it. A calendar does not count: Campus's
    # toolbar puts its own calendar in, and an All Years run leaves it out.
    unlimited = {reach.table.name for reach in query.reaches if not reach.kinds & _HELD_TO_A_YEAR}
    for block in query.blocks:
        if not block.in_user_text:
            continue
        for predicate in block.predicates:
            branches = disjuncts(predicate.node)
            if len(branches) < 2:
                continue
            for switch in branches:
                value = _switch_value(switch)
                if value is None:
                    continue
                limited = [ref for branch in branches if branch is not switch for ref in _compared_with(branch, value, predicate)
                           if _scope_column(ref)]
                tables = list({t.name: t for ref in limited for t in _history_behind(ref, query, catalog)
                               if t.name in unlimited}.values())
                if not tables:
                    continue
                rows = max(t.rows for t in tables)
                yield Hit(
                    query.span_of(predicate.node),
                    f"When {switch.sql('tsql')} is true (the toolbar set to All Years or All Schools), this "
                    f"condition stops limiting {names([ref.name for ref in limited])}, and the query reads every "
                    f"year of {names([t.name for t in tables])} ({count(rows)} rows).",
                    "Run it for one year or school at a time, or give the all-years case its own query that "
                    "limits the rows another way.",
                    tuple(dict.fromkeys(t.name for t in tables)),
                    severity_for_rows(rows),
                )
                break


def _switch_value(branch: exp.Expression) -> exp.Expression | None:
    """In (0 = @year OR s.endYear = @year), the branch 0 = @year: a constant compared with the
    value the other branch filters on. Returns that value (@year)."""
    if not isinstance(branch, exp.EQ) or branch.find(exp.Column):
        return None
    left, right = branch.this, branch.expression
    for constant, value in ((left, right), (right, left)):
        if isinstance(constant, exp.Literal) and not isinstance(value, exp.Literal):
            return value
        if isinstance(constant, exp.Literal) and isinstance(value, exp.Literal) and constant != value:
            return value  # the wrapper pastes the toolbar's value in: (0 = 2025 OR ...)
    return None


def _compared_with(branch: exp.Expression, value: exp.Expression, predicate: m.Predicate) -> list[m.ColumnRef]:
    refs = {id(ref.node): ref for ref in predicate.columns}
    found = []
    for node in branch.find_all(exp.EQ):
        for column, other in ((node.this, node.expression), (node.expression, node.this)):
            if isinstance(column, exp.Column) and other == value and id(column) in refs:
                found.append(refs[id(column)])
    return found


def _scope_column(ref: m.ColumnRef) -> bool:
    """Whether the column names what scope is made of, a year, school, calendar, date...: a
    catch-all on a grade or a code drops no year, however many years its table holds."""
    return ref.relation is not None and any(
        not origin.computed and origin.relation.table is not None and origin.relation.table.scope_kind(origin.column)
        for origin in origins(ref.relation, ref.name))


def _history_behind(ref: m.ColumnRef, query: Query, catalog: Catalog) -> list[Table]:
    """The large history tables a filter on the column limits: its own table, the view's tables
    it comes from, or, for Calendar's endYear, the unlimited tables joined to Calendar on a
    column that carries its scope (Attendance a ON a.calendarID = c.calendarID)."""
    if ref.relation is None:
        return []
    relation = ref.relation
    tables = [relation.table] if relation.table is not None else [o.relation.table for o in origins(relation, ref.name)]
    own = [table for table in tables if table.history and table.rows >= LARGE_ROWS]
    return own or [node.table for node in _joined_unlimited(relation, query, catalog)
                   if node.table.history and node.table.rows >= LARGE_ROWS]


def _joined_unlimited(relation: m.Relation, query: Query, catalog: Catalog) -> list[Node]:
    """The catalog tables nothing limits that the relation would limit through joins on scope columns."""
    graph = query.graph
    starts = [node for node in graph.nodes if node.relation is relation] if graph is not None else []
    return [node for node in _spread(starts, _leaving(graph.edges) if graph is not None else {}, catalog)[len(starts):]
            if not node.kinds]


def _leaving(edges: list) -> dict[int, list]:
    """Each node's edges, as (the node it reaches, on which column), by the node's id: a query of a
    hundred views has thousands of edges, and a limit spreads through a few of them."""
    leaving: dict[int, list] = {}
    for (source, _), arrival in edges:
        leaving.setdefault(id(source), []).append(arrival)
    return leaving


def _spread(starts: list[Node], leaving: dict[int, list], catalog: Catalog) -> list[Node]:
    """The nodes a limit on `starts` reaches through joins on columns that carry scope, `starts`
    first; `leaving` holds each node's edges (from _leaving)."""
    reached, waiting = list(starts), list(starts)
    seen = {id(node) for node in starts}
    while waiting:
        node = waiting.pop()
        for target, column in leaving.get(id(node), ()):
            if id(target) not in seen and target.table is not None and catalog.carries_scope(target.table, column):
                seen.add(id(target))
                waiting.append(target)
                reached.append(target)
    return reached


@statement_rule("SC005")
def changes_every_row(query: Query, catalog: Catalog) -> Iterator[Hit]:
    found = _every_row_changed(query, catalog)
    if found is None:
        yield from _unknown_target_apart(query, catalog)
        return
    table, why = found
    verb = "changes" if query.statement.keyword == "UPDATE" else "deletes"
    every = ", every school year's and every school's" if table.history else ""
    familiar = catalog.familiar(table)
    # a table of the district's own may be emptied on purpose: a staging table an extract refills
    emptied = (f" If emptying {table.name} is meant, TRUNCATE TABLE {table.name} says so."
               if verb == "deletes" and not familiar else "")
    keyword = query.statement.keyword
    if isinstance(why, list):  # the FROM's tables, which the target is not among
        message = (f"This {keyword}'s target, {table.name}, is none of the tables of its FROM ({names([r.label() for r in why])}) "
                   f"and no condition names it: SQL Server joins it to every row the FROM finds, so it {verb} all "
                   f"{count(table.rows)} rows of {table.name}{every}{',' if every else ''} once the FROM finds one, not only "
                   "the rows meant.")
        fix = (f"Name {table.name} in the FROM with an alias, {keyword} that alias, and join it to the rows that say which to "
               f"{verb[:-1]}: {keyword} t FROM {table.name} t JOIN ... ON ...; run it first as SELECT COUNT(*) with the same "
               f"FROM and WHERE to see how many rows it will {verb[:-1]}.")
    else:
        said = ("has no WHERE and joins nothing" if why is None else
                f"has a WHERE that names no column ({as_in_file(query, why)}) and joins nothing")
        message = (f"This {keyword} {said}: it {verb} all {count(table.rows)} rows of {table.name}{every}"
                   + (", or none, not only the rows meant." if why is not None else ", not only the rows meant."))
        fix = (f"Add the WHERE that keeps only the rows meant{_limited_on(table)}, and run it first as SELECT COUNT(*) FROM "
               f"{table.name} with the same WHERE to see how many rows it will {verb[:-1]}.{emptied}")
    yield Hit(query.statement.span, message, fix, (table.name,), None if familiar else "warning")


def _limited_on(table: Table) -> str:
    """The columns a WHERE can keep some of the table's rows by, in words: ' (endYear for a school
    year or calendarID for a calendar)'; empty where the catalog names none."""
    found = [f"{column} for a {_KIND_WORDS[kind]}" for kind in PREFERRED
             for column in [c.name for c in table.columns if table.scope_kind(c.name) == kind][:1]][:3]
    return f" ({', '.join(found[:-1])} or {found[-1]})" if len(found) > 1 else f" ({found[0]})" if found else ""


def _every_row_changed(query: Query, catalog: Catalog) -> tuple[Table, exp.Expression | list[m.Relation] | None] | None:
    """The Campus table an UPDATE or DELETE changes every row of, and why: it has no WHERE and
    joins nothing (None); its WHERE names no column, `WHERE 1 = 1` (that WHERE); or its target is
    none of its FROM's tables, and no condition names it (those tables). Not with TOP, nor on the
    row a cursor is on."""
    tree = query.statement.tree
    block = _write_block(query)
    if block is None or query.statement.top_rows:
        return None
    apart = _target_apart(query, block)
    if apart is not None:
        table = catalog.table(apart[0].name)
        return (table, apart[1]) if table is not None else None
    where = tree.args.get("where")
    if len(block.relations) != 1 or (where is not None and (block.subqueries or any(p.columns for p in block.predicates))):
        return None
    changed = block.relations[0]
    if changed.kind != m.TABLE or changed.table is None:
        return None
    return changed.table, where.this if where is not None else None


def _write_block(query: Query) -> m.Block | None:
    """The block of an UPDATE or DELETE statement, but not one of the row a cursor is on."""
    tree = query.statement.tree
    if not isinstance(tree, (exp.Update, exp.Delete)) or query.statement.cursor_row is not None:
        return None
    return next((block for block in query.blocks if block.node is tree), None)


def _target_apart(query: Query, block: m.Block) -> tuple[exp.Table, list[m.Relation]] | None:
    """UPDATE Enrollment ... FROM #x x WHERE x.id = 5, DELETE Enrollment FROM #x x ...: a target
    that none of the FROM's tables is, by alias or by name, and that no condition names, with the
    FROM's tables. (UPDATE Enrollment ... FROM Enrollment e JOIN ... changes the FROM's Enrollment e.)"""
    tree = query.statement.tree
    target = tree.this if isinstance(tree, exp.Update) and tree.args.get("from_") else (
        tree.args["tables"][0] if isinstance(tree, exp.Delete) and tree.args.get("tables") else None)
    if not isinstance(target, exp.Table) or target.catalog:
        return None
    name = target.name.lower()
    sources = [r for r in block.relations if r.node is not target]
    if not sources or any(name in (r.alias.lower(), r.name.lower()) for r in sources):
        return None
    named = any(ref.relation.node is target if ref.relation is not None else qualifier(ref.node).lower() == name
                for inner in query.blocks for predicate in inner.predicates for ref in predicate.columns)
    return None if named else (target, sources)


def _unknown_target_apart(query: Query, catalog: Catalog) -> Iterator[Hit]:
    """UPDATE e SET ... FROM Enrollment x: a target the catalog does not know, and none of the FROM's
    tables. Most often an alias changed on one side only, which SQL Server takes for a table of
    that name and does not find; else a table of the district's own, changed in every row."""
    statement = query.statement
    block = _write_block(query)
    apart = _target_apart(query, block) if block is not None else None
    if apart is None or catalog.table(apart[0].name) is not None or apart[0].name.startswith(("#", "@")):
        return
    target, sources = apart
    keyword, verb = statement.keyword, "changes" if statement.keyword == "UPDATE" else "deletes"
    aliases = list(dict.fromkeys(r.alias for r in sources))
    yield Hit(
        query.span_of(target),
        f"This {keyword}'s target, {target.name}, is none of the tables of its FROM ({names([r.label() for r in sources])}) "
        f"and no condition names it. If it was meant as an alias, none of them has it: SQL Server looks for a table "
        f"named {target.name} and stops with error 208 (\"Invalid object name '{target.name}'\"). If {target.name} is a "
        f"table of the district's own, SQL Server joins it to every row the FROM finds, and the {keyword} {verb} all its "
        "rows.",
        f"Name the table meant by the alias its FROM gives it, {' or '.join(aliases)}: {keyword} {aliases[0]} "
        f"{'SET' if keyword == 'UPDATE' else 'FROM'} ...",
        (target.name,),
        "warning",
    )
