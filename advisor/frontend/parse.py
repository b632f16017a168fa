"""Text to statements: batches, statements, and a sqlglot tree for each, with exact positions.

A statement is either understood (a tree that is right, or a statement that holds no query and
that sqladvise recognises) or carries the reason it is not. Nothing is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from advisor.frontend.batches import Comment, scan
from advisor.frontend.clause_words import check_clause_words
from advisor.frontend.conditions import (
    is_condition,
    updates_as_calls,
    value_for_condition,
)
from advisor.frontend.dialect import (
    Parser,
    double_quoted_strings,
    error_token,
    new_parser,
    placed_variables,
    tokenize,
    unwritten,
    with_placed_variables,
)
from advisor.frontend.executed import (
    Executed,
    FixedString,
    StringPart,
    executed,
    joined_content,
    mailed_query,
    placed,
    sp_executesql_at,
)
from advisor.frontend.fixed_variables import fixed_strings
from advisor.frontend.foreign import if_called
from advisor.frontend.known_names import bare_table_hint
from advisor.frontend.named_calls import as_exec, no_keyword
from advisor.frontend.named_windows import expand_named_windows
from advisor.frontend.procedural import check_procedural, table_variable_dropped
from advisor.frontend.query_options import (
    misused_query_hint,
    option_items,
    trailing_option,
)
from advisor.frontend.repairs import (
    COMPOUND_OPERATORS,
    changes_top_rows,
    compound_targets,
    depth0_index,
    matching_parenthesis,
    repaired,
    without_query_methods,
)
from advisor.frontend.set_options import (
    check_isolation,
    check_one_variable,
    check_other,
    check_switches,
    switched,
)
from advisor.frontend.split import NOT_WORDS, UNCUT_STARTERS, Piece, split, words_of
from advisor.frontend.typed_literals import read_typed_literals
from advisor.frontend.view_batches import is_view, view_not_alone
from advisor.frontend.wrong_tree import WrongTree
from advisor.frontend.wrong_trees import (
    check_tree,
    missing_name,
    not_a_variable,
    old_outer_join,
)
from advisor.span import LineIndex, Span

# Statements that hold no query: understood once their parentheses balance.
_NO_QUERY = frozenset(
    {
        "PRINT", "RAISERROR", "THROW", "OPEN", "CLOSE", "DEALLOCATE", "FETCH", "GOTO", "LABEL",
        "BREAK", "CONTINUE", "WAITFOR", "REVERT", "CHECKPOINT", "RECONFIGURE", "SETUSER", "DBCC",
        "KILL", "SHUTDOWN", "SAVE", "BACKUP", "RESTORE", "BULK", "READTEXT", "WRITETEXT",
        "UPDATETEXT", "CREATE PROCEDURE", "ALTER PROCEDURE", "CREATE FUNCTION", "ALTER FUNCTION",
        "CREATE TRIGGER", "ALTER TRIGGER", "UPDATE STATISTICS", "GRANT", "REVOKE", "DENY", "ENABLE", "DISABLE",
        *UNCUT_STARTERS,
    }
)
# CREATE / DROP of these define no query either, and sqlglot reads few of them.
_NO_QUERY_OBJECTS = frozenset({"STATISTICS", "SYNONYM", "ROLE", "USER", "LOGIN", "TYPE", "CERTIFICATE", "SCHEMA"})
# BEGIN DISTRIBUTED TRANSACTION, and Service Broker's BEGIN DIALOG / CONVERSATION TIMER
_BEGUN_ELSEWHERE = frozenset({"DISTRIBUTED", "DIALOG", "CONVERSATION"})
# <Parameter, Type, Default>: what an SSMS template holds until its values are specified.
_TEMPLATE_PARAMETER = re.compile(r"<[@\w][^<>,()'\n]{0,60},[^<>,()'\n]{0,60},[^<>()'\n]{0,60}>")
_BLANK = re.compile(r"[^\r\n]")
# Characters a web page, e-mail or word processor puts in pasted SQL that SQL Server cannot read
# outside strings and quoted names ("Incorrect syntax near ..."), though they look like its own.
_PASTED = {
    "\u00a0": "A non-breaking space (U+00A0), which SQL Server does not read as a space",
    "\u200b": "A zero-width space (U+200B), which SQL Server cannot read",
    "\u200c": "A zero-width non-joiner (U+200C), which SQL Server cannot read",
    "\u200d": "A zero-width joiner (U+200D), which SQL Server cannot read",
    "\u2060": "A word joiner (U+2060), which SQL Server cannot read",
    "\u200e": "A left-to-right mark (U+200E), which SQL Server cannot read",
    "\u200f": "A right-to-left mark (U+200F), which SQL Server cannot read",
    "\u00ad": "A soft hyphen (U+00AD), the hyphen a word processor hides in a word, which SQL Server cannot read",
    "\u2018": "A typographic quote (\u2018): SQL Server reads only ' as a quote",
    "\u2019": "A typographic quote (\u2019): SQL Server reads only ' as a quote",
    "\u201c": "A typographic double quote (\u201c): SQL Server reads only \" as a double quote",
    "\u201d": "A typographic double quote (\u201d): SQL Server reads only \" as a double quote",
    "\u2013": "A dash (\u2013): SQL Server reads only - as a minus sign",
    "\u2014": "A dash (\u2014): SQL Server reads only - as a minus sign",
    "\ufeff": "A byte order mark (U+FEFF) inside the text, where two files were joined, which SQL Server cannot read",
}
_PASTED_CHARACTER = re.compile("[" + "".join(_PASTED) + "]")
_INVISIBLE = " \t\u00a0\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"  # spaces, and the pasted characters no one sees
_CALLED = re.compile(r"\)\s*\.")  # (SELECT ...).value(...): a method called on what a parenthesis holds
_SEMICOLON_NEXT = re.compile(r"\s*;")
_TOKEN_REPR = re.compile(r"<Token token_type: [\w.]+, text: (.*?), line: .*?>")
_NAME_EXPECTED = re.compile(r"Expected (?:table|database) name but got '(.*)'$")
# Every later stage follows nested queries and expressions by recursion; at this depth each of
# them still has most of Python's stack to spare. No district query comes near it.
DEEPEST = 100


@dataclass(eq=False)
class Statement:
    """One top-level statement: its place, its keyword and its tree, or why it could not be read."""

    index: int
    keyword: str  # SELECT, IF, DECLARE CURSOR, SET TRANSACTION ISOLATION LEVEL, PRINT...
    span: Span
    enclosing: tuple[str, ...]  # control flow around it: ("WHILE", "BEGIN")
    tree: exp.Expression | None = None  # the statement, or the query / condition / value inside it (IF's, PRINT's)
    error: str | None = None
    error_span: Span | None = None
    rejected: bool = False  # SQL Server rejects it as written too, for the reason the error gives
    detail: str | None = None  # an isolation level; the table an INSERT ... EXEC fills
    option_hints: tuple[str, ...] = ()  # the hints of an OPTION (...) clause sqlglot cannot read
    dynamic: bool = False  # it runs SQL built as the script runs: EXEC (@sql), sp_executesql
    linked_server: str | None = None  # EXEC (...) AT a linked server: the server that runs the SQL
    cursor_row: str | None = None  # UPDATE or DELETE ... WHERE CURRENT OF c: the cursor whose row it changes
    top_rows: bool = False  # UPDATE TOP (n), DELETE TOP (n)...: it changes at most n rows, which the tree does not say
    # SELECT @list += ..., SET @n += 1: the names the tree, read as @list = ... or as the value alone, shows as
    # set rather than added to
    compound_targets: frozenset[str] = frozenset()
    # read from the string an EXEC runs (frontend/executed.py), just after that EXEC: not top-level
    nested: bool = False
    # the database it runs in where the EXEC that runs it says (a Database Mail @query: msdb, or its
    # @execute_query_database); None: the script's own
    runs_in: str | None = None
    # read from strings an EXEC runs as one: the start and end offsets of the text that joins each
    # two in the file (' + N'), which is no part of the SQL
    joins: tuple[tuple[int, int], ...] = ()

    @property
    def understood(self) -> bool:
        return self.error is None

    def inside(self, depth: int, blocks: tuple[str, ...]) -> bool:
        """Whether it is in the body of a block opened at this depth by one of these words
        (WHILE; IF or ELSE): a statement after the block's opening runs in it or after it."""
        return len(self.enclosing) > depth and self.enclosing[depth] in blocks


@dataclass(frozen=True)
class ReportFacts:
    """What an SSRS report definition says of the queries of its data sets. Each data set runs
    on its own: nothing one declares reaches the next, and a variable none declares is a report
    parameter."""

    # the type each report parameter reaches SQL Server in, by lower-case name without the @, as
    # SSRS sends it (text as nvarchar)
    parameters: dict[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the data sets', in order
    starts: tuple[int, ...] = ()  # where each data set's query starts in the script's text
    # for each data set, the columns (lower case) of its query that the report shows or uses; None
    # where that is not known
    shown: tuple[frozenset[str] | None, ...] = ()
    # the run each data set is in: SSRS runs data sets at the same time, each in a run of its own,
    # but those of a data source that uses one transaction one after another, in one run
    runs: tuple[int, ...] = ()
    filters: tuple[tuple[str, ...], ...] = ()  # for each data set, the filters the report server applies to its rows
    # for each data set, the seconds the report server lets its query run (its Timeout); None for no
    # limit of its own, when only the report's execution timeout stops it
    timeouts: tuple[int | None, ...] = ()
    # for each data set, its query parameters (lower case, without the @) given a multi-value
    # report parameter's values, which SSRS writes into the query as a list: IN (@Schools)
    lists: tuple[frozenset[str], ...] = ()

    def data_set_at(self, offset: int) -> int:
        """The number of the data set whose query holds an offset of the script's text."""
        return max(bisect_right(self.starts, offset) - 1, 0)


@dataclass
class Script:
    """A file's text and its statements, each with its place in the file."""

    text: str
    lines: LineIndex
    code: str  # the text with its comments and SQLCMD directives blanked out, every offset and line kept
    statements: list[Statement] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    # a filter as Campus runs it, its boxes inside Campus's query: the lines Campus writes, which
    # the author cannot change (filters/passthrough.py)
    campus_lines: frozenset[int] = frozenset()
    batch_starts: tuple[int, ...] = (0,)  # where each GO-separated batch starts in the text
    # for an SSRS report's data sets, one batch each (frontend/ssrs.py): what the report says of them
    report: ReportFacts | None = None

    @property
    def report_parameters(self) -> dict[str, str]:
        """A report's parameters' types (ReportFacts.parameters); none for a script."""
        return self.report.parameters if self.report else {}

    def batch_of(self, statement: Statement) -> int:
        """The number of the batch a statement is in, from 0: its variables end with the batch."""
        return bisect_right(self.batch_starts, statement.span.start) - 1

    @property
    def top_level(self) -> int:
        """The statements written in the file itself, not in the strings its EXECs run."""
        return sum(1 for statement in self.statements if not statement.nested)

    @property
    def parsed(self) -> int:
        """The top-level statements understood."""
        return sum(1 for statement in self.statements if statement.understood and not statement.nested)


def read_script(text: str) -> Script:
    lines = LineIndex(text)
    scanned = scan(text)
    not_sql = sorted([(c.start, c.end) for c in scanned.comments] + scanned.directives)
    script = Script(text, lines, _blanked(text, not_sql), comments=scanned.comments)
    reader = _Reader(text, lines, script.code)
    quoted_identifier_off, sets_quoted_identifier = False, (
        "QUOTED_IDENTIFIER" in lines.upper and _QUOTED_IDENTIFIER.search(script.code) is not None)
    script.batch_starts = tuple(batch.start for batch in scanned.batches) or (0,)
    for batch in scanned.batches:
        readable_end = batch.unclosed_at if batch.unclosed_at is not None else batch.end
        pieces, failure = _pieces(script.code, batch.start, readable_end)
        if failure is not None:
            script.statements.append(reader.failed(batch.start, batch.end, failure))
            continue
        for piece in pieces if sets_quoted_identifier else ():
            quoted_identifier_off = double_quoted_strings(piece.tokens, script.code, quoted_identifier_off)
        unclosed = None
        if batch.unclosed_at is not None:
            # The statement that runs into the unclosed string goes with it.
            start = batch.unclosed_at
            if pieces and pieces[-1].tokens[-1].end + 1 >= _last_code_before(text, batch.unclosed_at):
                start = pieces.pop().tokens[0].start
            unclosed = reader.failed(start, batch.end, batch.unclosed_reason)
            unclosed.error_span = lines.span(batch.unclosed_at, batch.unclosed_at + 1)
        script.statements.extend(reader.read_pieces(pieces))
        if unclosed is not None:
            script.statements.append(unclosed)
    for index, statement in enumerate(script.statements):
        statement.index = index
    return script


def _holds_no_query(keyword: str, words: list[str]) -> bool:
    """Statements understood once their parentheses balance: nothing in them is analysed."""
    second = words[1] if len(words) > 1 else ""
    return (keyword in _NO_QUERY
            or (keyword == "ALTER" and second != "VIEW")  # ALTER TABLE, INDEX, DATABASE...
            or (keyword in ("CREATE", "DROP") and second in _NO_QUERY_OBJECTS)
            or (keyword in ("EXEC", "EXECUTE") and second == "AS")  # EXECUTE AS USER = ...
            or (keyword == "BEGIN" and second in _BEGUN_ELSEWHERE))


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans (comments, SQLCMD directives) blanked out, every offset and line
    kept. The scan found comments as SQL Server does; sqlglot's tokenizer misreads some nested
    ones (/*/* x */*/)."""
    if not spans:
        return text
    parts, at = [], 0
    for start, end in spans:
        hidden = text[start:end]
        # most are -- comments, with no line break to keep
        parts += (text[at:start], _BLANK.sub(" ", hidden) if "\n" in hidden or "\r" in hidden else " " * len(hidden))
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _last_code_before(text: str, offset: int) -> int:
    return len(text[:offset].rstrip())


def _pieces(text: str, start: int, end: int) -> tuple[list[Piece], str | None]:
    try:
        tokens = tokenize(text[start:end])
    except TokenError as error:
        cause = error.__cause__ or error
        return [], f"cannot read this batch as T-SQL: {cause}"
    for token in tokens:
        token.start += start
        token.end += start
    return split(tokens), None


class _Reader:
    def __init__(self, text: str, lines: LineIndex, code: str):
        self.text = text
        self.lines = lines
        self.code = code  # the text with comments blanked: what is left is read as SQL
        self.parser: Parser = new_parser()
        self.error_token: Token | None = None  # where the last statement that failed went wrong

    def _pasted(self, tokens: list[Token]) -> int | None:
        """Where the statement holds a character of _PASTED outside its strings and quoted names,
        or an invisible one among the spaces that end its line."""
        end = tokens[-1].end + 1
        while end < len(self.code) and self.code[end] in _INVISIBLE:
            end += 1
        for found in _PASTED_CHARACTER.finditer(self.code, tokens[0].start, end):
            at = found.start()
            if not any(t.start <= at <= t.end and t.token_type in NOT_WORDS for t in tokens):
                return at
        return None

    def failed(self, start: int, end: int, reason: str) -> Statement:
        span = self.lines.span(start, len(self.text[:end].rstrip()))
        return Statement(0, "", span, (), error=reason, error_span=span)

    def read_pieces(self, pieces: list[Piece]) -> list[Statement]:
        """The statements of a batch's pieces, with the strings its variables are set to once; the
        first may run a procedure by its name alone."""
        pieces = [as_exec(pieces[0]), *pieces[1:]] if pieces else pieces
        fixed = fixed_strings(pieces)
        return [statement for piece in pieces for statement in self.read_all(piece, fixed)]

    def read_all(self, piece: Piece, fixed: dict[int, FixedString]) -> list[Statement]:
        """The piece's statement, then those of the fixed SQL it runs, if it is such an EXEC;
        `fixed` holds the strings of the batch's variables that are set once (fixed_variables.py)."""
        statement = self.read(piece)
        runs = executed(piece.tokens, fixed) if statement.dynamic else None
        if runs is not None and runs.not_unicode is not None:
            self._not_unicode(statement, *runs.not_unicode)
            return [statement]
        inside = self._executed(statement, runs) if runs is not None else None
        if inside is None:
            return [statement]
        statement.dynamic = False
        return [statement, *inside]

    def _not_unicode(self, statement: Statement, argument: list[Token], what: str) -> None:
        statement.dynamic, statement.rejected, statement.tree = False, True, None
        statement.error = (f"sp_executesql takes {what} only as Unicode text: SQL Server refuses this EXEC (error 214) "
                           "and runs none of it. Write the string as N'...', or declare its variable nvarchar")
        statement.error_span = self.lines.span(argument[0].start, argument[-1].end + 1)

    def _executed(self, statement: Statement, runs: Executed) -> list[Statement] | None:
        """The statements of the string an EXEC runs, and a DECLARE of sp_executesql's
        parameters; a failed statement when the string's SQL cannot be tokenized; None when the
        literal is not where its token says, which leaves the EXEC dynamic."""
        depth = statement.enclosing.count("EXEC")  # how many strings the EXEC is itself inside
        enclosing = statement.enclosing + ("EXEC",)
        try:
            tokens = self._tokens_in(runs.sql, depth)
        except TokenError as error:
            failed = self.failed(runs.sql[0].start, runs.sql[-1].end + 1,
                                 f"cannot read the SQL in this string: {error.__cause__ or error}")
            failed.enclosing, failed.nested = enclosing, True
            return [failed]
        if tokens is None:
            return None
        found = self._parameters(runs.parameters, depth, enclosing)
        pieces = split(tokens)
        for piece in pieces:
            piece.enclosing = enclosing + piece.enclosing
        found += self.read_pieces(pieces)
        joins = statement.joins + tuple((first.end + 1, then.start) for first, then in zip(runs.sql, runs.sql[1:]))
        for inside in found:
            inside.nested, inside.runs_in, inside.joins = True, runs.database, joins
        return found

    def _tokens_in(self, literals: tuple[StringPart, ...], depth: int) -> list[Token] | None:
        """The tokens of the SQL in string literals joined, where the file has them; TokenError if
        they cannot be read."""
        held = joined_content(self.text, literals, depth)
        return placed(tokenize(held[0]), held[1]) if held is not None else None

    def _parameters(self, literals: tuple[StringPart, ...] | None, depth: int, enclosing: tuple[str, ...]) -> list[Statement]:
        """sp_executesql's N'@p int, @d date OUTPUT', read as the DECLARE it amounts to."""
        try:
            tokens = self._tokens_in(literals, depth) if literals is not None else None
        except TokenError:
            return []  # SQL Server refuses to run it, and says so: the statements are read without it
        kept = [token for token in tokens or [] if token.text.upper() not in ("OUTPUT", "OUT", "READONLY")]
        if not kept:
            return []
        first = kept[0]
        declare = unwritten(TokenType.DECLARE, "DECLARE", first)
        statement = Statement(0, "DECLARE", self.lines.span(literals[0].start, literals[-1].end + 1), enclosing)
        try:
            statement.tree = self._statement([declare, *kept])
        except ParseError:
            return []
        return [statement]

    def read(self, piece: Piece) -> Statement:
        tokens = piece.tokens
        statement = Statement(
            0, piece.keyword, self.lines.span(tokens[0].start, tokens[-1].end + 1), piece.enclosing
        )
        if piece.error:
            statement.error, statement.error_span = piece.error, statement.span
            return statement
        pasted = self._pasted(tokens)
        if pasted is not None:
            statement.rejected = True
            statement.error = (f"{_PASTED[self.code[pasted]]}. Text pasted from a web page, e-mail or document "
                               "brings these in: retype it")
            statement.error_span = self.lines.span(pasted, pasted + 1)
            return statement
        template = _TEMPLATE_PARAMETER.search(self.text, statement.span.start, statement.span.end)
        if template:
            statement.rejected = True
            statement.error = (
                f"{template.group()} is an SSMS template parameter: fill in the template "
                "(Query > Specify Values for Template Parameters) before running or checking it"
            )
            statement.error_span = self.lines.span(template.start(), template.end())
            return statement
        deepest = _too_deep(tokens)
        if deepest is not None:
            statement.error = f"this statement nests too deeply for sqladvise to read: parentheses more than {DEEPEST} deep"
            statement.error_span = self.lines.span(deepest.start, deepest.end + 1)
            return statement
        try:
            self._read(statement, tokens, piece.words)
        except ParseError as error:
            self._fail(statement, error)
        except RecursionError:
            statement.error = "this statement nests too deeply for sqladvise to read"
            statement.error_span = statement.span
        return statement

    def _read(self, statement: Statement, tokens: list[Token], words: list[str]) -> None:
        keyword = statement.keyword
        if keyword == "PRINT":
            statement.tree = self._expression(tokens[1:])
        elif _holds_no_query(keyword, words):
            check_procedural(keyword, tokens, words, self.text)
            _balanced(tokens)
        elif keyword in ("IF", "WHILE"):
            statement.tree = self._expression(updates_as_calls(tokens[1:]))
            if not is_condition(statement.tree):  # IF OBJECT_ID('tempdb..#t') DROP TABLE #t
                raise value_for_condition(statement.tree, self.text)
        elif keyword == "RETURN":
            if len(tokens) > 1:
                rest = tokens[1:]
                statement.tree = self._statement(rest) if words[1] in ("SELECT", "WITH") else self._expression(rest)
        elif keyword in ("UPDATE", "DELETE") and (current := _positioned(words)) is not None:
            # sqlglot has no WHERE CURRENT OF: the statement is read without it, and the cursor
            # it names tells the analysis that it changes one row
            named = current + 2 + (words[current + 2 : current + 3] == ["GLOBAL"])
            after = named + (named < len(tokens) and tokens[named].token_type == TokenType.PARAMETER)
            if after >= len(tokens):
                raise WrongTree("WHERE CURRENT OF needs the name of a cursor", (tokens[current].start, tokens[-1].end + 1))
            statement.cursor_row = self.text[tokens[named].start : tokens[after].end + 1]
            tokens = tokens[: current - 1] + tokens[after + 1 :]
            statement.tree = self._statement_with_repairs(statement, tokens, words_of(tokens))
        elif keyword == "INSERT" and (nested := _nested_change(tokens, words)) is not None:
            raise WrongTree(f"it inserts the rows a {words[nested]} in its FROM outputs (composable DML), which sqladvise "
                            "does not read yet", (tokens[nested].start, tokens[nested].end + 1), rejected=False)
        elif keyword == "DECLARE CURSOR":
            statement.tree = self._statement(_cursor_query(tokens, words))
        elif keyword == "SET":
            self._set(statement, tokens, words)
        elif keyword == "INSERT" and (exec_at := depth0_index(tokens, words, ("EXEC", "EXECUTE"))) is not None:
            # INSERT ... EXEC fills a table from a procedure or from built SQL: no query here to analyse.
            _balanced(tokens)
            statement.keyword = "INSERT EXEC"
            statement.detail = "".join(t.text for t in tokens[1:exec_at] if t.text.upper() != "INTO")
            statement.dynamic = _runs_built_sql(tokens[exec_at + 1 :])
        elif keyword in ("EXEC", "EXECUTE") and len(tokens) > 1 and tokens[1].token_type == TokenType.L_PAREN:
            # EXEC ('SELECT ' + @columns + ' FROM ...'): the string is a value; the SQL it holds
            # exists only when the script runs
            close = matching_parenthesis(tokens, 1)
            if close is None:
                raise ParseError("a ( has no matching )")
            self._expression(tokens[2:close])
            _balanced(tokens[close + 1 :])  # AS USER = '...', AT a linked server
            statement.dynamic = True
            if words[close + 1 : close + 2] == ["AT"] and close + 2 < len(tokens):
                statement.linked_server = self.text[tokens[close + 2].start : tokens[-1].end + 1]
        elif keyword in ("DROP", "TRUNCATE") and (dropped := table_variable_dropped(tokens, words)) is not None:
            raise dropped
        elif (wrong := no_keyword(tokens, words)) is not None:
            statement.keyword = ""  # its first word is not one
            raise wrong
        else:
            statement.tree = self._statement_with_repairs(statement, tokens, words)
            statement.dynamic = keyword in ("EXEC", "EXECUTE") and _runs_built_sql(tokens[1:])
            if isinstance(statement.tree, exp.Merge) and not _SEMICOLON_NEXT.match(self.code, tokens[-1].end + 1):
                raise WrongTree("a MERGE must end with a semicolon, and SQL Server rejects it without (error 10713)",
                                (tokens[-1].start, tokens[-1].end + 1))

    def _set(self, statement: Statement, tokens: list[Token], words: list[str]) -> None:
        if words[1:2] == ["TRANSACTION"]:
            check_isolation(tokens, words)
            statement.keyword = "SET TRANSACTION ISOLATION LEVEL"
            statement.detail = " ".join(words[4:])
            return
        if switched(tokens, words):
            check_switches(tokens, words)
            statement.keyword = "SET OPTION"
            return
        if tokens[1:2] and tokens[1].token_type == TokenType.PARAMETER:
            check_one_variable(tokens)
        operator = _compound_assignment(tokens)
        if operator is not None:
            if tokens[1].token_type != TokenType.PARAMETER:  # SET total += 1
                raise not_a_variable(tokens[1])
            statement.compound_targets = compound_targets(tokens)
            statement.tree = self._expression(tokens[operator + 2 :])
            return
        check_other(tokens, words)
        if "CURSOR" in words:
            statement.keyword = "SET CURSOR"
            statement.tree = self._statement(_cursor_query(tokens, words))
            return
        if [t.token_type for t in tokens[1:4]] == [TokenType.PARAMETER, TokenType.VAR, TokenType.DOT]:
            statement.tree = self._expression(tokens[1:])  # SET @doc.modify('...'): an xml variable changed in place
            return
        statement.tree = self._statement(tokens, words)

    def _statement_with_repairs(self, statement: Statement, tokens: list[Token], words: list[str]) -> exp.Expression:
        """Some T-SQL that sqlglot rejects changes nothing sqladvise reads: query hints it does
        not know, index options inside a table definition, an UPDATE's or INSERT's TOP (n), an
        INSERT's table hints, two ways of writing a DELETE, WITH XMLNAMESPACES, and a SELECT's
        compound assignment (SELECT @list += x.name FROM ...: the same rows read as for @list =).
        A statement rejected only for those is read without them."""
        try:
            return self._statement(tokens, words)
        except ParseError:
            alone = view_not_alone(tokens, words, self._statement) if is_view(words) else None
            if alone is not None:
                raise alone from None
            joined = old_outer_join(tokens, words)
            if joined is not None:
                raise joined from None
            kept = repaired(tokens)
            statement.top_rows = changes_top_rows(words)
            statement.compound_targets = compound_targets(tokens)
            option = trailing_option(kept, words_of(kept))
            if option is not None:
                statement.option_hints = option_items(kept[option + 2 : -1])
                unknown = next(filter(None, map(misused_query_hint, statement.option_hints)), None)
                if unknown is not None:
                    raise WrongTree(unknown, (kept[option].start, kept[-1].end + 1))
                kept = kept[:option]
            if kept == tokens:  # no repair applied: the same tokens
                raise
            return self._statement(kept)

    def _statement(self, tokens: list[Token], words: list[str] | None = None) -> exp.Expression:
        if not tokens:
            raise ParseError("the statement is empty")
        self.error_token = None
        if _CALLED.search(self.code, tokens[0].start, tokens[-1].end + 1):
            tokens, words = without_query_methods(tokens), None
        try:
            parsed, named = with_placed_variables(tokens)
            trees = [tree for tree in self.parser.parse(parsed, self.text) if tree is not None]
        except ParseError as error:
            self.error_token = error_token(self.parser)
            words = words or words_of(tokens)
            # SELECT p.\nFROM Person p fails at the second p, read as one name too many
            raise missing_name(tokens, words) or bare_table_hint(tokens, words, self.error_token) or if_called(
                tokens, words) or error
        except (RecursionError, MemoryError):  # not the statement's fault: the caller decides
            raise
        except Exception as error:  # sqlglot has its own bugs on odd input; one statement fails, not the run
            raise ParseError(f"the parser stopped ({type(error).__name__}: {error})".splitlines()[0]) from error
        if len(trees) != 1:
            raise ParseError("expected one statement")
        tree, words = trees[0], words or words_of(tokens)
        if named:
            placed_variables(tree, named)
        if "OVER" in words:
            expand_named_windows(tree, self.text)
        read_typed_literals(tree, tokens, words, self.text)
        check_tree(tree, tokens, words, self.text)
        check_clause_words(tokens, words)
        if "DATE_BUCKET" in words or "IDENTITY" in words:
            _first_words_named(tree)
        return tree

    def _expression(self, tokens: list[Token]) -> exp.Expression:
        """A condition or value on its own, read as the single column of a SELECT."""
        if not tokens:
            raise ParseError("an expression is missing")
        first = tokens[0]
        select = unwritten(TokenType.SELECT, "SELECT", first)
        tree = self._statement([select, *tokens])
        extra = [key for key, value in tree.args.items() if value and key != "expressions"]
        if not isinstance(tree, exp.Select) or len(tree.expressions) != 1 or extra:
            raise ParseError("expected one expression")
        value = tree.expressions[0]
        if isinstance(value, exp.Alias):  # PRINT 'done' then sp_who2 on the next line: the name is taken for an alias
            # the alias ends the tokens, as nothing follows it: a name, or a variable's @ and name
            first = tokens[-2] if len(tokens) > 2 and tokens[-2].token_type == TokenType.PARAMETER else tokens[-1]
            named = self.text[first.start : tokens[-1].end + 1]
            raise WrongTree(f"nothing joins {named} to the value before it: SQL Server rejects it. Is a + missing, or "
                            "EXEC before a procedure's name?", (first.start, tokens[-1].end + 1))
        return value

    def _fail(self, statement: Statement, error: ParseError) -> None:
        description = error.errors[0]["description"] if error.errors else str(error)
        statement.error = _plain(description)
        token = self.error_token
        where = error.where if isinstance(error, WrongTree) else token and (token.start, token.end + 1)
        statement.rejected = isinstance(error, WrongTree) and error.rejected
        if where and statement.span.start <= where[0] < where[1] <= statement.span.end:
            statement.error_span = self.lines.span(*where)
            near = self.text[where[0] : where[1]]
            quoted = len(near) > 1 and near[0] == near[-1] == "'"  # a string: its own quotes will do
            statement.error += f", near {near}" if quoted else f", near '{near}'"
            said = _GO_IN_EXEC if near.upper() == "GO" and "EXEC" in statement.enclosing else _NEAR_WORDS.get(near.upper())
            if said is not None:
                statement.error += f" ({said})"
                statement.rejected = statement.rejected or near.upper() == "COMPUTE"
        else:
            statement.error_span = statement.span
        statement.error = f"sqladvise cannot read this {statement.keyword or 'statement'}: {statement.error}"
        statement.tree = None


_QUOTED_IDENTIFIER = re.compile(r"\bQUOTED_IDENTIFIER\b", re.IGNORECASE)
# Words a statement fails near that say why: what SQL Server makes of them.
_NEAR_WORDS = {
    "GO": "GO ends a batch only on a line of its own",
    "COMPUTE": "COMPUTE, which SQL Server no longer reads since 2012: total with GROUP BY ... WITH ROLLUP, or in a "
               "query of its own",
    "`": "a name in backticks is MySQL's: SQL Server quotes a name in brackets, [name]",
}
# sp_executesql and EXEC (@sql) hand their text to the server whole: only SSMS and sqlcmd know GO
_GO_IN_EXEC = "SQL that EXEC runs has no batches: GO is SSMS's and sqlcmd's word, which the server never reads"


def _plain(description: str) -> str:
    description = _TOKEN_REPR.sub(lambda match: f"'{match.group(1)}'", description)
    if description.startswith("Required keyword"):
        return "an expression is incomplete"
    if (missing := _NAME_EXPECTED.match(description)) is not None:  # SENTINEL: sqlglot's mark for the end of the tokens
        return "the statement ends where a name should follow" if missing.group(1) == "SENTINEL" else "a name is missing"
    if description == "Failed to parse any statement following CTE":
        return "a WITH's CTEs need the statement that reads them after them: a SELECT, INSERT, UPDATE, DELETE or MERGE"
    if description.startswith("Invalid expression / Unexpected token"):
        return "unexpected word or symbol"
    if description == "Expecting )":
        return "a ( is left open: its ) is missing"
    if description.startswith("Expecting "):
        return f"{description.removeprefix('Expecting ').rstrip('.')} is missing"
    return description.rstrip(".")


def _too_deep(tokens: list[Token]) -> Token | None:
    """The first parenthesis nested deeper than DEEPEST, if any."""
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
            if depth > DEEPEST:
                return token
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
    return None


def _balanced(tokens: list[Token]) -> None:
    depth = 0
    for token in tokens:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth < 0:
                raise ParseError("a ) has no matching (")
    if depth:
        raise ParseError("a ( has no matching )")


def _runs_built_sql(tokens: list[Token]) -> bool:
    """Whether what EXEC runs is SQL in a string: EXEC (@sql), EXEC sp_executesql @sql (or
    sys.sp_executesql, @rc = sp_executesql), the @query of EXEC msdb.dbo.sp_send_dbmail, rather
    than a procedure."""
    if tokens and tokens[0].token_type == TokenType.L_PAREN:
        return True
    return sp_executesql_at(tokens) is not None or mailed_query(tokens) is not None


def _nested_change(tokens: list[Token], words: list[str]) -> int | None:
    """Where an UPDATE, DELETE or MERGE stands in the FROM of an INSERT's query, if one does:
    INSERT INTO log SELECT d.id FROM (DELETE FROM t OUTPUT deleted.id WHERE ...) AS d."""
    return next((at for at in range(2, len(words)) if words[at] in ("UPDATE", "DELETE", "MERGE", "INSERT")
                 and tokens[at - 1].token_type == TokenType.L_PAREN and words[at - 2] == "FROM"), None)


def _first_words_named(tree: exp.Expression) -> None:
    """DATE_BUCKET(week, 1, a.date) and IDENTITY(int, 1, 1), which sqlglot does not know, begin as
    DATEADD(week, ...) and CAST(x AS int) do: with a date part and a type, not a column named week
    or int, nor a call of decimal(10, 0)."""
    for call in tree.find_all(exp.Anonymous):
        name = call.name.upper()
        first = call.expressions[0] if name in ("DATE_BUCKET", "IDENTITY") and call.expressions else None
        if name == "DATE_BUCKET" and isinstance(first, exp.Column) and not first.table:
            first.replace(exp.Var(this=first.name))
        elif name == "IDENTITY" and isinstance(first, (exp.Column, exp.Anonymous)):
            try:
                built = exp.DataType.build(first.sql("tsql"), dialect="tsql")
            except (ParseError, TokenError, ValueError):
                continue  # not a type: SQL Server says so
            for node in built.walk():  # its positions are in the text it was built from, not the file's
                for key in ("line", "col", "start", "end"):
                    node.meta.pop(key, None)
            first.replace(built)


def _positioned(words: list[str]) -> int | None:
    """Where an UPDATE or DELETE says WHERE CURRENT OF a cursor, if it does."""
    return next((at for at in range(1, len(words) - 1) if words[at - 1 : at + 2] == ["WHERE", "CURRENT", "OF"]), None)


def _cursor_query(tokens: list[Token], words: list[str]) -> list[Token]:
    """The query of DECLARE c CURSOR ... FOR <query> [FOR UPDATE | FOR READ ONLY]."""
    start = depth0_index(tokens, words, ("FOR",))
    if start is None:
        raise ParseError("a cursor needs FOR and a query")
    query = tokens[start + 1 :]
    end = depth0_index(query, words[start + 1 :], ("FOR",))
    if end is not None and words[start + 1 + end + 1 : start + 1 + end + 2] in (["UPDATE"], ["READ"]):
        query = query[:end]
    return query


def _compound_assignment(tokens: list[Token]) -> int | None:
    """SET @x += 1: the index of the operator, or None."""
    at = 1
    if at < len(tokens) and tokens[at].token_type == TokenType.PARAMETER:
        at += 1
    at += 1  # the variable's name
    if at + 1 < len(tokens) and tokens[at].token_type in COMPOUND_OPERATORS and tokens[at + 1].token_type == TokenType.EQ:
        return at
    return None
