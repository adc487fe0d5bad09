"""Every AWS API call the collector makes, and the IAM action that allows it.

The read-only policy shipped beside this module (``readonly-policy.json``, printed by
``antai check aws --print-policy``) lists exactly these actions; the tests check that every call a run
makes is in this table and in the policy.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

# (botocore service name, operation) -> IAM action
ACTIONS: dict[tuple[str, str], str] = {
    ("sts", "GetCallerIdentity"): "sts:GetCallerIdentity",
    ("iam", "GetAccountSummary"): "iam:GetAccountSummary",
    ("iam", "ListVirtualMFADevices"): "iam:ListVirtualMFADevices",
    ("iam", "GenerateCredentialReport"): "iam:GenerateCredentialReport",
    ("iam", "GetCredentialReport"): "iam:GetCredentialReport",
    ("iam", "GetAccountAuthorizationDetails"): "iam:GetAccountAuthorizationDetails",
    ("iam", "GetAccountPasswordPolicy"): "iam:GetAccountPasswordPolicy",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetBucketPolicy"): "s3:GetBucketPolicy",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("cloudtrail", "DescribeTrails"): "cloudtrail:DescribeTrails",
    ("cloudtrail", "GetTrailStatus"): "cloudtrail:GetTrailStatus",
    ("cloudtrail", "GetEventSelectors"): "cloudtrail:GetEventSelectors",
    ("logs", "DescribeMetricFilters"): "logs:DescribeMetricFilters",
    ("cloudwatch", "DescribeAlarms"): "cloudwatch:DescribeAlarms",
    ("sns", "ListSubscriptions"): "sns:ListSubscriptions",
    ("config", "DescribeConfigurationRecorders"): "config:DescribeConfigurationRecorders",
    ("config", "DescribeConfigurationRecorderStatus"): "config:DescribeConfigurationRecorderStatus",
    ("kms", "ListKeys"): "kms:ListKeys",
    ("kms", "DescribeKey"): "kms:DescribeKey",
    ("kms", "GetKeyRotationStatus"): "kms:GetKeyRotationStatus",
    ("ec2", "DescribeSecurityGroups"): "ec2:DescribeSecurityGroups",
    ("ec2", "DescribeSnapshots"): "ec2:DescribeSnapshots",
    ("ec2", "DescribeSnapshotAttribute"): "ec2:DescribeSnapshotAttribute",
    ("ec2", "DescribeImages"): "ec2:DescribeImages",
    ("rds", "DescribeDBInstances"): "rds:DescribeDBInstances",
    ("rds", "DescribeDBClusters"): "rds:DescribeDBClusters",
    ("rds", "DescribeDBSnapshots"): "rds:DescribeDBSnapshots",
    ("rds", "DescribeDBSnapshotAttributes"): "rds:DescribeDBSnapshotAttributes",
    ("rds", "DescribeDBClusterSnapshots"): "rds:DescribeDBClusterSnapshots",
    ("rds", "DescribeDBClusterSnapshotAttributes"): "rds:DescribeDBClusterSnapshotAttributes",
    ("guardduty", "ListDetectors"): "guardduty:ListDetectors",
    ("guardduty", "GetDetector"): "guardduty:GetDetector",
}


def action(service: str, operation: str) -> str:
    """The IAM action of a call (``service:Operation`` for one not in the table)."""
    return ACTIONS.get((service, operation), f"{service}:{operation}")


def policy_text() -> str:
    """The minimal read-only IAM policy, as shipped (JSON)."""
    return resources.files("antai.collectors.aws").joinpath("readonly-policy.json").read_text("utf-8")


def policy() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(policy_text())
    return data


def policy_actions() -> set[str]:
    """The actions the shipped policy allows."""
    found: set[str] = set()
    for statement in policy()["Statement"]:
        actions = statement["Action"]
        found.update([actions] if isinstance(actions, str) else actions)
    return found
