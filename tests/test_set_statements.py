"""SET: session options turned on or off or given a value, and variables given theirs. sqlglot
reads any word after SET as an option given a value; SQL Server knows its options."""

import pytest
from checked import rejected_at

from advisor.frontend.parse import read_script


@pytest.mark.parametrize(
    "text, keyword",
    [
        ("SET NOCOUNT ON", "SET OPTION"),
        ("SET ANSI_NULLS OFF;", "SET OPTION"),
        ("SET NOCOUNT, XACT_ABORT ON", "SET OPTION"),
        ("SET STATISTICS IO ON", "SET OPTION"),
        ("SET STATISTICS IO, TIME ON", "SET OPTION"),
        ("SET IDENTITY_INSERT dbo.[Course] ON", "SET OPTION"),
        ("SET FIPS_FLAGGER OFF", "SET OPTION"),
        ("SET NO_BROWSETABLE ON", "SET OPTION"),  # undocumented; drivers send it
        ("SET FIPS_FLAGGER 'ENTRY'", "SET"),
        ("SET DATEFIRST 7", "SET"),
        ("SET DATEFORMAT mdy", "SET"),
        ("SET DEADLOCK_PRIORITY LOW", "SET"),
        ("SET LOCK_TIMEOUT -1", "SET"),
        ("SET LANGUAGE [us_english]", "SET"),
        ("SET ROWCOUNT @n", "SET"),
        ("SET CONTEXT_INFO 0x01", "SET"),
        ("SET TRANSACTION ISOLATION LEVEL SNAPSHOT", "SET TRANSACTION ISOLATION LEVEL"),
        ("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "SET TRANSACTION ISOLATION LEVEL"),
        ("SET @x = 5", "SET"),
        ("SET @x += 5", "SET"),
        ("SET @doc.modify('delete /a')", "SET"),
        ("SET @c = CURSOR FAST_FORWARD FOR SELECT 1", "SET CURSOR"),
    ],
)
def test_every_form_of_set_sql_server_runs_is_read(text, keyword):
    statement, = read_script(text).statements
    assert (statement.keyword, statement.understood) == (keyword, True), statement.error


@pytest.mark.parametrize(
    "text, near, reason",
    [
        ("SET DATEFIRTS 7", "DATEFIRTS", "SET has no option DATEFIRTS, and a variable's name starts with @: is it DATEFIRST?"),
        ("SET NOCOUNTON", "NOCOUNTON", "SET has no option NOCOUNTON"),
        ("SET NOCOUNT, XACTABORT ON", "XACTABORT", "SET has no option XACTABORT"),
        ("SET TIME ON", "TIME", "SET has no option TIME"),
        ("SET NOCOUNT ONN", "ONN", "SET NOCOUNT takes ON or OFF"),
        ("SET NOCOUNT", "NOCOUNT", "SET NOCOUNT takes ON or OFF"),
        ("SET STATISTICS IO", "IO", "SET STATISTICS takes ON or OFF"),
        ("SET STATISTICS IOO ON", "STATISTICS", "names IO, TIME, XML or PROFILE"),
        ("SET NOCOUNT,, XACT_ABORT ON", ",", "an option's name is missing"),
        ("SET ROWCOUNT ON", "ROWCOUNT", "takes a value, not ON or OFF"),
        ("SET IDENTITY_INSERT ON", "IDENTITY_INSERT", "names a table before ON or OFF"),
        ("SET DATEFIRST", "DATEFIRST", "needs the value it sets"),
        ("SET TRANSACTION", "SET TRANSACTION", "takes one of READ UNCOMMITTED"),  # half-edited, as a fuzzer made it
        ("SET TRANSACTION ISOLATION LEVEL READ", "SET TRANSACTION ISOLATION LEVEL READ", "takes one of"),
        ("SET @x 5", "5", "the = between @x and its value is missing"),
        ("SET @total", "total", "the = between @total and its value is missing"),
    ],
)
def test_a_set_sql_server_rejects_is_pointed_at(text, near, reason):
    statement, = read_script(text).statements
    error, pointed = rejected_at(statement, text)
    assert reason in error
    assert pointed == near


def test_a_misspelt_option_is_a_parse_finding_and_the_script_goes_on(check):
    report = check("SET DATEFIRTS 7\nSELECT p.personID FROM Person p\n")
    assert (report.statements, report.parsed) == (2, 1)
    assert [(f.rule, f.span.line) for f in report.findings if f.rule.startswith("PA")] == [("PA001", 1)]
