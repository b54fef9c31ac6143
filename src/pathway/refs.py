"""References to units, resolved in one way for models, scenarios, flags and held qualifications.

Within a qualification a reference is a unit's id or printed number (see model.UnitIndex).
Held units are matched across qualifications only by URN or by an `equivalents` entry, never by
a local code: two bodies reuse codes such as `608` for different units."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Problem
from .model import Qualification, is_urn
from .words import did_you_mean


def is_model_ref(text: str) -> bool:
    """`model-id:unit-id`: a unit without a URN, named in the model that defines it."""
    model, sep, unit = text.partition(":")
    return bool(sep and unit and model) and not any(c in model for c in "/\\")


def located(ref, where: str, message: str) -> Problem:
    """A problem at the reference's own line when it came from a file, else at the flag."""
    if hasattr(ref, "problem"):
        return ref.problem(f"{where}: {message}")
    return Problem(where, None, None, message)


def unit_ids(q: Qualification, refs, where: str, problems: list[Problem]) -> list[str]:
    """Unit ids of `q` for refs (ids or printed numbers), each once, in the order given."""
    out: list[str] = []
    for ref in refs:
        unit = q.find(str(ref))
        if unit is None:
            problems.append(
                located(
                    ref,
                    where,
                    f"{q.id} has no unit {str(ref)!r}{did_you_mean(ref, q.unit_names())} "
                    "(give a unit id or printed number)",
                )
            )
        elif unit.id not in out:
            out.append(unit.id)
    return out


@dataclass
class Held:
    """What a learner holds, seen from one qualification."""

    here: list[str] = field(default_factory=list)  # unit ids of this qualification
    elsewhere: list[str] = field(default_factory=list)  # URNs or model:id matching no unit here

    def add(self, ids: list[str], key: str | None) -> None:
        for uid in ids:
            if uid not in self.here:
                self.here.append(uid)
        if not ids and key is not None and key not in self.elsewhere:
            self.elsewhere.append(key)


def hold_refs(q: Qualification, refs, where: str, held: Held, problems: list[Problem]) -> None:
    """Units the learner holds, named as this qualification names them (id or number), or by a
    URN or model:id held under any qualification."""
    for ref in refs:
        text = str(ref).strip()
        unit = q.find(text)
        ids = [unit.id] if unit else []
        foreign = is_urn(text) or is_model_ref(text)
        if foreign:
            ids += [u.id for u in q.holders(text) if u.id not in ids]
        if not ids and not foreign:
            problems.append(
                located(
                    ref,
                    where,
                    f"{q.id} has no unit {text!r} (give a unit id, number or URN)",
                )
            )
            continue
        held.add(ids, text)


def hold_qualification(q: Qualification, other: Qualification, held: Held) -> None:
    """Every unit of `other` held: each counts here only through its URN or an equivalents
    entry (`other-id:unit-id`), or as itself when `other` is this qualification."""
    for unit in other.units:
        if other.id == q.id and other.path == q.path:
            held.add([unit.id], None)
            continue
        key = unit.urn or f"{other.id}:{unit.id}"
        # Another file, even with this model's id: its units count only by URN or an
        # equivalents entry, never by id or printed number here.
        held.add([u.id for u in q.equivalent_holders(key)], key)
