"""Numbers and lists as a report writer reads them."""

from __future__ import annotations


def count(rows: float) -> str:
    """2.3 billion, 15.0M, 300k, 546; past a thousand billion, as an estimate squaring rows gives
    them: 4.3 trillion, more than a quadrillion."""
    if rows >= 1e15:
        return "more than a quadrillion"
    if rows >= 1e12:
        return f"{rows / 1e12:.1f} trillion"
    if rows >= 1_000_000_000:
        return f"{rows / 1_000_000_000:.1f} billion"
    if rows >= 1_000_000:
        return f"{rows / 1_000_000:.1f}M"
    if rows >= 10_000:
        return f"{int(rows) // 1000}k"
    return f"{round(rows):,}"


def row_count(rows: float, table: str = "") -> str:
    """"1 row", "546 rows", "15.0M Attendance rows". An estimate between none and one row is
    said as 1 row, as SQL Server's own estimates never go below one: not "0 rows", which reads as
    if nothing came through."""
    number = count(max(rows, 1.0) if rows > 0 else rows)
    return f"{number}{' ' + table if table else ''} row{'' if number == '1' else 's'}"


def a_or_an(figure: str) -> str:
    """The article for a figure or a name as it is read aloud: an 8%, an 18%, an 80%, an 11,000, an
    Enrollment; a 9%, a 25,000, a Roster, a UserAccount (read you-)."""
    if figure[:1].isalpha():
        return f"{'an' if figure[0].lower() in 'aeio' else 'a'} {figure}"
    leading = figure.rstrip("%").split(".")[0].split(",")[0]
    return f"{'an' if leading.startswith('8') or leading in ('11', '18') else 'a'} {figure}"


def plural(number: int, noun: str) -> str:
    """"1 view", "3 views"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def severity_count(severity: str, number: int) -> str:
    """"1 error", "2 warnings", "3 info": info is a mass noun."""
    return f"{number} info" if severity == "info" else plural(number, severity)


def names(items: list[str], limit: int = 6) -> str:
    """'A, B and C', or 'A, B, C and 4 more'."""
    unique = list(dict.fromkeys(items))
    if len(unique) > limit:
        return ", ".join(unique[:limit]) + f" and {len(unique) - limit} more"
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def duration(seconds: float) -> str:
    """40 ms, 0.4 s, 5 s, 12 s, 3.5 min, 10 min, 2.1 h, 3.5 days, 1.2 years, 3,346 years: one
    decimal at most, none when it is 0."""
    if seconds < 0.1:
        return f"{max(round(seconds * 1000), 1)} ms"
    if seconds < 10:
        return f"{_tenths(seconds)} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{_tenths(seconds / 60)} min"
    if seconds < 48 * 3600:
        return f"{_tenths(seconds / 3600)} h"
    if seconds < 365 * 86400:
        return f"{_tenths(seconds / 86400)} days"
    years = seconds / (365 * 86400)
    if years < 10:
        return f"{_tenths(years)} year{'' if _tenths(years) == '1' else 's'}"
    return f"{years:,.0f} years" if years < 1e6 else "a million years or more"


def _tenths(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0") if value >= 1 else text
