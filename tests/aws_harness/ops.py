"""Which AWS operation an HTTP request is, and what an error looks like in that service's protocol.

The proxy sees raw HTTP. It names the operation the way IAM does (``service:Operation``) from the SigV4
credential scope and, by protocol: the ``Action`` form field (query, EC2), the ``X-Amz-Target`` header
(JSON), the ``/service/…/operation/NAME`` path (Smithy RPC v2 CBOR) or the method and path matched
against botocore's REST URI templates (S3, S3 Control, GuardDuty…).
"""

from __future__ import annotations

import functools
import re
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any

# SigV4 signing name -> botocore service name, where they differ
_SIGNING = {"monitoring": "cloudwatch", "email": "ses", "execute-api": "apigateway", "states": "stepfunctions"}

# the "you may not" error code each service answers with
_DENIED = {
    "ec2": "UnauthorizedOperation",
    "sns": "AuthorizationError",
    "s3": "AccessDenied",
    "s3control": "AccessDenied",
    "iam": "AccessDenied",
    "sts": "AccessDenied",
    "rds": "AccessDenied",
    "cloudwatch": "AccessDenied",
}


@dataclass(frozen=True)
class Operation:
    service: str  # botocore name: iam, s3, s3control, cloudwatch…
    name: str  # GetCredentialReport; "?" when unknown
    protocol: str
    account: str | None  # the access key ID when it is a 12-digit account number (the harness's convention)

    @property
    def key(self) -> str:
        return f"{self.service}:{self.name}"


@functools.cache
def _loader() -> Any:
    import botocore.session

    return botocore.session.get_session().get_component("data_loader")


@functools.cache
def _model(service: str) -> dict[str, Any] | None:
    try:
        model: dict[str, Any] = _loader().load_service_model(service, "service-2")
    except Exception:
        return None
    return model


@functools.cache
def _rest_routes(service: str) -> list[tuple[str, re.Pattern[str], frozenset[str], int, str]]:
    """(method, path regex, required query keys, literal length, operation) for a REST service."""
    model = _model(service) or {}
    routes = []
    for name, op in model.get("operations", {}).items():
        http = op.get("http", {})
        uri = http.get("requestUri", "/")
        path, _, query = uri.partition("?")
        keys = frozenset(part.split("=")[0] for part in query.split("&") if part)
        pattern = ""
        literal = 0
        for piece in re.split(r"(\{[^}]+\})", path):
            if piece.startswith("{"):
                pattern += ".+" if piece.endswith("+}") else "[^/]+"
            else:
                pattern += re.escape(piece)
                literal += len(piece)
        routes.append((http.get("method", "GET"), re.compile(pattern + "/?"), keys, literal, name))
    return routes


def identify(method: str, target: str, headers: dict[str, str], body: bytes) -> Operation:
    """The operation of one request (``target`` is the path with its query)."""
    auth = headers.get("authorization", "")
    scope = re.search(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/aws4_request", auth)
    akid, signing = (scope.group(1), scope.group(3)) if scope else ("", "")
    account = akid if re.fullmatch(r"\d{12}", akid) else None
    path, _, query = target.partition("?")
    service = _SIGNING.get(signing, signing)
    if service == "s3" and path.startswith("/v20180820"):
        service = "s3control"
    model = _model(service) if service else None
    protocol = (model or {}).get("metadata", {}).get("protocol", "?")
    name = "?"
    # the protocol the request speaks (a service may offer several: CloudWatch has CBOR, JSON and query)
    amz_target = headers.get("x-amz-target")
    if amz_target:
        name, protocol = amz_target.rpartition(".")[2], "json"
    elif "/operation/" in path:
        name, protocol = path.rpartition("/operation/")[2], "smithy-rpc-v2-cbor"
    elif protocol in ("query", "ec2") or (method == "POST" and b"Action=" in body[:200]):
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if body else {}
        form = form or urllib.parse.parse_qs(query)
        name = (form.get("Action") or ["?"])[0]
        protocol = "ec2" if service == "ec2" else "query"
    elif model is not None:
        present = {part.split("=")[0] for part in query.split("&") if part}
        best: tuple[int, int] | None = None
        for verb, pattern, keys, literal, op_name in _rest_routes(service):
            if verb == method and keys <= present and pattern.fullmatch(urllib.parse.unquote(path)):
                rank = (len(keys), literal)
                if best is None or rank > best:
                    best, name = rank, op_name
    return Operation(service or "?", name, protocol, account)


def _cbor_text(value: str) -> bytes:
    raw = value.encode()
    return _cbor_head(3, len(raw)) + raw


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    if length < 256:
        return bytes([major << 5 | 24, length])
    return bytes([major << 5 | 25]) + length.to_bytes(2, "big")


def error_response(op: Operation, kind: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a denied (``kind="denied"``) or throttled (``"throttled"``) answer, shaped as
    the service's protocol shapes its errors, so botocore parses the code and its retry rules see a throttle."""
    request_id = str(uuid.uuid4())
    denied = kind == "denied"
    message = f"User is not authorized to perform: {op.key}" if denied else "Rate exceeded"
    protocol = op.protocol
    headers = {"x-amzn-RequestId": request_id}
    if protocol == "ec2":
        code, status = ("UnauthorizedOperation", 403) if denied else ("RequestLimitExceeded", 503)
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        )
        return status, {**headers, "Content-Type": "text/xml"}, body.encode()
    if protocol == "query":
        code, status = (_DENIED.get(op.service, "AccessDenied"), 403) if denied else ("Throttling", 400)
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return status, {**headers, "Content-Type": "text/xml"}, body.encode()
    if protocol == "rest-xml":
        code, status = ("AccessDenied", 403) if denied else ("SlowDown", 503)
        body = f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        return status, {**headers, "Content-Type": "application/xml"}, body.encode()
    if protocol == "json":
        code, status = ("AccessDeniedException", 400) if denied else ("ThrottlingException", 400)
        import json

        payload = json.dumps({"__type": code, "message": message}).encode()
        return status, {**headers, "Content-Type": "application/x-amz-json-1.1"}, payload
    if protocol == "rest-json":
        code, status = ("AccessDeniedException", 403) if denied else ("TooManyRequestsException", 429)
        import json

        payload = json.dumps({"message": message}).encode()
        return status, {**headers, "Content-Type": "application/json", "x-amzn-ErrorType": code}, payload
    if protocol == "smithy-rpc-v2-cbor":
        code = _DENIED.get(op.service, "AccessDeniedException") if denied else "ThrottlingException"
        payload = _cbor_head(5, 2) + _cbor_text("__type") + _cbor_text(code) + _cbor_text("message")
        payload += _cbor_text(message)
        return 400, {**headers, "Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}, payload
    raise ValueError(f"no error shape for protocol {protocol} ({op.key})")
