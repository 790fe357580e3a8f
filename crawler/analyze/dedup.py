"""Near-duplicate report bodies across addresses, and which copy is the official one.

The same report is published by the county, republished by the city portal and
copied by 范文 aggregators that mask names as ** and wrap the text in their own
lines. The `reports` table keeps one row per report, so copies are recognised
by their text: character shingles, MinHash signatures, and an LSH index to find
candidates without comparing every pair. Pure: no Scrapy, no SQL.
"""
import functools
import re
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import opencc

from crawler.extract.classify import REPORT_TYPES, body_year

THRESHOLD = 0.8
"""Estimated Jaccard similarity (masked shingles discounted) from which two bodies are one report."""
SHINGLE = 5
"""Characters per shingle: long enough that unrelated reports in the same stock phrases share
few (seeds 000-004: at most 3%), short enough that a mask costs few (*** costs 7)."""
MIN_SHINGLES = 100
"""Shorter bodies ("详见附件。") are alike across unrelated reports, so they are never matched."""
SIGNATURE_VERSION = 3
"""Bumped whenever normalisation, shingling or hashing changes: stored signatures of another
version are recomputed. 3: shingles hashed in numpy (one pass over the text), not one sha1 each."""
NUM_PERM = 128
SEED = 1
_BANDS, _ROWS = 25, 5
"""LSH bands of 5 values (125 of the 128): the banding datasketch's MinHashLSH chooses for a
threshold of 0.5 — candidates are fetched generously, then scored with masks discounted."""

_AGGREGATOR = (r"下面是小编|以下是小编|小编(?:为大家|整理)|推荐访问|相关推荐|相关阅读|相关文章|猜你喜欢|热门推荐"
               r"|本文(?:来源|链接|地址|由)|原文(?:链接|地址)|免责声明|版权声明|转载请注明")
"""Lines 范文 aggregators wrap around a copied report."""
_PORTAL = (r"来源[:：]|信息来源|发布(?:时间|日期)[:：]|时间[:：]|作者[:：]|(?:责任)?编辑[:：]|浏览次数|扫一扫"
           r"|分享到|打印本页|关闭窗口|上一篇|下一篇|您当前的位置|当前位置|\[\s*索引号|版权所有")
"""Lines portals put around a report, official or republished alike: they differ between copies."""
_AGGREGATOR_LINE = re.compile(_AGGREGATOR)
_FURNITURE_LINE = re.compile(f"{_AGGREGATOR}|{_PORTAL}")
_MASK = re.compile(r"\*+")
_T2S = opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # NUM_PERM uint32 MinHash values
    shingles: int  # distinct shingles hashed
    masked: int  # shingles that masks (***) destroyed: unknown rather than different

    def to_bytes(self) -> bytes:
        """Compact form, so an archive of thousands of reports is not re-hashed at every crawl."""
        return struct.pack("<II", self.shingles, self.masked) + self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Signature":
        shingles, masked = struct.unpack_from("<II", data)
        values = np.frombuffer(data, dtype="<u4", offset=8).astype(np.uint32)
        return cls(values, shingles, masked)


class NearDuplicates:
    """An index of report bodies by key (e.g. URL or row id); `match` finds a
    body's copy among those added. Deterministic: fixed hash seed, ties by key."""

    def __init__(self) -> None:
        self._bands: list[dict[bytes, set[str]]] = [{} for _ in range(_BANDS)]
        self._signatures: dict[str, Signature] = {}

    def add(self, key: str, text: str | None = None, signature: Signature | None = None) -> None:
        """Index `text` (or its signature) under `key`, replacing what the key had; bodies
        too short to judge are not indexed."""
        self.remove(key)
        signature = signature or (signature_of(text) if text else None)
        if signature:
            for band, bucket in zip(self._bands, _band_keys(signature), strict=True):
                band.setdefault(bucket, set()).add(key)
            self._signatures[key] = signature

    def remove(self, key: str) -> None:
        signature = self._signatures.pop(key, None)
        if signature:
            for band, bucket in zip(self._bands, _band_keys(signature), strict=True):
                band[bucket].discard(key)
                if not band[bucket]:
                    del band[bucket]

    def _candidates(self, signature: Signature) -> set[str]:
        """Keys sharing at least one band bucket with `signature`."""
        out: set[str] = set()
        for band, bucket in zip(self._bands, _band_keys(signature), strict=True):
            out |= band.get(bucket, set())
        return out

    def match(self, text: str, signature: "Signature | None" = None,
              accept: "Callable[[str], bool] | None" = None) -> tuple[str, float] | None:
        """The indexed key most similar to `text` and its similarity, if at least THRESHOLD;
        `signature` is text's when it was computed elsewhere (a worker process). `accept(key)`
        may turn a candidate down (a like text that is another report, see `same_report`):
        the most similar accepted one is the match."""
        signature = signature or signature_of(text)
        if not signature:
            return None
        scored = sorted((-_similarity(signature, self._signatures[key]), key)
                        for key in self._candidates(signature))
        for negative, key in scored:
            if -negative < THRESHOLD:
                break
            if accept is None or accept(key):
                return key, -negative
        return None


def _band_keys(signature: "Signature") -> list[bytes]:
    """The signature's LSH bucket in each band: the bytes of its values there."""
    data = signature.values.astype("<u4").tobytes()
    return [data[4 * _ROWS * band:4 * _ROWS * (band + 1)] for band in range(_BANDS)]


def _normalise(text: str) -> str:
    """The report's letters, digits and masks: furniture lines dropped, full-width
    forms folded (NFKC), Traditional characters read as Simplified (mirror sites convert
    whole reports), whitespace and punctuation removed."""
    kept = "".join(line for line in text.splitlines() if not _FURNITURE_LINE.match(line.strip()))
    folded = _T2S.convert(unicodedata.normalize("NFKC", kept))
    return _NOT_KEPT.sub("", folded)


_NOT_KEPT = re.compile(r"[^\w*]|_")
"""Everything but letters, digits (str.isalnum: what \\w matches, less the underscore) and masks."""


@functools.lru_cache(maxsize=8)   # a crawl matches a text, then adds it: hash it once
def signature_of(text: str) -> Signature | None:
    """Shingles never span a mask, so a masked copy's shingles are a subset of the
    original's; the count of shingles the masks cost is kept to discount them."""
    folded = _normalise(text)
    hashes = _shingle_hashes(folded)
    if len(hashes) < MIN_SHINGLES:
        return None
    masked = sum(len(run) + SHINGLE - 1 for run in _MASK.findall(folded))
    return Signature(_min_permuted(hashes), len(hashes), masked)


_MIX = np.uint64(0x9E3779B97F4A7C15)
_CHUNK = 4096  # shingles permuted at a time: 4096 × 128 × 4 bytes = 2 MB, whatever the text's length


def _shingle_hashes(folded: str) -> np.ndarray:
    """One 32-bit hash per distinct shingle (SHINGLE consecutive characters, none a mask):
    the text as an array of code points, every window of SHINGLE hashed at once by
    multiply-xorshift rounds over its code points into 64 bits, duplicates dropped by that
    hash (two distinct shingles of one report sharing it: odds under 10^-9), then folded
    to 32 bits for the permutations."""
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.empty(0, dtype=np.uint32)
    count = len(codes) - SHINGLE + 1
    h = np.zeros(count, dtype=np.uint64)
    masked = np.zeros(count, dtype=bool)
    for offset in range(SHINGLE):
        window = codes[offset:offset + count]
        masked |= window == ord("*")
        h = (h ^ window) * _MIX
        h ^= h >> np.uint64(29)
    h = np.unique(h[~masked])
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return h.astype(np.uint32)


@functools.lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """NUM_PERM affine permutations h → a·h + b mod 2^32, a odd (a bijection), drawn from
    SEED as datasketch 2's "affine32" scheme draws them (the same a and b)."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _min_permuted(hashes: np.ndarray) -> np.ndarray:
    """The MinHash values: for each permutation, the least permuted hash (uint32 wraps)."""
    a, b = _permutations()
    values = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(hashes), _CHUNK):
        chunk = hashes[start:start + _CHUNK, None]
        np.minimum(values, (chunk * a + b).min(axis=0), out=values)
    return values


def _similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity, with the shingles lost to masks left out of the
    union: |A∩B| and |A∪B| follow from the estimate J and the two set sizes."""
    jaccard = float(np.count_nonzero(a.values == b.values)) / NUM_PERM
    union = (a.shingles + b.shingles) / (1 + jaccard)
    common = jaccard * union
    return common / max(union - a.masked - b.masked, common, 1)


def official_rank(url: str, title: str | None, body: str | None, publisher: str | None) -> tuple:
    """Sort key over copies of one report: the smallest is the official publisher's page.

    Compared in order:
    1. a host under .gov.cn beats any other host;
    2. a clean body beats one with masks (** as 范文 sites print for names and figures)
       or aggregator/republisher lines (下面是小编为大家整理的…, 推荐访问…);
    3. a page whose publisher (发布机构) is named in its own title or signature beats a
       republishing one, e.g. a city portal republishing a district's report: the
       publisher's most specific division (长沙市岳麓区人民政府 → 岳麓区) must be the
       most specific division of the title or of a signature line (a short line among
       the body's last four), or the publisher's full name must be such a line;
    4. the URL, so that the choice never depends on crawl order.
    """
    host = (urlsplit(url).hostname or "").lower()
    on_gov = host == "gov.cn" or host.endswith(".gov.cn")
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()]
    dirty = any("**" in line or _AGGREGATOR_LINE.match(line) for line in lines)
    signature = [line for line in lines[-4:] if len(line) <= 30]
    return (not on_gov, dirty, not _names_itself(publisher, [title or "", *signature]), url)


def more_official(report: dict, other: dict) -> bool:
    """Should `report` hold the row that `other` holds now? Only when it ranks strictly
    before it: an equally official copy never takes the row from the one found first."""
    def rank(r: dict) -> tuple:
        return official_rank(r["url"], r.get("title"), r.get("body"), r.get("publisher"))
    return rank(report) < rank(other)


def same_report(report: dict, other: dict) -> bool:
    """May two near-duplicate texts be one report at two addresses? Not when what the archive
    read of them says they are two: another report type, another covered year (the one their
    texts state, else their rows' year), another issuer.

    Like text is not enough. Reports are written from templates — the 2021 disclosure tables,
    a province's outline for the 法治 report, last year's text with the year changed — so a
    short report can be as like another government's, or its own of last year, as a copy is.
    A copy (a city portal republishing a district's report, a 范文 site masking its names) keeps
    the report's type and year, and its issuer where it names one. Issuers differ when
    - their region codes are both known and neither holds the other (a copy on the city's portal
      may be placed in the city, 341200, when its page names no issuer: the district's 341221 is
      inside it), or
    - in one region, one is a government and the other a department or township, or both name
      their 发布机构 and the names differ (司法局 / 教育局, 杜桥镇 / 司法局), or
    - in nested regions, the wider one's text never names the narrower one's issuer
      (_not_its_copy: the province's report and a city's written from one outline), or
    - their texts are signed by different names (_signer: 辽阳市人民政府 / 红河州人民政府 under two
      PDFs from one outline, where no page names an issuer or a region), or
    - their titles name two divisions, neither within the other (title_subject: 马鞍山市… / 含山县…,
      a city's and its county's reports from one outline, 云南省… / 福鼎市… files whose rows have no
      region yet; a re-posted copy keeps the county's title, a 范文 copy's 某区 names no one), or
    - their figures differ (_figures_differ: two 西关街道s' reports from one outline, one reviewing
      2041 规范性文件 and the other 2049; a copy states the figures its report states)."""
    def known(field):
        return report.get(field) or None, other.get(field) or None

    kinds = known("report_type")
    if all(k in REPORT_TYPES for k in kinds) and kinds[0] != kinds[1]:
        return False
    signers = _signer(report.get("body")), _signer(other.get("body"))
    if all(signers) and not (signers[0].endswith(signers[1]) or signers[1].endswith(signers[0])):
        return False
    years = body_year(report.get("body")), body_year(other.get("body"))
    if not all(years):   # the year a text states first: a 范文 copy's title may carry its own year
        years = known("year")
    if all(years) and years[0] != years[1]:
        return False
    if _figures_differ(report.get("body"), other.get("body")):
        return False
    places = [title_subject(title) for title in known("title")]
    if all(places) and places[0] not in places[1] and places[1] not in places[0]:
        return False
    regions = [(code or "").rstrip("0") for code in known("region_code")]
    if all(regions) and not (regions[0].startswith(regions[1]) or regions[1].startswith(regions[0])):
        return False
    if all(regions) and regions[0] != regions[1] and _not_its_copy(report, other, regions):
        return False
    if all(regions) and regions[0] == regions[1]:
        issuers = known("issuer_type")
        if all(issuers) and issuers[0] != issuers[1]:
            return False
        names = [_issuer_name(name) for name in known("publisher")]
        if all(names) and names[0] != names[1]:
            return False
    return True


FIGURE = re.compile(r"(?<![\d.])\d{2,}(?:\.\d+)?(?![\d.年月日号])")
"""A figure a report states: two digits or more, not a date's year, month or day."""
MIN_FIGURES = 3
FIGURES_SHARED = 0.5


def _figures(body: str | None) -> set[str]:
    """The figures a text states (行政复议案件2049件 → 2049), thousands separators dropped."""
    text = re.sub(r"(?<=\d)[,，](?=\d{3})", "", unicodedata.normalize("NFKC", body or ""))
    return set(FIGURE.findall(text))


def _figures_differ(body: str | None, other: str | None) -> bool:
    """Do two like texts state other figures? Reports written from one outline share their words
    and differ in their numbers; a copy keeps them — a page and its PDF, a city's re-post — or masks
    some (a 范文 site's **), so the fewer figures one text states are mostly among the other's.
    Undecided (False) when either states fewer than MIN_FIGURES."""
    mine, theirs = _figures(body), _figures(other)
    if min(len(mine), len(theirs)) < MIN_FIGURES:
        return False
    return len(mine & theirs) < FIGURES_SHARED * min(len(mine), len(theirs))


def title_subject(title: str | None) -> str | None:
    """The division a report's title is about: the most specific one named before the report's name
    (马鞍山市人民政府2024年… → 马鞍山市, 2019年含山县政府信息公开… → 含山县, 含山县环峰镇人民政府2024年… →
    环峰镇), None when it names none.

    A copy keeps the report's title — a city portal re-posting its county's report titles it as the
    county did — while a city's and its county's own reports, written from one outline, are like
    text whose titles name two governments. Regions alone cannot part them: the county lies inside
    the city, as the re-posted copy placed in the city does."""
    name = unicodedata.normalize("NFKC", title or "")
    head = re.split(r"关于|(?:政府)?信息公开|政务公开|法治政府", name, maxsplit=1)[0]
    head = re.sub(r"(?:19|20)\d{2}年?度?", "|", re.sub(r"\s+", "", head))   # 2019年含山县…: the year apart
    place = _most_specific(head)
    return place if place and not _NO_PLACE.search(place) else None


SIGNER = re.compile(r"[\u4e00-\u9fff()（）]{2,30}?(?:人民政府|政府|办公室|办公厅|委员会|局|厅|办|镇|乡|街道办事处)")
DATE_LINE = re.compile(r"[\d〇零一二三四五六七八九十]{1,4}\s*年\s*[\d〇零一二三四五六七八九十]{1,2}\s*月"
                       r"(?:\s*[\d〇零一二三四五六七八九十]{1,3}\s*日)?")
SIGNATURE_LINES = 3


def _signer(body: str | None) -> str | None:
    """The name a report's text is signed with: its last lines, a date aside, are the issuer's
    name (`辽阳市人民政府` / `2021年3月30日`). A copy keeps it; another government's report written
    from the same outline does not. None when the text ends otherwise or the name is masked."""
    text = _T2S.convert(unicodedata.normalize("NFKC", body or ""))   # a Traditional mirror's copy is signed alike
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines[-SIGNATURE_LINES:]):
        line = re.sub(r"\s+", "", line)
        if DATE_LINE.fullmatch(line):
            continue
        return line if SIGNER.fullmatch(line) else None
    return None


def _not_its_copy(report: dict, other: dict, regions: list[str]) -> bool:
    """Of two like texts placed in nested regions (a county's 140428 inside its city's 1404), is the
    wider one's not a copy of the narrower one's report? A city portal republishing a county's
    report keeps the county's text, which names the county (长子县人民政府 in its opening line and
    its signature); the city's own report, written from the same outline as the county's (a
    province's 提纲: the same headings, the same stock sentences), names the city instead. So
    when the narrower row's 发布机构 names its division and the wider row's text never does, the
    two are two governments' reports. Unknown (no publisher, a masked name): not told apart."""
    narrow, wide = (report, other) if len(regions[0]) > len(regions[1]) else (other, report)
    name = _issuer_name(narrow.get("publisher"))
    division = _most_specific(_T2S.convert(name)) if name else None
    body = _T2S.convert(re.sub(r"\s+", "", unicodedata.normalize("NFKC", wide.get("body") or "")))
    return bool(division and body and "*" not in body and division not in body)


# a place that names no one: masked (某区, XX市, ***县) or the text's own (我区, 全市, 本县)
_NO_PLACE = re.compile(r"[某*＊×xX○〇]|^[我全本该此][^\u4e00-\u9fff]*.$")


def _issuer_name(publisher: str | None) -> str | None:
    """A 发布机构 compared as a name: no spaces, no office suffix (XX区人民政府办公室 is XX区人民政府),
    None when masked or empty."""
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", publisher or ""))
    name = re.sub(r"办公(?:室|厅)$", "", name)
    return name if name and "*" not in name else None


_DIVISION = re.compile(r"[\u4e00-\u9fff]{2,}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡|街道)")


def _most_specific(name: str) -> str | None:
    """The last division named: 中国共产党长沙市岳麓区委员会 → 岳麓区."""
    found = _DIVISION.findall(name)
    return found[-1] if found else None


def _names_itself(publisher: str | None, lines: list[str]) -> bool:
    publisher = (publisher or "").strip()
    if not publisher:
        return False
    mine = _most_specific(publisher)
    return publisher in lines or bool(mine) and any(mine in (_most_specific(line) or "") for line in lines)
