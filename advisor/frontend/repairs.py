"""T-SQL that SQL Server runs and sqlglot rejects, rewritten token by token into T-SQL that reads
the same rows and that sqlglot reads.

Each repair drops or rewrites what says how rows are written, stored or formatted, never which
rows a query reads. The statement's own text stays what the report quotes: the tokens keep their
places in the file.
"""

from __future__ import annotations

from sqlglot.tokens import Token, TokenType

from advisor.frontend.split import words_of

COMPOUND_OPERATORS = frozenset(
    {TokenType.PLUS, TokenType.DASH, TokenType.STAR, TokenType.SLASH, TokenType.MOD,
     TokenType.AMP, TokenType.PIPE, TokenType.CARET}
)
_CHANGES = frozenset({"UPDATE", "DELETE", "INSERT", "MERGE"})
NAME_TOKENS = frozenset({TokenType.VAR, TokenType.IDENTIFIER})  # a name, or one part of it: dbo, [Person]
_NAME_PARTS = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT, TokenType.HASH, TokenType.PARAMETER})


def repaired(tokens: list[Token]) -> list[Token]:
    """The statement with every repair that applies to it made."""
    for repair in _REPAIRS:
        tokens = repair(tokens)
    return tokens


def depth0_index(tokens: list[Token], words: list[str], wanted: tuple[str, ...]) -> int | None:
    """Where the first of these words outside parentheses is, if any."""
    depth = 0
    for at, token in enumerate(tokens):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and words[at] in wanted:
            return at
    return None


def compound_targets(tokens: list[Token]) -> frozenset[str]:
    """The names, in lower case, that SELECT @x += ... or SET total += ... adds to (or takes from,
    multiplies...): what the tree, read without the operator, no longer says."""
    return frozenset(tokens[at - 1].text.lower() for at in range(len(tokens)) if _is_compound_operator(tokens, at))


def _without_compound_assignments(tokens: list[Token]) -> list[Token]:
    """SELECT @x += ..., UPDATE t SET total += ... as = : the value is read as before; the target
    is the same."""
    return [token for at, token in enumerate(tokens) if not _is_compound_operator(tokens, at)]


def _is_compound_operator(tokens: list[Token], at: int) -> bool:
    """The + of += (or -=, *=, ...): an operator written against the = that follows a variable or
    a column (c.number, whatever word its name is)."""
    token = tokens[at]
    return (token.token_type in COMPOUND_OPERATORS and 0 < at < len(tokens) - 1
            and tokens[at + 1].token_type == TokenType.EQ and tokens[at + 1].start == token.end + 1
            and (tokens[at - 1].token_type in (TokenType.VAR, TokenType.IDENTIFIER)
                 or (at > 1 and tokens[at - 2].token_type == TokenType.DOT)))


def changes_top_rows(words: list[str]) -> bool:
    """UPDATE TOP (n), DELETE TOP (n), INSERT TOP (n), MERGE TOP (n): it changes at most n rows."""
    return words[0] in _CHANGES and words[1:2] == ["TOP"]


def _without_top(tokens: list[Token]) -> list[Token]:
    """UPDATE TOP (n) t SET ..., DELETE TOP (n) PERCENT FROM ..., INSERT TOP (n) INTO ..., MERGE
    TOP (n) ...: the rows changed are at most n, found the same way; sqlglot reads these
    statements only without TOP."""
    words = words_of(tokens[:3])
    if not changes_top_rows(words):
        return tokens
    closing = matching_parenthesis(tokens, 2)
    if closing is None:
        return tokens
    rest = closing + 2 if words_of(tokens[closing + 1 : closing + 2]) == ["PERCENT"] else closing + 1
    return [tokens[0], *tokens[rest:]]


def _without_insert_hints(tokens: list[Token]) -> list[Token]:
    """INSERT INTO #t WITH (TABLOCK) SELECT ...: hints on the table written to, which sqlglot
    takes for the start of a CTE; they change how rows are written, not which are read."""
    words = words_of(tokens)
    query = depth0_index(tokens, words, ("SELECT", "VALUES", "EXEC", "EXECUTE", "DEFAULT"))
    hint = depth0_index(tokens[:query], words[:query], ("WITH",)) if words[:1] == ["INSERT"] and query else None
    closing = matching_parenthesis(tokens, hint + 1) if hint is not None else None
    return tokens[:hint] + tokens[closing + 1 :] if closing is not None and closing < query else tokens


def opening_parenthesis(tokens: list[Token], at: int) -> int | None:
    """Where the parenthesis that the token at `at` stands inside opens; None outside any."""
    depth = 0
    for back in range(at, -1, -1):
        depth += {TokenType.R_PAREN: 1, TokenType.L_PAREN: -1}.get(tokens[back].token_type, 0)
        if depth < 0:
            return back
    return None


def matching_parenthesis(tokens: list[Token], opening: int) -> int | None:
    """Where the parenthesis at `opening` closes; None if no parenthesis opens there."""
    if opening >= len(tokens) or tokens[opening].token_type != TokenType.L_PAREN:
        return None
    depth = 0
    for at in range(opening, len(tokens)):
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(tokens[at].token_type, 0)
        if depth == 0:
            return at
    return None


def _without_xml_namespaces(tokens: list[Token]) -> list[Token]:
    """WITH XMLNAMESPACES ('uri' AS ns) [, cte AS (...)] SELECT ...: the prefixes name the XML
    the query builds, not the rows it reads; sqlglot does not know the clause."""
    if words_of(tokens[:2]) != ["WITH", "XMLNAMESPACES"]:
        return tokens
    closing = matching_parenthesis(tokens, 2)
    if closing is None:
        return tokens
    rest = tokens[closing + 1 :]
    if rest and rest[0].token_type == TokenType.COMMA:
        return [tokens[0], *rest[1:]]  # the WITH goes on to the CTEs
    return rest


def without_query_methods(tokens: list[Token]) -> list[Token]:
    """(SELECT ... FOR XML PATH(''), TYPE).value('.', 'varchar(max)'), the usual way of joining
    strings before STRING_AGG: sqlglot reads the method as a function qualified by the query and
    turns every column of the query into a bare or dotted name on the way. The method says how
    the query's one value is read as text, not which rows it reads: the query is read without it."""
    kept: list[Token] = []
    opened: list[int] = []  # where in `kept` each parenthesis still open was opened
    at = 0
    while at < len(tokens):
        token = tokens[at]
        kept.append(token)
        if token.token_type == TokenType.L_PAREN:
            opened.append(len(kept) - 1)
        elif token.token_type == TokenType.R_PAREN and opened:
            opening = opened.pop()
            follows = [t.token_type for t in tokens[at + 1 : at + 4]]
            closing = matching_parenthesis(tokens, at + 3) if follows[:1] == [TokenType.DOT] and follows[2:] == [TokenType.L_PAREN] else None
            if closing is not None and words_of(kept[opening + 1 : opening + 2]) in (["SELECT"], ["WITH"]):
                at = closing + 1  # past .method(...)
                continue
        at += 1
    return kept


def _delete_for_sqlglot(tokens: list[Token]) -> list[Token]:
    """Two ways of writing a DELETE that sqlglot does not read, rewritten to ones it does that
    delete the same rows: DELETE FROM t OUTPUT deleted.* [INTO #log] WHERE ... without its OUTPUT
    clause, and DELETE FROM t FROM t x JOIN ... without its first FROM."""
    words = words_of(tokens)
    if words[:1] != ["DELETE"]:
        return tokens
    start = depth0_index(tokens, words, ("OUTPUT",))
    if start is not None:
        rest = depth0_index(tokens[start:], words[start:], ("FROM", "WHERE", "OPTION"))
        tokens = tokens[:start] + (tokens[start + rest :] if rest is not None else [])
        words = words_of(tokens)
    if words[1:2] == ["FROM"] and depth0_index(tokens[2:], words[2:], ("FROM",)) is not None:
        tokens = [tokens[0], *tokens[2:]]
    return tokens


def _without_index_options(tokens: list[Token]) -> list[Token]:
    """Drops CLUSTERED / NONCLUSTERED after an inline PRIMARY KEY or UNIQUE, and the inline
    INDEX clauses of a table definition (DECLARE @t TABLE, CREATE TABLE)."""
    words = words_of(tokens)
    in_table_definition = words[0] in ("DECLARE", "CREATE") and "TABLE" in words
    kept: list[Token] = []
    at = 0
    while at < len(tokens):
        word = words[at]
        if word in ("CLUSTERED", "NONCLUSTERED") and words[at - 1] in ("PRIMARY KEY", "UNIQUE") and not _opens(tokens, at + 1):
            at += 1
            continue
        if word == "INDEX" and in_table_definition:
            after_comma = bool(kept) and kept[-1].token_type == TokenType.COMMA
            at = _skip_inline_index(tokens, words, at)
            if after_comma and at < len(tokens):
                if tokens[at].token_type == TokenType.COMMA:
                    at += 1
                elif tokens[at].token_type == TokenType.R_PAREN:
                    kept.pop()
            continue
        kept.append(tokens[at])
        at += 1
    return kept


def _opens(tokens: list[Token], at: int) -> bool:
    return at < len(tokens) and tokens[at].token_type == TokenType.L_PAREN


def _skip_inline_index(tokens: list[Token], words: list[str], at: int) -> int:
    """The token after INDEX name [CLUSTERED | NONCLUSTERED | UNIQUE] [(columns)]."""
    at += 2
    while at < len(tokens) and words[at] in ("CLUSTERED", "NONCLUSTERED", "UNIQUE"):
        at += 1
    if not _opens(tokens, at):
        return at
    closing = matching_parenthesis(tokens, at)
    return closing + 1 if closing is not None else len(tokens)


# Column options of a table definition that say how a column is stored or shown, as words of
# their own (FILESTREAM) or followed by their settings (MASKED WITH (FUNCTION = 'default()')).
_STORAGE_WORDS = frozenset({"FILESTREAM", "SPARSE", "ROWGUIDCOL"})
_STORAGE_SETTINGS = frozenset({"MASKED", "ENCRYPTED"})
# Where a table keeps its large values: CREATE TABLE ... ON [PRIMARY] TEXTIMAGE_ON [PRIMARY].
_PLACEMENTS = frozenset({"TEXTIMAGE_ON", "FILESTREAM_ON"})


def _without_storage_options(tokens: list[Token]) -> list[Token]:
    """A table definition without its column storage options and large-value placements, as
    SSMS scripts a table: they say where and how values are kept, not which rows are read."""
    words = words_of(tokens)
    if words[:1] not in (["CREATE"], ["DECLARE"]) or "TABLE" not in words:
        return tokens
    kept: list[Token] = []
    at = 0
    while at < len(tokens):
        word = words[at]
        naming = tokens[at - 1].token_type in (TokenType.COMMA, TokenType.L_PAREN)  # a column named SPARSE
        if word in _STORAGE_WORDS and not naming:
            at += 1
        elif word in _STORAGE_SETTINGS and not naming and words[at + 1 : at + 2] == ["WITH"] and _opens(tokens, at + 2):
            at = (matching_parenthesis(tokens, at + 2) or len(tokens)) + 1
        elif word in _PLACEMENTS and at + 1 < len(tokens):
            at += 2
        else:
            kept.append(tokens[at])
            at += 1
    return kept


def _without_into_placement(tokens: list[Token]) -> list[Token]:
    """SELECT ... INTO t ON [filegroup] FROM ...: where the new table is kept, not what is read."""
    words = words_of(tokens)
    into = depth0_index(tokens, words, ("INTO",)) if words[:1] in (["SELECT"], ["WITH"]) else None
    if into is None:
        return tokens
    at = past_name(tokens, into + 1)
    if words[at : at + 1] != ["ON"] or at + 1 >= len(tokens):
        return tokens
    return tokens[:at] + tokens[at + 2 :]


def _without_output_columns(tokens: list[Token]) -> list[Token]:
    """OUTPUT inserted.id INTO @log (id): the columns of the table the OUTPUT clause fills, which
    sqlglot does not read there; the rows the statement reads and changes are the same."""
    words = words_of(tokens)
    output = depth0_index(tokens, words, ("OUTPUT",))
    into = depth0_index(tokens[output:], words[output:], ("INTO",)) if output is not None else None
    if into is None:
        return tokens
    at = past_name(tokens, output + into + 1)
    closing = matching_parenthesis(tokens, at)
    return tokens[:at] + tokens[closing + 1 :] if closing is not None else tokens


def _without_parse_culture(tokens: list[Token]) -> list[Token]:
    """PARSE / TRY_PARSE (x AS decimal(10, 2) USING 'en-US'): the culture and the type's length,
    which sqlglot does not read; what is converted, and from which column, stays."""
    words = words_of(tokens)
    dropped: set[int] = set()
    for at, word in enumerate(words):
        closing = matching_parenthesis(tokens, at + 1) if word in ("PARSE", "TRY_PARSE") else None
        type_at = depth0_index(tokens[at + 2 : closing], words[at + 2 : closing], ("AS",)) if closing else None
        if type_at is None:
            continue
        length_at = at + 2 + type_at + 2  # past AS and the type's name
        length_end = matching_parenthesis(tokens, length_at) if length_at < closing else None
        if length_end is not None:
            dropped.update(range(length_at, length_end + 1))
        using = depth0_index(tokens[length_at:closing], words[length_at:closing], ("USING",))
        if using is not None:
            dropped.update(range(length_at + using, closing))
    return [token for at, token in enumerate(tokens) if at not in dropped] if dropped else tokens


def _without_bulk(tokens: list[Token]) -> list[Token]:
    """OPENROWSET(BULK 'file', SINGLE_CLOB): a file read as a table, which sqlglot reads as a table
    function once BULK is gone."""
    words = words_of(tokens)
    return [token for at, token in enumerate(tokens)
            if not (words[at] == "BULK" and at > 1 and words[at - 2] == "OPENROWSET"
                    and tokens[at - 1].token_type == TokenType.L_PAREN)]


def _without_exec_options(tokens: list[Token]) -> list[Token]:
    """EXEC dbo.usp_x @a = 1 WITH RECOMPILE (or RESULT SETS (...)): how the procedure runs and
    what it returns is described, not what it reads."""
    words = words_of(tokens)
    option = depth0_index(tokens, words, ("WITH",)) if words[:1] in (["EXEC"], ["EXECUTE"]) else None
    return tokens[:option] if option is not None else tokens


def _index_hint_called(tokens: list[Token]) -> list[Token]:
    """WITH (INDEX = ix) and WITH (INDEX = (ix)), the old spellings of WITH (INDEX(ix)), in the
    spelling sqlglot reads; the hint stays for the rules on forced indexes."""
    words = words_of(tokens)
    kept: list[Token] = []
    at = 0
    while at < len(tokens):
        if words[at] == "INDEX" and at + 2 < len(tokens) and tokens[at + 1].token_type == TokenType.EQ:
            kept.append(tokens[at])
            name = tokens[at + 2]
            if name.token_type == TokenType.L_PAREN:
                at += 2
                continue
            kept += [Token(TokenType.L_PAREN, "(", name.line, name.col, name.start, name.start - 1), name,
                     Token(TokenType.R_PAREN, ")", name.line, name.col, name.end + 1, name.end)]
            at += 3
            continue
        kept.append(tokens[at])
        at += 1
    return kept


def _without_openxml_schema(tokens: list[Token]) -> list[Token]:
    """OPENXML(@doc, '/rows/row', 2) WITH (id int, name varchar(50)): the columns it makes of the
    XML document, which sqlglot does not read there; the document is a variable, not a table."""
    words = words_of(tokens)
    for at, word in enumerate(words):
        closing = matching_parenthesis(tokens, at + 1) if word == "OPENXML" else None
        if closing is None or words[closing + 1 : closing + 2] != ["WITH"]:
            continue
        schema_end = matching_parenthesis(tokens, closing + 2)
        if schema_end is not None:
            return tokens[: closing + 1] + _without_openxml_schema(tokens[schema_end + 1 :])
    return tokens


def _without_check_option(tokens: list[Token]) -> list[Token]:
    """CREATE VIEW ... AS SELECT ... WITH CHECK OPTION: a rule for rows written through the view,
    not a change to the rows it reads."""
    words = words_of(tokens)
    ends = words[-3:] == ["WITH", "CHECK", "OPTION"] and "VIEW" in words[1:4]
    return tokens[:-3] if ends else tokens


def past_name(tokens: list[Token], at: int) -> int:
    """The token after the (possibly dotted, # or @) name that starts at `at`."""
    while at < len(tokens) and tokens[at].token_type in _NAME_PARTS:
        at += 1
    return at


# Words T-SQL does not reserve that sqlglot reads as keywords: other databases' (LIMIT, LOCK...),
# and T-SQL's own clause words that a name may still be (OUTPUT, USING, WINDOW)
_UNRESERVED_KEYWORDS = frozenset({"ANTI", "ASOF", "GLOB", "ILIKE", "LATERAL", "LIMIT", "LOCK", "NATURAL", "NOTNULL",
                                  "OUTPUT", "PARTITIONED_BY", "QUALIFY", "REGEXP", "RETURNING", "RLIKE", "SEMI",
                                  "STRAIGHT_JOIN", "UNCACHE", "USING", "WINDOW", "XOR"})


def _unreserved_keywords_as_names(tokens: list[Token]) -> list[Token]:
    """LEFT JOIN CustomStudent lock ON lock.personID = s.personID: a name T-SQL allows that sqlglot
    reads as a keyword, read as the name it is wherever the statement uses it as one (before a
    dot, after a dot, after AS)."""
    named = {token.text.upper() for at, token in enumerate(tokens) if token.text.upper() in _UNRESERVED_KEYWORDS
             and ((at + 1 < len(tokens) and tokens[at + 1].token_type == TokenType.DOT)
                  or (at > 0 and tokens[at - 1].token_type in (TokenType.DOT, TokenType.ALIAS)))}
    if not named:
        return tokens
    return [Token(TokenType.VAR, token.text, token.line, token.col, token.start, token.end)
            if token.token_type != TokenType.VAR and token.text.upper() in named else token for token in tokens]


# SQL Server's ISO names of types, each pair of words the type it stands for, that sqlglot does not read
_TYPE_SYNONYMS = {
    ("NATIONAL", "CHARACTER VARYING"): (TokenType.NVARCHAR, "NVARCHAR"),
    ("NATIONAL", "CHAR VARYING"): (TokenType.NVARCHAR, "NVARCHAR"),
    ("NATIONAL", "CHARACTER"): (TokenType.NCHAR, "NCHAR"),
    ("NATIONAL", "CHAR"): (TokenType.NCHAR, "NCHAR"),
    ("NATIONAL", "TEXT"): (TokenType.TEXT, "NTEXT"),
    ("BINARY", "VARYING"): (TokenType.VARBINARY, "VARBINARY"),
}

_SYNONYM_WORDS = frozenset({"NATIONAL", "VARYING"})


def _type_synonyms(tokens: list[Token]) -> list[Token]:
    """DECLARE @name national character varying(60): the ISO name SQL Server takes for a type
    (nvarchar), read as that type's own name, one token over both words."""
    if not any(token.token_type == TokenType.VAR and token.text.upper() in _SYNONYM_WORDS for token in tokens):
        return tokens  # nearly every statement: its words are not worked out for this
    words = words_of(tokens)
    rewritten: list[Token] = []
    at = 0
    while at < len(tokens):
        synonym = _TYPE_SYNONYMS.get((words[at], words[at + 1])) if at + 1 < len(tokens) else None
        if synonym is None:
            rewritten.append(tokens[at])
            at += 1
            continue
        kind, name = synonym
        first, last = tokens[at], tokens[at + 1]
        rewritten.append(Token(kind, name, first.line, first.col, first.start, last.end))
        at += 2
    return rewritten


_REPAIRS = (
    _without_index_options, _without_storage_options, _without_top, _without_insert_hints, _delete_for_sqlglot,
    _without_xml_namespaces, _without_compound_assignments, _without_into_placement, _without_output_columns,
    _without_parse_culture, _without_bulk, _without_exec_options, _index_hint_called, _without_openxml_schema,
    _without_check_option, _unreserved_keywords_as_names, _type_synonyms,
)
