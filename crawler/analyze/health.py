"""Per-site health from the run history: which sites broke, and how."""
from __future__ import annotations

import json
import os

WALL_MIN = 1


def site_health(store) -> list[dict]:
    """One dict per site ever crawled: counts of its last run, the flags that say it broke,
    and notes that are worth knowing but not a breakage (robots.txt refusals)."""
    runs = store.runs(limit=1000)[::-1]  # oldest first
    last: dict[str, dict] = {}
    found_before: dict[str, int] = {}
    latest: dict[str, dict] = {}   # the newest run that set out to crawl the site, whatever became of it
    for run in runs:
        for site in json.loads(run.get("sites") or "[]"):
            latest[site] = run
        per_site = json.loads(run["per_site"] or "{}")
        for site, counts in per_site.items():
            if site in last:
                found_before[site] = max(found_before.get(site, 0), _found(last[site]["counts"]))
            last[site] = {"run": run, "counts": counts}
    archived = store.reports_per_site()
    rows = []
    for site in sorted(set(last) | set(archived) | set(latest)):
        info = last.get(site)
        counts = info["counts"] if info else {}
        problem = run_problem(latest.get(site))
        rows.append({
            "site": site,
            "reports": archived.get(site, 0),
            "last_run": info["run"]["started_at"] if info else None,
            "pages": counts.get("pages", 0),
            "failures": counts.get("failures", 0),
            "flags": ([problem] if problem else []) + _flags(
                counts, found_before.get(site, 0), archived.get(site, 0),
                store.list_errors(site, info["run"]["id"]) if info else []),
            "notes": ([f"robots.txt refused {counts['robots_refused']} pages"]
                      if counts.get("robots_refused") else [])
                     + ([f"rate-limited {counts['rate_limited']} times (asked again next run)"]
                        if counts.get("rate_limited") else []),
        })
    return rows


def run_problem(run: dict | None) -> str | None:
    """Why the site's last run did not finish, or None: failed (its archive refused a write: the
    reason), killed, or left 'running' by a process that is gone (a full disk can keep even the
    failure from being written)."""
    if not run or run["status"] == "finished":
        return None
    if run["status"] == "running":
        if _alive(run.get("pid")):
            return None
        return f"last run did not finish (run {run['id']}, pid {run.get('pid')} is gone)"
    reason = f": {run['error']}" if run.get("error") else ""
    return f"last run {run['status']} (run {run['id']}){reason}"


def _alive(pid) -> bool:
    """Is process `pid` still there (a crawl in progress)?"""
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _found(counts: dict) -> int:
    return counts.get("reports_seen", 0)


CAPS = {"list_pages_capped": "list pages (REPORTS_MAX_LIST_PAGES)",
        "report_pages_capped": "report pages (REPORTS_MAX_REPORT_PAGES)",
        "requests_capped": "requests (REPORTS_MAX_REQUESTS)"}


def _flags(counts: dict, before: int, archived: int, list_errors: list[str]) -> list[str]:
    flags = []
    caps = [f"{what}, {counts[key]} refused" for key, what in CAPS.items() if counts.get(key)]
    if caps:   # a calendar, an endless pager, a flood of links: stopped by a budget, not read whole
        flags.append("capped: " + "; ".join(caps))
    if counts.get("blocked", 0) >= WALL_MIN:
        flags.append(f"wall: {counts['blocked']} anti-bot responses (403/412/521)")
    if list_errors:
        flags.append(f"column moved or down: {list_errors[0]}")
    if counts and counts.get("pages", 0) == 0:
        flags.append("unreachable: nothing fetched")
    if (before or archived) and counts and _found(counts) == 0:
        flags.append(f"broken: {before or archived} reports found before, none in the last run")
    return flags
