"""The only I/O of `antai check dns`: one question to a name server, with the DO bit (so that RRSIGs come
back) and the CD bit (so that a validating resolver hands over even data it finds bogus, for antai to say
why), over UDP with TCP when the answer is truncated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from antai.collectors.dns.facts import Failure
from antai.collectors.dns.names import Server, no_resolver

if TYPE_CHECKING:
    import dns.message

__all__ = ["Asker", "system_servers"]

PAYLOAD = 1232  # the EDNS buffer size the DNS flag day 2020 agreed on


@dataclass(frozen=True)
class Asker:
    """Asks ``servers`` in order until one answers; each try waits at most ``timeout`` seconds."""

    servers: tuple[Server, ...]
    timeout: float

    def ask(self, name: str, rdtype: str) -> dns.message.Message | Failure:
        """The answer (NOERROR or NXDOMAIN), or why there is none from any server."""
        import dns.exception
        import dns.flags
        import dns.message
        import dns.query
        import dns.rcode

        failure = Failure("network", "-", "no server")
        for server in self.servers:
            query = dns.message.make_query(name, rdtype, want_dnssec=True, payload=PAYLOAD)
            query.flags |= dns.flags.CD
            try:
                reply, _ = dns.query.udp_with_fallback(query, server.host, timeout=self.timeout, port=server.port)
            except dns.exception.Timeout:
                failure = Failure("timeout", server.label, timeout=self.timeout)
                continue
            except OSError as exc:
                failure = Failure("network", server.label, exc.strerror or type(exc).__name__)
                continue
            except dns.exception.DNSException as exc:
                failure = Failure("malformed", server.label, type(exc).__name__)
                continue
            rcode = reply.rcode()
            if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                failure = Failure("rcode", server.label, dns.rcode.to_text(rcode))
                continue
            referral = _referral(reply)
            if referral:
                failure = Failure("referral", server.label, referral)
                continue
            return reply
        return failure


def _referral(reply: Any) -> str:
    """The name servers a non-answer delegates to (a server that does not serve the zone), or ""."""
    import dns.rdatatype

    if reply.answer or any(r.rdtype == dns.rdatatype.SOA for r in reply.authority):
        return ""
    ns = [r for r in reply.authority if r.rdtype == dns.rdatatype.NS]
    if not ns:
        return ""
    return ", ".join(sorted(str(rdata.target).rstrip(".") for rdata in ns[0])[:3])


def system_servers() -> tuple[Server, ...]:
    """The name servers of the system's resolver configuration (/etc/resolv.conf)."""
    import dns.nameserver
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver()
    except (dns.resolver.NoResolverConfiguration, OSError) as exc:
        raise no_resolver(type(exc).__name__) from exc
    servers: list[Server] = []
    for entry in resolver.nameservers:
        if isinstance(entry, str):
            servers.append(Server(entry, resolver.port))
        elif isinstance(entry, dns.nameserver.Do53Nameserver):
            servers.append(Server(entry.address, entry.port))
    if not servers:
        raise no_resolver("no nameserver line")
    return tuple(servers)
