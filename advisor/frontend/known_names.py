"""Names SQL Server knows: its reserved keywords, its data types, table hints (WITH (...)), query hints (OPTION (...)), @@
values (@@ROWCOUNT) and dateparts (DATEADD(day, ...)). It rejects any other (error 243 for a type,
321 for a table hint, 137 for an @@ name no one declared, 155 for a datepart), where sqlglot reads
a misspelt type (CAST(x AS VARCHR(10))) as the district's own, a misspelt table hint (WITH
(NOLOK)) as a hint, an @@ name as any variable, another database's datepart (DATEADD(days, ...))
as its own, and leaves an OPTION it does not know for sqladvise to read without it."""

from __future__ import annotations

from collections.abc import Collection
from difflib import get_close_matches

from sqlglot.tokens import Token

from advisor.frontend.wrong_tree import WrongTree

# The types SQL Server has, by the names a value written in their place would have
TYPES = frozenset({
    "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BIT", "DECIMAL", "DEC", "NUMERIC", "MONEY", "SMALLMONEY", "FLOAT",
    "REAL", "DATE", "DATETIME", "DATETIME2", "SMALLDATETIME", "TIME", "DATETIMEOFFSET", "CHAR", "CHARACTER", "VARCHAR",
    "NCHAR", "NVARCHAR", "TEXT", "NTEXT", "BINARY", "VARBINARY", "IMAGE", "UNIQUEIDENTIFIER", "XML", "SQL_VARIANT",
    "HIERARCHYID", "GEOGRAPHY", "GEOMETRY", "TIMESTAMP", "ROWVERSION", "SYSNAME", "CURSOR", "TABLE", "JSON", "VECTOR",
})
_TYPO = 0.8  # how alike a type of the district's own must be to one of SQL Server's to be taken for a typo of it
_TABLE_HINTS = frozenset({
    "NOEXPAND", "INDEX", "FORCESEEK", "FORCESCAN", "HOLDLOCK", "NOLOCK", "NOWAIT", "PAGLOCK", "READCOMMITTED",
    "READCOMMITTEDLOCK", "READPAST", "READUNCOMMITTED", "REPEATABLEREAD", "ROWLOCK", "SERIALIZABLE", "SNAPSHOT",
    "SPATIAL_WINDOW_MAX_CELLS", "TABLOCK", "TABLOCKX", "UPDLOCK", "XLOCK", "KEEPIDENTITY", "KEEPDEFAULTS",
    "IGNORE_CONSTRAINTS", "IGNORE_TRIGGERS",
})
# Each query hint by its first word, and the word after it where one word alone is not a hint
_QUERY_HINTS: dict[str, set[str] | None] = {
    "HASH": {"GROUP", "UNION", "JOIN"}, "ORDER": {"GROUP"}, "CONCAT": {"UNION"}, "MERGE": {"UNION", "JOIN"},
    "LOOP": {"JOIN"}, "EXPAND": {"VIEWS"}, "FORCE": {"ORDER", "EXTERNALPUSHDOWN", "SCALEOUTEXECUTION"},
    "DISABLE": {"EXTERNALPUSHDOWN", "SCALEOUTEXECUTION"}, "KEEP": {"PLAN"}, "KEEPFIXED": {"PLAN"}, "ROBUST": {"PLAN"},
    "OPTIMIZE": {"FOR"}, "USE": {"HINT", "PLAN"}, "TABLE": {"HINT"},
    **dict.fromkeys(("FAST", "MAXDOP", "MAXRECURSION", "MAX_GRANT_PERCENT", "MIN_GRANT_PERCENT", "QUERYTRACEON",
                     "PARAMETERIZATION", "LABEL"), None),
    **dict.fromkeys(("RECOMPILE", "NO_PERFORMANCE_SPOOL", "IGNORE_NONCLUSTERED_COLUMNSTORE_INDEX",
                     "DISABLE_OPTIMIZED_PLAN_FORCING"), None),
}

# T-SQL's reserved keywords, which name a table, a column or a procedure only in brackets
RESERVED = frozenset("""
    ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY CASCADE CASE CHECK CHECKPOINT
    CLOSE CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS CONTAINSTABLE CONTINUE CONVERT CREATE
    CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE
    DEFAULT DELETE DENY DESC DISK DISTINCT DISTRIBUTED DOUBLE DROP DUMP ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE
    EXISTS EXIT EXTERNAL FETCH FILE FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FROM FULL FUNCTION GOTO GRANT GROUP
    HAVING HOLDLOCK IDENTITY IDENTITY_INSERT IDENTITYCOL IF IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY KILL LEFT
    LIKE LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON OPEN OPENDATASOURCE OPENQUERY
    OPENROWSET OPENXML OPTION OR ORDER OUTER OVER PERCENT PIVOT PLAN PRECISION PRIMARY PRINT PROC PROCEDURE PUBLIC
    RAISERROR READ READTEXT RECONFIGURE REFERENCES REPLICATION RESTORE RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK
    ROWCOUNT ROWGUIDCOL RULE SAVE SCHEMA SECURITYAUDIT SELECT SEMANTICKEYPHRASETABLE SEMANTICSIMILARITYDETAILSTABLE
    SEMANTICSIMILARITYTABLE SESSION_USER SET SETUSER SHUTDOWN SOME STATISTICS SYSTEM_USER TABLE TABLESAMPLE TEXTSIZE
    THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION UNIQUE UNPIVOT UPDATE UPDATETEXT USE USER
    VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH WRITETEXT
""".split())
# The values SQL Server keeps under @@ names (its system functions written without parentheses)
_SYSTEM_VALUES = frozenset({
    "CONNECTIONS", "CPU_BUSY", "CURSOR_ROWS", "DATEFIRST", "DBTS", "DEF_SORTORDER_ID", "DEFAULT_LANGID", "ERROR",
    "FETCH_STATUS", "IDENTITY", "IDLE", "IO_BUSY", "LANGID", "LANGUAGE", "LOCK_TIMEOUT", "MAX_CONNECTIONS",
    "MAX_PRECISION", "MICROSOFTVERSION", "NESTLEVEL", "OPTIONS", "PACK_RECEIVED", "PACK_SENT", "PACKET_ERRORS",
    "PROCID", "REMSERVER", "ROWCOUNT", "SERVERNAME", "SERVICENAME", "SPID", "TEXTSIZE", "TIMETICKS", "TOTAL_ERRORS",
    "TOTAL_READ", "TOTAL_WRITE", "TRANCOUNT", "VERSION",
})

# The dateparts of DATEADD, DATEDIFF, DATEPART, DATENAME, DATETRUNC and DATE_BUCKET, with their
# abbreviations
DATEPARTS = frozenset({
    "YEAR", "YY", "YYYY", "QUARTER", "QQ", "Q", "MONTH", "MM", "M", "DAYOFYEAR", "DY", "Y", "DAY", "DD", "D", "WEEK", "WK",
    "WW", "WEEKDAY", "DW", "W", "HOUR", "HH", "MINUTE", "MI", "N", "SECOND", "SS", "S", "MILLISECOND", "MS", "MICROSECOND",
    "MCS", "NANOSECOND", "NS", "TZOFFSET", "TZ", "ISO_WEEK", "ISOWK", "ISOWW",
})
# Other databases' dateparts whose nearest spelling is not what they mean
_OTHER_DATEPARTS = {"DAYOFWEEK": "WEEKDAY", "DOW": "WEEKDAY", "ISODOW": "WEEKDAY", "DOY": "DAYOFYEAR",
                    "WEEKOFYEAR": "WEEK", "ISOWEEK": "ISO_WEEK"}


def misspelt_system_value(name: str) -> str | None:
    """Why @@name, written without its @@, is a typo of one of SQL Server's @@ values (@@ROWCOUNTS
    for @@ROWCOUNT), or None. A script may declare a variable of its own that starts with @@; only
    a name within a letter or two of SQL Server's is taken for a typo."""
    upper = name.upper()
    near = None if upper in _SYSTEM_VALUES else get_close_matches(upper, _SYSTEM_VALUES, n=1, cutoff=_TYPO)
    if not near:
        return None
    return f"SQL Server has no @@{name}, and rejects the statement unless the script declares it: is it @@{near[0]}?"


def misspelt_type(name: str) -> str | None:
    """Why a name written as a type is a typo of one of SQL Server's (VARCHR for VARCHAR), or None:
    a type the district made has a name of its own, or its schema (dbo.Phone)."""
    if "." in name or name.upper() in TYPES or not get_close_matches(name.upper(), TYPES, n=1, cutoff=_TYPO):
        return None
    return _unknown(name, "a data type", TYPES)


def unknown_table_hint(name: str) -> str | None:
    """Why a table hint's name is wrong, or None if SQL Server knows it."""
    return None if name.upper() in _TABLE_HINTS else _unknown(name, "a table hint", _TABLE_HINTS)


def bare_table_hint(tokens: list[Token], words: list[str], failed_at: Token | None) -> WrongTree | None:
    """Where a statement failed to parse (at the token `failed_at`), a table hint written without
    its parentheses (FROM Attendance a NOLOCK, WITH NOLOCK)."""
    at = next((at for at, token in enumerate(tokens) if token is failed_at), None)
    if at is None:
        return None
    for place in (at, at + 1) if words[at:at + 1] == ["WITH"] else (at,):
        if place < len(words) and words[place] in _TABLE_HINTS - {"INDEX"} and words[place - 1:place] != ["("]:
            hint = tokens[place]
            return WrongTree(f"{hint.text} is a table hint: SQL Server takes it in parentheses, WITH ({hint.text}) after "
                             "the table and its alias, and rejects it bare", (hint.start, hint.end + 1))
    return None


def unknown_query_hint(item: str) -> str | None:
    """Why an OPTION (...) item, its words in upper case, is no query hint SQL Server knows."""
    first, _, rest = item.partition(" ")
    if first not in _QUERY_HINTS:
        return _unknown(first, "a query hint", _QUERY_HINTS)
    seconds = _QUERY_HINTS[first]
    if seconds is not None and rest.partition(" ")[0] not in seconds:
        return _unknown(item, "a query hint", {f"{first} {second}" for second in seconds})
    return None


def unknown_datepart(name: str) -> str | None:
    """Why a word written as a datepart is not one, or None if SQL Server knows it."""
    upper = name.upper()
    if upper in DATEPARTS:
        return None
    if upper in _OTHER_DATEPARTS:
        return f"{name} is not a datepart SQL Server knows, and it rejects the statement: is it {_OTHER_DATEPARTS[upper]}?"
    return _unknown(name, "a datepart", DATEPARTS)


def guess(name: str, known: Collection[str]) -> str:
    """The question to ask of a name SQL Server does not know: the nearest one it does, if any."""
    near = get_close_matches(name.upper(), known, n=1)
    return f"is it {near[0]}?" if near else "is it misspelt?"


def _unknown(name: str, kind: str, known: Collection[str]) -> str:
    return f"{name} is not {kind} SQL Server knows, and it rejects the statement: {guess(name, known)}"
