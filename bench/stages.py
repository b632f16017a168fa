"""Where a check's time goes after start-up: each stage against sqlglot's parse, in one process.

    python bench/stages.py [--repeat 7]

The whole-process ratios of bench/speed.py mix start-up in. This reads and decodes the working
samples once, checks them all once so that views and rule docs are loaded, then times in rounds,
one after another: the parse-only reference (split at GO, `sqlglot.parse` each batch), and
sqladvise's stages on the same texts, each given the previous stage's output made afresh just
before it: reading the statements, the analysis, the checks, the timeout risk; and a whole check
of each file. For scale, it also times sqlglot's own optimizer resolving the names in the
parsed trees against the bundled catalog's tables and views (`qualify`, compiled like the parser):
one pass that does a part of what the analysis does. The garbage collector runs before each stage is timed: making its input leaves
garbage that a stage as short as the parse would otherwise pay to collect (it doubled the parse).
Each ratio is the median of the rounds' ratios to the parse. Writes bench/results/stages.md.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import sqlglot
from speed import SAMPLES, WORKLOADS, measured_on, publish
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from advisor.analysis import analyse
from advisor.analysis.model import Query
from advisor.catalog.load import load_bundled
from advisor.catalog.model import Catalog
from advisor.checks import run_checks
from advisor.checks.registry import FileContext
from advisor.checks.selection import RuleSelection
from advisor.frontend.decode import decode
from advisor.frontend.parse import Script, read_script
from advisor.pipeline import Checker
from advisor.risk import assess
from advisor.sources import collect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "stages.md"
# sqlglot's optimizer resolving names in the parsed trees against the bundled catalog: a pass of
# sqlglot's own, compiled like its parser, that does a small part of what the analysis does
QUALIFY = "for scale: sqlglot's own name resolution (qualify)"
GO = re.compile(r"^[ \t]*go(?:[ \t]+\d+)?[ \t]*$", re.IGNORECASE | re.MULTILINE)


def _parse(texts: list[str]) -> list[exp.Expression]:
    trees = []
    for text in texts:
        for batch in GO.split(text):
            try:
                trees.extend(tree for tree in sqlglot.parse(batch, read="tsql") if tree is not None)
            except Exception:  # the reference only parses: what sqlglot cannot read is skipped
                pass
    return trees


def _schema(catalog: Catalog) -> MappingSchema:
    """The catalog's tables and views with their columns, as sqlglot's optimizer takes a schema:
    made once, as the analysis's catalog is, not once for each tree."""
    schema = {table.name: {column.name: column.type for column in table.columns}
              for table in catalog.tables.values()}
    schema.update({view.name: dict.fromkeys(view.columns, "sql_variant")
                   for view in catalog.views.values() if view.columns})
    return MappingSchema(schema, dialect="tsql")


def _qualify(trees: list[exp.Expression], schema: MappingSchema) -> None:
    for tree in trees:
        try:
            qualify(tree, dialect="tsql", schema=schema, validate_qualify_columns=False)
        except Exception:  # a tree the optimizer cannot resolve costs what it took to find that out
            pass


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=7)
    args = options.parse_args()
    label, kinds = WORKLOADS[-1]
    sources = collect([str(SAMPLES / kind) for kind in kinds])
    checker = Checker(load_bundled())
    rules = RuleSelection().running()
    for source in sources:  # loads the views, the rule docs and the modules a check needs
        checker.check(source)
    texts = [decode(source.data).text for source in sources]
    today = date.today()

    def analysed() -> list[tuple[Script, list[Query]]]:
        """Each file's statements and their analysis, made afresh: a stage given the same objects
        again would find what it cached on them the round before."""
        scripts = [read_script(text) for text in texts]
        return [(script, analyse(script, checker.catalog, checker.views, today)) for script in scripts]

    schema = _schema(checker.catalog)
    stages: dict[str, Callable[[Any], object]] = {
        "parse only (the reference)": lambda _: _parse(texts),
        QUALIFY: lambda trees: _qualify(trees, schema),
        "reading the statements": lambda _: [read_script(text) for text in texts],
        "analysis": lambda given: [analyse(script, checker.catalog, checker.views, today) for script, _ in given],
        "checks": lambda given: [run_checks(FileContext("bench", script, found, checker.catalog, None), rules)
                                 for script, found in given],
        "timeout risk": lambda given: [assess(found, checker.growth, checker.settings, script.lines)
                                       for script, found in given],
        "a whole check of each file": lambda _: [checker.check(source) for source in sources],
    }
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(args.repeat):
        for name, stage in stages.items():
            if name == QUALIFY:
                given = _parse(texts)
            elif name in ("checks", "timeout risk"):
                given = analysed()
            else:
                given = [(read_script(text), []) for text in texts]
            gc.collect()  # what making `given` left for the collector is not the stage's to pay
            start = time.perf_counter()
            stage(given)
            times[name].append(time.perf_counter() - start)
    parse = times["parse only (the reference)"]
    rows = [f"| {name} | {statistics.median(taken) * 1000:.1f} | "
            f"{statistics.median(t / p for t, p in zip(taken, parse)):.2f} |" for name, taken in times.items()]
    lines = [
        "# Where a check's time goes, after start-up",
        "",
        f"{measured_on()}; {label}: {len(sources)} files, in one process, medians of {args.repeat} rounds. "
        "Each stage is given the previous stage's output, made afresh just before it, and the garbage "
        "collector runs before each, so that none pays to collect another's garbage. The whole check "
        "also decodes each file and sorts, suppresses and fingerprints its findings, but most of what it "
        "costs over the stages' sum is that it runs them file by file, in turn: run apart, each stage "
        "keeps its own code and data in the processor's caches. The row for scale is no part of a check: "
        "it is sqlglot's own optimizer, compiled like its parser, resolving the names in the parsed trees "
        "against the bundled catalog's tables and views (`qualify`), one pass that does a part of what "
        "the analysis does.",
        "",
        "| stage | ms | times the parse |",
        "|---|---:|---:|",
        *rows,
        "",
    ]
    publish(RESULTS, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
