"""The measures every stage counts in: GLH, credits, units and preference.

Objectives minimise or maximise one, budgets cap one, audits and reports total one; all of them
read a unit's amount here, so "GLH still to teach" means the same everywhere: held units cost
nothing (they are not taught), and a unit whose amount is unknown is None, never 0."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """Something counted over a pathway."""

    name: str  # "glh", "credits", "units", "preference"
    word: str  # how amounts are written: "GLH", "credits", "units", "preference"
    held_free: bool  # held units count nothing toward it (they are not taken again)


GLH = Measure("glh", "GLH", True)
CREDITS = Measure("credits", "credits", True)
UNITS = Measure("units", "units", True)
PREFERENCE = Measure("preference", "preference", False)

# objective name -> (measure, +1 to minimise or -1 to maximise)
OBJECTIVES: dict[str, tuple[Measure, int]] = {
    "min-glh": (GLH, 1),
    "max-preference": (PREFERENCE, -1),
    "min-credits": (CREDITS, 1),
    "min-units": (UNITS, 1),
}
# budget name -> the measure it caps, over units still to take
BUDGETS: dict[str, Measure] = {"max_glh": GLH, "max_units": UNITS, "max_credits": CREDITS}


def amounts(measure: Measure, scenario, unit_ids) -> list[int | None]:
    """What taking each unit adds to the measure for this learner; None where unknown."""
    held = set(scenario.held) if measure.held_free else set()
    q = scenario.qualification
    out: list[int | None] = []
    for uid in unit_ids:
        if uid in held:
            out.append(0)
        elif measure is GLH:
            out.append(scenario.glh_of(uid))
        elif measure is CREDITS:
            out.append(q.unit(uid).credit)
        elif measure is UNITS:
            out.append(1)
        else:
            out.append(scenario.weight_of(uid))
    return out


def amount(measure: Measure, scenario, unit_id: str) -> int | None:
    """What taking one unit adds to the measure (amounts, for one)."""
    return amounts(measure, scenario, [unit_id])[0]


def total(measure: Measure, scenario, unit_ids) -> int | None:
    """The measure over a set of units; None when any unit's amount is unknown."""
    found = amounts(measure, scenario, unit_ids)
    return None if any(a is None for a in found) else sum(a for a in found if a is not None)


def known_total(measure: Measure, scenario, unit_ids) -> tuple[int, list[str]]:
    """(the sum of the amounts that are known, the units whose amount is not)."""
    unit_ids = list(unit_ids)
    found = amounts(measure, scenario, unit_ids)
    unknown = [u for u, a in zip(unit_ids, found) if a is None]
    return sum(a for a in found if a is not None), unknown


def objective_value(name: str, scenario, unit_ids) -> int:
    """An objective's value for a pathway, in the user's sense (preference counted up)."""
    measure, _ = OBJECTIVES[name]
    value = total(measure, scenario, unit_ids)
    if value is None:
        raise ValueError(f"{name} is unknown for this pathway")
    return value
