"""Ctrl-C in a program that calls the library (not the CLI, which ends with os._exit): the
KeyboardInterrupt reaches the caller, and the process ends as an interrupted Python program
does. It aborted in OR-Tools' destructors ("terminate called without an active exception",
exit 134) when it exited right after the search stopped, because the thread that had run the
search was still tearing down (cpsat._ended). A thread kept alive for every search instead
(tried and reviewed) left the process with two threads after one solve, so process pools no
longer forked (workers.start_method): the last two tests hold that."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
sys.path.insert(0, {bench!r})
from synthetic import synthetic_model, synthetic_scenario, write_yaml
from pathway import load, solve
write_yaml(synthetic_model(10000, 0), {model!r})
write_yaml(synthetic_scenario(10000, 0, "m.yaml"), {scenario!r})
s = load({scenario!r})
print("solving", flush=True)
solve(s, objectives=["max-preference"])
print("finished", flush=True)
"""


def test_ctrl_c_in_a_library_caller_ends_as_an_interrupt_not_an_abort(tmp_path):
    script = SCRIPT.format(
        bench=str(ROOT / "bench"),
        model=str(tmp_path / "m.yaml"),
        scenario=str(tmp_path / "s.yaml"),
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "solving\n"
    time.sleep(1.0)  # into the search (about 4 s here)
    assert process.poll() is None, "the solve ended before it could be interrupted"
    os.kill(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert "terminate called" not in err
    assert err.rstrip().endswith("KeyboardInterrupt"), err[-500:]
    # An uncaught KeyboardInterrupt ends Python by SIGINT (or 130 where it cannot).
    assert process.returncode in (-signal.SIGINT, 130), process.returncode
    assert "finished" not in out


RANK_AFTER_SOLVE = """
import pathway
from pathway.compare import Learner
from pathway.rank import rank
from pathway.workers import start_method

pathway.solve(pathway.load("scenarios/ocr-l2-diploma-cheapest.yaml"))
print(start_method(), flush=True)
r = rank("models", Learner(), every=True, workers=2)
print(len(r.rows), flush=True)
"""


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads counted in /proc")
def test_a_library_solve_leaves_the_process_forkable():
    done = _run(RANK_AFTER_SOLVE.split("print(start_method()")[0] + "print(start_method())\n")
    assert done.returncode == 0, done.stderr[-800:]
    # One thread before the solve, one after it (as before b6fe53e): pools fork.
    assert done.stdout.split() == ["fork"], done.stdout


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads counted in /proc")
def test_a_script_without_a_main_guard_can_rank_after_a_solve(tmp_path):
    # A file, not -c: a forkserver's worker runs the main script's file again.
    path = tmp_path / "script.py"
    path.write_text(f"import os\nos.chdir({str(ROOT)!r})\n" + RANK_AFTER_SOLVE)
    done = subprocess.run(
        [sys.executable, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "BrokenProcessPool" not in done.stderr, done.stderr[-800:]
    assert done.returncode == 0, done.stderr[-800:]
    lines = done.stdout.split()
    # Every model of the catalogue ranked (--all): one row per file of models/.
    assert lines[-1] == str(len(list((ROOT / "models").glob("*.yaml")))), done.stdout
