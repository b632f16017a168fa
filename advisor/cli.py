"""The sqladvise command. Wiring only: arguments in, stages called, report out, exit code."""

from __future__ import annotations

import sys
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


class Format(str, Enum):
    text = "text"
    json = "json"


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="SQL files, folders (searched for *.sql) or - for standard input."),
    catalog: Path | None = typer.Option(None, "--catalog", help="A catalog JSON file (your district's export) instead of the bundled Campus approximation."),
    output_format: Format = typer.Option(Format.text, "--format", help="text for people, json for other tools."),
    fail_on: Severity = typer.Option(Severity.error, "--fail-on", help="Exit 1 when a finding is at least this severe."),
    district_size: int | None = typer.Option(None, "--district-size", min=1, help="Students in the district: sizes the bundled catalog (default 25,000, or district_size in .sqladvise.toml)."),
    timeout: float | None = typer.Option(None, "--timeout", min=1, help="Seconds after which the query is stopped (default 600, the ad hoc filter timeout, or timeout in .sqladvise.toml)."),
    color: bool | None = typer.Option(None, "--color/--no-color", help="Colours in text output (default: on a terminal)."),
) -> int:
    """Check SQL files and print what will make them slow, and what to write instead."""
    from advisor.catalog.load import CatalogError, load, load_bundled
    from advisor.config import ConfigError, discover
    from advisor.pipeline import Checker
    from advisor.report import Report
    from advisor.risk import DEFAULT_TIMEOUT, Settings
    from advisor.sources import collect

    try:
        config = discover(Path.cwd())
    except ConfigError as error:
        return _usage_error(str(error))
    for key in config.unknown:
        print(f"sqladvise: warning: {config.path}: {key!r} is not a setting sqladvise reads", file=sys.stderr)
    district_size = district_size or config.district_size
    timeout = timeout or config.timeout or DEFAULT_TIMEOUT
    try:
        if catalog is not None:
            chosen, warnings = load(catalog)
            for warning in warnings:
                print(f"sqladvise: warning: {warning}", file=sys.stderr)
        else:
            chosen = load_bundled()
    except CatalogError as error:
        return _usage_error(str(error))
    if district_size is not None:
        if chosen.profile is None:
            print("sqladvise: warning: the district size is ignored: this catalog has its own row counts", file=sys.stderr)
        chosen = chosen.sized_for(district_size)
    checker = Checker(chosen, Settings(timeout_seconds=timeout))
    report = Report([], chosen, fail_on.value)
    for source in collect(paths):
        try:
            report.files.append(checker.check(source))
        except Exception as error:  # one file's failure never stops the others
            from advisor.pipeline import FileReport

            report.files.append(FileReport(source.path))
            report.internal_errors[source.path] = f"{type(error).__name__}: {error}"
            print(f"sqladvise: internal error while checking {source.path}: {type(error).__name__}: {error}. "
                  "This is a bug in sqladvise; please report it with this file.", file=sys.stderr)
    if output_format == Format.json:
        from advisor.report.json_output import render

        sys.stdout.write(render(report))
    else:
        from advisor.report.terminal import render

        render(report, sys.stdout, color)
    return report.exit_code()


@app.command()
def explain(rule: str = typer.Argument(..., help="A rule id, such as SC001, or its name.")) -> int:
    """Explain a rule: what it flags, why it costs, how to fix it, when it does not matter."""
    from advisor.checks.registry import rule_docs

    docs = rule_docs()
    doc = docs.get(rule.upper()) or next((d for d in docs.values() if d.name == rule.lower()), None)
    if doc is None:
        return _usage_error(f"no rule {rule!r}; `sqladvise rules` lists them")
    sections = [f"{doc.id} {doc.name} ({doc.category}, {doc.severity} by default)", doc.title, "",
                "Why it costs", doc.why.strip(), "", "How to fix it", doc.fix.strip(), "",
                "When it does not matter", doc.ignore_when.strip()]
    for example in doc.examples:
        sections += ["", "Flagged:", example.bad.strip(), "", "Not flagged:", example.good.strip()]
    print("\n".join(sections))
    return 0


@app.command()
def rules() -> int:
    """List every rule with its category and default severity."""
    from advisor.checks.registry import rule_docs

    for doc in rule_docs().values():
        print(f"{doc.id}  {doc.category:<10} {doc.severity:<8} {doc.name}: {doc.title}")
    return 0


@app.callback(invoke_without_command=True)
def _options(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        print(f"sqladvise {__version__}")
        raise typer.Exit(0)


def _usage_error(message: str) -> int:
    print(f"sqladvise: error: {message}", file=sys.stderr)
    return USAGE


def main() -> None:
    try:
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
    except Exception as error:  # the last line of defence: one line, never a traceback
        print(f"sqladvise: internal error: {type(error).__name__}: {error}. This is a bug in sqladvise; "
              "please report it with the command you ran.", file=sys.stderr)
        code = INTERNAL
    sys.exit(code if isinstance(code, int) else 0)
