"""What `antai check web` accepts: http:// and https:// URLs with a host, refused before any connection."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from antai.errors import AntaiError

__all__ = ["MAX_URLS", "Target", "WebUsageError", "parse_url", "parse_urls"]

MAX_URLS = 100


class WebUsageError(AntaiError):
    """A URL or CA file the user gave that antai cannot use (exit 2 at the command line)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # lower case, A-label; an IPv6 address without brackets
    port: int
    path: str  # with the query

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    @property
    def url(self) -> str:
        return self.origin + self.path

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _bad(text: str, why: str, reason: str) -> WebUsageError:
    shown = text if len(text) <= 200 else text[:200] + "…"
    return WebUsageError(f"not a URL antai can check: {shown!r} ({why})", code="web_bad_url", url=shown, reason=reason)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def parse_url(text: str) -> Target:
    """``text`` as a target: scheme http or https, a host, no user name or password in it."""
    raw = text.strip()
    if not raw or any(ord(c) < 33 or ord(c) == 127 for c in raw):
        raise _bad(text, "empty or contains spaces or control characters", "blank")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise _bad(text, "unreadable host or port", "unreadable") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _bad(text, "the scheme must be http or https", "scheme")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _bad(text, "a user name or password in the URL", "userinfo")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise _bad(text, "no host", "no_host")
    if not _is_ip(host):
        try:
            host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
        except UnicodeError:
            raise _bad(text, "unreadable host", "unreadable") from None
        if len(host) > 253 or not all(c.isalnum() or c in "-._" for c in host):
            raise _bad(text, "unreadable host", "unreadable")
    if port == 0:
        raise _bad(text, "port 0", "unreadable")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def parse_urls(texts: list[str]) -> list[Target]:
    """Each URL once, in the order given."""
    targets = list(dict.fromkeys(parse_url(text) for text in texts))
    if not targets:
        raise WebUsageError("no URL to check", code="web_no_url")
    if len(targets) > MAX_URLS:
        raise WebUsageError(
            f"too many URLs ({len(targets)}; at most {MAX_URLS} in one run)",
            code="web_too_many_urls",
            count=len(targets),
            limit=MAX_URLS,
        )
    return targets
