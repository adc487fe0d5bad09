"""One run of antai's AWS checks: who we are, the inventory (fetched once, in parallel), then every check."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from antai.collectors.aws import errors
from antai.collectors.aws.inventory import Failure, Inventory, Unavailable

if TYPE_CHECKING:
    from antai.assessment.findings import Finding
    from antai.collectors.aws.meta import CheckMeta

DEFAULT_REGION = "ap-northeast-1"
WORKERS = 16
Progress = Callable[[str, int, int], None]  # (what, done, total)

# errors on the first call that mean the credentials themselves are no good
_REJECTED = {
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "AccessDenied",
}


@dataclass
class AwsScan:
    """What a run saw: the account, the caller, the regions, and one finding per check and resource."""

    account: str
    caller: str
    regions: tuple[str, ...]
    started: dt.datetime
    findings: list[Finding]

    @property
    def target(self) -> str:
        return f"AWS {self.account} {','.join(self.regions)}"


def metas() -> list[CheckMeta]:
    """Every check's metadata, in run order."""
    from antai.collectors.aws.checks import CHECKS

    return [module.META for module in CHECKS]


def collect(
    *,
    regions: Iterable[str] = (),
    profile: str | None = None,
    break_glass: Iterable[str] = (),
    lang: str = "ja",
    progress: Progress | None = None,
    session: Any = None,
    workers: int = WORKERS,
) -> AwsScan:
    """Run every check against the account the standard credential chain (or ``profile``) leads to.

    ``AWS_ENDPOINT_URL`` and the other botocore settings apply as botocore reads them. A denied or failed call
    never raises: the checks that needed its data yield ``error`` findings. Raises
    :class:`~antai.collectors.aws.errors.AwsError` only when the account cannot be looked at at all.
    """
    try:
        boto3 = importlib.import_module("boto3")
        config_class = importlib.import_module("botocore.config").Config
    except ImportError as exc:
        raise errors.sdk_missing() from exc
    from antai import __version__
    from antai.collectors.aws.fetch import Clients, Fetcher, Tasks

    session = session or _session(boto3, profile)
    chosen = tuple(dict.fromkeys(r for r in regions if r)) or (session.region_name or DEFAULT_REGION,)
    home = chosen[0]
    started = dt.datetime.now(dt.UTC)
    config = config_class(
        retries={"mode": "adaptive", "max_attempts": 8},
        connect_timeout=5,
        read_timeout=30,
        max_pool_connections=workers,
        user_agent_extra=f"antai/{__version__}",
        # nothing is uploaded, and the answers are small: no checksums to compute beyond what AWS requires
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    clients = Clients(session, config)
    # who we are, asked while this thread creates the clients (CPU work that needs no answer yet)
    sts = _sts(session, home, config_class)
    answer: list[Any] = []
    asking = threading.Thread(target=_ask_identity, args=(sts, answer), name="antai-aws-sts", daemon=True)
    asking.start()
    clients.prepare([("iam", home), ("s3", home)])
    asking.join()
    account, caller = _identity(sts, answer)
    inventory = Inventory(account, caller.split(":")[1] or "aws", chosen, started, tuple(break_glass))
    tasks = Tasks(workers, progress)
    Fetcher(clients, inventory, tasks, home).start(chosen)
    from antai.collectors.aws import checks  # noqa: F401  (loaded while the calls are in flight)

    tasks.wait()
    return AwsScan(account, caller, chosen, started, evaluate(inventory, lang))


def _session(boto3: Any, profile: str | None) -> Any:
    ProfileNotFound = importlib.import_module("botocore.exceptions").ProfileNotFound

    try:
        return boto3.session.Session(profile_name=profile)
    except ProfileNotFound as exc:
        raise errors.unknown_profile(profile or "") from exc


def _sts(session: Any, region: str, config_class: Any) -> Any:
    """An STS client for the first call, after checking that there are credentials at all."""
    exceptions = importlib.import_module("botocore.exceptions")
    try:
        if session.get_credentials() is None:
            raise errors.no_credentials()
    except exceptions.ProfileNotFound as exc:
        raise errors.unknown_profile(str(session.profile_name or "")) from exc
    except exceptions.BotoCoreError as exc:  # an SSO token to refresh, a broken credential_process…
        raise errors.rejected(type(exc).__name__, str(exc)) from exc
    # few retries: an endpoint that does not answer should say so in seconds
    quick = config_class(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=4, read_timeout=15)
    return session.client("sts", region_name=region, config=quick)


def _ask_identity(sts: Any, answer: list[Any]) -> None:
    try:
        answer.append(sts.get_caller_identity())
    except Exception as exc:
        answer.append(exc)


def _identity(sts: Any, answer: list[Any]) -> tuple[str, str]:
    """(account ID, caller ARN), or the error that says why the account cannot be looked at."""
    exceptions = importlib.import_module("botocore.exceptions")
    BotoCoreError, ClientError = exceptions.BotoCoreError, exceptions.ClientError
    NoCredentialsError = exceptions.NoCredentialsError
    try:
        if not answer:
            raise BotoCoreError()
        if isinstance(answer[0], BaseException):
            raise answer[0]
        found = answer[0]
    except NoCredentialsError as exc:
        raise errors.no_credentials() from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        if code in _REJECTED:
            raise errors.rejected(code, str(error.get("Message", ""))) from exc
        raise errors.unreachable(sts.meta.endpoint_url, code or type(exc).__name__) from exc
    except BotoCoreError as exc:
        raise errors.unreachable(sts.meta.endpoint_url, type(exc).__name__) from exc
    return str(found["Account"]), str(found["Arn"])


def evaluate(inventory: Inventory, lang: str) -> list[Finding]:
    """Every check's findings from one inventory; never raises."""
    from antai.assessment.findings import FindingStatus
    from antai.collectors.aws.checks import CHECKS
    from antai.collectors.aws.meta import Result
    from antai.collectors.base import finding as _finding

    findings: list[Finding] = []
    for module in CHECKS:
        meta: CheckMeta = module.META
        failures = inventory.failures(meta.needs)
        blocking = [(region, f) for region, f in failures if region is None or meta.account_level]
        for region, failure in _unique(blocking if blocking else failures):
            result = Result(FindingStatus.ERROR, inventory.scope(region), failure.observed)
            findings.append(_finding(meta, result, lang))
        if blocking:
            continue
        try:
            for result in module.evaluate(inventory):
                findings.append(_finding(meta, result, lang))
        except Unavailable as exc:
            findings.append(_finding(meta, Result(FindingStatus.ERROR, inventory.scope(), exc.failure.observed), lang))
        except Exception as exc:  # a check that cannot read an unexpected answer proves nothing: an error
            observed = f"{type(exc).__name__} while evaluating"
            findings.append(_finding(meta, Result(FindingStatus.ERROR, inventory.scope(), observed), lang))
    return findings


def _unique(failures: list[tuple[str | None, Failure]]) -> list[tuple[str | None, Failure]]:
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for region, failure in failures:
        if (region, failure.action) not in seen:
            seen.add((region, failure.action))
            unique.append((region, failure))
    return unique
