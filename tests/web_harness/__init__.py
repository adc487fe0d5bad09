"""Loopback web servers for `antai check web` tests: a test CA and certificates minted with cryptography,
HTTPS servers (good, weak headers, TLS 1.2 only, legacy TLS 1.0/1.1, expired, wrong host, expiring soon,
too long a lifetime), plain HTTP servers (redirecting or not), a refused port and one that never answers.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["GOOD_HEADERS", "Site", "Sites", "free_port", "https_server", "mint", "plain_server", "silent_server"]

GOOD_HEADERS: tuple[tuple[str, str], ...] = (
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
    ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-abc'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Set-Cookie", "session=s3cr3t-value; Path=/; Secure; HttpOnly; SameSite=Lax"),
)
WEAK_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'"),
    ("X-Frame-Options", "ALLOW-FROM https://example.test"),
    ("Set-Cookie", "session=hunter2-secret; Path=/"),
    ("Set-Cookie", "prefs=dark; Secure; HttpOnly; SameSite=None"),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    pem: Path


def authority(folder: Path, cn: str = "antai test CA") -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = folder / f"{cn.replace(' ', '-')}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Authority(key, cert, pem)


def mint(ca: Authority, folder: Path, label: str, *, start: dt.timedelta, end: dt.timedelta,
         names: tuple[str, ...] = ("localhost", "127.0.0.1")) -> Path:  # fmt: skip
    """A PEM with the key and a leaf certificate valid from now+start to now+end for ``names``."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    sans: list[x509.GeneralName] = []
    for n in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            sans.append(x509.DNSName(n))
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(names[0]))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + start)
        .not_valid_after(now + end)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    pem = folder / f"{label}.pem"
    pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        + cert.public_bytes(serialization.Encoding.PEM)
    )
    return pem


def _handler(headers: tuple[tuple[str, str], ...], status: int = 200) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>antai test</body></html>\n" * 10
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[int]:
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def https_server(
    pem: Path, headers: tuple[tuple[str, str], ...] = GOOD_HEADERS, *, tls: str = "modern"
) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1; ``tls``: modern (1.2 and 1.3), tls12 (1.2 only), legacy (1.0 to 1.3)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pem)
    if tls == "tls12":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif tls == "legacy":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(headers))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with _serving(server) as port:
        yield port


@contextmanager
def plain_server(location: str | None) -> Iterator[int]:
    """A plain HTTP server: a 301 to ``location`` (``{port}`` filled in), or a 200 page when None."""
    if location is None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(()))
    else:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler((("Location", location),), 301))
    with _serving(server) as port:
        yield port


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel's backlog) and never says anything."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        yield int(s.getsockname()[1])


@dataclass
class Site:
    url: str


class Sites:
    """Every server the tests use, started together; ``urls[name]`` is its URL and ``ca`` the test CA."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stack = ExitStack()
        self.urls: dict[str, str] = {}

    def __enter__(self) -> Sites:
        f, st = self.folder, self.stack
        ca = authority(f)
        self.ca = ca.pem
        day = dt.timedelta(days=1)
        good = mint(ca, f, "good", start=-day, end=90 * day)
        spec = {
            "good": (good, GOOD_HEADERS, "modern"),
            "weak": (good, WEAK_HEADERS, "modern"),
            "tls12": (good, GOOD_HEADERS, "tls12"),
            "legacy": (good, GOOD_HEADERS, "legacy"),
            "expired": (mint(ca, f, "expired", start=-100 * day, end=-2 * day), GOOD_HEADERS, "modern"),
            "wronghost": (
                mint(ca, f, "wronghost", start=-day, end=90 * day, names=("other.example",)),
                GOOD_HEADERS,
                "modern",
            ),
            "soon": (mint(ca, f, "soon", start=-day, end=10 * day + dt.timedelta(hours=1)), GOOD_HEADERS, "modern"),
            "long": (mint(ca, f, "long", start=-day, end=364 * day), GOOD_HEADERS, "modern"),
        }
        for name, (pem, headers, tls) in spec.items():
            port = st.enter_context(https_server(pem, headers, tls=tls))
            self.urls[name] = f"https://127.0.0.1:{port}/"
        good_port = self.urls["good"].split(":")[2].rstrip("/")
        self.urls["redirect"] = "http://127.0.0.1:{}/".format(
            st.enter_context(plain_server(f"https://127.0.0.1:{good_port}/"))
        )
        self.urls["elsewhere"] = "http://127.0.0.1:{}/".format(st.enter_context(plain_server("https://evil.example/")))
        self.urls["cleartext"] = f"http://127.0.0.1:{st.enter_context(plain_server(None))}/"
        self.urls["refused"] = f"https://127.0.0.1:{free_port()}/"
        self.urls["silent"] = f"https://127.0.0.1:{st.enter_context(silent_server())}/"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()
