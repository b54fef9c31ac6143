"""Shared by the benchmarks: wall time of a command, as on a user's machine."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Python caches compiled modules on a user's machine. Some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every run compile pathway's sources again while a peer's site-packages were
# compiled at install time: an unfair race, so it is unset for the commands timed.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], ok: tuple[int, ...] = (0,)) -> float:
    """Seconds one run of `cmd` takes, its output thrown away. An exit status outside `ok` stops
    the benchmark: a quick failure would otherwise be timed as a quick answer."""
    started = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr[-500:]!r}")
    return seconds


@dataclass
class Run:
    """One run of a command: its wall time, exit status and output."""

    seconds: float
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str


def run(cmd: list[str], timeout: float | None = None) -> Run:
    """Seconds one run of `cmd` takes, with its exit status and output kept for the caller to
    judge (a quick failure must not be read as a quick answer). Killed after `timeout`."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or b""
        err = expired.stderr or b""
        return Run(
            time.perf_counter() - started,
            None,
            out.decode() if isinstance(out, bytes) else out,
            err.decode() if isinstance(err, bytes) else err,
        )
    return Run(time.perf_counter() - started, done.returncode, done.stdout, done.stderr)
