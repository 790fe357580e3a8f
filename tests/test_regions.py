"""索引号 check characters and issuer names → division codes, on the domain's examples and real pages."""
import re

import pytest
from conftest import REALPAGES

from crawler.extract.regions import org_code_valid, resolve_region, uscc_valid


def region(code, province, city=None, county=None):
    return {"region_code": code, "province": province, "city": city, "county": county}


NONE = region(None, None)
CHENGKOU = region("500229", "重庆市", None, "城口县")


@pytest.mark.parametrize("code, valid", [
    ("11500229711623327X", True),
    ("11620300013909010R", True),
    ("11500229711623327x", True),
    ("11500229711623327Y", False),
    ("11500229711623327", False),
    ("1150022971162332IX", False),
])
def test_uscc_check_character(code, valid):
    assert uscc_valid(code) is valid


@pytest.mark.parametrize("code, valid", [
    ("711623327", True),
    ("013909010", True),
    ("000014349", True),
    ("00001434-9", True),
    ("01527918X", True),
    ("014416330", True),
    ("000014348", False),
    ("01527918Y", False),
    ("0142768-8", False),
])
def test_organisation_code_check_character(code, valid):
    assert org_code_valid(code) is valid


@pytest.mark.parametrize("index_no, publisher, expected", [
    ("11500229711623327X/2021-00118", None, CHENGKOU),
    ("11500229711623327X/2021-00118", "城口县人民政府", CHENGKOU),
    ("11620300013909010R/2025-48086", None, region("620300", "甘肃省", "金昌市")),
    ("152900000000031/2023-01296", "内蒙古阿拉善高新技术产业开发区管理委员会", region("152900", "内蒙古自治区", "阿拉善盟")),
    ("6107280000/2024-001005", None, region("610728", "陕西省", "汉中市", "镇巴县")),
    ("000014349/2017-00110", None, NONE),
    ("000014349/2017-00110", "城口县人民政府", CHENGKOU),
    ("01527918X-2020-153077", None, NONE),
    ("11500229711623327Y/2021-00118", None, NONE),
])
def test_index_number_first(index_no, publisher, expected):
    assert resolve_region(index_no, publisher) == expected


def test_a_deeper_publisher_refines_the_index_region():
    assert resolve_region("152900000000031/2023-01296", "阿拉善左旗人民政府") == \
        region("152921", "内蒙古自治区", "阿拉善盟", "阿拉善左旗")


@pytest.mark.parametrize("publisher, expected", [
    ("城口县人民政府", CHENGKOU),
    ("长沙市岳麓区人民政府", region("430104", "湖南省", "长沙市", "岳麓区")),
    ("中国共产党长沙市岳麓区委员会", region("430104", "湖南省", "长沙市", "岳麓区")),
    ("中共淮北市烈山区委 烈山区人民政府", region("340604", "安徽省", "淮北市", "烈山区")),
    ("内蒙古阿拉善高新技术产业开发区管理委员会", region("152900", "内蒙古自治区", "阿拉善盟")),
    ("阿拉善经济开发区管委会", region("152971", "内蒙古自治区", "阿拉善盟", "内蒙古阿拉善经济开发区")),
    ("重庆市长寿区司法局", region("500115", "重庆市", None, "长寿区")),
    ("国家税务总局城口县税务局", CHENGKOU),
    ("济源市人民政府", region("419001", "河南省", None, "济源市")),
    ("荆州市公安局", region("421000", "湖北省", "荆州市")),
    ("公安县人民政府", region("421022", "湖北省", "荆州市", "公安县")),
    ("济南市市中区人民政府", region("370103", "山东省", "济南市", "市中区")),
    ("吉林市人民政府", region("220200", "吉林省", "吉林市")),
    ("市政府办公室", NONE),
    ("应急管理部", NONE),
    ("和平镇人民政府", NONE),
    ("四川北路街道办事处", NONE),
    ("友谊路街道办事处", NONE),
    ("中山北路街道办事处", NONE),
    ("新区管委会", NONE),
    (None, NONE),
])
def test_publisher_names(publisher, expected):
    assert resolve_region(None, publisher) == expected


@pytest.mark.parametrize("hint, expected", [
    (None, NONE),
    ("350100", region("350102", "福建省", "福州市", "鼓楼区")),
    ("350102", region("350102", "福建省", "福州市", "鼓楼区")),
    ("320000", region("320000", "江苏省")),
    ("110000", NONE),
])
def test_ambiguous_name_needs_the_site_hint(hint, expected):
    assert resolve_region(None, "鼓楼区人民政府", hint=hint) == expected


@pytest.mark.parametrize("publisher, expected", [
    ("延边州敦化市人民政府", region("222403", "吉林省", "延边朝鲜族自治州", "敦化市")),
    ("恩施州利川市人民政府", region("422802", "湖北省", "恩施土家族苗族自治州", "利川市")),
    ("恩施州人民政府", region("422800", "湖北省", "恩施土家族苗族自治州")),
    ("湘西州司法局", region("433100", "湖南省", "湘西土家族苗族自治州")),
    ("丽江市玉龙县人民政府", region("530721", "云南省", "丽江市", "玉龙纳西族自治县")),
])
def test_an_autonomous_unit_named_by_its_short_name_and_tier(publisher, expected):
    """甘南州合作市 / 昌吉州阜康市: the prefecture's short name plus 州 leads on to the county-level unit under it."""
    assert resolve_region(None, publisher) == expected


def test_index_region_settles_an_ambiguous_publisher():
    assert resolve_region("3501000000/2020-00001", "鼓楼区人民政府") == region("350102", "福建省", "福州市", "鼓楼区")


@pytest.mark.parametrize("publisher", ["江干区人民政府", "杭州市江干区人民政府"])
def test_historical_name_keeps_its_own_code(publisher):
    assert resolve_region(None, publisher) == region("330104", "浙江省", "杭州市", "江干区")


def test_historical_code_in_an_index_number():
    assert resolve_region("3301040000/2019-00001", None) == region("330104", "浙江省", "杭州市", "江干区")


def test_current_name_wins_over_an_old_unit_of_the_same_name():
    assert resolve_region(None, "伊宁县人民政府") == region("654021", "新疆维吾尔自治区", "伊犁哈萨克自治州", "伊宁县")


def test_a_citys_zone_named_after_one_of_its_counties_is_the_citys():
    """吉安井冈山经济技术开发区 is 吉安's zone, named after 井冈山 (national27): a county's short name right
    before a zone word does not take the chain into that county; the county itself, named so, still does."""
    assert resolve_region(None, "吉安井冈山经济技术开发区管理委员会")["region_code"] == "360800"
    assert resolve_region(None, "吉安市井冈山市人民政府")["region_code"] == "360881"
    assert resolve_region(None, "吉安市井冈山市工业园区管理委员会")["region_code"] == "360881"


def test_a_zone_named_alone_after_a_county_names_no_place():
    """霍尔果斯经济开发区管理委员会 as the 发布机构 on 伊犁州's portal (national33), 昭阳工业园区 on 昭通's
    (national21): the zone is the prefecture's body, named after the county, so the name places the report
    nowhere (the title's issuer or the portal's region does); a county named in full, or a prefecture named
    short (苏州工业园区: 320571, its own code), still places it."""
    assert resolve_region(None, "霍尔果斯经济开发区管理委员会", "654000")["region_code"] is None
    assert resolve_region(None, "伊犁州霍尔果斯经济开发区")["region_code"] == "654000"
    assert resolve_region(None, "昭阳工业园区管理委员会")["region_code"] is None
    assert resolve_region(None, "霍尔果斯市司法局")["region_code"] == "654004"
    assert resolve_region(None, "宽城区高新技术产业开发区")["region_code"] == "220103"


def label_value(raw: str, label: str) -> str:
    """The value printed after a metadata label on a real page."""
    text = re.sub(r"<[^>]+>", " ", raw).replace("&ensp;", "")
    return re.search(re.escape(label) + r"\s*[：:]?\s*([^\s：:]+)", text).group(1)


@pytest.mark.parametrize("page, index_label, publisher_label, expected", [
    ("www.gov.cn/fragment_zhengce_content_5352666_metatable_ucap.html", "索 引 号", "发文机关", NONE),
    ("hdzfxxgk.hd.gov.cn/detail_jyj_t20200802_1352104_saved_as_jsp.html", "索引号", "发布机构",
     region("130400", "河北省", "邯郸市")),
    ("www.pingtan.gov.cn/detail_gwhwj_60970_metabox_trs_fujian_jiyue.html", "索引号", "发文机关",
     region("350128", "福建省", "福州市", "平潭县")),
])
def test_real_pages(page, index_label, publisher_label, expected):
    raw = (REALPAGES / page).read_bytes().decode("utf-8")
    assert resolve_region(label_value(raw, index_label), label_value(raw, publisher_label)) == expected
