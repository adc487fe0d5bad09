"""A small threaded loopback HTTP proxy in front of the emulator.

The client under test reaches it through ``AWS_ENDPOINT_URL`` (and ``HTTP_PROXY``, so that endpoints with a
host prefix such as S3 Control's ``{AccountId}.`` need no DNS). For every request it names the operation
(:mod:`tests.aws_harness.ops`), counts it, waits a fixed delay if asked, and can answer a chosen operation
with an access-denied error or throttle its first N calls, in that service's error shape. Rewriters can
change an answer on its way back: the emulator does not model the root account, so scenarios describe the
root user here (:mod:`tests.aws_harness.root`), never in the product.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.aws_harness.ops import Operation, error_response, identify

Rewriter = Callable[[Operation, bytes], bytes]
_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "content-length", "te", "upgrade"}


class Proxy:
    """Counts, delays, denies, throttles and rewrites the requests it forwards to ``upstream`` (host, port)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.delay = 0.0
        self.deny: set[str] = set()  # "iam:GetCredentialReport", or "kms:*" for a whole service
        self.throttle: dict[str, int] = {}  # operation -> how many more calls to throttle
        self.throttled: Counter[str] = Counter()
        self.rewriters: dict[str, list[Rewriter]] = {}  # operation -> rewriters of its answer body
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="aws-proxy", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Proxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        """Forget counts and every simulation (delay, denials, throttles); rewriters stay."""
        with self.lock:
            self.counts.clear()
            self.throttled.clear()
            self.delay = 0.0
            self.deny = set()
            self.throttle = {}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _decide(self, op: Operation) -> str | None:
        with self.lock:
            self.counts[op.key] += 1
            if op.key in self.deny or f"{op.service}:*" in self.deny:
                return "denied"
            left = self.throttle.get(op.key, 0)
            if left > 0:
                self.throttle[op.key] = left - 1
                self.throttled[op.key] += 1
                return "throttled"
        return None


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default 5 drops bursts of new connections (the client retries after 1 s)


def _handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers and body in two writes meet the client's delayed ACK

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in _HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if self.command != "HEAD":
                self._headers_buffer.append(b"\r\n" + body)  # one write: headers and body together
                self.flush_headers()
            else:
                self.end_headers()

        def _handle(self) -> None:
            body = self._body()
            target = self.path
            if target.startswith(("http://", "https://")):  # absolute form: we are an HTTP proxy
                parts = urllib.parse.urlsplit(target)
                target = parts.path + (f"?{parts.query}" if parts.query else "")
            headers = {k.lower(): v for k, v in self.headers.items()}
            op = identify(self.command, target, headers, body)
            verdict = proxy._decide(op)
            if proxy.delay:
                time.sleep(proxy.delay)
            if verdict is not None:
                self._send(*error_response(op, verdict))
                return
            forward = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            if op.account:
                forward["x-moto-account-id"] = op.account
            conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
            try:
                conn.request(self.command, target, body=body or None, headers=forward)
                answer = conn.getresponse()
                data = answer.read()
                answer_headers = dict(answer.getheaders())
                status = answer.status
            finally:
                conn.close()
            for rewrite in proxy.rewriters.get(op.key, ()):
                data = rewrite(op, data)
            self._send(status, answer_headers, data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

    return Handler
