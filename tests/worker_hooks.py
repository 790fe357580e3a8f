"""Test-only misbehaviour for the worker pool, run inside worker processes.

`misbehave` is registered through the WORKER_PAGE_HOOK setting (crawler/crawl/tasks.py calls
it before extracting a page). WORKER_HOOK_PLAN in the environment (JSON, address fragment →
action) says which pages hang, crash or kill their worker; every other page is untouched.
The plain functions are tasks for WorkerPool directly.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import time


def misbehave(url: str, html: str | None) -> None:
    for fragment, action in json.loads(os.environ.get("WORKER_HOOK_PLAN", "{}")).items():
        if fragment in url:
            ACTIONS[action]()


def hang() -> None:
    """A parser stuck in a loop: it spins, using CPU."""
    while True:
        pass


def block() -> None:
    """A task stuck without using CPU (waiting on something that never comes)."""
    while True:
        time.sleep(1)


def nap(seconds: float) -> str:
    """Seconds of waiting, no CPU: within any CPU time limit."""
    time.sleep(seconds)
    return "rested"


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def segfault() -> None:
    ctypes.string_at(0)


def bloat() -> None:
    """Ask for 4 GB at once, as a parser sizing a buffer from a forged length does: past the
    worker's address-space limit the allocation fails at once, whatever the machine's load."""
    chunks = [bytearray(4 * 2**30)]
    while True:
        chunks.append(bytearray(256 * 2**20))


def pid() -> int:
    return os.getpid()


def double(x: int) -> int:
    return 2 * x


def fail() -> None:
    raise ValueError("bad input\nsecond line")


ACTIONS = {"hang": hang, "kill": kill_self, "segfault": segfault, "bloat": bloat}


def what_the_fork_server_shared() -> dict:
    """In a worker: whether it started with trafilatura's stop-word list already built and with
    the fork server's objects out of the garbage collector's reach (crawl/preload.py)."""
    import gc

    from trafilatura import external
    return {"stop_words": external.JT_STOPLIST is not None, "frozen": gc.get_freeze_count()}
