"""Split a batch's tokens into statements.

District scripts separate statements with newlines as often as with semicolons, and wrap them
in IF / WHILE / BEGIN ... END / TRY ... CATCH. sqlglot reads one statement well but cannot find
where a statement ends without a semicolon, nor read T-SQL's control flow; this module does both,
from the tokens, so that every statement reaches the parser alone and whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot.parser import Parser
from sqlglot.tokens import Token, TokenType

# Tokens that can never be a keyword: literals and quoted names.
NOT_WORDS = frozenset(
    {
        TokenType.IDENTIFIER,
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.NUMBER,
        TokenType.HEX_STRING,
        TokenType.BIT_STRING,
        TokenType.BYTE_STRING,
        TokenType.RAW_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.UNICODE_STRING,
    }
)
# A word straight after one of these is part of a name: @end, #open, t.close.
_NAME_PREFIXES = frozenset({TokenType.PARAMETER, TokenType.HASH, TokenType.DOT})
# Tokens a statement can end with, and a parenthesis cannot continue with a query: a value (an
# ODBC escape's {d '2026-01-05'}), a name, a type (DECLARE @n int), a closing parenthesis; and such
# words (ORDER BY a DESC).
_ENDS_A_VALUE = frozenset({TokenType.NUMBER, TokenType.STRING, TokenType.NATIONAL_STRING, TokenType.HEX_STRING,
                           TokenType.VAR, TokenType.IDENTIFIER, TokenType.R_PAREN, TokenType.R_BRACE,
                           TokenType.NULL}) | Parser.TYPE_TOKENS
_ENDING_WORDS = frozenset({"ASC", "DESC", "ROWS", "ONLY", "END", "OUTPUT", "OUT", "RECOMPILE", "COMMIT", "ROLLBACK",
                           "TRAN", "TRANSACTION", "WORK", "ROLLUP", "CUBE"})  # END: a CASE's
_NAME_PARTS = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT, TokenType.HASH})

STARTERS = frozenset(
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH", "DECLARE", "SET", "IF",
        "WHILE", "BEGIN", "USE", "PRINT", "RAISERROR", "THROW", "EXEC", "EXECUTE", "CREATE",
        "ALTER", "DROP", "TRUNCATE", "OPEN", "CLOSE", "FETCH", "DEALLOCATE", "RETURN", "BREAK",
        "CONTINUE", "GOTO", "WAITFOR", "GRANT", "REVOKE", "DENY", "COMMIT", "ROLLBACK", "SAVE",
        "DBCC", "CHECKPOINT", "KILL", "RECONFIGURE", "BACKUP", "RESTORE", "BULK", "REVERT",
        "SHUTDOWN", "SETUSER", "READTEXT", "WRITETEXT", "UPDATETEXT", "UPDATE STATISTICS", "ENABLE", "DISABLE",
    }
)
# Statements' first words the splitter does not cut at, as tables name columns so too: Service
# Broker's RECEIVE, SEND, GET CONVERSATION GROUP and MOVE CONVERSATION, and LINENO
UNCUT_STARTERS = frozenset({"RECEIVE", "SEND", "GET", "MOVE", "LINENO"})
_SET_OPERATORS = frozenset({"UNION", "EXCEPT", "INTERSECT"})
_QUERY_STARTS = frozenset({"SELECT", "VALUES", "EXEC", "EXECUTE", "DEFAULT"})
_CTE_BODIES = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"})
# WITH followed by one of these is a clause, not a common table expression.
_WITH_CLAUSES = frozenset(
    {
        "TIES", "ROLLUP", "CUBE", "NOWAIT", "CHECK", "SCHEMABINDING", "RECOMPILE",
        "ENCRYPTION", "LOG", "EXECUTE", "EXEC", "RESULT", "NOLOCK", "NOEXPAND", "READUNCOMMITTED",
        "VIEW_METADATA", "NATIVE_COMPILATION", "RETURNS", "CALLED", "INLINE",
        "MARK", "DELAYED_DURABILITY", "NO_INFOMSGS", "TABLERESULTS", "FILLFACTOR", "OVERRIDE",
    }
)
# DROP TABLE IF EXISTS: an IF that belongs to the statement.
# Tokens after which a value must follow, so that nothing there starts a statement: SELECT a, IF(...)
_BEFORE_VALUES = frozenset({TokenType.COMMA, TokenType.L_PAREN, TokenType.EQ, TokenType.PLUS, TokenType.DASH})
_OBJECT_TYPES = frozenset(
    {
        "TABLE", "VIEW", "PROCEDURE", "PROC", "FUNCTION", "INDEX", "TRIGGER", "SCHEMA", "TYPE",
        "SEQUENCE", "SYNONYM", "DATABASE", "USER", "ROLE", "STATISTICS", "DEFAULT", "RULE",
    }
)
_ROUTINES = {"PROC": "PROCEDURE", "PROCEDURE": "PROCEDURE", "FUNCTION": "FUNCTION", "TRIGGER": "TRIGGER"}
_TRANSACTION_WORDS = frozenset({"TRAN", "TRANSACTION", "DISTRIBUTED", "DIALOG", "CONVERSATION"})
_GRANTS = frozenset({"GRANT", "REVOKE", "DENY"})
# The words a statement's state depends on; every other word simply continues the statement.
_DECISIVE = STARTERS | _SET_OPERATORS | _QUERY_STARTS | {"CURSOR", "FOR"}
# The words and tokens the scan for a statement's end looks at; it passes over every other token.
_WATCHED = _DECISIVE | {"CASE", "END", "ELSE"}
_WATCHED_KINDS = frozenset({TokenType.L_PAREN, TokenType.R_PAREN, TokenType.SEMICOLON, TokenType.VAR})


@dataclass
class Piece:
    """One statement's tokens, before parsing."""

    keyword: str  # what kind of statement: SELECT, IF, DECLARE, LABEL, CREATE PROCEDURE...
    tokens: list[Token]
    words: list[str]  # words_of(tokens)
    enclosing: tuple[str, ...]  # the control flow around it, outermost first
    error: str | None = None  # a problem the splitter itself found (END without BEGIN...)


def words_of(tokens: list[Token]) -> list[str]:
    """Each token's keyword spelling in upper case, or "" where it cannot be a keyword."""
    words = []
    after_prefix_at = -2  # the offset just after a @, # or . that makes the next word a name
    spelled = _SPELLINGS
    for token in tokens:
        text, kind = token.text, token.token_type
        if kind in NOT_WORDS or token.start == after_prefix_at:
            words.append("")
        else:
            word = spelled.get(text)
            if word is None:
                word = spelled[text] = _spelling(text)
            words.append(word)
        after_prefix_at = token.end + 1 if kind in _NAME_PREFIXES else -2
    return words


# A script repeats its words: each text is spelled once. Texts are few (keywords, a district's
# names), and the cache is cleared when it grows past what a district's scripts hold.
_SPELLINGS: dict[str, str] = {}


def _spelling(text: str) -> str:
    if len(_SPELLINGS) > 50_000:
        _SPELLINGS.clear()
    if not text[:1].isalpha():
        return ""
    upper = text.upper()
    return upper if upper.isalnum() else " ".join(upper.split())  # PRIMARY KEY, UPDATE STATISTICS


def split(tokens: list[Token]) -> list[Piece]:
    try:
        return _Splitter(tokens).run()
    except RecursionError:  # blocks nested hundreds deep: the batch is reported, the file goes on
        return [Piece("", tokens, words_of(tokens), (), "this batch nests its blocks too deeply for sqladvise to read")]


class _Splitter:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.words = words_of(tokens)
        self.count = len(tokens)
        self.at = 0
        self.pieces: list[Piece] = []

    # -- helpers -------------------------------------------------------------------------------
    def word(self, at: int) -> str:
        return self.words[at] if 0 <= at < self.count else ""

    def kind(self, at: int) -> TokenType | None:
        return self.tokens[at].token_type if 0 <= at < self.count else None

    def emit(self, keyword: str, start: int, end: int, enclosing: tuple[str, ...], error: str | None = None) -> None:
        self.pieces.append(Piece(keyword, self.tokens[start:end], self.words[start:end], enclosing, error))

    def skip_semicolons(self) -> None:
        while self.at < self.count and self.tokens[self.at].token_type == TokenType.SEMICOLON:
            self.at += 1

    # -- statements ------------------------------------------------------------------------------
    def run(self) -> list[Piece]:
        while True:
            self.skip_semicolons()
            if self.at >= self.count:
                return self.pieces
            self.statement(())

    def statement(self, enclosing: tuple[str, ...]) -> None:
        self.skip_semicolons()
        if self.at >= self.count:
            return
        at, word = self.at, self.word(self.at)
        if word in ("IF", "WHILE"):
            self.conditional(word, enclosing)
        elif word == "BEGIN" and self.word(at + 1) not in _TRANSACTION_WORDS:
            self.begin(enclosing)
        elif word in ("END", "ELSE"):
            reason = "END without a matching BEGIN" if word == "END" else "ELSE without a matching IF"
            end = at + 2 if self.word(at + 1) in ("TRY", "CATCH") else at + 1
            self.emit(word, at, end, enclosing, reason)
            self.at = end
        elif word in ("CREATE", "ALTER") and self.routine_keyword(at):
            self.routine(enclosing)
        elif self.kind(at + 1) == TokenType.COLON and word and self.kind(at) == TokenType.VAR:
            self.emit("LABEL", at, at + 2, enclosing)
            self.at = at + 2
        else:
            self.simple(enclosing)

    def conditional(self, word: str, enclosing: tuple[str, ...]) -> None:
        while True:  # ELSE IF ... ELSE IF ...: a loop, as a chain of hundreds is a list, not a nesting
            start = self.at
            end = self.condition_end(start + 1)
            error = None if end > start + 1 else f"{word} has no condition"
            if end >= self.count:
                error = error or f"{word} has no statement to run"
            self.emit(word, start, end, enclosing, error)
            self.at = end
            if end >= self.count:
                return
            self.statement(enclosing + (word,))
            self.skip_semicolons()
            if word != "IF" or self.word(self.at) != "ELSE":
                return
            self.at += 1
            enclosing += ("ELSE",)
            self.skip_semicolons()
            word = self.word(self.at)
            if word not in ("IF", "WHILE"):
                self.statement(enclosing)
                return

    def condition_end(self, start: int) -> int:
        nesting, at = _Nesting(), start
        while at < self.count:
            kind, word = self.tokens[at].token_type, self.words[at]
            if (kind == TokenType.L_PAREN and at > start and not nesting.open and self._after_a_value(at)
                    and self.parenthesized_query(at)):
                return at  # IF @n > 0 (SELECT 1) UNION (SELECT 2): the statement it runs
            if not nesting.step(kind, word) and not nesting.open:
                if kind == TokenType.SEMICOLON or word in ("END", "ELSE"):
                    return at
                if word in STARTERS and not (word == "UPDATE" and self.kind(at + 1) == TokenType.L_PAREN):
                    return at
            at += 1
        return at

    def begin(self, enclosing: tuple[str, ...]) -> None:
        start = self.at
        if self.word(start + 1) == "TRY":
            self.at = start + 2
            if not self.block(enclosing + ("TRY",), "TRY", start):
                return
            self.skip_semicolons()
            if self.word(self.at) == "BEGIN" and self.word(self.at + 1) == "CATCH":
                catch = self.at
                self.at += 2
                self.block(enclosing + ("CATCH",), "CATCH", catch)
            else:
                self.emit("BEGIN TRY", start, start + 2, enclosing, "END TRY is not followed by BEGIN CATCH")
            return
        self.at = start + 1
        self.block(enclosing + ("BEGIN",), None, start)

    def block(self, enclosing: tuple[str, ...], closer: str | None, opened_at: int) -> bool:
        """Statements up to the END [closer] that closes the block; False if none does."""
        while True:
            self.skip_semicolons()
            if self.at >= self.count:
                opener = "BEGIN " + closer if closer else "BEGIN"
                self.emit(opener, opened_at, opened_at + (2 if closer else 1), enclosing[:-1],
                          f"{opener} has no matching END {closer or ''}".rstrip())
                return False
            if self.word(self.at) == "END" and (closer is None or self.word(self.at + 1) == closer):
                self.at += 2 if closer else 1
                return True
            self.statement(enclosing)

    def routine_keyword(self, at: int) -> str | None:
        following = self.word(at + 1)
        if following == "OR" and self.word(at + 2) == "ALTER":
            following = self.word(at + 3)
        return _ROUTINES.get(following)

    def routine(self, enclosing: tuple[str, ...]) -> None:
        """CREATE PROCEDURE / FUNCTION / TRIGGER: a header up to AS, then a body of statements
        that runs to the end of the batch."""
        start = self.at
        routine = self.routine_keyword(start)
        at, depth = start + 1, 0
        while at < self.count:
            kind = self.tokens[at].token_type
            if kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                depth = max(depth - 1, 0)
            elif depth == 0 and self.words[at] == "AS" and self.word(at - 1) not in ("EXECUTE", "EXEC"):
                break
            at += 1
        keyword = f"{self.words[start]} {routine}"
        if at >= self.count:
            self.emit(keyword, start, at, enclosing, f"{keyword} has no AS before its body")
            self.at = at
            return
        self.emit(keyword, start, at + 1, enclosing)
        self.at = at + 1
        while True:
            self.skip_semicolons()
            if self.at >= self.count:
                return
            self.statement(enclosing + (routine,))

    def simple(self, enclosing: tuple[str, ...]) -> None:
        start = self.at
        state = _State(self.words[start] or self.parenthesized_query(start), "FUNCTION" in enclosing, self, start)
        at, nesting = start + 1, _Nesting()
        nesting.step(self.tokens[start].token_type, "")  # (SELECT ...) UNION (SELECT ...) opens with its parenthesis
        # Where to cut if a parenthesis or CASE never closes: the first statement keyword that
        # starts a line inside it, so that one bad statement does not swallow the ones after it.
        fallback = None
        tokens, words = self.tokens, self.words
        while at < self.count:
            kind, word = tokens[at].token_type, words[at]
            if word not in _WATCHED and kind not in _WATCHED_KINDS:  # most tokens: names, operators, literals
                at += 1
                continue
            if kind == TokenType.VAR:
                if not nesting.depth and self.kind(at + 1) == TokenType.COLON:
                    break  # a label: T-SQL has no other use for a lone colon
                if word not in _WATCHED:
                    at += 1
                    continue
            if nesting.open and fallback is None and word in STARTERS and self._starts_line(at):
                fallback = at
            if kind == TokenType.L_PAREN and not nesting.open and self._next_query(at, state):
                break
            if kind == TokenType.L_PAREN and state.expect_query and not nesting.open and self.parenthesized_query(at):
                state.expect_query, state.seen_query = False, True  # UNION (SELECT ...): the query is in the parentheses
            if nesting.step(kind, word):
                pass
            elif kind == TokenType.SEMICOLON and not nesting.depth:
                break
            elif word in ("END", "ELSE") and not nesting.cases and words[at - 1] != "ROW":  # GENERATED ALWAYS AS ROW END
                break
            elif not nesting.open and word in _DECISIVE and not state.continues(word, at):
                break
            at += 1
        if at >= self.count and nesting.open and fallback is not None:
            at = fallback
        self.emit(state.keyword, start, at, enclosing)
        self.at = at

    def parenthesized_query(self, at: int) -> str:
        """SELECT or WITH, where the parentheses opening at `at` hold a query; else ""."""
        inside = at
        while self.kind(inside) == TokenType.L_PAREN:
            inside += 1
        return self.word(inside) if inside > at and self.word(inside) in ("SELECT", "WITH") else ""

    def _next_query(self, at: int, state: _State) -> bool:
        """Whether the parenthesis at `at`, outside any other, opens the next statement's query: it
        starts a line after a value or a name, where the statement has all it needs (SELECT 3, then
        (SELECT 1) UNION (SELECT 2)). Not where a query may follow: INSERT INTO #t, then (SELECT ...)."""
        if state.expect_query or state.kind == "WITH" or state.whole_batch or not self._starts_line(at):
            return False
        previous, before = self.words[at - 1], self.word(at - 2)
        ended = (self._after_a_value(at)
                 or (state.kind == "SET" and previous in ("ON", "OFF"))  # SET NOCOUNT ON
                 or (state.kind == "MERGE" and previous == "DELETE")  # WHEN MATCHED THEN DELETE
                 or (previous, before) in (("VALUES", "DEFAULT"), ("ALL", "SYSTEM_TIME")))  # FOR SYSTEM_TIME ALL
        return ended and bool(self.parenthesized_query(at))

    def _after_a_value(self, at: int) -> bool:
        """Whether a value, a name (a keyword too, after its prefix: dbo.proc, t.[table], @end) or a
        word that ends a clause comes just before `at`."""
        return (self.tokens[at - 1].token_type in _ENDS_A_VALUE or self.words[at - 1] in _ENDING_WORDS
                or (at > 1 and self.tokens[at - 2].token_type in _NAME_PREFIXES))

    def _starts_line(self, at: int) -> bool:
        previous = self.tokens[at - 1]
        return previous.line < self.tokens[at].line and previous.token_type != TokenType.L_PAREN


class _Nesting:
    """How deep in parentheses and CASE ... END the scan is: statements end only outside both."""

    def __init__(self) -> None:
        self.depth = 0
        self.cases = 0

    @property
    def open(self) -> bool:
        return bool(self.depth or self.cases)

    def step(self, kind: TokenType, word: str) -> bool:
        """Account for a token that opens or closes a nesting; True when it was one."""
        if kind == TokenType.L_PAREN:
            self.depth += 1
        elif kind == TokenType.R_PAREN:
            self.depth = max(self.depth - 1, 0)
        elif word == "CASE":
            self.cases += 1
        elif word == "END" and self.cases:
            self.cases -= 1
        else:
            return False
        return True


class _State:
    """What a statement has seen so far, to tell whether a keyword continues it or starts the
    next one (INSERT ... SELECT, UPDATE ... SET, WITH ... SELECT, ... UNION SELECT)."""

    def __init__(self, first: str, in_function: bool, splitter: _Splitter, start: int):
        self.splitter = splitter
        self.start = start
        self.kind = first
        self.keyword = first
        self.expect_query = first == "INSERT" or (
            first == "RETURN" and in_function and splitter.word(start + 1) in ("SELECT", "WITH")
        )
        self.seen_set = False
        self.seen_query = False
        self.cursor = False
        # CREATE VIEW must be alone in its batch; its body is one query however it is written.
        self.whole_batch = first in ("CREATE", "ALTER") and splitter.word(start + 1) == "VIEW" or (
            first == "CREATE" and splitter.word(start + 1) == "OR" and splitter.word(start + 3) == "VIEW"
        )
        after_name = start + 2
        while splitter.word(after_name) in ("INSENSITIVE", "SCROLL"):  # ISO's DECLARE c INSENSITIVE SCROLL CURSOR
            after_name += 1
        if first == "DECLARE" and splitter.word(after_name) == "CURSOR":
            self.keyword = "DECLARE CURSOR"
        # GRANT / REVOKE / DENY: where the principals start; the statement ends at the next
        # statement keyword after them (WITH GRANT OPTION aside).
        self.principals_at = (next((at for at in range(start + 1, splitter.count) if splitter.words[at] in ("TO", "FROM")), None)
                              if first in _GRANTS else None)

    def continues(self, word: str, at: int) -> bool:
        splitter = self.splitter
        previous = splitter.word(at - 1)
        if word == "CURSOR":
            self.cursor = True
        elif word == "FOR" and self.cursor and not self.seen_query:
            self.expect_query = True
        elif word in _SET_OPERATORS:
            self.expect_query = True
        if word not in STARTERS or self.whole_batch:
            if word in _QUERY_STARTS and word != "EXEC":
                self.expect_query = False
            return True
        if self.expect_query and (word in _QUERY_STARTS or word == "WITH"):
            self.expect_query = word == "WITH"
            self.seen_query = True
            return True
        if self.kind == "WITH" and word in _CTE_BODIES:
            self.kind = word
            return True
        if self.kind in _GRANTS:  # permissions (SELECT, EXECUTE, CREATE TABLE...) until TO or FROM
            grant_option = "WITH" in (word, previous) and "GRANT" in (word, splitter.word(at + 1))  # WITH GRANT OPTION
            return self.principals_at is None or at < self.principals_at or grant_option
        if word == "INSERT" and previous == "BULK":
            return True
        if self.kind == "ALTER" and word in ("ALTER", "DROP", "SET"):
            return self._alter_clause(word, at)
        if word == "SELECT":
            return False
        if word in ("INSERT", "UPDATE", "DELETE"):  # triggers' FOR / AFTER / INSTEAD OF, MERGE's THEN
            if previous == "ON":  # a foreign key's ON DELETE CASCADE; SET NOCOUNT ON then INSERT is not one
                return splitter.word(at + 1) in ("CASCADE", "NO", "SET")
            if previous == "KEY":  # MySQL's ON DUPLICATE KEY UPDATE: one statement, which SQL Server rejects whole
                return self.kind == "INSERT" and splitter.word(at - 2) == "DUPLICATE"
            return previous in ("FOR", "THEN", "AFTER", "OF", "INSTEAD") or splitter.kind(at - 1) == TokenType.COMMA
        if word in ("ENABLE", "DISABLE"):  # ALTER INDEX ix ON t DISABLE; ALTER TABLE t ENABLE TRIGGER
            if splitter.word(at + 1) != "TRIGGER":
                return True
            table_name = splitter.tokens[self.start + 2 : at]
            return (self.kind == "ALTER" and splitter.word(self.start + 1) == "TABLE"
                    and all(t.token_type in _NAME_PARTS for t in table_name))
        if word == "SET":
            if self.kind == "UPDATE" and not self.seen_set:
                self.seen_set = True
                return True
            if self.kind == "INSERT" and self._sets_columns_of_target(at):
                return True
            # MERGE's THEN UPDATE SET, a foreign key's ON DELETE SET NULL; not a MERGE's THEN DELETE, then SET @x = 1
            return previous == "UPDATE" or (previous == "DELETE" and splitter.word(at - 2) == "ON")
        if word == "WITH":
            return not self._opens_cte(at)
        if word in ("EXEC", "EXECUTE"):  # a routine's WITH EXECUTE AS OWNER, or WITH SCHEMABINDING, EXECUTE AS ...
            return previous == "WITH" or (splitter.word(at + 1) == "AS" and splitter.kind(at - 1) == TokenType.COMMA)
        if word == "IF":  # DROP TABLE IF EXISTS, CREATE TABLE IF NOT EXISTS; not FOR XML PATH(''), TYPE, then IF ...
            value_follows = previous == "SELECT" or splitter.kind(at - 1) in _BEFORE_VALUES
            if value_follows and splitter.kind(at + 1) == TokenType.L_PAREN:
                return True  # MySQL's IF(condition, then, else) where a value stands, which SQL Server rejects
            if previous not in _OBJECT_TYPES:
                return False
            if self.kind == "CREATE":  # SQL Server rejects it, and says so once for the whole statement
                return (splitter.word(at + 1), splitter.word(at + 2)) == ("NOT", "EXISTS")
            return self.kind in ("DROP", "ALTER") and splitter.word(at + 1) == "EXISTS"
        if word == "FETCH":  # OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY; not OFFSET 0 ROWS, then FETCH NEXT FROM c
            following = splitter.word(at + 1), splitter.word(at + 2)
            return previous in ("ROW", "ROWS") and following[0] in ("FIRST", "NEXT") and following[1] != "FROM"
        if word == "MERGE":  # a join hint: LEFT OUTER MERGE JOIN, INNER MERGE JOIN
            return splitter.word(at + 1) == "JOIN"
        return False

    def _alter_clause(self, word: str, at: int) -> bool:
        """ALTER TABLE t ALTER COLUMN / DROP COLUMN / SET (...), ALTER DATABASE d SET ...: a
        clause of the ALTER. ALTER TABLE, DROP TABLE or SET NOCOUNT on the next line is not."""
        splitter = self.splitter
        following = splitter.word(at + 1)
        if word == "ALTER":
            return following == "COLUMN"
        if word == "DROP":
            return following not in _OBJECT_TYPES
        if splitter.kind(at + 1) == TokenType.L_PAREN:
            return True
        first_set = not self.seen_set and splitter.word(self.start + 1) in ("DATABASE", "SERVER")
        self.seen_set = True
        return first_set and splitter.kind(at + 1) != TokenType.PARAMETER

    def _sets_columns_of_target(self, at: int) -> bool:
        """MySQL's INSERT INTO t SET column = value: one statement, which SQL Server rejects whole.
        INSERT INTO t, unfinished, then SET NOCOUNT ON or SET @x = 1, is two."""
        splitter = self.splitter
        target = self.start + (2 if splitter.word(self.start + 1) == "INTO" else 1)
        return (target < at and all(splitter.kind(part) in _NAME_PARTS for part in range(target, at))
                and splitter.kind(at + 1) in (TokenType.VAR, TokenType.IDENTIFIER) and splitter.kind(at + 2) == TokenType.EQ)

    def _opens_cte(self, at: int) -> bool:
        splitter = self.splitter
        name_kind = splitter.kind(at + 1)
        if name_kind is None or name_kind == TokenType.L_PAREN or splitter.word(at + 1) in _WITH_CLAUSES:
            return False
        # WITH name AS (...), or WITH name (its columns) AS (...); not WITH NO_WAIT, then (SELECT ...)
        return splitter.word(at + 2) == "AS" or (splitter.kind(at + 2) == TokenType.L_PAREN
                                                and not splitter.parenthesized_query(at + 2))
