"""A solve cut short by a time limit, checked against the same solve run to its end."""

from __future__ import annotations


def check_against_best(got, best, sign: int, where) -> None:
    """`got` (a Solution under a limit) against `best` (the first pathway proven without
    one); `sign` is -1 where the first objective is max-preference. `optimal` must have the
    optimum's values (and its pathway where the tie-break is proven); `feasible` a pathway no
    better than the optimum and any bound on the right side of it; anything else is `unknown`
    with no pathway."""
    if got.status == "optimal":
        assert got.pathways[0].values == best.values, where
        if got.tie_break_proven:
            assert got.pathways[0].units == best.units, where
    elif got.status == "feasible":
        assert got.pathways and not got.tie_break_proven, where
        assert sign * got.pathways[0].values[0] >= sign * best.values[0], where
        if got.bound is not None:
            assert sign * got.bound <= sign * best.values[0], where
    else:
        assert got.status == "unknown" and not got.pathways, where
