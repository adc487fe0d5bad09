"""Why `antai check aws` could not start: no SDK, no credentials, no answer from the endpoint."""

from __future__ import annotations

from antai.errors import AntaiError, NotFound


class AwsError(AntaiError):
    """The run could not look at the account at all (a single denied call never raises: it is a finding)."""


def sdk_missing() -> AwsError:
    return AwsError(
        "the AWS SDK (boto3) is not installed: pip install 'antai[aws]'", code="aws_sdk_missing", hint="antai[aws]"
    )


def no_credentials() -> AwsError:
    return AwsError(
        "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or run "
        "`aws sso login`",
        code="aws_no_credentials",
    )


def unknown_profile(profile: str) -> NotFound:
    return NotFound(
        f"AWS profile {profile} is not in the AWS config files", code="aws_unknown_profile", profile=profile
    )


def unreachable(endpoint: str, reason: str) -> AwsError:
    return AwsError(
        f"could not reach AWS at {endpoint} ({reason}); check the network, the region and AWS_ENDPOINT_URL",
        code="aws_unreachable",
        endpoint=endpoint,
        reason=reason,
    )


def rejected(code: str, message: str) -> AwsError:
    return AwsError(
        f"AWS rejected the credentials ({code}: {message[:200]}); refresh them (e.g. `aws sso login`)",
        code="aws_rejected",
        error=code,
    )
