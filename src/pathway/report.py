"""Reports: tables for people, JSON for scripts, Markdown for documents. Formatting only."""

from __future__ import annotations

from .audit import Audit, RuleResult


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def rule_rows(results: list[RuleResult], depth: int = 0) -> list[list[str]]:
    rows = []
    for r in results:
        rows.append(
            [
                r.rule.key,
                "  " * depth + r.rule.name,
                r.required,
                r.actual,
                "yes" if r.holds else "NO",
            ]
        )
        rows += rule_rows(r.children, depth + 1)
    return rows


def rules_table(results: list[RuleResult]) -> str:
    return _table(rule_rows(results), ["rule", "description", "required", "actual", "ok"])


def still_needed(results: list[RuleResult]) -> list[str]:
    return [f"{r.rule.key} {r.rule.name}: {r.needed}" for r in results if not r.holds]


def audit_table(a: Audit) -> str:
    q = a.qualification
    labels = ", ".join(q.unit(u).number or u for u in a.units) or "none"
    out = [
        f"{q.title} ({q.id})",
        f"Units counted: {labels}",
        f"{len(a.units)} units, {a.credits} credits",
        "",
        rules_table(a.results),
        "",
    ]
    if a.achieved:
        out.append("Achieved: every rule holds.")
    else:
        out.append("Not achieved. Still needed:")
        out += [f"  - {line}" for line in still_needed(a.results)]
    return "\n".join(out)


def audit_json(a: Audit) -> dict:
    return {
        "qualification": a.qualification.id,
        "achieved": a.achieved,
        "units": list(a.units),
        "credits": a.credits,
        "rules": [r.to_dict() for r in a.results],
        "needed": still_needed(a.results),
    }
