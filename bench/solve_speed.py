"""Benchmark: `pathway solve` on each seed model against `import ortools.sat.python.cp_model`.

Runs the two commands alternately (so machine noise hits both alike) and prints median wall
times and their ratio; then times build + solve + verify in-process for every shipped scenario.
Target (issue 9): pathway solve <= 0.50 x the import alone. Usage: python bench/solve_speed.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from timing import wall

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
IMPORT = [sys.executable, "-c", "import ortools.sat.python.cp_model"]


def main(rounds: int) -> None:
    pathway = [sys.executable, "-m", "pathway.cli"]
    print(f"{'model':55} {'pathway':>9} {'import':>9} {'ratio':>6}")
    for model in MODELS:
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(wall([*pathway, "solve", str(model), "--format", "json"]))
            theirs.append(wall(IMPORT))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"{model.stem:55} {a * 1000:7.0f}ms {b * 1000:7.0f}ms {a / b:6.2f}")

    sys.path.insert(0, str(ROOT / "src"))
    from pathway.api import load
    from pathway.solver import solve

    print(f"\n{'in-process: scenario':55} {'load':>8} {'solve+verify':>13}")
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        loads, solves = [], []
        for _ in range(rounds):
            t0 = time.perf_counter()
            scenario = load(path)
            t1 = time.perf_counter()
            solve(scenario)
            t2 = time.perf_counter()
            loads.append(t1 - t0)
            solves.append(t2 - t1)
        print(
            f"{path.stem:55} {statistics.median(loads) * 1000:6.1f}ms "
            f"{statistics.median(solves) * 1000:11.1f}ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
