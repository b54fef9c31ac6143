"""Worker processes shared by the commands that spread independent solves over every core
(`rank`, `batch`): how they start, and how they behave when the run is interrupted or killed.
"""

from __future__ import annotations

import os
import time

# Modules a worker needs for any task, imported once in the forkserver that forks the workers
# (not again in every worker). `__main__` first, as multiprocessing's default preload has it:
# otherwise every worker runs the main script (the command line's module) again.
PRELOAD = ["__main__", "pathway.workers", "pathway.compare", "pathway.batch", "pathway.solver"]


def pool(jobs: int, finish_on_interrupt: bool = True):
    """A pool of `jobs` worker processes (started as `start_method` says), each set up by
    `quiet_worker`: on Ctrl-C they finish the task in hand (`finish_on_interrupt`: a batch's
    chunk, a fraction of a second), or end at once, even inside a long solve (a rank's answer
    is whole or nothing, so a task cut short loses nothing)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=quiet_worker,
        initargs=(os.getpid(), finish_on_interrupt),
    )


def start_method() -> str:
    """How workers start. A process with one thread is forked: its workers start at once, with
    pathway already imported (about 0.25 s sooner than from a forkserver, on a run of a few
    seconds). One that may hold other threads (OR-Tools' after a solve with several workers, a
    notebook's, a test runner's) is never forked itself: its workers come from a forkserver,
    which imports pathway once for all of them."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _single_threaded():
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _single_threaded() -> bool:
    """Whether this process runs one thread, native ones included (Linux's /proc says; where
    it cannot be known, no)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def quiet_worker(run: int, finish_on_interrupt: bool = True) -> None:
    """Ctrl-C is the parent's to handle: it stops the run and keeps what was written. A worker
    ignores it (finishing its task) or is ended by it at once (the system's default action);
    either way no worker prints a traceback of its own, and every solve runs directly, without
    the thread that only serves Python's handler (cpsat._interruptible). A worker whose parent
    is gone (a run killed outright) leaves too, instead of waiting for work for ever."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN if finish_on_interrupt else signal.SIG_DFL)

    def watch() -> None:
        # The run's own process, not our parent: a forkserver lives as long as its children.
        while True:
            time.sleep(1.0)
            try:
                os.kill(run, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass  # alive, owned by someone else: not ours to judge

    threading.Thread(target=watch, name="pathway-orphan-watch", daemon=True).start()
