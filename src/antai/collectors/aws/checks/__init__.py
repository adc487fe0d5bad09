"""antai's AWS checks, one module each with its :class:`~antai.collectors.aws.meta.CheckMeta` beside the code.

Every module has ``META`` and ``evaluate(inventory) -> Iterator[Result]``. :data:`CHECKS` is the order in
which they run and are listed.
"""

from __future__ import annotations

from types import ModuleType

from antai.collectors.aws.checks import (
    cloudtrail_log_validation,
    cloudtrail_multi_region,
    cloudtrail_object_lock,
    config_change_alarm,
    config_recorder,
    ec2_public_images,
    ec2_public_snapshots,
    ec2_security_group_admin_ports,
    guardduty_enabled,
    iam_access_key_age,
    iam_admin_policies,
    iam_password_policy,
    iam_root_access_keys,
    iam_root_hardware_mfa,
    iam_root_mfa,
    iam_root_signin_alarm,
    iam_unused_credentials,
    iam_user_mfa,
    kms_rotation,
    rds_backups,
    rds_encryption,
    rds_multi_az,
    rds_public_snapshots,
    s3_account_public_access_block,
    s3_bucket_public_access_block,
    s3_default_encryption,
    s3_tls_only,
)

CHECKS: tuple[ModuleType, ...] = (
    iam_root_mfa,
    iam_root_hardware_mfa,
    iam_root_access_keys,
    iam_root_signin_alarm,
    iam_user_mfa,
    iam_password_policy,
    iam_admin_policies,
    iam_unused_credentials,
    iam_access_key_age,
    cloudtrail_multi_region,
    cloudtrail_log_validation,
    cloudtrail_object_lock,
    config_recorder,
    config_change_alarm,
    kms_rotation,
    s3_default_encryption,
    s3_tls_only,
    s3_account_public_access_block,
    s3_bucket_public_access_block,
    rds_encryption,
    rds_multi_az,
    rds_backups,
    ec2_public_snapshots,
    rds_public_snapshots,
    ec2_public_images,
    ec2_security_group_admin_ports,
    guardduty_enabled,
)
