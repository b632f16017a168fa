"""PR022: a LIKE pattern whose [ ] or _ was meant as text. PostgreSQL's SIMILAR TO reads %, _
and [...] as T-SQL's LIKE does (compared in lower case, as Campus's collation ignores case): the
tests run the pattern the author wrote and the one the fix writes on the same names."""

import re

import pytest
from checked import found
from engines import postgres_with

NAMES = ["Algebra I", "English 10 [Honors]", "PE", "AP_Biology", "Band", "Gym"]


@pytest.fixture(scope="module")
def postgres():
    with postgres_with() as connection:
        yield connection


def _matching(postgres, pattern: str) -> list[str]:
    """The names a T-SQL LIKE pattern matches."""
    return [name for name in NAMES
            if postgres.execute("SELECT lower(%s) SIMILAR TO lower(%s)", (name, pattern)).fetchone()[0]]


def _fixed_pattern(remediation: str) -> str:
    return re.search(r"LIKE '(.*)'\.$", remediation)[1].replace("''", "'")


def _course_names(condition: str) -> str:
    return ("SELECT r.personID, c.name FROM Course c JOIN Section s ON s.courseID = c.courseID "
            f"JOIN Roster r ON r.sectionID = s.sectionID WHERE c.calendarID = 12 AND {condition}")


def test_a_tag_in_brackets_is_a_set_of_characters_not_the_tag(check, postgres):
    sql = _course_names("c.name LIKE '%[Honors]%'")
    (hit,) = found(check, sql, "PR022")
    assert sql[hit.span.start:hit.span.end] == "'%[Honors]%'"
    assert hit.message == ("In LIKE, [Honors] is a set of characters: it matches one character, H, O, N, R or S, and "
                           "never the text [Honors], so c.name LIKE '%[Honors]%' finds the values with any one of them in "
                           "its place.")
    assert hit.severity == "warning"
    assert _matching(postgres, "%[Honors]%") == ["Algebra I", "English 10 [Honors]", "AP_Biology", "Band"]
    assert _fixed_pattern(hit.remediation) == "%[[]Honors]%"
    assert _matching(postgres, _fixed_pattern(hit.remediation)) == ["English 10 [Honors]"]


def test_not_like_leaves_out_the_values_with_any_of_the_characters(check, postgres):
    (hit,) = found(check, _course_names("c.name NOT LIKE N'%[Inactive]%'"), "PR022")
    assert "so c.name NOT LIKE N'%[Inactive]%' leaves out the values with any one of them" in hit.message
    assert "I, N, A, C, T, V or E" in hit.message
    assert [n for n in NAMES if n not in _matching(postgres, "%[Inactive]%")] == ["Gym"]


def test_an_underscore_meant_as_text_matches_any_character(check, postgres):
    sql = _course_names("c.name LIKE '%_%'")
    (hit,) = found(check, sql, "PR022")
    assert sql[hit.span.start:hit.span.end] == "'%_%'"
    assert hit.message == ("In LIKE, _ is any one character: '%_%' matches every value with a character in it, not "
                           "those with an underscore, so c.name LIKE '%_%' keeps every value but NULL and ''.")
    assert _matching(postgres, "%_%") == NAMES
    (negated,) = found(check, _course_names("c.name NOT LIKE '%_%'"), "PR022")
    assert negated.message.endswith("so c.name NOT LIKE '%_%' keeps only ''.")
    assert _fixed_pattern(hit.remediation) == "%[_]%"
    assert _matching(postgres, _fixed_pattern(hit.remediation)) == ["AP_Biology"]


@pytest.mark.parametrize("pattern, holds", [("%[Honors]%", "%[[]Honors]%"), ("%_%", "%[_]%")])
def test_a_pattern_a_variable_set_once_holds_is_read_and_the_fix_gives_the_variable_its_text(check, postgres, pattern,
                                                                                           holds):
    sql = f"DECLARE @tag varchar(20) = '{pattern}'\n" + _course_names("c.name LIKE @tag")
    (hit,) = found(check, sql, "PR022")
    assert sql[hit.span.start:hit.span.end] == "@tag"
    assert f"so c.name LIKE @tag (@tag holds '{pattern}')" in hit.message
    assert hit.remediation.endswith(f": give @tag '{holds}'.")
    assert len(_matching(postgres, holds)) == 1 < len(_matching(postgres, pattern))


def test_a_set_of_one_character_named_twice_is_that_character(check):
    (hit,) = found(check, _course_names("c.number LIKE 'AP[ee]%'"), "PR022")
    assert "[ee] is a set of characters: it matches one character, E, and never the text [ee]" in hit.message


def test_a_piece_of_a_pattern_put_together_is_read_on_its_own(check):
    (hit,) = found(check, _course_names("c.name LIKE @prefix + '[Honors]%'"), "PR022")
    assert "[Honors] is a set of characters" in hit.message
    assert _fixed_pattern(hit.remediation) == "[[]Honors]%"


@pytest.mark.parametrize("condition", [
    "c.number LIKE '[0-9]%'",  # a range
    "c.name LIKE '[ABC]%'",  # a set, each character once
    "c.name LIKE '%[^a-z0-9 ]%'",  # the characters left out
    "c.number LIKE '[A-Z][A-Z]%'",
    "c.name LIKE '%[[]Honors]%'",  # the fix
    "c.name LIKE '%\\[Honors\\]%' ESCAPE '\\'",  # the author said which are text
    "c.number LIKE '_'",  # one-character values
    "c.number LIKE 'AP_%'",
    "c.name LIKE @pattern",
])
def test_sets_ranges_and_escaped_patterns_are_not_reported(check, condition):
    assert found(check, _course_names(condition), "PR022") == []
