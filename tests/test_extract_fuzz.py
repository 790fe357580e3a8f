"""Fuzzing extract_report: malformed pages never escape as an exception (issue 9, item 1).

A fixed seed and a bounded size (300 pages, none over ~200 K characters): the same cases on every run, in a
few seconds. The pages are what the open web sends: nothing at all, whitespace, a lone comment or doctype,
NUL and control characters, truncated and spliced real pages, floods of 索引号-like labels, deep nesting,
giant text nodes, malformed gkmlpt JSON, random bytes in any encoding. Every one must come back as a row
with every key, no empty string, and an `error` that is None or one line.
"""
from __future__ import annotations

import random

import pytest

from crawler.extract import REPORT_KEYS, extract_report
from tests.eval.corpus import all_pages

SEED = 20261201
CASES = 300
LABELS = ["索引号", "索 引 号", "发布机构", "成文日期", "发布日期", "文号", "来源", "发布时间", "主题分类",
          "[ 索引号 ]"]
SNIPPETS = ["<table>", "<tr>", "<td>", "</td>", "</tr>", "</table>", "<div id='zoom'>", "</div>", "<p>", "</p>",
            "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", "<h1>", "</h1>", "<title>", "</title>",
            "<meta name='ArticleTitle' content='", "'>", "&#0;", "&#xD800;", "&nbsp;", "\x00", "\x07", "\ufffe",
            "\ud800", "\ue000", "当前位置：", " > ", "window._CONFIG = {DETAIL: {", "}}", "<!--<$[信息内容]>begin-->",
            "<li><span>索</span><span>引号：</span><span>", "pdf下载 word下载", "[1] [2]", "<br>",
            "<?xml version='1.0'?>"]


def _real_pages() -> list[str]:
    return [page.html for page in all_pages()]


def _flood(rng: random.Random) -> str:
    """A page flooded with labels, some split over elements, some inside the content container."""
    parts = []
    for _ in range(rng.randint(300, 1_500)):
        label = rng.choice(LABELS)
        parts.append(rng.choice([f"{label}：{rng.randint(0, 10**6)}",
                                 f"<span>{label[0]}</span><span>{label[1:]}：</span>",
                                 f"<td>{label}</td><td></td>", f"{label}:", "\u3000"]))
    body = "".join(parts)
    return f"<html><body><div id='zoom'>{body}</div>{body[: len(body) // 2]}</body></html>"


def _mutate(rng: random.Random, html: str) -> str:
    """A real page cut, spliced, with snippets and control characters thrown in."""
    for _ in range(rng.randint(1, 12)):
        at = rng.randrange(len(html) + 1)
        kind = rng.random()
        if kind < 0.3:
            html = html[:at] + rng.choice(SNIPPETS) + html[at:]
        elif kind < 0.5:
            html = html[:at]
        elif kind < 0.7:
            end = min(len(html), at + rng.randint(1, 5_000))
            html = html[:at] + html[end:]
        elif kind < 0.85:
            html = html[:at] + "".join(chr(rng.randrange(0, 32)) for _ in range(rng.randint(1, 20))) + html[at:]
        else:
            end = min(len(html), at + rng.randint(1, 2_000))
            html = (html[:at] + html[at:end] * rng.randint(2, 20) + html[end:])[:200_000]
    return html


def _generate(rng: random.Random, real: list[str]) -> str | None:
    kind = rng.randrange(12)
    if kind == 0:
        return rng.choice(["", " ", "\n\t \r\n", "\x00", "\x00" * 1000, "<!-- -->", "<!DOCTYPE html>", "<?pi x?>",
                           "</p>", "<html>", "]]>", "\ufeff", "<!---->" * 100, "<html><!-- only --></html>"])
    if kind == 1:
        return "".join(rng.choice(SNIPPETS) for _ in range(rng.randint(1, 400)))
    if kind == 2:
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20_000)))
        encoding = rng.choice(["latin-1", "gb18030", "utf-8", "utf-16"])
        return raw.decode(encoding, errors=rng.choice(["replace", "ignore"]))
    if kind == 3:
        return _flood(rng)
    if kind == 4:
        depth = rng.randint(200, 3_000)
        tag = rng.choice(["div", "span", "td", "table", "font", "li"])
        return f"<{tag}>" * depth + "索引号：1/2020-1" + f"</{tag}>" * rng.randint(0, depth)
    if kind == 5:
        return "<html><body><div id='zoom'><p>" + "字" * rng.randint(20_000, 150_000) + "</p></div></body></html>"
    if kind == 6:
        detail = rng.choice(["[" * rng.randint(1, 50_000), '{"a":' * 30_000, '{"title": 5}', '{"content": "<p>x"}'])
        return f"<html><script>window._CONFIG = {{DETAIL: {detail}</script></html>"
    if kind == 7:
        title = "某某县2022年度法治政府建设情况报告"
        return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1><div id='zoom'>"
                + f"<p>{title}</p>" * rng.randint(1, 1_000) + "</div></body></html>")
    if kind == 8:
        crumb = "<div class='title'>当前位置：<a>首页</a> &gt; <a>栏目</a></div>"
        return "<html><body>" + crumb * rng.randint(1, 1_000) + "</body></html>"
    if kind == 9:
        rows = "".join(f"<tr><th>索引号</th><th>文号</th></tr><tr><td>{i}</td><td>{i}</td></tr>"
                       for i in range(rng.randint(1, 400)))
        return f"<html><body><div id='zoom'><table>{rows}</table></div><table>{rows}</table></body></html>"
    if kind == 10:
        return None if rng.random() < 0.3 else rng.choice(real)[: rng.randint(0, 200)]
    return _mutate(rng, rng.choice(real))


def _cases() -> list[tuple[int, str | None, list[str]]]:
    rng = random.Random(SEED)
    real = _real_pages()
    cases = []
    for n in range(CASES):
        html = _generate(rng, real)
        continued = [_generate(rng, real) or "" for _ in range(rng.choice([0, 0, 0, 1, 2]))]
        cases.append((n, html, continued))
    return cases


def _check(row: dict) -> None:
    assert set(REPORT_KEYS) <= set(row) and "error" in row
    assert "" not in row.values()
    assert row["error"] is None or (isinstance(row["error"], str) and "\n" not in row["error"])
    for key in ("title", "body", "index_no", "publisher"):
        assert row[key] is None or isinstance(row[key], str)


def test_malformed_pages_never_raise():
    """Each case runs through extract_report as the pipeline calls it; none raises."""
    failures = []
    for n, html, continued in _cases():
        try:
            row = extract_report(f"http://127.0.0.1/fuzz/{n}.html", html, site_region="500229",
                                 continued=continued, list_title="某某县2022年度法治政府建设情况报告")
            _check(row)
        except Exception as exc:  # noqa: BLE001 - collect them all, then fail with the list
            failures.append((n, f"{type(exc).__name__}: {exc}"[:200]))
    assert not failures, failures[:20]


@pytest.mark.parametrize("html", ["", " \n ", "\x00\x00", "<!-- a comment -->", "<!DOCTYPE html>", "<p>\x00\x1f</p>"])
def test_empty_and_control_character_pages_are_rows_not_errors(html):
    row = extract_report("http://127.0.0.1/x.html", html, list_title="某某县2022年度法治政府建设情况报告")
    _check(row)
    assert row["title"] == "某某县2022年度法治政府建设情况报告"
    assert row["body"] is None


def test_labels_and_text_survive_control_characters():
    row = extract_report("http://127.0.0.1/x.html", "<html><body><table><tr><td>索引号：\x00</td>"
                         "<td>11500229711623327X/2021-\x0700118</td></tr></table><div id='zoom'><p>正\x01文。</p>"
                         "</div></body></html>")
    assert (row["index_no"], row["body"], row["error"]) == ("11500229711623327X/2021-00118", "正文。", None)
