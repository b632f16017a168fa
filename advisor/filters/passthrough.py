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
    # The line, in what the author saved, of each line of a box; empty for a box that is a whole
    # text of its own (a dump's column), whose lines are 1, 2, ...
    a_lines: tuple[int, ...] = ()
    b_lines: tuple[int, ...] = ()
    header: str = ""  # comments above the boxes in a saved file: the author's name, often
    marker_line: int = 1  # a saved file's first `-- box` line, where Campus's part of the query is shown

    def numbered(self, box: str) -> list[tuple[int, str]]:
        """Box "A" or "B", each of its lines with the line it was saved on."""
        text, saved = (self.a, self.a_lines) if box == "A" else (self.b, self.b_lines)
        lines = text.splitlines()
        return list(zip(saved or range(1, len(lines) + 1), lines))


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

    @property
    def campus_lines(self) -> frozenset[int]:
        """The lines of Campus's own part, which the author cannot change."""
        return frozenset(number for number, place in enumerate(self.places, start=1) if place.box == WRAPPER)

    def place(self, line: int) -> Place:
        return self.places[min(max(line, 1), len(self.places)) - 1]

    def authors_span(self, span: Span, lines: LineIndex) -> Span:
        """A finding's span in the wrapped query (`lines`) as its author is shown it: as it is, or
        where it starts in Campus's part and runs into a box, from the box's first written line on
        (AND and OR mixed across Campus's WHERE and box B: the OR in box B is what the author can
        change)."""
        for line in range(span.line, span.end_line + 1):
            written = lines.line_text(line)
            if self.place(line).box != WRAPPER and written.strip():
                if line == span.line:
                    return span
                start = lines.offset(line, len(written) - len(written.lstrip()) + 1)
                return lines.span(start, max(span.end, start))
        return span

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

    def add(numbered: list[tuple[int, str]], box: str | None) -> None:
        for saved, line in numbered:
            lines.append(line)
            places.append(Place(box, len(lines) if box == WRAPPER else saved))

    def own(text: str) -> list[tuple[int, str]]:
        return list(enumerate(text.splitlines(), start=1))

    add(own(boxes.header), None)
    add(own("SELECT DISTINCT student.personID, student.lastName, student.firstName\nFROM student WITH (NOEXPAND)"), WRAPPER)
    add(boxes.numbered("A"), "A")
    add(own(f"WHERE student.calendarID = {TOOLBAR_CALENDAR}\n  AND (0 = {year} OR student.endYear = {year})"), WRAPPER)
    add(boxes.numbered("B"), "B")
    return Wrapped("\n".join(lines) + "\n", tuple(places))


def split_boxes(text: str) -> Boxes | None:
    """A pass-through saved as one file: `-- box a` before the joins, `-- box b` before the
    conditions (any case). A marker met again goes on with its box. None when the file has no
    such markers."""
    parts: dict[str | None, list[tuple[int, str]]] = {None: [], "A": [], "B": []}
    markers: list[int] = []
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.strip().lower().replace(" ", "")
        if marker in ("--boxa", "--boxb"):
            current = marker[-1].upper()
            markers.append(number)
        else:
            parts[current].append((number, line))
    if not markers:
        return None

    def box(name: str | None) -> tuple[str, tuple[int, ...]]:
        return "\n".join(line for _, line in parts[name]), tuple(number for number, _ in parts[name])

    (a, a_lines), (b, b_lines) = box("A"), box("B")
    return Boxes(a, b, a_lines, b_lines, box(None)[0], markers[0])
