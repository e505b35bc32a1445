"""Where the build's tasks run: a pool of worker processes on this machine (`--jobs`, all cores by
default), or this process alone (`--jobs 1`).

A task is a module-level function with picklable arguments (a checked city, a book's sources);
`Runner.submit` returns a `concurrent.futures.Future`, and `Runner.wait` hands back the futures
that finished, so the caller can submit what depends on them (a city's rendering, then each of
its books in each format) and keep every core busy. The caller bounds how many tasks are in
flight, so memory does not grow with the number of cities.

Each worker process dies with the build (PR_SET_PDEATHSIG: a killed build leaves no worker
behind), ignores Ctrl+C (the build itself stops the pool), keeps one LibreOffice for every DOCX it
lays out (docx.Layout) and stops it when the pool shuts down. A worker that dies (the kernel's
out-of-memory killer) fails the tasks that were in the pool (BrokenProcessPool); the next task
submitted starts a new pool.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import multiprocessing.util
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from typing import Any


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _worker_init(build_pid: int) -> None:
    from . import publish

    publish.die_with(build_pid)  # the build's death kills this worker, whose own children then get theirs
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["CETAKBIRU_BUILD_PID"] = str(build_pid)  # whom a test's fault point kills (lo_indexes.py)
    multiprocessing.util.Finalize(None, close_helpers, exitpriority=10)  # run when the pool ends it


def close_helpers() -> None:
    """End the helper processes this process started: its LibreOffice and its typst."""
    from . import docx, sandbox

    docx.close_layout()
    sandbox.close_typst()


class Runner:
    """Runs tasks on `jobs` worker processes, or in this process when `jobs` is 1."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or default_jobs())
        self.pool: cf.ProcessPoolExecutor | None = None
        if self.jobs > 1:
            self.pool = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        # spawn: a fresh interpreter per worker, whatever threads this process runs (a progress display)
        return cf.ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                      initializer=_worker_init, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future:
        if self.pool is not None:
            try:
                return self.pool.submit(fn, *args)
            except BrokenProcessPool:  # a worker was killed (out of memory?): its tasks failed, go on
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._start()
                return self.pool.submit(fn, *args)
        future: cf.Future = cf.Future()  # in this process: run now, hand back a finished future
        try:
            future.set_result(fn(*args))
        except Exception as e:
            future.set_exception(e)
        return future

    @staticmethod
    def wait(pending: Iterable[cf.Future]) -> set[cf.Future]:
        """At least one finished future of `pending` (all of those finished by then)."""
        done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)  # each worker stops its LibreOffice
        close_helpers()  # those this process started (jobs == 1)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
