"""An exact method for `pathway plan`'s min-taught-glh cohorts, beside today's joint model.

Research kept as a benchmark (the product does not use it). For each of bench/cohort_speed.py's
cohorts of the seed diploma (`bench_cohort`: each learner holds 0-6 of its 39 units; class
size 8, min_class 3) it runs the method below (one CP-SAT worker) and then today's
`pathway.cohort_plan.plan` as cohort_speed.py does (2 workers by default), each timed from the
loaded cohort (wall and CPU seconds), and says where the two disagree. Two proven values that differ,
or a plan of either below the other's proven optimum, is a bug: printed loudly, exit status 1.

The method: logic-based Benders over count vectors. A *kind* is a set of units with the same
amount in every rule row (on the diploma one kind per (group, credit): "Group C, 3 credits" is
11 units). A learner's rules only see how many units of each kind they count, so a learner is
described by their *minimal count vectors* (13-319 per learner, 1,579-2,429 per 16-learner
cohort; enumerated with numpy, learners of one profile once). Given every learner's vector the
kinds no longer interact: who sits in which class of a kind is a bipartite flow.

* Master (a small MIP, CP-SAT, one worker): per learner one minimal vector (exactly one of
  their booleans); per unit class slots y[u, 0], y[u, 1] (a first class seats min(size,
  learners who may take it), a second the rest); objective sum GLH x slots. Rows: per kind,
  demand <= seats bought; distinctness (a learner's count in a kind <= running units of that
  kind they may take); forced units (in every vector of a learner) need a seat for them; units
  identical for the problem (kind, GLH, same eligible learners) bought in order; once solved,
  "objective >= its last optimum" (cuts only raise it). Its optimum is a lower bound.
* Subproblem: per kind a max flow learners -> units -> sink (ortools.graph max_flow). A kind
  that fails gives a min cut, a unit set T; the cut added is the Hall inequality for T at its
  best learner set, for every assignment (z[i] >= n[i, kind] - running units outside T that i
  may take, z >= 0, sum z <= seats of T): valid for every plan, since its left side only grows
  when a learner takes more than a minimal vector. The plans the master found on its way
  (solution callback) are checked too, so one round can add several families.
* When every kind's flow passes, the full model (every learner's rule rows, held units
  optionally counted, min_class, class capacity) is solved with the classes fixed: a plan that
  teaches exactly the master's value, a lower bound, so it is optimal. If min_class makes that
  check fail, a no-good on the class configuration is added and the master solved again. The
  plan found is re-checked here in plain Python (rows, class sizes, min_class, taught GLH).

Covered: one qualification, Mandatory and Amount rules (every scope, level filters), held,
blocked and unavailable units, class size, min_class (only through the final check and its
no-goods: exact, but it could loop where min_class binds often). Not covered (the script
refuses such a cohort): required units (a learner's kinds would have to split that unit out),
learners on different qualifications sharing units by URN (one flow per connected group of
kinds), Barred/AnyOf/AllOf rules, the centre's max_units and max_glh (one master row each),
max-completing (a "does not complete" vector per learner), preferences and the learners' own
GLH (today's later solves).

Measured (2026-11-27, 16 learners, seeds 0-4, 20 s limit, the research prototype in one run
beside today's code with 2 workers, load average 0.9-1.8): this method optimal 431, 427, 424,
451, 437 in 6.5, 1.2, 2.9, 2.0, 1.4 s wall (CPU the same: one core), 0.4-0.6 s of each being
types, rows, kinds and vectors; seed 0 takes 2 rounds (its first master proves 430 in ~3.3 s,
one Hall family for two Group C units raises it to 431). Today's code in the same run: seeds 1
and 3 proven at 11.1 s and 1.8 s; seeds 0, 2, 4 stopped at 431 bound 426, 424 bound 419, 439
bound 433 (CPU ~40 s each). HiGHS agrees on 431, 427, 451 and 437; 424 (seed 2) was proven by
this method only. This script, two runs (load average 0.7-1.7): this method optimal 431, 427,
424, 451, 437 in 5.3-5.6, 1.5-1.6, 2.5-2.6, 2.6, 2.3 s (CPU the same; 2, 1, 1, 1, 2 rounds);
today's code 431-432 bound 425-426 at 20 s, 427 proven at 8.0-10.9 s, 424 bound 419 at 20 s,
451 proven at 1.8-4.0 s, 437 proven at 16.3 s once and 439 bound 433 at 20 s once (CPU 19-40 s,
7-15 s for seed 3); no disagreement.
At 100 learners (seed 0, 60 s, prototype) the first master proves 2,544 in 28.5 s but the
second does not finish: a bound, no plan.

Usage: python bench/cohort_benders.py [--learners 16] [--seeds 0 1 2 3 4] [--time-limit 20]
       [--workers 2] [--no-today]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
BIG = 10**9


class Unsupported(Exception):
    """The cohort has something this method does not cover."""


# ---------------------------------------------------------------- the cohort as plain data


def extract(cohort) -> dict:
    """Units (key -> GLH), learners (open units, held units, rule rows over unit keys)."""
    from pathway.cohort import unit_key
    from pathway.cohort_plan import _check_glh, _types
    from pathway.model import Amount, Mandatory

    centre = cohort.centre
    if cohort.objective != "min-taught-glh":
        raise Unsupported(f"objective {cohort.objective}")
    if centre.max_units is not None or centre.max_glh is not None:
        raise Unsupported("max_units or max_glh")
    types = _types(cohort)
    glh = _check_glh(cohort, types)
    if len({t.scenario.qualification.id for t in types}) > 1:
        raise Unsupported("learners on different qualifications")
    learners = []
    for t in types:
        s = t.scenario
        q = s.qualification
        if s.required:
            raise Unsupported("required units")
        key = {u.id: unit_key(q, u) for u in q.units}
        rows = []
        for rule in q.rules:
            if isinstance(rule, Mandatory):
                rows.append(({key[u]: 1 for u in rule.units}, len(rule.units), len(rule.units)))
            elif isinstance(rule, Amount) and rule.measure in ("credits", "units"):
                for scope in rule.scopes:
                    coef = {}
                    for uid in scope.units:
                        unit = q.unit(uid)
                        if rule.min_level is not None and (unit.level or 0) < rule.min_level:
                            continue
                        if rule.max_level is not None and (unit.level or 9) > rule.max_level:
                            continue
                        coef[key[uid]] = unit.credit if rule.measure == "credits" else 1
                    rows.append((coef, rule.min, rule.max))
            else:
                raise Unsupported(f"{type(rule).__name__} rules")
        for _ in t.learners:
            learners.append(
                {
                    "open": [key[u] for u in t.open_units],
                    "held": [key[u] for u in s.held],
                    "rows": [(tuple(sorted(cf.items())), lo, hi) for cf, lo, hi in rows],
                    "qual": q.id,
                }
            )
    return {"glh": glh, "learners": learners, "size": centre.class_size, "least": centre.min_class}


def kinds(p: dict) -> dict[str, tuple]:
    """Each unit key's signature: its amount in every distinct rule row. Units with one
    signature are interchangeable for the rules."""
    distinct, seen = [], set()
    for lr in p["learners"]:
        for row in lr["rows"]:
            if row not in seen:
                seen.add(row)
                distinct.append(dict(row[0]))
    units = set(p["glh"]) | {u for lr in p["learners"] for u in lr["held"]}
    return {u: tuple(row.get(u, 0) for row in distinct) for u in units}


def _groups(units, sig) -> dict[tuple, list[str]]:
    out: dict[tuple, list[str]] = {}
    for u in units:
        out.setdefault(sig[u], []).append(u)
    return out


def count_vectors(lr: dict, sig: dict) -> list[tuple[int, ...]]:
    """A learner's minimal count vectors over their kinds (sorted signatures): units taken per
    kind such that some choice of held units counted meets every row, and no count can be
    lowered. Candidates by kind (upper bound per kind, cap rows pruned), then feasibility and
    minimality checked for all at once."""
    groups, hgroups = _groups(lr["open"], sig), _groups(lr["held"], sig)
    kinds_, hk = sorted(groups), sorted(hgroups)
    rows = [(dict(cf), lo, hi) for cf, lo, hi in lr["rows"]]
    a = np.array([[cf.get(groups[k][0], 0) for cf, _, _ in rows] for k in kinds_], dtype=np.int64)
    ha = np.array(
        [[cf.get(hgroups[k][0], 0) for cf, _, _ in rows] for k in hk], dtype=np.int64
    ).reshape(len(hk), len(rows))
    lo = np.array([-BIG if low is None else low for _, low, _ in rows])
    hi = np.array([BIG if high is None else high for _, _, high in rows])
    # every choice of held units counted, as row sums (deduplicated)
    choices = itertools.product(*[range(len(hgroups[k]) + 1) for k in hk])
    held = {tuple(np.array(h) @ ha) if hk else (0,) * len(rows) for h in choices}
    h_sums = np.array(sorted(held), dtype=np.int64).reshape(-1, len(rows))
    # keep only the held choices no other beats: more on floor-only rows, less on cap-only
    # rows, the same on rows with both
    sign = np.array([1 if h >= BIG else (-1 if low <= -BIG else 0) for low, h in zip(lo, hi)])
    keep = []
    for j in range(len(h_sums)):
        d = (h_sums - h_sums[j]) * sign
        same = (h_sums[:, sign == 0] == h_sums[j, sign == 0]).all(axis=1)
        if not (same & (d >= 0).all(axis=1) & (d > 0).any(axis=1)).any():
            keep.append(j)
    h_sums = h_sums[keep]
    ub = []
    for j, k in enumerate(kinds_):
        b = 0
        for r in range(len(rows)):
            if a[j, r] > 0 and lo[r] > 0:
                b = max(b, -(-lo[r] // a[j, r]))
        ub.append(min(len(groups[k]), int(b)))
    caps = [r for r in range(len(rows)) if hi[r] < BIG]
    cand = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros((1, len(rows)), dtype=np.int64)
    for j in range(len(kinds_)):
        n = np.arange(ub[j] + 1)
        cand = np.concatenate(
            [np.repeat(cand, len(n), axis=0), np.tile(n, len(cand))[:, None]], axis=1
        )
        sums = np.repeat(sums, len(n), axis=0) + np.tile(n, len(sums))[:, None] * a[j]
        if caps:
            fit = (sums[:, caps] <= hi[caps]).all(axis=1)
            cand, sums = cand[fit], sums[fit]

    def feasible(s):  # row sums N x R -> N bools: some held choice makes every row hold
        t = s[:, None, :] + h_sums[None, :, :]
        return ((t >= lo) & (t <= hi)).all(axis=2).any(axis=1)

    best = np.where(sign > 0, h_sums.max(axis=0), np.where(sign < 0, h_sums.min(axis=0), 0))
    floors = np.where(sign == 0, -BIG, lo)
    rough = ((sums + best >= floors) & (sums + h_sums.min(axis=0) <= hi)).all(axis=1)
    cand, sums = cand[rough], sums[rough]
    ok = feasible(sums)
    cand, sums = cand[ok], sums[ok]
    minimal = np.ones(len(cand), dtype=bool)
    for j in range(len(kinds_)):
        pos = np.nonzero((cand[:, j] > 0) & minimal)[0]
        if len(pos):
            minimal[pos[feasible(sums[pos] - a[j])]] = False
    return [tuple(int(x) for x in v) for v in cand[minimal]]


def all_vectors(p: dict, sig: dict) -> list[dict]:
    """Every learner's vectors and kinds; learners with one profile share one enumeration."""
    out, memo = [], {}
    for lr in p["learners"]:
        og = _groups(lr["open"], sig)
        hg = _groups(lr["held"], sig)
        key = (
            tuple(sorted((k, len(g)) for k, g in og.items())),
            tuple(sorted((k, len(g)) for k, g in hg.items())),
            lr["qual"],
        )
        if key not in memo:
            memo[key] = count_vectors(lr, sig)
        out.append({"vectors": memo[key], "kinds": [og[k] for k in sorted(og)]})
    return out


# ---------------------------------------------------------------- a linear model as data


class Lin:
    """Integer variables, rows lo <= sum <= hi, clauses, a minimised objective."""

    def __init__(self):
        self.lo, self.hi = [], []
        self.rows = []  # (terms, lo, hi)
        self.obj = []
        self.ors = []  # clauses: lists of (var, positive)

    def var(self, lo: int, hi: int) -> int:
        self.lo.append(lo)
        self.hi.append(hi)
        return len(self.lo) - 1

    def row(self, terms, lo=None, hi=None) -> None:
        self.rows.append((list(terms), lo, hi))


def solve(m: Lin, limit: float, hint=None, collect=None):
    """(status, value, bound, values) by CP-SAT, one worker; `collect` gets every plan found."""
    cm = cp_model.CpModel()
    v = [
        cm.new_bool_var("") if (lo, hi) == (0, 1) else cm.new_int_var(lo, hi, "")
        for lo, hi in zip(m.lo, m.hi)
    ]

    def expr(terms):
        return cp_model.LinearExpr.weighted_sum([v[j] for j, _ in terms], [c for _, c in terms])

    for terms, lo, hi in m.rows:
        cm.add_linear_constraint(
            expr(terms), -(2**62) if lo is None else lo, 2**62 if hi is None else hi
        )
    for clause in m.ors:
        cm.add_bool_or([v[j] if pos else v[j].negated() for j, pos in clause])
    cm.minimize(expr(m.obj))
    for j, val in (hint or {}).items():
        cm.add_hint(v[j], val)
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = max(0.01, limit)
    s.parameters.num_workers = 1
    s.parameters.linearization_level = 2

    class Seen(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self):
            if collect is not None:
                collect.append([self.value(x) for x in v])

    st = s.solve(cm, Seen())
    name = s.status_name(st).lower()
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, round(s.objective_value), s.best_objective_bound, [s.value(x) for x in v]
    return name, None, None, None


# ---------------------------------------------------------------- master, cuts, final check


class Infeasible(Exception):
    """No plan lets every learner complete."""


class Master:
    def __init__(self, p: dict, vec: list[dict], sig: dict):
        self.p = p
        size, least = p["size"], p["least"]
        self.L = len(p["learners"])
        elig: dict[str, list[int]] = {}
        for i, lr in enumerate(p["learners"]):
            for u in lr["open"]:
                elig.setdefault(u, []).append(i)
        self.elig = elig
        m = self.m = Lin()
        self.n: dict = {}  # (learner, kind) -> [(vector boolean, count)]
        for i in range(self.L):
            vs, groups = vec[i]["vectors"], vec[i]["kinds"]
            lam = [m.var(0, 1) for _ in vs]
            m.row([(x, 1) for x in lam], 1, 1)
            for k, g in enumerate(groups):
                self.n[i, sig[g[0]]] = [(lam[j], vs[j][k]) for j in range(len(vs)) if vs[j][k]]
        # class slots: a unit's first class seats min(size, eligible), its second the rest
        self.seats_of: dict[str, list[tuple[int, int]]] = {}
        self.kind_units: dict[tuple, list[str]] = {}
        for u, e in sorted(elig.items()):
            if len(e) < least:
                continue
            left, j = len(e), 0
            while left > 0:
                seats = min(size, left)
                y = m.var(0, 1)
                self.seats_of.setdefault(u, []).append((y, seats))
                m.obj.append((y, p["glh"][u]))
                if j:
                    m.row([(y, 1), (self.seats_of[u][j - 1][0], -1)], None, 0)
                else:
                    self.kind_units.setdefault(sig[u], []).append(u)
                left -= seats
                j += 1
        ident: dict[tuple, list[str]] = {}
        for key, us in self.kind_units.items():
            for u in us:
                ident.setdefault((key, p["glh"][u], tuple(elig[u])), []).append(u)
        for us in ident.values():
            us.sort()
            for a, b in itertools.pairwise(us):
                for (va, _), (vb, _) in zip(self.seats_of[a], self.seats_of[b]):
                    m.row([(va, 1), (vb, -1)], 0, None)
        demand: dict[tuple, list] = {}
        for (i, key), terms in self.n.items():
            demand.setdefault(key, []).extend(terms)
        for key, terms in demand.items():
            cap = [(v, -s) for u in self.kind_units.get(key, []) for v, s in self.seats_of[u]]
            m.row(terms + cap, None, 0)
        for (i, key), terms in self.n.items():  # distinctness
            if terms:
                run = [
                    (self.seats_of[u][0][0], -1)
                    for u in self.kind_units.get(key, [])
                    if i in elig[u]
                ]
                m.row(terms + run, None, 0)
        forced: dict[str, int] = {}
        for i in range(self.L):
            vs, groups = vec[i]["vectors"], vec[i]["kinds"]
            if not vs:
                raise Infeasible(f"learner {i} has no count vector")
            for k, g in enumerate(groups):
                if all(v[k] == len(g) for v in vs):
                    for u in g:
                        forced[u] = forced.get(u, 0) + 1
        for u, f in forced.items():
            if u not in self.seats_of:
                raise Infeasible(f"unit {u} is needed but cannot run")
            m.row(self.seats_of[u], f, None)
        self.families: set = set()

    def cuts(self, values) -> int:
        """Hall families for each kind whose flow fails at these master values."""
        from ortools.graph.python import max_flow

        size, elig = self.p["size"], self.elig
        added = 0
        for key, units in self.kind_units.items():
            dem = {
                i: sum(c * values[v] for v, c in self.n.get((i, key), [])) for i in range(self.L)
            }
            dem = {i: d for i, d in dem.items() if d}
            total = sum(dem.values())
            if not total:
                continue
            running = {u: sum(values[v] for v, _ in self.seats_of[u]) for u in units}
            running = {u: c for u, c in running.items() if c}
            f = max_flow.SimpleMaxFlow()
            li = {i: 2 + k for k, i in enumerate(dem)}
            ui = {u: 2 + len(li) + k for k, u in enumerate(running)}
            for i, d in dem.items():
                f.add_arc_with_capacity(0, li[i], d)
                for u in running:
                    if i in elig[u]:
                        f.add_arc_with_capacity(li[i], ui[u], 1)
            for u, c in running.items():
                f.add_arc_with_capacity(ui[u], 1, min(size * c, len(elig[u])))
            f.solve(0, 1)
            if f.optimal_flow() >= total:
                continue
            side = set(f.get_source_side_min_cut())
            s_set = [i for i in dem if li[i] in side]
            # T: running units on the source side, and units not running that S would overfill
            in_t = {
                u: ui[u] in side
                if u in running
                else sum(1 for i in s_set if i in elig[u]) > min(size, len(elig[u]))
                for u in units
            }
            t_set = tuple(sorted(u for u in units if in_t[u]))
            if (key, t_set) in self.families:
                # the family is in already: the single inequality for this learner set
                rhs = []
                for u in units:
                    k_s = sum(1 for i in s_set if i in elig[u])
                    if in_t[u]:
                        rhs += [(v, -sz) for v, sz in self.seats_of[u]]
                    elif k_s:
                        rhs += [(self.seats_of[u][0][0], -k_s)]
                lhs = [t for i in s_set for t in self.n.get((i, key), [])]
                self.m.row(lhs + rhs, None, 0)
            else:
                self.families.add((key, t_set))
                self.add_family(key, units, t_set)
            added += 1
        return added

    def add_family(self, key, units, t_set) -> None:
        """The Hall inequality for unit set T at its best learner set, for every assignment:
        z[i] >= n[i, key] - (running units outside T that i may take), z >= 0,
        sum z <= seats of T."""
        m, elig, inside = self.m, self.elig, set(t_set)
        zs = []
        for i in range(self.L):
            terms = self.n.get((i, key), [])
            if not terms:
                continue
            z = m.var(0, max(c for _, c in terms))
            out = [(self.seats_of[u][0][0], 1) for u in units if u not in inside and i in elig[u]]
            m.row([(z, 1)] + [(v, -c) for v, c in terms] + out, 0, None)
            zs.append((z, 1))
        m.row(zs + [(v, -s) for u in t_set for v, s in self.seats_of[u]], None, 0)

    def classes(self, values) -> dict[str, int]:
        return {u: sum(values[v] for v, _ in sl) for u, sl in self.seats_of.items()}


def check(p: dict, classes: dict[str, int], limit: float):
    """The full model (every learner's rows, held units optionally counted, min_class, class
    size) with these classes: True and the plan re-checked in plain Python (its taught GLH),
    False if no plan fits them, None if the time ran out."""
    size, least = p["size"], p["least"]
    m = Lin()
    x, h = [], []
    for lr in p["learners"]:
        xi = {u: m.var(0, 1) for u in lr["open"] if classes.get(u, 0)}
        hi_ = {u: m.var(0, 1) for u in lr["held"]}
        x.append(xi)
        h.append(hi_)
        both = {**xi, **hi_}
        for cf, lo, hi in lr["rows"]:
            m.row([(both[u], a) for u, a in cf if u in both], lo, hi)
    for u, c in classes.items():
        takers = [(xi[u], 1) for xi in x if u in xi]
        if c:
            m.row(takers, least, size * c)
    st, _, _, values = solve(m, limit)
    if values is None:
        return (False if st == "infeasible" else None), None
    # the plan, re-checked without the solver
    taken = {u: 0 for u in classes}
    for lr, xi, hi_ in zip(p["learners"], x, h):
        counted = {u for u, var in {**xi, **hi_}.items() if values[var]}
        for u in xi:
            taken[u] += values[xi[u]]
        for cf, lo, hi in lr["rows"]:
            total = sum(a for u, a in cf if u in counted)
            assert (lo is None or total >= lo) and (hi is None or total <= hi), (cf, lo, hi)
    for u, c in classes.items():
        assert (c == 0 and taken[u] == 0) or (least <= taken[u] <= size * c), (u, c, taken[u])
    return True, sum(p["glh"][u] * c for u, c in classes.items())


def benders(cohort, limit: float) -> dict:
    """Min taught GLH by logic-based Benders; timed from the loaded cohort."""
    wall, cpu = time.monotonic(), time.process_time()
    out: dict = {"status": "unknown", "rounds": 0, "cuts": 0}

    def clock():
        return time.monotonic() - wall

    try:
        p = extract(cohort)
        sig = kinds(p)
        vec = all_vectors(p, sig)
        out["prep"] = clock()
        out["vectors"] = sum(len(v["vectors"]) for v in vec)
        master = Master(p, vec, sig)
    except Unsupported as e:
        out["status"] = f"not covered: {e}"
        return out
    except Infeasible:
        out["status"] = "infeasible"
        master = None
    hint = None
    while master is not None:
        out["rounds"] += 1
        left = limit - clock()
        if left <= 0:
            break
        seen: list = []
        st, value, bound, values = solve(master.m, left, hint, seen)
        if st == "infeasible":
            out["status"] = "infeasible"
            break
        if st != "optimal":
            out["bound"] = bound
            break
        out["bound"] = value
        hint = dict(enumerate(values))
        master.m.row(list(master.m.obj), value, None)  # cuts only raise the optimum
        added = master.cuts(values)
        if added:
            for other in seen[:-1]:  # the plans found on the way: their failing kinds too
                added += master.cuts(other)
            out["cuts"] += added
            continue
        classes = master.classes(values)
        ok, taught = check(p, classes, limit - clock())
        if ok is None:
            break
        if ok:
            # a plan teaching exactly the master's value, which is a lower bound
            assert taught == value, (taught, value)
            out["status"], out["value"] = "optimal", value
            break
        master.m.ors.append([(v, not values[v]) for sl in master.seats_of.values() for v, _ in sl])
        out["nogoods"] = out.get("nogoods", 0) + 1
    out["wall"], out["cpu"] = clock(), time.process_time() - cpu
    return out


def today(cohort, limit: float, workers: int) -> dict:
    """pathway.cohort_plan.plan as bench/cohort_speed.py runs it."""
    from pathway.cohort_plan import plan

    wall, cpu = time.monotonic(), time.process_time()
    result = plan(cohort, time_limit=limit, workers=workers)
    t = result.timings
    return {
        "status": result.status.value,
        "value": result.value[0] if result.value else None,
        "bound": result.bound,
        "proven": t.get("alone", 0) + t.get("build", 0) + t.get("taught_glh", 0),
        "wall": time.monotonic() - wall,
        "cpu": time.process_time() - cpu,
    }


def compare(a: dict, b: dict) -> tuple[str, bool]:
    """What separates the two results, and whether that is a bug (two proofs that differ)."""
    proven = {"optimal", "infeasible"}
    if a.get("status") in proven and b.get("status") in proven:
        if a["status"] != b["status"]:
            return f"BUG: {a['status']} against {b['status']}", True
        if a.get("value") != b.get("value"):
            return f"BUG: both proven, {a.get('value')} against {b.get('value')}", True
        return f"agree (both proven {a['status']})", False
    for p, q in ((a, b), (b, a)):
        if p.get("status") == "infeasible" and q.get("value") is not None:
            return f"BUG: a plan of {q['value']} where none is proven to exist", True
        if p.get("status") == "optimal" and q.get("value") is not None:
            if q["value"] < p["value"]:
                return f"BUG: a plan of {q['value']} below the proven {p['value']}", True
            if q.get("bound") is not None and q["bound"] > p["value"] + 1e-6:
                return f"BUG: a bound of {q['bound']} above the proven {p['value']}", True
            if q["value"] != p["value"]:
                return f"differ: {q['value']} not proven, the optimum is {p['value']}", False
            return "agree on the value (one proven)", False
    return "neither proven", False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[16])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="today's code only")
    parser.add_argument("--no-today", action="store_true")
    args = parser.parse_args()
    from cohort_speed import bench_cohort

    bugs = 0
    for learners in args.learners:
        for seed in args.seeds:
            cohort = bench_cohort(learners, seed)
            ours = benders(cohort, args.time_limit)
            bound = (
                f" bound {ours['bound']}" if ours.get("value") is None and "bound" in ours else ""
            )
            print(
                f"{cohort.name}: benders {ours['status']} {ours.get('value')}{bound}, "
                f"{ours.get('wall', 0):.2f} s, CPU {ours.get('cpu', 0):.2f} s "
                f"(prep {ours.get('prep', 0):.2f} s, {ours.get('vectors')} vectors), "
                f"{ours['rounds']} rounds, {ours['cuts']} cuts, {ours.get('nogoods', 0)} no-goods",
                flush=True,
            )
            if args.no_today:
                continue
            cohort = bench_cohort(learners, seed)
            them = today(cohort, args.time_limit, args.workers)
            said, bug = compare(ours, them)
            bound = f" bound {them['bound']}" if them["bound"] is not None else ""
            print(
                f"    today ({args.workers} workers): {them['status']} {them['value']}{bound}, "
                f"{them['proven']:.2f} s to {'prove' if them['status'] == 'optimal' else 'stop'}, "
                f"{them['wall']:.2f} s in all, CPU {them['cpu']:.2f} s; {said}",
                flush=True,
            )
            if bug:
                print(f"!!!!! DISAGREEMENT ON A PROVEN VALUE, {cohort.name}: {said} !!!!!")
                bugs += 1
    if bugs:
        sys.exit(1)


if __name__ == "__main__":
    main()
