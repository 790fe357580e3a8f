"""What a portal link is called when its text alone does not say it plainly.

Portal menus name their 政务公开 entries loosely, and discovery (spiders/discovery.py) reads a
link by its whole name (an English subtitle aside; icon-font glyphs and zero-width marks are no
text either: base.clean). Four habits of real portals need reading before that:

- the government's own name in front: `韶山市政府信息公开平台`, `XX县人民政府信息公开` — a
  专题专栏 tile or a footer link names the platform after the government (place_stripped);
- a trail in one link text: `法定主动公开内容 · 年度报告`, `政府信息公开 > 法治政府建设年度报告`
  (VSB 博达 and some TRS catalogues print the heading and the leaf in one cell): the leaf,
  qualified by the heading in front of it, names the column (trail_leaf);
- no name at all: an image tile with neither text, alt nor title (`<a href="http://xxgk.X.gov.cn/">
  <img src="/images/rk_zfxxgk.png"></a>`). Its address still says what it is: the home page of a
  sibling host named xxgk / zwgk / public … (the labels crawler/crawl/scope.py lets a site follow),
  or a directory /zwgk/, /xxgk/, /zfxxgk/ — the pinyin initials portals name these pages by
  (address_name) — or its image's file name does (`rk_zfxxgk.png`: image_name). The spider
  follows only hosts of the government's own domain, so a name read from an address can never
  lead elsewhere.

(重点领域信息公开, the 条例's other catalogue, is a hub in spiders/discovery.py: the 法治政府建设
column some portals keep under it, `重点领域信息公开 › 法治政府建设 › 法治政府建设年度报告`, is then
found as any 法治政府建设 column is.)
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# a government's name in front of a platform's: 韶山市 / 湘潭县人民政府 / 广西壮族自治区 …
PLACE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|自治州|自治县|自治区|州|盟|旗|新区)"
                   r"(?:人民政府|政府|行政公署)?(?=[\u4e00-\u9fff]{4})")
TRAIL = re.compile(r"\s*(?:[·•›»>|/／]|->|>>|-\s|—)\s*")
# sibling hosts and directories that portals name after 政务公开 / 信息公开 (pinyin initials)
OPEN_LABELS = {"xxgk", "zwgk", "zfxxgk", "gk", "zfgk", "zwxxgk", "xxgkml", "gkml", "public", "govinfo",
               "openinfo", "info"}
OPEN_DIRECTORY = re.compile(r"/(?:[\w-]+/)?(?:zwgk|xxgk|zfxxgk|zfgk|xxgkml|gkml|govinfo|public)/"
                            r"(?:(?:index|default)\.\w+)?", re.I)
HOME = re.compile(r"/(?:(?:index|default|main|home)\.\w+)?", re.I)
ADDRESS_HUB = "政府信息公开"


def place_stripped(name: str) -> str:
    """`name` without a leading government name (韶山市政府信息公开平台 → 信息公开平台's stem);
    the name itself when it does not start with one or nothing meaningful would be left."""
    return PLACE.sub("", name, count=1)


def trail_leaf(title: str) -> tuple[str, str] | None:
    """(heading, leaf) of a link text that prints a trail (法定主动公开内容 · 年度报告); None for
    an ordinary name."""
    pieces = [p for p in TRAIL.split(title or "") if p.strip()]
    if len(pieces) < 2:
        return None
    return pieces[-2].strip(), pieces[-1].strip()


IMAGE_WORD = re.compile(r"(?:^|[_\-.])(?:zfxxgk|xxgk|zwgk|gkml|xxgkml)(?:$|[_\-.\d])", re.I)


def image_name(src: str | None) -> str | None:
    """The name a tile's image file gives it (`rk_zfxxgk.png`, `xxgk-btn.jpg`): 政府信息公开 when its
    file name carries a 信息公开 abbreviation as a word of its own; None otherwise."""
    stem = (src or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ADDRESS_HUB if IMAGE_WORD.search(stem) else None


def address_name(url: str) -> str | None:
    """The name an unnamed link's address gives it: 政府信息公开 for the home page of a sibling
    host named xxgk / zwgk / public … or for a /zwgk/-like directory; None otherwise."""
    parts = urlsplit(url)
    label = (parts.hostname or "").split(".", 1)[0].lower()
    path = parts.path or "/"
    if label in OPEN_LABELS and HOME.fullmatch(path):
        return ADDRESS_HUB
    if OPEN_DIRECTORY.fullmatch(path):
        return ADDRESS_HUB
    return None

