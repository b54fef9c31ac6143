"""CSV for spreadsheets: one table per command, a header row, one row per record.

Written with the csv module (RFC 4180 quoting, \\r\\n line ends as the RFC and spreadsheets
expect), numbers as plain digits, empty cells for unknown values. A cell that a spreadsheet
would run as a formula (one starting with =, +, - or @) is prefixed with a quote mark, as
OWASP advises for CSV injection; unit ids and titles never need it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

SOLUTION_HEADER = [
    "rank",
    "objective",
    "value",
    "group",
    "number",
    "id",
    "title",
    "credit",
    "level",
    "glh",
    "achieved",
]
AUDIT_HEADER = ["key", "name", "holds", "required", "actual", "needed"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def solution_csv(solution) -> str:
    """Every pathway listed (the best is rank 1, then --top K's alternatives), one row per
    unit. No pathway (infeasible, or a time limit): the header only."""
    from .report import objective_name, unit_rows

    name = objective_name(solution.objectives)
    rows = []
    for rank, pathway in enumerate(solution.pathways, start=1):
        value = ";".join(str(v) for v in pathway.values)  # a lexicographic objective: 11;245
        for r in unit_rows(solution, pathway):
            rows.append(
                [
                    rank,
                    name,
                    value,
                    r["group"],
                    r["number"],
                    r["id"],
                    r["title"],
                    r["credit"],
                    r["level"],
                    r["glh"],
                    r["achieved"],
                ]
            )
    return csv_text(SOLUTION_HEADER, rows)


def audit_csv(a) -> str:
    """`pathway check` as CSV: one row per rule (nested rules keyed R3.1, R3.2, ...)."""
    rows = []

    def add(results) -> None:
        for r in results:
            rows.append([r.rule.key, r.rule.name, r.holds, r.required, r.actual, r.needed])
            add(r.children)

    add(a.results)
    return csv_text(AUDIT_HEADER, rows)
