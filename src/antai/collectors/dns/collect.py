"""One run of `antai check dns`: every domain's records asked once (domains and questions concurrently),
validated by antai, then every check on each domain's facts."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from antai.collectors.base import CheckMeta, evaluate, listing
from antai.collectors.dns.facts import Caa, Failure, Records, Spf, ZoneFacts
from antai.collectors.dns.names import Server, parse_domains, parse_nameserver

if TYPE_CHECKING:
    from antai.assessment.findings import ScanRun
    from antai.collectors.dns.query import Asker

__all__ = ["check_dns", "gather", "metas"]

Progress = Callable[[str, int, int], None]  # (domain, done, total)
DOMAIN_WORKERS = 8
QUERY_WORKERS = 32
RECORD_TYPES = ("A", "AAAA", "MX")


def metas() -> list[CheckMeta]:
    """Every check's metadata, in run order."""
    from antai.collectors.dns.checks import CHECKS

    return listing(CHECKS)


def check_dns(
    domains: list[str],
    *,
    nameserver: str | None,
    lang: str,
    timeout: float = 5.0,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ScanRun:
    """Check ``domains``, asking ``nameserver`` (``IP[:PORT]``; an authoritative server or a resolver) or,
    without it, the system's resolvers. Signatures are validated at ``now`` (default: the time of the run),
    which is also the run's date. A query that gets no answer gives ``error`` findings, never a pass.

    Raises :class:`~antai.collectors.dns.names.DnsUsageError` for a bad domain or server address (before
    any query) and :class:`~antai.collectors.dns.names.DnsError` when no resolver is configured.
    """
    from antai import __version__
    from antai.assessment.findings import ScanRun, ToolInfo
    from antai.collectors.dns.checks import CHECKS
    from antai.collectors.dns.query import Asker, system_servers

    names = parse_domains(domains)
    servers: tuple[Server, ...] = (parse_nameserver(nameserver),) if nameserver is not None else system_servers()
    started = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    asker = Asker(servers, timeout)
    found: dict[str, ZoneFacts] = {}
    done = 0
    lock = threading.Lock()

    def one(name: str, questions: ThreadPoolExecutor) -> None:
        nonlocal done
        facts = gather(name, asker, lang, started, questions)
        with lock:
            found[name] = facts
            done += 1
            if progress is not None:
                progress(name, done, len(names))

    with (
        ThreadPoolExecutor(min(QUERY_WORKERS, 9 * len(names)), thread_name_prefix="antai-dns-q") as questions,
        ThreadPoolExecutor(min(DOMAIN_WORKERS, len(names)), thread_name_prefix="antai-dns") as pool,
    ):
        for future in [pool.submit(one, name, questions) for name in names]:
            future.result()
    run = ScanRun(
        ToolInfo("antai", __version__), target="DNS " + ", ".join(sorted(names)), observed_at=started, findings=[]
    )
    for name in sorted(names):
        evaluate(CHECKS, found[name], run, lang, resource=name)
    return run


def gather(name: str, asker: Asker, lang: str, now: dt.datetime, questions: ThreadPoolExecutor) -> ZoneFacts:
    """Everything the checks need about ``name``: the questions at once, then the few that depend on their
    answers (CAA at the ancestors, an SPF redirect, a CNAME at _dmarc)."""
    from antai.collectors.dns import zone

    asked: dict[str, Future[Any]] = {
        key: questions.submit(asker.ask, qname, rdtype)
        for key, qname, rdtype in (
            ("SOA", name, "SOA"),
            ("DNSKEY", name, "DNSKEY"),
            ("DS", name, "DS"),
            *((rdtype, name, rdtype) for rdtype in RECORD_TYPES),
            ("CAA", name, "CAA"),
            ("TXT", name, "TXT"),
            ("DMARC", f"_dmarc.{name}", "TXT"),
        )
    }
    replies = {key: future.result() for key, future in asked.items()}

    soa_reply = replies["SOA"]
    if isinstance(soa_reply, Failure):
        return ZoneFacts(
            name,
            lang,
            now,
            soa=soa_reply,
            caa=_caa(name, replies["CAA"], asker),
            spf=_spf(name, replies["TXT"], asker),
            dmarc=_dmarc(name, replies["DMARC"], asker),
        )
    server = _server_of(asker)
    if _nxdomain(soa_reply):  # the name does not exist: nothing at it can be judged
        gone = Failure("nxdomain", server)
        return ZoneFacts(name, lang, now, soa=gone, ds=gone, caa=gone, spf=gone, dmarc=gone)
    dnskey_reply = replies["DNSKEY"]
    dnskey_rrset = None if isinstance(dnskey_reply, Failure) else zone.find(dnskey_reply, name, "DNSKEY")
    soa = zone.records(soa_reply, name, "SOA", name, dnskey_rrset, now)
    dnskey: Records | Failure | None = (
        dnskey_reply
        if isinstance(dnskey_reply, Failure)
        else zone.records(dnskey_reply, name, "DNSKEY", name, dnskey_rrset, now)
    )
    ds_reply = replies["DS"]
    ds = ds_reply if isinstance(ds_reply, Failure) else zone.ds_records(ds_reply, name, dnskey_rrset, server)
    records = {
        rdtype: reply if isinstance(reply, Failure) else zone.records(reply, name, rdtype, name, dnskey_rrset, now)
        for rdtype in RECORD_TYPES
        for reply in (replies[rdtype],)
    }
    return ZoneFacts(
        domain=name,
        lang=lang,
        now=now,
        soa=soa,
        zone=zone.soa_owner(soa_reply) if soa is None else None,
        dnskey=dnskey,
        keys=zone.keys(dnskey_rrset),
        ds=ds,
        records=records,
        caa=_caa(name, replies["CAA"], asker),
        spf=_spf(name, replies["TXT"], asker),
        dmarc=_dmarc(name, replies["DMARC"], asker),
    )


def _nxdomain(reply: Any) -> bool:
    import dns.rcode

    return bool(reply.rcode() == dns.rcode.NXDOMAIN)


def _server_of(asker: Asker) -> str:
    return asker.servers[0].label if len(asker.servers) == 1 else ", ".join(s.label for s in asker.servers)


def _caa(name: str, reply: Any, asker: Asker) -> Caa | Failure | None:
    """The CAA RRset at ``name`` or, when it has none, at its closest ancestor that has one (RFC 8659),
    stopping above the registrable part (the last two labels) of the name."""
    from antai.collectors.dns import zone

    current = name
    while True:
        if isinstance(reply, Failure):
            return reply
        found = zone.caa(reply, current)
        if found is not None:
            return found
        labels = current.split(".")
        if len(labels) <= 2:
            return None
        current = ".".join(labels[1:])
        reply = asker.ask(current, "CAA")


def _texts(name: str, reply: Any, asker: Asker) -> tuple[str, ...] | Failure:
    """The TXT strings at ``name``, following CNAMEs (a few hops) even when the server stops at one."""
    from antai.collectors.dns import zone

    for _ in range(4):
        if isinstance(reply, Failure):
            return reply
        texts, target = zone.txt(reply, name)
        if target is None:
            return texts
        name, reply = target, asker.ask(target, "TXT")
    return ()


def _spf_records(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in texts if t.lower() == "v=spf1" or t.lower().startswith("v=spf1 "))


def _spf(name: str, reply: Any, asker: Asker) -> Spf | Failure:
    from antai.collectors.dns.checks.spf import redirect_target

    texts = _texts(name, reply, asker)
    if isinstance(texts, Failure):
        return texts
    records = _spf_records(texts)
    target = redirect_target(records[0]) if len(records) == 1 else None
    if target is None:
        return Spf(records)
    followed = _texts(target, asker.ask(target, "TXT"), asker)
    return Spf(records, (target, followed if isinstance(followed, Failure) else _spf_records(followed)))


def _dmarc(name: str, reply: Any, asker: Asker) -> tuple[str, ...] | Failure:
    texts = _texts(f"_dmarc.{name}", reply, asker)
    if isinstance(texts, Failure):
        return texts
    return tuple(t for t in texts if t.replace(" ", "").lower().startswith("v=dmarc1"))
