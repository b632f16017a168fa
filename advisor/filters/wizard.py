"""A Query Wizard filter as the query it becomes.

The author picks fields (`student.lastName`, `activeEnrollment.grade`, `gpa.cumGpa`...) and
conditions on them. Each field prefix reads a view (the catalog's `wizard_fields`); sqladvise
writes the query a wizard filter amounts to, one line per field and per condition, so every
finding lands on the field or condition that causes it (a view's, on the first field from it):

    SELECT DISTINCT
      student.lastName,                                   <- field 1
      gpa.cumGpa                                          <- field 2
    FROM v_AdHocStudent student                           <- field 1's view
    LEFT JOIN v_CumGPAFull gpa ON gpa.personID = student.personID   <- field 2's
    WHERE 1 = 1
      AND (student.grade = '09')                          <- condition 1

How Campus itself joins the views is not public: joining on the person is this reconstruction,
and the batch review does not judge it (batch.WIZARD_WRITES).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.filters.passthrough import WRAPPER, Place, Wrapped

FIELDS, CONDITIONS = "fields", "conditions"
_FIELD = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\b")
_STRING = re.compile(r"('(?:[^']|'')*')")
ADVICE = (
    "Select fewer fields: each prefix can add a view to the query.",
    "Add conditions that limit the year, school or calendar.",
    "Run it school by school rather than for All Schools.",
    "Try the wizard's Force Order option.",
    "Rewrite it as SQL against the base tables, as a pass-through or an extract.",
)


@dataclass(frozen=True)
class Wizard:
    """The fields and conditions of a Query Wizard filter."""

    fields: tuple[str, ...]
    conditions: tuple[str, ...] = ()


class UnknownPrefix(ValueError):
    pass


def generate(wizard: Wizard, prefixes: dict[str, str], indexed: frozenset[str] = frozenset()) -> Wrapped:
    """The query, and where each of its lines came from; `indexed` names (in lower case) the
    indexed views, which Campus's own code reads WITH (NOEXPAND). Raises UnknownPrefix for a field
    whose prefix the catalog does not map to a view."""
    views: dict[str, tuple[str, Place]] = {}  # view -> its alias and the field or condition that brought it in

    def rewrite(text: str, place: Place) -> str:
        def alias(match: re.Match) -> str:
            prefix, column = match.group(1), match.group(2)
            view = prefixes.get(prefix.lower())
            if view is None:
                known = ", ".join(sorted(prefixes)) or "none"
                raise UnknownPrefix(f"the field prefix {prefix!r} is not one the catalog maps to a view (it maps: {known})")
            views.setdefault(view, (prefix, place))  # the view goes by the prefix that first named it
            return f"{views[view][0]}.{column}"

        # Outside string literals only: 'a.b@district.org' is a value, not a field.
        parts = _STRING.split(text.strip())
        return "".join(part if at % 2 else _FIELD.sub(alias, part) for at, part in enumerate(parts))

    fields = [rewrite(field, Place(FIELDS, at + 1)) for at, field in enumerate(wizard.fields)]
    conditions = [rewrite(condition, Place(CONDITIONS, at + 1)) for at, condition in enumerate(wizard.conditions)]
    if not views:
        raise UnknownPrefix("no field or condition names a prefix.field")
    lines: list[tuple[str, Place | None]] = [("SELECT DISTINCT", None)]
    lines += [(f"  {field}{',' if at < len(fields) - 1 else ''}", Place(FIELDS, at + 1)) for at, field in enumerate(fields)]
    # A view's findings belong to the field that made the wizard read it.
    def read(view: str, name: str) -> str:
        return f"{view} {name}{' WITH (NOEXPAND)' if view.lower() in indexed else ''}"

    (first, (first_alias, first_place)), *others = views.items()
    lines.append((f"FROM {read(first, first_alias)}", first_place))
    lines += [(f"LEFT JOIN {read(view, name)} ON {name}.personID = {first_alias}.personID", place)
              for view, (name, place) in others]
    lines.append(("WHERE 1 = 1", None))
    lines += [(_and(condition), Place(CONDITIONS, at + 1)) for at, condition in enumerate(conditions)]
    # A field or condition written over several lines (a dump's list item) keeps its place on each.
    physical = [(line, place) for text, place in lines for line in text.split("\n")]
    places = tuple(place or Place(WRAPPER, number) for number, (_, place) in enumerate(physical, start=1))
    return Wrapped("\n".join(line for line, _ in physical) + "\n", places)


def _and(condition: str) -> str:
    """AND (condition), its closing parenthesis on a line of its own after a -- comment, which would hide it."""
    return f"  AND ({condition}" + ("\n)" if "--" in condition else ")")
