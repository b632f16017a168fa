"""A Student pass-through filter as Campus runs it: the author's two boxes inside Campus's query.

The author writes box A (extra joins) and box B (extra conditions, starting with AND). Campus
pastes them into its own query around the student view, with the toolbar's calendar and year:

    SELECT DISTINCT student.personID, student.lastName, student.firstName
    FROM student WITH (NOEXPAND)
    <box A>
    WHERE student.calendarID = <calendar>
      AND (0 = <year> OR student.endYear = <year>)
    <box B>

(one district's reconstruction, ic-domain.md). sqladvise checks that whole query, then places each
finding back on the line of the box the author wrote; what lies in Campus's part is Campus's.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.span import LineIndex, Span

TOOLBAR_CALENDAR = 1  # any calendar: the toolbar pastes a number in


@dataclass(frozen=True)
class Boxes:
    """The two boxes of a pass-through filter, as the author wrote them."""

    a: str  # extra joins
    b: str  # extra conditions, starting with AND
    a_line: int = 1  # where each box starts in what the author saved: a file, or the box itself
    b_line: int = 1
    header: str = ""  # comments above the boxes in a saved file: the author's name, often
    marker_line: int = 1  # a saved file's first `-- box` line, where Campus's part of the query is shown


WRAPPER = "wrapper"


@dataclass(frozen=True)
class Place:
    """Where a line of the wrapped query came from."""

    box: str | None  # "A", "B", WRAPPER for Campus's part, None for a saved file's header
    line: int  # 1-based, in what the author saved; for the wrapper, in the wrapped query


@dataclass(frozen=True)
class Wrapped:
    """The query Campus runs around a pass-through filter's boxes."""

    sql: str
    places: tuple[Place, ...]  # one per line of `sql`

    def place(self, line: int) -> Place:
        return self.places[min(max(line, 1), len(self.places)) - 1]

    def to_file(self, span: Span, file: LineIndex, marker_line: int) -> Span:
        """A span of the wrapped query as a span of the saved file it was made from: the same
        text in a box, or the whole marker line for Campus's part."""
        start, end = self.place(span.line), self.place(span.end_line)
        if start.box == WRAPPER:
            first = file.offset(marker_line, 1)
            return file.span(first, first + max(len(file.line_text(marker_line)), 1))
        begin = file.offset(start.line, span.column)
        if end.box != start.box:
            return file.span(begin, file.offset(start.line, 1) + max(len(file.line_text(start.line)), 1))
        return file.span(begin, file.offset(end.line, span.end_column) + 1)


def wrap(boxes: Boxes, year: int) -> Wrapped:
    """The query Campus runs for the boxes, with the toolbar on one calendar and `year`."""
    lines: list[str] = []
    places: list[Place] = []

    def add(text: str, box: str | None, first: int = 1) -> None:
        for offset, line in enumerate(text.splitlines()):
            lines.append(line)
            places.append(Place(box, len(lines) if box == WRAPPER else first + offset))

    add(boxes.header, None)
    add("SELECT DISTINCT student.personID, student.lastName, student.firstName\nFROM student WITH (NOEXPAND)", WRAPPER)
    add(boxes.a, "A", boxes.a_line)
    add(f"WHERE student.calendarID = {TOOLBAR_CALENDAR}\n  AND (0 = {year} OR student.endYear = {year})", WRAPPER)
    add(boxes.b, "B", boxes.b_line)
    return Wrapped("\n".join(lines) + "\n", tuple(places))


def split_boxes(text: str) -> Boxes | None:
    """A pass-through saved as one file: `-- box a` before the joins, `-- box b` before the
    conditions (any case). None when the file has no such markers."""
    parts: dict[str | None, list[str]] = {None: []}
    starts: dict[str, int] = {}
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.strip().lower().replace(" ", "")
        if marker in ("--boxa", "--boxb"):
            current = marker[-1].upper()
            parts.setdefault(current, [])
            starts[current] = number + 1
        else:
            parts[current].append(line)
    if not starts:
        return None
    return Boxes("\n".join(parts.get("A", [])), "\n".join(parts.get("B", [])), starts.get("A", 1), starts.get("B", 1),
                 "\n".join(parts[None]), min(starts.values()) - 1)
