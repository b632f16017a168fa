"""No input, however broken, crashes the front end or the analysis: it reports instead."""

import json
import math
import random
import subprocess
import sys

import pytest
from conftest import sqladvise
from corpus import sample_files

from advisor.analysis.flatten import MOST_TABLE_READS
from advisor.analysis.resolve import DEEPEST_CTES
from advisor.frontend.parse import DEEPEST, read_script

_WORDS = (
    "SELECT FROM WHERE IF BEGIN END ELSE WHILE ( ) , ; ' \" [ ] /* */ -- GO\n \n CASE WHEN THEN "
    "AND OR = @x #t a b 1 INSERT INTO EXEC SET DECLARE CURSOR FOR WITH AS UNION TRY CATCH CREATE "
    "PROCEDURE VIEW TABLE RETURN OPTION PRINT RAISERROR : . * N'x' 0x1 $ { < > student Attendance "
    "DELETE UPDATE CROSS APPLY TOP ALTER GRANT TO ENABLE TRIGGER USE 1=0 $(x) :setvar \u00a0 \u2019"
).split(" ")


@pytest.mark.parametrize("seed", range(6))
def test_random_keyword_soup_is_reported_not_raised(seed, check):
    generator = random.Random(seed)
    for _ in range(150):
        text = " ".join(generator.choice(_WORDS) for _ in range(generator.randrange(0, 50)))
        report = check(text)
        assert report.statements >= report.parsed
        assert all(f.span is not None for f in report.findings)


_PIECES = ("JOIN", "ON", "(", ")", ",", "WHERE", "\nGO\n", "BEGIN", "END", "CASE", "WHEN", "SELECT", "FROM", "AND", "OR",
           "NULL", "'", "--", "/*", "[", "@x", "#t", "OVER (", "CROSS APPLY", "UNION", "WITH x AS (", "EXISTS (", "IN (",
           ";", "=", "*", "TOP 5", "GROUP BY", "INTO #z", "IF 1 = 1", "ELSE", "PIVOT (", "N'x'")


def _near_miss(text: str, generator: random.Random) -> str:
    """A sample with a slip in it: cut short, a stretch left out or written twice, or a few words
    or symbols put in at random places. Such text reaches far deeper into the analysis than
    keyword soup does."""
    at = generator.randrange(len(text) + 1)
    span = min(len(text), at + generator.randrange(1, 60))
    slip = generator.randrange(4)
    if slip == 0:
        return text[:at]
    if slip == 1:
        return text[:at] + text[span:]
    if slip == 2:
        return text[:span] + text[at:]
    for _ in range(generator.randrange(1, 4)):
        at = generator.randrange(len(text) + 1)
        text = f"{text[:at]} {generator.choice(_PIECES)} {text[at:]}"
    return text


def test_the_samples_with_slips_in_them_are_reported_not_raised(check):
    generator = random.Random(7)
    for path in sample_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        for _ in range(2):
            report = check(_near_miss(text, generator))
            assert report.statements >= report.parsed
            assert all(f.span is not None for f in report.findings)


@pytest.mark.parametrize("seed", range(4))
def test_random_bytes_are_reported_not_raised(seed, check):
    generator = random.Random(1000 + seed)
    for _ in range(40):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 1500)))
        report = check(data)
        assert report.findings  # unreadable, unparsable or at least authorless: never silent


@pytest.mark.parametrize("text", [
    "SELECT " + "(" * 5000 + "1" + ")" * 5000,
    "SELECT CASE " + "WHEN 1 = 1 THEN CASE " * 2500 + "WHEN 1 = 1 THEN 0" + " END" * 2501,  # sqlglot's own limit
])
def test_deep_nesting_is_a_parse_finding(text):
    statement = read_script(text).statements[0]
    assert not statement.understood and "nests too deeply" in statement.error


NESTED = {  # n levels of each kind of nesting, around one Person
    "IN": lambda n: "SELECT p.personID FROM Person p WHERE p.personID IN (SELECT p.personID FROM Person p WHERE p.personID IN (" * n
                    + "SELECT 1" + "))" * n,
    "EXISTS": lambda n: "SELECT 1 FROM Person p0 WHERE " + "".join(
        f"EXISTS (SELECT 1 FROM Person p{i} WHERE p{i}.personID = p{i - 1}.personID AND " for i in range(1, n + 1)) + "1 = 1" + ")" * n,
    "derived tables": lambda n: "SELECT * FROM " + "(SELECT * FROM " * n + "Person" + ") x" * n,
    "scalar subqueries": lambda n: "SELECT " + "(SELECT " * n + "1" + ")" * n + " FROM Person",
    "function calls": lambda n: "SELECT p.personID FROM Person p WHERE " + "ISNULL(" * n + "p.stateID" + ", 'x')" * n + " = 'y'",
}


@pytest.mark.parametrize("kind", NESTED)
def test_nesting_to_the_limit_is_analysed_and_deeper_is_reported_where_it_starts(check, kind):
    make = NESTED[kind]
    levels = DEEPEST // 2 if kind == "IN" else DEEPEST  # each IN level above opens two parentheses
    deepest = check(make(levels) + "\nSELECT s.name FROM School s\n")
    assert (deepest.statements, deepest.parsed) == (2, 2) and not any(f.rule == "PA001" for f in deepest.findings)
    too_deep = check(make(levels + 1) + "\nSELECT s.name FROM School s\n")
    (finding,) = [f for f in too_deep.findings if f.rule == "PA001"]
    assert (too_deep.statements, too_deep.parsed) == (2, 1)
    assert f"parentheses more than {DEEPEST} deep" in finding.message
    assert too_deep.lines.text[finding.span.start:finding.span.end] == "(" and finding.span.line == 1


def _doubling_ctes(levels: int) -> str:
    """Each CTE joins the one before to itself: expanded, the statement reads Person 2^levels times."""
    ctes = ["c0 AS (SELECT personID FROM Person)"] + [
        f"c{i} AS (SELECT a.personID FROM c{i - 1} a JOIN c{i - 1} b ON b.personID = a.personID)" for i in range(1, levels + 1)]
    return "WITH " + ",\n".join(ctes) + f"\nSELECT personID FROM c{levels}\n"


@pytest.mark.parametrize("levels", [10, 40])
def test_a_statement_that_expands_past_the_limit_is_a_finding_and_the_next_statement_is_estimated(check, levels):
    report = check(_doubling_ctes(levels) + "SELECT a.personID FROM Attendance a\n")
    (finding,) = [f for f in report.findings if f.rule == "SH018"]
    assert finding.span.line == 1 and f"more than {MOST_TABLE_READS:,} tables" in finding.message
    (estimated,) = report.risk.statements
    assert estimated.index == 1 and estimated.risk.estimated_seconds > 0
    assert any(f.rule == "SC001" and f.span.line == levels + 3 for f in report.findings)  # the second statement's scope


def test_a_file_whose_only_query_is_too_large_has_no_estimate_rather_than_a_low_one(check, tmp_path):
    assert check(_doubling_ctes(10)).risk is None
    (tmp_path / "runaway.sql").write_text(_doubling_ctes(10))
    run = sqladvise("batch", "runaway.sql", "--format", "csv", "--report", "review.html", cwd=tmp_path)
    assert run.code == 1 and ",checked,,," in run.stdout and (tmp_path / "review.html").exists()


def test_a_statement_within_the_limit_is_estimated(check):
    report = check(_doubling_ctes(9))  # 512 reads of Person
    assert not any(f.rule == "SH018" for f in report.findings)
    (estimated,) = report.risk.statements
    assert estimated.risk.estimated_seconds > 0


def test_temp_tables_each_the_one_before_joined_to_itself_are_estimated_past_what_a_float_holds(check):
    """Each fill squares the rows of the one before: the tenth would be more than 1e308 rows."""
    script = "SELECT e.personID, e.calendarID INTO #t0 FROM Enrollment e\n" + "".join(
        f"SELECT a.personID, a.calendarID INTO #t{i} FROM #t{i - 1} a JOIN #t{i - 1} b ON b.personID = a.personID\n"
        for i in range(1, 13))
    report = check(script)
    assert report.parsed == 13 and len(report.risk.statements) == 13
    assert report.risk.risk.band == "high" and all(math.isfinite(s.risk.estimated_seconds) for s in report.risk.statements)


def _chained_ctes(levels: int) -> str:
    """CTEs each reading the one before, the first Enrollment's rows, then an UPDATE of a temp
    table from the last, by personID."""
    ctes = ["c0 AS (SELECT e.personID, e.grade FROM Enrollment e WHERE e.endYear = 2026)"] + [
        f"c{i} AS (SELECT x.personID, x.grade FROM c{i - 1} x)" for i in range(1, levels)]
    return ("WITH " + ",\n".join(ctes) + f"\nUPDATE k SET k.grade = x.grade FROM #kids k JOIN c{levels - 1} x "
            "ON x.personID = k.personID\n")


def test_a_chain_of_ctes_is_followed_to_the_limit_and_said_to_stop_where_it_does(check):
    whole = check(_chained_ctes(DEEPEST_CTES))
    assert not any(f.rule == "SH018" for f in whole.findings)
    assert any(f.rule == "JN006" for f in whole.findings)  # Enrollment's rows, followed through every CTE
    longer = check(_chained_ctes(DEEPEST_CTES + 1))
    (stopped,) = [f for f in longer.findings if f.rule == "SH018"]
    assert (stopped.severity, stopped.span.line) == ("info", DEEPEST_CTES + 2)  # where the UPDATE reads the last
    assert stopped.message.startswith(f"c{DEEPEST_CTES} ends a chain of more than {DEEPEST_CTES} CTEs, each reading "
                                      "the one before")
    assert not any(f.rule == "JN006" for f in longer.findings)
    # hundreds deep, as a generator writes them: checked, and said to stop after each stretch it follows
    generated = check(_chained_ctes(400))
    assert generated.parsed == 1
    assert len([f for f in generated.findings if f.rule == "SH018"]) == 400 // (DEEPEST_CTES + 1)


@pytest.mark.parametrize("text", ["DELETE School s", "DELETE t x WHERE x.a = 1",
                                  "SELECT s.name FROM School s OUTER APPLY .",
                                  # a MERGE without its ON, or inserting a half-written DEFAULT VALUES: flags
                                  # where parts stand
                                  "MERGE dbo.Kids k USING Person p WHEN MATCHED THEN DELETE;",
                                  "MERGE dbo.Kids k USING Person p ON k.personID = p.personID "
                                  "WHEN NOT MATCHED THEN INSERT DEFAULT;"])
def test_a_statement_sqlglot_files_oddly_is_analysed(check, text):
    report = check(text + "\nSELECT s.name FROM School s\n")
    assert (report.statements, report.parsed) == (2, 2) and report.risk is not None


def test_a_reserved_word_sqlglot_takes_for_a_table_is_reported_and_the_rest_analysed(check):
    report = check("DELETE CASCADE $(x)\nSELECT s.name FROM School s\n")
    assert (report.statements, report.parsed) == (2, 1) and report.risk is not None
    (rejected,) = [f for f in report.findings if f.rule == "PA001"]
    assert "CASCADE is a reserved word in T-SQL" in rejected.message


def test_a_long_else_if_chain_is_read_statement_by_statement(check):
    branches = "\n".join(f"{'IF' if i == 0 else 'ELSE IF'} @grade = {i}\n    SELECT s.name FROM School s WHERE s.schoolID = {i}"
                         for i in range(600))
    report = check("DECLARE @grade int = 3\n" + branches + "\nELSE\n    PRINT 'none'\n")
    assert (report.statements, report.parsed) == (1202, 1202)


def test_blocks_nested_too_deeply_are_one_finding_for_their_batch_and_the_next_batch_is_read(check):
    deep = "BEGIN\n" * 1000 + "SELECT s.name FROM School s\n" + "END\n" * 1000
    report = check(deep + "GO\nSELECT s.name FROM School s\n")
    (finding,) = [f for f in report.findings if f.rule == "PA001"]
    assert "nests its blocks too deeply" in finding.message and finding.span.line == 1
    assert (report.statements, report.parsed) == (2, 1)


@pytest.mark.parametrize("statement", [
    "DECLARE @s varchar(10)\nSET @s = {}",  # a value that holds no query: its tree is walked for one
    "DECLARE @s varchar(10)\nSELECT @s = {} FROM School s",
    "SELECT CAST({} AS varchar) AS v FROM School s",
])
def test_a_value_joined_from_thousands_of_strings_is_read(check, statement):
    """Dynamic SQL built with + in one statement nests as deep as it is long: 3,000 strings."""
    report = check(statement.format(" + ".join(["'ab'"] * 3000)) + "\n")
    assert report.parsed == report.statements
    assert "CL017" in {f.rule for f in report.findings}  # varchar(10), and CAST's varchar(30): 6,000 characters


@pytest.mark.parametrize("statement", [
    "SELECT a.personID / ({}) AS share FROM Attendance a WHERE a.calendarID = 5",  # SH020 asks if it is whole
    "SELECT {} AS v FROM School s",  # CL013 takes the pieces of a concatenation
])
def test_a_value_of_thousands_of_terms_is_checked(check, statement):
    terms = " + ".join(["a.presentMinutes" if "Attendance" in statement else "s.name"] * 3000)
    report = check(statement.format(terms) + "\n")
    assert (report.statements, report.parsed) == (1, 1)


def test_a_long_union_chain_is_read(check):
    text = "\nUNION ALL\n".join(f"SELECT {i} AS n FROM School" for i in range(1500))
    report = check(text)
    assert (report.statements, report.parsed) == (1, 1)


def test_a_large_file_is_read_whole(check):
    statement = "SELECT sch.schoolID, sch.name FROM School sch WHERE sch.number = '{n}'\n"
    text = "".join(statement.format(n=n) for n in range(3000))
    report = check(text)
    assert (report.statements, report.parsed) == (3000, 3000)


NESTED_ARRAYS = "[" * 100_000 + "]" * 100_000
DEEP_INPUTS = {  # each file the user can hand sqladvise, nested past what a recursive parser follows
    "catalog": ("deep.json", NESTED_ARRAYS, ("check", "--catalog", "deep.json", "q.sql"), 3,
                "deep.json: its JSON nests too deeply to be a catalog"),
    "baseline": ("deep.json", NESTED_ARRAYS, ("check", "--baseline", "deep.json", "q.sql"), 3,
                 "deep.json: not a sqladvise baseline: its JSON nests too deeply"),
    "settings": ("deep.toml", f"x = {NESTED_ARRAYS}\n", ("check", "--config", "deep.toml", "q.sql"), 3,
                 "deep.toml: not a settings file: its TOML nests too deeply"),
    "filter dump": ("deep.jsonl", NESTED_ARRAYS + '\n{"name": "ok", "kind": "sql", "sql": "SELECT s.name FROM School s"}\n',
                    ("batch", "--format", "json", "deep.jsonl"), 2, "deep.jsonl:1: skipped: not a filter: its JSON nests too deeply"),
}


@pytest.mark.parametrize("kind", DEEP_INPUTS)
def test_deeply_nested_input_files_get_a_one_line_error(tmp_path, kind):
    name, text, args, code, message = DEEP_INPUTS[kind]
    (tmp_path / name).write_text(text)
    (tmp_path / "q.sql").write_text("SELECT s.name FROM School s\n")
    run = sqladvise(*args, cwd=tmp_path)
    assert run.code == code and message in run.stderr and "Traceback" not in run.stderr



_WITH_LITTLE_MEMORY = """
import resource, sys
from advisor.cli import main
size = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmSize")) * 1024
resource.setrlimit(resource.RLIMIT_AS, (size + 100 * 2**20, resource.getrlimit(resource.RLIMIT_AS)[1]))
sys.argv = ["sqladvise", *sys.argv[1:]]
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sets the process's memory limit the Linux way")
@pytest.mark.parametrize("megabytes", [20, 150], ids=["while checking it", "while reading it"])
def test_a_file_too_large_for_the_memory_left_is_reported_and_the_next_file_is_checked(tmp_path, megabytes):
    statement = "SELECT sch.schoolID, sch.name FROM School sch WHERE sch.number = '0001'\n"
    (tmp_path / "all_filters.sql").write_text(statement * (megabytes * 2**20 // len(statement) + 1))
    (tmp_path / "small.sql").write_text("SELECT a.personID FROM Attendance a\n")
    # 100 MB more than sqladvise holds once started: each MB of SQL needs some 200
    done = subprocess.run([sys.executable, "-c", _WITH_LITTLE_MEMORY, "check", "--format", "json", "--jobs", "1",
                           "all_filters.sql", "small.sql"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert (done.returncode, done.stderr) == (2, "")
    large, small = json.loads(done.stdout)["files"]
    assert large["statements"] == 0 and [f["rule"] for f in large["findings"]] == ["PA002"]
    assert large["findings"][0]["message"] == ("This file could not be analysed: sqladvise ran out of memory on it "
                                               f"({megabytes}.0 MB of SQL).")
    assert large["findings"][0]["remediation"].startswith("Check it in parts: split the script at its GO lines")
    assert small["parsed"] == 1 and "SC001" in {f["rule"] for f in small["findings"]}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sets the process's memory limit the Linux way")
def test_running_out_of_memory_outside_a_file_is_one_line_and_exit_code_4():
    statement = b"SELECT sch.schoolID, sch.name FROM School sch\n"
    done = subprocess.run([sys.executable, "-c", _WITH_LITTLE_MEMORY, "check", "-"], capture_output=True,
                          input=statement * (150 * 2**20 // len(statement)), timeout=120)
    assert done.returncode == 4 and done.stdout == b""
    assert done.stderr.decode() == ("sqladvise: out of memory. Check the largest files on their own or in parts "
                                    "(split at GO), or on a machine with more memory.\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sets the process's memory limit the Linux way")
@pytest.mark.parametrize("name, megabytes", [("all_filters.sql", 20), ("export.csv", 150)])
def test_a_batch_input_too_large_for_the_memory_left_is_a_row_and_the_others_are_checked(tmp_path, name, megabytes):
    statement = "SELECT sch.schoolID, sch.name FROM School sch WHERE sch.number = '0001'\n"
    body = statement * (megabytes * 2**20 // len(statement) + 1)
    (tmp_path / "filters").mkdir()
    (tmp_path / "filters" / name).write_text(body if name.endswith(".sql") else f'name,kind,sql\nbig,sql,"{body}"\n')
    (tmp_path / "filters" / "small.sql").write_text("SELECT a.personID FROM Attendance a\n")
    done = subprocess.run([sys.executable, "-c", _WITH_LITTLE_MEMORY, "batch", "--format", "json", "--jobs", "1",
                           "filters/" + name, "filters/small.sql"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    large, small = json.loads(done.stdout)["filters"]
    assert (large["status"], large["problem"]) == ("bad input", f"sqladvise ran out of memory on it ({megabytes}.0 MB of SQL)")
    assert small["status"] == "checked" and "SC001" in {f["rule"] for f in small["findings"]}
