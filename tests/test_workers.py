"""The worker pool: a task that hangs, crashes, runs out of memory or is killed fails alone,
with its reason, and the pool carries on with a fresh worker (crawler/crawl/workers.py).
Real processes, real signals; no timing is asserted beyond the task's own limit. The limit
is CPU time (a hang spins); a task blocked without using CPU meets the wall-clock backstop."""
from __future__ import annotations

import time

import pytest

from crawler.crawl.workers import WALL_FACTOR, InlinePool, TaskFailed, WorkerPool
from tests import worker_hooks as hooks


@pytest.fixture(scope="module")
def pool():
    pool = WorkerPool(2, memory_mb=768)
    yield pool
    pool.close()


def failure(future) -> str:
    with pytest.raises(TaskFailed) as info:
        future.result(timeout=60)
    return str(info.value)


def test_results_come_back(pool):
    assert [pool.submit(hooks.double, n).result(timeout=60) for n in range(5)] == [0, 2, 4, 6, 8]


def test_an_exception_is_one_line(pool):
    assert failure(pool.submit(hooks.fail)) == "ValueError: bad input"


def test_a_hang_is_killed_at_its_limit_and_the_next_task_runs(pool):
    hung = pool.submit(hooks.hang, timeout=1.5)
    others = [pool.submit(hooks.double, n) for n in range(4)]
    assert failure(hung) == "timed out after 1.5 s"
    assert [f.result(timeout=60) for f in others] == [0, 2, 4, 6]


def test_the_limit_is_cpu_time_not_the_wall_clock(pool):
    """A task that waits (a busy machine, a slow disk) is not a hang: 2 s asleep within 1 s of CPU."""
    assert pool.submit(hooks.nap, 2.0, timeout=1).result(timeout=60) == "rested"


def test_a_task_blocked_without_cpu_is_stopped_at_the_wall_clock_backstop(pool):
    started = time.monotonic()
    assert failure(pool.submit(hooks.block, timeout=0.3)) == f"no answer after {0.3 * WALL_FACTOR:g} s"
    assert time.monotonic() - started < 0.3 * WALL_FACTOR + 30
    assert pool.submit(hooks.double, 5).result(timeout=60) == 10


@pytest.mark.parametrize("task, reason", [(hooks.kill_self, "worker killed by SIGKILL"),
                                          (hooks.segfault, "worker killed by SIGSEGV")])
def test_a_dead_worker_costs_only_its_task(pool, task, reason):
    before = {pool.submit(hooks.pid).result(timeout=60) for _ in range(6)}
    restarts = pool.restarts
    assert failure(pool.submit(task)) == reason
    assert pool.submit(hooks.double, 21).result(timeout=60) == 42
    assert pool.restarts == restarts + 1
    after = {pool.submit(hooks.pid).result(timeout=60) for _ in range(6)}
    assert after - before, "a fresh worker replaced the dead one"


def test_memory_past_the_limit_fails_the_task_not_the_crawl(pool):
    assert failure(pool.submit(hooks.bloat)) == "out of memory (limit 768 MB)"
    assert pool.submit(hooks.double, 4).result(timeout=60) == 8


def test_the_inline_pool_gives_the_same_answers():
    inline = InlinePool()
    assert inline.submit(hooks.double, 3).result() == 6
    assert failure(inline.submit(hooks.fail)) == "ValueError: bad input"


def test_a_worker_starts_with_what_the_fork_server_loaded(pool):
    """The stop-word list trafilatura's fallback builds on first use (~34 MiB) is built once in
    the fork server and shared, not built again in every worker; the loaded modules are frozen
    out of the collector, whose passes would otherwise copy their pages into each worker."""
    shared = pool.submit(hooks.what_the_fork_server_shared).result()
    assert shared["stop_words"] is True
    assert shared["frozen"] > 10_000
