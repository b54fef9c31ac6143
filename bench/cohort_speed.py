"""`pathway plan` on the seed diploma's cohorts, beside the joint model alone and HiGHS.

Cohorts of the OCR Level 2 Diploma in Customer Service (models/ocr-l2-diploma-customer-
service.yaml): each learner holds 0-6 of its 39 units, drawn uniformly at random (seeded);
class size 8, at least 3 learners for a unit to run; objective min-taught-glh. For each cohort
it prints, with status, taught GLH, bound, seconds and CPU seconds (the machine may be shared:
CPU time says what the run itself used):
- pathway plan as the command runs it: every learner's own cheapest pathway, then least
  taught GLH by counts of interchangeable units (cohort_counts.py) on half the time, then the
  joint model for what is left; `to prove` is the time at which taught GLH was proven, before
  the later aims (the learners' own GLH);
- the joint model alone (`plan(by_counts=False)`, the method before counts), same limit;
- HiGHS on the joint model (every linear row of the CP-SAT model, exported as JSON, solved by
  highspy in a subprocess: ortools and highspy ship conflicting HiGHS libraries).
Two proven answers that differ, a plan below a proven optimum or a bound above it is a bug:
printed loudly, exit status 1.

Usage: python bench/cohort_speed.py [--learners 16 100] [--seeds 0 1 2] [--time-limit 60]
       [--workers 2] [--no-highs] [--no-joint]
Needs the `bench` extra for HiGHS: pip install -e '.[bench]'
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIPLOMA = ROOT / "models" / "ocr-l2-diploma-customer-service.yaml"
INT_LIMIT = 2**62  # CP-SAT's "no bound" is +-2**63-1; anything past this is infinite


def bench_cohort(learners: int, seed: int = 0, class_size: int = 8, min_class: int = 3):
    """A cohort of the seed diploma: learner i holds a uniform random 0-6 of its units."""
    from pathway.cohort import Centre, Cohort, Learner
    from pathway.loader import load_model
    from pathway.scenario import scenario_for_model, with_situation

    q = load_model(DIPLOMA)
    rng = random.Random(seed)
    ids = [u.id for u in q.units]
    base = scenario_for_model(q)
    cohort = []
    for i in range(learners):
        held = rng.sample(ids, rng.randint(0, 6))
        name = f"L{i + 1:03d}"
        s = with_situation(base, achieved=held)
        s.title = name
        cohort.append(Learner(name, s))
    name = f"{learners} learners, seed {seed}"
    return Cohort(str(DIPLOMA), name, Centre(class_size, min_class), cohort)


def export(cohort, path: Path) -> int:
    """The joint model's variables, rows and objective as JSON, for the HiGHS subprocess.
    Every enforcement literal of a min-taught-glh model is the constant "all complete"."""
    from pathway.cohort_plan import cohort_model

    cp = cohort_model(cohort)
    rows = []
    for enforce, body in zip(cp.enforcement, cp.bodies):
        if any(cp.domains[e] != (1, 1) for e in enforce) or body[0] != "linear":
            raise SystemExit("the model has a row HiGHS cannot take as it is")
        rows.append([list(body[1]), body[2], body[3]])
    doc = {"domains": cp.domains, "rows": rows, "objective": cp.objective}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return len(rows)


def highs(path: Path, time_limit: float, threads: int) -> dict:
    """Run this file in --highs mode in its own process."""
    command = [sys.executable, __file__, "--highs", str(path), "--time-limit", str(time_limit)]
    command += ["--workers", str(threads)]
    try:
        done = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=time_limit + 120
        )
    except subprocess.TimeoutExpired:
        return {"status": f"no answer in {time_limit + 120:.0f} s (its time limit + 120 s)"}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        return {"status": f"error: {done.stderr.strip()[-200:]}"}
    return json.loads(lines[-1])


def highs_main(path: Path, time_limit: float, threads: int) -> None:
    """--highs: solve the exported model with highspy and print one JSON line."""
    started = time.perf_counter()
    import highspy
    import numpy as np

    doc = json.loads(path.read_text(encoding="utf-8"))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)  # whole-number objective: a gap below 1 proves it
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", threads)
    n = len(doc["domains"])
    cost = np.zeros(n)
    for v, c in doc["objective"]:
        cost[v] = c
    lower = np.array([lo for lo, _ in doc["domains"]], dtype=float)
    upper = np.array([hi for _, hi in doc["domains"]], dtype=float)
    empty = np.zeros(0, np.int32)
    h.addCols(n, cost, lower, upper, 0, empty, empty, np.zeros(0))
    everything = np.arange(n, dtype=np.int32)
    h.changeColsIntegrality(n, everything, np.full(n, highspy.HighsVarType.kInteger, np.uint8))
    lo_rows, hi_rows, starts, cols, vals = [], [], [], [], []
    for terms, lo, hi in doc["rows"]:
        starts.append(len(cols))
        for v, c in terms:
            cols.append(v)
            vals.append(c)
        lo_rows.append(-np.inf if lo <= -INT_LIMIT else lo)
        hi_rows.append(np.inf if hi >= INT_LIMIT else hi)
    h.addRows(
        len(lo_rows),
        np.array(lo_rows, dtype=float),
        np.array(hi_rows, dtype=float),
        len(cols),
        np.array(starts, dtype=np.int32),
        np.array(cols, dtype=np.int32),
        np.array(vals, dtype=float),
    )
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus()).lower().replace(" ", "_")
    out: dict = {"status": status}
    if info.primal_solution_status == 2:
        out["value"] = round(info.objective_function_value)
        out["bound"] = round(info.mip_dual_bound, 3)
    out["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(out))


def timed_plan(cohort, time_limit: float, workers: int, by_counts: bool) -> dict:
    """plan() as the command runs it, with the time at which taught GLH was proven."""
    from pathway.cohort_plan import plan

    started, cpu = time.monotonic(), time.process_time()
    result = plan(cohort, time_limit=time_limit, workers=workers, by_counts=by_counts)
    t = result.timings
    return {
        "result": result,
        "status": result.status.value,
        "value": result.value[0] if result.value else None,
        "bound": result.bound,
        "proven": sum(t.get(k, 0) for k in ("alone", "build", "counts", "taught_glh")),
        "seconds": time.monotonic() - started,
        "cpu": time.process_time() - cpu,
    }


def said(run: dict) -> str:
    value, bound = run["value"], run["bound"]
    gap = "" if bound is None or not value else f" gap {(value - bound) / value:.2%}"
    shown = f" bound {bound}" if bound is not None else ""
    return (
        f"{run['status']} {value}{shown}{gap}, "
        f"{run['proven']:.2f} s to {'prove' if run['status'] == 'optimal' else 'stop'}, "
        f"{run['seconds']:.2f} s in all, CPU {run['cpu']:.2f} s"
    )


def disagreement(a: dict, b: dict) -> str | None:
    """Two proven answers that differ, or a plan below (or a bound above) a proven optimum."""
    for p, q in ((a, b), (b, a)):
        if p["status"] == "optimal":
            if q["status"] == "optimal" and q["value"] != p["value"]:
                return f"both proven, {p['value']} against {q['value']}"
            if q["status"] == "infeasible":
                return f"{p['value']} proven, and no plan proven"
            if q["value"] is not None and q["value"] < p["value"]:
                return f"a plan of {q['value']} below the proven {p['value']}"
            if q["bound"] is not None and q["bound"] > p["value"]:
                return f"a bound of {q['bound']} above the proven {p['value']}"
    return None


def run(learners: int, seed: int, args) -> bool:
    """One cohort: pathway plan, the joint model alone and HiGHS; False on a disagreement."""
    ours = timed_plan(bench_cohort(learners, seed), args.time_limit, args.workers, True)
    result = ours["result"]
    counts = result.timings.get("counts", 0)
    print(
        f"{result.cohort.name}: pathway {said(ours)} (own pathways "
        f"{result.timings.get('alone', 0):.2f} s, counts {counts:.2f} s); own cheapest "
        f"pathways offered as they are: {result.individual_glh}",
        flush=True,
    )
    fine = True
    if not args.no_joint:
        joint = timed_plan(bench_cohort(learners, seed), args.time_limit, args.workers, False)
        print(f"    the joint model alone (by_counts=False): {said(joint)}", flush=True)
        wrong = disagreement(ours, joint)
        if wrong:
            print(f"!!!!! DISAGREEMENT, {result.cohort.name}: {wrong} !!!!!", flush=True)
            fine = False
    if not args.no_highs:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cohort.json"
            rows = export(bench_cohort(learners, seed), path)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            peer = highs(path, args.time_limit, args.workers)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            peer["cpu_seconds"] = round(used, 2)
        print(f"    HiGHS, the joint model ({rows} rows): {json.dumps(peer)}", flush=True)
    return fine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[16, 100])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-highs", action="store_true")
    parser.add_argument("--no-joint", action="store_true", help="skip the joint model alone")
    parser.add_argument("--highs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.highs is not None:
        highs_main(args.highs, args.time_limit, args.workers)
        return
    fine = True
    for learners in args.learners:
        for seed in args.seeds:
            fine = run(learners, seed, args) and fine
    if not fine:
        sys.exit(1)


if __name__ == "__main__":
    main()
