"""The general SQL Server rules: precise (which side converts, which loop is a cursor's), as severe
as the tables are large, and quiet on the team's good queries."""

import re
import sqlite3
from datetime import datetime, timedelta

import psycopg
import pytest
import sqlglot
from checked import found
from corpus import SAMPLES, sample_files
from engines import postgres_with, sqlite_rows, sqlite_with

from advisor.checks.registry import rule_docs
from advisor.checks.selection import RuleSelection

ALL = tuple(rule_docs())




def test_the_same_function_is_information_on_school_and_an_error_on_attendance(check):
    (small,) = found(check, "SELECT s.schoolID FROM School s WHERE UPPER(s.name) = 'CENTRAL HIGH'\n", "PR001")
    attendance = "SELECT a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID WHERE c.endYear = 2026"
    (large,) = found(check, f"{attendance} AND YEAR(a.date) = 2026\n", "PR001")
    (middle,) = found(check, "SELECT i.personID FROM [Identity] i WHERE UPPER(i.lastName) = 'GARCIA'\n", "PR001")
    assert (small.severity, middle.severity, large.severity) == ("info", "warning", "error")
    assert "Attendance.date (15.0M rows)" in large.message and "20260101" in large.remediation


@pytest.mark.parametrize("sql, free", [
    ("SELECT a.personID FROM Attendance a WHERE YEAR(a.date) = 2026", "calendarID or personID"),
    ("SELECT e.personID FROM Enrollment e WHERE ISNULL(e.noShow, 0) = 0", "modifiedDate"),
    ("SELECT g.personID FROM GradingScore g WHERE g.sectionID = 5 AND ABS(g.taskID) = 3", "termID"),
    ("SELECT a.personID FROM Attendance a JOIN Person p ON p.personID = a.personID\n"
     "WHERE p.studentNumber = '1' AND YEAR(a.date) = 2026", None),
    ("DECLARE @d datetime\nSELECT e.personID FROM Enrollment e WHERE e.modifiedDate = @d AND ISNULL(e.noShow, 0) = 0", None),
])
def test_a_function_on_a_key_no_index_could_seek_here_costs_only_its_work(check, sql, free):
    """An index seeks a key that comes after others only once the query fixes those: Attendance's
    date needs calendarID or personID (an equality, or a join), so YEAR(a.date) alone loses no seek."""
    (hit,) = found(check, sql + "\n", "PR001")
    if free is None:
        assert hit.severity != "info" and "cannot be sought." in hit.message
    else:
        assert hit.severity == "info" and hit.message.endswith(f"without {free} fixed first, so this costs work on every row.")


@pytest.mark.parametrize("call, part", [("DATEPART(dw, a.date)", "weekday"), ("DATENAME(weekday, a.date)", "weekday"),
                                        ("DAY(a.date)", "day of the month"), ("DATEPART(hh, a.date)", "hour"),
                                        ("MONTH(a.date)", "month"), ("DATEPART(q, a.date)", "quarter"),
                                        ("DATENAME(month, a.date)", "month")])
def test_a_part_of_a_date_that_comes_round_again_costs_its_work_not_a_seek(check, call, part):
    """No range of dates holds every Monday, or every February without its year: written any
    other way, the rows are read all the same."""
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {call} = 2\n", "PR001")
    assert hit.severity == "info" and hit.message.startswith(f"{call} computes the {part} of Attendance.date (15.0M rows)")
    assert hit.remediation.startswith("Limit the rows first") and f"computed column ({call})" in hit.remediation
    assert "on a table the district owns: Campus's tables are Campus's to change." in hit.remediation


@pytest.mark.parametrize("month, meant", [
    ("MONTH(i.birthdate) = MONTH(GETDATE())",
     "i.birthdate >= DATEFROMPARTS(YEAR(GETDATE()), MONTH(GETDATE()), 1) AND i.birthdate < DATEADD(month, 1, "
     "DATEFROMPARTS(YEAR(GETDATE()), MONTH(GETDATE()), 1))"),
    ("DATEPART(month, i.birthdate) = 3",
     "i.birthdate >= DATEFROMPARTS(@year, 3, 1) AND i.birthdate < DATEADD(month, 1, DATEFROMPARTS(@year, 3, 1))"),
])
def test_a_month_without_its_year_is_every_years_month_and_the_fix_shows_one_years(check, month, meant):
    """Birthdays this month are a month of every year; an author who meant this year's month is
    shown its range, and no 'such as 2026' example that keeps other rows."""
    (hit,) = found(check, f"SELECT i.firstName FROM [Identity] i WHERE {month}\n", "PR001")
    assert hit.severity == "info" and "'2026" not in hit.remediation
    assert hit.remediation.endswith(f"If you mean the month of one year, compare the bare column with its dates: {meant}.")


def test_a_birthday_is_not_offered_a_month_s_range(check):
    """MONTH(d) = MONTH(GETDATE()) AND DAY(d) = DAY(GETDATE()) is the same day of every year: the
    range of one year's month is offered for neither part; in place of the DAY it would keep the
    whole month, and beside a DAY no one year is meant."""
    sql = "SELECT i.firstName FROM [Identity] i WHERE MONTH(i.birthdate) = MONTH(GETDATE()) AND DAY(i.birthdate) = DAY(GETDATE())\n"
    month, day = found(check, sql, "PR001")
    assert month.message.startswith("MONTH(i.birthdate) computes the month") and "DATEFROMPARTS" not in month.remediation
    assert day.message.startswith("DAY(i.birthdate) computes the day of the month") and "DATEFROMPARTS" not in day.remediation


@pytest.mark.parametrize("conditions, meant", [
    ("YEAR(a.date) = 2026 AND MONTH(a.date) = 3", "a.date >= '20260301' AND a.date < '20260401'"),
    ("MONTH(a.date) = 12 AND YEAR(a.date) = 2025", "a.date >= '20251201' AND a.date < '20260101'"),
    ("YEAR(a.date) = YEAR(GETDATE()) AND MONTH(a.date) = MONTH(GETDATE())",
     "a.date >= DATEFROMPARTS(YEAR(GETDATE()), MONTH(GETDATE()), 1) AND a.date < DATEADD(month, 1, "
     "DATEFROMPARTS(YEAR(GETDATE()), MONTH(GETDATE()), 1))"),
    ("YEAR(a.date) = @y AND MONTH(a.date) = @m",
     "a.date >= DATEFROMPARTS(@y, @m, 1) AND a.date < DATEADD(month, 1, DATEFROMPARTS(@y, @m, 1))"),
    ("YEAR(a.date) = 2026 AND MONTH(a.date) BETWEEN 1 AND 3", "a.date >= '20260101' AND a.date < '20260401'"),
    ("YEAR(a.date) = 2026 AND MONTH(a.date) >= 9", "a.date >= '20260901' AND a.date < '20270101'"),
    ("YEAR(a.date) = 2026 AND MONTH(a.date) < 7", "a.date >= '20260101' AND a.date < '20260701'"),
    ("DATEPART(yy, a.date) = 2025 AND DATEPART(q, a.date) = 4", "a.date >= '20251001' AND a.date < '20260101'"),
    ("YEAR(a.date) = 2026 AND DATEPART(quarter, a.date) = @q",
     "a.date >= DATEFROMPARTS(2026, 3 * @q - 2, 1) AND a.date < DATEADD(month, 3, DATEFROMPARTS(2026, 3 * @q - 2, 1))"),
    ("YEAR(a.date) = 2026 AND MONTH(a.date) = 12 AND DAY(a.date) = 31", "a.date >= '20261231' AND a.date < '20270101'"),
    ("(YEAR(a.date) = 2026 AND MONTH(a.date) = 3 OR a.status = 'T')", "a.date >= '20260301' AND a.date < '20260401'"),
])
def test_a_year_and_a_part_within_it_are_one_range_together(check, conditions, meant):
    """YEAR(d) = 2026 AND MONTH(d) = 3 is March 2026: each finding gives the one range, where the
    year's own range would leave the month computed on every row of the year."""
    sql = f"DECLARE @y int, @m int, @q int\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {conditions}\n"
    hits = found(check, sql, "PR001")
    assert len(hits) == conditions.count("a.date)")  # each part's own finding
    anded = conditions[1:].split(" OR ")[0] if conditions.startswith("(") else conditions
    together = f"Compare the bare column with the range they mean together: {meant} instead of {anded}."
    assert {hit.remediation for hit in hits} == {together}


@pytest.mark.parametrize("condition, meant, exact", [
    ("DATEADD(day, 7, a.date) > GETDATE()", "a.date > DATEADD(day, -7, GETDATE())", True),
    ("GETDATE() <= DATEADD(hh, 12, a.date)", "a.date >= DATEADD(hour, -12, GETDATE())", True),
    ("DATEADD(wk, -2, a.date) BETWEEN @from AND @to", "a.date BETWEEN DATEADD(week, 2, @from) AND DATEADD(week, 2, @to)", True),
    ("DATEADD(day, @days, a.date) >= @asOf", "a.date >= DATEADD(day, -@days, @asOf)", True),
    ("DATEADD(month, 1, a.date) > GETDATE()", "a.date > DATEADD(month, -1, GETDATE())", False),
])
def test_dateadd_on_the_column_moves_to_the_value_side(check, condition, meant, exact):
    """Days, weeks and hours are of one length, so the move keeps the same rows; a month added to
    January 31st is February 28th, and the fix says where the two differ."""
    sql = (f"DECLARE @from date, @to date, @days int, @asOf date\n"
           f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {condition}\n")
    (hit,) = found(check, sql, "PR001")
    assert hit.remediation.startswith(f"Move the date arithmetic to the value side: {meant} instead of {condition}")
    assert hit.remediation.endswith(f"{condition}.") == exact and ("ends of months" in hit.remediation) != exact


@pytest.mark.parametrize("condition, meant", [
    ("LEN(c.email) > 0", "c.email <> ''"),
    ("LEN(LTRIM(RTRIM(c.email))) >= 1", "c.email <> ''"),
    ("LEN(c.email) = 0", "c.email = ''"),
    ("0 < LEN(RTRIM(c.email))", "c.email <> ''"),
])
def test_len_that_asks_only_whether_a_value_is_empty_is_a_comparison_with_empty_text(check, condition, meant):
    """LEN does not count trailing spaces and = '' does not either: a value of spaces is empty to both."""
    (hit,) = found(check, f"SELECT c.personID FROM Contact c WHERE {condition}\n", "PR001")
    assert hit.remediation.startswith(f"Test the column itself: {meant} instead of {condition}: LEN does not count")
    assert hit.severity == "info"


def test_an_expression_on_a_column_an_equality_already_seeks_loses_no_seek(check):
    sql = "SELECT i.personID FROM [Identity] i WHERE i.lastName = 'Smith' AND LEN(i.lastName) > 3\n"
    (hit,) = found(check, sql, "PR001")
    assert hit.severity == "info" and hit.message == (
        "LEN(i.lastName) hides Identity.lastName (120k rows) inside an expression, but no seek is lost: it seeks "
        "i.lastName = 'Smith' instead and tests LEN(i.lastName) on each row that leaves, cheap while that holds.")


@pytest.mark.parametrize("conditions", [
    "YEAR(a.date) >= 2025 AND MONTH(a.date) = 3",  # March of every year from 2025
    "YEAR(a.date) = 2026 AND MONTH(a.date) IN (1, 3)",  # two months apart
    "YEAR(a.date) = 2026 OR MONTH(a.date) = 3",  # either
    "YEAR(a.date) = 2026 AND MONTH(a.date) = 2 AND DAY(a.date) = 30",  # no such day
    "YEAR(a.date) = 2026 AND MONTH(a.date) = 13",  # no such month
    "YEAR(a.date) = 2026 AND MONTH(a.date) = 3 AND MONTH(a.date) = 4",  # no row: a month compared twice
    "YEAR(a.date) = 2026 AND DATENAME(month, a.date) = 'March'",  # a name, no number
])
def test_parts_that_are_no_one_range_together_keep_their_own_fixes(check, conditions):
    hits = found(check, f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND {conditions}\n", "PR001")
    assert hits and not any("mean together" in hit.remediation for hit in hits)


@pytest.mark.parametrize("sql, rule", [
    ("SELECT i.personID FROM [Identity] i WHERE i.firstName LIKE '%ohn'", "PR002"),
    ("DECLARE @first varchar(50)\nSELECT i.personID FROM [Identity] i WHERE (i.firstName = @first OR @first IS NULL)", "PR008"),
    ("DECLARE @from date\nSELECT a.personID FROM Attendance a WHERE (a.date >= @from OR @from IS NULL)", "PR008"),
])
def test_a_wildcard_or_catch_all_on_a_key_no_index_could_seek_here_costs_nothing_extra(check, sql, rule):
    """IX_Identity_name is (lastName, firstName): without lastName, firstName = 'John' reads the
    table whole too, so a wildcard or a catch-all on it loses nothing."""
    assert found(check, sql + "\n", rule) == []


@pytest.mark.parametrize("name", ["i.lastName + ', ' + i.firstName", "i.firstName + ' ' + i.lastName"])
def test_an_expression_of_several_columns_names_the_one_an_index_starts_with(check, name):
    """IX_Identity_name is (lastName, firstName): lastName is the column the expression keeps the
    index from seeking, whichever comes first."""
    (hidden,) = found(check, f"SELECT i.personID FROM [Identity] i WHERE {name} = 'Ana Garcia'\n", "PR001")
    assert "hides Identity.lastName" in hidden.message


@pytest.mark.parametrize(
    "condition, flagged",
    [
        ("p.personID = 1", False),  # int against a number
        ("p.personID = '1'", False),  # the literal converts, not the column
        ("p.studentNumber = '123456'", False),
        ("p.studentNumber = 123456", True),  # varchar against a number: every row converts
        ("p.studentNumber IN ('1', 2)", True),
        ("p.studentNumber = N'123456'", True),  # nvarchar outranks varchar
        ("p.personID = N'1'", False),
    ],
)
def test_implicit_conversion_is_flagged_only_where_the_column_converts(check, condition, flagged):
    hits = found(check, f"SELECT p.personID FROM Person p WHERE {condition}\n", "PR004")
    assert bool(hits) is flagged


def test_a_join_between_text_and_number_columns_converts_the_text_side(check):
    sql = "SELECT p.personID FROM Person p JOIN Enrollment e ON p.studentNumber = e.personID WHERE e.endYear = 2026\n"
    (hit,) = found(check, sql, "PR004")
    assert "Person.studentNumber is varchar(15); Enrollment.personID is int" in hit.message


def test_expressions_no_index_could_serve_are_not_function_findings(check):
    sql = """SELECT tc.personID FROM TranscriptCourse tc
LEFT JOIN Attendance x ON x.attendanceID = tc.transcriptID
WHERE ISNULL(x.status, tc.grade) = 'A' AND tc.creditsEarned * 2 > tc.creditsAttempted
GROUP BY tc.personID HAVING SUM(tc.gpaValue * tc.gpaWeight) > 10
"""
    assert found(check, sql, "PR001") == []


@pytest.mark.parametrize("pattern, written", [("N'%son'", "N'%son'"), ("'%son' ESCAPE '\\'", "'%son'")])
def test_a_leading_wildcard_is_found_in_a_unicode_or_escaped_pattern(check, pattern, written):
    (wildcard,) = found(check, f"SELECT i.personID FROM [Identity] i WHERE i.lastName LIKE {pattern}\n", "PR002")
    assert wildcard.message.startswith(f"LIKE {written} starts with a wildcard")


@pytest.mark.parametrize("pattern, anchored", [
    ("'%son%'", "LIKE 'son%'"),
    ("'%O''Brien'", "LIKE 'O''Brien%'"),
    ("'%' + @name + '%'", "LIKE @name + '%'"),
    ("'%' + @name", "LIKE @name + '%'"),
    ("'_x' + @n", "LIKE 'x' + @n + '%'"),
    ("CONCAT('%', @name, '%')", "LIKE CONCAT(@name, '%')"),
    ("'%'", "Write i.lastName IS NOT NULL"),
])
def test_a_leading_wildcard_s_fix_is_the_authors_pattern_searched_from_the_start(check, pattern, anchored):
    sql = f"DECLARE @name varchar(20), @n varchar(5)\nSELECT i.personID FROM [Identity] i WHERE i.lastName LIKE {pattern}\n"
    (wildcard,) = found(check, sql, "PR002")
    assert wildcard.message.startswith(f"LIKE {pattern} starts with a wildcard") and anchored in wildcard.remediation


@pytest.mark.parametrize("declared, pattern, holds, anchored", [
    ("@name varchar(20) = '%son'", "@name", "@name holds '%son'", "(give @name 'son%')"),
    ("@name nvarchar(20) = N'%son%'", "@name", "@name holds N'%son%'", "(give @name 'son%')"),
    ("@first varchar(5) = '_a'", "@first + '%'", "@first holds '_a'", "(give @first 'a')"),
    ("@any varchar(5) = '%'", "@any", "@any holds '%'", "Write UPPER(i.lastName) IS NOT NULL"),
])
def test_a_leading_wildcard_held_by_a_variable_set_once_is_found_and_its_fix_is_the_variable_s(check, declared, pattern,
                                                                                              holds, anchored):
    sql = f"DECLARE {declared}\nSELECT i.personID FROM [Identity] i WHERE UPPER(i.lastName) LIKE {pattern}\n"
    (wildcard,) = found(check, sql, "PR002")
    assert wildcard.message.startswith(f"LIKE {pattern} ({holds}) starts with a wildcard: SQL Server cannot seek "
                                       "Identity.lastName") and anchored in wildcard.remediation
    (hidden,) = found(check, sql, "PR001")  # no seek to lose to UPPER: the pattern loses it
    assert hidden.severity == "info" and "but no seek is lost to it" in hidden.message
    assert found(check, sql, "PR004") == []  # an nvarchar pattern converts the column, but no seek is lost to that either


def test_a_leading_wildcard_or_catch_all_on_a_column_no_index_has_costs_nothing_extra(check):
    assert found(check, "SELECT g.personID FROM GradingScore g WHERE g.sectionID = 5 AND g.comments LIKE '%late%'\n", "PR002") == []
    catch_all = "DECLARE @n varchar(10)\nSELECT s.schoolID FROM School s WHERE (@n IS NULL OR s.number = @n)\n"
    assert found(check, catch_all, "PR008") == []


@pytest.mark.parametrize("searched", ["UPPER(i.lastName)", "LTRIM(RTRIM(i.lastName))", "i.firstName + ' ' + i.lastName"])
def test_a_leading_wildcard_on_an_expression_is_the_pattern_s_cost_and_the_expression_only_adds_work(check, searched):
    """No index can seek '%SMITH%', bare column or not: PR002 says so, and PR001 no longer says
    the expression loses a seek."""
    sql = f"SELECT i.personID FROM [Identity] i WHERE {searched} LIKE '%SMITH%'\n"
    (wildcard,) = found(check, sql, "PR002")
    assert wildcard.message.startswith("LIKE '%SMITH%' starts with a wildcard: SQL Server cannot seek Identity.lastName and "
                                       "tests every one of its")
    assert "(LIKE 'SMITH%')" in wildcard.remediation
    (hidden,) = found(check, sql, "PR001")
    assert hidden.severity == "info"
    assert "but no seek is lost to it: the pattern starts with a wildcard, which no index on lastName could seek" in hidden.message


def test_an_expression_searched_from_the_start_still_loses_the_seek(check):
    sql = "SELECT i.personID FROM [Identity] i WHERE UPPER(i.lastName) LIKE 'SMITH%'\n"
    assert found(check, sql, "PR002") == []
    (hidden,) = found(check, sql, "PR001")
    assert hidden.severity == "warning" and "an index on lastName cannot be sought" in hidden.message


def test_a_leading_wildcard_on_several_tables_columns_searches_no_one_column(check):
    sql = ("SELECT i.personID FROM [Identity] i JOIN Person p ON p.personID = i.personID "
           "WHERE i.lastName + p.studentNumber LIKE '%7'\n")
    assert found(check, sql, "PR002") == []


def test_or_on_one_column_is_an_in_list_and_across_columns_is_flagged(check):
    assert found(check, "SELECT p.personID FROM Person p WHERE p.studentNumber = '1' OR p.studentNumber = '2'\n", "PR006") == []
    (hit,) = found(check, "SELECT p.personID FROM Person p WHERE p.studentNumber = '1' OR p.stateID = '1'\n", "PR006")
    assert "Person.stateID and Person.studentNumber" in hit.message


def test_a_long_or_chain_on_one_column_is_a_long_in_list(check):
    chain = " OR ".join(f"p.studentNumber = '{n}'" for n in range(1, 102))
    (hit,) = found(check, f"SELECT p.personID FROM Person p WHERE {chain}\n", "PR007")
    assert hit.message.startswith("p.studentNumber is compared with 101 values joined by OR")
    assert (hit.span.line, hit.span.column) == (1, 39)  # the first p.studentNumber
    shorter = " OR ".join(f"p.studentNumber = '{n}'" for n in range(1, 101))
    mixed = chain.replace("p.studentNumber = '7'", "p.stateID = '7'")
    joined = chain.replace("'7'", "p.stateID")  # a column on the other side is no value
    for condition in (shorter, mixed, joined):
        assert found(check, f"SELECT p.personID FROM Person p WHERE {condition}\n", "PR007") == []


def test_and_or_without_parentheses_names_the_branch_that_escapes(check):
    sql = "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.serviceType = 'P' OR s.grade = 'AD'\n"
    (hit,) = found(check, sql, "PR009")
    assert hit.message.endswith("rows matching s.grade = 'AD' come back whatever s.endYear = 2026 and s.serviceType = 'P' say.")
    assert hit.remediation == ("Put parentheses around the OR to say what is meant: (s.serviceType = 'P' OR s.grade = 'AD'), "
                               "if it chooses between those two, so that the conditions AND-ed before it hold for both.")
    first = "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.grade = 'AD' OR s.serviceType = 'P' AND s.endYear = 2026\n"
    assert found(check, first, "PR009")[0].remediation == (
        "Put parentheses around the OR to say what is meant: (s.grade = 'AD' OR s.serviceType = 'P'), if it chooses "
        "between those two, so that the conditions AND-ed after it hold for both.")
    ored = sql.replace("s.serviceType = 'P'", "(s.endDate IS NULL OR s.endDate >= '2026-06-01')")
    assert found(check, ored, "PR009")[0].message.endswith(
        "whatever s.endYear = 2026 and (s.endDate IS NULL OR s.endDate >= '2026-06-01') say.")
    assert found(check, "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND (s.serviceType = 'P' OR s.grade = 'AD')\n", "PR009") == []


def test_a_mix_inside_parentheses_keeps_what_is_outside_them(check):
    """endYear = 2026 AND (a OR b AND c): the year still holds for every branch; only c is escaped."""
    sql = "SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND (e.grade = '09' OR e.grade = '10' AND e.serviceType = 'P')\n"
    (hit,) = found(check, sql, "PR009")
    assert hit.message.endswith("rows matching e.grade = '09' come back whatever e.grade = '10' and e.serviceType = 'P' say; "
                                "the conditions outside the parentheses still hold.")
    assert "every year" not in hit.message and hit.remediation.startswith("Put parentheses inside")


def test_a_chain_of_ors_mixed_with_and_is_one_finding_at_the_whole_chain(check):
    condition = "s.endYear = 2026 AND s.serviceType = 'P' OR s.grade = 'AD' OR s.endYear = 2025 AND s.grade = '12'"
    report = check(f"SELECT s.personID FROM student s WITH (NOEXPAND)\nWHERE {condition}\n")
    (hit,) = [f for f in report.findings if f.rule == "PR009"]
    assert report.lines.text[hit.span.start:hit.span.end] == condition  # the whole chain, not its inner ORs
    assert hit.message.endswith("rows matching s.grade = 'AD' come back whatever s.endYear = 2026 and s.serviceType = 'P' say "
                                "(and whatever the other AND-ed branches say).")
    assert hit.remediation == "Put parentheses around the OR to say what is meant: WHERE a AND b AND (c OR d)."  # no one pair
    parenthesised = "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE (s.endYear = 2026 AND s.grade = '12') OR s.grade = 'AD'\n"
    assert found(check, parenthesised, "PR009") == []


def test_a_catch_all_with_more_branches_is_one_finding(check):
    sql = ("DECLARE @calendar int\n"
           "SELECT a.personID FROM Attendance a WHERE @calendar IS NULL OR a.calendarID = @calendar OR a.personID = 5\n")
    (hit,) = found(check, sql, "PR008")
    assert hit.message.startswith("@calendar IS NULL OR a.calendarID = @calendar OR a.personID = 5 is a catch-all")


@pytest.mark.parametrize("condition", [
    "a.personID = ISNULL(@person, a.personID)",
    "COALESCE(@person, a.personID) = a.personID",
])
def test_a_column_defaulted_to_itself_is_a_catch_all(check, condition):
    """The SSRS form of "all students": when @person is NULL the column is compared with itself."""
    (hit,) = found(check, f"DECLARE @person int\nSELECT a.date FROM Attendance a WHERE {condition}\n", "PR008")
    assert hit.message.startswith(f"{condition} is a catch-all") and "reads Attendance (15.0M rows) whole" in hit.message
    assert hit.severity == "error"


@pytest.mark.parametrize("condition, column", [("(a.date >= @from OR @from IS NULL)", "date"),
                                               ("a.personID = ISNULL(@person, a.personID)", "personID")])
def test_a_catch_all_beside_a_condition_an_index_seeks_is_information(check, condition, column):
    """a.calendarID = @calendarID is sought whatever @from holds: the catch-all is tested on the
    calendar's rows, not on every row of Attendance."""
    sql = (f"DECLARE @from date, @person int, @calendarID int\n"
           f"SELECT a.date FROM Attendance a WHERE a.calendarID = @calendarID AND {condition}\n")
    (hit,) = found(check, sql, "PR008")
    assert hit.severity == "info" and "reads Attendance" not in hit.message
    assert hit.message.endswith(f"so it cannot seek Attendance.{column}; it seeks a.calendarID = @calendarID instead "
                                "and tests the catch-all on each row that leaves, cheap while that holds.")


@pytest.mark.parametrize("sql, rule, tested", [
    ("SELECT r.personID FROM Roster r WHERE r.sectionID = 5 AND (r.personID = 1 OR r.trialID = 2)", "PR006",
     "so SQL Server does not seek on them; it seeks r.sectionID = 5 instead and tests the OR"),
    ("SELECT a.personID FROM Attendance a WHERE a.calendarID IN (4, 5) AND a.personID LIKE '%5'", "PR002",
     "SQL Server cannot seek Attendance.personID; it seeks a.calendarID IN (4, 5) instead and tests the pattern"),
    ("SELECT i.lastName FROM [Identity] i WHERE i.personID = 7 AND CHARINDEX('son', i.lastName) > 0", "PR003",
     "searches inside Identity.lastName, which no index can help; it seeks i.personID = 7 instead and tests the search"),
    # run for each enrollment, the subquery seeks that person's enrollments: each latest one's test
    ("SELECT e.personID FROM Enrollment e WHERE NOT EXISTS (SELECT 1 FROM Enrollment later WHERE later.personID = "
     "e.personID AND (later.startDate > e.startDate OR later.enrollmentID > e.enrollmentID))", "PR006",
     "so SQL Server does not seek on them; it seeks later.personID = e.personID instead and tests the OR"),
])
def test_a_condition_an_index_cannot_seek_beside_one_it_can_is_information(check, sql, rule, tested):
    (hit,) = found(check, sql, rule)
    assert hit.severity == "info" and f"{tested} on each row that leaves, cheap while that holds." in hit.message
    alone = sql.replace("r.sectionID = 5 AND ", "").replace("a.calendarID IN (4, 5) AND ", "").replace("i.personID = 7 AND ", "")
    alone = alone.replace("later.personID = e.personID AND ", "")
    (hit,) = found(check, alone, rule)
    assert hit.severity != "info" and ("whole" in hit.message or "every one of its" in hit.message), hit.message


@pytest.mark.parametrize("condition", ["a.personID = ISNULL(@person, 5)", "a.personID = ISNULL(@person, p.personID)"])
def test_a_default_that_is_not_the_column_itself_is_no_catch_all(check, condition):
    sql = f"DECLARE @person int\nSELECT a.date FROM Attendance a JOIN Person p ON p.personID = a.personID WHERE {condition}\n"
    assert found(check, sql, "PR008") == []


@pytest.mark.parametrize("condition, reported", [
    # Section.teacherPersonID allows NULL: one section without a teacher and nothing comes back
    ("i.personID NOT IN (SELECT se.teacherPersonID FROM Section se WHERE se.trialID = 12)", True),
    ("i.personID NOT IN (SELECT se.teacherPersonID FROM Section se WHERE se.trialID = 12 AND se.teacherPersonID IS NOT NULL)", False),
    ("i.personID NOT IN (SELECT a.personID FROM Attendance a WHERE a.calendarID = 118)", False),  # both NOT NULL
    # a derived table or CTE passes the column on as it is, NOT NULL still; not from an outer join's table
    ("i.personID NOT IN (SELECT a.personID FROM (SELECT * FROM Attendance WHERE calendarID = 118) a)", False),
    ("i.personID NOT IN (SELECT x.personID FROM (SELECT e.personID FROM Calendar c LEFT JOIN Enrollment e "
     "ON e.calendarID = c.calendarID) x)", True),
    ("p.stateID NOT IN (SELECT pp.stateID FROM Person pp WHERE pp.stateID IS NOT NULL)", True),  # the tested side may be NULL
])
def test_not_in_is_reported_only_where_a_null_can_reach_it(check, condition, reported):
    """Where neither side can be NULL, SQL Server plans NOT IN as NOT EXISTS: no trap, no extra pass."""
    sql = f"SELECT i.personID FROM [Identity] i JOIN Person p ON p.personID = i.personID WHERE {condition}\n"
    assert bool(found(check, sql, "SH003")) is reported


def test_not_in_whose_tested_side_may_be_null_says_so_and_its_not_exists_keeps_the_rows(check):
    """AttendanceExcuse.excuseID is its key, never NULL, but Attendance.excuseID may be: NOT IN is
    then unknown for those rows, which forces the IS NULL OR = test on every row (no hash
    anti-join), and NOT EXISTS keeps them unless IS NOT NULL is added. Run in SQLite."""
    condition = "a.excuseID NOT IN (SELECT ae.excuseID FROM AttendanceExcuse ae WHERE ae.excuse = 'E' OR ae.status = 'X')"
    (hit,) = found(check, f"SELECT a.attendanceID FROM Attendance a WHERE a.calendarID = 101 AND {condition}\n", "SH003")
    assert hit.message.startswith("NOT IN over a subquery: where a.excuseID is NULL, a.excuseID NOT IN (...) is unknown")
    written = re.match(r"Write (NOT EXISTS \(.*\)): no NULL trap", hit.remediation).group(1)
    assert written == ("NOT EXISTS (SELECT 1 FROM AttendanceExcuse ae WHERE (ae.excuse = 'E' OR ae.status = 'X') "
                       "AND ae.excuseID = a.excuseID)")
    assert hit.remediation.endswith("add a.excuseID IS NOT NULL where they must stay out.")
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE Attendance (attendanceID, calendarID, excuseID)")
    db.execute("CREATE TABLE AttendanceExcuse (excuseID, excuse, status)")
    db.executemany("INSERT INTO Attendance VALUES (?, 101, ?)", [(1, 1), (2, 2), (3, None), (4, 3), (5, 4)])
    db.executemany("INSERT INTO AttendanceExcuse VALUES (?, ?, ?)", [(1, "E", "A"), (2, "U", "X"), (3, "U", "A")])

    def ids(where: str) -> list:
        sql = sqlglot.transpile(f"SELECT a.attendanceID FROM Attendance a WHERE a.calendarID = 101 AND {where}", read="tsql",
                                write="sqlite")[0]
        return sorted(row[0] for row in db.execute(sql))

    assert ids(condition) == ids(f"a.excuseID IS NOT NULL AND {written}") == [4, 5]
    assert ids(written) == [3, 4, 5]  # the row with no excuse, which NOT IN leaves out


def test_not_in_with_bare_names_is_given_a_not_exists_that_names_the_outer_table(check):
    """DELETE ... WHERE personID NOT IN (SELECT personID FROM Enrollment ...): inside the NOT EXISTS,
    personID is Enrollment's, so the outer one is named by its table. Run in SQLite, where no
    personID is NULL, both delete the same rows."""
    sql = "DELETE FROM dbo.StagingRoster WHERE personID NOT IN (SELECT personID FROM Enrollment WHERE endYear = 2027)\n"
    (hit,) = found(check, sql, "SH003")
    written = re.match(r"Write (NOT EXISTS \(.*\)): no NULL trap", hit.remediation).group(1)
    assert written == "NOT EXISTS (SELECT 1 FROM Enrollment WHERE endYear = 2027 AND personID = StagingRoster.personID)"

    def left(where: str) -> list:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE StagingRoster (personID)")
        db.execute("CREATE TABLE Enrollment (personID, endYear)")
        db.executemany("INSERT INTO StagingRoster VALUES (?)", [(1,), (2,), (3,)])
        db.executemany("INSERT INTO Enrollment VALUES (?, ?)", [(1, 2027), (2, 2026), (3, 2027)])
        db.execute(sqlglot.transpile(f"DELETE FROM StagingRoster WHERE {where}", read="tsql", write="sqlite")[0])
        return sorted(row[0] for row in db.execute("SELECT personID FROM StagingRoster"))

    assert left(sql.split(" WHERE ", 1)[1]) == left(written) == [1, 3]
    (bracketed,) = found(check, "SELECT personID FROM [Identity] WHERE personID NOT IN (SELECT teacherPersonID FROM Section "
                                "WHERE trialID = 12)\n", "SH003")
    assert "WHERE trialID = 12 AND teacherPersonID = [Identity].personID)" in bracketed.remediation


@pytest.mark.parametrize("condition, written", [
    ("e.calendarID IN (SELECT c.calendarID FROM Calendar c WHERE c.endYear = 2026 OR c.endYear = 2025)",
     "EXISTS (SELECT 1 FROM Calendar c WHERE (c.endYear = 2026 OR c.endYear = 2025) AND c.calendarID = e.calendarID)"),
    ("e.calendarID IN (SELECT calendarID FROM Calendar)", "EXISTS (SELECT 1 FROM Calendar WHERE calendarID = e.calendarID)"),
    # the FROM and its joins as written, their line breaks run together
    ("e.calendarID IN (SELECT c.calendarID FROM Calendar c\n  LEFT  JOIN [School] sc\n ON sc.schoolID = c.schoolID WHERE sc.name = 'X')",
     "EXISTS (SELECT 1 FROM Calendar c LEFT JOIN [School] sc ON sc.schoolID = c.schoolID WHERE sc.name = 'X' "
     "AND c.calendarID = e.calendarID)"),
    # a temp table's name with its # or ##, which sqlglot keeps apart from the name's position
    ("e.grade IN (SELECT g.grade FROM #g g JOIN ##h h ON h.grade = g.grade)",
     "EXISTS (SELECT 1 FROM #g g JOIN ##h h ON h.grade = g.grade WHERE g.grade = e.grade)"),
    # a comment inside has no place in one line: written back by sqlglot
    ("e.calendarID IN (SELECT c.calendarID FROM Calendar c -- this year's\n JOIN School sc ON sc.schoolID = c.schoolID)",
     "EXISTS (SELECT 1 FROM Calendar AS c JOIN School AS sc ON sc.schoolID = c.schoolID WHERE c.calendarID = e.calendarID)"),
    # inside, e would be the subquery's own Enrollment: only the pattern is given
    ("e.calendarID IN (SELECT e.calendarID FROM Enrollment e WHERE e.grade = '09')",
     "EXISTS (SELECT 1 FROM ... WHERE x.col = outer.col)"),
    # a bare name is the subquery's own inside it: the outer one is named by its table
    ("calendarID IN (SELECT calendarID FROM Calendar WHERE endYear = 2026)",
     "EXISTS (SELECT 1 FROM Calendar WHERE endYear = 2026 AND calendarID = e.calendarID)"),
])
def test_in_over_a_subquery_is_given_its_exists(check, condition, written):
    report = check(f"SELECT e.personID FROM Enrollment e WHERE {condition}\n", rules=RuleSelection(extend=("SH016",)))
    (hit,) = [f for f in report.findings if f.rule == "SH016"]
    assert hit.remediation.startswith(f"Write {written}. SQL Server plans both the same way")


@pytest.mark.parametrize("comparison, asked", [
    ("> 0", "EXISTS"), (">= 1", "EXISTS"), ("<> 0", "EXISTS"), ("= 0", "NOT EXISTS"), ("< 1", "NOT EXISTS"),
    ("> 1", None), ("= 1", None), ("<> 1", None), (">= 0", None),  # a number of rows, or always true: no existence test
])
def test_a_count_compared_with_0_or_1_is_an_existence_test_only_where_it_asks_for_one_row(check, comparison, asked):
    counted = "(SELECT COUNT(*) FROM Attendance a WHERE a.personID = @p)"
    hits = found(check, f"DECLARE @p int = 5\nIF {counted} {comparison} PRINT 'x'\n", "SH011")
    if asked is None:
        assert hits == []
        return
    (hit,) = hits
    assert hit.remediation == (f"Ask with EXISTS, which stops at the first row: {asked} (SELECT 1 FROM Attendance AS a WHERE "
                               f"a.personID = @p) in place of {counted} {comparison}.")
    assert hit.severity == "warning"  # each test seeks one person's rows: not as costly as the table is large


@pytest.mark.parametrize("test", ["CASE WHEN {} THEN 'Y' ELSE 'N' END", "IIF({}, 'Y', 'N')",
                                  "CASE WHEN s.grade = '12' AND {} THEN 'Y' ELSE 'N' END"])
def test_a_count_tested_in_the_select_list_is_asked_with_exists_and_that_may_stay(check, test):
    """A report's Y/N column, CASE WHEN (SELECT COUNT(*) ...) > 0: SH011 asks with EXISTS, as it
    does in a WHERE or an IF, where SH001 alone said to join a grouped derived table; written so,
    SH001 says the EXISTS may stay (one seek for each student)."""
    counted = ("(SELECT COUNT(*) FROM Attendance a WHERE a.personID = s.personID AND a.calendarID = s.calendarID "
               "AND a.status = 'A') > 0")
    students = "SELECT s.personID, {} AS absent FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027 AND s.schoolID = 7\n"
    report = check(students.format(test.format(counted)))
    (hit,) = [f for f in report.findings if f.rule == "SH011"]
    assert not [f for f in report.findings if f.rule == "SH001"]
    asked = hit.remediation.split(": ", 1)[1].split(" in place of ")[0]
    assert asked.startswith("EXISTS (SELECT 1 FROM Attendance AS a WHERE a.personID = s.personID")
    rewritten = check(students.format(test.format(asked)))
    assert [(f.rule, f.severity) for f in rewritten.findings if f.rule.startswith("SH")] == [("SH001", "info")]


def test_a_temp_table_named_by_its_own_name_is_joined(check):
    """#d.dt names #d, not a table d: the join is seen, so there is no cartesian product."""
    sql = "CREATE TABLE #d (dt date)\nSELECT a.personID FROM Attendance a JOIN #d ON #d.dt = a.date\n"
    assert found(check, sql, "JN001") == [] and found(check, sql, "CL003") == []


@pytest.mark.parametrize("converted, fails", [("CAST(e.grade AS int) >= 9", True), ("CONVERT(int, e.grade) = 9", True),
                                              ("TRY_CONVERT(int, e.grade) = 9", False), ("TRY_CAST(e.grade AS int) > 8", False)])
def test_a_text_column_converted_to_a_number_can_stop_the_query(check, converted, fails):
    """Enrollment.grade holds 'KG': CAST fails on it, whatever ISNUMERIC says beside it, since SQL
    Server may convert before it tests; TRY_CAST gives NULL instead."""
    sql = f"SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026 AND ISNUMERIC(e.grade) = 1 AND {converted}\n"
    (hit,) = [f for f in found(check, sql, "PR001") if "ISNUMERIC" not in f.message]
    assert ("stops the query with a conversion error, and an ISNUMERIC test beside it does not prevent that"
            in hit.remediation) is fails


def test_conditions_on_an_indexed_view_read_with_noexpand_are_weighed_on_its_stored_rows(check):
    """WITH (NOEXPAND), SQL Server reads student's stored rows through the view's own indexes, not
    the base tables behind it: s.endYear + 0 hides the year the view's index could seek, and a
    leading wildcard on lastName loses no seek, as the view has no index on it. Expanded, the
    conditions fall on the base tables, as before."""
    conditions = "WHERE s.endYear + 0 = 2027 AND s.lastName LIKE '%son'\n"
    stored = check(f"SELECT s.personID FROM student s WITH (NOEXPAND) {conditions}")
    (hidden,) = [f for f in stored.findings if f.rule == "PR001"]
    assert hidden.message.startswith("s.endYear + 0 hides student.endYear (300k rows) inside an expression")
    assert hidden.severity == "warning" and not [f for f in stored.findings if f.rule == "PR002"]
    expanded = check(f"SELECT s.personID FROM student s {conditions}")
    assert [f.message.split(" (")[0] for f in expanded.findings if f.rule in ("PR001", "PR002")] == [
        "s.endYear + 0 hides Enrollment.endYear", "LIKE '%son' starts with a wildcard: SQL Server cannot seek Identity.lastName and tests every one of its 120k rows."]
    # the view's columns keep their base columns' NOT NULL: no NULL to join with +, none to trap NOT IN
    sql = ("SELECT s.lastName + ', ' + s.firstName AS name FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027 "
           "AND s.personID NOT IN (SELECT e.personID FROM Enrollment e WHERE e.endYear = 2026)\n")
    assert [f.rule for f in check(sql).findings if f.rule in ("CL013", "SH003")] == []
    assert {f.rule for f in check(sql.replace("lastName +", "middleName +")).findings} >= {"CL013"}


def test_an_expression_on_the_smaller_side_of_a_join_is_the_value_the_larger_is_sought_with(check):
    """tc.endYear >= s.endYear - 3: each of this year's seniors seeks TranscriptCourse with the value."""
    sql = ("SELECT s.studentNumber, tc.courseName FROM student s WITH (NOEXPAND) "
           "JOIN TranscriptCourse tc ON tc.personID = s.personID "
           "WHERE s.endYear = 2026 AND s.grade = '12' AND tc.endYear >= s.endYear - 3\n")
    (hit,) = found(check, sql, "PR001")
    assert hit.severity == "info" and hit.message.endswith(
        "but no seek is lost: student s is the smaller side of the join, and this is the value the larger "
        "TranscriptCourse.endYear (1.5M rows) is compared with.")
    assert hit.remediation == ("Nothing to change for the join: s.endYear - 3 is computed once for each row of student s; "
                               "moving the arithmetic across would hide TranscriptCourse.endYear instead.")


def test_an_expression_beside_a_join_equality_its_index_seeks_loses_no_seek(check):
    """Last year's enrollment of each student: e2.endYear = e.endYear - 1 beside e2.personID =
    e.personID, which Enrollment's index on personID seeks whichever table the plan starts from;
    moving the arithmetic across only hides e2.endYear instead. YEAR(a.date) = e.endYear beside
    a.personID = e.personID does lose a seek: Attendance's (personID, date) index would take the dates."""
    prior = ("SELECT e.personID FROM Enrollment e JOIN Enrollment e2 ON e2.personID = e.personID "
             "AND e2.endYear = e.endYear - 1 WHERE e.calendarID = 812\n")
    (hit,) = found(check, prior, "PR001")
    assert hit.severity == "info" and "but no seek is lost: the join also compares e2.personID = e.personID" in hit.message
    assert hit.remediation.startswith("Nothing to change for the join")
    dated = ("SELECT e.personID FROM Enrollment e JOIN Attendance a ON a.personID = e.personID "
             "AND YEAR(a.date) = e.endYear WHERE e.calendarID = 812\n")
    (hit,) = found(check, dated, "PR001")
    assert hit.severity != "info" and "no seek is lost" not in hit.message


@pytest.mark.parametrize("joined, year, fix", [
    ("JOIN Calendar c ON c.calendarID = a.calendarID", "c.endYear",
     "For the whole school year, compare with its first and last days: a.date >= c.startDate AND a.date <= c.endDate"),
    ("JOIN SchoolYear sy ON sy.endYear = 2026", "sy.endYear",
     "For the whole school year, compare with its first and last days: a.date >= sy.startDate AND a.date <= sy.endDate"),
    # an enrollment's dates are its own, not the school year's
    ("JOIN Enrollment e ON e.personID = a.personID AND e.calendarID = a.calendarID", "e.endYear",
     "For the whole school year, compare a.date with the first and last days of the school year, from its Calendar"),
])
def test_the_calendar_year_of_a_date_compared_with_a_school_years_end_keeps_only_its_spring(check, joined, year, fix):
    """A school year ending in 2026 starts in August 2025: YEAR(a.date) = 2026 drops its fall."""
    sql = f"SELECT a.personID FROM Attendance a {joined} WHERE a.calendarID = 4 AND YEAR(a.date) = {year}\n"
    (hit,) = found(check, sql, "PR001")
    assert hit.message.endswith(f"{year} is the year a school year ends in, so YEAR(a.date) = {year} keeps that school "
                                "year's dates from January on and drops the fall before them.")
    assert hit.remediation.startswith(fix)


@pytest.mark.parametrize("condition, reported", [
    ("c.endYear = YEAR(GETDATE())", True),
    ("YEAR(GETDATE()) = c.endYear", True),
    ("c.endYear >= DATEPART(yy, CURRENT_TIMESTAMP) - 1", True),
    ("c.endYear = YEAR(SYSDATETIME()) + 1", True),  # right from July, a year ahead from January
    ("c.endYear = (SELECT endYear FROM SchoolYear WHERE active = 1)", False),
    ("c.endYear = 2026", False),
    ("YEAR(c.startDate) = YEAR(GETDATE())", False),  # a date's calendar year: the test below
])
def test_a_school_year_taken_from_todays_calendar_year_is_last_years_in_the_fall(check, condition, reported):
    sql = f"SELECT e.personID FROM Enrollment e JOIN Calendar c ON c.calendarID = e.calendarID WHERE {condition}\n"
    hits = found(check, sql, "SC004")
    assert bool([hit for hit in hits if "takes the school year" in hit.message]) is reported
    if reported:
        assert hits[0].message.startswith(f"{condition} takes the school year from today's calendar year, but c.endYear "
                                          "is the year a school year ends in")
        assert "JOIN SchoolYear sy ON sy.endYear = c.endYear AND sy.active = 1" in hits[0].remediation


@pytest.mark.parametrize("condition, reported", [
    ("YEAR(a.date) = YEAR(GETDATE())", True),
    ("DATEPART(year, a.date) = DATEPART(yy, SYSDATETIME()) - 1", True),
    ("YEAR(GETDATE()) = YEAR(a.date)", True),
    ("YEAR(a.date) >= YEAR(GETDATE()) - 1", False),  # a span of calendar years: the days of more than one school year
    ("YEAR(a.date) = 2026", False),  # PR001 says what a year written out keeps
    ("a.date >= DATEFROMPARTS(YEAR(GETDATE()), 1, 1)", False),
])
def test_the_days_of_todays_calendar_year_are_halves_of_two_school_years(check, condition, reported):
    sql = f"SELECT a.personID, a.date FROM Attendance a WHERE a.calendarID IN (4, 5) AND {condition}\n"
    hits = found(check, sql, "SC004")
    assert bool(hits) is reported
    if not reported:
        return
    assert hits[0].message == (f"{condition} keeps the rows whose a.date falls in one calendar year, January to "
                               "December, but a school year runs from August to June: those days are the spring of one "
                               "school year and the fall of the next.")
    assert "JOIN SchoolYear sy ON sy.endYear = c.endYear AND sy.active = 1" in hits[0].remediation


def test_the_days_of_a_calendar_year_are_the_spring_of_one_school_year_and_the_fall_of_the_next(check):
    sql = "SELECT a.personID, a.date FROM Attendance a WHERE a.calendarID IN (4, 5) AND YEAR(a.date) = YEAR(GETDATE())"
    (hit,) = found(check, sql + "\n", "SC004")
    assert "those days are the spring of one school year and the fall of the next" in hit.message
    # calendar 4 is the school year 2025-26, calendar 5 the next: run in November 2026, both give days
    database = sqlite_with({"Attendance": ("personID int, calendarID int, date text", [
        (1, 4, "2025-10-01"), (2, 4, "2026-03-02"), (3, 5, "2026-10-05")])})
    database.create_function("YEAR", 1, lambda day: int(day[:4]))  # SQL Server's, on ISO dates
    assert sqlite_rows(database, sql.replace("GETDATE()", "'2026-11-20'")) == [(2, "2026-03-02"), (3, "2026-10-05")]


@pytest.mark.parametrize("script, reported", [
    ("DECLARE @year int = YEAR(GETDATE())", True),
    ("DECLARE @year int\nSET @year = DATEPART(year, GETDATE())", True),
    ("DECLARE @year int\nSELECT @year = YEAR(GETDATE()) + 1", True),
    # the fall moves on to the next school year: what the finding asks for
    ("DECLARE @year int = YEAR(GETDATE())\nIF MONTH(GETDATE()) >= 7 SET @year = @year + 1", False),
    ("DECLARE @year int\nIF MONTH(GETDATE()) >= 8 SET @year = YEAR(GETDATE()) + 1\nELSE SET @year = YEAR(GETDATE())", False),
    ("DECLARE @year int\nIF MONTH(GETDATE()) >= 8 SET @year = YEAR(GETDATE())\nELSE SET @year = YEAR(GETDATE())", True),
    ("DECLARE @year int\nSELECT @year = endYear FROM SchoolYear WHERE active = 1", False),
])
def test_a_variable_set_to_todays_calendar_year_is_taken_for_a_school_year(check, script, reported):
    hits = found(check, f"{script}\nSELECT e.personID FROM Enrollment e WHERE e.endYear = @year\n", "SC004")
    assert bool(hits) is reported
    if reported:
        assert hits[0].message.startswith("e.endYear = @year takes the school year from today's calendar year (@year holds it)")


GOOD = [p for p in sample_files() if p.name.endswith((".good.sql", "_fixed.sql"))]


@pytest.mark.parametrize("path", GOOD, ids=[str(p.relative_to(SAMPLES)) for p in GOOD])
def test_the_team_s_good_queries_raise_no_warning_from_the_general_rules(check, path):
    general = ("PR", "SH", "HT003")
    report = check(path.read_bytes(), str(path), rules=RuleSelection(extend=ALL))  # off-by-default rules too
    assert [f.message for f in report.findings if f.rule.startswith(general) and f.severity != "info"] == []


def test_a_cursor_is_reported_once_not_again_for_its_fetch_loop(check):
    path = SAMPLES / "scripts" / "contact_email_cursor.sql"
    hits = [f for f in check(path.read_bytes(), str(path)).findings if f.rule == "SH013"]
    assert [(f.severity, "cursor" in f.message) for f in hits] == [("warning", True)]


@pytest.mark.parametrize(("body", "reported"), [
    ("DELETE TOP (5000) FROM CustomStudent WHERE attributeID = 812 AND value IS NULL", False),
    ("UPDATE TOP (5000) cs SET cs.value = 'Y' FROM CustomStudent cs WHERE cs.attributeID = 812 AND cs.value = 'Yes'",
     False),
    ("DELETE FROM CustomStudent WHERE customID = (SELECT MIN(customID) FROM CustomStudent WHERE value IS NULL)", True),
])
def test_a_loop_that_writes_in_batches_is_not_row_by_row(check, body, reported):
    """A large delete or update TOP (n) rows at a time, until none is left, keeps the log and the
    locks small on purpose; a loop that takes one row a pass is row by row."""
    script = f"WHILE 1 = 1\nBEGIN\n    {body};\n    IF @@ROWCOUNT = 0 BREAK;\nEND\n"
    assert bool(found(check, script, "SH013")) is reported


def test_a_multi_statement_function_is_known_from_the_catalog_or_from_the_file(check, checker):
    from dataclasses import replace

    from advisor.catalog.model import Function
    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = "SELECT a.date FROM dbo.fn_Students(2026) f JOIN Attendance a ON a.personID = f.personID\n"
    assert found(check, sql, "SH010") == []  # unknown: it may be inline
    for kind, flagged in (("multi_statement", True), ("inline", False)):
        catalog = replace(checker.catalog, functions={"fn_students": Function("fn_Students", kind)})
        report = Checker(catalog, checker.settings).check(Source("q.sql", sql.encode()))
        assert bool([f for f in report.findings if f.rule == "SH010"]) is flagged


@pytest.mark.parametrize("sql", [
    "SELECT x.* FROM (SELECT * FROM Enrollment e WHERE e.endYear = 2026) x",
    "WITH c AS (SELECT * FROM Enrollment e WHERE e.endYear = 2026) SELECT c.personID FROM c UNION ALL SELECT d.* FROM c d",
    # every column decides which rows are the same
    "SELECT COUNT(*) FROM (SELECT DISTINCT * FROM Enrollment e WHERE e.endYear = 2026) x",
    "SELECT COUNT(*) FROM (SELECT * FROM Enrollment e WHERE e.endYear = 2026 UNION SELECT * FROM Enrollment f WHERE f.endYear = 2025) x",
])
def test_a_star_inside_a_query_is_reported_where_its_every_column_is_used(check, sql):
    assert found(check, sql, "CL001")[0].message.startswith("SELECT * returns all 17 columns of Enrollment e")


@pytest.mark.parametrize("condition, kept_most", [
    ("RIGHT('000000000' + p.studentNumber, 9) = '000123456'", False),
    ("RIGHT('000000000' + p.studentNumber, 9) <> '000000000'", True),
    ("RIGHT('000000000' + p.studentNumber, 9) NOT IN ('000000000', '999999999')", True),
    ("RIGHT('000000000' + p.studentNumber, 9) NOT LIKE '000%'", True),
])
def test_a_function_in_a_comparison_that_keeps_all_but_some_values_loses_no_seek(check, condition, kept_most):
    """<> (PR010) keeps every row but one value's: the bare column would not be sought either."""
    (hit,) = found(check, f"SELECT p.personID FROM Person p WHERE {condition}\n", "PR001")
    assert ("keeps all but some values" in hit.message) is kept_most
    assert (hit.severity == "info") is kept_most


def test_a_scalar_function_says_how_large_the_query_it_runs_in_is(check):
    sql = "SELECT s.studentNumber, dbo.fn_StudentAge(s.personID, GETDATE()) AS age FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026"
    (hit,) = found(check, sql, "SH002")
    assert hit.message.startswith("dbo.fn_StudentAge() is a scalar user function: it runs its body once for every row it "
                                  "is called on, in a query over student (300k rows), and before SQL Server 2019")


@pytest.mark.parametrize(("source", "said"), [
    ("(SELECT a.personID, COUNT(*) AS n FROM Attendance a WHERE a.calendarID = 4 GROUP BY a.personID) x",
     ", in a query over Attendance (15.0M rows, through x), "),
    ("#counts x", ", "),  # a temp table's rows are not known: no count, where it said "(0 rows)"
])
def test_a_scalar_function_over_a_derived_table_names_the_table_read_through_it(check, source, said):
    """A derived table's rows are not those of the table it reads, which it may group to a row per
    student: the message said "in a query over x (15.0M rows)"."""
    sql = f"CREATE TABLE #counts (personID int, n int)\nSELECT dbo.fn_Band(x.n) AS band FROM {source}\n"
    (hit,) = found(check, sql, "SH002")
    assert hit.message.startswith(f"dbo.fn_Band() is a scalar user function: it runs its body once for every row it "
                                  f"is called on{said}and before SQL Server 2019")


def test_distinct_over_a_chain_of_joins_is_replaced_by_one_exists_that_takes_the_chain_along(check):
    """The homeroom Section a student's Roster names: Section alone joins on its key, Roster alone
    links two tables; together they only ask whether a match exists."""
    sql = ("SELECT DISTINCT s.personID, s.lastName FROM student s WITH (NOEXPAND)\n"
           "JOIN Roster r ON r.personID = s.personID\nJOIN Section se ON se.sectionID = r.sectionID\n"
           "WHERE s.endYear = 2026 AND se.homeroomSection = 1")
    (hit,) = found(check, sql, "SH004")
    assert hit.span.line == 2 and hit.objects == ("Roster", "Section")
    assert hit.message == ("DISTINCT removes the copies these joins make: every row is repeated for each matching Roster row "
                           "(2.0M rows in all), and none of the columns of r and se is returned.")
    assert hit.remediation == ("Test for a match instead of joining: WHERE EXISTS (SELECT 1 FROM Roster r JOIN Section se ON "
                               "se.sectionID = r.sectionID WHERE r.personID = s.personID AND se.homeroomSection = 1), and "
                               "drop the DISTINCT.")


def test_distinct_over_a_view_joined_only_to_filter_is_found_and_the_exists_takes_the_view_along(check):
    """The view is read through its definition: a row per enrollment of the student, so it repeats
    the person's row as the Attendance rows joined to it do; the EXISTS takes both."""
    sql = ("SELECT DISTINCT p.studentNumber FROM Person p JOIN v_AdHocStudent s ON s.personID = p.personID\n"
           "JOIN Attendance a ON a.personID = s.personID AND a.calendarID = s.calendarID\n"
           "WHERE s.endYear = 2026 AND a.excuseID = 7")
    (hit,) = found(check, sql, "SH004")
    assert (hit.span.line, hit.objects) == (1, ("v_AdHocStudent", "Attendance"))
    assert hit.message == ("DISTINCT removes the copies these joins make: every row is repeated for each matching Attendance "
                           "row (15.0M rows in all), and none of the columns of s and a is returned.")
    assert hit.remediation == ("Test for a match instead of joining: WHERE EXISTS (SELECT 1 FROM v_AdHocStudent s JOIN "
                               "Attendance a ON a.personID = s.personID WHERE s.personID = p.personID AND a.calendarID = "
                               "s.calendarID AND s.endYear = 2026 AND a.excuseID = 7), and drop the DISTINCT.")


@pytest.mark.parametrize("view, joined, repeats", [
    ("v_AdHocStudent", "s.personID = p.personID", "v_AdHocStudent"),  # a row per enrollment
    ("v_CensusContactSummary", "s.personID = p.personID", "v_CensusContactSummary"),  # a row per related person
    ("Individual", "s.personID = p.personID", None),  # a row per person
    ("v_AdHocStudent", "s.enrollmentID = p.personID", None),  # its key: one enrollment
])
def test_distinct_over_a_view_is_judged_by_the_rows_of_its_definition(check, view, joined, repeats):
    sql = f"SELECT DISTINCT p.studentNumber FROM Person p JOIN {view} s ON {joined} WHERE p.personID > 0"
    hits = found(check, sql, "SH004")
    assert [hit.objects for hit in hits] == ([(repeats,)] if repeats else [])
    if repeats:
        assert hits[0].message == (f"DISTINCT removes the copies this join makes: every row is repeated for each matching "
                                   f"{repeats} row, and none of s's columns is returned.")


@pytest.mark.parametrize("with_, read, matching", [
    ("WITH absences AS (SELECT * FROM Attendance WHERE status = 'A')\n", "absences a", "absences row"),
    ("", "(SELECT * FROM Attendance WHERE status = 'A') a", "row of the derived table a"),
])
def test_distinct_over_a_cte_or_derived_table_joined_only_to_filter_tests_it_with_exists(check, with_, read, matching):
    """The CTE or derived table repeats each student's row as Attendance does; an EXISTS names the
    CTE, or repeats the derived table, as the join does, and keeps the same rows."""
    sql = f"{with_}SELECT DISTINCT p.personID, p.studentNumber FROM Person p\nJOIN {read} ON a.personID = p.personID\nWHERE p.personID > 0"
    (hit,) = found(check, sql, "SH004")
    assert hit.span.line == sql.count("\n")
    assert hit.message == (f"DISTINCT removes the copies this join makes: every row is repeated for each matching {matching}, "
                           "and none of a's columns is returned.")
    exists = hit.remediation.split("WHERE ", 1)[1].split(", and drop the DISTINCT")[0]
    assert exists == f"EXISTS (SELECT 1 FROM {read} WHERE a.personID = p.personID)"
    database = sqlite_with({"Person": ("personID, studentNumber", [(1, "A1"), (2, "A2"), (3, "A3")]),
                            "Attendance": ("personID, status", [(1, "A"), (1, "A"), (1, "T"), (2, "T"), (3, "A")])})
    rewritten = sql.replace(f"\nJOIN {read} ON a.personID = p.personID", "").replace("SELECT DISTINCT", "SELECT")
    rewritten += f" AND {exists}"
    assert sqlite_rows(database, rewritten) == sqlite_rows(database, sql) == [(1, "A1"), (3, "A3")]


def test_the_exists_in_place_of_a_join_keeps_an_or_together_and_its_conditions_whole(check):
    sql = ("SELECT DISTINCT s.personID FROM student s WITH (NOEXPAND) JOIN Roster r ON r.personID = s.personID "
           "AND r.startDate <= DATEADD(day, -30, CAST(GETDATE() AS date)) AND (r.endDate IS NULL OR r.endDate >= GETDATE()) "
           "WHERE s.endYear = 2026")
    (hit,) = found(check, sql, "SH004")
    assert hit.remediation == ("Test for a match instead of joining: WHERE EXISTS (SELECT 1 FROM Roster r WHERE r.personID = "
                               "s.personID AND r.startDate <= DATEADD(day, -30, CAST(GETDATE() AS date)) AND (r.endDate IS NULL "
                               "OR r.endDate >= GETDATE())), and drop the DISTINCT.")


@pytest.mark.parametrize(
    "rule, sql",
    [
        ("SH004", "SELECT DISTINCT s.personID FROM student s WITH (NOEXPAND) JOIN School sch ON sch.schoolID = s.schoolID WHERE s.endYear = 2026"),
        ("SH004", "SELECT DISTINCT s.personID FROM student s WITH (NOEXPAND) JOIN Calendar c ON c.calendarID = s.calendarID "
                  "JOIN School sch ON sch.schoolID = c.schoolID WHERE s.endYear = 2026"),  # each joined on its key
        # RelatedPair links each student to the contact whose columns are returned: no EXISTS can replace it
        ("SH004", "SELECT DISTINCT s.studentNumber, ci.lastName FROM student s WITH (NOEXPAND) "
                  "JOIN RelatedPair rp ON rp.personID1 = s.personID JOIN [Identity] ci ON ci.personID = rp.personID2 "
                  "WHERE s.endYear = 2026"),
        # grouped: the joined rows are counted, and the DISTINCT removes nothing
        ("SH004", "SELECT DISTINCT s.personID FROM student s WITH (NOEXPAND) JOIN Attendance a ON a.personID = s.personID "
                  "AND a.calendarID = s.calendarID WHERE s.calendarID = 1401 GROUP BY s.personID HAVING COUNT(DISTINCT a.date) >= 3"),
        ("SH012", "SELECT s.personID FROM student s WITH (NOEXPAND) LEFT JOIN Contact ct ON ct.personID = s.personID WHERE s.endYear = 2026 AND ct.email IS NULL"),
        # the current school year is one row: joining it to every student multiplies nothing
        ("JN001", "SELECT s.personID, sy.label FROM student s WITH (NOEXPAND) JOIN SchoolYear sy ON sy.active = 1 "
                  "WHERE s.endYear = 2026"),
        # read through a derived table that passes its rows on, the one row is still one
        ("JN001", "SELECT s.personID, c.name FROM student s WITH (NOEXPAND) JOIN (SELECT * FROM Calendar) c "
                  "ON c.calendarID = 5 WHERE s.endYear = 2026"),
        ("SH014", "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE EXISTS (SELECT TOP 1 1 FROM Attendance a WHERE a.personID = s.personID)"),
        ("SH005", "SELECT p.personID FROM Person p WHERE p.studentNumber = '1' UNION SELECT p.personID FROM Person p WHERE p.stateID = '1'"),
        ("SH001", "SELECT s.personID, (SELECT COUNT(*) FROM School) AS schools FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026"),
        # copying a table's columns and none of its rows reads nothing
        ("SC001", "SELECT * INTO #shape FROM Attendance WHERE 1 = 0"),
        ("CL001", "SELECT * INTO #shape FROM Attendance WHERE 1 = 0"),
        # a derived table or CTE whose reader names its columns: SQL Server reads only those
        ("CL001", "SELECT COUNT(*) FROM (SELECT * FROM Enrollment e WHERE e.endYear = 2026) x"),
        ("CL001", "WITH c AS (SELECT * FROM v_AdHocStudent v WHERE v.endYear = 2026) SELECT c.studentNumber FROM c"),
        ("CL001", "SELECT COUNT(*) FROM (SELECT * FROM Enrollment e WHERE e.endYear = 2026 UNION ALL "
                  "SELECT * FROM Enrollment f WHERE f.endYear = 2025) x"),
        ("SC001", "SELECT TOP 0 a.* INTO #shape FROM Attendance a"),
        ("SH014", "SELECT TOP 0 a.* INTO #shape FROM Attendance a"),
        ("SH014", "SELECT TOP 100 PERCENT c.endYear FROM Calendar c"),  # every row: there is no choosing
        # a key's one row: there is no other to choose
        ("SH014", "SELECT a.personID FROM Attendance a CROSS APPLY (SELECT TOP 1 c.endYear FROM Calendar c "
                  "WHERE c.calendarID = a.calendarID) x WHERE a.calendarID = 5"),
        ("SH014", "SELECT TOP (1) c.endYear FROM Calendar c WHERE c.calendarID = @calendar"),
        ("SH014", "SELECT TOP (1) i.lastName FROM Person p JOIN [Identity] i ON i.identityID = p.currentIdentityID "
                  "WHERE p.personID = @person"),
        ("SC001", "SELECT x.personID FROM (SELECT a.personID, COUNT(*) AS n FROM Attendance a GROUP BY a.personID) x "
                  "WHERE 'a' <> 'a'"),
        # xml methods, written after a column and its table's alias, are not user functions
        ("SH002", "SELECT t.c.value('@id', 'int') FROM #doc d CROSS APPLY d.body.nodes('/r/a') t(c)"),
        ("SH002", "CREATE TABLE #doc (body xml)\nSELECT body.query('/r') FROM #doc"),
        ("SH002", "SELECT $PARTITION.pf(e.endYear) FROM Enrollment e WHERE e.endYear = 2026"),  # SQL Server's own
        # the usual way of joining strings before STRING_AGG: .value() is a method of the xml the
        # query returns, and the query inside keeps its join and its correlation
        *((rule, "SELECT s.personID, STUFF((SELECT ', ' + c.email FROM RelatedPair rp\n"
                 "JOIN Contact c ON c.personID = rp.personID2 WHERE rp.personID1 = s.personID\n"
                 "FOR XML PATH(''), TYPE).value('.', 'varchar(max)'), 1, 2, '') AS emails\n"
                 "FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026") for rule in ("SH002", "JN001", "SC001")),
        # FOR XML and FOR JSON build one document, in the order their ORDER BY gives
        ("SH006", "SELECT s.personID, (SELECT c.email + ';' FROM Contact c WHERE c.personID = s.personID ORDER BY c.email "
                  "FOR XML PATH('')) AS emails FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026"),
    ],
)
def test_what_only_looks_like_the_anti_pattern_is_not_flagged(check, rule, sql):
    assert found(check, sql + "\n", rule) == []


@pytest.mark.parametrize("condition, column", [
    ("DATEDIFF(day, ua.lastLogin, GETDATE()) > 90", "lastLogin"),  # NULL in, NULL out: no row without an account passes
    ("st.personID = ua.personID", "personID"),  # the LEFT JOIN's column on the right of the comparison
    ("UPPER(LTRIM(ua.username)) LIKE 'J%'", "username"),
    ("NOT (ua.disable = 1)", "disable"),  # NOT of unknown is unknown
])
def test_a_comparison_of_a_calculation_from_a_left_joined_column_makes_the_join_inner(check, condition, column):
    sql = ("SELECT st.personID FROM student st WITH (NOEXPAND) LEFT JOIN UserAccount ua ON ua.personID = st.personID "
           f"WHERE st.endYear = 2026 AND {condition}\n")
    (finding,) = found(check, sql, "SH012")
    assert finding.message.startswith(f"The WHERE condition on ua.{column} throws away the rows")


@pytest.mark.parametrize("column, fix", [
    ("userID", "Write INNER JOIN UserAccount and drop the condition: it says what the query does."),  # its key
    ("lastLogin", "Write INNER JOIN UserAccount: it says what the query does."),  # NULL in some accounts too
])
def test_is_not_null_on_a_left_join_s_column_is_an_inner_join_written_the_long_way(check, column, fix):
    sql = ("SELECT st.personID FROM student st WITH (NOEXPAND) LEFT JOIN UserAccount ua ON ua.personID = st.personID "
           f"WHERE st.endYear = 2026 AND ua.{column} IS NOT NULL\n")
    (finding,) = found(check, sql, "SH012")
    assert finding.message == (f"ua.{column} IS NOT NULL keeps only the rows where the LEFT JOIN found a UserAccount, so "
                               "the LEFT JOIN works as an inner join.")
    assert finding.remediation == fix
    (negated,) = found(check, sql.replace(f"ua.{column} IS NOT NULL", f"NOT (ua.{column} IS NULL)"), "SH012")
    assert negated.remediation == fix


@pytest.mark.parametrize("condition", [
    "ISNULL(ua.lastLogin, '2000-01-01') < '2026-01-01'",  # the rows without an account get a date, and can pass
    "COALESCE(ua.disable, 0) = 0",
    "CASE WHEN ua.userID IS NULL THEN 1 ELSE 0 END = 1",
])
def test_a_calculation_that_gives_null_a_value_leaves_the_left_join(check, condition):
    sql = ("SELECT st.personID FROM student st WITH (NOEXPAND) LEFT JOIN UserAccount ua ON ua.personID = st.personID "
           f"WHERE st.endYear = 2026 AND {condition}\n")
    assert found(check, sql, "SH012") == []


def test_a_linked_server_is_a_warning_and_another_database_information(check):
    (linked,) = found(check, "SELECT b.stop FROM TRANSPORT01.Transport.dbo.BusRider b\n", "HT003")
    (other,) = found(check, "SELECT b.stop FROM Transport.dbo.BusRider b\n", "HT003")
    assert (linked.severity, other.severity) == ("warning", "info") and "linked server TRANSPORT01" in linked.message


def test_a_campus_table_named_with_its_database_may_be_in_the_database_the_query_runs_in(check):
    (campus,) = found(check, "SELECT p.personID FROM CampusProd.dbo.Person p WHERE p.personID = 5\n", "HT003")
    (other,) = found(check, "SELECT b.stop FROM Transport.dbo.BusRider b\n", "HT003")
    assert "names its database, CampusProd, in full" in campus.message and "a sandbox or training site" in campus.message
    assert "(dbo.Person)" in campus.remediation and "is in another database, Transport" in other.message


@pytest.mark.parametrize("name", ["TRANSPORT01.Transport.dbo.BusRider", "[Transport].dbo.[BusRider]", "Transport..BusRider"])
def test_another_database_is_marked_on_the_name_written_in_full(check, name):
    """The finding is about the server or database the name starts with, not the table alone."""
    sql = f"SELECT b.stop\nFROM {name} AS b\n"
    (hit,) = found(check, sql, "HT003")
    assert sql[hit.span.start:hit.span.end] == name and (hit.span.line, hit.span.column) == (2, 6)


def test_the_database_the_script_uses_is_not_another_database(check):
    sql = ("USE campus\nSELECT s.name FROM campus.dbo.School s\n"
           "USE transport\nSELECT s.name FROM campus.dbo.School s\n")
    assert [f.span.line for f in found(check, sql, "HT003")] == [4]


@pytest.mark.parametrize("database, advice", [
    # sp_send_dbmail runs its @query in msdb: only the full name finds the table there
    ("", "Database Mail runs its @query in msdb, where only the full name finds School: to name it dbo.School, give "
         "sp_send_dbmail @execute_query_database = N'Campus'."),
    (", @execute_query_database = N'Campus'", None),  # it runs in Campus: the full name names its own database
    (", @execute_query_database = @database", "Name it without its database (dbo.School) when the query runs in Campus"),
])
def test_a_database_mail_query_is_judged_in_the_database_it_runs_in(check, database, advice):
    sql = (f"EXEC msdb.dbo.sp_send_dbmail @profile_name = 'Reports', @recipients = 'office@example.org'{database}, "
           "@query = 'SELECT s.name FROM Campus.dbo.School s'\n")
    hits = found(check, sql, "HT003")
    assert [hit.remediation.startswith(advice) for hit in hits] == ([True] if advice else [])


def test_the_system_databases_are_not_another_database(check):
    sql = ("SELECT t.name FROM tempdb.sys.tables t\nSELECT j.name FROM msdb.dbo.sysjobs j\n"
           "SELECT d.name FROM MASTER.sys.databases d\nSELECT j.name FROM REPORTS01.msdb.dbo.sysjobs j\n")
    assert [f.span.line for f in found(check, sql, "HT003")] == [4]  # another server's msdb is still remote


def test_a_database_named_by_a_sqlcmd_variable_is_named_in_one_place_already(check):
    assert found(check, "SELECT b.stop FROM $(TransportDb).dbo.BusRider b\n", "HT003") == []
    (linked,) = found(check, "SELECT b.stop FROM $(Server).$(TransportDb).dbo.BusRider b\n", "HT003")
    assert "linked server $(Server)" in linked.message


@pytest.mark.parametrize(
    "declared, flagged",
    [("int", True), ("nvarchar(15)", True), ("varchar(15)", False), ("char(15)", False)],
)
def test_a_declared_variable_of_another_type_converts_the_column(check, declared, flagged):
    sql = f"DECLARE @number {declared} = '123456'\nSELECT p.personID FROM Person p WHERE @number = p.studentNumber\n"
    hits = found(check, sql, "PR004")
    assert bool(hits) is flagged
    if flagged:
        assert f"@number is {declared}, which outranks it" in hits[0].message


@pytest.mark.parametrize("sql, severity", [
    ("SELECT e.personID FROM Enrollment e WHERE EXISTS (SELECT 1 FROM Attendance a WHERE a.personID = e.personID "
     "ORDER BY a.date) AND e.calendarID = 4", "error"),
    ("CREATE VIEW v_x AS SELECT s.schoolID FROM School s ORDER BY s.name", "error"),
    ("SELECT x.n FROM (SELECT TOP 100 PERCENT s.schoolID AS n FROM School s ORDER BY s.name) x", "warning"),
    ("SELECT x.n FROM (SELECT TOP 5 s.schoolID AS n FROM School s ORDER BY s.name) x", None),
    ("SELECT x.n FROM (SELECT s.schoolID AS n FROM School s ORDER BY s.name OFFSET 0 ROWS) x", None),
])
def test_an_order_by_inside_without_top_is_refused_by_sql_server_and_with_top_100_percent_ignored(check, sql, severity):
    hits = found(check, sql + "\n", "SH006")
    assert [hit.severity for hit in hits] == ([severity] if severity else [])
    if severity == "error":
        assert hits[0].message.startswith("SQL Server refuses this statement: ORDER BY inside a view, subquery, derived "
                                          "table or CTE is allowed only with TOP, OFFSET or FOR XML (error 1033)")


@pytest.mark.parametrize("condition, fails", [
    ("e.grade = 9", "Any Enrollment.grade that is not a number stops the query with a conversion error."),
    ("e.grade IN (9, 10)", "Any Enrollment.grade that is not a number stops the query with a conversion error."),
    ("e.grade = e.startDate", "Any Enrollment.grade that is not a date stops the query with a conversion error."),
    ("e.grade = N'09'", None),
])
def test_a_text_column_turned_into_a_number_or_a_date_is_said_to_fail_on_other_values(check, condition, fails):
    """Campus grades include KG and PK: WHERE e.grade = 9 stops at the first of them."""
    (hit,) = found(check, f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND {condition}\n", "PR004")
    assert hit.message.endswith(fails) if fails else hit.message.endswith("cannot seek it.")


@pytest.mark.parametrize("condition, fix", [
    ("e.grade IN (3, 4, '05')", "Compare it with text: e.grade IN ('3', '4', '05'), written the way Enrollment.grade holds them"),
    ("9 <= e.grade", "Do not make it a text range: text compares character by character ('10' sorts before '9', and "
                     "'KG' after every digit). List the values meant, written as Enrollment.grade holds them, leading "
                     "zeros included: e.grade IN ('09', '10', ...), which no code with letters (KG, PK) slips into; or "
                     "compare numbers: TRY_CAST(e.grade AS int) >= 9"),
    ("e.grade = N'09'", "Drop the N: e.grade = '09'."),
    ("e.grade LIKE N'0%'", "Drop the N: e.grade LIKE '0%'."),
    ("e.grade NOT LIKE N'0!_%' ESCAPE '!'", "Drop the N: e.grade NOT LIKE '0!_%' ESCAPE '!'."),
    ("e.grade = N'K''1'", "Drop the N: e.grade = 'K''1'."),  # a quote in it stays doubled: 'K'1' is no string
    ("e.grade = @grade", "Declare @grade as varchar(4), the type of Enrollment.grade."),
    ("e.grade = e.personID", "Compare it with a column of its own type; where e.personID is the one meant, convert it instead: "
                             "CAST(e.personID AS varchar(4)) leaves Enrollment.grade as it is for its index"),
])
def test_the_fix_gives_the_value_the_column_s_type(check, condition, fix):
    sql = f"DECLARE @grade int = 9\nSELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND {condition}\n"
    (hit,) = found(check, sql, "PR004")
    assert hit.remediation.startswith(fix)


@pytest.mark.parametrize("condition", ["e.grade LIKE N'%9'", "e.grade LIKE 9", "e.grade LIKE '0%'"])
def test_a_like_pattern_that_leaves_the_column_as_it_is_or_seeks_nothing_anyway_is_no_conversion(check, condition):
    """LIKE converts a number pattern to text, not the column; a leading wildcard is PR002's."""
    assert not found(check, f"SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND {condition}\n", "PR004")


def test_a_range_on_text_compared_with_a_number_is_not_fixed_as_a_text_range(check):
    """As text, '9' <= grade keeps KG and not 10; the number the fix compares keeps 09 and 10."""
    (hit,) = found(check, "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND 9 <= e.grade\n", "PR004")
    fixed = re.search(r"or compare numbers: (.+?), which leaves out", hit.remediation)[1]
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE Enrollment (personID, grade)")
    connection.executemany("INSERT INTO Enrollment VALUES (?, ?)", [(1, "09"), (2, "10"), (3, "KG"), (4, "08")])

    def rows(condition: str) -> list:
        sql = sqlglot.transpile(f"SELECT e.grade FROM Enrollment e WHERE {condition}", read="tsql", write="sqlite")[0]
        return sorted(grade for (grade,) in connection.execute(sql))

    assert rows("'9' <= e.grade") == ["KG"]
    assert rows(fixed) == ["09", "10"]


def test_a_comparison_that_can_stop_with_a_conversion_error_is_a_warning_where_the_column_could_not_be_sought(check):
    """calendarID = 4 is sought, so grade costs only its per-row work; but a KG row stops the query."""
    sql = "SELECT e.personID FROM Enrollment e WHERE e.calendarID = 4 AND e.grade = 9\n"
    assert [hit.severity for hit in found(check, sql, "PR004")] == ["warning"]
    assert [hit.severity for hit in found(check, sql.replace("e.grade = 9", "e.grade = N'09'"), "PR004")] == ["info"]


@pytest.mark.parametrize(
    "condition, first, after",
    [
        ("CONVERT(varchar(10), a.date, 120) = '2026-03-02'", "20260302", "20260303"),
        ("CONVERT(varchar(10), a.date, 101) = '02/28/2026'", "20260228", "20260301"),
        ("CONVERT(varchar(7), a.date, 120) LIKE '2025-12%'", "20251201", "20260101"),
        ("'2026-03-02' = CONVERT(varchar(10), a.date, 120)", "20260302", "20260303"),
        ("CONVERT(char(7), a.date, 120) = '2026-11'", "20261101", "20261201"),
        ("CONVERT(char(6), a.date, 112) = '202612'", "20261201", "20270101"),
        ("CONVERT(char(4), a.date, 112) = '2026'", "20260101", "20270101"),
    ],
)
def test_a_date_compared_as_text_is_given_the_range_its_value_means(check, condition, first, after):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR005")
    assert f"Compare the date itself with a date range: a.date >= '{first}' AND a.date < '{after}'" in hit.remediation


@pytest.mark.parametrize("limit, reach, level", [
    # the calendar's rows are sought, and each is formatted: the seek of the day among them is lost
    (" AND a.calendarID = 4", "an index on date cannot be sought", "error"),
    # nothing to seek: every row is read, with or without the conversion
    ("", "no index can seek date without calendarID or personID fixed first, so this costs work on every row", "info"),
])
def test_a_date_compared_as_text_says_what_it_formats_and_what_seek_it_loses(check, limit, reach, level):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE CONVERT(varchar(10), a.date, 101) = '10/15/2026'{limit}\n",
                   "PR005")
    assert hit.message == ("CONVERT(varchar(10), a.date, 101) = '10/15/2026' compares Attendance.date (15.0M rows), a "
                           f"smalldatetime, as text: SQL Server formats every row it reads as a string, {reach}, and the "
                           "result depends on the format.")
    assert hit.severity == level


@pytest.mark.parametrize("condition, language", [
    ("CONVERT(varchar(10), a.date, 120) = '2026-03-02'", False),  # digits, whatever the language
    ("CONVERT(varchar(10), a.date, 101) = '03/02/2026'", False),
    ("CONVERT(varchar(20), a.date, 107) = 'Mar 02, 2026'", True),  # the month's name, as the language spells it
    ("CONVERT(varchar(20), a.date, 0) LIKE 'Mar%'", True),
    ("CAST(a.date AS varchar(20)) LIKE 'Mar%'", True),  # CAST writes the month's name
    ("a.date LIKE 'Mar%'", True),  # and so does the conversion SQL Server adds
])
def test_the_server_s_language_is_named_only_where_the_text_spells_the_month(check, condition, language):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR005")
    assert hit.message.endswith("and the result depends on the format and the server's language." if language
                                else "and the result depends on the format.")


@pytest.mark.parametrize("style, pattern, december, august", [
    (101, "mm/dd/yyyy", "12/15/2025", "08/15/2026"),
    (103, "dd/mm/yyyy", "15/12/2025", "01/08/2026"),
])
def test_a_range_of_dates_as_text_that_does_not_start_with_the_year_says_which_days_it_misplaces(
        check, style, pattern, december, august):
    sql = f"SELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND CONVERT(varchar(10), a.date, {style}) >= '{august}'"
    (hit,) = found(check, sql + "\n", "PR005")
    assert hit.message.endswith(f"Written as {pattern}, a day of December 2025 ('{december}') sorts after one of August "
                                f"2026 ('{august}'): the range keeps days of other years and leaves out some of its own.")
    # meant: the days from August 2026 on; the text keeps December 2025 and leaves out January 1, 2027
    database = sqlite_with({"Attendance": ("personID int, calendarID int, date text", [
        (1, 4, "2025-12-15"), (2, 4, "2026-08-20"), (3, 4, "2027-01-01")])})
    assert sqlite_rows(database, sql) == [(1,), (2,)]
    # text that starts with the year sorts as the days do, and an equality is no range
    for sorted_or_equal in (sql.replace(f"{style}) >= '{august}'", "112) >= '20260815'"), sql.replace(">=", "=")):
        (hit,) = found(check, sorted_or_equal + "\n", "PR005")
        assert "sorts after" not in hit.message


@pytest.mark.parametrize("condition, first, after, written", [
    # a date and time turned into text without a style reads 'Mar  2 2026  2:07PM': LIKE '2025%' keeps nothing
    ("a.date LIKE '2025%'", "20250101", "20260101", "Mar  2 2026  2:07PM"),
    ("CAST(a.date AS varchar(20)) LIKE '2025%'", "20250101", "20260101", "Mar  2 2026  2:07PM"),
    ("CONVERT(varchar(8), a.date, 112) LIKE '2026-03%'", "20260301", "20260401", "20260302"),
    ("CONVERT(varchar(10), a.date, 120) = '202603'", "20260301", "20260401", "2026-03-02"),
    ("CONVERT(char(7), a.date, 120) = '2026-03-02'", "20260302", "20260303", "2026-03"),
    ("CONVERT(varchar(19), a.date, 120) = '2026-03-02'", "20260302", "20260303", "2026-03-02 14:07:00"),
    # dd/mm/yyyy: '03/02/2026' is the 3rd of February there, not the 2nd of March
    ("CONVERT(varchar(10), a.date, 103) = '03/02/2026'", "20260302", "20260303", "02/03/2026"),
])
def test_a_date_compared_with_text_its_conversion_does_not_write_for_those_days_says_so(check, condition, first, after,
                                                                                        written):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR005")
    assert hit.remediation.startswith(f"Compare the date itself with a date range, for example a.date >= '{first}' AND "
                                      f"a.date < '{after}' for what")
    assert f"SQL Server compares it with text such as '{written}', which does not keep those days" in hit.remediation


@pytest.mark.parametrize(
    "value, first, after",
    [
        ("DATEADD(D, -1, GETDATE())", "DATEADD(day, -1, CAST(GETDATE() AS date))", "CAST(GETDATE() AS date)"),
        ("GETDATE()", "CAST(GETDATE() AS date)", "DATEADD(day, 1, CAST(GETDATE() AS date))"),
        ("DATEADD(dd, 3, @day)", "DATEADD(day, 3, CAST(@day AS date))", "DATEADD(day, 4, CAST(@day AS date))"),
        ("DATEADD(month, -1, @day)", "CAST(DATEADD(MONTH, -1, @day) AS date)",
         "DATEADD(day, 1, CAST(DATEADD(MONTH, -1, @day) AS date))"),
    ],
)
def test_a_date_compared_as_text_with_another_day_written_alike_is_given_that_day_s_range(check, value, first, after):
    sql = (f"DECLARE @day datetime = GETDATE()\nSELECT a.personID FROM Attendance a WHERE a.calendarID = 4 AND "
           f"CONVERT(varchar(10), a.date, 101) = CONVERT(varchar(10), {value}, 101)\n")
    (hit,) = found(check, sql, "PR005")
    assert f"the day's range: a.date >= {first} AND a.date < {after} (" in hit.remediation


# SQL Server's styles, as its documentation writes them, for the days these tests compare
STYLE_FORMATS = {112: "%Y%m%d", 23: "%Y-%m-%d", 111: "%Y/%m/%d", 101: "%m/%d/%Y", 103: "%d/%m/%Y"}
TEXT_TESTS = {">=": str.__ge__, ">": str.__gt__, "<": str.__lt__, "<=": str.__le__}


@pytest.mark.parametrize("style, operator, value, condition, same", [
    (112, ">=", "20260801", "a.date >= '20260801'", True),
    (112, ">", "20260801", "a.date >= '20260802'", True),
    (23, "<", "2026-08-01", "a.date < '20260801'", True),
    (111, "<=", "2026/08/01", "a.date < '20260802'", True),
    (101, ">=", "08/01/2026", "a.date >= '20260801'", False),  # mm/dd/yyyy sorts 12/01/2025 after 08/01/2026
    (103, ">", "01/08/2026", "a.date >= '20260802'", False),  # dd/mm/yyyy: the 1st of August, sorted by day first
])
def test_a_date_compared_in_order_as_text_is_given_the_date_condition_it_means(check, style, operator, value, condition,
                                                                               same):
    """Every day of three years is on the same side of the text comparison as of the date condition,
    for the styles that write the year first; for the others some day is not, and the fix says which."""
    text = f"CONVERT(varchar(10), a.date, {style}) {operator} '{value}'"
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {text} AND a.calendarID = 4\n", "PR005")
    assert hit.remediation.startswith(f"Compare the date itself: {condition}, ")
    bound = datetime.strptime(condition.split("'")[1], "%Y%m%d")
    after = condition.split()[1] == ">="
    days = [datetime(2025, 1, 1) + timedelta(days=n) for n in range(3 * 366)]
    disagree = [d for d in days if TEXT_TESTS[operator](d.strftime(STYLE_FORMATS[style]), value) != ((d >= bound) == after)]
    assert (disagree == []) == same
    if same:
        assert "which keeps the same rows and can seek" in hit.remediation
    else:
        shown = re.search(r"compares text, and '([^']+)' ", hit.remediation)[1]
        assert datetime.strptime(shown, STYLE_FORMATS[style]).date() in {d.date() for d in disagree}


@pytest.mark.parametrize("style, operator, condition", [
    (112, "<=", "a.date < DATEADD(day, 1, CAST(GETDATE() AS date))"),
    (120, ">", "a.date >= DATEADD(day, 1, CAST(GETDATE() AS date))"),
    (23, "<", "a.date < CAST(GETDATE() AS date)"),
    (101, ">=", "a.date >= CAST(GETDATE() AS date)"),
    (103, "<=", "a.date < DATEADD(day, 1, CAST(GETDATE() AS date))"),
])
def test_a_date_compared_in_order_as_text_with_today_written_alike_is_given_today_s_bound(check, style, operator,
                                                                                        condition):
    """CONVERT(varchar(10), e.startDate, 112) <= CONVERT(varchar(10), GETDATE(), 112): the days up
    to today's; where the format does not sort as the days do, the fix says that too."""
    text = f"CONVERT(varchar(10), a.date, {style}) {operator} CONVERT(varchar(10), GETDATE(), {style})"
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {text} AND a.calendarID = 4\n", "PR005")
    assert hit.remediation.startswith(f"Compare the date itself: {condition}, ")
    sortable = style in (112, 120, 23)
    assert ("which keeps the same rows and can seek" in hit.remediation) == sortable
    if not sortable:
        earlier, later = re.search(r"\('([^']+)' sorts after '([^']+)'\)", hit.remediation).groups()
        day = STYLE_FORMATS[style]
        assert earlier > later and datetime.strptime(earlier, day) < datetime.strptime(later, day)


@pytest.mark.parametrize("condition, fix", [
    ("CONVERT(varchar(10), a.date, 112) BETWEEN '20260801' AND '20260831'", "a.date >= '20260801' AND a.date < '20260901', "
     "which keeps the same rows"),
    ("CONVERT(varchar(10), a.date, 112) >= @from", "a.date >= @from, which can seek, with @from holding a date."),
    ("CONVERT(varchar(10), a.date, 112) BETWEEN @a AND @b", "a.date >= @a AND a.date < DATEADD(day, 1, @b), which can "
     "seek, with @a and @b holding dates."),
    ("CONVERT(varchar(10), a.date, 112) >= '2026-08-01'", "a.date >= '20260801', for what '2026-08-01' seems to mean. As "
     "written, SQL Server compares it with text such as '20260302', in another format."),
])
def test_a_date_range_compared_as_text_is_given_as_dates(check, condition, fix):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR005")
    assert hit.remediation.startswith(f"Compare the date itself: {fix}")


@pytest.mark.parametrize("condition", ["CONVERT(char(5), a.date, 101) = '11/29'", "CONVERT(char(7), a.date, 120) = '2026-13'",
                                       "CONVERT(varchar(7), a.date, 120) NOT LIKE '2025-12%'",  # every month but one
                                       "CONVERT(varchar(10), a.date, 101) = CONVERT(varchar(10), GETDATE(), 103)",
                                       "CONVERT(varchar, a.date, 120) = CONVERT(varchar, GETDATE(), 120)"])
def test_a_date_compared_as_text_whose_dates_are_unclear_gets_a_range_named_as_an_example(check, condition):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR005")
    assert hit.remediation.startswith("Compare the date itself with a date range, for example a.date >= '20260105'")


ABSENCES = "abs AS (SELECT a.personID, COUNT(*) AS n FROM Attendance a WHERE a.status = 'A' GROUP BY a.personID)"
WORST = "worst AS (SELECT personID, MAX(n) AS n FROM abs GROUP BY personID)"


@pytest.mark.parametrize(
    "sql, reported",
    [
        (f"WITH {ABSENCES} SELECT x.personID FROM abs x JOIN abs y ON y.personID = x.personID", ["abs is read 2 times"]),
        (f"WITH {ABSENCES}, {WORST} SELECT w.n FROM worst w", []),
        # abs runs again for each run of worst: worst is the one to run once
        (f"WITH {ABSENCES}, {WORST} SELECT w.n FROM worst w JOIN worst x ON x.personID = w.personID", ["worst is read 2 times"]),
        (f"WITH {ABSENCES}, {WORST} SELECT b.n FROM abs b JOIN worst w ON w.personID = b.personID", ["abs is read 2 times"]),
        # a recursive CTE names itself in its own query first
        ("WITH d AS (SELECT a.personID, a.date FROM Attendance a WHERE a.calendarID = 4 UNION ALL "
         "SELECT d.personID, DATEADD(day, 1, d.date) FROM d WHERE d.date < '20260601') "
         "SELECT x.personID FROM d x JOIN d y ON y.personID = x.personID", ["d is read 2 times"]),
    ],
)
def test_a_cte_is_counted_as_often_as_sql_server_runs_it(check, sql, reported):
    assert [f.message.split(",")[0] for f in found(check, sql + "\n", "SH007")] == reported


def test_a_column_the_catalog_lacks_is_information_with_the_bundled_catalog_and_an_error_with_the_districts(check, checker):
    from dataclasses import replace

    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND s.activYear = 1\n"
    (bundled,) = found(check, sql, "CL003")
    assert (bundled.severity, bundled.span.column) == ("info", 77)
    assert "student has no column activYear in sqladvise's bundled catalog" in bundled.message
    # the bundled catalog lacks some of Campus's columns: one finding names them all
    (both,) = found(check, sql.replace("s.personID FROM", "s.fooBar FROM"), "CL003")
    assert "student has no columns fooBar and activYear in" in both.message and both.span.column == 8
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    exact = [f for f in Checker(district, checker.settings).check(Source("q.sql", sql.replace("s.personID FROM", "s.fooBar FROM").encode())).findings
             if f.rule == "CL003"]
    assert [(f.severity, f.span.column) for f in exact] == [("error", 8), ("error", 75)]
    assert "activYear in the catalog of Example USD" in exact[1].message
    assert exact[1].remediation.startswith("Did you mean activeYear? ") and not exact[0].remediation.startswith("Did")


@pytest.mark.parametrize("sql, bundled, exact", [
    ("WITH e AS (SELECT * FROM Enrollment WHERE endYear = 2026)\nSELECT e.personID, e.grde FROM e\n",
     "e, whose * reads Enrollment, has no column grde in sqladvise's bundled catalog",
     "e has no column grde: the CTE returns every column of Enrollment, and SQL Server stops"),
    ("SELECT x.endYear, x.nme FROM (SELECT c.*, 1 AS n FROM Calendar c) x\n",
     "x, whose * reads Calendar, has no column nme in sqladvise's bundled catalog",
     "x has no column nme: the derived table returns every column of Calendar and n, and SQL Server stops"),
])
def test_a_column_a_star_over_a_table_does_not_return_is_told_as_the_table_s_own_would_be(check, checker, sql, bundled,
                                                                                           exact):
    from dataclasses import replace

    from advisor.pipeline import Checker
    from advisor.sources import Source

    (hit,) = found(check, sql, "CL003")
    assert hit.severity == "info" and hit.message.startswith(bundled)
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    (error,) = [f for f in Checker(district, checker.settings).check(Source("q.sql", sql.encode())).findings if f.rule == "CL003"]
    assert error.severity == "error" and error.message.startswith(exact)
    with pytest.raises(sqlite3.OperationalError, match="no such column"):
        _in_sqlite("CREATE TABLE Enrollment (personID int, endYear int, grade text)\n"
                   "CREATE TABLE Calendar (calendarID int, endYear int, name text)\n" + sql.replace("\n", " ").strip())


def test_a_column_the_bundled_catalog_lacks_is_said_once_in_a_file_and_each_time_with_the_districts(check, checker):
    """student.activeToday, which a district's Campus has and the bundled catalog does not, read
    by both statements of a script: one piece of information, where it is first read; a column
    not yet said in a later statement gets its own. With the district's catalog, each stops."""
    from dataclasses import replace

    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = ("SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2027 AND s.activeToday = 1\n"
           "SELECT COUNT(*) AS n FROM student s WITH (NOEXPAND) WHERE s.activeToday = 1 AND s.schoolName = 'Lincoln'\n")
    first, later = found(check, sql, "CL003")
    assert (first.span.line, first.span.column, later.span.line) == (1, 77, 2)
    assert "student has no column activeToday in" in first.message
    assert "student has no column schoolName in" in later.message
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    exact = [f for f in Checker(district, checker.settings).check(Source("q.sql", sql.encode())).findings if f.rule == "CL003"]
    assert [(f.span.line, f.severity) for f in exact] == [(1, "error"), (2, "error"), (2, "error")]


def test_a_table_the_catalog_lacks_is_information_with_the_bundled_catalog_and_an_error_with_the_districts(check, checker):
    from dataclasses import replace

    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = ("SELECT s.studentNumber, b.routeName FROM studnet s\n"
           "JOIN dbo.BusRouteAssignment b ON b.personID = s.personID\n"
           "JOIN BusRouteAssignment b2 ON b2.personID = s.personID WHERE s.endYear = 2026\n")
    typo, district_table = found(check, sql, "CL004")  # each name once
    assert (typo.severity, typo.span.line, typo.span.column) == ("info", 1, 42)
    assert typo.message.startswith("studnet is not a table or view in sqladvise's bundled catalog")
    assert "the estimate takes it as 1,000 rows" in typo.message
    assert typo.remediation.startswith("Did you mean student? ")
    assert (district_table.span.line, district_table.span.column, district_table.objects) == (2, 10, ("BusRouteAssignment",))
    assert not district_table.remediation.startswith("Did you mean")
    assert district_table.message == ("BusRouteAssignment is not a table or view in sqladvise's bundled catalog either: as "
                                      "for studnet, the estimate takes it as 1,000 rows, and a filter on it does not count "
                                      "as a limit.")  # the second of a statement's unknown names: what the first said, short
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    exact = [f for f in Checker(district, checker.settings).check(Source("q.sql", sql.encode())).findings if f.rule == "CL004"]
    assert [f.severity for f in exact] == ["error", "error"]
    assert "Invalid object name 'studnet'" in exact[0].message and "the catalog of Example USD" in exact[0].message


def test_a_table_the_bundled_catalog_lacks_is_said_once_in_a_file_and_each_time_with_the_districts(check, checker):
    """A district's own table read by every statement of a script: one piece of information with
    the bundled catalog, on its first place; with the district's catalog, each statement stops."""
    from dataclasses import replace

    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = ("SELECT b.personID, b.routeName FROM dbo.BusRouteAssignment b\n"
           "SELECT COUNT(*) AS riders FROM dbo.BusRouteAssignment b JOIN dbo.BusStop t ON t.stopID = b.stopID\n")
    route, stop = found(check, sql, "CL004")
    assert (route.objects, route.span.line, route.span.column) == (("BusRouteAssignment",), 1, 41)
    assert (stop.objects, stop.span.line) == (("BusStop",), 2)
    assert stop.message.startswith("BusStop is not a table or view in sqladvise's bundled catalog, an approximation")
    district = replace(checker.catalog, approximate=False, description="the catalog of Example USD")
    exact = [f for f in Checker(district, checker.settings).check(Source("q.sql", sql.encode())).findings if f.rule == "CL004"]
    assert [(f.objects[0], f.span.line, f.severity) for f in exact] == [
        ("BusRouteAssignment", 1, "error"), ("BusRouteAssignment", 2, "error"), ("BusStop", 2, "error")]


def test_a_cte_read_by_the_statement_after_its_own_is_an_error_with_the_bundled_catalog_too(check):
    cte = "WITH active AS (SELECT e.personID FROM Enrollment e WHERE e.calendarID = 12)\n"
    sql = f"{cte}SELECT a.personID FROM active a;\nSELECT COUNT(*) AS students FROM active\n"
    (hit,) = found(check, sql, "CL004")
    assert (hit.severity, hit.span.line, hit.span.column) == ("error", 3, 34)
    assert hit.message.startswith("active is a CTE of the statement on line 1, and a CTE lasts for the one statement")
    assert "(error 208)" in hit.message
    assert hit.remediation.startswith("Write the WITH again before this statement")
    assert found(check, f"{cte}SELECT a.personID FROM active a;\n{cte}SELECT COUNT(*) AS students FROM active\n",
                 "CL004") == []


def test_a_cte_read_by_one_written_before_it_is_an_error_and_the_order_that_runs_is_not(check):
    """PostgreSQL, as SQL Server, lets a CTE read only those before it in its WITH (SQLite would
    take either order)."""
    sql = "WITH a AS (SELECT b.x FROM b), b AS (SELECT 1 AS x) SELECT a.x FROM a"
    fixed = "WITH b AS (SELECT 1 AS x), a AS (SELECT b.x FROM b) SELECT a.x FROM a"
    (hit,) = found(check, sql, "CL004")
    assert hit.severity == "error" and (hit.span.line, hit.span.column) == (1, 28)  # FROM b
    assert hit.message.startswith("b is a CTE of this WITH that comes after a, which reads it")
    assert hit.remediation == "Write b before a in the WITH."
    assert found(check, fixed, "CL004") == []
    with postgres_with() as postgres:
        with pytest.raises(psycopg.errors.UndefinedTable):
            postgres.execute(sql)
        assert postgres.execute(fixed).fetchall() == [(1,)]


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE dbo.BusStaging (personID int, routeName varchar(40))\nSELECT b.routeName FROM dbo.BusStaging b",
        "SELECT p.personID INTO dbo.PeopleCopy FROM Person p\nSELECT c.personID FROM dbo.PeopleCopy c",
        "SELECT o.name FROM sys.objects o JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_NAME = o.name",
        "SELECT x.personID FROM archive2019.dbo.Attendance x",
        "CREATE VIEW dbo.v_Bus AS SELECT p.personID FROM Person p\nGO\nSELECT v.personID FROM dbo.v_Bus v",
        "SELECT t.personID FROM #roster t JOIN @people p ON p.personID = t.personID",
    ],
)
def test_tables_the_script_makes_system_views_and_other_databases_are_not_unknown(check, sql):
    assert found(check, sql + "\n", "CL004") == []


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT s.lastName + ', ' + s.firstName AS fullName FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 ORDER BY fullName",
        "SELECT s.personID, x.n FROM student s WITH (NOEXPAND) CROSS APPLY (SELECT COUNT(*) AS n FROM Attendance a "
        "WHERE a.personID = s.personID AND a.calendarID = s.calendarID) x WHERE s.endYear = 2026 ORDER BY x.n",
        "SELECT a.personID FROM Attendance a WHERE a.calendarID = 1 AND a.[date] > '2026-01-01'",
        "SELECT v.activeYear, v.activeToday FROM v_AdHocStudent v WHERE v.endYear = 2026",
        "SELECT lastName + ', ' + firstName AS fullName FROM student WITH (NOEXPAND) WHERE endYear = 2026 ORDER BY fullName",
        "SELECT s.personID FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 "
        "AND EXISTS (SELECT 1 FROM Attendance WHERE personID = s.personID AND endYear = 2026)",  # the outer query's
        "SELECT DATEPART(weekday, date) AS wd, DATEADD(dd, -1, date) AS prev FROM Attendance WHERE calendarID = 1",
        "SELECT DATE_BUCKET(week, 1, a.date) AS week_of, DATE_BUCKET(WEEK, 2, date) FROM Attendance a WHERE a.calendarID = 1",
        "SELECT IDENTITY(int, 1, 1) AS n, IDENTITY(decimal(10, 0), 1, 1) AS m, s.schoolID INTO #s FROM School s",
    ],
)
def test_columns_the_catalog_has_are_not_unknown(check, sql):
    assert [f.rule for f in check(sql + "\n").findings if f.rule in ("CL003", "CL005")] == []


@pytest.mark.parametrize("renamed", [
    "EXEC tempdb.sys.sp_rename '#roster.grade', 'gradeLevel', 'COLUMN'",
    "EXECUTE tempdb..sp_rename N'#roster.grade', N'gradeLevel'",
    "exec [tempdb].[sys].[sp_rename] @objname = '#roster.grade', @newname = 'gradeLevel', @objtype = 'COLUMN'",
])
def test_a_temp_tables_columns_after_sp_rename_are_not_known(check, renamed):
    """sp_rename renames a temp table's column (in tempdb); the script's later statements read the new name."""
    script = f"{_ROSTER}{renamed}\nSELECT r.personID, r.gradeLevel FROM #roster r"
    assert found(check, script, "CL003") == []
    assert found(check, script.replace("#roster.grade", "Person.grade"), "CL003")  # another table's column renamed


def _in_sqlite(script: str) -> None:
    """A script of temp tables, run as SQLite's tables: it fails where a column is not there."""
    db = sqlite3.connect(":memory:")
    for statement in script.replace("#", "").splitlines():
        db.execute(sqlglot.transpile(statement, read="tsql", write="sqlite")[0])


_ROSTER = "CREATE TABLE #roster (personID int, grade varchar(4))\n"


@pytest.mark.parametrize("script, message, remediation", [
    (_ROSTER + "SELECT r.personID, r.grades FROM #roster r",
     "#roster has no column grades: the script makes it with personID and grade, and SQL Server stops with \"Invalid "
     "column name 'grades'\" before it reads a row.",
     "Did you mean grade? Correct the name, or add the column where #roster is made."),
    (_ROSTER + "INSERT INTO #roster (personID, grades) VALUES (1, '09')", "#roster has no column grades",
     "Did you mean grade? Correct the name, or add the column where #roster is made."),
    (_ROSTER + "UPDATE #roster SET schoolID = 14", "#roster has no column schoolID: the script makes it with personID and grade",
     "Correct the name, or add the column where #roster is made."),
    (_ROSTER + "ALTER TABLE #roster DROP COLUMN grade\nCREATE TABLE #roster2 (personID int)\n"
     "SELECT r.grade FROM #roster2 r", "#roster2 has no column grade", "Correct the name, or add the column where #roster2 is made."),
    # an index or key on a column it lacks (error 1911)
    (_ROSTER + "CREATE INDEX ix_roster ON #roster (personID, calendarID)",
     "#roster has no column calendarID: the script makes it with personID and grade, and SQL Server stops with \"Column "
     "name 'calendarID' does not exist in the target table or view\" (error 1911)",
     "Correct the name, or add the column where #roster is made."),
    ("SELECT 1 AS personID, '09' AS grade INTO #kids\nCREATE UNIQUE INDEX ix_kids ON #kids (personID, grad)",
     "#kids has no column grad: the script makes it with personID and grade", "Did you mean grade? Correct the name, or add "
     "the column where #kids is made."),
    ("CREATE TABLE #roster (personID int, grade varchar(4), PRIMARY KEY (personID, grades))",
     "#roster has no column grades: the script makes it with personID and grade, and SQL Server stops with \"Column name",
     "Did you mean grade? Correct the name, or add the column where #roster is made."),
    # a derived table or CTE has the columns its SELECT list returns
    (_ROSTER + "SELECT d.grad FROM (SELECT r.personID, r.grade FROM #roster r) d",
     "d has no column grad: the derived table returns personID and grade, and SQL Server stops with \"Invalid column name "
     "'grad'\" before it reads a row.", "Did you mean grade? Correct the name, or add the column to the derived table's SELECT list."),
    (_ROSTER + "WITH k AS (SELECT r.personID AS id FROM #roster r) SELECT k.personID FROM k",
     "k has no column personID: the CTE returns id", "Correct the name, or add the column to the CTE's SELECT list."),
    (_ROSTER + "SELECT grade FROM (SELECT r.personID FROM #roster r) d", "d has no column grade: the derived table returns "
     "personID", "Correct the name, or add the column to the derived table's SELECT list."),
])
def test_a_column_a_temp_table_is_not_made_with_or_a_derived_table_does_not_return_is_an_error(check, script, message,
                                                                                               remediation):
    (hit,) = found(check, script, "CL003")
    assert hit.severity == "error" and hit.message.startswith(message) and hit.remediation == remediation
    with pytest.raises(sqlite3.OperationalError):
        _in_sqlite(script)


@pytest.mark.parametrize("script", [
    _ROSTER + "SELECT r.personID, r.grade FROM #roster r WHERE r.grade = '09'",
    _ROSTER + "INSERT INTO #roster (personID, grade) VALUES (1, '09')",
    _ROSTER + "ALTER TABLE #roster ADD schoolID int\nUPDATE #roster SET schoolID = 14",  # what it holds after is not known
    _ROSTER + "CREATE UNIQUE INDEX ix_roster ON #roster (personID, Grade)",
    "SELECT 1 AS personID, '09' AS grade INTO #kids\nCREATE INDEX ix_kids ON #kids (grade)",
    _ROSTER + "ALTER TABLE #roster ADD schoolID int\nCREATE INDEX ix_roster ON #roster (schoolID)",
    _ROSTER + "WITH k (id) AS (SELECT r.personID FROM #roster r) SELECT k.id FROM k",  # the names its alias gives
    _ROSTER + "SELECT d.grade FROM (SELECT r.* FROM #roster r) d",
    _ROSTER + "SELECT d.personID FROM (SELECT r.personID FROM #roster r UNION ALL SELECT 2) d ORDER BY personID",
    _ROSTER + "SELECT r.personID AS id FROM #roster r ORDER BY id",  # ORDER BY may name the SELECT list's items
])
def test_columns_a_temp_table_is_made_with_or_a_derived_table_returns_are_known(check, script):
    assert found(check, script, "CL003") == []
    _in_sqlite(script)


@pytest.fixture(scope="module")
def postgres():
    with postgres_with() as connection:
        yield connection


@pytest.mark.parametrize("script, missing", [
    (_ROSTER + "ALTER TABLE #roster ADD PRIMARY KEY (calendarID)", "calendarID"),
    (_ROSTER + "ALTER TABLE #roster ADD CONSTRAINT pk_roster PRIMARY KEY CLUSTERED (personID, [calendarID] DESC)",
     "[calendarID]"),
    ("SELECT 1 AS personID, '09' AS grade INTO #roster\nALTER TABLE #roster ADD UNIQUE (personID, grades)", "grades"),
    (_ROSTER + "ALTER TABLE #roster ADD PRIMARY KEY (personID)", None),
    (_ROSTER + "ALTER TABLE #roster ADD schoolID int\nALTER TABLE #roster ADD UNIQUE (schoolID)", None),
])
def test_a_key_alter_table_adds_on_a_column_the_table_lacks_is_an_error(check, postgres, script, missing):
    """ALTER TABLE is read from its text, not parsed: the column is placed where it is written.
    PostgreSQL refuses such a key too, and adds the others."""
    hits = found(check, script, "CL003")
    if missing is None:
        assert hits == []
    else:
        (hit,) = hits
        name = missing.strip("[]")
        assert hit.message.startswith(f"#roster has no column {name}: the script makes it with personID and grade, and "
                                      f"SQL Server stops with \"Column name '{name}' does not exist in the target table")
        line = script.splitlines()[-1]
        assert (hit.span.line, hit.span.column, hit.span.end_column) == (
            len(script.splitlines()), line.index(missing) + 1, line.index(missing) + len(missing))
    *made, keyed = script.replace("#", "t_").splitlines()
    postgres.execute("DROP TABLE IF EXISTS t_roster")
    for statement in made:
        postgres.execute(sqlglot.transpile(statement, read="tsql", write="postgres")[0])
    keyed = re.sub(r"\[|\]| CLUSTERED| DESC", "", keyed)  # SQL Server's words PostgreSQL has not
    if missing is None:
        postgres.execute(keyed)
    else:
        with pytest.raises(psycopg.errors.UndefinedColumn):
            postgres.execute(keyed)


def test_a_column_an_index_includes_or_a_table_variable_key_is_on_must_be_made_too(check):
    (included,) = found(check, _ROSTER + "CREATE INDEX ix_roster ON #roster (personID) INCLUDE (grade, schoolID)", "CL003")
    assert included.message.startswith("#roster has no column schoolID") and included.span.line == 2
    (keyed,) = found(check, "DECLARE @kids TABLE (personID int, grade varchar(4), PRIMARY KEY (personID, endYear))", "CL003")
    assert keyed.message.startswith("@kids has no column endYear: the script makes it with personID and grade")
    assert found(check, "SELECT * INTO #kids FROM Enrollment e WHERE e.calendarID = 5\nCREATE INDEX ix ON #kids (grade)",
                 "CL003") == []  # a star's columns are not followed


def test_columns_of_a_table_variable_and_of_select_into_are_known(check):
    (variable,) = found(check, "DECLARE @kids TABLE (personID int)\nSELECT k.personID, k.grade FROM @kids k", "CL003")
    assert variable.message.startswith("@kids has no column grade: the script makes it with personID")
    (copied,) = found(check, "SELECT e.personID, e.grade AS g INTO #kids FROM Enrollment e WHERE e.calendarID = 5\n"
                             "SELECT k.personID, k.grade FROM #kids k", "CL003")
    assert copied.message.startswith("#kids has no column grade: the script makes it with personID and g")


def test_a_derived_table_with_an_unnamed_column_is_cl021_s_alone(check):
    script = "SELECT x.cnt FROM (SELECT COUNT(*) FROM Enrollment e WHERE e.endYear = 2027) x"
    assert found(check, script, "CL003") == [] and found(check, script, "CL021")


def test_a_derived_table_s_alias_names_its_columns(check):
    """(SELECT ...) d (id, g), which SQLite cannot run: its columns are id and g, not the query's names."""
    script = _ROSTER + "SELECT d.id, d.g FROM (SELECT r.personID, r.grade FROM #roster r) d (id, g)"
    assert found(check, script, "CL003") == []
    (hit,) = found(check, script.replace("d.g FROM", "d.grade FROM"), "CL003")
    assert hit.message.startswith("d has no column grade: the derived table returns id and g")


def test_an_unqualified_column_the_only_table_lacks_is_unknown_in_the_select_list_too(check):
    (unknown,) = found(check, "SELECT grad FROM Enrollment e WHERE e.endYear = 2027\n", "CL003")
    assert unknown.message.startswith("Enrollment has no column grad") and unknown.span.column == 8


def test_a_name_in_double_quotes_is_told_apart_from_text(check):
    sql = "SELECT a.personID FROM Attendance a WHERE a.calendarID = 5 AND a.status = \"A\"\n"
    (unknown,) = found(check, sql, "CL003")
    assert unknown.remediation.startswith("\"A\" in double quotes is a name: if text is meant, write 'A'. ")
    assert found(check, "SET QUOTED_IDENTIFIER OFF\n" + sql, "CL003") == []


def test_the_date_a_date_bucket_counts_from_is_a_column(check):
    sql = "SELECT DATE_BUCKET(week, 1, a.dte) FROM Attendance a WHERE a.calendarID = 1\n"
    (unknown,) = found(check, sql, "CL003")
    assert unknown.message.startswith("Attendance has no column dte")


def test_an_index_named_in_a_table_hint_is_not_a_column(check):
    sql = "SELECT a.personID FROM Attendance a WITH (INDEX(IX_Attendance_calendar)) WHERE a.calendarID = 101\n"
    assert found(check, sql, "CL003") == []


def test_an_unqualified_column_that_the_only_table_lacks_is_unknown(check):
    sql = "SELECT studentNumber FROM student WITH (NOEXPAND) WHERE endYear = 2026 AND activYear = 1\n"
    (unknown,) = found(check, sql, "CL003")
    assert unknown.message.startswith("student has no column activYear") and unknown.span.column == 76


@pytest.mark.parametrize(
    "condition, advice",
    [
        ("YEAR(a.date) = 2026", "the range it means: a.date >= '20260101' AND a.date < '20270101'"),
        ("YEAR(a.date) = @year", "the range it means: a.date >= DATEFROMPARTS(@year, 1, 1) AND a.date < DATEFROMPARTS(@year + 1, 1, 1)"),
        ("CAST(a.date AS date) = '2026-03-02'", "the range it means: a.date >= '20260302' AND a.date < '20260303'"),
        ("YEAR(a.date) > 2025", "the range it means: a.date >= '20260101' instead"),
        ("YEAR(a.date) BETWEEN 2024 AND 2026", "the range it means: a.date >= '20240101' AND a.date < '20270101'"),
        # written the other way round
        ("2026 = YEAR(a.date)", "the range it means: a.date >= '20260101' AND a.date < '20270101'"),
        ("2025 < YEAR(a.date)", "the range it means: a.date >= '20260101' instead"),
        ("'2026-03-02' = CAST(a.date AS date)", "the range it means: a.date >= '20260302' AND a.date < '20260303'"),
        # negated: the opposite range, or only an example where NOT keeps no one range
        ("NOT (YEAR(a.date) < 2026)", "the range it means: a.date >= '20260101' instead of NOT (YEAR(a.date) < 2026)"),
        ("NOT (YEAR(a.date) = 2026)", "a range of dates, such as a.date >= '20260101'"),
        # a year named by a value of its own, or through DATEPART
        ("YEAR(a.date) = YEAR(GETDATE())",
         "the range it means: a.date >= DATEFROMPARTS(YEAR(GETDATE()), 1, 1) AND a.date < DATEFROMPARTS(YEAR(GETDATE()) + 1, 1, 1)"),
        ("DATEPART(yyyy, a.date) = 2026", "the range it means: a.date >= '20260101' AND a.date < '20270101'"),
        # the day compared with another day, written out or converted to date
        ("CAST(a.date AS date) > '2026-09-01'", "the range it means: a.date >= '20260902' instead"),
        ("CAST(a.date AS date) BETWEEN '2026-09-01' AND '2026-09-30'", "the range it means: a.date >= '20260901' AND a.date < '20261001'"),
        ("CAST(a.date AS date) <= CAST(GETDATE() AS date)", "the range it means: a.date < DATEADD(day, 1, CAST(GETDATE() AS DATE))"),
        # against a date and time the day's midnight is compared: no one range to give
        ("CAST(a.date AS date) >= GETDATE()", "a range of dates, such as a.date >= '20260101'"),
        # DATEDIFF counts midnights: the last days, or days after a start
        ("DATEDIFF(day, a.date, GETDATE()) <= 7", "the range it means: a.date >= DATEADD(day, -7, CAST(GETDATE() AS date)) instead"),
        ("DATEDIFF(dd, a.date, GETDATE()) = 1",
         "the range it means: a.date >= DATEADD(day, -1, CAST(GETDATE() AS date)) AND a.date < CAST(GETDATE() AS date) instead"),
        ("7 > DATEDIFF(day, a.date, GETDATE())", "the range it means: a.date >= DATEADD(day, -6, CAST(GETDATE() AS date)) instead"),
        ("DATEDIFF(day, '2026-09-01', a.date) > 3", "the range it means: a.date >= '20260905' instead"),
        # months and years count first days of months and New Year's Days
        ("DATEDIFF(month, a.date, GETDATE()) <= 2",
         "the range it means: a.date >= DATEADD(month, -2, DATEFROMPARTS(YEAR(GETDATE()), MONTH(GETDATE()), 1)) instead"),
        ("DATEDIFF(mm, '2026-11-15', a.date) = 1", "the range it means: a.date >= '20261201' AND a.date < '20270101' instead"),
        ("DATEDIFF(yy, a.date, '2026-09-01') < 5", "the range it means: a.date >= '20220101' instead"),
        ("DATEDIFF(year, a.date, GETDATE()) >= 18", "the range it means: a.date < DATEFROMPARTS(YEAR(GETDATE()) - 17, 1, 1) instead"),
        # EOMONTH compared with a month's last day: the month's days, from it on, or before it
        ("EOMONTH(a.date) = '2026-01-31'", "the range it means: a.date >= '20260101' AND a.date < '20260201' instead"),
        ("EOMONTH(a.date) > '2026-01-31'", "the range it means: a.date >= '20260201' instead"),
        ("EOMONTH(a.date) <= '2026-01-31'", "the range it means: a.date < '20260201' instead"),
        ("EOMONTH(a.date) = '2026-01-15'", "a range of dates, such as a.date >= '20260101'"),  # no month ends on the 15th
    ],
)
def test_a_date_function_on_the_column_is_given_the_range_it_means(check, condition, advice):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR001")
    assert hit.remediation.startswith(f"Compare the bare column with {advice}")


@pytest.mark.parametrize("condition, advice", [
    ("s.lastName + ', ' + s.firstName LIKE 'Smi%'",
     "Compare the columns themselves, not the text built from them: s.lastName LIKE 'Smi%' instead of"),
    ("CONCAT(s.lastName, ', ', s.firstName) = 'O''Brien, Pat'",
     "Compare the columns themselves, not the text built from them: s.lastName = 'O''Brien' AND s.firstName = 'Pat' instead"),
    # a start that reaches the separator, or a value that does not split once at it: the pattern
    ("s.lastName + ', ' + s.firstName LIKE 'Smith, J%'", "Compare each column on its own (s.lastName = ... AND s.firstName = ...)"),
    ("s.lastName + ', ' + s.firstName = 'Smith'", "Compare each column on its own (s.lastName = ... AND s.firstName = ...)"),
])
def test_text_built_from_columns_is_given_the_test_on_the_columns(check, condition, advice):
    sql = f"SELECT s.studentNumber FROM student s WITH (NOEXPAND) WHERE s.endYear = 2026 AND {condition}\n"
    (hit,) = found(check, sql, "PR001")
    assert hit.remediation.startswith(advice)


def test_a_difference_in_years_is_told_it_counts_new_year_s_days_not_birthdays(check):
    (hit,) = found(check, "SELECT i.lastName FROM [Identity] i WHERE DATEDIFF(year, i.birthDate, GETDATE()) >= 18\n", "PR001")
    assert hit.remediation.endswith("DATEDIFF(year, ...) counts the New Year's Days between the dates, not whole years: "
                                    "for an age, compare the birth date with DATEADD(year, -18, CAST(GETDATE() AS date)).")


@pytest.mark.parametrize("condition", ["DATEDIFF(day, a.date, GETDATE()) <> 7", "DATEDIFF(day, '2026-09-01', a.date) <> 7",
                                       "DATEDIFF(week, a.date, GETDATE()) <= 2"])
def test_a_date_difference_that_keeps_two_ranges_is_given_the_pattern(check, condition):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n", "PR001")
    assert hit.remediation.startswith("Move the date arithmetic to the other side")


@pytest.mark.parametrize(
    "condition, advice",
    [
        # the stand-in value matches only when it is the value compared with
        ("ISNULL(a.excuseID, 0) = 0", "(a.excuseID = 0 OR a.excuseID IS NULL) instead of ISNULL(a.excuseID, 0) = 0."),
        ("ISNULL(a.excuseID, 0) = 12", "a.excuseID = 12 instead of ISNULL(a.excuseID, 0) = 12."),
        ("'A' = COALESCE(a.status, 'A')", "(a.status = 'A' OR a.status IS NULL) instead of 'A' = COALESCE(a.status, 'A')."),
        ("ISNULL(a.status, 'a ') = 'A'", "(a.status = 'A' OR a.status IS NULL) instead of ISNULL(a.status, 'a ') = 'A'."),
        # any comparison: the NULL rows count when the stand-in passes it
        ("ISNULL(a.excuseID, 0) <> 1", "(a.excuseID <> 1 OR a.excuseID IS NULL) instead of ISNULL(a.excuseID, 0) <> 1."),
        ("ISNULL(a.modifiedDate, '2099-12-31') >= GETDATE()", "(a.modifiedDate >= GETDATE() OR a.modifiedDate IS NULL) "
                                                              "instead of ISNULL(a.modifiedDate, '2099-12-31') >= GETDATE()."),
        ("ISNULL(a.modifiedDate, '1900-01-01') > GETDATE()", "a.modifiedDate > GETDATE() instead of "
                                                             "ISNULL(a.modifiedDate, '1900-01-01') > GETDATE()."),
        ("ISNULL(a.modifiedDate, '2026-06-01') < '2026-01-01'", "a.modifiedDate < '2026-01-01' instead of "
                                                                "ISNULL(a.modifiedDate, '2026-06-01') < '2026-01-01'."),
        ("ISNULL(a.modifiedDate, @asOf) >= @asOf", "(a.modifiedDate >= @asOf OR a.modifiedDate IS NULL) instead of "
                                                   "ISNULL(a.modifiedDate, @asOf) >= @asOf."),
        # a column that is never NULL: nothing to stand in for
        ("ISNULL(a.date, '2099-12-31') >= GETDATE()", "a.date >= GETDATE() instead of ISNULL(a.date, '2099-12-31') >= "
                                                      "GETDATE(). Attendance.date is NOT NULL in the catalog, so ISNULL "
                                                      "changes nothing but the plan."),
        # known only as the query runs: both tests written out
        ("COALESCE(a.excuseID, 0) = @x", "(a.excuseID = @x OR (a.excuseID IS NULL AND 0 = @x)) instead of "
                                         "COALESCE(a.excuseID, 0) = @x."),
        ("ISNULL(a.modifiedDate, '2026-06-01') > GETDATE()", "(a.modifiedDate > GETDATE() OR (a.modifiedDate IS NULL AND "
                                                             "'2026-06-01' > GETDATE())) instead of "
                                                             "ISNULL(a.modifiedDate, '2026-06-01') > GETDATE()."),
        # no one comparison to carry over: the pattern, with the function as written
        ("ISNULL(a.excuseID, 0) IN (1, 2)", "(a.excuseID = @value OR a.excuseID IS NULL) instead of ISNULL(a.excuseID, ...) = @value."),
    ],
)
def test_isnull_on_the_column_is_given_the_test_it_means(check, condition, advice):
    sql = f"DECLARE @x int, @asOf date\nSELECT a.personID FROM Attendance a WHERE {condition} AND a.calendarID = 4\n"
    (hit,) = found(check, sql, "PR001")
    assert hit.remediation == f"Test the column itself: {advice}"


@pytest.mark.parametrize("conversion", ["CAST(a.date AS date)", "CONVERT(date, a.date)", "CONVERT(DATE, a.date, 101)"])
def test_a_date_and_time_column_converted_to_date_can_still_be_sought(check, conversion):
    """SQL Server seeks an index through this one conversion (a dynamic seek): information that a
    range is exact, not a warning that the index is lost."""
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {conversion} = '2026-03-02' AND a.calendarID = 4\n", "PR001")
    assert hit.severity == "info"
    assert "still lets SQL Server seek an index on Attendance.date" in hit.message and "cannot be sought" not in hit.message
    assert hit.remediation.startswith("Compare the bare column with the range it means: a.date >= '20260302' AND a.date < '20260303'")


@pytest.mark.parametrize("conversion", ["TRY_CAST(a.date AS date)", "CAST(a.date AS datetime2)"])
def test_other_conversions_of_the_column_hide_it_from_its_index(check, conversion):
    (hit,) = found(check, f"SELECT a.personID FROM Attendance a WHERE {conversion} = '2026-03-02' AND a.calendarID = 4\n", "PR001")
    assert hit.severity == "error" and "an index on date cannot be sought" in hit.message


@pytest.mark.parametrize(
    "filled, flagged",
    [
        ("INSERT INTO @schools SELECT sch.schoolID FROM School sch WHERE sch.name LIKE 'Lincoln%'", False),
        ("INSERT INTO @schools (schoolID) VALUES (12), (14), (17)", False),
        ("INSERT INTO @schools SELECT e.schoolID FROM Enrollment e WHERE e.endYear = 2026", True),  # up to 300k rows
        ("INSERT INTO @schools EXEC dbo.usp_Schools", True),  # what a procedure returns is not known
        ("WHILE @i < 5000 BEGIN INSERT INTO @schools VALUES (@i) SET @i += 1 END", True),  # a loop fills it
        ("", True),  # nothing in the file fills it
    ],
)
def test_a_table_variable_filled_with_a_few_rows_is_planned_about_right(check, filled, flagged):
    """SQL Server plans a table variable as one row: wrong for thousands, about right for a few schools."""
    sql = (f"DECLARE @i int = 0\nDECLARE @schools TABLE (schoolID int)\n{filled}\n"
           "SELECT a.date FROM @schools x JOIN Calendar c ON c.schoolID = x.schoolID "
           "JOIN Attendance a ON a.calendarID = c.calendarID WHERE c.endYear = 2026\n")
    hits = found(check, sql, "SH009")
    assert bool(hits) == flagged
    # at the table variable the query reads, not at its statement's start
    assert all((hit.span.line, hit.span.column) == (4, sql.splitlines()[3].index("@schools") + 1) for hit in hits)


@pytest.mark.parametrize(
    "window, severity",
    [
        ("SUM(a.periodID) OVER (PARTITION BY a.personID ORDER BY a.date)", "warning"),
        ("LAST_VALUE(a.date) OVER (PARTITION BY a.personID ORDER BY a.date)", "warning"),
        # a frame written, no ORDER BY, or a function that takes no frame: nothing to say
        ("SUM(a.periodID) OVER (PARTITION BY a.personID ORDER BY a.date ROWS UNBOUNDED PRECEDING)", None),
        ("COUNT(*) OVER (PARTITION BY a.personID)", None),
        ("ROW_NUMBER() OVER (PARTITION BY a.personID ORDER BY a.date)", None),
        ("LAG(a.date) OVER (PARTITION BY a.personID ORDER BY a.date)", None),
        ("RANK() OVER (ORDER BY a.date)", None),
    ],
)
def test_an_ordered_window_with_no_frame_runs_over_the_default_range_frame(check, window, severity):
    sql = f"SELECT {window} AS w FROM Attendance a JOIN School sch ON sch.schoolID = a.calendarID WHERE a.calendarID = 4\n"
    hits = found(check, sql, "SH019")
    assert [hit.severity for hit in hits] == ([severity] if severity else [])
    if severity == "warning":
        assert "rather than in memory, in a query over Attendance (15.0M rows)" in hits[0].message


def test_an_ordered_window_with_no_frame_over_a_small_table_is_information(check):
    (hit,) = found(check, "SELECT MAX(sch.schoolID) OVER (ORDER BY sch.name) AS m FROM School sch\n", "SH019")
    assert hit.severity == "info" and "in a query over" not in hit.message


@pytest.mark.parametrize(
    "query, severity",
    [
        # nothing reads Roster, and personID is not its key: every student comes back once per roster row
        ("SELECT s.personID FROM student s WITH (NOEXPAND) LEFT JOIN Roster r ON r.personID = s.personID WHERE s.endYear = 2026", "warning"),
        # on School's key: SQL Server leaves it out, but it is dead code
        ("SELECT c.calendarID FROM Calendar c LEFT JOIN School sch ON sch.schoolID = c.schoolID", "info"),
        # read somewhere, so it does something
        ("SELECT s.personID, r.sectionID FROM student s WITH (NOEXPAND) LEFT JOIN Roster r ON r.personID = s.personID", None),
        ("SELECT s.personID FROM student s WITH (NOEXPAND) LEFT JOIN Roster r ON r.personID = s.personID WHERE r.personID IS NULL", None),
        ("SELECT s.personID FROM student s WITH (NOEXPAND) LEFT JOIN Roster r ON r.personID = s.personID ORDER BY r.startDate", None),
        ("SELECT * FROM Calendar c LEFT JOIN School sch ON sch.schoolID = c.schoolID", None),
        ("SELECT c.calendarID FROM Calendar c LEFT JOIN School sch ON sch.schoolID = c.schoolID "
         "LEFT JOIN District d ON d.districtID = sch.districtID", "info"),  # School is read by the next join; District by none
        # COUNT(*) counts every match: the join changes the totals
        ("SELECT s.personID, COUNT(*) AS n FROM student s WITH (NOEXPAND) LEFT JOIN Roster r ON r.personID = s.personID GROUP BY s.personID", None),
        ("SELECT c.name FROM Calendar c INNER JOIN School sch ON sch.schoolID = c.schoolID", None),  # an inner join filters
        # a derived table or CTE: its own columns are not reads; what it groups by is its key
        ("SELECT s.personID FROM student s WITH (NOEXPAND) LEFT JOIN (SELECT personID FROM Roster GROUP BY personID) r "
         "ON r.personID = s.personID", "info"),
        ("WITH c AS (SELECT personID FROM Roster) SELECT s.personID FROM student s WITH (NOEXPAND) "
         "LEFT JOIN c ON c.personID = s.personID", "warning"),
        # one that passes a table's rows on keeps its key: COUNT(*) counts the same rows with or without it
        ("SELECT a.personID, COUNT(*) AS n FROM Attendance a LEFT JOIN (SELECT * FROM AttendanceExcuse WHERE code <> 'X') x "
         "ON x.excuseID = a.excuseID WHERE a.calendarID = 12 GROUP BY a.personID", "info"),
        ("SELECT a.personID, COUNT(*) AS n FROM Attendance a LEFT JOIN (SELECT e.* FROM AttendanceExcuse e JOIN Calendar c "
         "ON c.calendarID = e.calendarID) x ON x.excuseID = a.excuseID WHERE a.calendarID = 12 GROUP BY a.personID", None),
        # read by a subquery, by its name
        ("SELECT s.personID, (SELECT MAX(x.date) FROM Attendance x WHERE x.personID = r.personID) AS m "
         "FROM student s WITH (NOEXPAND) LEFT JOIN Roster r ON r.personID = s.personID", None),
    ],
)
def test_a_left_join_nothing_reads_is_found(check, query, severity):
    hits = found(check, query + "\n", "JN003")
    assert [hit.severity for hit in hits] == ([severity] if severity else [])


def test_an_unused_left_join_in_an_update_costs_reads_not_rows(check):
    (hit,) = found(check, "UPDATE e SET e.grade = '09' FROM Enrollment e LEFT JOIN Roster r ON r.personID = e.personID\n", "JN003")
    assert hit.message.endswith("The join still reads Roster (2.0M rows) for every row it changes.")


@pytest.mark.parametrize(
    "query, unscoped",
    [
        ("SELECT TOP (1000) a.personID FROM Attendance a", False),  # stops at the thousandth row
        ("SELECT TOP (1000) a.personID FROM Attendance a ORDER BY a.date", True),  # sorts every year first
        ("SELECT TOP (1000) a.personID FROM Attendance a JOIN Calendar c ON c.calendarID = a.calendarID", True),
        ("SELECT TOP (1000) COUNT(*) FROM Attendance a", True),  # counts every year
        ("SELECT TOP (500000) a.personID FROM Attendance a", True),
    ],
)
def test_top_without_order_by_of_one_table_does_not_read_every_year(check, query, unscoped):
    assert bool(found(check, query + "\n", "SC001")) == unscoped



def test_format_is_told_apart_from_datename_which_sqlglot_reads_as_one(check):
    """DATENAME(month, d) is a plain conversion; sqlglot reads it as FORMAT(CAST(d AS DATETIME2), 'MMMM')."""
    sql = ("SELECT DATENAME(month, a.date) AS m, FORMAT(a.date, 'MM/dd/yyyy') AS f FROM Attendance a "
           "WHERE a.calendarID = 4\n")
    report = check(sql)
    (hit,) = [f for f in report.findings if f.rule == "SH015"]
    assert report.lines.text[hit.span.start:hit.span.end] == "FORMAT(a.date, 'MM/dd/yyyy')"
    # the query's largest table, not what it reads of it: a calendar's share
    assert hit.message == ("FORMAT() calls into .NET for every row it formats, many times slower than CONVERT, in a "
                           "query over Attendance (15.0M rows).")
    named_only = check("SELECT DATENAME(month, a.date) AS m FROM Attendance a WHERE a.calendarID = 4\n")
    assert not [f for f in named_only.findings if f.rule == "SH015"]
    assert not any("FORMAT()" in driver for driver in named_only.risk.statements[0].risk.drivers)


@pytest.mark.parametrize(
    ("call", "instead"),
    [
        ("FORMAT(a.date, 'MM/dd/yyyy')", "CONVERT(varchar(10), a.date, 101)"),
        ("format(a.date,'yyyy-MM-dd')", "CONVERT(varchar(10), a.date, 23)"),
        ("FORMAT(DATEADD(day, 1, a.date), N'dd MMM yyyy', 'en-US')", "CONVERT(varchar(11), DATEADD(day, 1, a.date), 106)"),
        ("FORMAT(a.date, 'yyyyMMdd')", "CONVERT(varchar(8), a.date, 112)"),
        ("FORMAT(a.date, 'MM/dd/yy')", "CONVERT(varchar(8), a.date, 1)"),
        # what no style writes: 'd' drops the zeros (1/5/2026), German dates keep dots, a weekday's name
        ("FORMAT(a.date, 'd')", None),
        ("FORMAT(a.date, 'MM/dd/yyyy', 'de-DE')", None),
        ("FORMAT(a.date, 'dddd')", None),
        ("FORMAT(a.date, @pattern)", None),
    ],
)
def test_format_is_told_which_convert_writes_the_same_text(check, call, instead):
    (hit,) = found(check, f"SELECT a.personID, {call} AS day FROM Attendance a WHERE a.calendarID = 4\n", "SH015")
    if instead is None:
        assert hit.remediation.startswith("Use CONVERT with a style")
    else:
        assert hit.remediation.startswith(f"Write {instead} instead of {call}: the same text")


def test_a_districts_function_called_without_its_schema_is_an_error_sql_server_gives(check, checker):
    from dataclasses import replace

    from advisor.catalog.model import Function
    from advisor.pipeline import Checker
    from advisor.sources import Source

    sql = "SELECT p.studentNumber, fn_GetGrade(p.personID) AS grade FROM Person p\n"
    (unknown,) = found(check, sql, "CL005")
    assert sql[unknown.span.start:unknown.span.end] == "fn_GetGrade" and "error 195" in unknown.message
    assert "dbo.fn_GetGrade(...)" in unknown.remediation
    catalog = replace(checker.catalog, functions={"fn_getgrade": Function("fn_GetGrade", "scalar", "reports")})
    report = Checker(catalog, checker.settings).check(Source("q.sql", sql.encode()))
    (known,) = [f for f in report.findings if f.rule == "CL005"]
    assert known.remediation.startswith("Write reports.fn_GetGrade(...)")


def test_a_misspelt_built_in_function_is_named_and_its_date_part_is_no_column(check):
    findings = check("SELECT p.studentNumber FROM Person p WHERE DATEDIF(day, p.modifiedDate, GETDATE()) < 7\n").findings
    assert [(f.rule, f.remediation) for f in findings if f.rule.startswith("CL")] == [
        ("CL005", "Did you mean DATEDIFF? Correct the name.")]


@pytest.mark.parametrize("sql", [
    "SELECT dbo.fn_GetGrade(p.personID) FROM Person p",
    "SELECT s.personID FROM fn_SchoolStudents(14, 2027) s",
    "SELECT p.personID, g.grade FROM Person p CROSS APPLY fn_Grades(p.personID) g",
    "SELECT {fn UCASE(i.lastName)}, {fn CURDATE()} FROM [Identity] i",
    "SELECT a.personID FROM Attendance a WITH (INDEX(IX_Attendance_calendar)) WHERE a.calendarID = 5",
    "SELECT x.c.value('.', 'int') FROM (SELECT CAST('<a>1</a>' AS xml) AS c) x",
    "SELECT DATETRUNC(month, GETDATE()), GREATEST(1, 2), STRING_AGG(s.name, ', '), APPROX_COUNT_DISTINCT(s.schoolID) FROM School s",
    "CREATE TRIGGER tr ON dbo.Attendance AFTER UPDATE AS\nIF UPDATE(code) OR NOT UPDATE (excuse) PRINT 'changed'",
])
def test_functions_sql_server_finds_are_not_unknown(check, sql):
    assert found(check, sql + "\n", "CL005") == []


def test_a_correlated_subquery_in_an_update_s_set_is_said_to_run_for_every_row_it_changes(check):
    sql = ("CREATE TABLE #oct (personID int, lunch varchar(255))\nUPDATE o SET o.lunch = (SELECT TOP 1 cs.value FROM "
           "CustomStudent cs WHERE cs.personID = o.personID AND cs.attributeID = 777 ORDER BY cs.customID DESC) FROM #oct o\n")
    (hit,) = found(check, sql, "SH001")
    assert hit.message.startswith("A correlated subquery in an UPDATE's SET runs once for every row it changes, each time "
                                  "seeking CustomStudent")


def test_a_correlated_subquery_over_a_derived_table_reads_what_the_derived_table_reads_each_run(check):
    sql = ("SELECT s.studentNumber, (SELECT COUNT(*) FROM (SELECT at.personID FROM Attendance at WHERE at.status = 'A') a "
           "WHERE a.personID = s.personID) AS absences\nFROM student s WITH (NOEXPAND) WHERE s.endYear = 2026\n")
    (hit,) = found(check, sql, "SH001")
    assert hit.message.startswith("A correlated subquery in the SELECT list runs once for every row the query returns, "
                                  "reading Attendance each time (which holds")
    assert hit.objects == ("Attendance",) and hit.severity == "error"  # 15 million rows read for each student


@pytest.mark.parametrize("top", ["TOP 10", "TOP (5) PERCENT", "TOP 10 PERCENT"])
def test_top_without_order_by_is_flagged_with_a_share_too(check, top):
    (hit,) = [f for f in check(f"SELECT {top} e.personID FROM Enrollment e WHERE e.endYear = 2027\n").findings
              if f.rule == "SH014"]
    assert hit.message.startswith(f"TOP {top.split(' ', 1)[1].replace('(', '').replace(')', '')} without ORDER BY returns")
