"""Generate a large TRS-style report column for the crawl benchmark.

Each report page mixes paragraphs drawn from the five seed reports (so bodies differ
enough not to be near-duplicates of each other) inside the TRS label-table layout of
tests/fixtures/pages/chengkou_trs_table.html; list pages use createPageHTML pagination.
"""
from __future__ import annotations

import json
import random
import re
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
TEMPLATE = ROOT / "tests" / "fixtures" / "pages" / "chengkou_trs_table.html"
PER_PAGE = 20


def paragraph_pool() -> list[str]:
    pool = []
    for seed in sorted(SEEDS.glob("*.txt")):
        pool += [" ".join(l.split()) for l in seed.read_text(encoding="utf-8").splitlines() if len(l.strip()) > 60]
    return pool


def report_page(template: str, title: str, paras: list[str]) -> bytes:
    """The template page with its title and #zoom body replaced."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    page = template.replace("城口县2020年度法治政府建设情况报告", escape(title))
    page = re.sub(r'(<div[^>]*id="zoom"[^>]*>).*?(</div>)', lambda m: m.group(1) + body + m.group(2),
                  page, count=1, flags=re.S)
    return page.encode("utf-8")


def list_page(count: int, current: int, entries: list[tuple[str, str]]) -> bytes:
    items = "\n".join(f'<li><a href="{href}" title="{escape(t)}">{escape(t)}</a><span>2021-03-01</span></li>'
                      for href, t in entries)
    return (f"<html><head><meta charset='utf-8'><title>法治政府建设年度报告</title></head><body>"
            f"<ul class='list'>{items}</ul><div class='page'><script>createPageHTML({count}, {current}, "
            f"\"index\", \"html\");</script></div></body></html>").encode("utf-8")


def make_portal(out: Path, reports: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    pool, template = paragraph_pool(), TEMPLATE.read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    routes, entries = [], []
    for i in range(reports):
        title = f"第{i + 1}县{2015 + i % 10}年度法治政府建设情况报告"
        name = f"t2021{(i % 12) + 1:02d}01_{100000 + i}.html"
        (out / name).write_bytes(report_page(template, title, rng.sample(pool, 15)))
        routes.append({"path": f"/col/202103/{name}", "file": name})
        entries.append((f"./202103/{name}", title))
    pages = [entries[i:i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)]
    for n, chunk in enumerate(pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        (out / name).write_bytes(list_page(len(pages), n, chunk))
        routes.append({"path": f"/col/{name}", "file": name})
    (out / "routes.json").write_text(json.dumps(
        {"site": {"name": "bench", "start": "/col/index.html"}, "routes": routes}), encoding="utf-8")
    return out
