"""The team's sample queries: read in full, and flagged exactly as their headers expect."""

import pytest
from conftest import rules_of
from corpus import BROKEN, SAMPLES, expected_rules, sample_files

FILES = sample_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SAMPLES)) for p in FILES])
def test_each_sample_produces_exactly_the_findings_it_expects(check, path):
    report = check(path.read_bytes(), str(path))
    assert rules_of(report) == expected_rules(path)


def test_the_samples_are_a_real_corpus():
    working = [p for p in FILES if BROKEN not in p.parents]
    assert len(working) >= 40


def test_every_statement_of_working_district_sql_is_understood(check):
    statements = parsed = 0
    for path in FILES:
        if BROKEN in path.parents:
            continue
        report = check(path.read_bytes(), str(path))
        statements += report.statements
        parsed += report.parsed
    assert statements >= 150
    assert parsed / statements >= 0.995, f"{parsed} of {statements}"


def test_findings_land_on_the_same_place_whatever_the_encoding(check):
    places = set()
    for path in sorted((SAMPLES / "encodings").glob("*.sql")):
        report = check(path.read_bytes(), str(path))
        (nolock,) = [f for f in report.findings if f.rule == "HT001"]
        places.add((nolock.span.line, nolock.span.column, nolock.span.end_column))
        assert report.author == "José Martínez"
    assert places == {(5, 23, 28)}  # FROM School sch WITH (NOLOCK): the word NOLOCK


def test_an_extract_captured_as_sp_executesql_gets_the_same_findings_and_estimate(check):
    """What Profiler shows of an extract, EXEC sp_executesql N'...' with its quotes doubled, is the
    same query: the same findings, messages and estimate, each on its place inside the string."""
    from advisor.frontend.decode import decode
    from advisor.frontend.parse import read_script

    extracts = [p for p in FILES if p.parent.name == "extracts"]
    assert len(extracts) >= 25
    for path in extracts:
        text = decode(path.read_bytes()).text
        statements = read_script(text).statements
        start, end = statements[0].span.start, statements[-1].span.end
        captured = text[:start] + "EXEC sp_executesql N'" + text[start:end].replace("'", "''") + "'" + text[end:]
        alone, inside = check(text, str(path)), check(captured, str(path))

        def moved(offset: int) -> int:  # where an offset of the statement is in the captured text
            if not start <= offset <= end:
                return offset if offset < start else offset + len(captured) - len(text)
            return offset + len("EXEC sp_executesql N'") + text.count("'", start, offset)

        expected = sorted((f.rule, f.message, moved(f.span.start)) for f in alone.findings)
        assert sorted((f.rule, f.message, f.span.start) for f in inside.findings) == expected, path.name
        assert inside.risk.risk.estimated_seconds == alone.risk.risk.estimated_seconds, path.name
