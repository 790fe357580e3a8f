"""CPU work off the reactor thread, each task within a time and a memory budget.

Extraction, attachment text, signatures and analysis are pure functions (extract/, analyze/)
that take most of a crawl's CPU. Run on the reactor thread they use one core and a page
that hangs or crashes the parser takes the whole crawl with it. Here they run in worker
processes, one task at a time each:

- a task that uses more than its time limit of CPU gets its worker killed (the kernel's
  SIGXCPU, RLIMIT_CPU set before each task) and fails with "timed out after N s". CPU time,
  not the wall clock: on a busy machine a page that needs 2 s of CPU may wait a minute for
  it, and that is not a hang. A task that neither finishes nor uses CPU (blocked) is killed
  at WALL_FACTOR times its limit on the wall clock: "no answer after N s";
- each worker has an address-space limit (RLIMIT_AS): an allocation past it is a
  MemoryError in the worker, the task fails with "out of memory" and the worker is
  replaced (a process that ran out of memory is not trusted with the next task);
- a worker that dies (segfault, SIGKILL, os._exit) fails only the task it was running,
  with the signal or exit code as the reason, and is restarted for the next one.

A failed task's Future raises TaskFailed with a one-line reason, which the pipeline
records (pages.error / attachments.error / reports.error). A concurrent.futures
ProcessPoolExecutor cannot do this: one dead worker breaks the whole pool and every
pending task with it.

InlinePool runs the same tasks in the calling thread (WORKER_PROCESSES = 0): the same
results without budgets, for debugging and for the test that compares the two paths.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from concurrent.futures import Future

WALL_FACTOR = 10
"""A task's wall-clock backstop, in multiples of its CPU time limit (see the module doc)."""
PRELOAD = ["crawler.crawl.preload"]
"""Imported once by the fork server, so a (re)started worker is ready in milliseconds and shares
what it loaded (crawl/preload.py)."""


class TaskFailed(Exception):
    """A task that gave no result; str() is a one-line reason."""


def one_line(exc: BaseException) -> str:
    """An exception as the one line a failure row keeps."""
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _serve(conn, memory_bytes: int | None) -> None:
    """A worker: run (function, args, kwargs) messages until told to stop or the parent goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle, not each worker's
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))   # SIGXCPU's default action dumps core: no files
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the crawl is gone
        if message is None:
            return
        function, args, kwargs, cpu_seconds = message
        _limit_cpu(cpu_seconds)
        try:
            reply = ("ok", function(*args, **kwargs))
        except MemoryError:
            reply = ("oom", None)
        except BaseException as exc:  # noqa: BLE001 - any failure of a task is that task's, as one line
            reply = ("error", one_line(exc))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("oom", None))
        if reply[0] == "oom":
            return  # a process that ran out of memory may be left inconsistent: start afresh


def _limit_cpu(seconds: float | None) -> None:
    """Let this process use `seconds` more CPU time (whole seconds, rounded up), then the kernel
    sends SIGXCPU, which ends it. Only the soft limit moves; the hard one stays as it was."""
    if not seconds:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


class WorkerPool:
    """`size` worker processes fed from one queue; submit() returns a concurrent Future.

    One thread per worker sends it a task and waits for the answer with the task's time
    limit, so the caller's thread (Scrapy's reactor) never blocks."""

    def __init__(self, size: int, memory_mb: int | None = 1024):
        self.size = size
        self.memory_bytes = memory_mb * 2**20 if memory_mb else None
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._tasks: queue.Queue = queue.Queue()
        self.restarts = 0
        self._threads = [threading.Thread(target=self._slot, name=f"worker-{n}", daemon=True)
                         for n in range(size)]
        for thread in self._threads:
            thread.start()

    def submit(self, function, *args, timeout: float = 30, **kwargs) -> Future:
        """Run function(*args, **kwargs) in a worker; the Future fails with TaskFailed."""
        future: Future = Future()
        self._tasks.put((future, function, args, kwargs, timeout))
        return future

    def close(self) -> None:
        """Stop the workers once the queued tasks are done."""
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join()

    # -- one slot: a thread and the worker process it drives ---------------------------------
    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.memory_bytes), daemon=True)
        process.start()
        child.close()
        return process, parent

    def _slot(self) -> None:
        worker = None
        while True:
            task = self._tasks.get()
            if task is None:
                break
            future, function, args, kwargs, timeout = task
            if not future.set_running_or_notify_cancel():
                continue
            if worker is None:
                worker = self._start()
            try:
                status, value = self._run(worker, function, args, kwargs, timeout)
            except BaseException as exc:  # noqa: BLE001 - the slot must survive anything
                status, value = "dead", one_line(exc)
            if status == "ok":
                future.set_result(value)
                continue
            if status in ("dead", "oom", "timeout"):
                self._stop(worker)
                worker = None
                self.restarts += 1
            future.set_exception(TaskFailed(value))
        if worker is not None:
            self._stop(worker, gently=True)

    def _run(self, worker, function, args, kwargs, timeout: float) -> tuple[str, object]:
        process, conn = worker
        try:
            conn.send((function, args, kwargs, timeout))
        except (BrokenPipeError, EOFError, OSError):
            return _ended(process, timeout)
        wall = timeout * WALL_FACTOR
        deadline = time.monotonic() + wall
        while True:  # poll in steps, so a worker that dies is noticed at once, not at the deadline
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout", f"no answer after {wall:g} s"
            if conn.poll(min(left, 1.0)):
                try:
                    status, value = conn.recv()
                except (EOFError, OSError):
                    return _ended(process, timeout)
                if status == "oom":
                    limit = f" (limit {self.memory_bytes // 2**20} MB)" if self.memory_bytes else ""
                    return "oom", f"out of memory{limit}"
                return status, value
            if not process.is_alive():
                return _ended(process, timeout)

    @staticmethod
    def _stop(worker, gently: bool = False) -> None:
        process, conn = worker
        if gently and process.is_alive():
            try:
                conn.send(None)
                process.join(5)
            except OSError:
                pass
        if process.is_alive():
            process.kill()
        process.join()
        conn.close()


def _ended(process, timeout: float) -> tuple[str, str]:
    """A worker gone mid-task: its CPU time limit (SIGXCPU) is a timeout, anything else a death."""
    reason = _death(process)
    if process.exitcode == -signal.SIGXCPU:
        return "timeout", f"timed out after {timeout:g} s"
    return "dead", reason


def _death(process) -> str:
    """Why a worker stopped: the signal that killed it or its exit code."""
    process.join(5)
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"worker killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker killed by signal {-code}"
    return f"worker exited with code {code}"


class InlinePool:
    """The same interface, run at once in the caller's thread, without budgets."""

    size = 0
    restarts = 0

    def submit(self, function, *args, timeout: float = 30, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(function(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - as a worker would report it
            future.set_exception(TaskFailed(one_line(exc)))
        return future

    def close(self) -> None:
        pass


def make_pool(processes: int | None, memory_mb: int | None):
    """WORKER_PROCESSES: None → one per core; 0 → InlinePool."""
    if processes is None:
        processes = os.cpu_count() or 1
    return WorkerPool(processes, memory_mb) if processes > 0 else InlinePool()
