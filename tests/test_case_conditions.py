"""Conditions written as a CASE, a conversion or a piece of a text, as SSRS reports and Query
Wizard exports write them: PR001's fix says the condition they stand for (checked in SQLite where
it can be), PR008 and SC001 know a parameter that turns a filter off, and the findings mark the
whole expression."""

import itertools
import sqlite3

import pytest
from checked import found

ATTENDANCE = "DECLARE @cal int, @type varchar(10)\nSELECT a.personID FROM Attendance a WHERE "




@pytest.mark.parametrize("condition, meant", [
    # the WHENs that pass come first: the row passes when one of them holds
    ("CASE WHEN @cal = 0 THEN 1 WHEN a.calendarID = @cal THEN 1 END = 1", "(@cal = 0 OR a.calendarID = @cal)"),
    ("CASE WHEN @type = 'ALL' THEN 1 WHEN @type = 'OPEN' AND a.excuseID IS NULL THEN 1 ELSE 0 END = 1",
     "(@type = 'ALL' OR (@type = 'OPEN' AND a.excuseID IS NULL))"),
    ("1 = CASE WHEN a.calendarID = @cal THEN 1 END", "a.calendarID = @cal"),
    ("CASE WHEN a.calendarID = @cal THEN 'Y' WHEN a.personID = 5 THEN 'N' ELSE 'N' END <> 'N'", "a.calendarID = @cal"),
])
def test_a_case_compared_with_a_value_is_given_the_conditions_it_stands_for(check, condition, meant):
    (hit,) = found(check, ATTENDANCE + condition + "\n", "PR001")
    assert hit.remediation.startswith("Write the conditions the CASE stands for in place of the CASE and its comparison")
    assert f"statistics on them: {meant}." in hit.remediation
    assert "OPTION (RECOMPILE)" in hit.remediation  # each of these tests a parameter


def test_a_simple_case_is_given_the_equalities_its_whens_test(check):
    sql = ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND "
           "CASE a.status WHEN 'A' THEN 'absent' WHEN 'T' THEN 'tardy' ELSE 'other' END = 'absent'\n")
    (hit,) = found(check, sql, "PR001")
    assert hit.remediation.endswith("statistics on them: a.status = 'A'.")  # no parameter: nothing to recompile


def test_a_long_case_is_written_out_whole(check):
    """A fix is SQL to paste: its pieces are never cut short as a message's quotes are."""
    when = "a.status IN ('A', 'T', 'U') AND a.excuseID NOT IN (3, 4, 5, 6) AND a.date >= DATEADD(month, -3, CAST(GETDATE() AS date))"
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CASE WHEN {when} THEN 1 END = 1\n",
                   "PR001")
    assert hit.remediation.endswith(f"statistics on them: {when}.") and "..." not in hit.remediation


@pytest.mark.parametrize("condition, meant", [
    ("CASE WHEN a.excuseID IS NULL THEN 0 ELSE 1 END = 1", "NOT a.excuseID IS NULL"),
    ("CASE WHEN a.excuseID IS NULL THEN 'N' WHEN a.periodID IS NOT NULL THEN 'N' ELSE 'Y' END = 'Y'",
     "NOT a.excuseID IS NULL AND a.periodID IS NULL"),
])
def test_a_case_whose_else_passes_is_given_the_null_tests_it_stands_for_negated(check, condition, meant):
    """A row passes when none of the WHENs holds; an IS NULL test is never unknown, so its
    negation keeps the same rows (SQLite, over every mix of NULLs)."""
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {condition}\n", "PR001")
    assert hit.remediation.endswith(f"statistics on them: {meant}.")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE a (excuseID, periodID)")
    db.executemany("INSERT INTO a VALUES (?, ?)", [(None, None), (3, None), (None, 7), (3, 7)])
    kept = [db.execute(f"SELECT excuseID, periodID FROM a WHERE {where.replace('a.', '')}").fetchall()
            for where in (condition, meant)]
    assert kept[0] == kept[1] and kept[0]


@pytest.mark.parametrize("condition", [
    "CASE WHEN a.status = 'P' THEN 0 WHEN a.excuseID = 3 THEN 1 ELSE 1 END = 1",  # the ELSE passes too
    "CASE WHEN a.status = 'P' THEN 0 WHEN a.excuseID = 3 THEN 1 END = 1",  # a failing WHEN comes first
    "CASE WHEN a.status = 'P' THEN a.excuseID ELSE 2 END = 1",  # a value known only as the query runs
])
def test_a_case_that_or_cannot_say_keeps_the_general_advice(check, condition):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {condition}\n", "PR001")
    assert hit.remediation.startswith("Write the conditions themselves, joined with AND and OR, instead of a CASE")


@pytest.mark.parametrize("condition, off", [
    ("a.calendarID = CASE WHEN @cal = 0 THEN a.calendarID ELSE @cal END", "@cal turns the filter off"),
    ("a.calendarID = IIF(@cal = 0, a.calendarID, @cal)", "@cal turns the filter off"),
    ("a.calendarID = ISNULL(NULLIF(@cal, 0), a.calendarID)", "@cal turns the filter off"),
    ("a.calendarID = ISNULL(@cal, a.calendarID)", "@cal is NULL"),
])
def test_a_column_a_parameter_can_compare_with_itself_is_a_catch_all(check, condition, off):
    (hit,) = found(check, ATTENDANCE + condition + "\n", "PR008")
    assert hit.message == (f"{condition} is a catch-all: SQL Server compiles one plan for both cases, one that must also "
                           f"work when {off}, so it reads Attendance (15.0M rows) whole even when a value is given.")
    assert found(check, ATTENDANCE + condition + "\n", "PR001") == []  # the row is compared with itself, not hidden


@pytest.mark.parametrize("condition", ["a.calendarID = CASE WHEN @cal = 0 THEN 5 ELSE @cal END",
                                       "a.calendarID = IIF(@cal = 0, a.personID, @cal)",
                                       # the column first: every row with a calendar passes, whatever @cal holds
                                       "a.calendarID = COALESCE(a.calendarID, @cal)"])
def test_a_case_that_never_gives_the_column_itself_is_no_catch_all(check, condition):
    assert found(check, ATTENDANCE + condition + "\n", "PR008") == []


@pytest.mark.parametrize("sql", [
    ATTENDANCE + "a.calendarID = ISNULL(@cal, a.calendarID)\n",
    ATTENDANCE.replace("Attendance a", "Attendance a JOIN Calendar c ON c.calendarID = a.calendarID")
    + "c.calendarID = ISNULL(@cal, c.calendarID)\n",
])
def test_unscoped_history_says_which_condition_a_parameter_turns_off(check, sql):
    (hit,) = found(check, sql, "SC001")
    condition = sql.rsplit("WHERE ", 1)[1].strip()
    assert hit.message == (f"Attendance (15.0M rows) is read for every school year: {condition} limits it only for some "
                           "values of @cal, and the one plan SQL Server compiles must also serve the runs it does not limit.")


@pytest.mark.parametrize("condition, advice", [
    ("CAST(e.grade AS int) = 9", "e.grade = '9' instead of CAST(e.grade AS int) = 9"),
    ("TRY_CONVERT(int, e.grade) IN (9, 10)", "e.grade IN ('9', '10') instead of TRY_CONVERT(int, e.grade) IN (9, 10)"),
    ("TRY_CAST(e.grade AS int) BETWEEN 9 AND 12",
     "e.grade IN ('9', '10', '11', '12') instead of TRY_CAST(e.grade AS int) BETWEEN 9 AND 12"),
])
def test_a_text_column_converted_to_a_number_is_compared_with_the_texts_it_holds(check, condition, advice):
    """Enrollment.grade is text ('09', 'KG'): the fix lists the values as text, and says that a
    range on the text would be another range."""
    (hit,) = found(check, f"SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND {condition}\n", "PR001")
    assert hit.remediation.startswith(f"Compare e.grade with the texts it holds: {advice}, each written as the column "
                                      "writes it (with a leading zero, if it keeps one)")
    assert ("text sorts '12' before '9'" in hit.remediation) == ("BETWEEN" in condition)


@pytest.mark.parametrize("condition", ["CAST(e.grade AS int) >= 9", "CAST(e.grade AS int) BETWEEN 1 AND 90"])
def test_a_range_of_numbers_too_wide_to_list_says_why_the_text_range_differs(check, condition):
    (hit,) = found(check, f"SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND {condition}\n", "PR001")
    assert hit.remediation.startswith("Compare e.grade with the texts it holds, listed with IN (...), rather than "
                                      "converting every row; a range on the text itself is another range, as text sorts "
                                      "'9' after '12'.")


@pytest.mark.parametrize("converted", ["CONVERT(varchar(4), c.endYear)", "CAST(c.endYear AS varchar(10))"])
def test_a_number_column_converted_to_text_and_compared_with_a_number_s_text_is_compared_with_the_number(check, converted):
    """The fix said to compare with "a value of its own type" without writing it."""
    condition = f"{converted} = '2026'"
    (hit,) = found(check, f"SELECT c.calendarID FROM Calendar c WHERE {condition}\n", "PR001")
    assert hit.remediation == f"Compare c.endYear with the number itself: c.endYear = 2026 instead of {condition}."
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Calendar (calendarID, endYear)")
    db.executemany("INSERT INTO Calendar VALUES (?, ?)", [(1, 2025), (2, 2026)])
    rows = [db.execute(f"SELECT c.calendarID FROM Calendar c WHERE {text}").fetchall()
            for text in ("CAST(c.endYear AS text) = '2026'", "c.endYear = 2026")]
    assert rows[0] == rows[1] == [(2,)]


def test_a_text_column_converted_and_compared_with_another_table_s_is_given_no_list_of_texts(check):
    """Last year's grade against this year's: no list of texts stands for the other row's grade,
    where the fix said to list them with IN."""
    sql = ("SELECT cur.personID FROM Enrollment cur JOIN Enrollment prev ON prev.personID = cur.personID\n"
           "WHERE cur.endYear = 2026 AND prev.endYear = 2025 AND CAST(prev.grade AS int) > CAST(cur.grade AS int)\n")
    fixes = [hit.remediation for hit in found(check, sql, "PR001")]
    assert fixes == [f"Keep the conversion: the other side is a column too ({other}), so no list of texts can stand for it, "
                     "and as text, numbers compare in another order ('9' after '12'). What it costs is its work on each "
                     "row compared; fewer rows, fewer conversions." for other in ("cur.grade", "prev.grade")]


@pytest.mark.parametrize("sql, rule, marked", [
    (ATTENDANCE + "CASE WHEN @cal = 0 THEN 1 WHEN a.calendarID = @cal THEN 1 END = 1", "PR001",
     "CASE WHEN @cal = 0 THEN 1 WHEN a.calendarID = @cal THEN 1 END"),
    (ATTENDANCE + "a.calendarID = CASE WHEN @cal = 0 THEN a.calendarID ELSE @cal END", "PR008",
     "a.calendarID = CASE WHEN @cal = 0 THEN a.calendarID ELSE @cal END"),
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CASE WHEN CAST(a.status AS int) > 1 THEN a.status "
     "ELSE NULL END = 'x'", "PR001", "CASE WHEN CAST(a.status AS int) > 1 THEN a.status ELSE NULL END"),
    ("SELECT s.personID FROM student s WITH (NOEXPAND) WHERE NOT s.grade = '12' AND s.endYear = 2026 OR s.endDate IS NULL",
     "PR009", "NOT s.grade = '12' AND s.endYear = 2026 OR s.endDate IS NULL"),
    # the last WHEN's NULL has no place either, and a NULL may stand in parentheses
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CASE WHEN a.status = 'A' THEN NULL ELSE NULL END "
     "= 'x'", "PR001", "CASE WHEN a.status = 'A' THEN NULL ELSE NULL END"),
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CASE WHEN a.status = 'A' THEN 1 ELSE (NULL) END = 1",
     "PR001", "CASE WHEN a.status = 'A' THEN 1 ELSE (NULL) END"),
])
def test_a_finding_marks_a_case_from_its_case_to_its_end(check, sql, rule, marked):
    """sqlglot keeps no position for CASE, WHEN, END, NOT or NULL."""
    report = check(sql)
    spans = [f.span for f in report.findings if f.rule == rule]
    assert marked in [report.lines.text[span.start:span.end] for span in spans]


def _rewritten_cases(check) -> list[tuple[str, str]]:
    """CASE conditions of many shapes, each with the conditions PR001's fix says it stands for."""
    tests = ["a.status = 'A'", "a.excuseID IS NULL", "a.excuseID > 2", "a.status <> 'T' AND a.periodID = 1",
             "a.periodID = 2 OR a.excuseID = 1", "a.status = 'T' OR a.periodID = 1"]
    cases = []
    for first, second in itertools.permutations(tests, 2):
        for then, other, default in itertools.product(("1", "0"), ("1", "0"), ("", " ELSE 0", " ELSE 1")):
            cases.append(f"CASE WHEN {first} THEN {then} WHEN {second} THEN {other}{default} END = 1")
    cases += [f"CASE a.status WHEN 'A' THEN {x} WHEN 'T' THEN {y} END {op} 'Y'"
              for x, y in itertools.product(("'Y'", "'N'"), repeat=2) for op in ("=", "<>")]
    found = []
    for case in cases:
        (hit,) = [f for f in check(f"SELECT a.personID FROM Attendance a WHERE {case}\n").findings
                  if f.rule == "PR001" and f.message.startswith("CASE")] or [None]
        if hit is not None and "statistics on them: " in hit.remediation:
            meant = hit.remediation.split("statistics on them: ", 1)[1].split(". Where a parameter", 1)[0]
            found.append((case, meant.removesuffix(".")))
    return found


def test_the_conditions_a_case_stands_for_keep_the_same_rows_in_a_real_database(check):
    """Run in SQLite over rows with NULLs in every column: a CASE's WHEN that is unknown is not
    taken, and the OR drops it as well."""
    rewritten = _rewritten_cases(check)
    assert len(rewritten) >= 120  # each shape whose WHENs that pass come first and whose ELSE fails
    values = {"status": ("'A'", "'T'", "NULL"), "excuseID": ("1", "3", "NULL"), "periodID": ("1", "2", "NULL")}
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Attendance (personID INTEGER PRIMARY KEY, status TEXT, excuseID INT, periodID INT)")
    db.executemany("INSERT INTO Attendance (status, excuseID, periodID) VALUES (?, ?, ?)",
                   [tuple(None if v == "NULL" else v.strip("'") if v.startswith("'") else int(v) for v in row)
                    for row in itertools.product(*values.values())])
    for case, meant in rewritten:  # each in place of the CASE beside an AND, as the author would put it
        rows = [db.execute(f"SELECT a.personID FROM Attendance a WHERE a.periodID = 1 AND {condition} ORDER BY 1").fetchall()
                for condition in (case, meant)]
        assert rows[0] == rows[1], (case, meant)


def test_a_column_tested_for_null_keeps_the_rows_isnull_kept_in_a_real_database(check):
    """ISNULL(a.excuseID, 0) op v as PR001's fix writes it, run in SQLite (IFNULL there)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Attendance (personID INTEGER PRIMARY KEY, excuseID INT)")
    db.executemany("INSERT INTO Attendance (excuseID) VALUES (?)", [(None,), (0,), (1,), (2,), (5,)])
    for stand_in, operator, value in itertools.product(("0", "2", "9"), ("=", "<>", "<", "<=", ">", ">="), ("0", "2", "4")):
        condition = f"ISNULL(a.excuseID, {stand_in}) {operator} {value}"
        (hit,) = [f for f in check(f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n").findings
                  if f.rule == "PR001"]
        meant = hit.remediation.removeprefix("Test the column itself: ").split(" instead of ", 1)[0]
        rows = [db.execute(f"SELECT a.personID FROM Attendance a WHERE {text} ORDER BY 1").fetchall()
                for text in (condition.replace("ISNULL(", "IFNULL("), meant)]
        assert rows[0] == rows[1], (condition, meant)


def test_a_number_added_to_a_column_moves_to_the_value_side_and_keeps_the_same_rows_in_a_real_database(check):
    """c.endYear + 1 = 2026 is c.endYear = 2025: run both in SQLite, each operator, added or taken
    away, on either side, under NOT too."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Calendar (calendarID INTEGER PRIMARY KEY, endYear INT)")
    db.executemany("INSERT INTO Calendar (endYear) VALUES (?)", [(None,), (2024,), (2025,), (2026,), (2027,)])
    shapes = ["c.endYear + 1 {op} 2026", "c.endYear - 2 {op} 2024", "1 + c.endYear {op} 2026", "2026 {op} c.endYear + 1",
              "NOT (c.endYear - 1 {op} 2025)"]
    for shape, op in itertools.product(shapes, ("=", "<>", "<", "<=", ">", ">=")):
        if shape.startswith("NOT") and op in ("=", "<>"):
            continue  # no one comparison is read under a NOT of these: the general advice
        condition = shape.format(op=op)
        (hit,) = found(check, f"SELECT c.calendarID FROM Calendar c WHERE {condition}\n", "PR001")
        meant = hit.remediation.split("stands alone: ", 1)[1].split(" instead of ", 1)[0]
        assert meant.startswith("c.endYear ") and "+" not in meant and "-" not in meant, (condition, meant)
        rows = [db.execute(f"SELECT c.calendarID FROM Calendar c WHERE {text} ORDER BY 1").fetchall()
                for text in (condition, meant)]
        assert rows[0] == rows[1], (condition, meant)


def test_a_placeholder_end_date_against_a_day_that_is_never_null_keeps_the_open_spans_in_a_real_database(check):
    """ISNULL(e.endDate, '9999-12-31') >= d.date: Day.date is never NULL and holds days of the
    school years, which the placeholder is after, so the open enrollments are kept whole; a real
    date as the stand-in is tested as the query runs. SQLite compares the ISO dates as text."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Enrollment (personID INTEGER PRIMARY KEY, endDate TEXT)")
    db.executemany("INSERT INTO Enrollment (endDate) VALUES (?)", [(None,), ("2025-09-30",), ("2026-06-05",)])
    db.execute("CREATE TABLE Day (date TEXT NOT NULL)")
    db.executemany("INSERT INTO Day VALUES (?)", [("2025-09-01",), ("2025-12-01",), ("2026-06-05",)])
    for condition, advice in [
        ("ISNULL(e.endDate, '9999-12-31') >= d.date", "(e.endDate >= d.date OR e.endDate IS NULL)"),
        ("d.date < ISNULL(e.endDate, '2099-12-31')", "(e.endDate > d.date OR e.endDate IS NULL)"),
        ("ISNULL(e.endDate, '2025-11-01') >= d.date", "(e.endDate >= d.date OR (e.endDate IS NULL AND '2025-11-01' >= d.date))"),
    ]:
        sql = f"SELECT e.personID, d.date FROM Enrollment e JOIN Day d ON d.calendarID = e.calendarID AND {condition}\n"
        (hit,) = [f for f in check(sql).findings if f.rule == "PR001"]
        assert hit.remediation == f"Test the column itself: {advice} instead of {condition}."
        rows = [db.execute(f"SELECT e.personID, d.date FROM Enrollment e JOIN Day d ON {text} ORDER BY 1, 2").fetchall()
                for text in (condition.replace("ISNULL(", "IFNULL("), advice)]
        assert rows[0] == rows[1], condition


def test_today_as_the_end_of_an_open_span_is_kept_in_the_fix_as_a_test_of_the_day(check):
    """d.date <= ISNULL(e.endDate, GETDATE()): an open enrollment's days up to today, not the
    calendar's days after it, which the fix (e.endDate >= d.date OR e.endDate IS NULL) kept. In
    SQLite, today is a fixed day between the calendar's."""
    condition = "d.date <= ISNULL(e.endDate, GETDATE())"
    advice = "(e.endDate >= d.date OR (e.endDate IS NULL AND GETDATE() >= d.date))"
    sql = f"SELECT e.personID, d.date FROM Enrollment e JOIN Day d ON d.calendarID = e.calendarID AND {condition}\n"
    (hit,) = [f for f in check(sql).findings if f.rule == "PR001"]
    assert hit.remediation == f"Test the column itself: {advice} instead of {condition}."
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Enrollment (personID INTEGER PRIMARY KEY, endDate TEXT)")
    db.executemany("INSERT INTO Enrollment (endDate) VALUES (?)", [(None,), ("2025-09-30",)])
    db.execute("CREATE TABLE Day (date TEXT NOT NULL)")
    db.executemany("INSERT INTO Day VALUES (?)", [("2025-09-01",), ("2025-12-01",), ("2026-06-05",)])
    rows = [db.execute("SELECT e.personID, d.date FROM Enrollment e JOIN Day d ON "
                       + text.replace("ISNULL(", "IFNULL(").replace("GETDATE()", "'2025-12-15'") + " ORDER BY 1, 2").fetchall()
            for text in (condition, advice)]
    assert rows[0] == rows[1] == [(1, "2025-09-01"), (1, "2025-12-01"), (2, "2025-09-01")]


def test_the_start_of_a_column_compared_with_another_table_s_column_is_matched_with_that_column(check):
    """The fix showed LIKE 'ABC%', a placeholder, where the value is another table's column."""
    sql = ("SELECT p.personID FROM Person p JOIN School sch ON LEFT(p.studentNumber, 3) = sch.number "
           "WHERE sch.schoolID = 12\n")
    (hit,) = found(check, sql, "PR001")
    assert hit.remediation == ("Match the start with LIKE, which can seek: p.studentNumber LIKE sch.number + '%' instead "
                               "of LEFT(p.studentNumber, 3) = sch.number, where sch.number always holds 3 characters: a "
                               "shorter one would match more.")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Person (personID, studentNumber)")
    db.executemany("INSERT INTO Person VALUES (?, ?)", [(1, "1230045"), (2, "1240046"), (3, "12")])
    db.execute("CREATE TABLE School (schoolID, number)")
    db.execute("INSERT INTO School VALUES (12, '123')")
    rows = [db.execute(f"SELECT p.personID FROM Person p JOIN School sch ON {on} WHERE sch.schoolID = 12").fetchall()
            for on in ("substr(p.studentNumber, 1, 3) = sch.number", "p.studentNumber LIKE sch.number || '%'")]
    assert rows[0] == rows[1] == [(1,)]


@pytest.mark.parametrize("condition, advice", [
    ("LEFT(i.lastName, 3) = 'Smi'", "Match the start with LIKE, which can seek: i.lastName LIKE 'Smi%' instead of "
                                    "LEFT(i.lastName, 3) = 'Smi'."),
    ("SUBSTRING(i.lastName, 1, 2) = 'O_'", "Match the start with LIKE, which can seek: i.lastName LIKE 'O[_]%' instead of "
                                           "SUBSTRING(i.lastName, 1, 2) = 'O_'."),  # LIKE's wildcards escaped
    # shorter than the part taken: LIKE 'Sm%' would also keep 'Smith'; not from the start: no LIKE says it
    ("LEFT(i.lastName, 3) = 'Sm'", "Match the start with LIKE, which can seek: i.lastName LIKE 'ABC%' instead of "
                                   "LEFT(i.lastName, 3) = 'ABC'."),
    ("SUBSTRING(i.lastName, 2, 2) = 'mi'", "SUBSTRING(i.lastName, 2, 2) has no form that leaves i.lastName alone: limit "
                                           "the rows first with conditions on bare columns (a calendar, a school year, "
                                           "the students needed), so that it is worked out for those only. An index on a "
                                           "computed column of it could seek, but only on a table the district owns: "
                                           "Campus's tables are Campus's to change."),
])
def test_the_start_of_a_text_is_matched_with_the_like_that_keeps_the_same_rows(check, condition, advice):
    (hit,) = found(check, f"SELECT i.personID FROM [Identity] i WHERE {condition}\n", "PR001")
    assert hit.remediation == advice


@pytest.mark.parametrize("call, leading", [("RTRIM(i.lastName)", False), ("UPPER(i.lastName)", False),
                                           ("LTRIM(RTRIM(i.lastName))", True), ("TRIM(i.lastName)", True)])
def test_only_a_trim_of_leading_spaces_is_said_to_change_values(check, call, leading):
    (hit,) = found(check, f"SELECT i.personID FROM [Identity] i WHERE {call} = 'Garcia'\n", "PR001")
    assert hit.remediation.startswith("Compare i.lastName itself: Campus databases use a case-insensitive collation")
    assert ("LTRIM does change a value stored with leading spaces" in hit.remediation) is leading


@pytest.mark.parametrize("condition, advice", [
    ("CHARINDEX(',' + CAST(a.calendarID AS varchar(10)) + ',', ',12,14,') > 0",
     "List the values: a.calendarID IN (12, 14), which an index on the column can seek."),
    ("CHARINDEX(',' + CAST(a.calendarID AS varchar(10)) + ',', ',12,14,') = 0", "List the values: a.calendarID NOT IN (12, 14)."),
    ("',12,14,' NOT LIKE '%,' + CAST(a.calendarID AS varchar(10)) + ',%'", "List the values: a.calendarID NOT IN (12, 14)."),
    ("NOT (CHARINDEX(',' + CAST(a.calendarID AS varchar(10)) + ',', ',12,14,') > 0)",
     "List the values: a.calendarID NOT IN (12, 14)."),
    ("CHARINDEX(',' + CAST(a.calendarID AS varchar(10)) + ',', ',' + @list + ',') > 0",
     "Split the list once and look the column up in it: a.calendarID IN (SELECT CAST(value AS int) FROM "
     "STRING_SPLIT(@list, ',')) on SQL Server 2016 or later (before that, fill a table variable from the list), "
     "which an index on the column can seek."),
    # the list not wrapped in commas: its ends are never found
    ("CHARINDEX(',' + CAST(a.calendarID AS varchar(10)) + ',', @list) > 0",
     "Split the list once and look the column up in it: a.calendarID IN (SELECT CAST(value AS int) FROM "
     "STRING_SPLIT(@list, ',')) on SQL Server 2016 or later (before that, fill a table variable from the list), "
     "which an index on the column can seek. As written, the list's first and last values are never found: nothing "
     "puts ',' before the first or after the last."),
])
def test_a_column_looked_for_in_a_delimited_list_is_given_the_in_that_says_it(check, condition, advice):
    """The way a stored procedure takes an SSRS report's multi-value parameter."""
    (hit,) = found(check, f"DECLARE @list varchar(100) = '12,14'\nSELECT a.personID FROM Attendance a WHERE {condition}\n",
                   "PR003")
    assert hit.message.endswith("looks for Attendance.calendarID in a list, as text built on each row: SQL Server builds "
                                "it for every one of its 15.0M rows, and no index can seek it.")
    assert hit.remediation == advice


def test_a_delimited_list_beside_a_seek_is_information(check):
    sql = ("DECLARE @list varchar(100) = '12,14'\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND "
           "CHARINDEX(',' + CAST(a.personID AS varchar(10)) + ',', ',' + @list + ',') > 0\n")
    (hit,) = found(check, sql, "PR003")
    assert hit.severity == "info" and "it seeks a.calendarID = 4 instead and tests the list" in hit.message


def test_a_collation_on_the_column_is_compared_in_the_column_s_own_first(check):
    report = check("SELECT i.personID FROM [Identity] i WHERE i.lastName COLLATE Latin1_General_CS_AS = 'McDonald'\n")
    (hit,) = [f for f in report.findings if f.rule == "PR001"]
    assert report.lines.text[hit.span.start:hit.span.end] == "i.lastName COLLATE Latin1_General_CS_AS"
    assert hit.remediation.endswith("then exactly: i.lastName = 'McDonald' AND i.lastName COLLATE Latin1_General_CS_AS = "
                                    "'McDonald'.")


@pytest.mark.parametrize("written, meant", [("!<", ">="), ("!>", "<=")])
def test_not_less_and_not_greater_are_read_as_the_comparisons_they_are(check, written, meant):
    """T-SQL's !< and !>, which sqlglot cannot read on its own."""
    report = check(f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND YEAR(a.date) {written} 2026\n")
    assert report.statements == report.parsed == 1
    (hit,) = [f for f in report.findings if f.rule == "PR001"]
    bound = "a.date >= '20260101'" if meant == ">=" else "a.date < '20270101'"
    assert hit.remediation.startswith(f"Compare the bare column with the range it means: {bound} instead of "
                                      f"YEAR(a.date) {written} 2026.")


@pytest.mark.parametrize("listed, advice", [
    ("@list", "Split the list once and look the column up in it: a.calendarID IN (SELECT CAST(value AS int) FROM "
              "STRING_SPLIT(@list, ',')) on SQL Server 2016 or later (before that, fill a table variable from the list), "
              "which an index on the column can seek. As written, a value is also found inside a longer one: '1' in "
              "'10,11'."),
    ("'12,14'", "List the values: a.calendarID IN (12, 14), which an index on the column can seek. As written, a value is "
                "also found inside a longer one: '1' in '10,11'."),
    ("'1214'", "Look the column up in the list's values with IN, which an index on the column can seek, instead of "
               "building text on every row."),  # no list to read values from
])
def test_a_column_looked_for_in_a_list_without_separators_is_said_to_match_inside_longer_values(check, listed, advice):
    declared = "DECLARE @list varchar(100) = '12,14'\nSELECT a.personID FROM Attendance a WHERE "
    for condition in (f"CHARINDEX(CAST(a.calendarID AS varchar(10)), {listed}) > 0",
                      f"{listed} LIKE '%' + CAST(a.calendarID AS varchar(10)) + '%'"):
        (hit,) = found(check, f"{declared}{condition}\n", "PR003")
        assert "looks for Attendance.calendarID in a list" in hit.message and hit.remediation == advice
