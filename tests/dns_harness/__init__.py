"""A real Knot DNS server on 127.0.0.1 for the DNS tests: ``with Knot(workdir) as knot:`` writes the zones,
starts knotd on a free port, waits until Knot has signed its zones, publishes the DS of the zone Knot signed
in the parent zone (Knot makes that zone's keys only when it starts) and reloads the parent; leaving the
block stops knotd by its PID. It runs as root with no systemd (Knot with no ``user:`` stays the user who
started it) and writes nothing outside ``workdir``.

The zones (see :data:`ZONES`):

- ``test.``: the parent, signed by Knot, delegating the others and holding their DS records;
- ``example.test``: signed by Knot; SOA, A, AAAA, MX, CAA, SPF (-all) and DMARC (p=reject);
- ``plain.test``: unsigned; no CAA, no SPF, no DMARC;
- ``expired.test``: signed by dnspython with signatures that expired a day ago, served with signing off;
- ``bogus.test``: signed by dnspython, then its A record changed (the RRSIG no longer verifies);
- ``soon.test``: signed by dnspython with signatures that expire in three days;
- ``stale.test``: signed by dnspython, but the DS at the parent is the digest of another key;
- ``lame.test``: delegated by ``test.`` but served by no zone here (Knot answers with a referral).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

__all__ = ["Knot", "free_port", "knot_binaries"]

SBIN = os.pathsep.join(["/usr/sbin", "/usr/bin", "/sbin", os.environ.get("PATH", "")])
KNOT_SIGNED = ("test", "example.test")
PRESIGNED = ("expired.test", "bogus.test", "soon.test", "stale.test")
UNSIGNED = ("plain.test",)

_HEAD = """$ORIGIN {origin}.
$TTL 300
@ SOA ns.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns.test.
"""

ZONES = {
    "test": _HEAD
    + "ns A 127.0.0.1\n"
    + "".join(
        f"{z.split('.')[0]} NS ns.test.\n"
        for z in ("example.test", "plain.test", "expired.test", "bogus.test", "soon.test", "stale.test", "lame.test")
    ),
    "example.test": _HEAD
    + """@ A 192.0.2.1
@ AAAA 2001:db8::1
@ MX 10 mail.example.test.
mail A 192.0.2.25
@ CAA 0 issue "letsencrypt.org"
@ CAA 0 issue "amazon.com; validationmethods=dns-01"
@ CAA 0 issuewild ";"
@ CAA 0 iodef "mailto:security@example.test"
@ TXT "v=spf1 include:_spf.example.test -all"
@ TXT "google-site-verification=abc"
_spf TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
""",
    "plain.test": _HEAD + "@ A 192.0.2.2\n",
    "expired.test": _HEAD
    + """@ A 192.0.2.3
@ AAAA 2001:db8::3
@ MX 10 mail.expired.test.
mail A 192.0.2.26
@ TXT "v=spf1 ?all"
_dmarc TXT "v=DMARC1; p=none"
""",
    "bogus.test": _HEAD
    + """@ A 192.0.2.4
@ MX 10 mail.bogus.test.
mail A 192.0.2.27
@ CAA 0 iodef "mailto:security@bogus.test"
@ TXT "v=spf1 redirect=_spf.example.test"
_dmarc TXT "v=DMARC1; p=quarantine"
""",
    "stale.test": _HEAD + "@ A 192.0.2.6\n",
    "soon.test": _HEAD
    + """@ A 192.0.2.5
@ CAA 0 issue ";"
@ TXT "v=spf1 +all"
_dmarc TXT "v=DMARC1; p=reject; pct=50"
""",
}

_CONF = """server:
    listen: 127.0.0.1@{port}
    rundir: {root}/run
log:
  - target: stderr
    any: notice
database:
    storage: {root}/db
policy:
  - id: test
    algorithm: ecdsap256sha256
    ksk-lifetime: 0
    zsk-lifetime: 0
    rrsig-lifetime: 30d
    rrsig-refresh: 7d
template:
  - id: default
    storage: {root}/zones
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
{zones}"""


def knot_binaries() -> tuple[str, str]:
    """(knotd, knotc); the test fails in CI and is skipped elsewhere when Knot is not installed."""
    knotd, knotc = shutil.which("knotd", path=SBIN), shutil.which("knotc", path=SBIN)
    if knotd is None or knotc is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Knot DNS (apt-get install knot) is missing in CI")
        pytest.skip("Knot DNS (knotd, knotc) is not installed here")
    return knotd, knotc


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (Knot listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")


class Knot:
    def __init__(self, workdir: Path, only: tuple[str, ...] | None = None) -> None:
        """``only``: serve just these zones (e.g. a child without its parent)."""
        self.root = workdir
        self.only = only
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.knotd, self.knotc = knot_binaries()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> Knot:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        for sub in ("run", "db", "zones"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC)
        ds_lines = []
        for name in PRESIGNED:
            text, ds = _presign(name, ZONES[name], now)
            (self.root / "zones" / f"{name}.zone").write_text(text, "utf-8")
            ds_lines += [f"{name.split('.')[0]} DS {d}\n" for d in ds]
        for name in (*KNOT_SIGNED, *UNSIGNED):
            (self.root / "zones" / f"{name}.zone").write_text(ZONES[name].format(origin=name), "utf-8")
        self.parent = ZONES["test"].format(origin="test") + "".join(ds_lines)
        (self.root / "zones" / "test.zone").write_text(self.parent, "utf-8")
        served = [n for n in (*KNOT_SIGNED, *PRESIGNED, *UNSIGNED) if self.only is None or n in self.only]
        zones = "".join(
            f"  - domain: {name}\n"
            + ("    dnssec-signing: on\n    dnssec-policy: test\n" if name in KNOT_SIGNED else "")
            for name in served
        )
        self.port = free_port()
        conf = self.root / "knot.conf"
        conf.write_text(_CONF.format(port=self.port, root=self.root, zones=zones), "utf-8")
        self.log = (self.root / "knotd.log").open("wb")
        self.process = subprocess.Popen(
            [self.knotd, "-c", str(conf)], stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        if "test" not in served:
            for name in served:
                self._wait(lambda name=name: self._answer(name, "SOA") or None)
            return
        # Knot made example.test's keys as it started: publish their DS in the parent, then reload it
        dnskey = self._wait(lambda: self._signed_dnskey("example.test"))
        ds = _ds_for("example.test", dnskey)
        self.parent += f"example DS {ds}\n"
        (self.root / "zones" / "test.zone").write_text(self.parent, "utf-8")
        subprocess.run([self.knotc, "-c", str(conf), "zone-reload", "test."], check=True, capture_output=True)
        self._wait(lambda: self._answer("example.test", "DS") or None)
        for name in (*PRESIGNED, *UNSIGNED):
            self._wait(lambda name=name: self._answer(name, "SOA") or None)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # by PID: the process this object started
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
            self.log.close()

    def _wait(self, probe: Any, seconds: float = 15.0) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError("knotd exited:\n" + (self.root / "knotd.log").read_text("utf-8", "replace"))
            try:
                found = probe()
            except Exception:
                found = None
            if found is not None:
                return found
            time.sleep(0.02)
        raise RuntimeError("Knot did not serve the zones in time:\n" + (self.root / "knotd.log").read_text("utf-8"))

    def _answer(self, name: str, rdtype: str) -> list[Any]:
        import dns.message
        import dns.query

        query = dns.message.make_query(name, rdtype, want_dnssec=True)
        reply = dns.query.udp(query, "127.0.0.1", port=self.port, timeout=1)
        return list(reply.answer)

    def _signed_dnskey(self, name: str) -> Any:
        import dns.rdatatype

        answer = self._answer(name, "DNSKEY")
        keys = [r for r in answer if r.rdtype == dns.rdatatype.DNSKEY]
        signed = [r for r in answer if r.rdtype == dns.rdatatype.RRSIG]
        return keys[0] if keys and signed else None


def _ds_for(name: str, dnskey: Any) -> str:
    import dns.dnssec

    ksk = next(k for k in dnskey if k.flags == 257)
    return str(dns.dnssec.make_ds(f"{name}.", ksk, "SHA256"))


def _presign(name: str, template: str, now: dt.datetime) -> tuple[str, list[str]]:
    """The zone signed by dnspython (a KSK and a ZSK), broken as its name says, and its DS records."""
    import dns.dnssec
    import dns.rdatatype
    import dns.rdtypes.IN.A
    import dns.rrset
    import dns.zone
    from cryptography.hazmat.primitives.asymmetric import ec

    zone = dns.zone.from_text(template.format(origin=name), origin=f"{name}.", relativize=False)
    keys = []
    for flags in (257, 256):
        private = ec.generate_private_key(ec.SECP256R1())
        keys.append((private, dns.dnssec.make_dnskey(private.public_key(), "ECDSAP256SHA256", flags=flags)))
    if name == "expired.test":
        inception, expiration = now - dt.timedelta(days=30), now - dt.timedelta(days=1)
    elif name == "soon.test":
        inception, expiration = now - dt.timedelta(days=1), now + dt.timedelta(days=3)
    else:
        inception, expiration = now - dt.timedelta(hours=1), now + dt.timedelta(days=30)
    with zone.writer() as txn:
        dns.dnssec.sign_zone(zone, txn=txn, keys=keys, inception=inception, expiration=expiration)
    if name == "bogus.test":  # the record changes after signing: its RRSIG no longer verifies
        with zone.writer() as txn:
            txn.replace(f"{name}.", dns.rrset.from_text(f"{name}.", 300, "IN", "A", "192.0.2.99"))
    published = keys[0][1]
    if name == "stale.test":  # the DS of a key the zone no longer has (a provider move that left the old DS)
        old = ec.generate_private_key(ec.SECP256R1()).public_key()
        published = dns.dnssec.make_dnskey(old, "ECDSAP256SHA256", flags=257)
    ds = [str(dns.dnssec.make_ds(f"{name}.", published, "SHA256"))]
    return zone.to_text(), ds
