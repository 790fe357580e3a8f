"""Near-duplicate bodies and the official copy, on the seeds and the copies the web makes of them."""
import itertools
import re

import pytest

from crawler.analyze.dedup import THRESHOLD, NearDuplicates, official_rank, same_report, title_subject
from tests.conftest import SEEDS

SEED_TEXT = {path.name[:3]: path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))}
CHENGKOU = SEED_TEXT["003"]
YUELU = SEED_TEXT["001"]
CHENGKOU_TITLE = "城口县2020年度法治政府建设情况报告"


def report_lines(text: str, first: str) -> list[str]:
    """The report itself, as a copier takes it: from its title, without the page's own lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines[lines.index(first):] if not line.startswith("扫一扫")]


def aggregator_copy(text: str, title: str, mask: bool = True) -> str:
    """What a 范文 site makes of a report, as seed 000 shows: its own lead and tail lines
    around the text, the leader's name masked as ***, place names and figures as **."""
    body = "\n".join(report_lines(text, title)[1:])
    if mask:
        body = body.replace("习近平", "***").replace("城口", "**")
        body = re.sub(r"\d+(?=名|场次|期|本|次|件|个|人)", lambda m: "*" * len(m.group()), body)
    return (f"{title}\n下面是小编为大家整理的{title},供大家参考。\n{title}\n{body}\n"
            f"推荐访问:{title[:3]} 法治 {title}")


def test_the_aggregator_copy_is_masked_like_seed_000():
    copy = aggregator_copy(CHENGKOU, CHENGKOU_TITLE)
    masks = len(re.findall(r"\*+", copy))
    assert masks >= 50 and "***法治思想" in copy and "下面是小编" in copy
    assert len(re.findall(r"\*+", SEED_TEXT["000"])) >= masks  # seed 000 masks at least as much


def test_masked_aggregator_copy_matches_its_original():
    index = NearDuplicates()
    index.add("http://www.cqck.gov.cn/zwgk_250/fzzfjsndbg/202107/t20210723_9513226.html", CHENGKOU)
    found = index.match(aggregator_copy(CHENGKOU, CHENGKOU_TITLE))
    assert found is not None
    key, similarity = found
    assert key.startswith("http://www.cqck.gov.cn/") and THRESHOLD <= similarity <= 1
    # the shingles the masks destroyed count as unknown, not as differences (raw estimate: 0.93)
    assert similarity > 0.97


def test_aggregator_lines_do_not_count_against_a_match():
    """Unmasked, the copy differs from the page only by the aggregator's lines and the
    portal's own (breadcrumb, 索引号 box, 扫一扫): with those dropped the texts are the same."""
    index = NearDuplicates()
    index.add("official", CHENGKOU)
    assert index.match(aggregator_copy(CHENGKOU, CHENGKOU_TITLE, mask=False)) == ("official", 1.0)


def test_republished_copy_with_another_header_matches():
    lines = report_lines(YUELU, "关于2024年岳麓区法治政府建设工作情况的报告")
    republished = "\n".join(["长沙市人民政府 > 政务公开 > 区县动态", lines[0],
                             "来源：岳麓区人民政府 发布时间：2025-03-05 浏览次数：", *lines[1:],
                             "分享到：微信 微博"])
    index = NearDuplicates()
    index.add("yuelu", YUELU)
    assert index.match(republished)[0] == "yuelu"
    assert index.match(republished)[1] > 0.95


def test_different_reports_never_match():
    index = NearDuplicates()
    for name, text in SEED_TEXT.items():
        assert index.match(text) is None, name
        index.add(name, text)
    assert len(SEED_TEXT) == 5
    index.remove("003")
    assert index.match(CHENGKOU) is None  # 004 is the nearest left, and is another report


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(sorted(SEED_TEXT), 2)))
def test_seed_pairs_are_not_duplicates(a, b):
    index = NearDuplicates()
    index.add(a, SEED_TEXT[a])
    assert index.match(SEED_TEXT[b]) is None


def test_short_bodies_are_never_matched():
    index = NearDuplicates()
    index.add("a", "详见附件。\n附件：城口县2020年度法治政府建设情况报告.pdf")
    assert index.match("详见附件。\n附件：城口县2020年度法治政府建设情况报告.pdf") is None


def test_match_is_deterministic_and_prefers_the_closest():
    copy = aggregator_copy(CHENGKOU, CHENGKOU_TITLE)
    results = set()
    for order in (["official", "other"], ["other", "official"]):
        index = NearDuplicates()
        for key in order:
            index.add(key, CHENGKOU if key == "official" else SEED_TEXT["004"])
        results.add(index.match(copy))
    assert len(results) == 1 and next(iter(results))[0] == "official"


def test_re_adding_a_key_replaces_its_text():
    index = NearDuplicates()
    index.add("k", SEED_TEXT["004"])
    index.add("k", CHENGKOU)
    assert index.match(CHENGKOU)[0] == "k"
    assert index.match(SEED_TEXT["004"]) is None


def test_official_rank_picks_the_gov_cn_unmasked_self_published_copy():
    body = "\n".join(report_lines(CHENGKOU, CHENGKOU_TITLE)[1:])
    copies = {
        "county": ("http://www.cqck.gov.cn/zwgk_250/fzzfjsndbg/202107/t20210723_9513226.html",
                   CHENGKOU_TITLE, body, "城口县人民政府"),
        "city": ("http://www.cq.gov.cn/zwgk/qxdt/202107/t20210726_9521001.html",
                 CHENGKOU_TITLE, body, "重庆市人民政府办公厅"),
        "aggregator": ("https://www.fanwen.example.com/fzzf/2021/0801/53321.html",
                       CHENGKOU_TITLE, aggregator_copy(CHENGKOU, CHENGKOU_TITLE), None),
        "aggregator_clean_looking": ("https://www.a.example.com/53321.html", CHENGKOU_TITLE, body, "城口县人民政府"),
    }
    ranked = sorted(copies, key=lambda name: official_rank(*copies[name]))
    assert ranked == ["county", "city", "aggregator_clean_looking", "aggregator"]


def test_official_rank_district_beats_city_portal_even_when_the_city_is_named():
    """Seed 001 is signed 长沙市岳麓区人民政府: the city 长沙市 appears in the signature, but
    the most specific division there is 岳麓区, the district's."""
    lines = report_lines(YUELU, "关于2024年岳麓区法治政府建设工作情况的报告")
    title, body = lines[0], "\n".join(lines[1:])
    district = ("http://www.yuelu.gov.cn/zwgk/fzzfjs/202503/t20250305_11712345.html", title, body,
                "长沙市岳麓区人民政府")
    city = ("http://www.changsha.gov.cn/zfxxgk/qxdt/202503/t20250306_11713001.html", title, body,
            "长沙市人民政府办公厅")
    assert official_rank(*district) < official_rank(*city)
    assert official_rank(*district)[:3] == (False, False, False)
    assert official_rank(*city)[:3] == (False, False, True)


def test_official_rank_ties_are_broken_by_url():
    body = "\n".join(report_lines(CHENGKOU, CHENGKOU_TITLE)[1:])
    a = official_rank("http://www.cqck.gov.cn/a.html", CHENGKOU_TITLE, body, "城口县人民政府")
    b = official_rank("http://www.cqck.gov.cn/b.html", CHENGKOU_TITLE, body, "城口县人民政府")
    assert a < b and a[:3] == b[:3]


def test_signature_survives_storage():
    """Signatures are stored with the archive so that a crawl does not re-hash every report."""
    from crawler.analyze.dedup import Signature, signature_of
    original = signature_of(CHENGKOU)
    restored = Signature.from_bytes(original.to_bytes())
    assert (restored.shingles, restored.masked) == (original.shingles, original.masked)
    index = NearDuplicates()
    index.add("stored", signature=restored)
    assert index.match(CHENGKOU) == ("stored", 1.0)


def test_traditional_chinese_mirror_is_a_copy():
    """Mirror sites republish reports converted to Traditional characters."""
    import opencc
    mirror = opencc.OpenCC("s2t").convert(CHENGKOU)
    assert mirror != CHENGKOU
    index = NearDuplicates()
    index.add("official", CHENGKOU)
    key, similarity = index.match(mirror)
    assert key == "official" and similarity >= THRESHOLD


# Reports written from one outline: a short 法治 report whose text differs between governments only by
# the name, and between years only by the year (national9's reports are written so, as real ones are
# from a province's outline or last year's text). Like text, and yet not one report.
OUTLINE = ("{year}年，{name}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面落实"
           "《法治政府建设实施纲要（2021—2025年）》，现将有关情况报告如下：\n"
           "一、{year}年推进法治政府建设的主要举措和成效\n（一）加强党的全面领导，履行推进法治建设第一责任人职责。\n"
           "（二）依法全面履行政府职能，持续优化法治化营商环境。\n（三）健全依法决策机制，严格落实重大行政决策程序。\n"
           "二、存在的不足和原因\n一是依法行政能力有待提升；二是行政执法规范化水平仍需提高。\n"
           "三、{next}年推进法治政府建设的主要安排\n四、其他需要报告的情况\n{name}\n{next}年3月2日")


def outlined(name: str, year: int, region: str, publisher: str | None = None, **row) -> dict:
    return {"url": f"http://{region}.example/{year}.html", "report_type": "法治政府建设年度报告", "year": year,
            "region_code": region, "issuer_type": "government", "publisher": publisher or name,
            "body": OUTLINE.format(year=year, next=year + 1, name=name), **row}


def index_of(*reports: dict) -> NearDuplicates:
    index = NearDuplicates()
    for r in reports:
        index.add(r["url"], r["body"])
    return index


def matched(index: NearDuplicates, report: dict, rows: dict) -> str | None:
    found = index.match(report["body"], accept=lambda key: same_report(report, rows[key]))
    return found and found[0]


def test_an_outline_is_not_a_copy_of_another_governments_report_or_of_last_years():
    henan = outlined("河南省人民政府", 2025, "410000")
    others = [outlined("资兴市人民政府", 2025, "431081"), outlined("河南省人民政府", 2024, "410000"),
              outlined("河南省人民政府", 2025, "410000", report_type="政府信息公开工作年度报告"),
              outlined("河南省司法厅", 2025, "410000", issuer_type="department")]
    rows = {r["url"]: r for r in others}
    for other in others:   # like enough to be taken for a copy by text alone
        assert index_of(other).match(henan["body"]) is not None
        assert matched(index_of(other), henan, rows) is None, other


def test_a_copy_of_the_same_report_still_matches_among_others():
    """A district's report republished on its city's portal (placed in the city when its page names no
    issuer), with another government's like report in the index too: the copy finds its own."""
    district = outlined("岳麓区人民政府", 2024, "430104")
    neighbour = outlined("开福区人民政府", 2024, "430105")
    on_city_portal = dict(district, url="http://www.changsha.gov.cn/2024.html", region_code="430100",
                          publisher=None)
    rows = {r["url"]: r for r in (district, neighbour)}
    assert matched(index_of(neighbour, district), on_city_portal, rows) == district["url"]


def test_a_citys_report_is_not_a_copy_of_its_countys_or_townships_written_from_one_outline():
    """A city's and its county's (or a township's) reports from one outline: the county's region lies inside
    the city's, as a re-posted copy placed in the city would, so regions cannot part them — their titles can,
    naming two governments. A re-post keeps the county's title and stays its copy."""
    city = outlined("武陵市人民政府", 2024, "431000", title="武陵市人民政府关于2024年度法治政府建设情况的报告")
    county = outlined("桃源县人民政府", 2024, "431025", title="桃源县人民政府2024年法治政府建设年度报告")
    town = outlined("桃源县漳江镇人民政府", 2024, "431025", issuer_type="township",
                    title="桃源县漳江镇人民政府2024年法治政府建设年度报告")
    year_first = dict(county, url="http://431025.example/y.html", title="2024年桃源县法治政府建设情况报告")
    rows = {r["url"]: r for r in (county, town, year_first)}
    for other in (county, town, year_first):
        assert index_of(other).match(city["body"]) is not None      # like enough by text alone
        assert matched(index_of(other), city, rows) is None, other["title"]
    repost = dict(county, url="http://www.wuling.gov.cn/2024.html", region_code="431000", publisher=None)
    assert matched(index_of(county), repost, {county["url"]: county}) == county["url"]
    assert title_subject("**市人民政府2024年法治政府建设年度报告") is None   # a 范文 site's masked name: unknown


def test_an_outline_is_not_a_copy_of_the_report_of_a_government_above_or_below():
    """Nested regions (a county inside its city, a city inside its province) hold a republished copy
    only when the wider one's text names the narrower one: a city's own report and its county's,
    written from the same outline, are two reports — though a copy on the city's portal, named as
    the city's by its 发布机构, is still the county's."""
    city, county = outlined("长治市人民政府", 2022, "140400"), outlined("长子县人民政府", 2022, "140428")
    province = outlined("河南省人民政府", 2022, "410000")
    prefecture = outlined("安阳市人民政府", 2022, "410500")
    for wide, narrow in ((city, county), (province, prefecture)):
        rows = {wide["url"]: wide, narrow["url"]: narrow}
        assert index_of(wide).match(narrow["body"]) is not None
        assert matched(index_of(wide), narrow, rows) is None
        assert matched(index_of(narrow), wide, rows) is None
    reposted = dict(county, url="http://www.changzhi.gov.cn/2022.html", region_code="140400",
                    publisher="长治市人民政府办公室")
    rows = {county["url"]: county, city["url"]: city}
    assert matched(index_of(city, county), reposted, rows) == county["url"]


def test_files_from_one_outline_signed_by_two_governments_are_two_reports():
    """Two PDFs linked straight from their lists: no page names an issuer or a region, but each text
    is signed with its government's name (a copy keeps the signature; 范文 sites mask it)."""
    ours = dict(outlined("辽阳市人民政府", 2020, "x"), region_code=None, publisher=None, issuer_type=None)
    theirs = dict(outlined("红河州人民政府", 2020, "y"), region_code=None, publisher=None, issuer_type=None)
    rows = {theirs["url"]: theirs}
    assert index_of(theirs).match(ours["body"]) is not None
    assert matched(index_of(theirs), ours, rows) is None
    copy = dict(theirs, url="http://mirror.example/2020.html")
    masked = dict(copy, body=theirs["body"].replace("红河州", "***"))
    assert matched(index_of(theirs), copy, rows) == theirs["url"]
    assert matched(index_of(theirs), masked, rows) == theirs["url"]
    # a Traditional mirror's copy is signed 紅河州人民政府: the same name
    import opencc
    mirror = dict(copy, body=opencc.OpenCC("s2t").convert(theirs["body"]))
    assert mirror["body"] != theirs["body"] and matched(index_of(theirs), mirror, rows) == theirs["url"]


def test_a_city_and_its_districts_report_each_naming_its_own_publisher_are_two_reports():
    """A city portal lists its districts' 年报 beside its own, all written from the province's
    outline: the city's report and a district's (regions nested, 441800 ⊃ 441802) are as like as a
    copy. Each page names its own publisher in its title: two reports. A copy of the district's
    report on the city's portal still matches it — its title names the district."""
    city = outlined("武陵市人民政府", 2024, "441800", title="武陵市人民政府2024年法治政府建设年度报告")
    district = outlined("武陵市桃源区人民政府", 2024, "441802", title="2024年桃源区法治政府建设年度报告")
    rows = {r["url"]: r for r in (city, district)}
    assert index_of(district).match(city["body"]) is not None   # like enough by text alone
    assert matched(index_of(district), city, rows) is None
    assert matched(index_of(city), district, rows) is None
    copy = dict(district, url="http://www.wl.gov.cn/2024.html", region_code="441800", publisher="武陵市人民政府办公室")
    assert matched(index_of(city, district), copy, rows) == district["url"]


def test_files_of_two_governments_titled_with_their_names_are_two_reports():
    """Two governments' 年报 as PDFs linked straight from their lists, written from one outline: the
    rows have no region when they are compared, but their titles name two places, neither within
    the other — two reports. A county's file republished on its city's portal keeps its title."""
    def filed(name: str, host: str) -> dict:
        return dict(outlined(name, 2020, ""), url=f"http://{host}/P020210315.pdf", region_code=None,
                    publisher=None, title=f"{name}2020年法治政府建设年度报告")
    province, county = filed("云岭省人民政府", "www.yl.gov.cn"), filed("武陵县人民政府", "www.wl.gov.cn")
    rows = {r["url"]: r for r in (province, county)}
    assert index_of(county).match(province["body"]) is not None   # like enough by text alone
    assert matched(index_of(county), province, rows) is None
    copy = dict(county, url="http://www.city.gov.cn/P020210316.pdf", title="湘西州武陵县2020年法治政府建设年度报告")
    assert matched(index_of(province, county), copy, rows) == county["url"]
    # a 范文 site's copy masks the name (某区): it names no place, and still matches its report
    masked = dict(county, url="http://fanwen.example/119.html", title="2020年度某县法治政府建设年度报告")
    assert matched(index_of(province, county), masked, rows) == county["url"]


FIGURED = ("{year}年，西关街道深入学习贯彻习近平法治思想，现将有关情况报告如下：\n"
           "一、主要举措和成效\n（一）健全依法行政制度体系。全年审查行政规范性文件{a}件，备案审查率100%。\n"
           "（二）推进严格规范公正文明执法。办理行政执法案件{b}件，行政复议案件{c}件，纠错率{d}%。\n"
           "（三）深化“放管服”改革。政务服务事项网上可办率达{e}%，“一件事一次办”事项{f}项。\n"
           "（四）加强党的全面领导，履行推进法治建设第一责任人职责，健全依法决策机制，严格落实重大行政决策程序。\n"
           "二、存在的不足和原因\n一是依法行政能力有待提升；二是行政执法规范化水平仍需提高；三是基层法治建设基础较为薄弱。\n"
           "三、{next}年推进法治政府建设的主要安排\n持续深化法治宣传教育，提升依法行政水平，推进严格规范公正文明执法。\n"
           "四、其他需要报告的情况\n无。\n")


def test_reports_from_one_outline_with_other_figures_are_two_reports():
    """Three portals' 西关街道 (many towns bear the name) write their reports from one outline, no page naming a
    region or a publisher: the words are alike, the figures are each its own. A copy keeps the figures — a
    re-post with the thousands written 34,793, a 范文 site masking some as ** — and still matches."""
    def town(host: str, *figures) -> dict:
        return {"url": f"http://{host}/2024.docx", "report_type": "法治政府建设年度报告", "year": 2024,
                "title": "西关街道2024年度法治政府建设工作报告",
                "body": FIGURED.format(year=2024, next=2025, **dict(zip("abcdef", figures, strict=True)))}
    ours = town("www.sx.gov.cn", 2041, 34793, 2049, 4.9, 99, 2059)
    theirs = town("www.zhanjiang.gov.cn", 2049, 34929, 2057, 4.7, 97, 2067)
    rows = {ours["url"]: ours}
    assert index_of(ours).match(theirs["body"]) is not None      # like enough by text alone
    assert matched(index_of(ours), theirs, rows) is None
    repost = dict(ours, url="http://www.city.gov.cn/2024.html", body=ours["body"].replace("34793", "34,793"))
    masked = dict(ours, url="http://fanwen.example/1.html", body=re.sub(r"20[45]\d(?=件|项)", "**", ours["body"]))
    assert matched(index_of(ours), repost, rows) == ours["url"]
    assert matched(index_of(ours), masked, rows) == ours["url"]
