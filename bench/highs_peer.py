"""HiGHS on the same 0-1 problem as `pathway solve`, for bench/large.py to measure beside it.

Run as its own process (ortools and highspy ship conflicting HiGHS libraries, so they never
share one): reads a model file, or a scenario file naming one, builds the problem in highspy
directly (a binary take[u] per unit; every rule the synthetic models use: credit and unit floors
and caps over the whole qualification, groups, units or `each` group, with level filters;
barred sets; mandatory units and groups; a scenario's exclusions, required units and budgets),
minimises GLH or maximises the preference weights, and prints one JSON line: status, objective
value, bound, wall seconds since this process started (its imports and model load included) and
HiGHS's own run time. Any-of/all-of and held units are not modelled (refused: exit 2).

The objective is a whole number, so the search stops when the gap is below 1 (mip_rel_gap 0,
mip_abs_gap 0.999): that proves the optimum, as pathway's does.

Usage: python bench/highs_peer.py FILE [-o min-glh|max-preference] [--time-limit SECONDS]
       [--max-glh N]
Needs the `bench` extra: pip install -e '.[bench]'
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import yaml


class Refused(Exception):
    pass


def read(path: Path) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


def load(path: Path) -> tuple[dict, dict]:
    """(model document, scenario document; {} for a bare model)."""
    doc = read(path)
    if "qualification" not in doc:
        return doc, {}
    ref = str(doc["qualification"])
    model = path.parent / ref
    if not model.exists():
        model = path.parent / f"{ref}.yaml"
    if not model.exists():
        raise Refused(f"model {ref!r} not found beside {path}")
    if doc.get("achieved") or doc.get("achieved_qualifications"):
        raise Refused("held units are not modelled")
    return read(model), doc


class Problem:
    """Rows of a 0-1 problem over the units, in compressed sparse row form."""

    def __init__(self, model: dict):
        self.units = model["units"]
        self.index: dict[str, int] = {}
        for i, u in enumerate(self.units):
            if "from" in u:
                raise Refused("imported units are not modelled")
            self.index[str(u["id"])] = i
        for i, u in enumerate(self.units):
            if u.get("number") is not None:
                self.index.setdefault(str(u["number"]), i)
        self.groups = {
            str(g["id"]): [self.index[str(r)] for r in g["units"]]
            for g in model.get("groups") or []
        }
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.fixed_one: set[int] = set()
        self.fixed_zero: set[int] = set()

    def row(self, terms: list[tuple[int, float]], lo: float, hi: float) -> None:
        self.starts.append(len(self.cols))
        for c, v in terms:
            self.cols.append(c)
            self.vals.append(v)
        self.lower.append(lo)
        self.upper.append(hi)

    def scope(self, rule: dict) -> list[int]:
        if rule.get("groups") is None and rule.get("units") is None:
            picked = range(len(self.units))
        else:
            seen: dict[int, None] = {}
            for g in rule.get("groups") or []:
                seen.update(dict.fromkeys(self.groups[str(g)]))
            for r in rule.get("units") or []:
                seen[self.index[str(r)]] = None
            picked = list(seen)
        lo, hi = rule.get("min_level"), rule.get("max_level")
        return [
            i
            for i in picked
            if (lo is None or self.units[i]["level"] >= lo)
            and (hi is None or self.units[i]["level"] <= hi)
        ]

    def amount_rule(self, rule: dict, scope: list[int]) -> None:
        credits = rule["kind"] == "credits"
        terms = [(i, float(self.units[i].get("credit", 0)) if credits else 1.0) for i in scope]
        lo = rule.get("min")
        hi = rule.get("max")
        self.row(terms, -np.inf if lo is None else lo, np.inf if hi is None else hi)

    def rule(self, rule: dict) -> None:
        kind = rule["kind"]
        if kind in ("credits", "units"):
            if rule.get("each"):
                for g in rule["each"]:
                    self.amount_rule(rule, self.scope({**rule, "each": None, "groups": [g]}))
            else:
                self.amount_rule(rule, self.scope(rule))
        elif kind == "barred":
            members = sorted({self.index[str(r)] for r in rule["units"]})
            self.row([(i, 1.0) for i in members], -np.inf, 1)
        elif kind == "mandatory":
            self.fixed_one.update(self.scope(rule))
        else:
            raise Refused(f"rule kind {kind!r} is not modelled")


def build(model: dict, scenario: dict, objective: str, max_glh: int | None):
    p = Problem(model)
    for g in model.get("groups") or []:
        if g.get("mandatory"):
            p.fixed_one.update(p.groups[str(g["id"])])
    for rule in model.get("rules") or []:
        p.rule(rule)
    p.fixed_zero.update(p.index[str(r)] for r in scenario.get("excluded") or [])
    p.fixed_one.update(p.index[str(r)] for r in scenario.get("required") or [])
    budget = dict(scenario.get("budget") or {})
    if max_glh is not None:
        budget["max_glh"] = max_glh
    n = len(p.units)
    for key, field in (("max_glh", "glh"), ("max_credits", "credit"), ("max_units", None)):
        if budget.get(key) is not None:
            terms = [(i, float(u.get(field, 0)) if field else 1.0) for i, u in enumerate(p.units)]
            p.row(terms, -np.inf, budget[key])
    if objective == "min-glh":
        cost = [float(u.get("glh", 0)) for u in p.units]
        sense = 1
    else:
        prefs = scenario.get("preferences") or {}
        unit_w = {p.index[str(r)]: w for r, w in (prefs.get("units") or {}).items()}
        tag_w = prefs.get("tags") or {}
        cost = [
            -float(unit_w.get(i, 0) + sum(tag_w.get(t, 0) for t in set(u.get("tags") or [])))
            for i, u in enumerate(p.units)
        ]
        sense = -1
    lower = np.array([1.0 if i in p.fixed_one else 0.0 for i in range(n)])
    upper = np.array([0.0 if i in p.fixed_zero else 1.0 for i in range(n)])
    return p, np.array(cost), lower, upper, sense


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "-o", "--objective", choices=["min-glh", "max-preference"], default="min-glh"
    )
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--max-glh", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    try:
        model, scenario = load(args.file)
        p, cost, lower, upper, sense = build(model, scenario, args.objective, args.max_glh)
    except (Refused, KeyError) as error:
        print(json.dumps({"status": "refused", "error": str(error)}))
        return 2
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)
    if args.time_limit is not None:
        h.setOptionValue("time_limit", float(args.time_limit))
    if args.threads is not None:
        h.setOptionValue("threads", args.threads)
    n = len(cost)
    h.addCols(n, cost, lower, upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger, np.uint8)
    )
    h.addRows(
        len(p.lower),
        np.array(p.lower, dtype=float),
        np.array(p.upper, dtype=float),
        len(p.cols),
        np.array(p.starts, dtype=np.int32),
        np.array(p.cols, dtype=np.int32),
        np.array(p.vals, dtype=float),
    )
    built = time.perf_counter()
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
    }
    out = {"status": names.get(status, h.modelStatusToString(status)), "objective": args.objective}
    if info.primal_solution_status == 2:  # a feasible solution is held
        out["value"] = round(sense * info.objective_function_value)
        out["bound"] = sense * info.mip_dual_bound
        out["gap"] = info.mip_gap
        x = h.getSolution().col_value
        out["units"] = int(sum(1 for v in x if v > 0.5))
    out["rows"] = len(p.lower)
    out["build_seconds"] = round(built - STARTED, 3)
    out["highs_seconds"] = round(h.getRunTime(), 3)
    out["seconds"] = round(time.perf_counter() - STARTED, 3)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
