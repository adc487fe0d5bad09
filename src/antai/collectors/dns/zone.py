"""From dnspython answers to :mod:`~antai.collectors.dns.facts`: records, their RRSIGs validated one by one
against the zone's DNSKEY (so that a failure has a reason), the DS matched to the keys. Pure: the time of
validation is given, nothing is asked here.

dnspython's ``validate`` only says "no RRSIGs validated"; ``validate_rrsig`` on each signature says which
of expired, not yet valid, unknown key or verify failure it was. Every algorithm dnspython implements is
accepted (``allow_all_policy``), so an old algorithm is reported as what it is, not as bogus.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from antai.collectors.dns.facts import Caa, DsRecord, Failure, Key, Outcome, Records, Signature

__all__ = ["caa", "ds_records", "find", "keys", "records", "soa_owner", "txt"]

_REASONS = {
    "expired": Outcome.EXPIRED,
    "not yet valid": Outcome.NOT_YET_VALID,
    "unknown key": Outcome.NO_KEY,
}


def _name(text: str) -> Any:
    import dns.name

    return dns.name.from_text(text)


def find(reply: Any, name: str, rdtype: str, covers: str | None = None) -> Any:
    """The answer's RRset of ``rdtype`` (RRSIG: covering ``covers``) at ``name``, or None."""
    import dns.rdataclass
    import dns.rdatatype

    wanted = dns.rdatatype.from_text(rdtype)
    covered = dns.rdatatype.from_text(covers) if covers else dns.rdatatype.NONE
    return reply.get_rrset(reply.answer, _name(name), dns.rdataclass.IN, wanted, covered)


def soa_owner(reply: Any) -> str | None:
    """The zone a negative answer came from (the owner of the SOA in its authority section)."""
    import dns.rdatatype

    for rrset in reply.authority:
        if rrset.rdtype == dns.rdatatype.SOA:
            return str(rrset.name.to_text(omit_final_dot=True)).lower()
    return None


def keys(dnskey: Any) -> tuple[Key, ...]:
    import dns.dnssec

    if dnskey is None:
        return ()
    return tuple(sorted((Key(dns.dnssec.key_id(k), k.flags, int(k.algorithm)) for k in dnskey), key=_key_order))


def _key_order(key: Key) -> tuple[int, int]:
    return (-key.flags, key.tag)


def records(reply: Any, name: str, rdtype: str, zone: str, dnskey: Any, now: dt.datetime) -> Records | None:
    """The RRset at ``name`` with each of its signatures validated against ``dnskey`` (the zone's DNSKEY
    RRset, or None when it has none); None when there is no such RRset."""
    rrset = find(reply, name, rdtype)
    if rrset is None:
        return None
    sigs = find(reply, name, "RRSIG", rdtype)
    values = tuple(sorted(rdata.to_text() for rdata in rrset))
    if sigs is None:
        return Records(rdtype, values)
    keymap = {_name(zone): dnskey} if dnskey is not None else {}
    return Records(rdtype, values, tuple(_signature(rrset, rdtype, sig, keymap, now) for sig in sigs))


def _signature(rrset: Any, rdtype: str, sig: Any, keymap: dict[Any, Any], now: dt.datetime) -> Signature:
    import dns.dnssec
    import dns.exception

    try:
        dns.dnssec.validate_rrsig(rrset, sig, keymap, now=now.timestamp(), policy=dns.dnssec.allow_all_policy)
        outcome = Outcome.VALID
    except dns.exception.UnsupportedAlgorithm:
        outcome = Outcome.UNSUPPORTED
    except dns.exception.ValidationFailure as exc:
        outcome = _REASONS.get(str(exc), Outcome.BOGUS)
    return Signature(
        covered=rdtype,
        key_tag=int(sig.key_tag),
        algorithm=int(sig.algorithm),
        signer=str(sig.signer.to_text(omit_final_dot=True)).lower(),
        inception=dt.datetime.fromtimestamp(sig.inception, dt.UTC),
        expiration=dt.datetime.fromtimestamp(sig.expiration, dt.UTC),
        outcome=outcome,
    )


def ds_records(reply: Any, domain: str, dnskey: Any, server: str) -> tuple[DsRecord, ...] | Failure | None:
    """The DS records at the parent, each matched to the zone's DNSKEY; None when the parent has none; a
    Failure when the answer came from the zone itself (the server does not serve the parent)."""
    import dns.dnssec
    import dns.exception

    found = find(reply, domain, "DS")
    if found is None:
        if soa_owner(reply) == domain:
            return Failure("no_parent", server)
        return None
    out = []
    for ds in found:
        matches: int | None = None
        computable = True
        for key in dnskey or ():
            if dns.dnssec.key_id(key) != ds.key_tag or key.algorithm != ds.algorithm:
                continue
            try:
                made = dns.dnssec.make_ds(
                    _name(domain), key, ds.digest_type, policy=dns.dnssec.allow_all_policy, validating=True
                )
            except (ValueError, dns.exception.UnsupportedAlgorithm, dns.exception.DeniedByPolicy):
                computable = False
                continue
            if made.digest == ds.digest:
                matches = ds.key_tag
                break
        out.append(DsRecord(int(ds.key_tag), int(ds.algorithm), int(ds.digest_type), matches, computable))
    return tuple(sorted(out, key=lambda d: (d.matches is None, d.key_tag, d.digest_type)))


def txt(reply: Any, name: str) -> tuple[tuple[str, ...], str | None]:
    """The TXT strings at ``name`` (following CNAMEs inside the answer), and the CNAME target still to ask
    when the answer stops at one."""
    import dns.rdatatype

    current = _name(name)
    for _ in range(8):
        found = [r for r in reply.answer if r.name == current]
        texts = [r for r in found if r.rdtype == dns.rdatatype.TXT]
        if texts:
            return tuple(sorted(_printable(b"".join(rdata.strings)) for rdata in texts[0])), None
        cname = [r for r in found if r.rdtype == dns.rdatatype.CNAME]
        if not cname:
            return (), None
        current = cname[0][0].target
    return (), str(current.to_text(omit_final_dot=True))


def caa(reply: Any, name: str) -> Caa | None:
    found = find(reply, name, "CAA")
    if found is None:
        return None
    entries = sorted((int(r.flags), _printable(r.tag).lower(), _printable(r.value)) for r in found)
    return Caa(name, tuple(entries))


def _printable(raw: bytes) -> str:
    """Record text as it may be shown: UTF-8, control characters (a terminal's escapes) replaced by '?'."""
    return "".join(c if c.isprintable() else "?" for c in raw.decode("utf-8", "replace"))
