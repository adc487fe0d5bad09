"""The only I/O of `antai check web`: TLS handshakes (one per version probe, one verified, one unverified
when verification fails), one GET of the URL and, for the redirect check, one GET over plain HTTP.

Nothing follows redirects, every connection has the run's timeout, and at most 256 KiB of a body is read
before the connection is closed.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from antai.collectors.web.facts import (
    Certificate,
    Cookie,
    Failure,
    Probe,
    Redirect,
    Response,
    SiteFacts,
    Verification,
)
from antai.collectors.web.urls import Target

__all__ = ["BODY_LIMIT", "VERSIONS", "Probes", "gather", "load_trust"]

BODY_LIMIT = 256 * 1024
VERSIONS: tuple[tuple[str, ssl.TLSVersion], ...] = (
    ("TLSv1", ssl.TLSVersion.TLSv1),
    ("TLSv1.1", ssl.TLSVersion.TLSv1_1),
    ("TLSv1.2", ssl.TLSVersion.TLSv1_2),
    ("TLSv1.3", ssl.TLSVersion.TLSv1_3),
)
_EXPIRED, _NOT_YET_VALID = 10, 9
_HOSTNAME = {62, 63, 64}  # host name, e-mail, IP address mismatch
_UNKNOWN_CA = {2, 18, 19, 20, 21, 27}


def load_trust(ca_file: Path | None) -> ssl.SSLContext:
    """A verifying client context (system roots, or ``ca_file``); raises ssl.SSLError / OSError when the
    file cannot be used."""
    ctx = ssl.create_default_context()
    if ca_file is not None:
        ctx = ssl.create_default_context(cafile=str(ca_file))
    return ctx


def _probe_context(version: ssl.TLSVersion) -> ssl.SSLContext:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = version
        ctx.maximum_version = version
    return ctx


def _unverified() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Probes:
    """One probe context per version, and the versions this machine's OpenSSL cannot offer at all, with
    why (a ClientHello is built in memory; nothing is sent). Made once per run, before any thread starts,
    because the warning filters that silence the deprecated versions are process-wide."""

    def __init__(self) -> None:
        self.contexts: dict[str, ssl.SSLContext] = {}
        self.missing: dict[str, str] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for name, version in VERSIONS:
                try:
                    ctx = _probe_context(version)
                    obj = ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="probe.invalid")
                    obj.do_handshake()
                except ssl.SSLWantReadError:
                    self.contexts[name] = ctx  # a ClientHello was written: the version can be offered
                except (ssl.SSLError, ValueError) as exc:
                    self.missing[name] = (getattr(exc, "reason", None) or str(exc))[:80]


def _connect(target: Target, timeout: float) -> socket.socket:
    return socket.create_connection((target.host, target.port), timeout=timeout)


def _failure(exc: BaseException, target: Target, timeout: float) -> Failure:
    where = target.where
    if isinstance(exc, ConnectionRefusedError):
        return Failure("refused", where)
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return Failure("timeout", where, timeout=timeout)
    if isinstance(exc, ssl.SSLError):
        return Failure("tls", where, (exc.reason or str(exc))[:120])
    if isinstance(exc, OSError):
        return Failure("network", where, (exc.strerror or type(exc).__name__)[:120])
    return Failure("network", where, type(exc).__name__)


def _handshake(target: Target, ctx: ssl.SSLContext, timeout: float) -> tuple[str, bytes]:
    """(negotiated version, the leaf certificate DER)."""
    with _connect(target, timeout) as raw, ctx.wrap_socket(raw, server_hostname=target.host) as tls:
        return tls.version() or "", tls.getpeercert(True) or b""


def _probe(target: Target, ctx: ssl.SSLContext, timeout: float) -> Probe | Failure:
    try:
        _handshake(target, ctx, timeout)
    except ssl.SSLError as exc:
        if exc.reason in ("NO_CIPHERS_AVAILABLE", "NO_PROTOCOLS_AVAILABLE"):
            return Probe.UNTESTABLE
        return Probe.REFUSED  # an alert, or the server answered with another version
    except ConnectionResetError:
        return Probe.REFUSED  # some servers drop a ClientHello they do not accept
    except (OSError, ValueError) as exc:
        return _failure(exc, target, timeout)
    return Probe.ACCEPTED


def _certificate(der: bytes) -> Certificate:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(san.get_values_for_type(x509.DNSName)) + tuple(
            str(ip) for ip in san.get_values_for_type(x509.IPAddress)
        )
    except x509.ExtensionNotFound:
        names = ()
    return Certificate(
        subject=cert.subject.rfc4514_string()[:200],
        issuer=cert.issuer.rfc4514_string()[:200],
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        names=names[:20],
    )


def _verification(exc: ssl.SSLCertVerificationError) -> Verification:
    code = exc.verify_code
    reason = (
        "expired"
        if code == _EXPIRED
        else "not_yet_valid"
        if code == _NOT_YET_VALID
        else "hostname"
        if code in _HOSTNAME
        else "unknown_ca"
        if code in _UNKNOWN_CA
        else "other"
    )
    return Verification(False, reason, (exc.verify_message or "")[:120])


def _cookie(header: str) -> Cookie:
    first, _, rest = header.partition(";")
    name = first.split("=", 1)[0].strip()
    name = "".join(c if c.isprintable() else "?" for c in name)[:64]
    attrs: dict[str, str] = {}
    for part in rest.split(";"):
        key, _, value = part.partition("=")
        attrs.setdefault(key.strip().lower(), value.strip())
    return Cookie(name, "secure" in attrs, "httponly" in attrs, attrs.get("samesite") or None)


def _get(url: str, target: Target, ctx: ssl.SSLContext | None, timeout: float) -> Response | Failure:
    import httpx

    try:
        with (
            httpx.Client(verify=ctx or False, timeout=timeout, follow_redirects=False, trust_env=False) as client,
            client.stream("GET", url, headers={"User-Agent": "antai-check-web"}) as answer,
        ):
            read = 0
            for chunk in answer.iter_raw():
                read += len(chunk)
                if read >= BODY_LIMIT:
                    break
            headers = tuple((k.lower(), v[:2000]) for k, v in answer.headers.multi_items())[:200]
            cookies = tuple(_cookie(v) for k, v in headers if k == "set-cookie")[:50]
            return Response(answer.status_code, headers, cookies)
    except httpx.ConnectError as exc:
        cause = exc.__cause__ or exc.__context__
        while cause is not None and not isinstance(cause, OSError) and cause.__cause__ is not None:
            cause = cause.__cause__
        if isinstance(cause, OSError):
            return _failure(cause, target, timeout)
        text = str(exc)
        if "refused" in text.lower():
            return Failure("refused", target.where)
        return Failure("network", target.where, text[:120])
    except httpx.TimeoutException:
        return Failure("timeout", target.where, timeout=timeout)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        return Failure("http", target.where, (str(exc) or type(exc).__name__)[:120])


def _redirect(url: str, target: Target, timeout: float) -> Redirect | Failure:
    answer = _get(url, target, None, timeout)
    if isinstance(answer, Failure):
        return Redirect(url, listener=False) if answer.kind == "refused" else answer
    location = answer.header("location")
    if location is not None:
        location = urljoin(url, location.strip())[:300]
    return Redirect(url, True, answer.status, location)


def gather(
    target: Target, trust: ssl.SSLContext, probes: Probes, lang: str, now: dt.datetime, timeout: float
) -> SiteFacts:
    """Everything the checks need about ``target``. The verified handshake comes first: when the endpoint
    does not answer it, nothing else is tried (every check gives ``error``)."""
    base: dict[str, Any] = {
        "url": target.url,
        "scheme": target.scheme,
        "host": target.host,
        "port": target.port,
        "lang": lang,
        "now": now,
    }
    if target.scheme == "http":
        return SiteFacts(**base, redirect=_redirect(target.url, target, timeout))
    verification: Verification | Failure
    der = b""
    try:
        _, der = _handshake(target, trust, timeout)
        verification = Verification(True)
    except ssl.SSLCertVerificationError as exc:
        verification = _verification(exc)
    except (OSError, ValueError) as exc:
        failure = _failure(exc, target, timeout)
        return SiteFacts(**base, certificate=failure, verification=failure, response=failure, redirect=failure)
    if not der:
        try:
            _, der = _handshake(target, _unverified(), timeout)
        except (OSError, ValueError) as exc:
            failure = _failure(exc, target, timeout)
            return SiteFacts(**base, certificate=failure, verification=failure, response=failure, redirect=failure)
    try:
        certificate: Certificate | Failure = _certificate(der)
    except ValueError as exc:
        certificate = Failure("tls", target.where, f"unreadable certificate: {exc}"[:120])
    versions: dict[str, Probe | Failure] = {
        name: _probe(target, probes.contexts[name], timeout) if name in probes.contexts else Probe.UNTESTABLE
        for name, _ in VERSIONS
    }
    ok = isinstance(verification, Verification) and verification.ok
    response = _get(target.url, target, trust if ok else _unverified(), timeout)
    plain = Target("http", target.host, 80, "/")
    return SiteFacts(
        **base,
        versions=versions,
        untestable=dict(probes.missing),
        certificate=certificate,
        verification=verification,
        response=response,
        redirect=_redirect(plain.url, plain, timeout),
    )
