"""A DNS resolver that maps configured host names to loopback addresses, for fixture portals.

Portals are found by their real-looking names (www.cqck.gov.cn, xxgk.cqck.gov.cn): the links on
their pages are absolute, cross hosts, and point at other governments' sites the crawl must not
visit. Served on loopback, each name gets its own 127.0.x.y (port 80), and this resolver, set
through Scrapy's TWISTED_DNS_RESOLVER setting (formerly DNS_RESOLVER), answers only those names:

    -s TWISTED_DNS_RESOLVER=crawler.devtools.resolver.MappingResolver
    -s 'LOOPBACK_HOSTS={"www.cqck.gov.cn": "127.0.113.1", "xxgk.cqck.gov.cn": "127.0.113.2"}'

A loopback address written as such (127.0.0.190) is itself, so fixture portals served on bare
addresses can share a crawl with the named ones. Any other name fails to resolve (DNSLookupError),
so a test crawl can never reach the network,
and a fetch of a host outside the mapping shows up as a failed lookup in the archive.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

LOOPBACK = re.compile(r"127(?:\.\d{1,3}){3}")


@implementer(IResolverSimple)
class MappingResolver:
    def __init__(self, reactor, hosts: dict[str, str]):
        self.reactor = reactor
        self.hosts = {name.lower(): address for name, address in hosts.items()}
        self.asked: list[str] = []

    @classmethod
    def from_crawler(cls, crawler, reactor):
        """The mapping from LOOPBACK_HOSTS (JSON), and from LOOPBACK_HOSTS_FILE (a JSON file: a
        simulated national crawl maps thousands of names, more than one command-line argument holds)."""
        hosts = dict(crawler.settings.getdict("LOOPBACK_HOSTS"))
        if path := crawler.settings.get("LOOPBACK_HOSTS_FILE"):
            hosts.update(json.loads(Path(path).read_text(encoding="utf-8")))
        return cls(reactor, hosts)

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 (Twisted's interface)
        self.asked.append(name)
        address = self.hosts.get(name.lower()) or (name if LOOPBACK.fullmatch(name) else None)
        if address is None:
            return defer.fail(DNSLookupError(f"{name}: not a fixture host"))
        return defer.succeed(address)
