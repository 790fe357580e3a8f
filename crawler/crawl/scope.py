"""Which hosts belong to a government's portal: its domain and the service hosts beside it.

Portals often keep 政务公开 on a sibling host (xxgk.X.gov.cn, zwgk.X.gov.cn, public.X.gov.cn,
info.X.gov.cn — the registry of portals, sites/source/portals.csv, has 28 such 政府信息公开 entry
pages). A crawl that starts at www.X.gov.cn must reach them, and nothing else.

The public-suffix rule alone does not say what "the government's domain" is: gov.cn is a public
suffix, so X.gov.cn is a registrable domain — but Chinese governments nest inside one another's
names. www.cq.gov.cn is 重庆市's portal, wz.cq.gov.cn is 万州区's (another government), and
jw.cq.gov.cn is 重庆市教委's (a department, another publisher). So:

1. The government's domain D is the start host without a leading *service label* (www, xxgk,
   zwgk, public, info, gk, m, wap …): www.cq.gov.cn → cq.gov.cn, xxgk.cqck.gov.cn → cqck.gov.cn,
   wz.cq.gov.cn → wz.cq.gov.cn (wz is not a service label: the host is a government's own name).
   D is never shorter than the registrable domain (a label before a public suffix such as gov.cn,
   com.cn or cn stays: www.gov.cn's domain is www.gov.cn, not gov.cn).
2. The portal's hosts are D itself and SERVICE.D for every service label — one label, directly
   under D — and NAMESERVICE.D, the 政务公开 label written after the government's own short name
   (D's first label): hdzfxxgk.hd.gov.cn is 邯郸's 政府信息公开 host, beside www.hd.gov.cn.
   Any other name under D (wz.cq.gov.cn, jw.cq.gov.cn, sfj.cqck.gov.cn) belongs to
   another government or to a department, and the rest of gov.cn to everyone else: not followed.
   A department host a site does want is named in `allowed_hosts` — or is lent to it during the
   crawl when the government's own pages link a report column there by name (under_domain;
   spiders/reports.py SiteState.lend): the 司法局's subsite holding the government's 法治 reports.

The rule is structural, so a site's hosts do not depend on which other sites a crawl selects.
"""
from __future__ import annotations

# Leading labels that name a service of the portal rather than another body (from the registry's
# sibling 政府信息公开 hosts: public 11, xxgk 8, info 3, zwgk 2, zwfw 1, wap 1; and common variants).
SERVICE_LABELS = ("www", "www1", "www2", "m", "wap", "xxgk", "zwgk", "zfxxgk", "xxgkml", "gkml",
                  "gk", "zfgk", "zwxxgk", "public", "info", "govinfo", "openinfo", "zw", "zwfw")
# Of those, the labels portals also write after the government's short name (hd + zfxxgk): a name
# that is D's own first label and a 政务公开 service together names no other body. Only these: a
# district or department host is its own name (wz.cq.gov.cn, sfj.cq.gov.cn), never D's name + one.
NAMED_SERVICE_LABELS = ("xxgk", "zwgk", "zfxxgk", "xxgkml", "gkml", "gk", "zfgk", "zwxxgk", "public", "info",
                        "govinfo", "openinfo")
# Suffixes under which registrations are made (the Public Suffix List's entries that matter for
# Chinese government portals): a label directly before one of these is the registrable name.
PUBLIC_SUFFIXES = frozenset({
    "cn", "com", "net", "org", "gov", "gov.cn", "com.cn", "net.cn", "org.cn", "edu.cn", "ac.cn",
    *(f"{p}.cn" for p in ("bj", "tj", "he", "sx", "nm", "ln", "jl", "hl", "sh", "js", "zj", "ah",
                          "fj", "jx", "sd", "ha", "hb", "hn", "gd", "gx", "hi", "cq", "sc", "gz",
                          "yn", "xz", "sn", "gs", "qh", "nx", "xj"))})


def registrable(host: str) -> str:
    """The registrable domain of `host` (one label before its public suffix)."""
    labels = host.lower().rstrip(".").split(".")
    for i in range(len(labels)):
        if ".".join(labels[i + 1:]) in PUBLIC_SUFFIXES:
            return ".".join(labels[i:])
    return host.lower()


def government_domain(host: str) -> str:
    """D for a portal's host: the host without a leading service label, never shorter than its
    registrable domain."""
    host = host.lower().rstrip(".")
    label, _, rest = host.partition(".")
    if (label in SERVICE_LABELS or _named_service(label, rest)) and rest and len(rest) >= len(registrable(host)) \
            and rest not in PUBLIC_SUFFIXES:
        return rest
    return host


def portal_hosts(host: str) -> frozenset[str]:
    """Every host of the portal `host` belongs to: D and SERVICE.D."""
    domain = government_domain(host)
    if domain in PUBLIC_SUFFIXES or "." not in domain or _is_address(domain):
        return frozenset({host.lower()})
    own = domain.partition(".")[0]
    return frozenset({domain, *(f"{label}.{domain}" for label in SERVICE_LABELS),
                      *(f"{own}{label}.{domain}" for label in NAMED_SERVICE_LABELS)})


def _named_service(label: str, rest: str) -> bool:
    """Is `label` the short name of the domain `rest` followed by a 政务公开 service label
    (hdzfxxgk under hd.gov.cn)? Portals name a sibling host so; no other government or department
    is named by its parent's name plus 信息公开."""
    own = rest.partition(".")[0]
    return bool(own) and label.startswith(own) and label[len(own):] in NAMED_SERVICE_LABELS


def _is_address(host: str) -> bool:
    """An IP address has no domain (fixture portals on 127.0.0.x)."""
    return host.replace(".", "").isdigit() or ":" in host


def under_domain(host: str, hosts) -> bool:
    """Is `host` a name under the government's own domain D of one of the portal's `hosts`
    (sfj.X.gov.cn beside www.X.gov.cn), though not one of them? Such a host is a department's or
    another body's; the spider may lend it for a report column the government's own catalogue
    names there (spiders/reports.py SiteState.lend) — never anything outside D."""
    host = (host or "").lower().rstrip(".")
    for own in hosts:
        domain = government_domain(own)
        if domain not in PUBLIC_SUFFIXES and not _is_address(domain) and host.endswith("." + domain):
            return True
    return False
