"""What one URL's endpoint showed, as plain values the checks read (no sockets, no httpx objects, no I/O).

A look is a value, or a :class:`Failure` when it could not be made (refused, timeout, a TLS error): that
proves nothing, and the checks that needed it give ``error``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Certificate", "Cookie", "Failure", "Probe", "Redirect", "Response", "SiteFacts", "Verification"]


@dataclass(frozen=True)
class Failure:
    """A connection that gave nothing usable. ``kind``: refused, timeout, network, tls."""

    kind: str
    where: str  # host:port
    detail: str = ""
    timeout: float = 0.0

    def observed(self, lang: str) -> str:
        ja, en = {
            "refused": (f"{self.where} が接続を拒否した", f"{self.where} refused the connection"),
            "timeout": (
                f"タイムアウト（{self.where} から {self.timeout:g} 秒以内に応答がない）",
                f"timeout (no answer from {self.where} within {self.timeout:g} s)",
            ),
            "network": (
                f"{self.where} に接続できない（{self.detail}）",
                f"could not connect to {self.where} ({self.detail})",
            ),
            "tls": (
                f"{self.where} と TLS で通信できない（{self.detail}）",
                f"no TLS session with {self.where} ({self.detail})",
            ),
            "http": (
                f"{self.where} の HTTP 応答を読めない（{self.detail}）",
                f"unreadable HTTP answer from {self.where} ({self.detail})",
            ),
        }.get(self.kind, (f"{self.where}: {self.detail}", f"{self.where}: {self.detail}"))
        return ja if lang == "ja" else en


class Probe(StrEnum):
    """What offering exactly one TLS version gave."""

    ACCEPTED = "accepted"
    REFUSED = "refused"
    UNTESTABLE = "untestable"  # the local OpenSSL cannot offer it at all: proves nothing


@dataclass(frozen=True)
class Certificate:
    """The leaf certificate the server sent."""

    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    names: tuple[str, ...]  # the SAN DNS names and IP addresses


@dataclass(frozen=True)
class Verification:
    """Whether the chain validates to a trusted root and names the host. ``reason`` when not: expired,
    not_yet_valid, unknown_ca, hostname, other; ``detail`` is OpenSSL's message."""

    ok: bool
    reason: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Cookie:
    """A Set-Cookie's name and attributes (never its value)."""

    name: str
    secure: bool
    httponly: bool
    samesite: str | None  # as sent (Strict, Lax, None) or None when absent


@dataclass(frozen=True)
class Response:
    """The answer to one GET: status and headers (names lower-case, in order)."""

    status: int
    headers: tuple[tuple[str, str], ...]
    cookies: tuple[Cookie, ...] = ()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


@dataclass(frozen=True)
class Redirect:
    """What the plain-HTTP URL answered: ``listener`` False when nothing listens (refused)."""

    url: str  # the http:// URL asked
    listener: bool
    status: int = 0
    location: str | None = None  # absolute


@dataclass(frozen=True)
class SiteFacts:
    """Everything the checks read about one URL."""

    url: str
    scheme: str
    host: str
    port: int
    lang: str
    now: dt.datetime
    versions: dict[str, Probe | Failure] = field(default_factory=dict)  # "TLSv1" … "TLSv1.3"
    untestable: dict[str, str] = field(default_factory=dict)  # version → why the local OpenSSL cannot
    certificate: Certificate | Failure | None = None
    verification: Verification | Failure | None = None
    response: Response | Failure | None = None
    redirect: Redirect | Failure | None = None

    @property
    def https(self) -> bool:
        return self.scheme == "https"

    def say(self, ja: str, en: str) -> str:
        return ja if self.lang == "ja" else en
