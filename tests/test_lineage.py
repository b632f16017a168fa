import pytest

from advisor.analysis import analyse
from advisor.analysis.lineage import base_tables, direct_from, origins, view_chain
from advisor.analysis.views import ViewLibrary
from advisor.frontend.parse import read_script


@pytest.fixture
def view(catalog):
    def run(name: str):
        (query,) = analyse(read_script(f"SELECT 1 AS x FROM {name} v"), catalog, ViewLibrary(catalog))
        return query.relations[0]

    return run


def test_origins_follow_columns_through_nested_views(view):
    adhoc = view("v_AdHocStudent")
    assert [(o.relation.table.name, o.column, o.computed) for o in origins(adhoc, "lastName")] == [("Identity", "lastName", False)]
    assert [(o.relation.table.name, o.computed) for o in origins(adhoc, "activeToday")] == [("Enrollment", True), ("Enrollment", True), ("Enrollment", True)]
    assert origins(adhoc, "homeroomTeacher") == []  # computed per student by an APPLY


def test_base_tables_and_view_chains(view):
    enrollments = view("v_OneRosterEnrollments")
    assert [r.name for r in view_chain(enrollments)] == ["v_OneRosterEnrollments", "v_OneRosterClasses", "v_CourseSection"]
    assert {t.table.name for t in base_tables(view("student"))} == {"Person", "Identity", "Enrollment", "Calendar", "SchoolYear"}


def test_the_direct_from_keeps_every_join_condition_the_tables_need(view):
    direct = direct_from(view("v_AttendanceDetail"), ["courseName"])
    assert direct.text.splitlines() == [
        "FROM dbo.Attendance a",
        "LEFT JOIN (dbo.Roster r JOIN dbo.SectionPlacement sp ON sp.sectionID = r.sectionID AND sp.trialID = r.trialID) "
        "ON r.personID = a.personID AND sp.periodID = a.periodID AND r.startDate <= a.date AND (r.endDate IS NULL OR r.endDate >= a.date)",
        "LEFT JOIN dbo.Section se ON se.sectionID = sp.sectionID",
        "LEFT JOIN dbo.Course co ON co.courseID = se.courseID",
    ]


def test_the_direct_from_through_a_nested_view(view):
    direct = direct_from(view("v_AdHocStudent"), ["studentNumber", "schoolName", "homeroomTeacher"])
    assert direct.text.splitlines() == [
        "FROM dbo.Person p",
        "JOIN dbo.Enrollment e ON e.personID = p.personID",
        "JOIN dbo.Calendar c ON c.calendarID = e.calendarID",
        "JOIN dbo.School sch ON sch.schoolID = c.schoolID",
    ]
    assert direct.untraced == ["homeroomTeacher"]


def test_a_column_the_view_computes_from_its_base_columns_is_written_over_the_direct_from(view):
    direct = direct_from(view("v_AdHocStudent"), ["studentNumber", "age", "activeToday", "homeroomTeacher"])
    assert direct.text.splitlines() == [
        "FROM dbo.Person p",
        "JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID",
        "JOIN dbo.Enrollment e ON e.personID = p.personID",
    ]
    assert direct.formulas == [
        "age = DATEDIFF(YEAR, i.birthdate, GETDATE())",
        "activeToday = CASE WHEN e.startDate <= GETDATE() AND (e.endDate IS NULL OR e.endDate >= GETDATE()) THEN 1 ELSE 0 END",
    ]
    assert direct.untraced == ["homeroomTeacher"]  # from an OUTER APPLY: no plain join gives it


def test_a_column_the_view_passes_on_under_another_name_is_named_over_the_direct_from(view):
    direct = direct_from(view("v_AdHocStudent"), ["studentNumber", "lastName", "schoolName"])
    assert direct.renames == ["schoolName is sch.name"]  # not studentNumber or lastName: the tables' own names
    # the student's personID is the pair's first person; its second is the contact's
    contacts = direct_from(view("v_CensusContactSummary"), ["personID", "email"])
    assert contacts.renames == ["personID is rp.personID1"]


def test_the_direct_from_keeps_the_table_the_view_s_rows_come_from(view):
    """student has a row per enrollment: Person and Identity alone would give one per person,
    parents and staff too."""
    direct = direct_from(view("v_AdHocStudent"), ["lastName"])
    assert direct.text.splitlines() == [
        "FROM dbo.Person p",
        "JOIN dbo.[Identity] i ON i.identityID = p.currentIdentityID",
        "JOIN dbo.Enrollment e ON e.personID = p.personID",
    ]


def test_a_view_filter_comes_with_its_table(view):
    direct = direct_from(view("v_CumGPAFull"), ["personID"])
    assert direct is None  # grouped: no plain FROM gives its rows
    direct = direct_from(view("v_OneRosterClasses"), ["sourcedId"])
    assert direct.text.splitlines()[-1] == "WHERE t.active = 1"


def test_no_direct_from_for_a_union(view):
    assert direct_from(view("v_OneRosterEnrollments"), ["sourcedId"]) is None


def test_what_stands_in_for_a_relation_is_what_the_query_joins_in_its_place(catalog):
    """A CTE or derived table that only passes one relation's rows on stands in for it, at every
    reference and through any chain of them; a recursive CTE's reference to itself ends there."""
    sql = ("WITH g AS (SELECT personID FROM v_CumGPAFull), h AS (SELECT * FROM g WHERE personID > 0), "
           "n AS (SELECT 1 AS k UNION ALL SELECT k + 1 FROM n WHERE k < 9) "
           "SELECT s.personID FROM student s WITH (NOEXPAND) JOIN h ON h.personID = s.personID "
           "JOIN (SELECT personID FROM g) d ON d.personID = s.personID CROSS JOIN n")
    (query,) = analyse(read_script(sql), catalog, ViewLibrary(catalog))
    by_name = {}
    for block in query.blocks:
        for relation in block.relations:
            by_name.setdefault(relation.name, []).append(relation)
    (gpa,) = by_name["v_CumGPAFull"]
    assert [r.alias for r in gpa.standing_in] == ["h", "d"]
    assert gpa.joined_to_others
    (student,) = by_name["student"]
    assert student.standing_in == [student]
    outer_n, inner_n = sorted(by_name["n"], key=lambda r: r.block is not student.block)
    assert inner_n.standing_in == [outer_n] and outer_n.block is student.block
