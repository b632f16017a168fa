"""The front end: what district scripts hold, split into statements with exact positions."""

import pytest
from checked import rejected_at
from sqlglot import exp

from advisor.frontend.executed import as_run
from advisor.frontend.parse import read_script
from advisor.frontend.positions import text_bounds


def keywords(text):
    return [(s.keyword, s.understood) for s in read_script(text).statements]


def test_statements_separated_only_by_newlines():
    text = """USE campus
DECLARE @endYear int = 2026
SET NOCOUNT ON
SELECT 1
INSERT INTO #t SELECT a FROM b UNION ALL SELECT c FROM d
UPDATE #t SET a = 1 WHERE a IN (SELECT a FROM e)
DELETE FROM #t WHERE a = 2
CREATE TABLE #u (a int)
DROP TABLE IF EXISTS #u
EXEC dbo.usp_Thing @a = 1
TRUNCATE TABLE #t"""
    assert keywords(text) == [
        ("USE", True), ("DECLARE", True), ("SET OPTION", True), ("SELECT", True), ("INSERT", True),
        ("UPDATE", True), ("DELETE", True), ("CREATE", True), ("DROP", True), ("EXEC", True),
        ("TRUNCATE", True),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ALTER TABLE #t ADD flag bit\nSET @x = 1", ["ALTER", "SET"]),
        ("ALTER TABLE #t ADD flag bit\nSET NOCOUNT ON", ["ALTER", "SET OPTION"]),
        ("ALTER TABLE #t ALTER COLUMN a bigint\nDROP TABLE #u", ["ALTER", "DROP"]),
        ("ALTER TABLE #t DROP COLUMN a, COLUMN b\nALTER TABLE t WITH NOCHECK ADD CONSTRAINT ck CHECK (a > 0)",
         ["ALTER", "ALTER"]),
        ("ALTER TABLE #t ADD CONSTRAINT pk PRIMARY KEY (a)\nWITH x AS (SELECT 1 AS a) SELECT a FROM x", ["ALTER", "WITH"]),
        ("ALTER TABLE dbo.t SET (LOCK_ESCALATION = AUTO)\nSET @y = 2", ["ALTER", "SET"]),
        ("ALTER DATABASE campus SET RECOVERY SIMPLE\nSET NOCOUNT ON", ["ALTER", "SET OPTION"]),
        ("ALTER INDEX ALL ON dbo.Person REBUILD WITH (ONLINE = ON)\nSELECT 1", ["ALTER", "SELECT"]),
        ("GRANT SELECT, INSERT ON dbo.School TO reporting WITH GRANT OPTION\nREVOKE EXECUTE ON dbo.usp FROM clerk"
         "\nDENY CREATE TABLE TO intern\nSELECT 1", ["GRANT", "REVOKE", "DENY", "SELECT"]),
        ("BULK INSERT #r FROM 'C:\\x.csv' WITH (FIELDTERMINATOR = ',')\nEXEC dbo.usp_load", ["BULK", "EXEC"]),
    ],
    ids=["alter-set-variable", "alter-set-option", "alter-column-drop", "drop-column-alter", "alter-cte",
         "alter-table-set", "alter-database-set", "alter-index", "grants", "bulk-insert"],
)
def test_where_administration_statements_end(text, expected):
    statements = read_script(text).statements
    assert [(s.keyword, s.understood) for s in statements] == [(keyword, True) for keyword in expected]
    assert [s.span.line for s in statements] == list(range(1, len(expected) + 1))


def test_control_flow_blocks_and_what_they_enclose():
    text = """IF @x = 1
BEGIN
    SELECT 1
    SELECT 2
END
ELSE IF EXISTS (SELECT 1 FROM t)
    SELECT 3
ELSE
BEGIN TRY
    SELECT 4
END TRY
BEGIN CATCH
    PRINT ERROR_MESSAGE()
    ;THROW
END CATCH
WHILE @i < 10
BEGIN
    SET @i += 1
    IF @i = 5 BREAK ELSE CONTINUE
END"""
    statements = read_script(text).statements
    assert [(s.keyword, s.enclosing) for s in statements] == [
        ("IF", ()),
        ("SELECT", ("IF", "BEGIN")),
        ("SELECT", ("IF", "BEGIN")),
        ("IF", ("ELSE",)),
        ("SELECT", ("ELSE", "IF")),
        ("SELECT", ("ELSE", "ELSE", "TRY")),
        ("PRINT", ("ELSE", "ELSE", "CATCH")),
        ("THROW", ("ELSE", "ELSE", "CATCH")),
        ("WHILE", ()),
        ("SET", ("WHILE", "BEGIN")),
        ("IF", ("WHILE", "BEGIN")),
        ("BREAK", ("WHILE", "BEGIN", "IF")),
        ("CONTINUE", ("WHILE", "BEGIN", "ELSE")),
    ]
    assert all(s.understood for s in statements)
    assert isinstance(statements[3].tree, exp.Exists)  # the condition, with its query, is analysed


def test_the_query_inside_a_block_is_a_tree_not_an_alias_named_end():
    statement = read_script("IF 1 = 1 BEGIN SELECT a FROM t END").statements[1]
    assert statement.understood and isinstance(statement.tree, exp.Select)
    assert statement.tree.find(exp.Alias) is None


@pytest.mark.parametrize(
    "text, keyword",
    [
        ("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "SET TRANSACTION ISOLATION LEVEL"),
        ("INSERT INTO #t (a, b) EXEC dbo.usp_List 2026", "INSERT EXEC"),
        ("PRINT 'done: ' + CAST(@n AS varchar(10))", "PRINT"),
        ("RAISERROR('%s done', 0, 1, @name) WITH NOWAIT", "RAISERROR"),
        ("DECLARE c CURSOR LOCAL FAST_FORWARD FOR SELECT a FROM t FOR READ ONLY", "DECLARE CURSOR"),
        ("OPEN c", "OPEN"),
        ("FETCH NEXT FROM c INTO @a, @b", "FETCH"),
        ("CLOSE c", "CLOSE"),
        ("DEALLOCATE c", "DEALLOCATE"),
        ("WAITFOR DELAY '00:00:05'", "WAITFOR"),
        ("SET STATISTICS IO ON", "SET OPTION"),
        ("SET @c = CURSOR FOR SELECT a FROM t", "SET CURSOR"),
        ("DECLARE @t TABLE (a int PRIMARY KEY CLUSTERED, b int INDEX ix NONCLUSTERED)", "DECLARE"),
        ("CREATE TABLE #t (a int NOT NULL PRIMARY KEY NONCLUSTERED)", "CREATE"),
        ("SELECT a FROM t OPTION (OPTIMIZE FOR (@p UNKNOWN), RECOMPILE)", "SELECT"),
        ("UPDATE STATISTICS dbo.Attendance", "UPDATE STATISTICS"),
        ("UPDATE TOP (500) t SET t.done = 1 FROM #queue t WHERE t.done = 0", "UPDATE"),
        ("DELETE FROM #queue OUTPUT deleted.id INTO #log (id) WHERE done = 1", "DELETE"),
        ("INSERT INTO #stage WITH (TABLOCK) (id) SELECT s.schoolID FROM School s", "INSERT"),
        ("INSERT TOP (10) INTO #stage SELECT s.schoolID FROM School s", "INSERT"),
        ("DELETE FROM Attendance FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2015",
         "DELETE"),
        ("WITH XMLNAMESPACES ('urn:x' AS ns) SELECT p.personID FROM Person p FOR XML PATH('ns:p')", "WITH"),
        ("WITH XMLNAMESPACES (DEFAULT 'urn:x'), k AS (SELECT 1 AS a) SELECT a FROM k FOR XML PATH('k')", "WITH"),
        ("BEGIN TRANSACTION", "BEGIN"),
        ("COMMIT", "COMMIT"),
        ("SAVE TRANSACTION before_update", "SAVE"),
        # a join hint, not a MERGE statement
        ("SELECT e.personID FROM Enrollment e LEFT OUTER MERGE JOIN Calendar c ON c.calendarID = e.calendarID", "SELECT"),
        ("SELECT a.personID FROM Attendance a WHERE a.date !< '2026-01-01' AND a.periodID !> 3", "SELECT"),
        ("SELECT @list += e.grade + ',' FROM Enrollment e WHERE e.endYear = 2026", "SELECT"),  # a list built row by row
        ("INSERT INTO #t (d) OUTPUT inserted.id INTO @log (id) SELECT a.date FROM Attendance a", "INSERT"),
        ("UPDATE #s SET done = 1 OUTPUT inserted.id, deleted.done INTO #log (id, was) WHERE id = 4", "UPDATE"),
        ("MERGE #t AS t USING #s AS s ON t.id = s.id WHEN MATCHED THEN DELETE OUTPUT $action, deleted.id INTO @log (a, id);",
         "MERGE"),
        ("SELECT p.personID FROM Person p WHERE TRY_PARSE(p.stateID AS decimal(10, 2) USING 'en-US') > 5", "SELECT"),
        ("SELECT PARSE(@d AS datetime2 USING @culture)", "SELECT"),
        ("SELECT x.BulkColumn FROM OPENROWSET(BULK 'C:\\data\\roster.json', SINGLE_CLOB) AS x", "SELECT"),
        ("EXEC dbo.usp_Roster @endYear = 2026 WITH RECOMPILE", "EXEC"),
        ("EXEC dbo.usp_Roster WITH RESULT SETS ((personID int, name varchar(50)))", "EXEC"),
        ("CREATE TABLE dbo.Doc (id int NOT NULL, body varbinary(max) FILESTREAM NULL, rg uniqueidentifier ROWGUIDCOL "
         "NOT NULL, note varchar(10) SPARSE NULL, ssn char(9) MASKED WITH (FUNCTION = 'default()') NULL) "
         "ON [PRIMARY] TEXTIMAGE_ON [PRIMARY] FILESTREAM_ON [FS]", "CREATE"),
        ("SELECT s.schoolID INTO #k ON [PRIMARY] FROM School s", "SELECT"),
        ("DECLARE c INSENSITIVE SCROLL CURSOR FOR SELECT a FROM t FOR READ ONLY", "DECLARE CURSOR"),
        ("SET @doc.modify('insert <b/> into (/a)[1]')", "SET"),
        ("BEGIN DISTRIBUTED TRANSACTION", "BEGIN"),
        ("CREATE SCHEMA rpt AUTHORIZATION dbo", "CREATE"),
        ("SELECT x.id FROM OPENXML(@doc, '/r/a', 2) WITH (id int, name varchar(50)) AS x", "SELECT"),
        ("CREATE VIEW dbo.v_Active AS SELECT p.personID FROM Person p WHERE p.personID > 0 WITH CHECK OPTION", "CREATE"),
        ("UPDATE #totals SET days += 1, [absent] -= 2, t.rate *= 3 FROM #totals t WHERE t.personID = 4", "UPDATE"),
        ("DELETE TOP (10) PERCENT FROM #queue WHERE done = 1", "DELETE"),
        ("DELETE TOP (1000) #queue WHERE done = 1", "DELETE"),
        ("MERGE TOP (100) #t WITH (HOLDLOCK) AS t USING (SELECT a FROM u) AS s (a) ON t.a = s.a WHEN MATCHED THEN DELETE;",
         "MERGE"),
        # every place a * may stand
        ("SELECT *, s.*, CHECKSUM(*), BINARY_CHECKSUM(*), COUNT(*) OVER (), 2 * 3 FROM School s "
         "WHERE EXISTS (SELECT * FROM Calendar c WHERE c.schoolID = s.schoolID)", "SELECT"),
        ("SELECT COUNT(*), COUNT_BIG(*) FROM School s", "SELECT"),
        ("DELETE FROM #queue OUTPUT deleted.* WHERE done = 1", "DELETE"),
        # one comma after a table's last column: SQL Server takes it
        ("CREATE TABLE #roster (personID int, grade varchar(4),)", "CREATE"),
        ("DECLARE @roster TABLE (personID int PRIMARY KEY, grade varchar(4),)", "DECLARE"),
        # statements of Service Broker's, and LINENO: not names of procedures to run
        ("RECEIVE TOP (1) conversation_handle, message_body FROM dbo.ExportQueue", "RECEIVE"),
        ("SEND ON CONVERSATION @handle MESSAGE TYPE [//district/export] (@body)", "SEND"),
        ("LINENO 5", "LINENO"),
        # the ISO names of the Unicode text types
        ("DECLARE @n nchar varying(20) = N'x', @m national character varying(30), @c national char(3)", "DECLARE"),
        ("CREATE TABLE #t (a national char(3), b national char varying(10))", "CREATE"),
        ("SELECT CONVERT(national char varying(3), s.name) FROM School s", "SELECT"),
    ],
)
def test_statements_sqlglot_cannot_read_alone_are_understood(text, keyword):
    statements = read_script(text).statements
    assert [(s.keyword, s.understood, s.error) for s in statements] == [(keyword, True, None)]


def test_the_iso_names_of_the_unicode_text_types_are_read_as_the_types_they_are():
    (statement,) = read_script("DECLARE @n nchar varying(20), @m national character varying(30), @c national char(3), "
                               "@national national char(2)").statements
    assert [item.args["kind"].sql("tsql") for item in statement.tree.expressions] == [
        "NVARCHAR(20)", "NVARCHAR(30)", "NCHAR(3)", "NCHAR(2)"]
    (made,) = read_script("CREATE TABLE #t ([national] char(3))").statements  # a column named national, as it must be
    assert [column.sql("tsql") for column in made.tree.this.expressions] == ["[national] CHAR(3)"]


@pytest.mark.parametrize(
    "text, dynamic",
    [
        ("EXEC ('SELECT ' + @columns + ' FROM School')", True),
        ("EXECUTE(N'SELECT 1' + @more)", True),
        ("EXEC sp_executesql N'SELECT 1 ' + N'FROM School'", True),
        ("EXEC (@sql) AT reporting_server", True),
        ("EXEC sp_executesql @sql, N'@c int', @c = 812", True),
        ("EXEC sys.sp_executesql @sql", True),
        ("EXEC @rc = sp_executesql @sql", True),
        ("INSERT INTO #t EXEC (@sql)", True),
        ("INSERT INTO #t EXEC sp_executesql @sql", True),
        ("EXEC msdb.dbo.sp_send_dbmail @recipients = 'office@district.org', @query = @sql", True),
        ("EXEC msdb.dbo.sp_send_dbmail @recipients = 'office@district.org', @body = 'Done'", False),
        ("EXEC dbo.usp_StudentCounts @endYear = 2026", False),
        ("INSERT INTO #t EXEC dbo.usp_List 2026", False),
        ("EXECUTE AS USER = 'reporting'", False),
    ],
)
def test_sql_built_as_the_script_runs_is_read_and_marked(text, dynamic):
    """A dynamic PIVOT's EXEC ('...' + @codes + '...') is a statement SQL Server runs, not a
    syntax error; what it runs is only known then, and is marked so the report can say so."""
    statement, = read_script(text).statements
    assert (statement.understood, statement.dynamic) == (True, dynamic), statement.error


@pytest.mark.parametrize("text", [
    "EXEC sp_executesql N'SELECT sch.name FROM School sch WHERE sch.number = ''042'''",
    "exec sp_executesql N'SELECT sch.name FROM School sch WHERE sch.number = ''042''',N'@p int',@p=5",
    "EXEC sys.sp_executesql @stmt = N'SELECT sch.name FROM School sch WHERE sch.number = ''042'''",
    "EXECUTE ('SELECT sch.name FROM School sch WHERE sch.number = ''042''')",
    "EXEC ('SELECT sch.name FROM School sch WHERE sch.number = ''042''') AS USER = 'reporting'",
    # a Database Mail job mails the rows of its @query
    "EXEC msdb.dbo.sp_send_dbmail @profile_name = 'Campus', @recipients = 'office@district.org', "
    "@query = 'SELECT sch.name FROM School sch WHERE sch.number = ''042''', @attach_query_result_as_file = 1",
])
def test_fixed_sql_in_an_exec_string_is_read_where_it_is_written(text):
    """What Profiler captures from an application: the string is the SQL, not SQL built later."""
    script = read_script(text)
    exec_, *inside = script.statements
    query = inside[-1]
    assert (exec_.dynamic, exec_.nested, exec_.understood) == (False, False, True)
    assert (query.keyword, query.understood, query.nested, query.enclosing) == ("SELECT", True, True, ("EXEC",))
    assert text[query.span.start:query.span.end] == "SELECT sch.name FROM School sch WHERE sch.number = ''042''"
    literal = query.tree.find(exp.Literal)
    assert literal.this == "042" and text[literal.meta["start"]:literal.meta["end"] + 1] == "''042''"
    assert (script.top_level, script.parsed) == (1, 1)


@pytest.mark.parametrize("text", [
    "DECLARE @sql nvarchar(max) = N'SELECT sch.name FROM School sch WHERE sch.number = ''042'''\n"
    "EXEC sp_executesql @sql",
    "DECLARE @n int = 3, @SQL nvarchar(max);\nSET @sql = N'SELECT sch.name FROM School sch WHERE sch.number = ''042''';\n"
    "PRINT @Sql;\nEXEC (@sql);",
    "DECLARE @sql varchar(8000) = 'SELECT sch.name FROM School sch WHERE sch.number = ''042'''\n"
    "IF @@ROWCOUNT = 0\n  INSERT INTO #names EXEC (@sql)",
    "DECLARE @sql nvarchar(max) = N'SELECT sch.name FROM School sch WHERE sch.number = ''042''',\n"
    "        @params nvarchar(200) = N'@d int'\nEXEC sp_executesql @statement = @sql, @params = @params, @d = 1",
    "INSERT INTO #names EXEC ('SELECT sch.name FROM School sch WHERE sch.number = ''042''')",
    "DECLARE @sql AS dbo.SqlText = N'SELECT sch.name FROM School sch WHERE sch.number = ''042'''\n"
    "EXEC sp_executesql @sql",
])
def test_fixed_sql_an_exec_runs_from_a_variable_is_read_where_the_variable_is_set(text):
    """DECLARE @sql = N'...' then EXEC sp_executesql @sql runs fixed text, as if written in the EXEC."""
    script = read_script(text)
    exec_ = next(s for s in script.statements if s.keyword in ("EXEC", "INSERT EXEC"))
    query = script.statements[-1]
    assert (exec_.dynamic, exec_.understood) == (False, True)
    assert (query.keyword, query.understood, query.nested) == ("SELECT", True, True)
    assert text[query.span.start:query.span.end] == "SELECT sch.name FROM School sch WHERE sch.number = ''042''"


@pytest.mark.parametrize("text, run", [
    ("DECLARE @sql nvarchar(max) = N'SELECT 1'\nSET @sql = N'SELECT 2'\nEXEC (@sql)", "SELECT 2"),
    ("DECLARE @sql nvarchar(max) = N'SELECT 1'\nSET @sql = @sql + N' UNION SELECT 2'\nEXEC (@sql)", "SELECT 1 UNION SELECT 2"),
    ("DECLARE @sql nvarchar(max) = N'SELECT 1'\nSET @sql += N' UNION SELECT 2'\nEXEC (@sql)", "SELECT 1 UNION SELECT 2"),
    ("DECLARE @sql nvarchar(max) = N'SELECT 1'\nEXEC (@sql + N' UNION SELECT 2')", "SELECT 1 UNION SELECT 2"),
    ("DECLARE @sql nvarchar(max) = N'SELECT 1' + N' UNION ' + 'SELECT 2'\nEXEC sp_executesql @sql", "SELECT 1 UNION SELECT 2"),
    ("EXEC ('SELECT 1' + ' UNION SELECT 2')", "SELECT 1 UNION SELECT 2"),
    # line breaks between the pieces, for PRINT to show the SQL as lines
    ("DECLARE @nl nchar(2) = NCHAR(13) + NCHAR(10), @sql nvarchar(max)\n"
     "SET @sql = N'SELECT 1' + @nl + N'UNION' + CHAR(10) + N'SELECT 2'\nEXEC (@sql)", "SELECT 1 UNION SELECT 2"),
    # set in an IF before it holds anything: a NULL, which runs nothing, where the IF is not taken
    ("DECLARE @sql nvarchar(max)\nIF @@ROWCOUNT > 0 SET @sql = N'SELECT 1'\nSET @sql += N' UNION SELECT 2'\n"
     "EXEC (@sql)", "SELECT 1 UNION SELECT 2"),
    # each EXEC runs what the variable holds by then
    ("DECLARE @sql nvarchar(max) = N'SELECT 1'\nEXEC (@sql)\nSET @sql = @sql + N' UNION SELECT 2'\nEXEC (@sql)",
     "SELECT 1 UNION SELECT 2"),
])
def test_an_exec_of_strings_joined_or_added_to_runs_what_they_make_by_then(text, run):
    """Long SQL is built in pieces for the reader's sake: each piece is written out, so what the
    EXEC runs is known, and read where each piece is written."""
    statements = read_script(text).statements
    exec_ = [s for s in statements if s.keyword == "EXEC"][-1]
    assert (exec_.dynamic, exec_.understood) == (False, True)
    query = statements[-1]
    assert (query.nested, query.understood, query.tree.sql("tsql")) == (True, True, run)
    assert not any(s.dynamic for s in statements)


def test_findings_on_sql_built_in_pieces_point_into_the_piece_that_holds_it(check):
    text = ("DECLARE @sql nvarchar(max) = N'SELECT a.personID, a.date '\n"
            "SET @sql = @sql + N'FROM Attendance a '\n"
            "SET @sql += N'WHERE a.status = ''A'''\n"
            "EXEC sp_executesql @sql\n")
    report = check(text)
    (unscoped,) = [f for f in report.findings if f.rule == "SC001"]
    assert (unscoped.span.line, unscoped.span.column) == (2, 26)
    assert text[unscoped.span.start:unscoped.span.end] == "Attendance"
    assert "PA006" not in {f.rule for f in report.findings}


def test_sql_quoted_from_across_two_pieces_is_written_as_it_runs(check):
    text = ("DECLARE @sql nvarchar(max) = N'SELECT a.personID FROM Attendance a WHERE YEAR(a.date) '\n"
            "SET @sql += N'= 2026 AND a.calendarID = 4412'\nEXEC sp_executesql @sql\n")
    (hidden,) = [f for f in check(text).findings if f.rule == "PR001"]
    # not the file's text, which holds the end of one string, the SET and the start of the next
    assert hidden.remediation.endswith("instead of YEAR(a.date) = 2026.")


@pytest.mark.parametrize("text", [
    "DECLARE @sql nvarchar(max) = N'SELECT 1'\nSET @sql = REPLACE(@sql, N'1', @value)\nEXEC (@sql)",
    # added to, or set again, where it may or may not happen
    "DECLARE @sql nvarchar(max) = N'SELECT 1'\nIF @@ROWCOUNT > 0 SET @sql += N' UNION SELECT 2'\nEXEC (@sql)",
    "DECLARE @sql nvarchar(max) = N'SELECT 1'\nIF @@ROWCOUNT > 0 SET @sql = N'SELECT 2'\nEXEC (@sql)",
    "DECLARE @sql nvarchar(max) = N'SELECT 1', @i int = 0\nWHILE @i < 3\nBEGIN\n  SET @sql = @sql + N' UNION SELECT 2'\n"
    "  SET @i += 1\nEND\nEXEC (@sql)",
    # joined with what the script finds as it runs
    "DECLARE @sql nvarchar(max) = N'SELECT 1'\nSET @sql = @sql + N' WHERE 1 = ' + CAST(@n AS nvarchar(9))\nEXEC (@sql)",
    "DECLARE @sql nvarchar(max) = N'SELECT 1', @where nvarchar(99)\nEXEC (@sql + @where)",
    "EXEC ('SELECT 1' + CHAR(@n) + 'UNION SELECT 2')",
    "EXEC ('SELECT 1' + CHAR(300) + 'UNION SELECT 2')",  # NULL: CHAR gives no character past 255
    "DECLARE @sql nvarchar(max)\nSELECT @sql = N'SELECT 1'\nEXEC (@sql)",
    "DECLARE @sql nvarchar(max) = N'SELECT 1'\nEXEC dbo.usp_AddFilter @sql OUTPUT\nEXEC (@sql)",
    "DECLARE @sql nvarchar(max)\nEXEC (@sql)\nSET @sql = N'SELECT 1'",
    "DECLARE @sql nvarchar(max) = N'SELECT 1'\nGO\nEXEC (@sql)",
    "SET @sql = N'SELECT 1'\nEXEC (@sql)",
])
def test_an_exec_of_a_variable_that_may_hold_other_sql_stays_unread(text):
    """Changed where it may not happen, built from other values, set by a procedure, run before
    it is set, or from another batch: what it holds when it runs is known only then."""
    statements = read_script(text).statements
    exec_ = [s for s in statements if s.keyword == "EXEC"][-1]
    assert (exec_.dynamic, exec_.understood) == (True, True)
    assert not any(s.nested for s in statements)


@pytest.mark.parametrize("text, argument", [
    ("EXEC sp_executesql 'SELECT sch.name FROM School sch'", "'SELECT sch.name FROM School sch'"),
    ("DECLARE @sql varchar(max) = 'SELECT 1'\nEXEC sp_executesql @sql", "@sql"),
    ("DECLARE @sql AS [char](100) = 'SELECT 1'\nEXEC sp_executesql @sql", "@sql"),
    ("EXEC sp_executesql N'SELECT @d', '@d int', @d = 1", "'@d int'"),
])
def test_sp_executesql_of_text_that_is_not_unicode_is_rejected_where_it_is_given(check, text, argument):
    """SQL Server stops with error 214: sp_executesql takes its SQL and parameters as nvarchar only."""
    report = check(text + "\n")
    (refused,) = [f for f in report.findings if f.rule == "PA001"]
    assert "error 214" in refused.message and text[refused.span.start:refused.span.end] == argument
    assert not {"PA006", "CL003"} & {f.rule for f in report.findings}


def test_sp_executesql_of_a_variable_declared_unicode_takes_a_plain_string():
    statements = read_script("DECLARE @sql nvarchar(max) = 'SELECT 1'\nEXEC sp_executesql @sql").statements
    assert [(s.keyword, s.understood, s.nested) for s in statements] == [
        ("DECLARE", True, False), ("EXEC", True, False), ("SELECT", True, True)]


def test_findings_on_fixed_sql_in_a_variable_point_into_the_string(check):
    report = check("DECLARE @sql nvarchar(max) = N'SELECT * FROM School'\nEXEC sp_executesql @sql\n")
    (star,) = [f for f in report.findings if f.rule == "CL001"]
    assert (star.span.line, star.span.column) == (1, 39)
    assert "PA006" not in {f.rule for f in report.findings}


def test_fixed_sql_run_twice_is_read_twice_and_its_findings_said_once(check):
    text = ("DECLARE @sql nvarchar(max) = N'SELECT * FROM Attendance a WHERE a.status = ''A'''\n"
            "EXEC sp_executesql @sql\nPRINT @sql\nEXEC (@sql)\n")
    statements = read_script(text).statements
    assert [(s.keyword, s.dynamic, s.nested) for s in statements] == [
        ("DECLARE", False, False), ("EXEC", False, False), ("SELECT", False, True), ("PRINT", False, False),
        ("EXEC", False, False), ("SELECT", False, True)]
    report = check(text)
    assert [(f.rule, f.span.line) for f in report.findings if f.rule in ("CL001", "PA006")] == [("CL001", 1)]
    once, twice = report.risk.statements
    assert (once.span, once.risk.estimated_seconds) == (twice.span, twice.risk.estimated_seconds)
    assert report.risk.risk.estimated_seconds == pytest.approx(2 * once.risk.estimated_seconds, rel=0.01)


def test_fixed_sql_run_on_a_linked_server_is_not_read_and_says_where_it_runs(check):
    text = "EXEC ('SELECT a.personID FROM Attendance a') AT [CAMPUS-PROD]"
    (statement,) = read_script(text).statements
    assert statement.dynamic and statement.linked_server == "[CAMPUS-PROD]"
    report = check(text + "\n")
    (built,) = [f for f in report.findings if f.rule == "PA006"]
    assert built.message.startswith("This EXEC runs its SQL on the linked server [CAMPUS-PROD]:")
    assert not {f.rule for f in report.findings} & {"SC001", "RK002"}  # its query runs elsewhere



@pytest.mark.parametrize("call, where", [
    ("OPENQUERY([STATE-SRV], 'SELECT id FROM dbo.students')", "the linked server [STATE-SRV]"),
    ("OPENROWSET('MSOLEDBSQL', 'Server=state;Trusted_Connection=yes;', 'SELECT id FROM st.dbo.students')",
     "the server its connection string names"),
    ("OPENROWSET(N'MSOLEDBSQL', N'Server=state;Trusted_Connection=yes;', N'SELECT id FROM st.dbo.students')",
     "the server its connection string names"),
])
def test_a_query_another_server_runs_is_said_to_be_unchecked_where_it_is(check, call, where):
    text = f"SELECT p.studentNumber FROM {call} r JOIN Person p ON p.stateID = r.id\n"
    (remote,) = [f for f in check(text).findings if f.rule == "PA006"]
    assert remote.message.startswith(f"This {call.split('(')[0]} runs its SQL on {where}: ")
    assert text[remote.span.start:remote.span.end] == call
    assert [f.rule for f in check("SELECT x.BulkColumn FROM OPENROWSET(BULK 'c:\\\\x.txt', SINGLE_CLOB) x\n").findings
            if f.rule == "PA006"] == []  # a file, not a query

def test_sp_executesql_parameters_are_declared_for_its_statements():
    script = read_script("EXEC sp_executesql N'SELECT 1 WHERE @g = 1', N'@g varchar(4), @n int OUTPUT', @g = '09'")
    declare = script.statements[1]
    assert (declare.keyword, declare.nested) == ("DECLARE", True)
    assert [e.this[0].name for e in declare.tree.expressions] == ["g", "n"]
    assert script.text[declare.span.start:declare.span.end] == "N'@g varchar(4), @n int OUTPUT'"


def test_an_unreadable_statement_in_an_exec_string_is_reported_there_and_counts_only_its_exec():
    script = read_script("EXEC sp_executesql N'SELECT a FROM'\nSELECT 1\n")
    assert [(s.keyword, s.understood, s.nested) for s in script.statements] == [
        ("EXEC", True, False), ("SELECT", False, True), ("SELECT", True, False)]
    assert script.statements[1].span.line == 1 and (script.top_level, script.parsed) == (2, 2)


def test_an_exec_of_a_string_left_open_is_reported():
    statement, = read_script("EXEC (N'SELECT 1' + CHAR(13)").statements
    assert not statement.understood and "(" in statement.error


def test_compound_assignment_keeps_its_expression():
    statement = read_script("SET @total += (SELECT COUNT(*) FROM Attendance)").statements[0]
    assert statement.understood and statement.tree.find(exp.Select) is not None


def test_a_cursor_query_is_parsed_without_its_for_update_clause():
    statement = read_script("DECLARE c CURSOR FOR SELECT a FROM t WHERE b = 1 FOR UPDATE OF a").statements[0]
    assert isinstance(statement.tree, exp.Select) and statement.tree.args["where"] is not None


def test_a_query_whose_xml_is_called_keeps_its_columns():
    # sqlglot turns the columns of (SELECT ...).value(...) into bare and dotted names
    sql = ("SELECT STUFF((SELECT ', ' + c.email FROM Contact c WHERE c.personID = s.personID "
           "FOR XML PATH(''), TYPE).value('.', 'varchar(max)'), 1, 2, '') FROM student s")
    query = read_script(sql).statements[0].tree.find(exp.Subquery).this
    assert [(column.table, column.name) for column in query.find_all(exp.Column)] == [
        ("c", "email"), ("c", "personID"), ("s", "personID")]


def test_lists_nested_in_lists_keep_their_columns_at_every_level():
    sql = "SELECT p.stateID FROM Person p"
    for level in range(6):
        sql = f"SELECT (({sql} FOR XML PATH(''), TYPE).value('.', 'varchar(max)')) AS list{level} FROM Person p{level}"
    tree = read_script(sql).statements[0].tree
    assert [(column.table, column.name) for column in tree.find_all(exp.Column)] == [("p", "stateID")]
    assert not [dot for dot in tree.find_all(exp.Dot) if not isinstance(dot.this, exp.Subquery)]


def test_leading_semicolon_with_makes_one_statement():
    statements = read_script(";WITH c AS (SELECT 1 AS x) SELECT x FROM c").statements
    assert len(statements) == 1 and isinstance(statements[0].tree, exp.Select)


def test_procedure_header_and_body_statements():
    text = """CREATE PROCEDURE dbo.p @a int = 1, @b varchar(10) OUTPUT
WITH RECOMPILE
AS
BEGIN
    SET NOCOUNT ON
    SELECT @a
    RETURN 0
END"""
    assert [(s.keyword, s.enclosing) for s in read_script(text).statements] == [
        ("CREATE PROCEDURE", ()),
        ("SET OPTION", ("PROCEDURE", "BEGIN")),
        ("SELECT", ("PROCEDURE", "BEGIN")),
        ("RETURN", ("PROCEDURE", "BEGIN")),
    ]


def test_inline_function_returns_its_query():
    text = "CREATE FUNCTION dbo.f (@y int) RETURNS TABLE AS RETURN SELECT a FROM t WHERE y = @y"
    statements = read_script(text).statements
    assert statements[-1].keyword == "RETURN" and isinstance(statements[-1].tree, exp.Select)


def test_exact_spans_across_batches_and_crlf():
    text = "SELECT 1\r\nGO\r\n\r\n  SELECT a\r\n  FROM t\r\nGO\r\nSELECT 3"
    statements = read_script(text).statements
    second = statements[1]
    assert (second.span.line, second.span.column, second.span.end_line, second.span.end_column) == (4, 3, 5, 8)
    assert text[second.span.start : second.span.end] == "SELECT a\r\n  FROM t"


@pytest.mark.parametrize("text, wanted", [
    ("SELECT @label + @day AS x", "@label + @day"),
    ("SET @total = @total + @added", "@total + @added"),
    ("SELECT @@ROWCOUNT * @size AS x", "@@ROWCOUNT * @size"),
    ("SELECT a.date FROM Attendance a WHERE @from <= a.date", "@from <= a.date"),
    ("SELECT 1 AS x WHERE @school IS NULL", "@school IS NULL"),
    ("SELECT\n  -- kept\n  @a /* here */ - @b AS x", "@a /* here */ - @b"),
    ("SELECT $(start) + @days AS x", "$(start) + @days"),
], ids=["select", "set", "system function", "beside a column", "is null", "comments", "sqlcmd"])
def test_a_value_of_variables_alone_has_its_place(text, wanted):
    """sqlglot keeps no place for a variable's name; the front end gives it one, so an expression
    of variables alone is found where it is written, not at its statement's start."""
    script = f"DECLARE @label varchar(9), @day date\n{text}"
    statement = read_script(script).statements[-1]
    value = statement.tree.find(exp.Add, exp.Sub, exp.Mul, exp.LTE, exp.Is)
    start, end = text_bounds(value, script)
    assert script[start:end] == wanted


@pytest.mark.parametrize("comment", ["/* a /* b */ c */", "/*/* b */*/", "/*" * 500 + "*/" * 500, "-- a /* b"],
                         ids=["nested", "nested at once", "500 deep", "line comment"])
def test_comments_nest_as_sql_server_reads_them_and_keep_their_place(comment):
    text = f"SELECT a\n{comment}\n  FROM t WHERE b = 1 /* c */\nSELECT 2"
    first, second = read_script(text).statements
    assert first.understood and second.understood
    assert text[first.span.start : first.span.end].endswith("b = 1")
    assert (second.span.line, second.span.column) == (4, 1)


def test_sqlcmd_mode_directives_are_not_statements_and_its_variables_are_read():
    text = (":setvar year 2026\n:on error exit\nUSE $(db)\nGO\n"
            "SELECT c.name\n:r .\\names.sql\nFROM Calendar c WHERE c.endYear = $(year)\n")
    script = read_script(text)
    assert [(s.keyword, s.understood) for s in script.statements] == [("USE", True), ("SELECT", True)]
    query = script.statements[1]
    assert (query.span.line, query.span.end_line) == (5, 7)
    (value,) = [p for p in query.tree.find_all(exp.Parameter)]
    assert value.name == "year"
    assert script.statements[0].tree.this.name == "$(db)"


@pytest.mark.parametrize("character", ["\u00a0", "\u200b", "\u2018", "\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\ufeff",
                                       "\u00ad", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060"])
def test_characters_pasted_from_documents_are_reported_where_they_are_unless_quoted(character):
    text = (f"SELECT s.name FROM School s WHERE s.schoolID = 1{character}\n"
            f"SELECT s.name FROM School s WHERE s.name = '{character}' AND [a{character}b] = 1 -- {character}\n")
    pasted, quoted = read_script(text).statements
    assert not pasted.understood and "retype it" in pasted.error
    assert (pasted.error_span.line, pasted.error_span.column) == (1, 49)
    assert quoted.understood


def test_a_bad_statement_is_reported_where_it_is_and_the_rest_is_read():
    text = "SELECT 1\nSELECT a FROM t WHERE (b = 1\nSELECT 3"
    statements = read_script(text).statements
    assert [s.understood for s in statements] == [True, False, True]
    bad = statements[1]
    assert bad.error.startswith("sqladvise cannot read this SELECT") and bad.error_span.line == 2


@pytest.mark.parametrize(
    "text, reason",
    [
        ("SELECT a FROM t go", "GO is read as a name here, near 'go' (GO ends a batch only on a line of its own)"),
        # sp_executesql hands the server its text whole: a GO there is never a batch's end, even on its own line
        ("EXEC sp_executesql N'SELECT 1\nGO\nSELECT 2'", "near 'GO' (SQL that EXEC runs has no batches"),
        ("SELECT a.personID FROM Attendance a COMPUTE COUNT(a.personID)",
         "near 'COMPUTE' (COMPUTE, which SQL Server no longer reads since 2012: total with GROUP BY ... WITH ROLLUP"),
        ("IF 1 = 1 SELECT 1\nEND", "END without a matching BEGIN"),
        ("BEGIN\nSELECT 1", "has no matching END"),
        ("SELECT a,\nFROM t", "a comma before FROM"),
        ("SELECT TOP @n a.personID FROM Attendance a", "SQL Server rejects TOP @n: write TOP (@n), near '@n'"),
        ("SELECT a.personID FROM Attendance a OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY",
         "OFFSET is part of an ORDER BY, and SQL Server rejects it without one"),
        ("SELECT 'abc\nGO\nSELECT 2", "no closing quote"),
        ("CREATE PROCEDURE <Procedure_Name, sysname, ProcedureName> AS SELECT 1", "SSMS template parameter"),
        ("ELSE SELECT 1", "ELSE without a matching IF"),
        ("SELECT (((1", "a ( is left open: its ) is missing"),
        ("SELECT s.name FROM School s WITH (NOLOCK\nWHERE s.schoolID = 1", "a ( is left open: its ) is missing, near 'WHERE'"),
        ("CREATE VIEW dbo.v_Unfinished", "a view needs AS and the query that defines it"),
        ("UPDATE CROSS APPLY dbo.fn_x(1)", "an UPDATE needs the table it changes"),
        ("SELECT s.personID, (SELECT COUNT(*) JOIN Attendance a WHERE a.personID = s.personID) FROM student s",
         "a JOIN with no FROM before it"),
        ("SELECT a.personID FROM Attendance a WHERE YEAR(a.date) = YEAR()", "YEAR takes 1 argument, not 0"),
        ("SELECT a.personID FROM Attendance a WHERE DATEDIFF(day, a.date) < 7", "DATEDIFF takes 3 arguments, not 2"),
        # a call short of arguments where a condition stands: said before the value, whose text needs the call whole
        ("SELECT a.personID FROM Attendance a WHERE DATEDIFF(day, a.date = @p)", "DATEDIFF takes 3 arguments, not 2"),
        ("SELECT a.personID FROM Attendance a WHERE a.date > DATEADD(day, -7)", "DATEADD takes 3 arguments, not 2"),
        ("SELECT DATEPART(year) AS y", "DATEPART takes 2 arguments, not 1"),
        ("SELECT CONVERT(varchar(10), a.date, 101, 1) FROM Attendance a", "CONVERT takes 2 or 3 arguments, not 4"),
        ("SELECT CONCAT(a.status) FROM Attendance a", "CONCAT takes 2 to 254 arguments, not 1"),
        ("SELECT CONCAT_WS(',', a.status) FROM Attendance a", "CONCAT_WS takes 3 to 254 arguments, not 2"),
        ("MERGE INTO @t t USING School s ON s.schoolID = t.id WHEN MATCHED THEN UPDATE @t SET t.value = 'Y';",
         "an UPDATE's SET is not a list of column = value assignments"),
        ("INSERT INTO log (id) SELECT d.id FROM (DELETE FROM t OUTPUT deleted.id WHERE t.a = 1) AS d",
         "it inserts the rows a DELETE in its FROM outputs (composable DML), which sqladvise does not read yet, near 'DELETE'"),
        ("UPDATE t SET a = 1 WHERE CURRENT OF", "WHERE CURRENT OF needs the name of a cursor, near 'CURRENT OF'"),
        # SQL of other databases, with the T-SQL to write instead
        ("SELECT a.personID FROM Attendance a ORDER BY a.date DESC LIMIT 10", "write SELECT TOP (n)"),
        ("SELECT p.personID FROM Person p WHERE p.stateID ILIKE 'ab%'", "write LIKE, which ignores case"),
        ("SELECT a.date::date FROM Attendance a", "write CAST(value AS date)"),
        ("SELECT a.personID FROM Attendance a WHERE a.date > NOW() - 7", "write GETDATE()"),
        ("SELECT IFNULL(a.status, 'P') FROM Attendance a", "write ISNULL(value, replacement)"),
        ("SELECT a.personID FROM Attendance a WHERE EXTRACT(YEAR FROM a.date) = 2026", "write DATEPART(year, date)"),
        ("SELECT GROUP_CONCAT(c.name) FROM Calendar c", "write STRING_AGG(value, ',')"),
        ("SELECT c.name FROM Calendar c ORDER BY c.endDate NULLS LAST", "puts NULLs first in an ascending sort"),
        ("SELECT e.personID FROM Enrollment e JOIN Calendar c USING (calendarID)", "write JOIN ... ON"),
        ("SELECT e.personID FROM Enrollment e NATURAL JOIN Calendar c", "write JOIN ... ON"),
        ("SELECT DISTINCT ON (e.personID) e.grade FROM Enrollment e", "ROW_NUMBER() OVER (PARTITION BY"),
        ("SELECT e.personID FROM Enrollment e QUALIFY ROW_NUMBER() OVER (ORDER BY e.startDate) = 1", "in an outer query"),
        ("SELECT c.name FROM Calendar c WHERE c.summerSchool = TRUE", "write 1 and 0"),
        ("SELECT a.personID, COUNT(*) FILTER (WHERE a.status = 'A') FROM Attendance a WHERE a.calendarID = 4 GROUP BY "
         "a.personID", "put the condition in a CASE inside it"),
        ("SELECT STRING_AGG(e.grade, ',' ORDER BY e.grade) FROM Enrollment e", "WITHIN GROUP (ORDER BY ...)"),
        ("SELECT e.personID, l.x FROM Enrollment e, LATERAL (SELECT 1 AS x) l", "write CROSS APPLY (SELECT ...) alias"),
        ("WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n",
         "write WITH alone"),
        ("SELECT e.personID FROM Enrollment e EXCEPT ALL SELECT a.personID FROM Attendance a", "write EXCEPT, or NOT EXISTS"),
        ("SELECT e.personID FROM Enrollment e INTERSECT ALL SELECT a.personID FROM Attendance a", "write INTERSECT, or EXISTS"),
        ("SELECT e.personID FROM Enrollment e UNION DISTINCT SELECT a.personID FROM Attendance a", "write UNION, which drops"),
        ("DELETE FROM #roster WHERE personID = 4 RETURNING personID", "write OUTPUT inserted.column"),
        ("UPDATE #roster SET grade = '09' RETURNING personID", "write OUTPUT inserted.column"),
        ("INSERT INTO #roster (personID) VALUES (1) ON CONFLICT DO NOTHING", "INSERT ... ON CONFLICT is PostgreSQL's"),
        ("INSERT INTO #roster (personID) VALUES (1) ON DUPLICATE KEY UPDATE personID = 2",
         "ON DUPLICATE KEY UPDATE is MySQL's"),
        ("DELETE FROM #roster USING Enrollment e WHERE e.personID = #roster.personID", "DELETE t FROM #t t JOIN"),
        ("CREATE TABLE IF NOT EXISTS #roster (personID int)", "IF OBJECT_ID('tempdb..#name') IS NULL CREATE TABLE"),
        ("CREATE VIEW IF NOT EXISTS dbo.v_roster AS SELECT 1 AS x", "write CREATE OR ALTER"),
        ("CREATE INDEX IF NOT EXISTS IX_roster ON #roster (personID)", "sys.indexes"),
        ("SELECT e.personID INTO TEMP kids FROM Enrollment e", "INTO TEMP is PostgreSQL's"),
        ("WITH kids AS MATERIALIZED (SELECT e.personID FROM Enrollment e) SELECT k.personID FROM kids k",
         "a CTE's MATERIALIZED is PostgreSQL's"),
        ("SELECT a.personID FROM Attendance a WHERE a.date < GETDATE", "write GETDATE(), near 'GETDATE'"),
        ("SELECT e.personID FROM Enrollment e WHERE e.endDate > SYSDATETIME", "write SYSDATETIME()"),
        ("SELECT a.personID FROM Attendance a WHERE a.date > SYSDATE - 7", "SYSDATE is Oracle's"),
        ("SELECT a.personID FROM Attendance a WHERE a.date < CURRENT_TIMESTAMP()", "CURRENT_TIMESTAMP takes no parentheses"),
        ("SELECT a.personID FROM Attendance a WHERE a.calendarID = :calendar", ":calendar is a parameter marker"),
        ("SELECT e.`grade` FROM Enrollment e", "near '`' (a name in backticks is MySQL's"),
        # other databases' column types and counters where a table's columns are defined
        ("CREATE TABLE #roster (personID int, active BOOLEAN)", "BOOLEAN is another database's type, not SQL Server's: "
         "write bit, near 'BOOLEAN'"),
        ("DECLARE @roster TABLE (personID int, name VARCHAR2(40))", "write varchar"),
        ("CREATE TABLE #roster (id SERIAL PRIMARY KEY, personID int)", "write int IDENTITY"),
        ("CREATE TABLE #roster (personID int, kind ENUM('a', 'b'))", "write varchar(n) with a CHECK"),
        ("CREATE TABLE #roster (id int AUTO_INCREMENT PRIMARY KEY, personID int)", "write IDENTITY(1, 1)"),
        ("CREATE TABLE #roster (id int GENERATED ALWAYS AS IDENTITY, personID int)", "GENERATED ... AS IDENTITY is"),
        ("CREATE TABLE #roster (personID int) ENGINE=InnoDB", "ENGINE is MySQL's"),
        ("CREATE OR REPLACE VIEW dbo.v_kids AS SELECT e.personID FROM Enrollment e", "write CREATE OR ALTER"),
        ("SELECT GETDATE() AS now FROM DUAL", "FROM DUAL is Oracle's"),
        ("SELECT e.personID FROM Enrollment e WHERE ROWNUM <= 10", "ROWNUM is Oracle's, not SQL Server's: write TOP (n)"),
        ("SELECT e.personID,\nIF(e.grade = '09', 'F', 'x') AS level FROM Enrollment e",
         "IF() is MySQL's function, not SQL Server's: write IIF(condition, then, else)"),
        # an alias for the table an UPDATE or DELETE changes, which SQL Server takes only in a FROM
        ("UPDATE Enrollment e SET e.grade = '09' WHERE e.calendarID = 4",
         "write UPDATE e SET ... FROM Enrollment e WHERE ..., or UPDATE Enrollment SET ... without e, near 'e'"),
        ("UPDATE dbo.Enrollment AS e SET grade = '09'", "FROM dbo.Enrollment e WHERE"),
        ("DELETE FROM Enrollment e WHERE e.calendarID = 4",
         "write DELETE FROM Enrollment WHERE ..., or DELETE e FROM Enrollment e WHERE ... to keep e, near 'e'"),
        # LIMIT with OFFSET, where sqlglot holds the LIMIT as it holds a TOP
        ("SELECT e.personID FROM Enrollment e ORDER BY e.personID LIMIT 5 OFFSET 2", "LIMIT is MySQL's and PostgreSQL's"),
        ("SELECT a.personID FROM Attendance a WHERE a.date > GETDATE() - INTERVAL '7' DAY", "write DATEADD"),
        ("CREATE TEMP TABLE roster (personID int)", "write CREATE TABLE #name"),
        ("SELECT a.personID FROM Attendance a WHERE a.date BETWEEN DATE '2025-08-20' AND DATE '2026-06-05'",
         "DATE '2025-08-20' is another database's constant, not SQL Server's: write the string alone, '2025-08-20'"),
        ("SELECT a.personID FROM Attendance a WHERE a.modifiedDate > TIMESTAMP '2026-01-05 08:00'",
         "CAST('2026-01-05 08:00' AS datetime2)"),
        ("SELECT CAST(e.noShow AS BOOLEAN) FROM Enrollment e", "BOOLEAN is another database's type"),
        ("SELECT TRY_CAST(p.stateID AS NUMBER) FROM Person p", "write decimal(p, s) or int"),
        ("DECLARE @name AS VARCHAR2(40)", "write varchar"),
        ("DECLARE @n INT DEFAULT 0", "write DECLARE @x int = value"),
        ("SELECT STRPOS(p.lastName, 'a') FROM Person p", "STRPOS() is not one of SQL Server's functions"),
        ("SELECT a.personID FROM Attendance a WHERE DATE(a.date) = '2026-01-05'", "write CAST(value AS date)"),
        ("SELECT a.personID FROM Attendance a WHERE HOUR(a.date) < 12", "write DATEPART(hour, date)"),
        ("SELECT CEIL(e.grade) FROM Enrollment e", "write CEILING(number)"),
        ("SELECT p.personID FROM Person p WHERE p.lastName > J_S_O_N_CAST(1, 2)", "call the district's own function with its schema"),
        ("SELECT TS_OR_DS_ADD(a.date, 1, 'day') FROM Attendance a", "TS_OR_DS_ADD() is not one of SQL Server's functions"),
        ("SELECT a.personID FROM Attendance a, Calendar c WHERE a.calendarID *= c.calendarID",
         "*= is SQL Server 2000's outer join, which SQL Server no longer reads: write LEFT JOIN ... ON"),
        ("SELECT a.personID FROM Attendance a, Calendar c WHERE c.endYear = 2026 AND a.calendarID =* c.calendarID",
         "write RIGHT JOIN ... ON"),
        ("SELECT a.personID FROM Attendance a, Calendar c WHERE a.calendarID = c.calendarID(+)",
         "(+) is Oracle's outer join, which SQL Server does not have: write LEFT JOIN ... ON"),
        # a + with nothing after it, which sqlglot dropped: YEAR() and DATEADD(DAY, a.date, day) were read
        ("SELECT COUNT(*) FROM Attendance a WHERE YEAR(+) = 2026", "this + has nothing after it"),
        ("SELECT DATEADD(day, +, a.date) FROM Attendance a", "this + has nothing after it"),
        # a * where SQL Server takes none, which sqlglot read
        ("SELECT YEAR(*) FROM Attendance a", "* stands for a row's columns only in a SELECT list"),
        ("SELECT COUNT(DISTINCT *) FROM Attendance a", "* stands for a row's columns only in a SELECT list"),
        ("SELECT a.personID FROM Attendance a WHERE a.status == 'A'", "write ="),
        ("SELECT @n := COUNT(*) FROM Attendance a", "write SELECT @x = value"),
        ("SELECT a.status, COUNT(*) FROM Attendance a GROUP BY 1", "name the column"),
        ("DECLARE total int", "total is not a variable: a variable's name starts with @ (@total)"),
        ("DECLARE @first date, last date", "last is not a variable"),
        ("SET total = 0", "total is not a variable"),
        ("SELECT a.personID FROM Attendance a WHERE a.calendarID IN ()", "IN () holds no value"),
        # other databases' ORDER BY in a call, and a keyword where CONVERT's type goes: read, and read wrong
        ("SELECT SUM(a.minutes ORDER BY a.date) FROM Attendance a", "an ORDER BY inside a function's parentheses"),
        ("SELECT DATEDIFF(day, e.startDate ORDER BY e.personID, GETDATE()) FROM Enrollment e",
         "an ORDER BY inside a function's parentheses"),
        ("SELECT e.personID FROM Enrollment e WHERE CONVERT(in, e.grade) >= 9",
         "in is not a data type: CONVERT's first argument is the type to convert to"),
        ("SELECT TRY_CONVERT(in, e.grade) FROM Enrollment e", "in is not a data type"),
        ("SELECT (CONVERT()'')", "CONVERT takes 2 or 3 arguments, not 0"),
        # a COALESCE of NULLs alone, as a program that fills in a template writes it
        ("SELECT e.personID, COALESCE(NULL, NULL) AS exitCode FROM Enrollment e", "COALESCE's arguments are all NULL"),
        ("UPDATE #t SET code = COALESCE(NULL, (NULL), NULL)", "error 4127"),
        # an argument left out, which sqlglot reads as none: DATEDIFF with no last date
        ("SELECT DATEDIFF(year, s.birthdate, ) AS age FROM student s", "leaves an empty item in the list"),
        ("SELECT a.personID FROM Attendance a WHERE a.status IN (, 'A')", "leaves an empty item in the list"),
        ("SELECT a.personID FROM Attendance a WHERE DATEDIFF(day, , a.date) < 7", "leaves an empty item in the list"),
        ("SELECT e.personID, , e.grade FROM Enrollment e", "leaves an empty item in the list"),
        # a CAST left open, which sqlglot read as closed
        ("SELECT e.personID FROM Enrollment e WHERE CAST(e.grade AS int >= 9", "a ( is left open: its ) is missing"),
        ("SELECT CAST(e.grade AS int FROM Enrollment e", "a ( is left open: its ) is missing"),
        ("SELECT e.personID FROM Enrollment e JOIN Calendar c WHERE c.calendarID = e.calendarID", "this JOIN has no ON"),
        ("SELECT 1 FROM School s WHERE EXISTS (SELECT 1 FROM Calendar c LEFT JOIN Term t WHERE t.a = 1)", "this JOIN has no ON"),
        # statements that stop before their end, which sqlglot read as whole
        ("SET", "it ends at SET, and what follows it missing"),
        ("DECLARE @first date,", "it ends with a comma"),
        ("DECLARE @first date =", "it ends at =, and what follows it missing"),
        ("CREATE TABLE #t (a int,, b int)", "leaves an empty item in the list"),
        ("CREATE TABLE #t (a int, CONSTRAINT pk PRIMARY KEY (a,),)", "leaves an empty item in the list"),
        ("SELECT a.status FROM Attendance a GROUP BY", "it ends at GROUP BY"),
        ("SELECT a.status FROM Attendance AS", "it ends at AS"),
        ("SELECT a.status FROM", "the statement ends where a name should follow, near 'FROM'"),
        ("DELETE FROM #t WHERE", "an expression is incomplete"),
        ("TRUNCATE TABLE", "the statement ends where a name should follow"),
        ("SELECT a.status FROM , Attendance a", "a name is missing, near ','"),
        ("WITH c AS (SELECT 1 AS x)", "a WITH's CTEs need the statement that reads them"),
        ("ALTER TABLE #roster", "ALTER TABLE names a table, then what it changes"),
        ("ALTER TABLE [dbo].[roster];", "ALTER TABLE names a table, then what it changes"),
        ("ALTER TABLE #roster ADD", "it ends at ADD"),
        ("DECLARE @kids TABLE (personID int);\nDROP TABLE @kids;", "DROP TABLE takes tables, and SQL Server rejects a "
         "table variable: it lasts until its batch ends, and DELETE FROM @kids empties it, near '@kids'"),
        ("DECLARE @kids TABLE (personID int);\nDROP TABLE IF EXISTS #roster, @kids;", "near '@kids'"),
        ("DECLARE @kids TABLE (personID int);\nTRUNCATE TABLE @kids;", "TRUNCATE TABLE takes tables"),
        # a SET of two variables, which SQL Server writes as a SELECT
        ("DECLARE @a int, @b int;\nSET @a = 1, @b = 2;", "a SET gives one variable its value, and SQL Server rejects a second"),
        ("DECLARE @a int = 0, @b int;\nSET @a += dbo.f(1, 2), @b -= 2;", "SELECT @a = ..., @b = ... to give both, near '@b'"),
        # parts left out that sqlglot reads as if they were not needed
        ("SELECT FROM Person", "a SELECT with no columns"),
        ("SELECT TOP 10 PERCENT FROM Person p ORDER BY p.lastName", "a SELECT with no columns"),
        ("SELECT e.personID FROM Enrollment e WHERE e.personID IN (SELECT DISTINCT FROM Person)", "a SELECT with no columns"),
        ("UPDATE Person SET WHERE personID = 1", "an UPDATE's SET is not a list of column = value assignments"),
        ("SELECT p.personID FROM Person p WHERE p.personID IS 1", "IS takes only NULL"),
        ("SELECT e.personID FROM Enrollment e WHERE e.noShow IS NOT 1", "IS takes only NULL"),
        ("SELECT COUNT() FROM Person p", "COUNT takes 1 argument, not 0"),
        ("SELECT ROW_NUMBER() AS n FROM Person p", "ROW_NUMBER needs OVER (ORDER BY ...)"),
        ("SELECT e.personID, RANK() OVER (PARTITION BY e.calendarID) AS r FROM Enrollment e", "RANK's OVER needs an ORDER BY"),
        ("SELECT LAST_VALUE(a.code) IGNORE NULLS OVER (PARTITION BY a.personID) FROM Attendance a",
         "LAST_VALUE's OVER needs an ORDER BY"),
        ("SELECT LEAD(a.date, 1) AS nextDate FROM Attendance a", "LEAD needs OVER (ORDER BY ...)"),
        ("SELECT LAG(a.date) OVER (PARTITION BY a.personID ORDER BY a.date ROWS UNBOUNDED PRECEDING) FROM Attendance a",
         "LAG takes no ROWS or RANGE frame"),
        ("SELECT ROW_NUMBER() OVER (ORDER BY a.date RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM Attendance a",
         "ROW_NUMBER takes no ROWS or RANGE frame"),
        ("SELECT p.personID FROM Person p CROSS JOIN Enrollment e ON e.personID = p.personID", "a CROSS JOIN takes no ON"),
        ("SELECT p.personID FROM Person p WHERE EXISTS (1)", "EXISTS takes a subquery"),
        ("SELECT COUNT(DISTINCT) FROM Enrollment e", "DISTINCT with nothing after it"),
        ("SELECT COUNT(ALL) FROM Enrollment e", "ALL with nothing after it"),
        ("SELECT COALESCE(e.grade) AS grade FROM Enrollment e", "COALESCE takes two or more values"),
        ("SELECT e.personID FROM Enrollment e FOR JSON", "FOR JSON needs PATH or AUTO after it"),
        ("SELECT e.personID FROM Enrollment e FOR XML, ROOT('kids')", "FOR XML needs RAW, AUTO, EXPLICIT or PATH after it"),
        ("SELECT e.personID FROM Enrollment e WHERE e.grade > ALL", "ALL compares with the rows of a subquery"),
        ("SELECT p.personID FROM Person p ORDER BY p.lastName ASC DESC", "a column is sorted one way"),
        # a column's name deleted after its alias and dot: read as a column FROM named Person
        ("SELECT p.studentNumber, p. FROM Person", "a name is missing after p."),
        ("SELECT p.studentNumber, p.\nFROM Person p", "a name is missing after p."),
        ("SELECT p.personID FROM Person p. WHERE p.personID = 5", "a name is missing after p."),
        # the SELECT under an INSERT commented out: the next statement is not the INSERT's
        ("INSERT INTO #roster\n-- SELECT e.personID FROM Enrollment e\nSET NOCOUNT ON", "then the rows it adds"),
        ("INSERT INTO dbo.roster (personID)\nSET @n = 1", "then the rows it adds"),
    ],
)
def test_what_cannot_be_read_says_why(text, reason):
    errors = [s.error for s in read_script(text).statements if not s.understood]
    assert errors and reason in errors[0]


@pytest.mark.parametrize("text", [
    "SELECT STRING_AGG(c.email, ';') WITHIN GROUP (ORDER BY c.email) FROM Contact c",
    "SELECT STRING_AGG((SELECT TOP 1 c.name FROM Calendar c ORDER BY c.name), ',') FROM Contact c",
    "SELECT e.personID FROM Enrollment e CROSS APPLY (SELECT 1 AS x) l OUTER APPLY (SELECT 2 AS y) m",
    "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a.minutes) OVER (PARTITION BY a.personID) FROM Attendance a",
    "SELECT ROW_NUMBER() OVER (PARTITION BY e.personID ORDER BY e.startDate DESC) FROM Enrollment e",
    "SELECT STUFF((SELECT ',' + c.email FROM Contact c ORDER BY c.email FOR XML PATH('')), 1, 1, '')",
    "SELECT (SELECT TOP 1 e.grade FROM Enrollment e ORDER BY e.startDate DESC) AS g",
    "SELECT e.grade FROM Enrollment e UNION SELECT s.number FROM School s ORDER BY 1",
    "SELECT e.personID FROM Enrollment e WHERE e.personID IN (SELECT TOP 5 p.personID FROM Person p ORDER BY p.personID)",
    "SELECT CONVERT(varchar(10), e.startDate, 101), TRY_CONVERT(int, e.grade) FROM Enrollment e",
    "SELECT SUM(a.minutes) OVER (PARTITION BY a.personID), COUNT_BIG(*), MAX(a.date), NTILE(4) OVER (ORDER BY a.date), "
    "LAG(a.date) IGNORE NULLS OVER (ORDER BY a.date) FROM Attendance a CROSS JOIN School s",
    "SELECT LAST_VALUE(a.date) OVER (PARTITION BY a.personID ORDER BY a.date ROWS BETWEEN UNBOUNDED PRECEDING AND "
    "UNBOUNDED FOLLOWING), SUM(a.minutes) OVER (ORDER BY a.date ROWS 2 PRECEDING) FROM Attendance a",
    "SELECT COUNT(ALL e.grade), COALESCE(e.grade, '') FROM Enrollment e GROUP BY e.grade FOR XML RAW('grade'), ROOT('grades')",
    "SELECT e.personID FROM Enrollment e FOR JSON AUTO",
    "SELECT DISTINCT a.personID FROM Attendance a WHERE a.minutes > ALL (SELECT 0) AND EXISTS (SELECT 1) "
    "UNION ALL SELECT COUNT(DISTINCT e.grade) FROM Enrollment e ORDER BY 1 DESC",
])
def test_order_by_and_convert_where_sql_server_takes_them_are_read(text):
    assert all(statement.understood for statement in read_script(text).statements)


@pytest.mark.parametrize("text, statements", [
    ("DELETE FROM #roster OUTPUT deleted.personID WHERE personID = 4", 1),
    ("INSERT INTO #roster (personID) OUTPUT inserted.personID VALUES (1)", 1),
    ("SELECT e.personID FROM Enrollment e EXCEPT SELECT a.personID FROM Attendance a "
     "INTERSECT SELECT s.personID FROM student s UNION ALL SELECT 1", 1),
    ("MERGE #roster AS t USING Enrollment AS e ON e.personID = t.personID WHEN MATCHED THEN DELETE;", 1),
    ("DECLARE @a int, @b int;\nSET @a = (SELECT COUNT(*) FROM Enrollment e WHERE e.grade IN ('09', '10'));\n"
     "SET @b = COALESCE(@a, 0);\nSELECT @a = 1, @b = 2;", 4),
    ("DECLARE @c CURSOR;\nSET @c = CURSOR FOR SELECT e.personID, e.grade FROM Enrollment e;", 2),
    ("SET NOCOUNT, XACT_ABORT ON;", 1),
    # names like other databases' types, as a table's columns and as a query's
    ("CREATE TABLE #roster (id int, engine varchar(10), number int, string varchar(5), CONSTRAINT pk PRIMARY KEY (id))\n"
     "DECLARE @t TABLE (id int, score decimal(5, 2), flag bit)\n"
     "SELECT j.name FROM OPENJSON(N'[]') WITH (name varchar(10), number int) j", 3),
    ("CREATE FUNCTION dbo.f () RETURNS TABLE AS RETURN SELECT e.personID, e.grade number FROM Enrollment e", 2),
    ("CREATE TABLE #t (a int, b DOUBLE PRECISION, c float(53), e char varying(5), g timestamp, h rowversion, "
     "i sql_variant)\nDECLARE @t TABLE (a DOUBLE PRECISION, b dec(5,2), c numeric(4), d integer)", 2),
    ("CREATE TABLE #t (a national text, b binary varying(8), c national character varying(max))\n"
     "DECLARE @b binary varying(4) = CAST(1 AS binary varying(4))", 2),
    ("SELECT e.personID FROM Enrollment e WHERE e.grade IN ('09', '10')\nIF (@@ROWCOUNT = 0) PRINT 'none'\n"
     "SELECT REPLACE(e.grade, '0', '') AS g FROM Enrollment e", 4),
    ("UPDATE e SET e.grade = '09' FROM Enrollment e WHERE e.calendarID = 4;\n"
     "DELETE e FROM Enrollment e WHERE e.calendarID = 4;\nDELETE FROM e FROM Enrollment e WHERE e.calendarID = 4;\n"
     "UPDATE #t WITH (ROWLOCK) SET a = 1;\nDELETE FROM #t WITH (TABLOCK) WHERE a IN (SELECT e.personID FROM Enrollment e);\n"
     "DELETE #t WHERE a = 1;\nUPDATE dbo.Enrollment SET grade = '09' WHERE calendarID = 4;", 7),
    # a label's colon, times in strings, and the functions of no arguments where SQL Server takes them
    ("DECLARE @n int = 0;\nagain:\nSET @n += 1;\nIF @n < 3 GOTO again;", 5),
    ("SELECT CONVERT(time, '10:30') AS t, GETDATE() AS [GETDATE], SYSDATETIME() AS now, CURRENT_TIMESTAMP AS ts, "
     "$1 AS dollar", 1),
    ("CREATE TABLE #log (at datetime2 DEFAULT CURRENT_TIMESTAMP, who sysname DEFAULT SUSER_SNAME())", 1),
    ("TRUNCATE TABLE #roster\nDROP TABLE IF EXISTS #roster, dbo.roster\n", 2),
    ("DROP TABLE IF EXISTS #roster\nCREATE TABLE #roster (personID int)\nALTER TABLE #roster ADD grade varchar(4)\n"
     "ALTER TABLE dbo.roster DROP COLUMN grade", 4),
    # an IF after a statement that ends in a word naming an object's kind begins a statement of its own
    ("SELECT (SELECT s.name FROM School s FOR XML PATH(''), TYPE)\nIF NOT EXISTS (SELECT 1 FROM #roster) PRINT 'none'", 3),
])
def test_t_sql_like_other_databases_clauses_is_read(text, statements):
    """The T-SQL next to the other databases' clauses above: OUTPUT, EXCEPT, one SET each."""
    script = read_script(text)
    assert [(s.understood, s.error) for s in script.statements] == [(True, None)] * statements


@pytest.mark.parametrize(
    "text, procedure",
    [
        ("sp_who2", "sp_who2"),
        ("sp_help Person", "sp_help"),
        ("dbo.usp_StudentCounts @endYear = 2026", "usp_StudentCounts"),
        ("[dbo].[usp_List] 2026, N'9-12', -1, DEFAULT, @rows OUTPUT WITH RECOMPILE", "usp_List"),
        ("district..usp_Refresh", "usp_Refresh"),
        ("SELECT 1\nGO\nsp_who2", "sp_who2"),  # the first statement of the second batch
    ],
)
def test_a_procedure_named_first_in_its_batch_runs_as_its_exec(text, procedure):
    """SQL Server runs the procedure a batch's first statement names, without EXEC."""
    statement = read_script(text).statements[-1]
    assert (statement.keyword, statement.understood) == ("EXEC", True), statement.error
    assert isinstance(statement.tree, exp.Execute) and statement.tree.this.name == procedure
    assert statement.span.start == text.rfind("\n") + 1


def test_sp_executesql_named_first_in_its_batch_runs_its_sql():
    built, = read_script("sp_executesql @sql").statements
    assert built.dynamic
    named, inside = read_script("sp_executesql N'SELECT p.personID FROM Person p'").statements
    assert (named.keyword, inside.keyword, inside.understood, inside.nested) == ("EXEC", "SELECT", True, True)


@pytest.mark.parametrize(
    "text, near, reason",
    [
        # a keyword misspelt: sqlglot reads SELEC * FRM x as SELEC times FRM, named x
        ("SELEC * FRM Person x", "SELEC", "is one misspelt?"),
        ("SELECT 1;\nsp_who2", "sp_who2", "only as the first statement of a batch"),
        ("IF 1 = 1 BEGIN sp_who2 END", "sp_who2", "only as the first statement of a batch"),
        ("x = 1", "x", "is one misspelt?"),
        ("GETDATE()", "GETDATE", "is one misspelt?"),
        ("DECLARE @total int;\n@total = 5", "@total", "write SET before it"),
        ("1 + 1", "1", "one is missing or misspelt"),
        ("'Grade 9'", "'Grade 9'", "one is missing or misspelt"),
    ],
)
def test_a_statement_that_does_not_start_with_a_keyword_is_rejected_there(text, near, reason):
    error, pointed = rejected_at(read_script(text).statements[-1], text)
    assert "does not start with a T-SQL keyword" in error and reason in error
    assert pointed == near


@pytest.mark.parametrize(
    "text, near, reason",
    [
        # sqlglot takes the procedure's name for the alias of the PRINT's value
        ("PRINT 'done'\nsp_who2", "sp_who2", "nothing joins sp_who2 to the value before it"),
        ("PRINT 'Rows: ' @count", "@count", "nothing joins @count"),
        ("PRINT", "PRINT", "an expression is missing"),
        # OFFSET left out: the splitter takes the FETCH for a cursor's
        ("SELECT e.grade FROM Enrollment e ORDER BY e.grade\nFETCH NEXT 10 ROWS ONLY", "FETCH NEXT 10 ROWS ONLY",
         "needs OFFSET before it"),
        ("SELECT * FROM srv.campus.dbo.Person.x", "srv.campus.dbo.Person.x", "a name has at most four parts"),
        ("SELECT campus.dbo.Person.personID.x FROM Person", "campus.dbo.Person.personID.x", "at most four parts"),
        ("INSERT INTO #roster SET personID = 5, grade = '09'", "SET", "INSERT ... SET column = value is MySQL's"),
        ("INSERT dbo.roster\nSET personID = 5", "SET", "INSERT ... SET column = value is MySQL's"),
        ("SELECT e.personID FROM Enrollment e WHERE (e.personID, e.calendarID) IN (SELECT s.personID, s.calendarID "
         "FROM student s)", "(e.personID, e.calendarID)", "IN compares one value: SQL Server has no rows of values"),
        ("SELECT 1 FROM Enrollment e WHERE (e.personID, e.calendarID) NOT IN ((1, 2), (3, 4))",
         "(e.personID, e.calendarID)", "write EXISTS (SELECT 1 FROM ... WHERE ... = e.personID AND ... = e.calendarID)"),
    ],
)
def test_a_value_or_name_sql_server_rejects_is_pointed_at(text, near, reason):
    statement = read_script(text).statements[-1]
    assert not statement.understood and reason in statement.error
    assert text[statement.error_span.start:statement.error_span.end] == near


@pytest.mark.parametrize("text", [
    "PRINT 'addresses: ' + CAST(@count AS varchar(10))",
    "PRINT CASE WHEN @x = 1 THEN 'a' ELSE 'b' END",
    "PRINT @doc.value('(/a)[1]', 'int')",
    "PRINT 'x' COLLATE Latin1_General_CI_AS",
    "PRINT [dbo].[fn](1)",
    "SELECT p.personID FROM srv.campus.dbo.Person p",
    "SELECT p.personID FROM campus..Person p",
    "SELECT t.x.value('(/a)[1]', 'int'), 1.5 + 2.5 + 3.5 + 4.5 FROM #t t",
])
def test_values_and_names_of_every_allowed_form_are_read(text):
    statement, = read_script(text).statements
    assert statement.understood, statement.error


def test_a_misspelt_keyword_is_a_parse_finding_not_a_pass(check):
    report = check("SELECT 1;\nSELEC * FRM x")
    assert (report.statements, report.parsed) == (2, 1)
    assert [f.rule for f in report.findings if f.rule.startswith("PA")] == ["PA001"]


def test_counts_every_statement_and_those_understood():
    script = read_script("SELECT 1\nSELECT FROM WHERE\nPRINT 'x'\nDECLARE @a int")
    assert (len(script.statements), script.parsed) == (4, 3)


def test_a_print_without_semicolon_does_not_swallow_the_next_statement():
    assert keywords("PRINT 'a'\nSELECT 1") == [("PRINT", True), ("SELECT", True)]


def test_variables_named_like_keywords_are_names():
    assert keywords("DECLARE @end int = 1\nSELECT @end, t.[open] FROM #end t") == [("DECLARE", True), ("SELECT", True)]


@pytest.mark.parametrize("word", ["lock", "limit", "semi", "natural", "lateral", "qualify", "xor", "glob", "returning",
                                  "output", "using", "window"])
def test_words_t_sql_does_not_reserve_are_names(check, word):
    """LEFT JOIN CustomStudent lock ON ...: T-SQL does not reserve LOCK, LIMIT or OUTPUT, and SQL
    Server runs the query; the alias and a column so named are read as names."""
    sql = (f"SELECT s.studentNumber, {word}.value, s.{word} FROM student s WITH (NOEXPAND) "
           f"LEFT JOIN CustomStudent {word} ON {word}.personID = s.personID AND {word}.attributeID = 513 "
           "WHERE s.endYear = 2026\n")
    assert keywords(sql) == keywords(f"SELECT p.personID AS {word} FROM Person p") == [("SELECT", True)]
    found = check(sql)
    (column,) = [f for f in found.findings if f.rule == "CL003"]  # student has no such column; CustomStudent is found
    assert f"student has no column {word}" in column.message


def test_an_unclosed_parenthesis_does_not_swallow_the_statements_after_it():
    text = "SELECT a FROM t WHERE (b = 1\n  AND c IN (SELECT c FROM u)\nSELECT 3\nPRINT 'x'"
    assert keywords(text) == [("SELECT", False), ("SELECT", True), ("PRINT", True)]


# One of each kind of statement a district script holds, each alone on its line.
STATEMENT_KINDS = [
    'SELECT s.name FROM School s',
    'SELECT TOP 5 s.name FROM School s ORDER BY s.name',
    'INSERT INTO #t (a) VALUES (1)',
    'INSERT INTO #t SELECT s.schoolID FROM School s',
    'INSERT #t EXEC dbo.usp_x',
    'UPDATE #t SET a = 1 WHERE a = 2',
    'UPDATE t SET t.a = s.schoolID FROM #t t JOIN School s ON s.schoolID = t.a',
    'DELETE FROM #t WHERE a = 1',
    'DELETE t FROM #t t JOIN School s ON s.schoolID = t.a',
    'MERGE #t AS t USING School s ON s.schoolID = t.a WHEN MATCHED THEN UPDATE SET t.a = 1 WHEN NOT MATCHED THEN INSERT (a) VALUES (s.schoolID);',
    'WITH c AS (SELECT 1 AS a) SELECT a FROM c',
    'DECLARE @x int = 1',
    'DECLARE @t TABLE (a int)',
    'DECLARE c CURSOR FOR SELECT s.name FROM School s',
    'SET @x = 2',
    'SET NOCOUNT ON',
    'SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED',
    'SET @x += 1',
    'USE campus',
    "PRINT 'hello'",
    "RAISERROR ('x', 0, 1) WITH NOWAIT",
    "THROW 50000, 'x', 1",
    'EXEC dbo.usp_x @a = 1',
    "EXECUTE ('SELECT 1')",
    'CREATE TABLE #u (a int PRIMARY KEY)',
    'CREATE INDEX ix ON #u (a)',
    'DROP TABLE #u',
    'DROP TABLE IF EXISTS #u',
    'TRUNCATE TABLE #u',
    'OPEN c',
    'FETCH NEXT FROM c INTO @x',
    'CLOSE c',
    'DEALLOCATE c',
    'BEGIN TRAN',
    'COMMIT TRAN',
    'ROLLBACK',
    "WAITFOR DELAY '00:00:01'",
    'SELECT s.name INTO #v FROM School s',
    "IF @x = 1 PRINT 'one'",
    "IF @x = 1 BEGIN PRINT 'one' END ELSE PRINT 'two'",
    'WHILE @x < 3 SET @x = @x + 1',
    "BEGIN TRY SELECT 1 END TRY BEGIN CATCH PRINT 'e' END CATCH",
    'ALTER TABLE #u ADD b int',
    'GRANT SELECT ON dbo.School TO r',
    'UPDATE STATISTICS dbo.School',
    'DBCC CHECKDB',
    'CHECKPOINT',
    'SELECT s.name FROM School s UNION ALL SELECT s.name FROM School s',
    'SELECT s.name FROM School s WHERE EXISTS (SELECT 1 FROM Calendar c WHERE c.schoolID = s.schoolID)',
    "SELECT s.name FROM School s FOR XML PATH('')",
    'SELECT s.name FROM School s OPTION (RECOMPILE)',
    'RETURN',
    'GOTO done',
    'BREAK',
    'SELECT 1 AS a',
    'SELECT @x = COUNT(*) FROM School',
    "EXEC sp_executesql N'SELECT 1'",
    'CREATE STATISTICS st ON #u (a)',
    'INSERT INTO #t DEFAULT VALUES',
    'SELECT * FROM (VALUES (1), (2)) v(a)',
    'REVERT',
    'SAVE TRAN sp1',
    'SET IDENTITY_INSERT #u ON',
    'SET DATEFORMAT mdy',
    'KILL 55',
    'SET XACT_ABORT ON',
    "BULK INSERT #u FROM 'C:\\x.csv'",
    'GRANT EXECUTE ON dbo.usp_x TO r WITH GRANT OPTION',
    'ENABLE TRIGGER tr ON dbo.t',
    'DISABLE TRIGGER ALL ON dbo.t',
    'ALTER TABLE #u DISABLE TRIGGER ALL',
    'ALTER INDEX ix ON #u DISABLE',
    'ALTER TABLE #u ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES School (schoolID) ON DELETE CASCADE',
    "EXECUTE AS USER = 'bob'",
    'CREATE SYNONYM dbo.s FOR campus.dbo.School',
    'CREATE TYPE dbo.ids AS TABLE (id int)',
    'DROP STATISTICS #u.st',
    'done:',
    'SELECT s.name FROM School s UNION (SELECT s.name FROM School s)',
    'DECLARE k INSENSITIVE SCROLL CURSOR FOR SELECT s.name FROM School s',
    'EXEC dbo.usp_x @a = 1 WITH RECOMPILE',
    "SET @doc.modify('delete /a')",
    'BEGIN DISTRIBUTED TRAN',
    'CREATE TABLE dbo.h (id int, vf datetime2 GENERATED ALWAYS AS ROW START, vt datetime2 GENERATED ALWAYS AS ROW END, '
    'PERIOD FOR SYSTEM_TIME (vf, vt))',
    "SELECT s.name FROM School s FOR XML PATH(''), TYPE",
    "WITH XMLNAMESPACES ('urn:x' AS ns) SELECT s.name FROM School s FOR XML PATH('ns:s')",
    'WITH k AS (SELECT 1 AS a) MERGE #t AS t USING k ON t.a = k.a WHEN MATCHED THEN DELETE;',
    'SELECT s.name FROM School s ORDER BY s.name OFFSET 0 ROWS',
    'SELECT s.name FROM School s ORDER BY s.name OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY',
    'ALTER ROLE reporting ADD MEMBER bob',
    'ALTER TABLE #u ENABLE TRIGGER ALL',
]


def test_any_two_statements_on_consecutive_lines_are_read_as_two():
    alone = {text: [(s.keyword, s.understood) for s in read_script(text + "\n").statements] for text in STATEMENT_KINDS}
    assert all(understood for found in alone.values() for _, understood in found)
    wrong = []
    for first in STATEMENT_KINDS:
        for second in STATEMENT_KINDS:
            found = [(s.keyword, s.understood) for s in read_script(f"{first}\n{second}\n").statements]
            if found != alone[first] + alone[second]:
                wrong.append(f"{first!r} then {second!r}: {found}")
    assert not wrong, "\n".join(wrong[:20])


def test_a_profiler_capture_is_checked_inside_its_string(check):
    text = ("exec sp_executesql N'SELECT a.personID FROM Attendance a\n"
            "JOIN student s WITH (NOEXPAND) ON s.personID = a.personID\n"
            "WHERE s.grade = @grade',N'@grade nvarchar(4)',@grade=N'09'\n")
    report = check(text)
    found = {(f.rule, f.span.line, f.span.column): f for f in report.findings}
    assert not any(rule == "PA006" for rule, _, _ in found) and (report.statements, report.parsed) == (1, 1)
    assert ("SC001", 1, 45) in found and ("SC001", 2, 6) in found  # Attendance a, student s
    found = {f.rule: f for f in report.findings}
    assert "@grade is nvarchar(4), which outranks it" in found["PR004"].message
    assert report.risk.statements[0].span.line == 1 and any("Attendance" in d for d in report.risk.risk.drivers)


def test_the_sql_in_an_exec_string_is_given_as_sql_server_runs_it():
    text = "EXEC ('EXEC sp_executesql N''SELECT sch.name FROM School sch WHERE sch.number = ''''042'''''' ')"
    script = read_script(text)
    inner = script.statements[-1]
    assert inner.enclosing == ("EXEC", "EXEC") and inner.understood
    written = text[inner.span.start:inner.span.end]
    assert as_run(written, inner.enclosing) == "SELECT sch.name FROM School sch WHERE sch.number = '042'"


def test_what_is_dropped_for_sqlglot_leaves_what_the_query_reads():
    """The repairs drop how rows are stored, written or formatted: the query's tables, columns
    and conditions stay, and a column named like a storage option keeps its name."""
    create, parsed, bulk = read_script(
        "CREATE TABLE #c (sparse int NULL, rg uniqueidentifier ROWGUIDCOL NOT NULL) TEXTIMAGE_ON [PRIMARY]\n"
        "SELECT p.personID FROM Person p WHERE TRY_PARSE(p.stateID AS decimal(10, 2) USING 'en-US') > 5\n"
        "SELECT x.BulkColumn FROM OPENROWSET(BULK 'C:\\roster.json', SINGLE_CLOB) AS x"
    ).statements
    assert [column.name for column in create.tree.find_all(exp.ColumnDef)] == ["sparse", "rg"]
    assert {column.sql() for column in parsed.tree.find_all(exp.Column)} == {"p.personID", "p.stateID"}
    assert isinstance(parsed.tree.args["where"].this, exp.GT)
    assert "'C:\\roster.json'" in bulk.tree.args["from_"].sql("tsql")


def test_a_cursor_variable_is_declared_not_a_cursor():
    assert keywords("DECLARE @c CURSOR\nSET @c = CURSOR FOR SELECT a FROM t") == [("DECLARE", True), ("SET CURSOR", True)]


def test_a_temporal_tables_row_end_does_not_end_the_statement():
    text = ("CREATE TABLE dbo.h (id int NOT NULL PRIMARY KEY, vf datetime2 GENERATED ALWAYS AS ROW START NOT NULL,\n"
            "  vt datetime2 GENERATED ALWAYS AS ROW END NOT NULL, PERIOD FOR SYSTEM_TIME (vf, vt))\nSELECT 1")
    assert keywords(text) == [("CREATE", True), ("SELECT", True)]


def test_a_statement_may_open_with_the_parenthesis_of_its_query():
    statements = read_script("(SELECT s.name FROM School s) UNION (SELECT c.name FROM Calendar c);\n"
                             "(SELECT s.name FROM School s) ORDER BY 1").statements
    assert [(s.keyword, s.understood, type(s.tree)) for s in statements] == [
        ("SELECT", True, exp.Union), ("SELECT", True, exp.Subquery)]


@pytest.mark.parametrize("before", [
    "SELECT 3", "SELECT s.name FROM School s", "SELECT s.name FROM School s ORDER BY s.name DESC", "DECLARE @n int",
    "SET NOCOUNT ON", "SELECT c.name FROM Calendar c WHERE c.endYear = CASE WHEN @y = 0 THEN 2026 ELSE @y END",
    "EXEC dbo.p @n = @m OUTPUT", "SELECT {d '2026-01-05'}", "INSERT INTO #t SELECT 1",
    "MERGE #t AS t USING School s ON t.a = s.schoolID WHEN MATCHED THEN DELETE;",
    "ALTER DATABASE CampusSandbox SET RECOVERY SIMPLE WITH NO_WAIT",
    "SELECT p.personID FROM Person FOR SYSTEM_TIME ALL AS p", "SELECT p.personID FROM Person FOR SYSTEM_TIME ALL",
    "SELECT s.name FROM School s WHERE s.number = @end",
    # the statement an IF or a WHILE runs
    "IF @n > 0", "WHILE @n < 3", "IF (SELECT COUNT(*) FROM School) > 0", "IF OBJECT_ID('tempdb..#t') IS NULL",
])
def test_a_parenthesized_query_on_the_next_line_is_the_next_statement(before):
    first, second = keywords(f"{before}\n(SELECT 1) UNION (SELECT 2)")
    assert first[0].startswith(before.split()[0]) and first[1] and second == ("SELECT", True)


@pytest.mark.parametrize("before, word", [("EXEC dbo.proc", "proc"), ("SELECT 1 FROM dbo.function", "function")])
def test_a_name_that_is_a_reserved_word_ends_its_statement_before_a_parenthesized_query(before, word):
    """SQL Server rejects the bare reserved word as a name, and says so there; the query on the
    next line is still the next statement."""
    first, second = read_script(f"{before}\n(SELECT 1) UNION (SELECT 2)").statements
    assert f"{word} is a reserved word in T-SQL" in first.error
    assert (second.keyword, second.understood) == ("SELECT", True)


@pytest.mark.parametrize("text", [
    "INSERT INTO #t\n(SELECT 1)", "SELECT d.x FROM\n(SELECT 1 AS x) d", "SELECT s.name FROM School s WHERE s.schoolID IN\n(SELECT 1)",
    "SELECT 1 UNION\n(SELECT 2)", "SELECT a,\n(SELECT 1) AS b FROM t", "WITH x AS (SELECT 1 AS a)\n(SELECT a FROM x)",
    "IF EXISTS\n(SELECT 1) PRINT 1", "IF @n IN\n(SELECT 1) PRINT 1",
])
def test_a_parenthesized_query_that_continues_its_statement_stays_in_it(text):
    assert len(keywords(text)) == 1 + text.endswith("PRINT 1")


@pytest.mark.parametrize("hint", ["INDEX = IX_person", "INDEX = (IX_person)", "INDEX(IX_person)"])
def test_an_index_hint_is_read_however_it_is_spelled(hint):
    (statement,) = read_script(f"SELECT a.personID FROM Attendance a WITH ({hint}, NOLOCK)").statements
    hints = statement.tree.find(exp.WithTableHint).expressions
    assert [(h.name.upper(), [e.name for e in h.expressions]) for h in hints] == [("INDEX", ["IX_person"]), ("NOLOCK", [])]


@pytest.mark.parametrize("text, cursor, rest", [
    ("UPDATE Attendance SET status = 'P' WHERE CURRENT OF c", "c", "UPDATE Attendance SET status = 'P'"),
    ("DELETE FROM #t WHERE CURRENT OF GLOBAL [my rows]", "[my rows]", "DELETE FROM #t"),
    ("UPDATE a SET a.status = 'P' FROM Attendance a WHERE CURRENT OF @c OPTION (MAXDOP 1)", "@c",
     "UPDATE a SET a.status = 'P' FROM Attendance AS a OPTION(MAXDOP 1)"),
])
def test_a_change_of_the_row_a_cursor_is_on_is_read_with_its_cursor(text, cursor, rest):
    (statement,) = read_script(text).statements
    assert statement.understood and statement.cursor_row == cursor
    assert statement.tree.sql("tsql") == rest


def test_a_compound_multiplication_is_no_old_outer_join():
    text = ("DECLARE @n int = 2\nSET @n *= 3\nSELECT @n *= s.schoolID FROM School s WHERE s.schoolID = 1\n"
            "UPDATE c SET c.endYear = (SELECT MAX(y.endYear) FROM SchoolYear y WHERE y.active = 1), c.number *= 2 "
            "FROM Calendar c WHERE c.calendarID = 5")
    assert [s.understood for s in read_script(text).statements] == [True] * 4


def test_a_delete_of_the_first_rows_deletes_from_its_table_not_from_one_named_top():
    (statement,) = read_script("DELETE TOP (1000) FROM Attendance WHERE date < '2015-07-01'").statements
    assert [t.name for t in statement.tree.find_all(exp.Table)] == ["Attendance"]


def test_calls_with_commas_inside_their_arguments_and_the_districts_own_functions_are_read():
    text = ("SELECT CONVERT(decimal(10, 2), a.x), LEFT(CONCAT(a.y, ','), 2), dbo.LEFT(a.z), DATEADD(day, -1, (SELECT MAX(d) "
            "FROM t WHERE t.a IN (1, 2))), YEAR(ISNULL(a.date, GETDATE())) FROM Attendance a")
    assert keywords(text) == [("SELECT", True)]


def test_double_quotes_hold_text_while_quoted_identifier_is_off():
    text = ("SELECT \"A\" AS a\nSET QUOTED_IDENTIFIER OFF\nSELECT \"A\" AS b\nGO\nSELECT \"it's \"\"so\"\"\" AS c\n"
            "EXEC (\"SELECT s.name FROM School s WHERE s.number = '042'\")\nSET QUOTED_IDENTIFIER ON\nSELECT \"A\" AS d")
    statements = read_script(text).statements
    values = [s.tree.expressions[0].this for s in statements if s.keyword == "SELECT" and not s.nested]
    assert [type(value) for value in values] == [exp.Column, exp.Literal, exp.Literal, exp.Column]
    assert values[2].this == "it's \"so\""
    (inside,) = [s for s in statements if s.nested]  # the EXEC's string is read, at its place
    assert text[inside.span.start:inside.span.end] == "SELECT s.name FROM School s WHERE s.number = '042'"


def test_money_constants_are_numbers_and_dollar_names_are_names():
    text = "SELECT $PARTITION.pf_year(a.calendarID) FROM Attendance a WHERE a.calendarID > $100 AND a.calendarID <> -$5.25"
    (statement,) = read_script(text).statements
    assert sorted(literal.this for literal in statement.tree.find_all(exp.Literal)) == ["100", "5.25"]
    assert {column.sql("tsql") for column in statement.tree.find_all(exp.Column)} == {"a.calendarID"}


def test_no_function_of_sql_servers_is_taken_for_another_databases():
    from advisor.frontend.function_names import SQL_SERVERS

    for name in sorted(SQL_SERVERS):
        error = read_script(f"SELECT {name}(1)").statements[0].error or ""
        assert "SQL Server's functions" not in error and "another database's" not in error, name


def test_t_sql_that_looks_like_another_databases_is_read():
    text = ("SELECT {fn NOW()}, {fn LENGTH(c.name)}, dbo.NOW(), geography::Point(1, 2, 4326), c.[length], c.limit "
            "FROM Calendar c ORDER BY c.name OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY\n"
            "GRANT SELECT ON SCHEMA::dbo TO reporting\n"
            "WITH now (a) AS (SELECT 1), length (b) AS (SELECT 2) SELECT a, b FROM now, length\n"
            "CREATE TABLE length (a int)\n"
            "MERGE #t AS t USING School s ON t.a = s.schoolID WHEN MATCHED THEN DELETE;\n"
            "SELECT DISTINCT TOP 5 c.name FROM Calendar c\n"
            "SELECT c.name, COUNT(*) FROM Calendar c GROUP BY c.name, GROUPING SETS ((c.name), ()) ORDER BY 1\n"
            "DECLARE @t TABLE (a int, b int), @n int = 1\nSET DATEFORMAT mdy\nSET @n = 2\n"
            "SELECT 1 FROM School s JOIN (Calendar c JOIN Term t ON t.calendarID = c.calendarID) ON c.schoolID = s.schoolID "
            "JOIN Enrollment e JOIN Person p ON p.personID = e.personID ON e.schoolID = s.schoolID CROSS JOIN Grade g "
            "CROSS APPLY dbo.fn_x(s.schoolID) x WHERE s.schoolID IN (SELECT c2.schoolID FROM Calendar c2 INNER HASH JOIN "
            "Term t2 ON t2.calendarID = c2.calendarID) OPTION (HASH JOIN, LOOP JOIN)\n"
            "SELECT s.number, number, s.name AS string, CAST(s.number AS DOUBLE PRECISION) FROM School s\n"
            "DECLARE @t TABLE (number int DEFAULT 0, string varchar(10))\n"
            # names other databases' functions have: a district's table-valued function, a derived
            # table's columns, a CTE, IF's condition
            "SELECT p.personID, s.value FROM Person p, split(p.lastName, ',') s CROSS APPLY split(p.firstName, ' ') f\n"
            "SELECT w.n FROM (VALUES (1)) AS week (n) JOIN (VALUES (2)) hour (n) ON hour.n = week.n\n"
            "WITH mode (n) AS (SELECT 1) SELECT n FROM mode\n"
            "IF (1 = 1) SELECT dbo.strpos('a', 'b')\n"
            # the types named like other databases' functions
            "DECLARE @d date = CAST(GETDATE() AS date), @t time(0), @s datetime = CONVERT(datetime, '2026-01-05')\n"
            "CREATE TABLE #d (d date, t time(3), s datetime, r timestamp)\n"
            "SELECT d.[date] FROM Date (NOLOCK) d JOIN dbo.Date x ON x.d = d.d")
    assert [s.understood for s in read_script(text).statements] == [True] * 21


@pytest.mark.parametrize(
    "text, value",
    [
        ("SELECT e.personID FROM Enrollment e WHERE e.noShow", "e.noShow"),
        ("SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND NOT e.noShow", "e.noShow"),
        ("SELECT e.grade FROM Enrollment e GROUP BY e.grade HAVING COUNT(*)", "COUNT(*)"),
        ("SELECT IIF(e.noShow, 'no show', '') FROM Enrollment e", "e.noShow"),
        ("SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID WHERE e.endYear = 2026", "c.calendarID"),
        ("SELECT CASE WHEN e.noShow OR e.endYear = 2026 THEN 1 END FROM Enrollment e", "e.noShow"),
        ("SELECT e.personID FROM Enrollment e WHERE (e.noShow)", "e.noShow"),
        # an IF's or a WHILE's condition: the statement it runs is the next one
        ("IF OBJECT_ID('tempdb..#kids') DROP TABLE #kids", "OBJECT_ID('tempdb..#kids')"),
        ("IF (@debug) PRINT 'done'", "@debug"),
        ("WHILE @left BEGIN SET @left -= 1 END", "@left"),
    ],
)
def test_a_value_where_sql_server_needs_a_condition_is_pointed_at(text, value):
    statement = read_script(text).statements[0]
    assert not statement.understood and f"{value} is a value, not a condition" in statement.error
    assert text[statement.error_span.start : statement.error_span.end] == value


def test_conditions_of_every_kind_are_read():
    text = ("SELECT CASE e.grade WHEN 'KG' THEN 1 END FROM Enrollment e WHERE (((e.endYear = 2026))) AND e.grade LIKE 'x!%' "
            "ESCAPE '!' AND CONTAINS(e.grade, 'x') AND FREETEXT(e.grade, 'y') AND (e.noShow IS NULL OR NOT EXISTS "
            "(SELECT 1 FROM Calendar c WHERE c.calendarID = ANY (SELECT 1) AND c.endYear IS DISTINCT FROM e.endYear)) "
            "GROUP BY e.grade HAVING COUNT(*) > 1 AND MAX(e.endYear) BETWEEN 1 AND 2")
    assert keywords(text) == [("SELECT", True)]


def test_a_function_that_finds_nothing_is_compared_with_null():
    """IF OBJECT_ID('tempdb..#t') DROP TABLE #t means IS NOT NULL: OBJECT_ID returns NULL for a table
    that does not exist, and an id that could be 0 or negative for one that does."""
    (statement, _) = read_script("IF OBJECT_ID('tempdb..#kids') DROP TABLE #kids").statements
    assert "(OBJECT_ID('tempdb..#kids') IS NOT NULL)" in statement.error
    (statement, _) = read_script("IF @debug PRINT 'x'").statements
    assert "(@debug = 1, @debug > 0)" in statement.error


def test_the_conditions_of_if_and_while_are_read():
    text = ("IF OBJECT_ID('tempdb..#kids') IS NOT NULL DROP TABLE #kids\nIF (SELECT COUNT(*) FROM School) > 0 PRINT 1\n"
            "IF EXISTS (SELECT 1) PRINT 1\nIF @x IN (1, 2) OR @x LIKE 'a%' PRINT 1\nWHILE 1 = 1 BREAK\n"
            "WHILE @@FETCH_STATUS = 0 FETCH NEXT FROM c\nIF UPDATE(grade) PRINT 'a trigger changed the grade'\n"
            "IF UPDATE(grade) OR NOT UPDATE (score) PRINT 'and not the score'\nIF (UPDATE(grade) AND @x = 1) PRINT 1")
    assert all(understood for _, understood in keywords(text))
