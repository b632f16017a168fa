"""The sqladvise command. Wiring only: arguments in, stages called, report out, exit code."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import typer
from typer.exceptions import TyperException

from advisor import __version__

USAGE, INTERNAL = 3, 4

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Reads the T-SQL districts write against Infinite Campus and says what will make it slow.",
)


# Options check and batch share
OUTPUT = typer.Option(None, "--output", "-o", help="Write the report to this file (replaced whole, never half-written) instead of standard output.")
CONFIG = typer.Option(None, "--config", help="Use this settings file for every input instead of the nearest .sqladvise.toml or pyproject.toml.")
CATALOG = typer.Option(None, "--catalog", help="A catalog JSON file (your district's export) instead of the bundled Campus approximation.")
# Their limits are the settings' (advisor.config), checked there.
DISTRICT_SIZE = typer.Option(None, "--district-size", help="Students in the district, up to 2,000,000: sizes the bundled catalog (default 25,000, or district-size in the settings).")
TIMEOUT = typer.Option(None, "--timeout", help="Seconds after which the query is stopped, from 1 to a week (default 600, the ad hoc filter timeout, or timeout in the settings).")
JOBS = typer.Option(None, "--jobs", "-j", min=1, help="Processes to check files with (default and most: one per core).")


@contextmanager
def _loading_for_good() -> Iterator[None]:
    """What a command loads before its work (its modules, the catalog, the rule docs) lives until
    the process ends, so collecting garbage among it is wasted work: the collector pauses while
    it loads, then leaves it out of every later collection (gc.freeze). A one-file check starts
    about a sixth quicker, and worker processes forked later share it without copying."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="SQL files, folders (searched for *.sql) or - for standard input."),
    output_format: Format = typer.Option(Format.text, "--format", help="text for people; json for other tools; sarif for code scanning; github for GitHub Actions annotations."),
    output: Path | None = OUTPUT,
    fail_on: Severity | None = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at least this severe (default: error, or fail-on in the settings)."),
    select: str | None = typer.Option(None, "--select", help="Comma-separated rules or categories to run, instead of the settings' select."),
    ignore: str | None = typer.Option(None, "--ignore", help="Comma-separated rules or categories not to run, as well as the settings' ignore."),
    warn_unused: bool = typer.Option(False, "--warn-unused-suppressions", help="Report suppression comments that suppress nothing (PA005)."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Report only findings that are not in this baseline file."),
    write_baseline: Path | None = typer.Option(None, "--write-baseline", help="Record today's findings in this file, for --baseline."),
    config: Path | None = CONFIG,
    catalog: Path | None = CATALOG,
    district_size: int | None = DISTRICT_SIZE,
    timeout: float | None = TIMEOUT,
    jobs: int | None = JOBS,
    color: bool | None = typer.Option(None, "--color/--no-color", help="Colours in text output (default: on a terminal)."),
    plan_file: Path | None = typer.Option(None, "--plan", help="SQL Server's plan of the one file checked (a .sqlplan saved from SSMS): its costs replace sqladvise's estimate, and its findings are added."),
    url: str | None = typer.Option(None, "--url", help="Ask this SQL Server (mssql+pyodbc://...) for the estimated plan of the one file checked. It compiles the statements without running them; statements that would change anything are never sent."),
    dsn: str | None = typer.Option(None, "--dsn", help="As --url, through this ODBC data source name."),
) -> int:
    """Check SQL files and print what will make them slow, and what to write instead."""
    if baseline is not None and write_baseline is not None:
        return _usage_error("--baseline and --write-baseline cannot be used together: --write-baseline replaces the baseline")
    if (unwritable := _unwritable(paths, output=output, write_baseline=write_baseline)) is not None:
        return unwritable
    with _loading_for_good():
        from advisor import baseline as baselines
        from advisor import run
        from advisor.catalog.load import CatalogError
        from advisor.config import ConfigError, Settings, option_value, selectors
        from advisor.connection import ConnectError
        from advisor.plans import PlanError
        from advisor.progress import Progress
        from advisor.report import Report
        from advisor.risk import DEFAULT_TIMEOUT
        from advisor.sources import collect

        sources = collect(paths)
        server = url or (f"mssql+pyodbc://@{dsn}" if dsn else None)
        if plan_file is not None and server is not None:
            return _usage_error("--plan reads a saved plan and --url or --dsn asks a server for one: give one of them")
        if (plan_file is not None or server is not None) and len(sources) != 1:
            return _usage_error(f"a plan goes with one SQL file, the one it was made from; {len(sources)} were given")
        try:
            files = Settings(config)
            options = run.Options(catalog, option_value("--district-size", district_size), option_value("--timeout", timeout),
                                  selectors("--select", select) if select is not None else None,
                                  selectors("--ignore", ignore) if ignore is not None else (), ("PA005",) if warn_unused else (),
                                  fail_on.value if fail_on else None,
                                  plan=_given_plan(plan_file, server, sources[0]))
            planned, excluded = run.plan(sources, files, options, DEFAULT_TIMEOUT)
            for warning in run.load_catalogs(job.catalog for job in planned):
                print(f"sqladvise: warning: {warning}", file=sys.stderr)
            accepted = baselines.read(baseline) if baseline is not None else None
        except (ConfigError, CatalogError, baselines.BaselineError, PlanError, ConnectError) as error:
            return _usage_error(str(error))
    with Progress(len(planned)) as progress:
        outcomes = run.check_all(planned, jobs or run.default_processes(), progress.advance)
    for outcome, job in zip(outcomes, planned, strict=True):
        if outcome.internal_error:
            print(f"sqladvise: internal error while checking {job.source.path}: {outcome.internal_error}. "
                  "This is a bug in sqladvise; please report it with this file.", file=sys.stderr)
    fail_levels = {job.fail_on for job in planned} or {fail_on.value if fail_on else "error"}
    report = Report([o.report for o in outcomes], run.catalog_for(planned[0].catalog) if planned else _default_catalog(),
                    fail_levels.pop() if len(fail_levels) == 1 else "per file",
                    {o.report.path: o.internal_error for o in outcomes if o.internal_error},
                    str(baseline or write_baseline) if baseline or write_baseline else None, excluded)
    if write_baseline is not None:
        try:
            accepted = baselines.write(write_baseline, report.files)
        except OSError as error:
            return _usage_error(f"cannot write {write_baseline}: {error.strerror or error}")
        count = len(accepted.keys)
        print(f"sqladvise: recorded {count} finding{'s' if count != 1 else ''} in {write_baseline}", file=sys.stderr)
    if accepted is not None:
        accepted.apply(report.files)
    try:
        _emit(report, output_format, output, color)
    except OSError as error:
        if output is None:
            raise
        return _usage_error(f"cannot write {output}: {error.strerror or error}")
    return report.exit_code()


def _given_plan(plan_file: Path | None, server: str | None, source):
    """The plan --plan names, or the one --url's server makes; None when neither is given."""
    if plan_file is not None:
        from advisor.plans.read import read_plan_file

        return read_plan_file(plan_file)
    return _server_plan(server, source) if server else None


def _server_plan(address: str, source):
    """The estimated plan of the file's statements, from the server; a warning for each left out."""
    from advisor.frontend.decode import decode
    from advisor.frontend.parse import read_script
    from advisor.plans.live import requests, server_plan

    plan, warnings = server_plan(address, requests(read_script(decode(source.data).text)))
    for warning in warnings:
        print(f"sqladvise: warning: {warning}", file=sys.stderr)
    return plan


def _emit(report, output_format: Format, output: Path | None, color: bool | None) -> None:
    """The report in the chosen format, on standard output or in a file written whole."""
    import io

    if output_format == Format.text:
        from advisor.report.terminal import render as text

        stream = io.StringIO() if output is not None else sys.stdout
        text(report, stream, color if output is None else False)
        rendered = stream.getvalue() if output is not None else None
    else:
        from importlib import import_module

        module = {Format.json: "json_output", Format.sarif: "sarif", Format.github: "github"}[output_format]
        rendered = import_module(f"advisor.report.{module}").render(report)
    if rendered is not None:
        _write(rendered, output)


def _write(rendered: str, output: Path | None) -> None:
    if output is not None:
        from advisor.atomic_write import write_atomic

        write_atomic(output, rendered)
    else:
        sys.stdout.write(rendered)


def _default_catalog():
    from advisor.catalog.load import load_bundled

    return load_bundled()


class BatchFormat(str, Enum):
    json = "json"
    csv = "csv"
    sarif = "sarif"


@app.command()
def batch(
    inputs: list[str] = typer.Argument(..., help="Folders of .sql files, pass-throughs saved with -- box a / -- box b markers, and CSV or JSON Lines dumps of filters."),
    output_format: BatchFormat = typer.Option(BatchFormat.json, "--format", help="json: every filter and finding; csv: a row per filter; sarif: for code scanning."),
    output: Path | None = OUTPUT,
    html: Path | None = typer.Option(None, "--report", help="Also write the review as one HTML file to open offline, print and share by owner."),
    config: Path | None = CONFIG,
    catalog: Path | None = CATALOG,
    district_size: int | None = DISTRICT_SIZE,
    timeout: float | None = TIMEOUT,
    time_limit: float = typer.Option(30, "--time-limit", help="Seconds sqladvise may spend on one filter before that filter becomes an error row (0.1 to a week)."),
    jobs: int | None = JOBS,
) -> int:
    """Review every filter a district has saved: risk, findings and owner, one row each."""
    if (unwritable := _unwritable(inputs, output=output, report=html)) is not None:
        return unwritable
    with _loading_for_good():
        from dataclasses import replace

        from advisor import batch as batches
        from advisor import run
        from advisor.catalog.load import CatalogError
        from advisor.config import ConfigError, Settings, option_value
        from advisor.filters.read import read_inputs
        from advisor.progress import Progress
        from advisor.report import catalog_note
        from advisor.risk import DEFAULT_TIMEOUT
        from advisor.sources import Source

        try:
            settings = Settings(config).for_file(None)
            found = read_inputs(inputs)
            options = run.Options(catalog, option_value("--district-size", district_size), option_value("--timeout", timeout),
                                  time_limit=option_value("--time-limit", time_limit))
            template = run.job_for(Source("-", b""), settings, options, DEFAULT_TIMEOUT)  # every filter's settings
            for warning in run.load_catalogs([template.catalog]):
                print(f"sqladvise: warning: {warning}", file=sys.stderr)
        except (ConfigError, CatalogError) as error:
            return _usage_error(str(error))
    choice, limit, fail_on = template.catalog, template.timeout, template.fail_on
    with Progress(len(found), "reviewing") as progress:
        reviewed = batches.review(found, lambda source: replace(template, source=source),
                                  run.catalog_for(choice), jobs or run.default_processes(), progress.advance)
    for entry in reviewed:
        if entry.problem:
            done = "skipped" if entry.status == "bad input" else "not checked"
            print(f"sqladvise: {entry.filter.origin}: {done}: {entry.problem}", file=sys.stderr)
    note = catalog_note(run.catalog_for(choice))
    if output_format == BatchFormat.csv:
        from advisor.report.batch_csv import render as as_csv

        rendered = as_csv(reviewed)
    elif output_format == BatchFormat.sarif:
        from advisor.report.batch_sarif import render as as_sarif

        rendered = as_sarif(reviewed, note, _batch_exit(reviewed, fail_on))
    else:
        from advisor.report.batch_json import render as as_json

        rendered = as_json(reviewed, note)
    try:
        _write(rendered, output)
    except OSError as error:
        return _usage_error(f"cannot write {output}: {error.strerror or error}")
    if html is not None:
        from advisor.atomic_write import write_atomic
        from advisor.report.batch_html import render as as_html

        try:
            write_atomic(html, as_html(reviewed, note, limit))
        except OSError as error:
            return _usage_error(f"cannot write {html}: {error.strerror or error}")
    return _batch_exit(reviewed, fail_on)


def _batch_exit(reviewed, fail_on: str) -> int:
    """As check's: 4 sqladvise failed on a filter, 2 a filter could not be read, 1 findings at or
    above fail-on, else 0."""
    from advisor.findings import at_least

    if any(entry.status == "error" for entry in reviewed):
        return INTERNAL
    if any(entry.status == "bad input" or (entry.report and entry.report.unanalysable) for entry in reviewed):
        return 2
    failing = any(at_least(f.severity, fail_on) for entry in reviewed if entry.report for f in entry.report.active)
    return 1 if failing else 0


catalog_app = typer.Typer(no_args_is_help=True, help="Get your district's catalog, or look at one: the tables, sizes and views sqladvise reads.")
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("show")
def catalog_show(file: Path | None = typer.Argument(None, help="A catalog JSON file; without one, the bundled Campus catalog.")) -> int:
    """Summarise a catalog: largest tables, views and how deep they stack, what it lacks."""
    from advisor.catalog.load import CatalogError, load, load_bundled
    from advisor.catalog.summary import summarise
    from advisor.report.catalog_summary import render

    bundled = load_bundled()
    try:
        catalog, warnings = load(file) if file is not None else (bundled, [])
    except CatalogError as error:
        return _usage_error(str(error))
    for warning in warnings:
        print(f"sqladvise: warning: {warning}", file=sys.stderr)
    render(summarise(catalog, bundled), sys.stdout)
    return 0


@catalog_app.command("export-script")
def catalog_export_script() -> int:
    """Print the read-only T-SQL a DBA runs in SSMS to export the district's catalog as JSON."""
    sys.stdout.write((Path(__file__).parent / "catalog" / "export.sql").read_text(encoding="utf-8"))
    return 0


@catalog_app.command("pull")
def catalog_pull(
    url: str = typer.Option(..., "--url", envvar="SQLADVISE_DATABASE_URL", show_envvar=True,
                            help="The database, as a SQLAlchemy URL: mssql+pyodbc://user:password@server/Campus?driver=FreeTDS. "
                                 "Set SQLADVISE_DATABASE_URL instead to keep the password off the command line."),
    output: Path = typer.Option(..., "--output", "-o", help="The catalog JSON file to write."),
) -> int:
    """Read a district's catalog from a live database, read-only, into a catalog JSON file."""
    if (unwritable := _unwritable([], output=output)) is not None:
        return unwritable
    from advisor.atomic_write import write_atomic
    from advisor.catalog.load import CatalogError, from_document
    from advisor.catalog.pull import PullError, pull
    from advisor.connection import ConnectError
    from advisor.words import plural

    try:
        document, warnings = pull(url)
        catalog, _ = from_document(document, str(output))
    except (ConnectError, PullError, CatalogError) as error:  # CatalogError: the database held what the format cannot carry
        return _usage_error(str(error))
    for warning in warnings:
        print(f"sqladvise: warning: {warning}", file=sys.stderr)
    try:
        write_atomic(output, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        return _usage_error(f"{output}: cannot write the catalog: {error.strerror or error}")
    print(f"sqladvise: wrote {output}: {plural(len(catalog.tables), 'table')}, {plural(len(catalog.views), 'view')}, "
          f"{plural(len(catalog.functions), 'function')}", file=sys.stderr)
    return 0


@app.command()
def plan(
    file: str = typer.Argument(..., help="A saved SHOWPLAN XML file (.sqlplan), estimated or actual."),
    output_format: ListFormat = typer.Option(ListFormat.text, "--format", help="text for people; json for other tools."),
    fail_on: Severity = typer.Option(Severity.error, "--fail-on", help="Exit 1 when a finding is at least this severe."),
) -> int:
    """Read a plan SQL Server made (SSMS: Display Estimated Execution Plan, then Save Execution Plan As)."""
    from advisor.findings import at_least
    from advisor.plans import PlanError
    from advisor.plans.findings import plan_findings
    from advisor.plans.read import read_plan_file
    from advisor.report import plan_report

    try:
        read = read_plan_file(file)
    except PlanError as error:
        return _usage_error(str(error))
    findings = plan_findings(read)
    if output_format is ListFormat.json:
        sys.stdout.write(plan_report.as_json(read, findings))
    else:
        plan_report.text(read, findings, sys.stdout)
    return 1 if any(at_least(plan_report.severity(f), fail_on.value) for f in findings) else 0


@app.command()
def explain(rule: str = typer.Argument(..., help="A rule id, such as SC001, or its name.")) -> int:
    """Explain a rule: what it flags, why it matters, how to fix it, when it does not matter."""
    from advisor.checks.registry import rule_docs
    from advisor.report.rule_docs import explain as render

    docs = rule_docs()
    doc = docs.get(rule.upper()) or next((d for d in docs.values() if d.name == rule.lower()), None)
    if doc is None:
        return _usage_error(f"no rule {rule!r}; `sqladvise rules` lists them")
    render(doc, sys.stdout)
    return 0


@app.command()
def rules(output_format: ListFormat = typer.Option(ListFormat.text, "--format", help="text for people; json for other tools.")) -> int:
    """List every rule: id, category, default severity, whether it is on by default."""
    from advisor.checks.registry import rule_docs
    from advisor.report.rule_docs import as_json, table

    if output_format is ListFormat.json:
        sys.stdout.write(as_json(rule_docs().values()))
    else:
        table(rule_docs().values(), sys.stdout)
    return 0


@app.callback(invoke_without_command=True)
def _options(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        print(f"sqladvise {__version__}")
        raise typer.Exit(0)


def _unwritable(inputs: list[str], **outputs: Path | None) -> int | None:
    """A usage error for the first file the command is to write (by option) that it could not, or
    that is one of its inputs: a report written over the SQL would lose it."""
    from advisor.atomic_write import cannot_write
    from advisor.sources import named_files, real_path

    named: set[Path] | None = None
    for option, path in outputs.items():
        if path is None:
            continue
        if (why := cannot_write(path)) is not None:
            return _usage_error(f"cannot write {path}: {why}")
        named = named_files(inputs) if named is None else named
        if real_path(path) in named:
            return _usage_error(f"--{option.replace('_', '-')} {path} is one of the files to check; "
                                "give it another name, or the SQL would be written over")
    return None


def _usage_error(message: str) -> int:
    print(f"sqladvise: error: {message}", file=sys.stderr)
    return USAGE


OUT_OF_MEMORY = (b"sqladvise: out of memory. Check the largest files on their own or in parts (split at GO), "
                 b"or on a machine with more memory.\n")


def _utf8_unless_terminal() -> None:
    """On Windows, Python writes to a file or a pipe in the system's code page (Windows-1252),
    which cannot hold a code frame's │ or a name in most of the world's scripts, and the report
    would stop at the first one. Anything but a terminal gets UTF-8, as sqladvise's files do."""
    stdout = sys.stdout
    if stdout is not None and hasattr(stdout, "reconfigure") and not stdout.isatty():
        stdout.reconfigure(encoding="utf-8")


def main() -> None:
    try:
        _utf8_unless_terminal()
        code = app(standalone_mode=False)
    except TyperException as error:  # bad arguments or options; no arguments prints the help
        message = error.format_message()
        code = _usage_error(message) if message else USAGE
    except typer.Exit as done:
        code = done.exit_code
    except (typer.Abort, KeyboardInterrupt):
        print("sqladvise: interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = 0
    except MemoryError:  # written without building a string: there may be no memory to build one
        os.write(2, OUT_OF_MEMORY)
        code = INTERNAL
    except Exception as error:  # the last line of defence: one line, never a traceback
        print(f"sqladvise: internal error: {type(error).__name__}: {error}. This is a bug in sqladvise; "
              "please report it with the command you ran.", file=sys.stderr)
        code = INTERNAL
    sys.exit(code if isinstance(code, int) else 0)
