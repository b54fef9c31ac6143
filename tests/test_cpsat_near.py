"""The explainer's search near a known pathway, at the level of the CP-SAT model:
`CpModel.around` (the model with the variables outside a free set fixed at known values) against
brute force over every assignment, and `Relaxation` (one linear relaxation re-solved with rows
freed, from its last basis) against a relaxation built afresh for each question."""

from __future__ import annotations

import itertools
import random

from pathway.cpsat import CpModel, Relaxation


def random_model(rng: random.Random):
    """(model, its constraints as plain data for an independent check, guard literals): a few
    0/1 variables, two guards, linear and bool_or constraints, some enforced by a guard or by
    a negated variable."""
    cp = CpModel()
    n = rng.randint(3, 6)
    for i in range(n):
        cp.new_bool(f"x{i}")
    guards = [cp.new_bool(f"g{j}") for j in range(2)]
    plain = []
    for _ in range(rng.randint(2, 6)):
        enforce = rng.choice([(), (rng.choice(guards),), (-rng.randrange(n) - 1,)])
        if rng.random() < 0.7:
            terms = [(v, rng.randint(-3, 4)) for v in rng.sample(range(n), rng.randint(1, n))]
            lo = rng.choice([None, rng.randint(-3, 5)])
            hi = rng.choice([None, rng.randint(max(lo or 0, 0), 8)])
            cp.add_linear(terms, lo, hi, enforce)
            plain.append((enforce, "linear", terms, lo, hi))
        else:
            literals = [v if rng.random() < 0.5 else -v - 1 for v in rng.sample(range(n), 2)]
            cp.add_bool_or(literals, enforce)
            plain.append((enforce, "or", literals, None, None))
    return cp, plain, guards


def truth(values, literal: int) -> int:
    return values[literal] if literal >= 0 else 1 - values[-literal - 1]


def holds(values, plain, leave_out) -> bool:
    """Whether `values` meets every constraint not enforced by a literal in `leave_out`."""
    for enforce, kind, body, lo, hi in plain:
        if set(enforce) & set(leave_out) or not all(truth(values, x) for x in enforce):
            continue
        if kind == "linear":
            total = sum(c * values[v] for v, c in body)
            if (lo is not None and total < lo) or (hi is not None and total > hi):
                return False
        elif not any(truth(values, x) for x in body):
            return False
    return True


def sub_holds(sub: CpModel, values) -> bool:
    """Whether `values` meets every enforced constraint of the smaller model."""
    return all(not all(truth(values, x) for x in enforce) for enforce in sub.violated(values) or [])


def test_around_keeps_exactly_the_pathways_that_agree_with_the_fixed_values():
    rng = random.Random("cpsat-around")
    decided = empty = 0
    for _ in range(400):
        cp, plain, guards = random_model(rng)
        size = len(cp.names)
        values = [rng.randint(0, 1) for _ in range(size)]
        free = set(rng.sample(range(size), rng.randint(0, size)))
        leave_out = [g for g in guards if rng.random() < 0.3]
        expected = set()
        for chosen in itertools.product((0, 1), repeat=len(free)):
            full = list(values)
            for v, x in zip(sorted(free), chosen):
                full[v] = x
            if holds(full, plain, leave_out):
                expected.add(chosen)
        made = cp.around(values, free, leave_out)
        if made is None:
            assert not expected  # None only where nothing near `values` holds
            empty += 1
            continue
        sub, order = made
        assert order == sorted(free)
        got = {c for c in itertools.product((0, 1), repeat=len(order)) if sub_holds(sub, c)}
        assert got == expected
        status = sub.solve(workers=1, with_objective=False).status
        assert (status in ("feasible", "optimal")) == bool(expected), status
        decided += 1
    assert decided > 200 and empty > 10  # both outcomes were met


def test_around_carries_the_objective_over_the_free_variables():
    cp = CpModel()
    x = [cp.new_bool(f"x{i}") for i in range(4)]
    cp.add_linear([(v, 1) for v in x], 2, None)
    cp.minimize([(x[0], 5), (x[1], 1), (x[2], 3), (x[3], 2)])
    made = cp.around([1, 0, 0, 0], {x[1], x[2], x[3]})
    assert made is not None
    sub, order = made
    assert order == [x[1], x[2], x[3]]
    assert sub.objective == [(0, 1), (1, 3), (2, 2)]
    r = sub.solve(workers=1)
    # x0 fixed at 1: one more unit, the cheapest of the free ones (x1).
    assert r.status == "optimal" and [r.values[i] for i in range(3)] == [1, 0, 0]


def independent_optimum(cp: CpModel, objective, kept) -> float | None:
    """The relaxation's optimum from a GLOP model built here with only the kept rows."""
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    columns = {v: lp.NumVar(lo, hi, "") for v, (lo, hi) in enumerate(cp.domains)}
    for enforce, data in zip(cp.enforcement, cp.bodies):
        if data[0] != "linear" or len(enforce) != 1 or enforce[0] not in kept:
            continue
        lo = -lp.infinity() if data[2] < -(2**62) else data[2]
        hi = lp.infinity() if data[3] > 2**62 else data[3]
        row = lp.Constraint(lo, hi)
        for v, c in data[1]:
            row.SetCoefficient(columns[v], c)
    goal = lp.Objective()
    for v, c in objective:
        goal.SetCoefficient(columns[v], c)
    goal.SetMinimization()
    return goal.Value() if lp.Solve() == pywraplp.Solver.OPTIMAL else None


def test_a_relaxation_resolved_from_its_last_basis_equals_one_built_with_only_the_kept_rows():
    rng = random.Random("cpsat-relaxation")
    compared = 0
    for _ in range(60):
        cp = CpModel()
        n = rng.randint(4, 12)
        x = [cp.new_bool(f"x{i}") for i in range(n)]
        guards = [cp.new_bool(f"g{j}") for j in range(5)]
        for g in guards:
            terms = [(v, rng.randint(1, 9)) for v in rng.sample(x, rng.randint(1, n))]
            total = sum(c for _, c in terms)
            if rng.random() < 0.5:
                cp.add_linear(terms, rng.randint(0, total), None, [g])
            else:
                cp.add_linear(terms, None, rng.randint(0, total), [g])
        objective = [(v, rng.randint(-5, 9)) for v in x]
        relaxation = Relaxation(cp, guards, objective)
        for _ in range(6):
            kept = {g for g in guards if rng.random() < 0.6}
            got = relaxation.solve(kept)
            want = independent_optimum(cp, objective, kept)
            assert (got is None) == (want is None)
            if want is not None:
                assert abs(relaxation.optimum - want) < 1e-6, (relaxation.optimum, want)
                compared += 1
    assert compared > 200


def test_around_sees_constraints_added_after_a_truncate():
    # The variables' reach is cached; constraints dropped and others added in their place
    # (as many) must not be read through the old cache.
    cp = CpModel()
    x = [cp.new_bool(f"x{i}") for i in range(3)]
    cp.add_linear([(x[0], 1), (x[1], 1)], 1, None)
    marker = cp.mark()
    cp.add_linear([(x[2], 1)], 1, None)  # x2 must be taken
    made = cp.around([0, 1, 1], {x[0]})
    assert made is not None
    cp.truncate(marker)
    cp.add_linear([(x[0], 1)], 1, None)  # now x0 must be taken, and only x0 is free
    made = cp.around([0, 1, 0], {x[0]})
    assert made is not None
    sub, _ = made
    assert sub_holds(sub, [1]) and not sub_holds(sub, [0])
