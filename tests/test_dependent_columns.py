"""Which columns of a relation hold one value for each value of others, followed through the
bundled views' joins."""

import pytest

from advisor.analysis import analyse
from advisor.analysis.views import ViewLibrary
from advisor.checks.dependent_columns import one_value_each
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
