"""A district's catalog over the bundled one: the district's facts win, Campus knowledge fills in."""

from dataclasses import replace

from advisor.catalog.load import load_bundled
from advisor.catalog.merge import over_bundled
from advisor.catalog.model import Catalog, Column, Table
from advisor.report import catalog_note


def district(*tables: Table) -> Catalog:
    return Catalog("a district's export", False, "district.json", {t.name.lower(): t for t in tables})


def test_the_district_s_facts_win_and_what_sqladvise_knows_fills_in():
    bundled = load_bundled()
    known = bundled.table("Attendance")
    own = Table("Attendance", columns=(Column("attendanceID", "int"), Column("personID", "int"),
                                       Column("calendarID", "int"), Column("date", "smalldatetime")), rows=1234)
    merged = over_bundled(district(own), bundled)
    attendance = merged.table("Attendance")
    assert attendance.rows == 1234 and attendance.columns == own.columns  # the server's truth
    assert attendance.history and attendance.scope_kind("calendarID") == known.scope_kind("calendarID")
    assert "status" not in attendance.scope  # no knowledge of columns the district's table does not have
    enrollment = over_bundled(district(Table("Enrollment", columns=(Column("serviceType", "char(1)"),), rows=9)),
                              bundled).table("Enrollment")
    assert enrollment.shares == {"servicetype": bundled.table("Enrollment").shares["servicetype"]}
    calendar = over_bundled(district(Table("Calendar", columns=(Column("calendarID", "int"), Column("name", "varchar(50)")),
                                           rows=40)), bundled).table("Calendar")
    assert calendar.year_names == {"name"} == bundled.table("Calendar").year_names
    assert merged.table("Enrollment") is bundled.table("Enrollment")  # lacked: from the bundled catalog
    assert "Enrollment" in merged.from_bundled and "Attendance" not in merged.from_bundled
    assert merged.view("student") is bundled.view("student") and merged.scope_join_keys == bundled.scope_join_keys


def test_a_district_table_that_says_its_own_scope_keeps_it():
    bundled = load_bundled()
    own = replace(bundled.table("Attendance"), rows=99, history=False, scope={"date": "date"})
    merged = over_bundled(district(own), bundled)
    assert merged.table("Attendance") is own


def test_a_table_its_source_could_not_count_takes_the_bundled_size_and_the_report_says_so():
    bundled = load_bundled()
    columns = (Column("attendanceID", "int"), Column("calendarID", "int"))
    uncounted = (Table("Attendance", columns=columns, rows_known=False),
                 Table("LocalTally", columns=columns, rows_known=False))
    merged = over_bundled(district(*uncounted), bundled)
    attendance = merged.table("Attendance")
    assert (attendance.rows, attendance.growth_per_year) == (bundled.table("Attendance").rows, bundled.table("Attendance").growth_per_year)
    assert attendance.columns == columns and attendance.pages is None  # pages follow the columns it has
    assert merged.table("LocalTally").rows == 0
    assert (merged.sized_from_bundled, merged.unsized) == (("Attendance",), ("LocalTally",))
    note = catalog_note(merged)
    assert "1 table without row counts are sized" not in note  # plural agrees
    assert "1 table without row counts is sized by the bundled approximation: Attendance." in note
    assert "1 table without row counts counts as empty: LocalTally." in note


def test_what_an_export_cannot_say_comes_from_the_bundled_object_of_the_same_name():
    bundled = load_bundled()
    known = bundled.table("Attendance")
    unsure = tuple(replace(index, clustered=None) for index in known.indexes)
    own = Table("Attendance", columns=known.columns, indexes=unsure, rows=known.rows * 3, growth_known=False)
    merged = over_bundled(district(own), bundled)
    attendance = merged.table("Attendance")
    assert [i.clustered for i in attendance.indexes] == [i.clustered for i in known.indexes] and any(i.clustered for i in known.indexes)
    # three times Campus's Attendance gains three times its rows each year
    assert abs(attendance.growth_per_year - 3 * known.growth_per_year) <= 1 and known.growth_per_year > 0
    lone = over_bundled(district(Table("LocalTally", indexes=unsure, rows=5, growth_known=False)), bundled).table("LocalTally")
    assert not any(i.clustered for i in lone.indexes) and lone.growth_per_year == 0


def test_a_view_whose_source_could_not_say_it_is_indexed_takes_the_bundled_view_s_indexes():
    bundled = load_bundled()
    known = bundled.view("student")
    own = replace(known, indexed=None, indexes=())
    merged = over_bundled(replace(district(), views={"student": own}), bundled).view("student")
    assert merged.indexed and merged.indexes == known.indexes and merged.definition == own.definition


def test_the_bundled_catalog_s_note_names_the_district_size_it_is_sized_for():
    assert "and of an 8,000-student district's sizes" in catalog_note(load_bundled().sized_for(8000))
    assert "and of a 25,000-student district's sizes" in catalog_note(load_bundled())


def test_what_a_column_points_at_comes_from_the_bundled_table_where_the_server_declares_no_key():
    bundled = load_bundled()
    columns = (Column("personID", "int"), Column("currentIdentityID", "int"))
    person = over_bundled(district(Table("Person", columns=columns, rows=10)), bundled).table("Person")
    assert person.foreign_keys == bundled.table("Person").foreign_keys
    without = over_bundled(district(Table("Person", columns=columns[:1], rows=10)), bundled).table("Person")
    assert without.foreign_keys == ()  # no currentIdentityID: nothing to point with
