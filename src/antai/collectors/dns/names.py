"""What `antai check dns` accepts: domain names and a name server address, refused before any query."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from antai.errors import AntaiError

__all__ = ["DnsError", "DnsUsageError", "Server", "no_resolver", "parse_domain", "parse_domains", "parse_nameserver"]

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
MAX_DOMAINS = 100


class DnsError(AntaiError):
    """The domains cannot be looked at at all (no resolver configured). One query that fails is a finding."""


class DnsUsageError(DnsError):
    """A domain or server address the user typed that antai cannot use (exit 2 at the command line)."""


@dataclass(frozen=True)
class Server:
    """A name server to ask over UDP (TCP when the answer is truncated)."""

    host: str
    port: int = 53

    @property
    def label(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_domain(text: str) -> str:
    """``text`` as a lower-case domain name without the final dot (a Unicode name becomes its A-label)."""
    name = text.strip().rstrip(".").lower()
    try:
        if not name.isascii():
            name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise _bad_domain(text) from None
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise _bad_domain(text)
    return name


def parse_domains(texts: list[str]) -> list[str]:
    """Each domain once, in the order given."""
    names = list(dict.fromkeys(parse_domain(text) for text in texts))
    if not names:
        raise DnsUsageError("no domain to check", code="dns_no_domain")
    if len(names) > MAX_DOMAINS:
        raise DnsUsageError(
            f"too many domains ({len(names)}; at most {MAX_DOMAINS} in one run)",
            code="dns_too_many_domains",
            count=len(names),
            limit=MAX_DOMAINS,
        )
    return names


def parse_nameserver(text: str) -> Server:
    """``IP``, ``IP:PORT``, ``IPv6`` or ``[IPv6]:PORT``."""
    value = text.strip()
    host, port = value, "53"
    if value.startswith("["):
        host, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise _bad_nameserver(text)
        port = rest[1:] if rest else "53"
    elif value.count(":") == 1:
        host, port = value.split(":")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise _bad_nameserver(text) from None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise _bad_nameserver(text)
    return Server(str(address), int(port))


def _bad_domain(text: str) -> DnsUsageError:
    shown = text[:100]
    return DnsUsageError(
        f"{shown!r} is not a domain name (labels of letters, digits and hyphens joined by dots, at most 253 "
        "characters)",
        code="dns_bad_domain",
        domain=shown,
    )


def _bad_nameserver(text: str) -> DnsUsageError:
    shown = text[:100]
    return DnsUsageError(
        f"--nameserver {shown!r} is not an IP address with an optional port (192.0.2.53, 192.0.2.53:5300, "
        "[2001:db8::53]:5300)",
        code="dns_bad_nameserver",
        nameserver=shown,
    )


def no_resolver(detail: str) -> DnsError:
    return DnsError(
        f"no DNS resolver is configured on this machine ({detail}); give one with --nameserver IP[:PORT]",
        code="dns_no_resolver",
        detail=detail,
    )
