"""The batch review as one HTML file a DBA can open offline, print, and send round by owner.

Self-contained: styles and charts are inline, and there is no script at all. Everything that
comes from the input (names, owners, SQL, messages) is escaped, so a filter named <script> is
text on the page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from html import escape

from advisor.batch import Reviewed
from advisor.checks.registry import rule_docs
from advisor.filters import Filter
from advisor.filters.passthrough import WRAPPER
from advisor.filters.wizard import ADVICE, CONDITIONS, FIELDS
from advisor.pipeline import OWNERSHIP_NOTE
from advisor.report.svg_charts import BAND_COLOURS, risk_by_owner, time_histogram
from advisor.risk.timing import BANDS
from advisor.words import duration

WORST = 20
NO_OWNER = "No owner named"
_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}h3{margin:1.5em 0 .3em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right}.tiles{display:flex;gap:1em;flex-wrap:wrap}
.tile{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;min-width:7em}.tile b{display:block;font-size:1.6em}
.band{display:inline-block;padding:0 .5em;border-radius:4px;color:#fff;font-weight:600}
.low{background:#4c9a5f}.watch{background:#3b7dbf}.elevated{background:#d9962b}.high{background:#c0392b}
pre{background:#fafafa;border:1px solid #e4e4e4;padding:.5em;overflow-x:auto;white-space:pre-wrap}
.line{display:block}.marked{background:#fff2cc}.ln{color:#999;display:inline-block;width:3.5em;user-select:none}
.error{color:#c0392b;font-weight:600}.warning{color:#b9770e;font-weight:600}.info{color:#3b7dbf}
.note{color:#555;font-style:italic}.filter{border-top:1px solid #eee;page-break-inside:avoid}
svg text{font-size:12px}svg .small{font-size:10px}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}.owner{page-break-before:always}}
"""


def render(reviewed: list[Reviewed], catalog_note: str, timeout: float) -> str:
    checked = [entry for entry in reviewed if entry.status == "checked"]
    ids = {id(entry): f"f{at + 1}" for at, entry in enumerate(reviewed)}
    owners: dict[str, list[Reviewed]] = defaultdict(list)
    for entry in reviewed:
        owners[entry.owner or NO_OWNER].append(entry)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>sqladvise review of {len(reviewed)} filters</title><style>{_STYLE}</style></head><body>",
        f"<h1>Review of {len(reviewed)} saved filters</h1>",
        f'<p class="note">Made by sqladvise on {date.today().isoformat()}. {escape(catalog_note)}</p>',
        f'<p class="note">{escape(OWNERSHIP_NOTE.format(who=""))}</p>',
        _glance(reviewed, checked, ids, owners, timeout),
        "<h2>By owner</h2>",
        "<p>Each owner's filters, with what to change. Send each author their own part.</p>",
    ]
    for number, (owner, entries) in enumerate(sorted(owners.items(), key=lambda item: (item[0] == NO_OWNER, item[0].lower()))):
        parts.append(f'<section class="owner" id="o{number + 1}"><h2>{escape(owner)}</h2>')
        parts.append(f'<p><span data-owner-filters="{len(entries)}">{len(entries)}</span> filter(s). '
                     f'{escape(OWNERSHIP_NOTE.format(who="" if owner == NO_OWNER else ", " + owner))}</p>')
        parts.extend(_filter(entry, ids[id(entry)]) for entry in entries)
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _glance(reviewed, checked, ids, owners, timeout: float) -> str:
    bands = Counter(entry.report.risk.risk.band for entry in checked if entry.report.risk)
    statuses = Counter(entry.status for entry in reviewed)
    tiles = [("filters", len(reviewed), "filters"), ("checked", statuses["checked"], "checked"),
             ("bad input", statuses["bad input"], "could not be read"), ("error", statuses["error"], "sqladvise failed")]
    tiles += [(band, bands[band], f"{band} risk") for _, band in reversed(BANDS)]
    parts = ["<h2>At a glance</h2>", '<div class="tiles">']
    parts += [f'<div class="tile"><b data-count="{escape(key)}">{value}</b>{escape(label)}</div>' for key, value, label in tiles]
    parts.append("</div>")
    estimated = [e for e in checked if e.report.risk]
    worst = sorted(estimated, key=lambda e: (-e.report.risk.risk.p_timeout, -e.report.risk.risk.estimated_seconds))[:WORST]
    parts.append(f"<h2>The {len(worst)} riskiest</h2><table><tr><th>#</th><th>filter</th><th>owner</th><th>risk</th>"
                 "<th>estimated</th><th>chance of passing the timeout</th><th>likely past the timeout</th></tr>")
    for rank, entry in enumerate(worst, start=1):
        risk = entry.report.risk.risk
        parts.append(f'<tr><td class="num">{rank}</td><td><a href="#{ids[id(entry)]}">{escape(entry.filter.name)}</a></td>'
                     f"<td>{escape(entry.owner or NO_OWNER)}</td><td>{_band(risk.band)}</td><td>{risk.length}</td>"
                     f'<td class="num">{risk.p_timeout:.0%}</td><td>{_crossing(risk.crosses_timeout_in_years)}</td></tr>')
    parts.append("</table>")
    docs = rule_docs()
    rules = Counter(f.rule for entry in checked for f in entry.report.active)
    spread = Counter(rule for entry in checked for rule in {f.rule for f in entry.report.active})
    parts.append("<h2>The findings that occur most</h2><table><tr><th>rule</th><th>what</th><th>findings</th><th>filters</th></tr>")
    for rule, total in rules.most_common(15):
        parts.append(f'<tr><td>{rule}</td><td>{escape(docs[rule].title)}</td><td class="num" data-rule="{rule}">{total}</td>'
                     f'<td class="num">{spread[rule]}</td></tr>')
    parts.append("</table>")
    by_owner = {owner: Counter(e.report.risk.risk.band for e in entries if e.status == "checked" and e.report.risk)
                for owner, entries in sorted(owners.items())}
    parts += ["<h2>Risk by owner</h2>", risk_by_owner({o: dict(c) for o, c in by_owner.items() if c}),
              "<h2>Estimated times</h2>",
              time_histogram([e.report.risk.risk.estimated_seconds for e in checked if e.report.risk], timeout)]
    return "\n".join(parts)


def _filter(entry: Reviewed, anchor: str) -> str:
    item = entry.filter
    kind = item.kind if isinstance(item, Filter) else "unread"
    parts = [f'<article class="filter" id="{anchor}"><h3>{escape(item.name or "(no name)")}</h3>',
             f'<p class="note">{escape(kind)} · {escape(item.origin)}'
             + (f" · modified {escape(item.modified)}" if isinstance(item, Filter) and item.modified else "") + "</p>"]
    if entry.problem:
        parts.append(f'<p class="error">Not checked: {escape(entry.problem)}</p></article>')
        return "\n".join(parts)
    risk = entry.report.risk.risk if entry.report.risk else None
    if risk is not None:
        parts.append(f"<p>{_band(risk.band)} {risk.length}, {risk.p_timeout:.0%} chance of passing "
                     f"the {duration(risk.timeout_seconds)} timeout; likely past it: {_crossing(risk.crosses_timeout_in_years)}.</p>")
        if risk.drivers:
            parts.append("<p>What drives the time: " + "; ".join(escape(d) for d in risk.drivers) + ".</p>")
    parts.append(_sql(entry))
    findings = sorted(entry.report.active, key=lambda f: (_box_order(entry.place(f)[0]), entry.place(f)[1], f.rank))
    if findings:
        parts.append("<ul>")
        for finding in findings:
            parts.append(f'<li><span class="{finding.severity}">{finding.severity} {finding.rule}</span> '
                         f"({escape(entry.where(finding))}): {escape(finding.message)}<br>"
                         f"<b>Fix:</b> {escape(finding.remediation)}</li>")
        parts.append("</ul>")
        if item.wizard is not None:
            parts.append("<p>Campus's advice for slow wizard filters:</p><ul>"
                         + "".join(f"<li>{escape(advice)}</li>" for advice in ADVICE) + "</ul>")
    else:
        parts.append("<p>No findings.</p>")
    parts.append("</article>")
    return "\n".join(parts)


def _sql(entry: Reviewed) -> str:
    """The SQL as its author wrote it, numbered, with the lines that have findings marked."""
    marked = {entry.place(f) for f in entry.report.active}
    item = entry.filter
    if item.boxes is not None:
        shown = [(f"Box {box}", item.boxes.numbered(box), box) for box in ("A", "B")]
    elif item.wizard is not None:
        shown = [("Fields", _from_one(item.wizard.fields), FIELDS),
                 ("Conditions", _from_one(item.wizard.conditions), CONDITIONS)]
    else:
        shown = [("SQL", _from_one((item.sql or "").splitlines()), None)]
    parts = []
    for title, numbered, box in shown:
        lines = [f'<span class="line{" marked" if (box, number) in marked else ""}"><span class="ln">{number}</span>'
                 f"{escape(line)}</span>" for number, line in numbered]
        parts.append(f"<p><b>{title}</b></p><pre>{''.join(lines) or '(empty)'}</pre>")
    return "\n".join(parts)


def _from_one(lines: list[str]) -> list[tuple[int, str]]:
    return list(enumerate(lines, start=1))


def _box_order(box: str | None) -> int:
    """Findings in the order the author reads: the file's own lines, box A, box B, fields,
    conditions, then Campus's part."""
    return [None, "A", "B", FIELDS, CONDITIONS, WRAPPER].index(box)


def _band(band: str) -> str:
    return f'<span class="band {band}" style="background:{BAND_COLOURS[band]}">{band}</span>'


def _crossing(years: int | None) -> str:
    """For "likely past the timeout ...": when, as history grows."""
    if years is None:
        return "not within ten years"
    return "already" if years == 0 else f"in {years} year{'s' if years != 1 else ''}"
