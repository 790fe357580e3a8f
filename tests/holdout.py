"""Scoring of the hold-out rounds: issue 3's "Done when", measured on portals no spider was developed against.

Each round is a directory tests/fixtures/holdout*/ with portals built from real page chrome and the
seed texts (its make_holdout*.py) and a truth.json: every report each portal publishes (address, the
metadata its page shows, its body paragraphs), every copy of a report elsewhere, every look-alike.
A round's portals are served on their own loopback addresses (the fixed port of truth.json: pages
and APIs give absolute addresses), crawled once through the contract's CLI into a temporary SQLite
file, and scored:

- found:      share of annual reports with a row under their own or a copy's address   ≥ 95%
- precision:  share of rows typed 法治政府建设年度报告 that are such a report             ≥ 95%
- copies:     no report with two rows                                                   = 0
              (and every copy listed in `copies` under the report's row, as issue 3 item 7 asks)
- recall:     share of each body's paragraphs present (whitespace and NFKC folded)     ≥ 97% each
- furniture:  no page-furniture string in any body (unless the report itself says it)  = 0
- metadata:   per field, share of the fields a page shows that the row states exactly  ≥ 90% each
"""
from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

from crawler.devtools.fixture_server import FixtureServer
from tests.conftest import FIXTURES, run_cli

ROUNDS = sorted(p.parent for p in FIXTURES.glob("holdout*/truth.json"))
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
FIELDS = ("title", "report_type", "year", "publisher", "index_no", "doc_no", "written_date", "published_date")
THRESHOLDS = {"found": 0.95, "fz_precision": 0.95, "recall": 0.97, "field": 0.90}
# Page furniture as the hold-out portals print it (issue 2's list, and the chrome of these pages).
FURNITURE = ("扫一扫", "打印本页", "关闭窗口", "【打印】", "分享到", "当前位置", "您当前的位置", "索引号", "发布机构", "发文机关",
             "成文日期", "发布日期", "生成日期", "主题分类", "浏览次数", "字号：", "网站标识码", "ICP备", "公网安备", "主办单位",
             "版权所有", "上一篇", "下一篇", "相关文章", "信息来源", "来源：", "发布时间", "信息发布人", "小编", "推荐访问", "下载文档",
             "复制全文", "Copyright", "网站地图", "联系我们", "全真版", "文字版", "附件下载", "无障碍", "文秘帮")


def key(text: str) -> str:
    """A paragraph as compared: NFKC, no whitespace, no table-cell separators."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace() and c not in "|")


def rows(db: Path, sql: str, args=()) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, args)]


def body_recall(report: dict, body: str | None) -> tuple[float, list[str]]:
    """Share of the report's paragraphs present in `body` (as a multiset), and the absent ones."""
    got = Counter(key(p) for p in (body or "").split("\n") if p.strip())
    gold = Counter(key(p) for p in report["body"])
    absent = [p for p in report["body"] if key(p) not in got]
    return sum((gold & got).values()) / sum(gold.values()), absent


def furniture_in(report: dict, body: str | None) -> list[str]:
    """Furniture strings in `body` that the report itself does not contain."""
    own = key("".join(report["body"]))
    return [f for f in FURNITURE if key(f) in key(body or "") and key(f) not in own]


def field_checks(report: dict, row: dict) -> tuple[dict, list, list]:
    """Per shown field, right or wrong; the wrong ones; and values stated for fields the page does not show."""
    checks, wrong, spurious = {}, [], []
    for field in FIELDS:
        want, got = report[field], row.get(field)
        if want is None:
            if got is not None:
                spurious.append({"id": report["id"], "field": field, "got": got})
            continue
        checks[field] = (key(got or "") == key(want)) if field == "title" else got == want
        if not checks[field]:
            wrong.append({"id": report["id"], "portal": report["portal"], "field": field, "expected": want, "got": got})
    return checks, wrong, spurious


class Round:
    """One hold-out round: its truth, its crawl and its scores."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.name = directory.name
        self.truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
        self.portals = self.truth["portals"]
        self.fz = self.truth["fz"]

    def url(self, portal: str, path: str) -> str:
        return f"http://{self.portals[portal]['host']}:{self.truth['port']}{path}"

    @contextmanager
    def serving(self, tmp: Path):
        """Serve every portal of the round; yields (sites file naming them, servers by portal)."""
        with ExitStack() as stack:
            servers = {}
            for name, portal in self.portals.items():
                server = FixtureServer(self.directory / name, host=portal["host"], port=self.truth["port"]).start()
                stack.callback(server.stop)
                servers[name] = server
            sites = tmp / "sites.yaml"
            sites.write_text(json.dumps({"sites": [
                {"name": name, "title": portal["title"], "start_urls": [self.url(name, p) for p in portal["start_urls"]]}
                for name, portal in self.portals.items()]}, ensure_ascii=False), encoding="utf-8")
            yield sites, servers

    def crawl(self, tmp: Path):
        """Serve every portal, crawl them once through the CLI: (result, db, request logs)."""
        with self.serving(tmp) as (sites, servers):
            db = tmp / f"{self.name}.db"
            result = run_cli("crawl", "--sites", str(sites), "--db", str(db), "--log-file", str(tmp / "crawl.log"),
                             *FAST)
            logs = {name: [(r["method"], r["path"], r["status"]) for r in server.requested()]
                    for name, server in servers.items()}
        return result, db, logs

    # -- scoring --------------------------------------------------------------------------
    def reports(self) -> list[dict]:
        """Every report with its portal, official address and the addresses of its copies."""
        copies: dict[str, list[str]] = {}
        for name, portal in self.portals.items():
            for c in portal["copies"]:
                copies.setdefault(c["copy_of"], []).append(self.url(name, c["path"]))
        return [{**r, "portal": name, "url": self.url(name, r["path"]), "copies": copies.get(r["id"], [])}
                for name, portal in self.portals.items() for r in portal["reports"]]

    def score(self, db: Path, logs: dict) -> dict:
        reports = self.reports()
        stored = rows(db, "SELECT * FROM reports")
        copies = {c["url"]: c for c in rows(db, "SELECT * FROM copies")}
        by_url = {r["url"]: r for r in stored}
        fetched = {self.url(name, path) for name, log in logs.items() for _, path, _ in log}
        misses = {k: [] for k in ("not_found", "not_official", "two_rows", "copies_unlinked", "recall", "furniture",
                                  "fields", "spurious_fields")}
        per_report = {}
        for r in reports:
            group = [a for a in [r["url"], *r["copies"]] if a in by_url]
            row = by_url.get(r["url"]) or (by_url[group[0]] if group else None)
            per_report[r["id"]] = {"portal": r["portal"], "found": row is not None, "rows": len(group)}
            if row is None:
                misses["not_found"].append({"id": r["id"], "portal": r["portal"], "url": r["url"], "title": r["title"]})
            else:
                per_report[r["id"]].update(_judge(r, row, group, copies, by_url, fetched, misses))
        found = [e for e in per_report.values() if e["found"]]
        fields = {f: [e["fields"][f] for e in found if f in e["fields"]] for f in FIELDS}
        precision, wrong_fz = self._fz_precision(reports, stored)
        return {
            "reports": len(reports), "found": len(found), "found_share": len(found) / len(reports),
            "fz_rows": sum(s["report_type"] == self.fz for s in stored), "fz_precision": precision,
            "wrong_fz": wrong_fz,
            "unexpected_rows": [{"url": s["url"], "title": s["title"], "report_type": s["report_type"]} for s in stored
                                if not any(s["url"] in (r["url"], *r["copies"]) for r in reports)],
            "min_recall": min((e["recall"] for e in found), default=0.0),
            "field_accuracy": {f: (sum(v) / len(v) if v else None, len(v)) for f, v in fields.items()},
            "per_report": per_report, "misses": misses, "crawl": self._crawl_facts(logs),
        }

    def _fz_precision(self, reports: list[dict], stored: list[dict]) -> tuple[float, list[dict]]:
        """Share of rows typed 法治政府建设年度报告 whose address is (a copy of) such a report; the others."""
        kind = {a: r["report_type"] for r in reports for a in [r["url"], *r["copies"]]}
        lookalikes = {self.url(n, x["path"]): x["title"] for n, p in self.portals.items() for x in p["not_fz"]}
        fz_rows = [s for s in stored if s["report_type"] == self.fz]
        wrong = [{"url": s["url"], "title": s["title"], "is": kind.get(s["url"]) or lookalikes.get(s["url"], "unknown")}
                 for s in fz_rows if kind.get(s["url"]) != self.fz]
        return ((len(fz_rows) - len(wrong)) / len(fz_rows) if fz_rows else 0.0), wrong

    def _crawl_facts(self, logs: dict) -> dict:
        """Where the crawler went that it need not have: columns off the report path, 404s, look-alikes."""
        facts = {}
        for name, log in logs.items():
            portal = self.portals[name]
            paths = [p for _, p, _ in log]
            facts[name] = {
                "requests": len(log),
                "off_column_visits": sorted(set(paths) & set(portal["off_column"])),
                "not_found_404": sorted({p for _, p, s in log if s == 404 and not p.endswith("robots.txt")}),
                "lookalikes_fetched": sorted({x["path"] for x in portal["not_fz"]} & set(paths)),
            }
        return facts

    def per_portal(self, scores: dict) -> dict:
        table = {}
        for name in self.portals:
            entries = [e for e in scores["per_report"].values() if e["portal"] == name]
            found = [e for e in entries if e["found"]]
            fields = [ok for e in found for ok in e["fields"].values()]
            table[name] = {"reports": len(entries), "found": len(found),
                           "min_recall": min((e["recall"] for e in found), default=None),
                           "furniture": sum(bool(e["furniture"]) for e in found),
                           "fields": (sum(fields), len(fields))}
        return table

    def render(self, scores: dict) -> str:
        lines = ["", f"{self.name.upper()} (issue 3 'Done when')",
                 f"{'portal':<14} {'found':>7} {'min recall':>10} {'furniture':>9} {'fields ok':>10}  requests"]
        for name, row in self.per_portal(scores).items():
            recall = "-" if row["min_recall"] is None else f"{row['min_recall']:.3f}"
            ok, total = row["fields"]
            lines.append(f"{name:<14} {row['found']:>3}/{row['reports']:<3} {recall:>10} {row['furniture']:>9} "
                         f"{ok:>4}/{total:<5}  {scores['crawl'][name]['requests']}")
        lines.append(f"found {scores['found']}/{scores['reports']} = {scores['found_share']:.3f}   "
                     f"法治政府建设年度报告 rows {scores['fz_rows']}, precision {scores['fz_precision']:.3f}   "
                     f"two rows: {len(scores['misses']['two_rows'])}   min body recall {scores['min_recall']:.3f}")
        lines.append("field accuracy: " + "  ".join(
            f"{f} {'-' if a is None else f'{a:.2f}'}({n})" for f, (a, n) in scores["field_accuracy"].items()))
        for kind, items in scores["misses"].items():
            lines += [f"  {kind}: {json.dumps(item, ensure_ascii=False)}" for item in items]
        lines += [f"  wrong_fz: {json.dumps(item, ensure_ascii=False)}" for item in scores["wrong_fz"]]
        lines += [f"  unexpected_row: {json.dumps(item, ensure_ascii=False)}" for item in scores["unexpected_rows"]]
        return "\n".join(lines)


def _judge(report: dict, row: dict, group: list[str], copies: dict, by_url: dict, fetched: set,
           misses: dict) -> dict:
    """Everything issue 3 asks of one found report; misses are appended to `misses`."""
    if row["url"] != report["url"]:
        misses["not_official"].append({"id": report["id"], "expected": report["url"], "got": row["url"]})
    if len(group) > 1:
        misses["two_rows"].append({"id": report["id"], "rows": group})
    misses["copies_unlinked"] += [
        {"id": report["id"], "copy": c, "row_url": row["url"], "copies_table": copies.get(c, {}).get("report_url"),
         "own_row": c in by_url, "fetched": c in fetched}
        for c in report["copies"] if copies.get(c, {}).get("report_url") != row["url"]]
    recall, absent = body_recall(report, row["body"])
    where = {"id": report["id"], "portal": report["portal"], "url": row["url"]}
    if recall < THRESHOLDS["recall"]:
        misses["recall"].append({**where, "recall": round(recall, 3), "paragraphs": len(report["body"]),
                                 "missing": [p[:60] for p in absent][:6],
                                 "body_head": [p[:60] for p in (row["body"] or "").split("\n")[:4]]})
    furniture = furniture_in(report, row["body"])
    if furniture:
        lines = [ln[:80] for ln in (row["body"] or "").split("\n") if any(f in ln for f in furniture)]
        misses["furniture"].append({**where, "strings": furniture, "lines": lines[:6]})
    checks, wrong, spurious = field_checks(report, row)
    misses["fields"] += wrong
    misses["spurious_fields"] += spurious
    return {"recall": recall, "furniture": furniture, "fields": checks}
