"""Checking many files: each with the settings nearest to it, across processes, in input order.

The order of the results never depends on the number of processes: workers return results in
the order the files were given. A file sqladvise fails on becomes an internal error for that
file; the others are still checked.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.catalog.model import Catalog
from advisor.checks.selection import RuleSelection
from advisor.config import Config
from advisor.config import Settings as SettingsFiles
from advisor.pipeline import Checker, FileReport, unanalysable
from advisor.risk import Settings
from advisor.sources import Source, Unreadable, too_large
from advisor.time_limit import TimeUp, time_limit

if TYPE_CHECKING:  # plans are read only when one is given: a plain check does not import them
    from advisor.plans.model import Plan

PARALLEL_FROM = 8  # fewer files than this are checked in this process: starting workers costs more


@dataclass(frozen=True)
class CatalogChoice:
    """Which catalog a file is checked against."""

    path: Path | None  # None: the bundled catalog
    district_size: int | None


@dataclass(frozen=True)
class FileJob:
    """One file to check, with the settings that apply to it."""

    source: Source | Unreadable
    catalog: CatalogChoice
    timeout: float
    rules: RuleSelection
    fail_on: str
    time_limit: float | None = None  # seconds one file may take before it is stopped (Unix only)
    plan: Plan | None = None  # SQL Server's plan of this file's statements


@dataclass(frozen=True)
class Outcome:
    """One file's report, or the error sqladvise met checking it."""

    report: FileReport
    internal_error: str | None = None  # sqladvise failed on the file, or took longer than its time limit


@dataclass(frozen=True)
class Options:
    """What the command line says; None where it says nothing and the settings file decides."""

    catalog: Path | None = None
    district_size: int | None = None
    timeout: float | None = None
    select: tuple[str, ...] | None = None  # replaces the settings' select
    ignore: tuple[str, ...] = ()  # added to the settings' ignore
    extend: tuple[str, ...] = ()  # rules that are off by default, turned on
    fail_on: str | None = None
    time_limit: float | None = None  # seconds per file (the batch review's --time-limit)
    plan: Plan | None = None  # `check --plan`: SQL Server's plan of the one file checked


def plan(sources: list[Source | Unreadable], files: SettingsFiles, options: Options,
         default_timeout: float) -> tuple[list[FileJob], int]:
    """A job per source with its settings; and how many sources the settings exclude."""
    jobs, excluded = [], 0
    for source in sources:
        path = source.file
        config = files.for_file(path)
        if path is not None and config.excludes(path):
            excluded += 1
            continue
        jobs.append(job_for(source, config, options, default_timeout))
    return jobs, excluded


def job_for(source: Source | Unreadable, config: Config, options: Options, default_timeout: float) -> FileJob:
    """A source with its settings: the command line's where it says something, else the file's."""
    select = options.select if options.select is not None else config.select
    return FileJob(source,
                   CatalogChoice(options.catalog or config.catalog, options.district_size or config.district_size),
                   options.timeout or config.timeout or default_timeout,
                   RuleSelection(select, (*config.ignore, *options.ignore), config.severity, options.extend),
                   options.fail_on or config.fail_on or "error",
                   options.time_limit, options.plan)


# Per process: the catalogs the run uses (loaded once, by the parent before workers start) and
# a Checker for each catalog and timeout, so that views are analysed once per process.
_catalogs: dict[CatalogChoice, Catalog] = {}
_checkers: dict[tuple[CatalogChoice, float], Checker] = {}


def load_catalogs(choices: Iterable[CatalogChoice]) -> list[str]:
    """Loads every catalog chosen, in this process; returns the warnings to show.
    Raises CatalogError for a catalog file that cannot be used."""
    from advisor.catalog.load import load, load_bundled
    from advisor.catalog.merge import over_bundled

    warnings = []
    for choice in dict.fromkeys(choices):
        if choice in _catalogs:
            continue
        if choice.path is not None:
            district, found = load(choice.path)
            warnings += found
            catalog = over_bundled(district, load_bundled())
        else:
            catalog = load_bundled()
        if choice.district_size is not None:
            if catalog.profile is None:
                warnings.append(f"{choice.path}: the district size is ignored: this catalog has its own row counts")
            catalog = catalog.sized_for(choice.district_size)
        _catalogs[choice] = catalog
    return warnings


def catalog_for(choice: CatalogChoice) -> Catalog:
    return _catalogs[choice]


def check_all(jobs: list[FileJob], processes: int, advance: Callable[[], None] = lambda: None) -> list[Outcome]:
    if processes <= 1 or len(jobs) < PARALLEL_FROM:
        outcomes = []
        for job in jobs:
            outcomes.append(check_one(job))
            advance()
        return outcomes
    # Imported only here: a one-file run starts quicker without them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    processes = workers(processes, len(jobs))
    chunk = max(1, min(32, len(jobs) // (processes * 8)))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)  # fork: workers inherit the catalogs
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_worker_start,
                             initargs=(None if context.get_start_method() == "fork" else _catalogs,)) as pool:
        outcomes = []
        for outcome in pool.map(check_one, jobs, chunksize=chunk):
            outcomes.append(outcome)
            advance()
        return outcomes


def check_one(job: FileJob) -> Outcome:
    key = (job.catalog, job.timeout)
    try:
        with time_limit(job.time_limit) if job.time_limit is not None else nullcontext():
            if key not in _checkers:
                _checkers[key] = Checker(_catalogs[job.catalog], Settings(timeout_seconds=job.timeout))
            report = _checkers[key].check(job.source, job.rules, job.plan)
    except TimeUp:
        return Outcome(FileReport(job.source.path, fail_on=job.fail_on),
                       f"stopped after {job.time_limit:g} s: sqladvise took too long over it")
    except MemoryError:  # the file is too large for this machine: an input problem, not a bug
        report = None  # made below, once the exception and the file's half-built analysis are let go
    except Exception as error:  # one file's failure never stops the others
        return Outcome(FileReport(job.source.path, fail_on=job.fail_on), f"{type(error).__name__}: {error}")
    if report is None:
        gc.collect()  # the file's syntax trees point to their parents: only a collection frees them
        too = too_large(job.source.path, len(job.source.data) if isinstance(job.source, Source) else 0)
        report = unanalysable(too.path, too.reason, job.rules, too.fix, job.source.file)
    report.fail_on = job.fail_on
    return Outcome(report)


def _worker_start(catalogs: dict[CatalogChoice, Catalog] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle, once
    if catalogs is not None:
        _catalogs.update(catalogs)


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


WINDOWS_MOST_WORKERS = 61  # Windows waits on at most 63 handles at once; a process pool needs two


def workers(asked: int, files: int) -> int:
    """Processes to check `files` with: as many as asked, but no more than the files or the cores
    (more only wait their turn, each holding its own copy of the catalog), and on Windows no more
    than its process pools allow."""
    most = min(default_processes(), WINDOWS_MOST_WORKERS) if sys.platform == "win32" else default_processes()
    return max(1, min(asked, files, most))
