"""Turn what a user typed (ids or printed numbers) into unit ids, with one message per miss."""

from __future__ import annotations

from .errors import InputError, Problem
from .model import Qualification


def resolve_refs(q: Qualification, refs, source: str) -> list[str]:
    """Unit ids for refs; refs may be located Scalars (file input) or plain strings (flags)."""
    ids: list[str] = []
    problems: list[Problem] = []
    for ref in refs:
        unit = q.find(str(ref))
        if unit is None:
            message = f"{source}: {q.id} has no unit {str(ref)!r} (give a unit id or number)"
            problems.append(
                ref.problem(message)
                if hasattr(ref, "problem")
                else Problem(source, None, None, message.split(": ", 1)[1])
            )
        elif unit.id not in ids:
            ids.append(unit.id)
    if problems:
        raise InputError(problems)
    return ids
