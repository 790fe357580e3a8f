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
        pool += [" ".join(line.split()) for line in seed.read_text(encoding="utf-8").splitlines()
                 if len(line.strip()) > 60]
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
            f"\"index\", \"html\");</script></div></body></html>").encode()


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


# --- the multi-portal web of the comparison (bench/compare.py) ------------------------------------
#
# Several CMS families, their markup taken from the fixture portals' builders
# (tests/fixtures/portals/make_portals.py and tests/fixtures/pages/make_pages.py), bodies drawn
# from the seed reports' paragraphs, some reports published as a cover page with a PDF or DOCX,
# and look-alikes (工作要点, 实施方案, 解读 …) listed beside the reports with pages behind them.
# Every portal has its own loopback address (127.0.90.N), so that per-host limits apply per
# portal as they would on the web. `truth.json` says what each portal publishes.

import hashlib  # noqa: E402
import sys as _sys  # noqa: E402

_sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "portals"))
_sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "pages"))
import make_pages as _mp  # noqa: E402
import make_portals as _fx  # noqa: E402

FAMILIES = ("trs", "listjsp", "gbk", "colon")
_HEAD = "东南西北青白黄红金银石云龙凤桃李松柏梅兰竹菊安平永和长丰宁远新华泰"
_TAIL = "山水川河江湖阳城林原田岭溪口门台州洲坝桥"
_LOOKALIKES = ("{name}{year}年法治政府建设工作要点", "关于印发{name}法治政府建设实施方案（{year}—{end}年）的通知",
               "【政策解读】《{name}{year}年度法治政府建设情况报告》解读", "关于开展{year}年度法治政府建设考核的通知",
               "{name}{year}年上半年经济运行情况")


def county_names(n: int) -> list[str]:
    """n distinct county names (two characters + 县), in a fixed order."""
    names = [f"{a}{b}县" for b in _TAIL for a in _HEAD]
    return names[:n]


class _Writer:
    """One portal's files and routes."""

    def __init__(self, out: Path):
        self.out, self.routes = out, []
        out.mkdir(parents=True, exist_ok=True)

    def add(self, path: str, data: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        name = f"f{len(self.routes)}" + Path(path.split("?")[0]).suffix
        (self.out / name).write_bytes(data)
        self.routes.append({"path": path, "file": name, "content_type": content_type})
        return self.out / name


def _trs(name, reports, lookalikes):
    """TRS WCM: 城口 list furniture with createPageHTML, label-table detail pages."""
    col = "/zwgk/fzzfjsndbg/"
    def href(i, date): return f"./{date[:4]}{date[5:7]}/t{date.replace('-', '')}_{700000 + i}.html"
    def detail(title, paras, date, i):
        return _fx.chengkou_detail(title, paras, f"11500229711623327X/{date[:4]}-{i:05d}", date).encode()
    def lister(rows, n, count):
        return _fx.chengkou_list(rows, n, count).encode()
    def list_path(n): return col + ("index.html" if n == 0 else f"index_{n}.html")
    return col, href, detail, lister, list_path, "utf-8", '<div class="zwxl-tools clearfix">'


def _listjsp(name, reports, lookalikes):
    """list.jsp?page=N with 首页/上一页/下一页/尾页 (保定 furniture), content-N.html details."""
    ccid = 212
    def href(i, date): return f"content-{ccid}-{500000 + i}.html"
    def detail(title, paras, date, i): return _fx.baoding_detail(title, paras, date).encode()
    def lister(rows, n, count): return _fx.listjsp_list(rows, n + 1, count).encode()
    def list_path(n): return f"/list.jsp?ccid={ccid}&page={n + 1}"
    return "/", href, detail, lister, list_path, "utf-8", '<table cellspacing=0 cellpadding=0 class="sj_nr">'


def _gbk_list(rows, n, count, hrefs):
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>法治政府建设年度报告</title>
</head>
<body topmargin="0" leftmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="crumb">您当前的位置：<a href="/">首页</a>&gt;&gt;<a href="/zwgk/">政务公开</a>&gt;&gt;<a href="/zwgk/xxgkml/">信息公开目录</a>&gt;&gt;法治政府建设年度报告</td></tr>
<tr><td><table width="100%" border="0" cellpadding="0" cellspacing="0" class="listtable">
{_fx.lis(rows, '<tr><td class="listtd">·<a href="{href}" target="_blank">{title}</a></td><td class="listdate">{date}</td></tr>')}
</table></td></tr>
<tr><td align="center" class="page">{_fx.static_pager(hrefs, n)}</td></tr>
<tr><td class="footer" align="center">主办：人民政府办公室　版权所有　网站标识码：4301040012</td></tr>
</table>
</body>
</html>
"""


def _gbk(name, reports, lookalikes):
    """Legacy nested tables in GBK (岳麓 layout), a static 上一页/下一页 pager."""
    col = "/zwgk/xxgkml/fzzfjsndbg/"
    def href(i, date): return f"./{date[:4]}{date[5:7]}/t{date.replace('-', '')}_{1100000 + i}.htm"
    def detail(title, paras, date, i):
        return _fx.replace_all(_mp.page_yuelu_legacy(title, paras),
                               [("4301040012/2025-00031", f"4301040012/{date[:4]}-{i:05d}"),
                                ("2025-03-05 16:20:11", f"{date} 10:00:00")]).encode("gbk", "replace")
    def list_path(n): return col + ("index.htm" if n == 0 else f"index_{n}.htm")
    def lister(rows, n, count):
        return _gbk_list(rows, n, count, [list_path(k).rsplit("/", 1)[1] for k in range(count)]).encode("gbk", "replace")
    return col, href, detail, lister, list_path, "gbk", '<tr><td class="tools">'


def _colon(name, reports, lookalikes):
    """XHTML colon-line layout (阿拉善), a ?page=N column with a static pager."""
    col = "/xxgk/fdzdgknr/fzzfjsndbg/"
    def href(i, date): return f"./{date[:4]}{date[5:7]}/t{date.replace('-', '')}_{3300000 + i}.html"
    def detail(title, paras, date, i):
        return _fx.replace_all(_mp.page_alashan_colon(title, paras),
                               [("152900000000031/2023-01296", f"152900000000031/{date[:4]}-{i:05d}")]).encode()
    def list_path(n): return col + f"?page={n + 1}"
    def lister(rows, n, count):
        hrefs = [f"?page={k + 1}" for k in range(count)]
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>法治政府建设年度报告</title>
</head>
<body>
<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="{col}">法治政府建设年度报告</a></div>
<div class="xxgk_list"><ul>
{_fx.lis(rows, '<li><a href="{href}" target="_blank">{title}</a><span class="date">{date}</span></li>')}
</ul>
<div class="fenye">{_fx.static_pager(hrefs, n)}</div>
</div>
</body>
</html>
""".encode()
    return col, href, detail, lister, list_path, "utf-8", '<div class="article-edit">'


_BUILDERS = {"trs": _trs, "listjsp": _listjsp, "gbk": _gbk, "colon": _colon}


def _pdf(title: str, paras: list[str], header: str) -> bytes:
    """A report PDF as governments print them: CID font, running header, "- N -" folios."""
    import io as _io

    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=16, leading=28, firstLineIndent=32,
                          alignment=TA_JUSTIFY, wordWrap="CJK")
    head = ParagraphStyle("title", parent=body, fontSize=22, leading=36, firstLineIndent=0, alignment=TA_CENTER)

    def furniture(c, _doc):
        c.setFont("STSong-Light", 10.5)
        c.drawCentredString(A4[0] / 2, A4[1] - 20 * mm, header)
        c.setFont("STSong-Light", 14)
        c.drawCentredString(A4[0] / 2, 18 * mm, f"- {c.getPageNumber()} -")
    out = _io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, invariant=1)
    doc.build([Paragraph(escape(title), head)] + [Paragraph(escape(p), body) for p in paras],
              onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def _docx(title: str, paras: list[str], header: str | None = None) -> bytes:
    """A Word document laid out like a 公文 (as tests/fixtures/attachments/make_fixtures.py
    makes one): 16pt, first-line indent, the issuer as running header, "- N -" folios."""
    import io as _io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(16)
    if header:
        section = document.sections[0]
        section.header.paragraphs[0].text = header
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("- ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        footer._p.append(field)
        footer.add_run(" -")
    document.add_paragraph(title).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in paras:
        document.add_paragraph(p).paragraph_format.first_line_indent = Pt(32)
    out = _io.BytesIO()
    document.save(out)
    return out.getvalue()


def _convert_pdfs(jobs: list[tuple[str, bytes, Path]], cache: Path) -> None:
    """DOCX → PDF with LibreOffice, in one batch: fonts embedded as the PDFs governments
    publish have them (Word, WPS and LibreOffice all embed a subset). Without LibreOffice
    the reportlab PDFs (a non-embedded CID font) are kept. Converted files are kept in
    `cache` by the hash of their text (LibreOffice takes seconds a file)."""
    import shutil
    import subprocess
    import tempfile
    cache.mkdir(parents=True, exist_ok=True)
    todo = []
    for key, docx_bytes, target in jobs:
        if (cache / f"{key}.pdf").exists():
            target.write_bytes((cache / f"{key}.pdf").read_bytes())
        else:
            todo.append((key, docx_bytes, target))
    jobs = todo
    if not jobs or not shutil.which("soffice"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n, (_, docx_bytes, _) in enumerate(jobs):
            (tmp / f"d{n}.docx").write_bytes(docx_bytes)
        for start in range(0, len(jobs), 100):
            names = [str(tmp / f"d{n}.docx") for n in range(start, min(start + 100, len(jobs)))]
            subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", "pdf", "--outdir", str(tmp), *names], capture_output=True, check=False)
        for n, (key, _, target) in enumerate(jobs):
            made = tmp / f"d{n}.pdf"
            if made.exists():
                target.write_bytes(made.read_bytes())
                shutil.copyfile(made, cache / f"{key}.pdf")


def make_web(out: Path, portals: int = 200, reports: int = 3000, lookalikes: int = 600,
             seed: int = 7, per_page: int = 10) -> Path:
    """Write `portals` portals publishing `reports` reports and `lookalikes` look-alikes in all;
    1 report in 10 is a cover page with a PDF, 1 in 20 with a DOCX, 1 in 10 has its full
    text and a PDF copy attached; list pages of `per_page` entries. Returns `out`, with truth.json."""
    rng = random.Random(seed)
    pool = paragraph_pool()
    names = county_names(portals)
    truth = {"portals": []}
    pdf_jobs: list[tuple[str, bytes, Path]] = []
    for p in range(portals):
        family = FAMILIES[p % len(FAMILIES)]
        name = names[p]
        count = reports // portals + (p < reports % portals)
        looks = lookalikes // portals + (p < lookalikes % portals)
        col, href, detail, lister, list_path, encoding, before = _BUILDERS[family](name, count, looks)
        writer = _Writer(out / f"p{p:03d}")
        entries, known = [], []
        for i in range(count):
            year = 2010 + i % 15
            kind = "法治政府建设情况报告" if i % 2 == 0 else "政府信息公开工作年度报告"
            title = f"{name}{year}年度{kind}" if i % 2 == 0 else f"{name}{year}年{kind}"
            date = f"{year + 1}-03-{1 + i % 28:02d}"
            paras = rng.sample(pool, 12)
            link = href(i, date)
            path = _resolve(col, link)
            mode = ("pdf" if i % 10 == 3 else "docx" if i % 20 == 7 else "both" if i % 10 == 5 else "html")
            page_paras = [f"{title}全文详见附件。"] if mode in ("pdf", "docx") else paras
            html = detail(title, page_paras, date, i)
            if mode != "html":
                ext = "docx" if mode == "docx" else "pdf"
                file_href = f"./P0{date.replace('-', '')}{p:03d}{i:04d}.{ext}"
                block = f'<div class="fujian"><p>附件：<a href="{file_href}">{escape(title)}.{ext}</a></p></div>\n'
                html = html.replace(before.encode(encoding), (block + before).encode(encoding), 1)
                docx_bytes = _docx(title, paras, f"{name}人民政府")
                data = docx_bytes if ext == "docx" else _pdf(title, paras, f"{name}人民政府")
                ctype = ("application/pdf" if ext == "pdf" else
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                target = writer.add(_resolve(path, file_href), data, ctype)
                if ext == "pdf":
                    key = hashlib.sha256("\n".join([title, *paras]).encode()).hexdigest()[:24]
                    pdf_jobs.append((key, docx_bytes, target))
            writer.add(path, html, "text/html" if encoding == "gbk" else "text/html; charset=utf-8")
            entries.append((link, title, date))
            probe = max(paras, key=len)
            known.append({"path": path, "title": title, "mode": mode,
                          "probe": re.sub(r"\s", "", probe)[10:40]})
        for k in range(looks):
            year = 2015 + k % 10
            title = _LOOKALIKES[k % len(_LOOKALIKES)].format(name=name, year=year, end=year + 4)
            date = f"{year}-0{1 + k % 9}-15"
            link = href(count + k, date)
            writer.add(_resolve(col, link), detail(title, rng.sample(pool, 4), date, count + k),
                       "text/html" if encoding == "gbk" else "text/html; charset=utf-8")
            entries.append((link, title, date))
        rng.shuffle(entries)
        pages = [entries[i:i + per_page] for i in range(0, len(entries), per_page)] or [[]]
        for n, chunk in enumerate(pages):
            writer.add(list_path(n), lister(chunk, n, len(pages)),
                       "text/html" if encoding == "gbk" else "text/html; charset=utf-8")
        writer.add("/robots.txt", b"User-agent: *\nDisallow: /wcm/\n", "text/plain")
        host = f"127.0.90.{p + 1}"
        (writer.out / "routes.json").write_text(json.dumps(
            {"site": {"name": f"p{p:03d}", "start": list_path(0)}, "routes": writer.routes}), encoding="utf-8")
        truth["portals"].append({"name": f"p{p:03d}", "dir": f"p{p:03d}", "family": family, "host": host,
                                 "start": list_path(0), "reports": known})
    _convert_pdfs(pdf_jobs, out.parent / "pdf-cache")
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return out


def _resolve(base: str, href: str) -> str:
    """The path `href` names from a page at `base` (a column path ending in / or a page)."""
    from urllib.parse import urljoin
    return urljoin("http://x" + base, href)[len("http://x"):]
