"""Who supports this SQL: Campus Support does not support SQL it did not write."""

from __future__ import annotations

from collections.abc import Iterator

from advisor.checks.registry import FileContext, Hit, file_rule


@file_rule("OW001")
def no_author(context: FileContext) -> Iterator[Hit]:
    if context.author is None and context.script.statements:  # an empty file has PA003, and no SQL to own
        yield Hit(
            context.script.lines.span(0, 0),
            "No author is named in this file's header. Campus Support does not support SQL it did "
            "not write; whoever wrote it supports it, and the district needs to know who that is.",
            _REPORT_FIX if context.script.report is not None else "Add a header comment such as -- Author: <your name>.",
        )


_REPORT_FIX = ("Fill in the report's Author (Report Builder: Report Properties; Visual Studio: the report's Author "
               "property), or start its main query with a comment such as -- Author: <your name>.")
