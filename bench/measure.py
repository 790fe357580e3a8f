"""Resource figures of a process and everything it starts (worker processes included).

A crawl's CPU is spread over its worker processes, which the fork server (not the crawl)
starts and reaps, so getrusage(RUSAGE_CHILDREN) in the bench would miss it. This samples
/proc instead: each process's own user+system time (never its children's, which would count
the workers twice) and the tree's memory, as the sum of resident set sizes and as the sum of
proportional set sizes (PSS: a page shared by the fork server and its workers counted once,
split between them — the memory the tree takes from the machine)."""
from __future__ import annotations

import os
import subprocess
import threading
import time

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _stats() -> dict[int, tuple[int, float, int]]:
    """pid → (parent pid, cpu seconds, rss bytes) of every process."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                raw = handle.read().decode()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        out[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK, int(fields[21]) * _PAGE)
    return out


def _pss(pid: int) -> int:
    """Proportional set size in bytes (0 if the process is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Tree:
    """Samples the tree under `pid` until stopped: peak RSS (sum, and of the root) and CPU."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every = pid, every
        self.cpu: dict[int, float] = {}
        self.peak_rss = self.peak_root_rss = self.peak_pss = 0
        self.processes = 0
        self.samples: list[tuple[float, float, float, int]] = []  # (time, tree CPU, root CPU, PSS)
        self._start = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self) -> None:
        stats = _stats()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            if pid in stats:
                tree.append(pid)
                todo += children.get(pid, [])
        rss = pss = 0
        for pid in tree:
            _, cpu, resident = stats[pid]
            self.cpu[pid] = max(self.cpu.get(pid, 0), cpu)
            rss += resident
            pss += _pss(pid)
        self.processes = max(self.processes, len(tree))
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        if self.pid in stats:
            self.peak_root_rss = max(self.peak_root_rss, stats[self.pid][2])
        self.samples.append((time.perf_counter() - self._start, sum(self.cpu.values()),
                             self.cpu.get(self.pid, 0), pss))

    def timeline(self, step: float = 5.0) -> list[dict]:
        """Cores kept busy (the tree's and the root process's CPU seconds per second) and the peak
        PSS in each `step` seconds of the run: where a crawl leaves a core idle, and when its
        memory peaks, which the run's totals cannot tell."""
        out, last = [], None
        for sample in self.samples:
            if last is None:
                last, peak = sample, sample[3]
                continue
            peak = max(peak, sample[3])
            if sample[0] - last[0] >= step or sample is self.samples[-1]:
                span = sample[0] - last[0]
                out.append({"t": round(last[0], 1), "cores": round((sample[1] - last[1]) / span, 2),
                            "root": round((sample[2] - last[2]) / span, 2), "pss_mib": round(peak / 2**20)})
                last, peak = sample, sample[3]
        return out

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        return {"cpu_seconds": round(sum(self.cpu.values()), 1),
                "cpu_seconds_main": round(self.cpu.get(self.pid, 0), 1),
                "peak_pss_mib": round(self.peak_pss / 2**20, 1),
                "peak_rss_mib": round(self.peak_rss / 2**20, 1),
                "peak_rss_main_mib": round(self.peak_root_rss / 2**20, 1),
                "processes": self.processes, "timeline": self.timeline()}


def run(command: list[str], **kwargs) -> dict:
    """Run `command` to the end; wall seconds and the tree's figures."""
    start = time.perf_counter()
    process = subprocess.Popen(command, **kwargs)
    tree = Tree(process.pid)
    code = process.wait()
    figures = tree.stop()
    if code:
        raise SystemExit(f"{command[:3]} exited with {code}")
    return {"seconds": round(time.perf_counter() - start, 1), **figures}
