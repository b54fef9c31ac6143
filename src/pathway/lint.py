"""Warnings across models: one URN, or one title, given different values in different models.

These are not errors (each model keeps its own document's values), but a planner comparing
awarding bodies needs to know, and a typo in a shared unit shows up here first.

Each URN, and each title, that models disagree about is one warning, at its first occurrence,
with the values grouped: 300 models sharing a URN are one line, not 300 x 299 / 2, and the work
grows with the number of units, not with the square of the models sharing one."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .model import Qualification, Unit
from .words import unit_name

COMPARED = ("credit", "level", "glh")
MAX_WARNINGS_SHOWN = 100  # warning lines printed by `validate`; past that they are counted
MAX_VALUES_SHOWN = 5  # other values named in one warning; past that they are counted


@dataclass(frozen=True)
class Warning_:
    """A value two models give one unit differently: reported, not an error."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"


def normal_title(title: str) -> str:
    """Titles compared as words: Unicode case folding and NFKC (so full-width letters and
    ligatures are their plain forms), every letter, digit and mark of any script kept, each run
    of anything else one space, '&' read as 'and'."""
    t = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", title).casefold())
    t = t.replace("&", " and ")
    kept = (c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in t)
    return " ".join("".join(kept).split())


def cross_model_warnings(models: list[Qualification]) -> list[Warning_]:
    """One warning per URN, and per title, given different values by different models."""
    order = 0
    by_key: dict[tuple[str, str], list[tuple[Qualification, Unit]]] = {}
    first: dict[tuple[str, str], int] = {}
    for q in models:
        for u in q.units:
            # Units are the same across models only by URN: a local code such as 608 is
            # reused by other bodies for other units, so it is never compared.
            keys = [("title", normal_title(u.title))] if u.title else []  # none printed
            if u.urn is not None:
                keys.insert(0, ("URN", u.urn))
            for key in keys:
                if key not in by_key:
                    by_key[key] = []
                    first[key] = order
                by_key[key].append((q, u))
                order += 1
    found: list[tuple[int, Warning_]] = []
    for key, entries in by_key.items():
        if len({q.id for q, _ in entries}) < 2:
            continue
        if key[0] == "title" and len({u.urn or (q.id, u.id) for q, u in entries}) < 2:
            continue  # one URN under one title: its warning is the URN's
        warning = _warning(key, entries)
        if warning is not None:
            found.append((first[key], warning))
    found.sort(key=lambda pair: pair[0])
    return [warning for _, warning in found]


def _warning(key: tuple[str, str], entries) -> Warning_ | None:
    q0, u0 = entries[0]
    said = [s for s in (_field(name, entries) for name in COMPARED) if s]
    if not said:
        return None
    reason = f"URN {key[1]}" if key[0] == "URN" else f"title {u0.title!r}"
    count = len({q.id for q, _ in entries})
    many = f", in {count:,} models" if count > 2 else ""
    return Warning_(q0.path, u0.line, f"{unit_name(u0)}, {reason}{many}: {', '.join(said)}")


def _field(name: str, entries) -> str:
    """How the models disagree about one field ('' if they do not): the first occurrence's
    value 'here', then each other value with the models giving it, in order of first use."""
    q0, u0 = entries[0]
    values: dict[int, tuple[Qualification, Unit, set[str]]] = {}
    for q, u in entries:
        value = getattr(u, name)
        if value is None:
            continue
        if value not in values:
            values[value] = (q, u, set())
        values[value][2].add(q.id)
    if len(values) < 2 or len(set().union(*(ids for _, _, ids in values.values()))) < 2:
        return ""
    parts = []
    for value, (q, u, ids) in values.items():
        if u is u0:
            others = len(ids - {q0.id})
            also = f" and in {others:,} other model{'s' * (others != 1)}" if others else ""
            parts.append(f"{value} here{also}")
        elif len(ids) == 1:
            parts.append(f"{value} in {q.id} {unit_name(u)}")
        else:
            parts.append(f"{value} in {len(ids):,} models (first: {q.id} {unit_name(u)})")
    here = getattr(u0, name) is not None
    shown = parts[: MAX_VALUES_SHOWN + here]
    rest = list(values.values())[len(shown) :]
    if rest:
        models = len(set().union(*(ids for _, _, ids in rest)))
        shown.append(f"{len(rest):,} more values in {models:,} models")
    if here:
        return f"{name} {shown[0]} but {_and(shown[1:])}"
    return f"{name} {_and(shown)}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
