"""Benchmark of issue 10's explanation targets: each infeasible case explained in-process, beside
the floor measured in the same run (one plain CP-SAT proof, one worker, that the whole model
cannot hold: what any explanation needs at least once).

Cases: the synthetic rules of combination of bench/synthetic.py (seed 0) at 1,000 and 10,000
units with a GLH budget one under the min-glh optimum (the conflict is large: every rule that
keeps the cheapest pathway from being cheaper) and far under it (half the optimum: a small
conflict); 3,000 harmless rules plus a two-rule conflict (/work/shared/repro/
make_infeasible_rules.py); /work/shared/repro/hard-to-explain.yaml. Targets (issue 10): one
under, minimal in under 1 s at 1,000 units and 10 s at 10,000; 3,000 rules and hard-to-explain
minimal in under 2 s (the far-under cases have no target of their own).

Each explanation is `pathway.explain.explain(scenario)` with no time limit: the set, proven
minimal or not within the explainer's own budget (DEFAULT_SECONDS), and each budget's figure
(what the cheapest pathway needs, up to FIGURE_SECONDS more). Seconds are CPU seconds of this
process (the machine is shared; wall seconds beside them). `--before REV` also times the
explainer of git revision REV (its whole package, loaded beside this one as pathway_before:
the explainer calls into cpsat and compile, which change with it) on the same cases, in the
same run.

Usage: python bench/explain_speed.py [--sizes 1000,10000] [--before REV, e.g. c3f4bbd, the
       explainer before the search near the cheapest pathway] [--skip-floor]
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import synthetic_model, write_yaml
from timing import ROOT

sys.path.insert(0, str(ROOT / "src"))

import pathway
from pathway.compile import compile_scenario
from pathway.explain import explain
from pathway.solver import solve

REPRO = Path("/work/shared/repro")


def clock(work):
    """(result, CPU seconds, wall seconds) of work()."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def floor(s, limit: float = 20.0) -> tuple[str, float, float]:
    """One plain CP-SAT solve of the whole model, every guard on, no objective."""

    def prove() -> str:
        c = compile_scenario(s)
        r = c.cp.solve(
            workers=1,
            time_limit=limit,
            with_objective=False,
            true_literals=[g.literal for g in c.guards],
        )
        return r.status

    return clock(prove)


def old_explainer(rev: str):
    """explain() from `rev`: its whole src/pathway, as package `pathway_before` beside the
    current one (the explainer calls into cpsat and compile, which change with it)."""
    folder = Path(tempfile.mkdtemp(prefix="pathway-explain-before-"))
    archive = subprocess.run(
        ["git", "archive", rev, "src/pathway"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "src" / "pathway").rename(folder / "pathway_before")
    sys.path.insert(0, str(folder))
    return importlib.import_module("pathway_before")


def cases(folder: Path, sizes: list[int]):
    """(name, make, expected keys or None, target seconds or None): make(package) builds the
    case's scenario with that package (pathway, or an older one: its classes differ)."""
    out = []
    for size in sizes:
        path = folder / f"synthetic-{size}-0.yaml"
        write_yaml(synthetic_model(size, 0), path)
        base = pathway.load(path)
        best = solve(base, objectives=["min-glh"], time_limit=120, explain=False)
        if best.status.value != "optimal":
            print(f"(no proven min-glh optimum at {size} units: its cases are skipped)")
            continue
        glh = best.best.values[0]
        goal = 1.0 if size == 1_000 else 10.0 if size == 10_000 else None
        for name, limit, target in (("one under", glh - 1, goal), ("far under", glh // 2, None)):

            def make(package, path=path, limit=limit):
                return package.with_situation(package.load(path), max_glh=limit)

            out.append((f"{size} units, max-glh {limit} ({name})", make, None, target))
    maker = REPRO / "make_infeasible_rules.py"
    if maker.exists():
        path = folder / "infeasible-3000-rules.yaml"
        made = subprocess.run(
            [sys.executable, str(maker), "3000"], capture_output=True, text=True, check=True
        )
        path.write_text(made.stdout, encoding="utf-8")
        out.append(("3000 rules + 2-rule conflict", loader(path), ["R3001", "R3002"], 2.0))
    else:
        print(f"({maker} not found: its case is skipped)")
    hard = REPRO / "hard-to-explain.yaml"
    if hard.exists():
        out.append(("hard-to-explain.yaml", loader(hard), ["R1", "R2"], 2.0))
    else:
        print(f"({hard} not found: its case is skipped)")
    return out


def loader(path: Path):
    return lambda package: package.load(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--before", metavar="REV", help="also time REV's explainer")
    parser.add_argument("--skip-floor", action="store_true")
    args = parser.parse_args()
    sizes = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
    before = old_explainer(args.before) if args.before else None
    header = (
        f"{'case':40} | {'floor':10} {'cpu s':>6} {'wall s':>6} | {'explain cpu s':>13}"
        f" {'wall s':>6} {'n':>4} {'minimal':>7} {'target':>7} {'verdict':7}"
    )
    if before:
        header += f" | {'before cpu s':>12} {'n':>4} {'minimal':>7}"
    print("CPU seconds of this process; one worker; floor: one plain CP-SAT proof")
    print(header)
    print("-" * len(header))
    wrong = []
    with tempfile.TemporaryDirectory(prefix="pathway-explain-") as tmp:
        for name, make, expected, goal in cases(Path(tmp), sizes):
            s = make(pathway)
            if args.skip_floor:
                status, fcpu, fwall = "-", 0.0, 0.0
            else:
                status, fcpu, fwall = floor(s)
            e, cpu, wall = clock(lambda s=s: explain(s))
            keys = [c.key for c in e.conflicts]
            right = expected is None or sorted(keys) == sorted(expected)
            met = goal is not None and e.minimal and right and cpu < goal
            verdict = "-" if goal is None else "ok" if met else "MISSED"
            line = (
                f"{name:40} | {status:10} {fcpu:6.2f} {fwall:6.2f} | {cpu:13.2f} {wall:6.2f}"
                f" {len(keys):4} {e.minimal!s:>7} {'< ' + format(goal, 'g') if goal else '-':>7}"
                f" {verdict:7}"
            )
            if before:
                old_s = make(before)
                old_explain = importlib.import_module("pathway_before.explain").explain
                old, ocpu, _ = clock(lambda f=old_explain, s=old_s: f(s))
                line += f" | {ocpu:12.2f} {len(old.conflicts):4} {old.minimal!s:>7}"
            print(line, flush=True)
            if not right:
                wrong.append(f"{name}: named {keys}, expected {expected}")
    for line in wrong:
        print("!!!", line)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
