"""Benchmark of issue 10: large synthetic rules of combination, pathway beside HiGHS.

For each size and objective, one seeded synthetic model (bench/synthetic.py: groups of about 20
units with credit floors and caps, at least one unit per group, a total and a Level-4 credit
floor, barred pairs, GLH 10-80, random preference weights) is written to a temporary folder, and
`pathway solve FILE -o OBJECTIVE --format json --time-limit T` is timed as a subprocess, beside
bench/highs_peer.py (the same 0-1 problem built in highspy directly, in its own process: ortools
and highspy ship conflicting HiGHS libraries). Both times are wall times of the whole command,
start-up and model load included. Where both prove an optimum the values must agree; a mismatch
is a bug and is printed loudly.

Targets (issue 10), printed beside the figures:
- 10,000 units, min-glh and max-preference: pathway proven (with its unique tie-break) in no
  more than HiGHS's time; 50,000 units, max-preference: proven within 60 s;
- the tie-break under 20% of the solve at 1,000 units: the solve's time (`--timings`) beyond
  one solve of the objective alone, measured in this run ("n/a" where either is missing);
- with --explain: the same models infeasible by one budget (`--max-glh` one below the optimum)
  explained minimally in under 1 s at 1,000 units and 10 s at 10,000; 3,000 harmless rules and
  a two-rule conflict (/work/shared/repro/make_infeasible_rules.py) in under 2 s;
  hard-to-explain.yaml minimal (R1, R2) in under 2 s.

Usage: python bench/large.py [--sizes 1000,10000,50000] [--objectives min-glh,max-preference]
       [--time-limit 120] [--seed 0 | --seeds 0,1,2] [--explain] [--skip-solve] [--workers 1]
Needs highspy (the `bench` extra: pip install -e '.[bench]'); without it the HiGHS columns say
so and pathway is still timed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from synthetic import synthetic_model, synthetic_scenario, write_yaml
from timing import ROOT, Run, run

BENCH = Path(__file__).resolve().parent
REPRO = Path("/work/shared/repro")
PEER = BENCH / "highs_peer.py"
PATHWAY = [sys.executable, "-m", "pathway.cli"]


def pathway_command() -> list[str]:
    script = Path(sys.executable).parent / "pathway"
    return [str(script)] if script.exists() else PATHWAY


def last_json(text: str) -> dict | None:
    """The JSON document a command printed (highspy prints a banner before it)."""
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


def limit_for(time_limit: float) -> float:
    """When to kill a command given --time-limit: it loads, solves and explains within it, so
    well past it means it ignored the limit."""
    return time_limit * 1.5 + 60


def instance(folder: Path, size: int, seed: int, objective: str) -> Path:
    """The model file (min-glh) or the scenario weighting it (max-preference); written once."""
    model = folder / f"synthetic-{size}-{seed}.yaml"
    if not model.exists():
        write_yaml(synthetic_model(size, seed), model)
    if objective == "min-glh":
        return model
    scenario = folder / f"synthetic-{size}-{seed}-preferences.yaml"
    if not scenario.exists():
        write_yaml(synthetic_scenario(size, seed, model.name), scenario)
    return scenario


def tie_break_share(doc: dict | None, alone: float | None) -> str:
    """What the tie-break costs: the share of the solving time (`--timings`) beyond `alone`,
    one solve of the objective alone measured in this run. The solves that settle the tie may
    also prove the objective (where both are minimised together), so the phases' own split
    would understate it."""
    parts = (doc or {}).get("timings") or {}
    solving = parts.get("objective", 0) + parts.get("tie_break", 0)
    if not solving or alone is None:
        return "n/a"
    return f"{100 * max(solving - alone, 0) / solving:.0f}%"


def objective_alone(path: Path, objective: str) -> float | None:
    """Seconds of one CP-SAT solve of the objective alone, with no tie-break, on the model
    pathway builds (in this process, one worker): the floor the tie-break adds to."""
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from pathway.api import load
        from pathway.compile import compile_scenario, objective_terms
        from pathway.solver import search_parameters
    except ImportError:
        return None
    s = load(path)
    c = compile_scenario(s)
    for guard in c.guards:
        c.cp.add_linear([(guard.literal, 1)], 1, 1)
    c.cp.minimize(objective_terms(objective, s, c))
    extra = search_parameters(objective, len(c.take))  # as pathway searches
    started = time.perf_counter()
    r = c.cp.solve(workers=1, extra=extra)
    seconds = time.perf_counter() - started
    return seconds if r.status == "optimal" else None


def highs(path: Path, objective: str, time_limit: float, max_glh: int | None = None):
    cmd = [sys.executable, str(PEER), str(path), "-o", objective, "--time-limit", str(time_limit)]
    if max_glh is not None:
        cmd += ["--max-glh", str(max_glh)]
    r = run(cmd, timeout=limit_for(time_limit))
    return r, last_json(r.stdout)


def have_highspy() -> bool:
    r = run([sys.executable, "-c", "import highspy"])
    return r.returncode == 0


def pathway_solve(path: Path, objective: str, time_limit: float, extra=()) -> tuple[Run, dict]:
    cmd = [*pathway_command(), "solve", str(path), "-o", objective, "--format", "json", "--timings"]
    cmd += ["--time-limit", str(time_limit), *extra]
    r = run(cmd, timeout=limit_for(time_limit))
    return r, last_json(r.stdout) or {}


def status_of(r: Run, doc: dict) -> str:
    """The status, with ", tie?" where the objective is proven and its tie-break is not."""
    if r.returncode is None:
        return "KILLED"
    if doc.get("status") == "optimal" and doc.get("tie_break_proven") is False:
        return "optimal, tie?"
    if doc.get("status"):
        return doc["status"]
    return f"exit {r.returncode}"


def agreement(objective: str, ours: dict, theirs: dict | None) -> str:
    """Whether the two agree, and loudly where they cannot both be right."""
    if not theirs or theirs.get("status") != "optimal" or "value" not in theirs:
        return "-"
    best = theirs["value"]
    value = (ours.get("objective") or {}).get("value")
    bound = (ours.get("objective") or {}).get("bound")
    status = ours.get("status")
    if value is None:
        return "-"
    better = value < best if objective == "min-glh" else value > best
    if status == "optimal":
        return "yes" if value == best else "MISMATCH"
    if better:
        return "MISMATCH"  # a pathway better than a proven optimum
    if bound is not None:
        wrong = bound > best if objective == "min-glh" else bound < best
        if wrong:
            return "BOUND WRONG"
    return "same value, unproven" if value == best else "worse, unproven"


def target(size: int, objective: str) -> str:
    if size == 50_000 and objective == "max-preference":
        return "<= 60 s"
    if size >= 10_000:
        return "<= HiGHS"
    if size == 1_000:
        return "tie < 20%"
    return "-"


def verdict(size, objective, status, seconds, highs_seconds, share) -> str:
    if status != "optimal":
        return "MISSED"
    if size == 50_000 and objective == "max-preference":
        return "ok" if seconds <= 60 else "OVER"
    if size >= 10_000:
        if highs_seconds is None:
            return "?"
        return "ok" if seconds <= highs_seconds else "OVER"
    if size == 1_000:
        if share == "n/a":
            return "n/a"
        return "ok" if float(share.rstrip("%")) < 20 else "OVER"
    return "-"


def load_seconds(path: Path) -> float | None:
    """pathway.load in this process (YAML read, checks, build): the part of the wall time that
    is not the solve."""
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from pathway.api import load
    except ImportError:
        return None
    started = time.perf_counter()
    load(path)
    return time.perf_counter() - started


def solve_table(
    folder, sizes, objectives, seeds, time_limit, peer_ok, optima, workers: int = 1
) -> list[str]:
    """One row per size, objective and seed; `optima` gets the first seed's min-glh optima (the
    infeasible cases' budgets)."""
    problems = []
    header = (
        f"{'units':>6} {'seed':>4} {'objective':14} | {'pathway':14} {'value':>8} {'bound':>10}"
        f" {'wall s':>8} {'load s':>7} {'tie':>4} | {'HiGHS':10} {'value':>8} {'wall s':>7}"
        f" {'run s':>6} | {'ratio':>6} {'agree':22} {'target':10} {'verdict':7}"
    )
    print(header)
    print("-" * len(header))
    for size, seed, objective in (
        (size, seed, objective) for size in sizes for seed in seeds for objective in objectives
    ):
        path = instance(folder, size, seed, objective)
        r, doc = pathway_solve(path, objective, time_limit, ("--workers", str(workers)))
        status = status_of(r, doc)
        obj = doc.get("objective") or {}
        value, bound = obj.get("value"), obj.get("bound")
        share = tie_break_share(doc, objective_alone(path, objective))
        loaded = load_seconds(path)
        if peer_ok:
            hr, hd = highs(path, objective, time_limit)
            hd = hd or {
                "status": f"exit {hr.returncode}" if hr.returncode is not None else "KILLED"
            }
            hs, hv, hsec, hrun = (
                hd.get("status"),
                hd.get("value"),
                hr.seconds,
                hd.get("highs_seconds"),
            )
        else:
            hd, hs, hv, hsec, hrun = None, "no highspy", None, None, None
        if objective == "min-glh" and seed == seeds[0]:
            if hd and hd.get("status") == "optimal":
                optima[size] = hd["value"]
            elif status.startswith("optimal"):
                optima[size] = value
        agree = agreement(objective, doc, hd)
        ratio = f"{r.seconds / hsec:6.2f}" if hsec else "     -"
        print(
            f"{size:>6} {seed:>4} {objective:14} | {status:14} {_n(value):>8} {_n(bound):>10}"
            f" {r.seconds:8.2f} {_f(loaded, 7)} {share:>4} | {hs:10} {_n(hv):>8}"
            f" {_f(hsec, 7)} {_f(hrun, 6)} | {ratio} {agree:22} {target(size, objective):10}"
            f" {verdict(size, objective, status, r.seconds, hsec, share):7}",
            flush=True,
        )
        if agree in ("MISMATCH", "BOUND WRONG"):
            line = (
                f"!!! {agree} at {size} units, seed {seed}, {objective}: pathway {status}"
                f" value {value} bound {bound}, HiGHS {hs} value {hv}: a bug"
            )
            print(line, flush=True)
            problems.append(line)
        if r.returncode not in (0,) and status not in ("optimal", "feasible"):
            problems.append(f"pathway at {size}/{seed}/{objective}: {status} {r.stderr[-300:]!r}")
    return problems


def _n(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and not x.is_integer():
        return f"{x:.1f}"
    return str(int(x)) if isinstance(x, (int, float)) else str(x)


def _f(x, width: int) -> str:
    return f"{x:{width}.2f}" if x is not None else f"{'-':>{width}}"


def explain_cases(folder: Path, seed: int, time_limit: float, optima: dict, peer_ok: bool):
    """(name, file, extra flags, objective, expected conflict keys or None, budget expected,
    target seconds) for each infeasible instance."""
    cases = []
    for size, goal in ((1_000, 1.0), (10_000, 10.0)):
        path = instance(folder, size, seed, "min-glh")
        best = optima.get(size)
        if best is None and peer_ok:
            _, hd = highs(path, "min-glh", time_limit)
            if hd and hd.get("status") == "optimal":
                best = hd["value"]
        if best is None:
            _, doc = pathway_solve(path, "min-glh", time_limit)
            if doc.get("status") == "optimal":
                best = doc["objective"]["value"]
        if best is None:
            print(f"(no proven min-glh optimum at {size} units: budget case skipped)")
            continue
        flags = ["--max-glh", str(best - 1)]
        cases.append((f"{size} units, max-glh {best - 1}", path, flags, None, True, goal))
    maker = REPRO / "make_infeasible_rules.py"
    if maker.exists():
        path = folder / "infeasible-3000-rules.yaml"
        made = run([sys.executable, str(maker), "3000"])
        path.write_text(made.stdout, encoding="utf-8")
        cases.append(("3000 rules + 2-rule conflict", path, [], ["R3001", "R3002"], False, 2.0))
    else:
        print(f"({maker} not found: its case is skipped)")
    hard = REPRO / "hard-to-explain.yaml"
    if hard.exists():
        cases.append(("hard-to-explain.yaml", hard, [], ["R1", "R2"], False, 2.0))
    else:
        print(f"({hard} not found: its case is skipped)")
    return cases


def explain_table(folder, seed, time_limit, optima, peer_ok) -> list[str]:
    problems = []
    cases = explain_cases(folder, seed, time_limit, optima, peer_ok)
    header = (
        f"{'case':34} {'status':10} {'exit':>4} {'wall s':>8} {'minimal':>7} {'n':>3}"
        f" {'conflicts':40} {'expected':12} {'target':>7} {'verdict':7}"
    )
    print(header)
    print("-" * len(header))
    for name, path, flags, expected, budget, goal in cases:
        cmd = [*pathway_command(), "solve", str(path), "-o", "min-glh", "--format", "json"]
        cmd += ["--time-limit", str(time_limit), *flags]
        r = run(cmd, timeout=limit_for(time_limit))
        doc = last_json(r.stdout) or {}
        status = status_of(r, doc)
        ex = doc.get("explanation") or {}
        conflicts = ex.get("conflicts") or []
        keys = [c.get("key") or c.get("kind") for c in conflicts]
        minimal = ex.get("minimal")
        shown = ", ".join(str(k) for k in keys)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        if expected is not None:
            want = ", ".join(expected)
            right = sorted(keys) == sorted(expected)
        else:
            want = "budget+rules"
            right = any(c.get("kind") == "budget" or "glh" in str(c.get("key")) for c in conflicts)
        ok = r.returncode == 1 and minimal is True and right and r.seconds < goal
        print(
            f"{name:34} {status:10} {_n(r.returncode):>4} {r.seconds:8.2f} {minimal!s:>7}"
            f" {len(conflicts):>3} {shown:40} {want:12} {'< ' + _n(goal) + ' s':>7}"
            f" {'ok' if ok else 'MISSED':7}",
            flush=True,
        )
        if conflicts and budget:
            says = [
                c.get("says", "") for c in conflicts if not str(c.get("key", "")).startswith("R")
            ]
            for line in says[:2]:
                print(f"    {line}")
        if r.returncode not in (1,):
            problems.append(f"{name}: exit {r.returncode} {r.stderr[-300:]!r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--objectives", default="min-glh,max-preference")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--seeds", help="several instances per size, e.g. 0,1,2 (the first for --explain)"
    )
    parser.add_argument("--explain", action="store_true", help="add the infeasible cases")
    parser.add_argument("--skip-solve", action="store_true", help="only the infeasible cases")
    parser.add_argument(
        "--workers", type=int, default=1, help="pathway's --workers (the tie share's floor: one)"
    )
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    objectives = [o.strip() for o in args.objectives.split(",") if o.strip()]
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [args.seed]
    for o in objectives:
        if o not in ("min-glh", "max-preference"):
            parser.error(f"unknown objective {o!r}")
    peer_ok = have_highspy()
    started = time.perf_counter()
    problems: list[str] = []
    optima: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="pathway-large-") as tmp:
        folder = Path(tmp)
        print(
            f"seeds {', '.join(map(str, seeds))}, --time-limit {args.time_limit:g},"
            f" --workers {args.workers}; wall s: the"
            " whole command (start-up and load included); load s: pathway.load in-process;"
            " run s: HiGHS's own run time; ratio: pathway wall / HiGHS wall"
            + ("" if peer_ok else "; highspy is not installed (pip install -e '.[bench]')")
        )
        if not args.skip_solve:
            problems += solve_table(
                folder, sizes, objectives, seeds, args.time_limit, peer_ok, optima, args.workers
            )
        if args.explain:
            print()
            problems += explain_table(folder, seeds[0], args.time_limit, optima, peer_ok)
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    for line in problems:
        print(line)
    return 1 if any("MISMATCH" in p or "BOUND WRONG" in p for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
