"""No input, however broken, crashes the front end or the analysis: it reports instead."""

import random

import pytest

from advisor.frontend.parse import read_script

_WORDS = (
    "SELECT FROM WHERE IF BEGIN END ELSE WHILE ( ) , ; ' \" [ ] /* */ -- GO\n \n CASE WHEN THEN "
    "AND OR = @x #t a b 1 INSERT INTO EXEC SET DECLARE CURSOR FOR WITH AS UNION TRY CATCH CREATE "
    "PROCEDURE VIEW TABLE RETURN OPTION PRINT RAISERROR : . * N'x' 0x1 $ { < > student Attendance"
).split(" ")


@pytest.mark.parametrize("seed", range(6))
def test_random_keyword_soup_is_reported_not_raised(seed, check):
    generator = random.Random(seed)
    for _ in range(150):
        text = " ".join(generator.choice(_WORDS) for _ in range(generator.randrange(0, 50)))
        report = check(text)
        assert report.statements >= report.parsed
        assert all(f.span is not None for f in report.findings)


@pytest.mark.parametrize("seed", range(4))
def test_random_bytes_are_reported_not_raised(seed, check):
    generator = random.Random(1000 + seed)
    for _ in range(40):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 1500)))
        report = check(data)
        assert report.findings  # unreadable, unparsable or at least authorless: never silent


def test_deep_nesting_is_a_parse_finding():
    statement = read_script("SELECT " + "(" * 5000 + "1" + ")" * 5000).statements[0]
    assert not statement.understood and "nests too deeply" in statement.error


def test_a_long_union_chain_is_read(check):
    text = "\nUNION ALL\n".join(f"SELECT {i} AS n FROM School" for i in range(1500))
    report = check(text)
    assert (report.statements, report.parsed) == (1, 1)


def test_a_large_file_is_read_whole(check):
    statement = "SELECT sch.schoolID, sch.name FROM School sch WHERE sch.number = '{n}'\n"
    text = "".join(statement.format(n=n) for n in range(3000))
    report = check(text)
    assert (report.statements, report.parsed) == (3000, 3000)
