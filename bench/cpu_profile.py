"""Run a module under cProfile timed by CPU, not wall-clock: `python bench/cpu_profile.py OUT -m MODULE ARGS…`.

`python -m cProfile` times functions by the wall clock, so a statement waiting on the disk
(SQLite's checkpoint, a commit's write) looks as costly as one computing. Where the question
is what would free a busy core, CPU time is the measure; bench/compare.py uses this when
BENCH_PROFILE_CLOCK=cpu. The module runs as `python -m` would run it (runpy, `__main__`), so
the crawl's fork server starts its workers as it does outside the profiler."""
from __future__ import annotations

import cProfile
import runpy
import sys
import time


def main() -> None:
    """Profile `-m MODULE ARGS…` by process CPU time and write the stats to OUT."""
    out, flag, module, *args = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: cpu_profile.py OUT -m MODULE [ARGS…]")
    sys.argv = [module, *args]
    profiler = cProfile.Profile(time.process_time)
    try:
        profiler.runcall(runpy.run_module, module, run_name="__main__", alter_sys=True)
    except SystemExit:
        pass
    finally:
        profiler.dump_stats(out)


if __name__ == "__main__":
    main()
