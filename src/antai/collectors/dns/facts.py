"""What one domain's answers showed, as plain values the checks read (no dnspython objects, no I/O).

A lookup is a value (:class:`Records`, :class:`Caa`, a tuple of texts), ``None`` when the server proved
there is none, or a :class:`Failure` when no usable answer came (a timeout, SERVFAIL…): that proves nothing,
and the checks that needed it give ``error``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Caa",
    "DsRecord",
    "Failure",
    "Key",
    "Outcome",
    "Records",
    "Signature",
    "Spf",
    "ZoneFacts",
]


class Outcome(StrEnum):
    """What validating one RRSIG against the zone's DNSKEY gave."""

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not yet valid"
    NO_KEY = "no key"  # no DNSKEY with the signature's key tag and algorithm: bogus
    BOGUS = "bogus"  # the signature does not verify
    UNSUPPORTED = "unsupported"  # an algorithm antai cannot verify: proves nothing


# when no signature of an RRset is valid, the reason given is the first of these that one of them has
_PRECEDENCE = (Outcome.UNSUPPORTED, Outcome.EXPIRED, Outcome.NOT_YET_VALID, Outcome.NO_KEY, Outcome.BOGUS)


@dataclass(frozen=True)
class Failure:
    """A query that got no usable answer. ``kind``: timeout, network, rcode, referral, malformed,
    no_parent; ``detail``: the rcode, the error, the delegation."""

    kind: str
    server: str
    detail: str = ""
    timeout: float = 0.0

    def observed(self, lang: str) -> str:
        ja, en = {
            "timeout": (
                f"タイムアウト（{self.server} から {self.timeout:g} 秒以内に応答がない）",
                f"timeout (no answer from {self.server} within {self.timeout:g} s)",
            ),
            "network": (
                f"{self.server} に問い合わせられない（{self.detail}）",
                f"could not ask {self.server} ({self.detail})",
            ),
            "rcode": (
                f"{self.server} が {self.detail} を返した（答えを得られない）",
                f"{self.server} answered {self.detail}",
            ),
            "nxdomain": (
                f"ドメインが存在しない（{self.server} の答えは NXDOMAIN）",
                f"the domain does not exist ({self.server} answered NXDOMAIN)",
            ),
            "referral": (
                f"{self.server} はこのゾーンを持たず、{self.detail} に委任している",
                f"{self.server} does not serve this zone (it delegates to {self.detail})",
            ),
            "malformed": (
                f"{self.server} の応答を読めない（{self.detail}）",
                f"unreadable answer from {self.server} ({self.detail})",
            ),
            "no_parent": (
                f"{self.server} は親ゾーンを持たないため DS を確かめられない"
                "（親ゾーンのサーバーかリゾルバーに問い合わせる）",
                f"{self.server} does not serve the parent zone, so the DS cannot be seen "
                "(ask the parent's server or a resolver)",
            ),
        }.get(self.kind, (f"{self.server}: {self.detail}", f"{self.server}: {self.detail}"))
        return ja if lang == "ja" else en


@dataclass(frozen=True)
class Signature:
    """One RRSIG and what validating it gave."""

    covered: str  # the RRset's type: A, DNSKEY…
    key_tag: int
    algorithm: int
    signer: str
    inception: dt.datetime
    expiration: dt.datetime
    outcome: Outcome


@dataclass(frozen=True)
class Records:
    """One RRset (its rdata as text) and its signatures."""

    rdtype: str
    values: tuple[str, ...]
    signatures: tuple[Signature, ...] = ()

    @property
    def outcome(self) -> Outcome | None:
        """VALID when one signature validates; None when there is none (unsigned); else why none does."""
        if not self.signatures:
            return None
        found = {s.outcome for s in self.signatures}
        if Outcome.VALID in found:
            return Outcome.VALID
        return next(o for o in _PRECEDENCE if o in found)

    def first(self, outcome: Outcome) -> Signature:
        return next(s for s in self.signatures if s.outcome is outcome)


@dataclass(frozen=True)
class Key:
    """A DNSKEY: its key tag, flags (257: KSK, 256: ZSK) and algorithm number."""

    tag: int
    flags: int
    algorithm: int

    @property
    def ksk(self) -> bool:
        return bool(self.flags & 1)


@dataclass(frozen=True)
class DsRecord:
    """A DS at the parent; ``matches`` is the tag of the zone's DNSKEY it is the digest of (None: of none),
    ``computable`` False for a digest type antai cannot compute."""

    key_tag: int
    algorithm: int
    digest_type: int
    matches: int | None = None
    computable: bool = True


@dataclass(frozen=True)
class Caa:
    """The CAA records that apply (at the domain or, when it has none, its closest ancestor with some)."""

    owner: str
    entries: tuple[tuple[int, str, str], ...]  # (flags, tag, value)


@dataclass(frozen=True)
class Spf:
    """The TXT records at the domain that start with v=spf1, and where a lone ``redirect=`` leads."""

    records: tuple[str, ...]
    redirect: tuple[str, tuple[str, ...] | Failure] | None = None


Lookup = Records | Failure | None


@dataclass(frozen=True)
class ZoneFacts:
    """Everything the checks read about one domain."""

    domain: str
    lang: str
    now: dt.datetime
    soa: Lookup
    zone: str | None = None  # when there is no SOA at the domain: the zone the name is in, as the server said
    dnskey: Lookup = None
    keys: tuple[Key, ...] = ()
    ds: tuple[DsRecord, ...] | Failure | None = None
    records: dict[str, Lookup] = field(default_factory=dict)  # A, AAAA, MX
    caa: Caa | Failure | None = None
    spf: Spf | Failure = field(default_factory=lambda: Spf(()))
    dmarc: tuple[str, ...] | Failure = ()

    def say(self, ja: str, en: str) -> str:
        return ja if self.lang == "ja" else en
