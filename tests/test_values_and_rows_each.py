"""Which columns of a relation hold one value for each value of others, followed through the
bundled views' joins; and so how many rows a grouped query has for some of what it groups by."""

import pytest

from advisor.analysis import analyse
from advisor.analysis.views import ViewLibrary
from advisor.checks.multiplicity import one_row_each, one_value_each
from advisor.frontend.parse import read_script


@pytest.mark.parametrize("name, columns, column, one", [
    ("StaffMember", {"personid"}, "lastName", True),  # Identity, through Person, by the assignment's personID
    ("StaffMember", {"personid"}, "schoolID", False),  # each of the teacher's assignments names its school
    ("StaffMember", {"personid", "schoolid"}, "schoolName", True),
    ("v_CensusContactSummary", {"personid"}, "email", False),  # each related person's contact
    ("v_AdHocStudent", {"personid"}, "lastName", True),
    ("v_AdHocStudent", {"personid"}, "grade", False),  # one a year's enrollment
    ("Enrollment", {"enrollmentid"}, "grade", True),  # a key names the row
    ("Enrollment", {"personid"}, "grade", False),
])
def test_a_column_holds_one_value_for_the_columns_that_name_its_source_row(catalog, name, columns, column, one):
    (query,) = analyse(read_script(f"SELECT 1 AS x FROM {name} r"), catalog, ViewLibrary(catalog))
    assert one_value_each(query.relations[0], columns, column) is one


@pytest.mark.parametrize("grouped, one", [
    ("SELECT e.personID, e.calendarID, COUNT(*) AS n FROM Enrollment e GROUP BY e.personID, e.calendarID", False),
    ("SELECT e.personID, i.lastName, COUNT(*) AS n FROM Enrollment e JOIN Person p ON p.personID = e.personID "
     "JOIN [Identity] i ON i.identityID = p.currentIdentityID GROUP BY e.personID, i.lastName", True),
    ("SELECT e.personID, COUNT(*) AS n FROM Enrollment e GROUP BY e.personID", True),
    ("SELECT e.personID, e.calendarID, COUNT(*) AS n FROM Enrollment e GROUP BY ROLLUP (e.personID, e.calendarID)", None),
])
def test_a_grouped_query_has_several_rows_where_it_groups_by_what_does_not_follow_from_the_columns(catalog, grouped, one):
    """Its rows for a personID: one where what else it groups by holds one value for the person (the
    lastName of their Identity), several where it does not (a row per calendar), not known with the
    subtotals of ROLLUP."""
    (query,) = analyse(read_script(f"SELECT 1 AS x FROM ({grouped}) g"), catalog, ViewLibrary(catalog))
    assert one_row_each(query.relations[0], {"personid"}) is one
