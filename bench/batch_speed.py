"""Benchmark: `pathway batch` learners per second per core, 1 job against 2, beside a plain loop.

Learners are random: each on one of the six seed qualifications, holding 0-6 of its units (as
issue 12 asks). Three rates:

- `loop`: `pathway.solve` on each learner's scenario in this process, the scenarios built
  beforehand (no reading, no JSON): what one core does at best;
- `batch -j 1` and `batch -j 2`: the whole command in its own process (start-up, reading the
  CSV, solving, writing JSON Lines), alternately, so machine noise hits both alike.

Each rate is given per wall second and per CPU second (user + system of every process of the
run: the command's own resource usage, which counts the workers it forked and waited for, or,
where that is less, the run's processes sampled from /proc, which also sees workers forked by a
forkserver). On a machine shared with other work, wall rates say how busy it was; the CPU rate
is what one core of your own would do. Target (issue 12): at least 300 learners per second per
core, near-linear on 2 cores.

`--against SRC` runs the command a second time from another copy of pathway's source (SRC is a
`src` folder, put first on PYTHONPATH), alternately with this one, as "before": a change's
effect measured side by side under the same load.

Usage: python bench/batch_speed.py [LEARNERS] [ROUNDS] [--against SRC]
       (defaults 3000 and 1; about 40 s, twice that with --against)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from timing import ENV

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def learners_file(path: Path, count: int, seed: int = 12) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from pathway.loader import load_model

    rng = random.Random(seed)
    models = {m: load_model(m) for m in SEED_MODELS}
    lines = ["id,qualification,achieved"]
    for i in range(count):
        model = rng.choice(SEED_MODELS)
        units = [u.id for u in models[model].units]
        held = rng.sample(units, rng.randint(0, min(6, len(units))))
        lines.append(f"L{i:06d},{model},{';'.join(held)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


SEED_MODELS = [
    ROOT / "models" / f"{name}.yaml"
    for name in (
        "ocr-l2-diploma-customer-service",
        "cg-5530-02-l2-diploma-customer-service",
        "ocr-l4-nvq-diploma-customer-service",
        "ocr-l2-nvq-customer-service",
        "ocr-09628-l2-certificate-principles-customer-service",
        "ocr-09629-l3-certificate-principles-customer-service",
    )
]


def loop_rate(path: Path) -> tuple[float, float]:
    """(learners per wall second, per CPU second) of pathway.solve in this process."""
    from pathway.learners import read_learners_csv, scenario_for_learner
    from pathway.solver import solve

    scenarios = [scenario_for_learner(row, None, path) for row in read_learners_csv(path)]
    for s in scenarios[:50]:
        solve(s)  # warm: imports, first solves
    wall, cpu = time.perf_counter(), time.process_time()
    for s in scenarios:
        solve(s)
    return len(scenarios) / (time.perf_counter() - wall), len(scenarios) / (
        time.process_time() - cpu
    )


def _tree_cpu(root: int, seen: dict[int, float]) -> None:
    """CPU seconds so far of `root` and every process descended from it, into `seen` (by
    pid; each process's own time, not its children's)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    for pid, cpu in times.items():
        p = pid
        while p in parents and p != root:
            p = parents[p]
        if p == root:
            seen[pid] = max(seen.get(pid, 0.0), cpu)


def batch_rate(path: Path, jobs: int, out: Path, src: str | None = None) -> tuple[float, float]:
    """(learners per wall second, per CPU second) of `pathway batch` in its own process (from
    the source folder `src`, when given)."""
    command = [sys.executable, "-m", "pathway.cli", "batch", str(path), "-j", str(jobs)]
    command += ["-O", str(out), "--force"]
    env = dict(ENV)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    sampled: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            _tree_cpu(process.pid, sampled)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}: {err[-500:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The command and the workers it waited for (forked ones), exactly; a forkserver's workers
    # are not its children, and only the samples (a tenth of a second short at most) see them.
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    count = sum(1 for _ in out.open(encoding="utf-8"))
    return count / wall, count / max(own, sum(sampled.values()))


def main(count: int, rounds: int, against: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "learners.csv"
        learners_file(path, count)
        print(f"{count:,} random learners on {len(SEED_MODELS)} seed qualifications, 0-6 held")
        print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        runs = [("", None)] + ([("before ", against)] if against else [])
        results: dict[str, list[tuple[float, float]]] = {"loop": []}
        outputs = {}
        for _ in range(rounds):
            results["loop"].append(loop_rate(path))
            for jobs in (1, 2):
                for label, src in runs:
                    out = Path(folder) / f"out{jobs}{label.strip()}.jsonl"
                    rate = batch_rate(path, jobs, out, src)
                    results.setdefault(f"{label}-j {jobs}", []).append(rate)
                    outputs[label, jobs] = out.read_bytes()
        print(f"{'run':10} {'learners/s':>11} {'per core':>9} {'per CPU-s':>10}")
        for name, rates in results.items():
            jobs = 2 if name.endswith("-j 2") else 1
            wall = statistics.median(r[0] for r in rates)
            cpu = statistics.median(r[1] for r in rates)
            print(f"{name:10} {wall:11.0f} {wall / jobs:9.0f} {cpu:10.0f}")
        print(f"-j 1 and -j 2 outputs byte-identical: {outputs['', 1] == outputs['', 2]}")
        if against:
            same = outputs["", 2] == outputs["before ", 2]
            print(f"outputs byte-identical to the run from {against}: {same}")
        print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("learners", nargs="?", type=int, default=3000)
    parser.add_argument("rounds", nargs="?", type=int, default=1)
    parser.add_argument("--against", metavar="SRC", help="another pathway source folder")
    args = parser.parse_args()
    main(args.learners, args.rounds, args.against)
