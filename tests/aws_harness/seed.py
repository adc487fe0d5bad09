"""Seeded accounts: a compliant one, a non-compliant one (each check failing on a named resource) and the
benchmark's account. Seeding goes through the proxy with boto3, as the product's own calls do; callers
reset the proxy's counts afterwards."""

from __future__ import annotations

import json
from typing import Any

from tests.aws_harness import REGION, Account, Emulator, Root

ROOT_PATTERN = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
)
CONFIG_PATTERN = (
    "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || "
    "($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || "
    "($.eventName = PutConfigurationRecorder)) }"
)
OLD = "2026-05-01T00:00:00+00:00"  # more than 90 days before the harness clock's "now"
TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::{bucket}", "arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
FULL_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


class Seeder:
    def __init__(self, emu: Emulator, account: str, region: str = REGION) -> None:
        self.emu = emu
        self.account = account
        self.region = region
        self._clients: dict[str, Any] = {}

    def __getattr__(self, service: str) -> Any:
        if service.startswith("_"):
            raise AttributeError(service)
        name = service.replace("_", "-") if service != "s3control" else service
        if name not in self._clients:
            self._clients[name] = self.emu.client(self.account, name, self.region)
        return self._clients[name]

    # --- building blocks ---------------------------------------------------------------------------------
    def bucket(
        self, name: str, *, encrypted: bool = True, tls_only: bool = True, block: bool = True, lock: bool = False
    ) -> str:
        self.s3.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": self.region}, ObjectLockEnabledForBucket=lock
        )
        if encrypted:
            self.s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
                },
            )
        if tls_only:
            self.s3.put_bucket_policy(Bucket=name, Policy=json.dumps(TLS_ONLY).replace("{bucket}", name))
        if block:
            self.s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=FULL_BLOCK)
        return name

    def alarm_chain(self, group: str) -> None:
        topic = self.sns.create_topic(Name="security-alerts")["TopicArn"]
        queue = self.sqs.create_queue(QueueName="security-alerts")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
        for name, pattern in (("RootUse", ROOT_PATTERN), ("ConfigChanges", CONFIG_PATTERN)):
            self.logs.put_metric_filter(
                logGroupName=group,
                filterName=name,
                filterPattern=pattern,
                metricTransformations=[{"metricName": name, "metricNamespace": "Security", "metricValue": "1"}],
            )
            self.cloudwatch.put_metric_alarm(
                AlarmName=f"{name}Alarm",
                MetricName=name,
                Namespace="Security",
                Statistic="Sum",
                Period=300,
                EvaluationPeriods=1,
                Threshold=1,
                ComparisonOperator="GreaterThanOrEqualToThreshold",
                AlarmActions=[topic],
            )

    def trail(
        self, name: str, bucket: str, *, multi: bool = True, validation: bool = True, group: str | None = None
    ) -> None:
        extra: dict[str, Any] = {}
        if group is not None:
            arn = self.logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["arn"]
            extra = {
                "CloudWatchLogsLogGroupArn": arn,
                "CloudWatchLogsRoleArn": f"arn:aws:iam::{self.account}:role/trail",
            }
        self.cloudtrail.create_trail(
            Name=name, S3BucketName=bucket, IsMultiRegionTrail=multi, EnableLogFileValidation=validation, **extra
        )
        self.cloudtrail.put_event_selectors(
            TrailName=name, EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}]
        )
        self.cloudtrail.start_logging(Name=name)

    def recorder(self, bucket: str) -> None:
        self.config.put_configuration_recorder(
            ConfigurationRecorder={
                "name": "default",
                "roleARN": f"arn:aws:iam::{self.account}:role/config",
                "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
            }
        )
        self.config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": bucket})
        self.config.start_configuration_recorder(ConfigurationRecorderName="default")

    def console_user(self, name: str, *, mfa: bool) -> None:
        self.iam.create_user(UserName=name)
        self.iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
        if mfa:
            serial = self.iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
            self.iam.enable_mfa_device(
                UserName=name, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
            )

    def database(self, name: str, *, good: bool) -> None:
        self.rds.create_db_instance(
            DBInstanceIdentifier=name,
            DBInstanceClass="db.t3.micro",
            Engine="postgres",
            MasterUsername="app",
            MasterUserPassword="Correct-Horse-Battery-9",
            AllocatedStorage=20,
            StorageEncrypted=good,
            MultiAZ=good,
            BackupRetentionPeriod=7 if good else 0,
        )
        self.rds.create_db_snapshot(DBInstanceIdentifier=name, DBSnapshotIdentifier=f"{name}-manual")
        if not good:
            self.rds.modify_db_snapshot_attribute(
                DBSnapshotIdentifier=f"{name}-manual", AttributeName="restore", ValuesToAdd=["all"]
            )

    def volume_snapshot(self, *, public: bool) -> str:
        volume = self.ec2.create_volume(AvailabilityZone=f"{self.region}a", Size=8)["VolumeId"]
        snapshot = self.ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        if public:
            self.ec2.modify_snapshot_attribute(
                SnapshotId=snapshot, Attribute="createVolumePermission", OperationType="add", GroupNames=["all"]
            )
        return snapshot

    def image(self, *, public: bool) -> str:
        image = self.ec2.register_image(
            Name=f"app-{public}",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
        )["ImageId"]
        if public:
            self.ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
        return image

    def security_group(self, name: str, port: int, cidr: str) -> str:
        group = self.ec2.create_security_group(GroupName=name, Description=name)["GroupId"]
        ranges = {"Ipv6Ranges": [{"CidrIpv6": cidr}]} if ":" in cidr else {"IpRanges": [{"CidrIp": cidr}]}
        self.ec2.authorize_security_group_ingress(
            GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **ranges}]
        )
        return group


def compliant(emu: Emulator, account: str) -> dict[str, str]:
    """Every check passes (the role BreakGlass holds AdministratorAccess and is declared with --break-glass)."""
    emu.account(Account(account, Root(mfa=True, hardware=True, access_keys=False)))
    s = Seeder(emu, account)
    s.iam.update_account_password_policy(MinimumPasswordLength=16, PasswordReusePrevention=24)
    s.console_user("alice", mfa=True)
    s.iam.create_user(UserName="deploy")
    s.iam.create_access_key(UserName="deploy")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    s.iam.create_role(RoleName="app", AssumeRolePolicyDocument=trust)
    s.iam.put_role_policy(
        RoleName="app",
        PolicyName="read-data",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
        ),
    )
    s.iam.create_role(RoleName="BreakGlass", AssumeRolePolicyDocument=trust)
    s.iam.attach_role_policy(RoleName="BreakGlass", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    logs_bucket = s.bucket(f"trail-logs-{account}", lock=True)
    s.s3.put_object_lock_configuration(
        Bucket=logs_bucket,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 400}},
        },
    )
    data_bucket = s.bucket(f"app-data-{account}")
    s.s3control.put_public_access_block(AccountId=account, PublicAccessBlockConfiguration=FULL_BLOCK)
    s.logs.create_log_group(logGroupName="cloudtrail")
    s.trail("main", logs_bucket, group="cloudtrail")
    s.alarm_chain("cloudtrail")
    s.recorder(logs_bucket)
    key = s.kms.create_key(Description="app data")["KeyMetadata"]["KeyId"]
    s.kms.enable_key_rotation(KeyId=key)
    s.kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY", Description="signing")
    s.database("ledger", good=True)
    snapshot = s.volume_snapshot(public=False)
    image = s.image(public=False)
    web = s.security_group("web", 443, "0.0.0.0/0")
    detector = s.guardduty.create_detector(Enable=True)["DetectorId"]
    return {
        "data_bucket": data_bucket,
        "logs_bucket": logs_bucket,
        "key": key,
        "snapshot": snapshot,
        "image": image,
        "web": web,
        "detector": detector,
    }


def noncompliant(emu: Emulator, account: str) -> dict[str, str]:
    """Every check fails on a resource the test names."""
    emu.account(
        Account(
            account,
            Root(mfa=False, hardware=False, access_keys=True),
            users={"old-key": {"access_key_1_last_rotated": OLD}},
        )
    )
    s = Seeder(emu, account)
    s.console_user("bob", mfa=False)
    s.iam.attach_user_policy(UserName="bob", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    s.iam.create_user(UserName="old-key")
    s.iam.create_access_key(UserName="old-key")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    s.iam.create_role(RoleName="ci", AssumeRolePolicyDocument=trust)
    s.iam.put_role_policy(
        RoleName="ci",
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    logs_bucket = s.bucket(f"trail-logs-{account}", encrypted=True, tls_only=True, block=True)
    open_bucket = s.bucket(f"open-{account}", encrypted=False, tls_only=False, block=False)
    s.trail("regional", logs_bucket, multi=False, validation=False)
    key = s.kms.create_key(Description="no rotation")["KeyMetadata"]["KeyId"]
    s.database("legacy", good=False)
    s.rds.create_db_cluster(
        DBClusterIdentifier="ledger-cluster",
        Engine="aurora-postgresql",
        MasterUsername="app",
        MasterUserPassword="Correct-Horse-Battery-9",
        StorageEncrypted=False,
    )
    s.rds.create_db_cluster_snapshot(
        DBClusterIdentifier="ledger-cluster", DBClusterSnapshotIdentifier="ledger-cluster-manual"
    )
    s.rds.modify_db_cluster_snapshot_attribute(
        DBClusterSnapshotIdentifier="ledger-cluster-manual", AttributeName="restore", ValuesToAdd=["all"]
    )
    snapshot = s.volume_snapshot(public=True)
    image = s.image(public=True)
    ssh = s.security_group("ssh-open", 22, "0.0.0.0/0")
    rdp = s.security_group("rdp-open", 3389, "::/0")
    return {
        "logs_bucket": logs_bucket,
        "open_bucket": open_bucket,
        "key": key,
        "snapshot": snapshot,
        "image": image,
        "ssh": ssh,
        "rdp": rdp,
    }


def benchmark(
    emu: Emulator, account: str, *, users: int = 20, buckets: int = 30, keys: int = 5, groups: int = 5
) -> None:
    """The benchmark's account: the compliant base plus users, buckets, keys and security groups up to the counts."""
    emu.account(Account(account))
    s = Seeder(emu, account)
    s.iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24)
    for n in range(users):
        if n % 2:
            s.console_user(f"user-{n:02d}", mfa=n % 4 == 1)
        else:
            s.iam.create_user(UserName=f"user-{n:02d}")
            s.iam.create_access_key(UserName=f"user-{n:02d}")
    logs_bucket = s.bucket(f"trail-logs-{account}", lock=True)
    for n in range(buckets - 1):
        s.bucket(f"bench-{account}-{n:02d}", encrypted=n % 3 != 0, tls_only=n % 2 == 0, block=n % 5 != 0)
    s.logs.create_log_group(logGroupName="cloudtrail")
    s.trail("main", logs_bucket, group="cloudtrail")
    s.alarm_chain("cloudtrail")
    s.recorder(logs_bucket)
    for n in range(keys):
        key = s.kms.create_key(Description=f"key {n}")["KeyMetadata"]["KeyId"]
        if n % 2 == 0:
            s.kms.enable_key_rotation(KeyId=key)
    for n in range(groups - 1):  # the default VPC's default group is the fifth
        s.security_group(f"sg-{n}", 22 if n == 0 else 443, "0.0.0.0/0")
    s.guardduty.create_detector(Enable=True)
