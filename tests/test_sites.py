"""The sites file: the contract's shape, and one clear line for every mistake."""
import pytest

from crawler.crawl.sites import SitesError, load_sites
from spiders.registry import FAMILIES
from tests.conftest import ROOT


def write(tmp_path, text):
    path = tmp_path / "sites.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_sites_file_is_valid():
    sites = load_sites(ROOT / "sites.yaml", families=FAMILIES)
    assert sites and all(s.start_urls for s in sites)
    assert len({s.name for s in sites}) == len(sites)


def test_minimal_site_and_hosts(tmp_path):
    path = write(tmp_path, "sites:\n  - name: chengkou\n    start_urls: [http://www.example.gov.cn/zwgk/index.html]\n")
    (site,) = load_sites(path, families=FAMILIES)
    assert site.name == "chengkou" and site.title is None
    assert site.hosts == {"www.example.gov.cn"}


def test_allowed_hosts_extend_the_start_hosts(tmp_path):
    path = write(tmp_path, "sites:\n  - name: a\n    start_urls: [http://a.gov.cn/]\n"
                           "    allowed_hosts: [files.a.gov.cn]\n")
    assert load_sites(path, families=FAMILIES)[0].hosts == {"a.gov.cn", "files.a.gov.cn"}


def test_only_selects_sites(tmp_path):
    path = write(tmp_path, "sites:\n  - {name: a, start_urls: [http://a/]}\n  - {name: b, start_urls: [http://b/]}\n")
    assert [s.name for s in load_sites(path, ["b"], families=FAMILIES)] == ["b"]
    with pytest.raises(SitesError, match="no site named c"):
        load_sites(path, ["c"], families=FAMILIES)


@pytest.mark.parametrize("text, message", [
    ("sites: [", "not valid YAML"),
    ("- a\n- b\n", "top-level 'sites:' list"),
    ("sites:\n  - name: Bad Name\n    start_urls: [http://a/]\n", "must be a slug"),
    ("sites:\n  - name: a\n", "'start_urls' must be a non-empty list"),
    ("sites:\n  - name: a\n    start_urls: [ftp://a/]\n", "is not an http(s) URL"),
    ("sites:\n  - {name: a, start_urls: [http://a/]}\n  - {name: a, start_urls: [http://b/]}\n", "used twice"),
    ("sites:\n  - {name: a, start_urls: [http://a/], colour: red}\n", "unknown key(s) colour"),
    ("sites:\n  - {name: a, start_urls: [http://a/], cms: wordpress}\n", "unknown cms"),
    ("sites:\n  - {name: a, start_urls: [http://a/], region: 5002}\n", "6-digit division code"),
])
def test_mistakes_are_one_line(tmp_path, text, message):
    with pytest.raises(SitesError) as err:
        load_sites(write(tmp_path, text), families=FAMILIES)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(SitesError, match="no such sites file"):
        load_sites(tmp_path / "nope.yaml", families=FAMILIES)
