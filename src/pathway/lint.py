"""Warnings across models: one URN, or one title, given different values in different models.

These are not errors (each model keeps its own document's values), but a planner comparing
awarding bodies needs to know, and a typo in a shared unit shows up here first."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .model import Qualification, Unit

COMPARED = ("credit", "level", "glh")


@dataclass(frozen=True)
class Warning_:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"


def normal_title(title: str) -> str:
    t = title.lower().replace("&", " and ")
    t = re.sub(r"[^a-z0-9 ]+", "", t)
    return " ".join(t.split())


def cross_model_warnings(models: list[Qualification]) -> list[Warning_]:
    entries = [(q, u) for q in models for u in q.units]
    # Only units sharing a URN or a title are compared, and only across models, so index them
    # rather than trying every pair (a 20,000-unit model took minutes). Entries run model by
    # model, so a unit's partners in later models are the indexes past its own model's end.
    titles = [normal_title(u.title) for _, u in entries]
    alike: dict[tuple[str, str], list[int]] = {}
    for i, (_, u) in enumerate(entries):
        alike.setdefault(("id", u.id), []).append(i)
        alike.setdefault(("title", titles[i]), []).append(i)
    block_end: list[int] = []
    for q in models:
        block_end += [len(block_end) + len(q.units)] * len(q.units)
    warnings: list[Warning_] = []
    seen: set[tuple] = set()
    for i, (qa, a) in enumerate(entries):
        later = set()
        for key in (("id", a.id), ("title", titles[i])):
            same = alike[key]
            later.update(same[bisect.bisect_left(same, block_end[i]) :])
        for qb, b in (entries[j] for j in sorted(later)):
            if qa.id == qb.id:
                continue
            if a.id == b.id:
                reason = f"URN {a.id}"
            elif normal_title(a.title) == normal_title(b.title):
                reason = f"title {a.title!r}"
            else:
                continue
            diffs = _differences(a, b)
            key = (qa.id, a.id, qb.id, b.id)
            if diffs and key not in seen:
                seen.add(key)
                said = ", ".join(f"{f} {x} here but {y} in {qb.id} {b.label}" for f, x, y in diffs)
                warnings.append(Warning_(qa.path, a.line, f"{a.label}, {reason}: {said}"))
    return warnings


def _differences(a: Unit, b: Unit) -> list[tuple[str, int, int]]:
    out = []
    for name in COMPARED:
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            out.append((name, x, y))
    return out
