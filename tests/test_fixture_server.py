"""The loopback fixture server: bytes as a real portal sends them, validators, revisions."""
import time
from urllib.parse import urlencode, urlsplit

import pytest

from crawler.devtools.fixture_server import FixtureServer, serve_portal
from tests.conftest import FIXTURES

PORTALS = FIXTURES / "portals"
GBK_PAGE = "/zwgk/xxgkml/fzzfjsndbg/202403/t20240301_11301876.htm"
PROXY = "/module/web/jpage/dataproxy.jsp?startrecord=10&endrecord=18&perpage=3"
FORM = {"col": "1", "appid": "1", "webid": "3185", "path": "/", "columnid": "1229106823", "unitid": "4531779"}


def get(server, path, method="GET", body=None, **headers):
    return server.ask(path, method, body, headers, timeout=5)


@pytest.fixture
def gbk():
    with serve_portal(PORTALS / "gbk", host="127.0.0.61") as (server, base):
        yield server


def test_sends_the_file_bytes_unchanged_with_the_routes_content_type(gbk):
    status, headers, data = get(gbk, GBK_PAGE)
    assert status == 200 and data == (PORTALS / "gbk" / GBK_PAGE.lstrip("/")).read_bytes()
    assert headers["Content-Type"] == "text/html"          # a GBK site naming its charset only in <meta>
    assert int(headers["Content-Length"]) == len(data)
    assert "岳麓区".encode("gbk") in data


def test_unknown_addresses_are_404(gbk):
    assert get(gbk, "/nothing/here.html")[0] == 404
    assert get(gbk, "/robots.txt")[0] == 404


def test_validators_answer_304():
    with serve_portal(PORTALS / "gbk", host="127.0.0.62") as (server, _):
        _, headers, _ = get(server, GBK_PAGE)
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert get(server, GBK_PAGE, **{"If-None-Match": etag})[:1] == (304,)
        assert get(server, GBK_PAGE, **{"If-None-Match": etag})[2] == b""
        assert get(server, GBK_PAGE, **{"If-Modified-Since": modified})[0] == 304
        assert get(server, GBK_PAGE, **{"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
        assert get(server, GBK_PAGE, **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_revise_remove_and_add_a_page(gbk):
    _, before, original = get(gbk, GBK_PAGE)
    revised = original.replace("岳麓区".encode("gbk"), "望城区".encode("gbk"), 1)
    gbk.revise(GBK_PAGE, data=revised)
    status, after, data = get(gbk, GBK_PAGE, **{"If-None-Match": before["ETag"]})
    assert status == 200 and data == revised and after["ETag"] != before["ETag"]
    assert email_time(after["Last-Modified"]) > email_time(before["Last-Modified"])
    gbk.remove(GBK_PAGE)
    assert get(gbk, GBK_PAGE)[0] == 404
    gbk.revise(GBK_PAGE, file=GBK_PAGE.lstrip("/"))
    assert get(gbk, GBK_PAGE)[2] == original
    gbk.add("/zwgk/xxgkml/fzzfjsndbg/new.htm", b"<html>new</html>")
    assert get(gbk, "/zwgk/xxgkml/fzzfjsndbg/new.htm")[2] == b"<html>new</html>"


def email_time(value):
    from email.utils import parsedate_to_datetime
    return parsedate_to_datetime(value).timestamp()


def test_query_strings_match_in_any_order_and_post_forms_must_carry_the_fields():
    with serve_portal(PORTALS / "hanweb", host="127.0.0.63") as (server, _):
        status, headers, data = get(server, PROXY, "POST", urlencode(FORM))
        assert status == 200 and headers["Content-Type"] == "text/xml;charset=UTF-8" and b"<datastore>" in data
        reordered = "/module/web/jpage/dataproxy.jsp?perpage=3&endrecord=18&startrecord=10"
        assert get(server, reordered, "POST", urlencode(FORM))[0] == 200
        assert get(server, PROXY, "POST", urlencode({**FORM, "columnid": "1"}))[0] == 404
        assert get(server, PROXY)[0] == 404   # a GET is not the POST route


def test_counts_bytes_and_logs_requests(gbk):
    assert gbk.bytes_sent == 0
    _, _, first = get(gbk, GBK_PAGE)
    _, headers, _ = get(gbk, GBK_PAGE, **{"If-None-Match": get(gbk, GBK_PAGE)[1]["ETag"]})
    assert gbk.bytes_sent == 2 * len(first)           # the 304 sent no body
    assert [(r["method"], r["path"], r["status"]) for r in gbk.log] == [
        ("GET", GBK_PAGE, 200), ("GET", GBK_PAGE, 200), ("GET", GBK_PAGE, 304)]
    assert "If-None-Match" in gbk.log[2]["headers"]
    assert gbk.requested("/zwgk/") == gbk.log


def test_portals_listen_on_their_own_loopback_addresses_and_stop():
    with serve_portal(PORTALS / "trs", host="127.0.0.64") as (trs, trs_base), \
            serve_portal(PORTALS / "gbk", host="127.0.0.65") as (gbk, gbk_base):
        assert urlsplit(trs_base).hostname == "127.0.0.64" and urlsplit(gbk_base).hostname == "127.0.0.65"
        assert get(trs, "/robots.txt")[2] == b"User-agent: *\nDisallow: /wcm/\n"
        assert get(gbk, "/robots.txt")[0] == 404
        assert trs.request_queue_size == 1024 and trs.daemon_threads
    with pytest.raises(OSError):
        get(trs, "/robots.txt")
    assert not trs.thread.is_alive() and not gbk.thread.is_alive()   # stop() ends the serving thread


def test_many_concurrent_connections_are_not_dropped():
    import threading
    server = FixtureServer(PORTALS / "gbk", host="127.0.0.66").start()
    try:
        results = []

        def fetch():
            results.append(get(server, GBK_PAGE)[0])
        threads = [threading.Thread(target=fetch) for _ in range(64)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 64 and time.time() - started < 5
    finally:
        server.stop()
