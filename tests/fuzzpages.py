"""Malformed pages, generated from a seed (issue 9): what the open web sends as a report page.

Nothing at all, whitespace, a lone comment or doctype, NUL and control characters, truncated
and spliced real pages (tests/eval/corpus), floods of 索引号-like labels, deep nesting, giant
text nodes, malformed gkmlpt JSON, random bytes in any encoding. `scale` 1 keeps every page
under ~200 K characters (tests/test_extract_fuzz.py); the bench (bench/fuzz.py) adds, at a
larger scale, the pages the issue measured: 20 MB pages, 100,000 labels, 200,000 links,
nesting 100,000 deep, a text node of millions of characters.
"""
from __future__ import annotations

import random

from tests.eval.corpus import all_pages

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


HUGE_SHARE = 0.02
"""Of the bench's pages (scale > 1), the share that are huge (_huge)."""


def _generate(rng: random.Random, real: list[str], scale: int = 1) -> str | None:
    if scale > 1 and rng.random() < HUGE_SHARE:
        return _huge(rng, 12 + rng.randrange(5), scale)
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


def _huge(rng: random.Random, kind: int, scale: int) -> str:
    """The bench's pages: larger than any report, as the issue measured them; each some
    multiple, from 1 to `scale`, of its unit (so some stay under the caps and some do not)."""
    scale = rng.randint(1, scale)
    if kind == 12:   # 2.3 M characters a unit: at 10, 23 M (the 20 MB pages)
        return "<html><body><div id='zoom'>" + "<p>法治政府建设年度报告正文段落。</p>" * (scale * 100_000) + "</div></body></html>"
    if kind == 13:   # labels: 30,000 a unit
        label = rng.choice(LABELS)
        return "<html><body>" + f"<span>{label}：{rng.randint(0, 9)}</span>" * (scale * 30_000) + "</body></html>"
    if kind == 14:   # navigation links: 40,000 a unit
        return "<html><body>" + "".join(f"<a href='/n/{i}.html'>栏目{i}</a>" for i in range(scale * 40_000)) + "</body></html>"
    if kind == 15:   # nesting: 20,000 deep a unit
        depth = scale * 20_000
        return "<div>" * depth + "索引号：1" + "</div>" * depth
    return "<html><body><div id='zoom'><p>" + "字" * (scale * 1_000_000)  # one text node: 1 M characters a unit + "</p></div></body></html>"


def pages(seed: int, count: int, scale: int = 1):
    """`count` cases (n, html, continued parts)."""
    rng = random.Random(seed)
    real = _real_pages()
    for n in range(count):
        html = _generate(rng, real, scale)
        continued = [_generate(rng, real) or "" for _ in range(rng.choice([0, 0, 0, 1, 2]))]
        yield n, html, continued
