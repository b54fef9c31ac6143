"""Large synthetic rules of combination, as issue 10 measured them.

`synthetic_model(units, seed)` returns a model document (the dict a model YAML file holds) with
`units` units in groups of about 20. Every group has a credit floor and a credit cap; at least
one unit must come from each group; the whole qualification has a total credit floor and a
Level-4 credit floor; some pairs of units in a group are barred; GLH are 10-80. The rules are
drawn around a planted pathway (floors at or below what it holds, caps at or above, no barred
pair inside it), so every instance has a pathway, and the total floor sits above the sum of the
group floors so that which groups carry the extra credits is a real choice.

`synthetic_weights(units, seed)` draws the random preference weights (one per unit, most of them
positive) and `synthetic_scenario(units, seed, model)` a scenario document that weights the
model at path `model` with them, for `max-preference`. `write_yaml(doc, path)` writes either
document fast (one flow-style line per unit), as `pathway` and bench/highs_peer.py read it.

The same (units, seed) gives the same document on every machine and run.

Usage: python bench/synthetic.py UNITS [SEED] > model.yaml
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

GROUP_SIZE = 20


def _rng(kind: str, units: int, seed: int) -> random.Random:
    return random.Random(f"pathway-synthetic-{kind}-{units}-{seed}")


def synthetic_model(units: int, seed: int) -> dict:
    """A model document with `units` units (U1, U2, ...) in groups of about 20 (G1, G2, ...).

    Rules, in order: one credit floor and cap per group (R1 ... Rg), at least one unit from each
    group, the total credit floor, the Level-4 credit floor, then the barred pairs."""
    if units < 2:
        raise ValueError("at least 2 units")
    rng = _rng("model", units, seed)
    n_groups = max(1, round(units / GROUP_SIZE))
    doc_units = []
    for i in range(1, units + 1):
        doc_units.append(
            {
                "id": f"U{i}",
                "title": f"Unit {i}",
                "credit": rng.randint(1, 10),
                "level": rng.randint(1, 5),
                "glh": rng.randint(10, 80),
            }
        )
    groups, group_rules, barred = [], [], []
    planted_credits = planted_l4 = 0
    for g in range(n_groups):
        members = doc_units[g * units // n_groups : (g + 1) * units // n_groups]
        ids = [u["id"] for u in members]
        # The planted pathway holds about a third of the group, and at least one unit.
        planted = [u for u in members if rng.random() < 0.35] or [rng.choice(members)]
        chosen = {u["id"] for u in planted}
        credits = sum(u["credit"] for u in planted)
        planted_credits += credits
        planted_l4 += sum(u["credit"] for u in planted if u["level"] >= 4)
        floor = max(1, credits // 2 - rng.randint(0, 3))
        cap = credits + rng.randint(0, 12)
        name = f"G{g + 1}"
        groups.append({"id": name, "units": ids})
        group_rules.append({"kind": "credits", "groups": [name], "min": floor, "max": cap})
        # Barred pairs: about one for every ten units, never both inside the planted pathway.
        for _ in range(max(1, len(ids) // 10)):
            a, b = rng.sample(ids, 2)
            if not (a in chosen and b in chosen):
                barred.append({"kind": "barred", "units": sorted((a, b), key=lambda u: int(u[1:]))})
    total = planted_credits * 9 // 10  # above the group floors: each is at most half its part
    rules = [
        *group_rules,
        {
            "kind": "units",
            "each": [g["id"] for g in groups],
            "min": 1,
            "text": "At least one unit from each group.",
        },
        {"kind": "credits", "min": total, "text": f"A minimum of {total} credits."},
        {
            "kind": "credits",
            "min_level": 4,
            "min": planted_l4 * 8 // 10,
            "text": f"At least {planted_l4 * 8 // 10} credits at Level 4 or above.",
        },
        *barred,
    ]
    return {
        "title": f"Synthetic qualification, {units} units (seed {seed})",
        "awarding_body": "bench/synthetic.py",
        "level": 3,
        "units": doc_units,
        "groups": groups,
        "rules": rules,
    }


def synthetic_weights(units: int, seed: int) -> dict[str, int]:
    """Random preference weights for U1 ... U<units>: -5 to 20, zeros left out."""
    rng = _rng("weights", units, seed)
    weights = {f"U{i}": rng.randint(-5, 20) for i in range(1, units + 1)}
    return {u: w for u, w in weights.items() if w}


def synthetic_scenario(units: int, seed: int, model: str) -> dict:
    """A scenario over the model file at `model` (relative to the scenario's folder), with the
    random preference weights of `synthetic_weights`."""
    return {
        "title": f"Synthetic learner, {units} units (seed {seed})",
        "qualification": model,
        "preferences": {"units": synthetic_weights(units, seed)},
    }


def _flow(value) -> str:
    # JSON is valid YAML flow style here: ids are ASCII, whole numbers stay bare (never quoted).
    return json.dumps(value, separators=(", ", ": "))


def _block(value: dict, indent: str, out: list[str]) -> None:
    for key, item in value.items():
        if isinstance(item, dict):
            out.append(f"{indent}{key}:")
            _block(item, indent + "  ", out)
        elif isinstance(item, list):
            out.append(f"{indent}{key}:")
            out.extend(f"{indent}  - {_flow(x)}" for x in item)
        else:
            out.append(f"{indent}{key}: {_flow(item)}")


def yaml_text(doc: dict) -> str:
    """The document as YAML: block mappings and lists, each list item on one flow-style line."""
    out: list[str] = []
    _block(doc, "", out)
    return "\n".join(out) + "\n"


def write_yaml(doc: dict, path: Path | str) -> Path:
    path = Path(path)
    path.write_text(yaml_text(doc), encoding="utf-8")
    return path


if __name__ == "__main__":
    n = int(sys.argv[1])
    sys.stdout.write(yaml_text(synthetic_model(n, int(sys.argv[2]) if len(sys.argv) > 2 else 0)))
