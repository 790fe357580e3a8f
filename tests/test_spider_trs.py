"""TRS WCM adapter: createPageHTML / countPage pagers, .shtml variants, TRS document links."""
from scrapy.http import HtmlResponse

from spiders.trs import TrsAdapter, article_pages, page_scheme
from tests.conftest import REALPAGES
from tests.spider_fixtures import BASE, paths, real_response, response

COLUMN = "/zwgk_279/fdzdgknr/fzzfjsndbg/"
trs = TrsAdapter()


def test_detects_the_create_page_html_list():
    assert trs.detect(response("trs", COLUMN + "index.html"))
    assert not trs.detect(response("colon", "/xxgk/fdzdgknr/zfgzbg/?page=1"))


def test_entries_are_the_list_rows_not_the_column_navigation():
    titles = [e.title for e in trs.entries(response("trs", COLUMN + "index.html"))]
    assert titles == ["城口县2020年度法治政府建设情况报告", "城口县人民政府办公室关于印发城口县农村人居环境整治实施方案的通知",
                      "城口县2021年上半年经济运行情况", "重庆市2020年度法治政府建设情况报告"]
    urls = [e.url for e in trs.entries(response("trs", COLUMN + "index.html"))]
    assert urls[0] == BASE + COLUMN + "202103/t20210329_9156342.html"
    assert urls[3].startswith("http://www.cq.gov.cn/")   # listed; the spider keeps to the site's hosts


def test_create_page_html_count_gives_every_index_page():
    assert paths(trs.more_pages(response("trs", COLUMN + "index.html"))) == [
        COLUMN + "index_1.html", COLUMN + "index_2.html"]
    assert paths(trs.more_pages(response("trs", COLUMN + "index_2.html"))) == [COLUMN + "index_1.html"]


def test_browser_saved_count_page_pager_is_deduplicated():
    """hd.gov.cn list saved by a browser: countPage=56 in the script and its rendered links after it."""
    url = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index.html"
    page = real_response("trs", "hd_list_countPage56.html", url)
    assert trs.detect(page)
    urls = [r.url for r in trs.more_pages(page)]
    assert len(urls) == len(set(urls)) == 55
    assert urls[0].endswith("/jinqixxgk/index_1.html") and urls[-1].endswith("/jinqixxgk/index_55.html")
    assert [e.title for e in trs.entries(page)][0] == "邯郸市教育局关于印发《邯郸市学校安全工作目标管理考核办法》的通知"


def test_shtml_and_htm_variants():
    shanxi = real_response("trs", "shanxi_news_trs.html", "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml")
    assert page_scheme(shanxi.text, shanxi.url) == (1, "t20190918_693227", "shtml")
    assert trs.more_pages(shanxi) == []   # one page: nothing further
    assert page_scheme("var countPage = 4//共多少页", "http://x.gov.cn/col/index.htm") == (4, "index", "htm")


def test_pager_with_escaped_quote_gives_its_extension():
    """The real hd.gov.cn pager writes "index"+"_"+nextPage+"."+"shtml\\" …; a directory
    start URL says nothing about the extension, so the script must."""
    script = ('var countPage=3\ndocument.write("<a  href=\\"index"+"_"+nextPage+"."+"shtml\\" '
              'target=\\"_self\\">下一页</a>");')
    assert page_scheme(script, "http://x.gov.cn/xxgk/fzzfjsndbg/") == (3, "index", "shtml")


def test_document_split_in_parts_names_its_further_pages():
    real = (REALPAGES / "www.shanxi.gov.cn" / "detail_news_trs.html").read_text(encoding="utf-8")
    url = "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml"
    assert article_pages(real, url) == []   # createPageHTML(1, 0, …): one page
    split = real.replace('createPageHTML(1,0,"t20190918_693227"', 'createPageHTML(3,0,"t20190918_693227"')
    assert article_pages(split, url) == [url.replace(".shtml", "_1.shtml"), url.replace(".shtml", "_2.shtml")]
    assert article_pages(split, url.replace("693227", "693228")) == []   # another document's pager


def test_element_first_pager_counts_from_one():
    """createPageHTML('page_div', 4, 1, 'index', 'shtml', 14): index_2 … index_4, no index_1."""
    from scrapy.http import HtmlResponse
    page = ("<html><body><ul><li><a href='./202403/t20240329_2812734.shtml'>城口县2023年度法治政府建设情况报告</a>"
            "<span>2024-03-29</span></li></ul><div id='page_div'></div><script>"
            "createPageHTML('page_div',4, 1,'index','shtml',14);</script></body></html>")
    response = HtmlResponse("http://x.gov.cn/zwgk/fzzfjsndbg/index.shtml", body=page.encode(), encoding="utf-8")
    adapter = TrsAdapter()
    assert adapter.detect(response)
    assert [r.url for r in adapter.more_pages(response)] == [
        f"http://x.gov.cn/zwgk/fzzfjsndbg/index_{n}.shtml" for n in (2, 3, 4)]


def test_pager_called_with_the_pages_own_variables_keeps_its_extension():
    """`createPageHTML(countPage, currentPage, "index", "htm")` on a column addressed by its directory:
    the count is the variable's value and the extension the call's, not .html guessed from the address."""
    script = ('<div class="page"><script>var countPage = 3;var currentPage = 0;'
              'createPageHTML(countPage, currentPage, "index", "htm");</script></div>')
    assert page_scheme(script, "http://www.x.gov.cn/zwgk/qtgk/") == (3, "index", "htm")
    page = HtmlResponse("http://www.x.gov.cn/zwgk/qtgk/", encoding="utf-8", body=(
        "<html><body><ul><li><a href='./202401/t20240101_1.htm'>某县2023年法治政府建设情况报告</a></li></ul>"
        + script + "</body></html>").encode())
    assert sorted(r.url for r in TrsAdapter().more_pages(page)) == [
        "http://www.x.gov.cn/zwgk/qtgk/index_1.htm", "http://www.x.gov.cn/zwgk/qtgk/index_2.htm"]
