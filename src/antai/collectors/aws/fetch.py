"""Fetching the inventory: each service's data once, services in parallel, per-resource calls in parallel.

One boto3 session; clients are created under a lock (sessions are not thread-safe, clients are) and cached
per (service, region). Every task turns a denied or failed call into a :class:`Failure` in the inventory
and never raises. Tasks may submit further tasks (a bucket's settings after ListBuckets); :class:`Tasks`
waits until none is left, reporting progress from the calling thread.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import queue
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, ClassVar

from antai.collectors.aws.actions import action
from antai.collectors.aws.inventory import (
    Authorization,
    Bucket,
    CredentialKey,
    CredentialRow,
    Detector,
    Failure,
    Inventory,
    Key,
    Principal,
    Snapshot,
    Trail,
)

Progress = Callable[[str, int, int], None]


class CallFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.observed)
        self.failure = failure


def failure_of(exc: BaseException, service: str, operation: str) -> Failure:
    """The Failure a botocore exception stands for."""
    if isinstance(exc, CallFailed):
        return exc.failure
    response = getattr(exc, "response", None)
    code = None
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
    return Failure(action(service, operation), str(code or type(exc).__name__))


class Clients:
    """boto3 clients per (service, region) from one session; safe to call from any thread."""

    def __init__(self, session: Any, config: Any) -> None:
        self.session = session
        self.config = config
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}

    def prepare(self, services: list[tuple[str, str]]) -> None:
        """Create these clients now (in the calling thread), before the pool needs them."""
        for service, region in services:
            self.get(service, region)

    def get(self, service: str, region: str) -> Any:
        key = (service, region)
        client = self._cache.get(key)  # the common case, without the lock
        if client is not None:
            return client
        with self._lock:
            client = self._cache.get(key)
            if client is None:
                # no endpoint_url here: botocore reads AWS_ENDPOINT_URL (and per-service variants) itself
                client = self._cache[key] = self.session.client(service, region_name=region, config=self.config)
            return client


def call(client: Any, operation: str, **params: Any) -> Any:
    """One API call; a botocore error becomes :class:`CallFailed` with the IAM action and error code."""
    method = _snake(operation)
    try:
        return getattr(client, method)(**params)
    except Exception as exc:
        raise CallFailed(failure_of(exc, client.meta.service_model.service_name, operation)) from exc


def pages(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    """Every element of ``key`` across all pages of a paginated call."""
    method = _snake(operation)
    found: list[Any] = []
    try:
        for page in client.get_paginator(method).paginate(**params):
            found.extend(page.get(key, []))
    except Exception as exc:
        raise CallFailed(failure_of(exc, client.meta.service_model.service_name, operation)) from exc
    return found


def _snake(name: str) -> str:
    return str(_botocore("botocore").xform_name(name))


def _botocore(module: str) -> Any:
    import importlib

    return importlib.import_module(module)


# task priorities: a lower number runs first. The account-wide listings start every chain; the steps of a
# chain (a trail's status, then its alarm sources) come next, so that they never queue behind the bulk of
# per-resource calls (three per bucket), which can take the pool's remaining time.
FIRST, CHAIN, BULK = 0, 1, 2


class Tasks:
    """A bounded pool of threads whose tasks may add tasks, run by priority; :meth:`wait` returns when all
    are done, reporting progress from the calling thread."""

    def __init__(self, workers: int, progress: Progress | None) -> None:
        self.workers = workers
        self.progress = progress
        self._queue: queue.PriorityQueue[tuple[int, int, str, Callable[..., None], tuple[Any, ...]]] = (
            queue.PriorityQueue()
        )
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self.pending = self.done = self.total = 0
        self._last = ""
        self.crashed: list[BaseException] = []

    def submit(self, label: str, priority: int, fn: Callable[..., None], *args: Any) -> None:
        with self._cond:
            self.pending += 1
            self.total += 1
            sequence = self.total
            if len(self._threads) < min(self.workers, self.pending):
                thread = threading.Thread(target=self._work, name=f"antai-aws-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()
        self._queue.put((priority, sequence, label, fn, args))

    def _work(self) -> None:
        while True:
            _priority, _sequence, label, fn, args = self._queue.get()
            if fn is _stop:
                return
            try:
                fn(*args)
            except BaseException as exc:  # a task is written never to raise; keep what escapes for the caller
                self.crashed.append(exc)
            finally:
                with self._cond:
                    self.pending -= 1
                    self.done += 1
                    self._last = label
                    self._cond.notify_all()

    def wait(self) -> None:
        while True:
            with self._cond:
                if self.pending:
                    self._cond.wait(timeout=0.5)
                state = (self._last, self.done, self.total, self.pending)
            if self.progress is not None:
                self.progress(state[0], state[1], state[2])
            if not state[3]:
                break
        for _ in self._threads:
            self._queue.put((BULK + 1, 0, "", _stop, ()))
        for thread in self._threads:
            thread.join()


def _stop() -> None:
    return None


class Fetcher:
    """Fills an :class:`Inventory` for the given regions."""

    def __init__(self, clients: Clients, inventory: Inventory, tasks: Tasks, home: str) -> None:
        self.clients = clients
        self.inv = inventory
        self.tasks = tasks
        self.home = home  # region for global services (IAM, S3, S3 Control)
        self._lock = threading.Lock()
        self._trails: dict[str, Trail] = {}
        self._trail_buckets: set[str] = set()
        self._alarm_regions: set[str] = set()

    # --- scheduling ---------------------------------------------------------------------------------------
    def guarded(self, source: str | None, region: str | None, fn: Callable[..., None], *args: Any) -> None:
        """Run ``fn``; a failed call marks ``source`` (in ``region``) as unavailable."""
        try:
            fn(*args)
        except CallFailed as exc:
            if source is not None:
                self.inv.fail(source, exc.failure, region)
        except Exception as exc:  # a broken answer: the data set is unavailable, never a crash
            if source is not None:
                self.inv.fail(source, Failure(f"{source}", type(exc).__name__), region)

    def task(self, label: str, source: str | None, region: str | None, fn: Callable[..., None], *args: Any) -> None:
        """A first-level listing (or a chain's step when submitted from another task)."""
        self.tasks.submit(label, FIRST if source else CHAIN, self.guarded, source, region, fn, *args)

    def bulk(self, label: str, fn: Callable[..., None], *args: Any) -> None:
        """One of many per-resource calls (a bucket's settings, a snapshot's permissions)."""
        self.tasks.submit(label, BULK, self.guarded, None, None, fn, *args)

    def start(self, regions: tuple[str, ...]) -> None:
        """Submit the first-level listings, creating each service's client (in this thread) just before its
        tasks, so that the first answers are on their way while the later clients are built."""
        prepare = self.clients.prepare
        prepare([("iam", self.home)])
        self.task("iam", "iam.summary", None, self.iam_summary)
        self.task("iam", "iam.virtual_mfa", None, self.iam_virtual_mfa)
        self.task("iam", "iam.credential_report", None, self.iam_credential_report)
        self.task("iam", "iam.authorization", None, self.iam_authorization)
        self.task("iam", "iam.password_policy", None, self.iam_password_policy)
        prepare([("s3", self.home)])
        self.task("s3", "s3.buckets", None, self.s3_buckets)
        prepare([("s3control", self.home)])
        self.task("s3", "s3.account_public_access_block", None, self.s3_account_block)
        for region in regions:
            prepare([("cloudtrail", region)])
            self.task("cloudtrail", "cloudtrail.trails", region, self.trails, region)
            prepare([("kms", region)])
            self.task("kms", "kms.keys", region, self.kms_keys, region)
            prepare([("config", region)])
            self.task("config", "config.recorders", region, self.config_recorders, region)
            self.task("config", "config.recorder_status", region, self.config_status, region)
            prepare([("ec2", region)])
            self.task("ec2", "ec2.security_groups", region, self.security_groups, region)
            self.task("ec2", "ec2.snapshots", region, self.ebs_snapshots, region)
            self.task("ec2", "ec2.images", region, self.images, region)
            prepare([("rds", region)])
            self.task("rds", "rds.instances", region, self.rds_instances, region)
            self.task("rds", "rds.clusters", region, self.rds_clusters, region)
            self.task("rds", "rds.snapshots", region, self.rds_snapshots, region)
            prepare([("guardduty", region)])
            self.task("guardduty", "guardduty.detectors", region, self.detectors, region)
        # the alarm chain's clients, usually needed once the trails are known
        prepare([(service, region) for region in regions for service in ("logs", "cloudwatch", "sns")])

    def client(self, service: str, region: str | None = None) -> Any:
        return self.clients.get(service, region or self.home)

    # --- IAM (global) -------------------------------------------------------------------------------------
    def iam_summary(self) -> None:
        self.inv.put("iam.summary", call(self.client("iam"), "GetAccountSummary")["SummaryMap"])

    def iam_virtual_mfa(self) -> None:
        devices = pages(self.client("iam"), "ListVirtualMFADevices", "VirtualMFADevices", AssignmentStatus="Assigned")
        self.inv.put("iam.virtual_mfa", {d.get("User", {}).get("Arn", "") for d in devices})

    def iam_credential_report(self) -> None:
        iam = self.client("iam")
        delay = 0.05
        deadline = time.monotonic() + 60
        while call(iam, "GenerateCredentialReport").get("State") != "COMPLETE":
            if time.monotonic() > deadline:
                raise CallFailed(Failure(action("iam", "GenerateCredentialReport"), "ReportNotReady"))
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
        content = call(iam, "GetCredentialReport")["Content"]
        text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
        self.inv.put("iam.credential_report", [_credential_row(row) for row in csv.DictReader(io.StringIO(text))])

    def iam_authorization(self) -> None:
        iam = self.client("iam")
        users: list[Any] = []
        roles: list[Any] = []
        groups: list[Any] = []
        policies: list[Any] = []
        try:
            for page in iam.get_paginator("get_account_authorization_details").paginate(
                Filter=["User", "Role", "Group", "LocalManagedPolicy"]
            ):
                users.extend(page.get("UserDetailList", []))
                roles.extend(page.get("RoleDetailList", []))
                groups.extend(page.get("GroupDetailList", []))
                policies.extend(page.get("Policies", []))
        except Exception as exc:
            raise CallFailed(failure_of(exc, "iam", "GetAccountAuthorizationDetails")) from exc

        def principal(kind: str, data: dict[str, Any], inline_key: str) -> Principal:
            return Principal(
                kind=kind,
                name=data.get(f"{kind.capitalize()}Name", ""),
                arn=data.get("Arn", ""),
                path=data.get("Path", "/"),
                managed=[p.get("PolicyArn", "") for p in data.get("AttachedManagedPolicies", [])],
                inline=[
                    (p.get("PolicyName", ""), _document(p.get("PolicyDocument"))) for p in data.get(inline_key, [])
                ],
                groups=list(data.get("GroupList", [])),
            )

        documents = {}
        for policy in policies:
            default = next((v for v in policy.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None)
            if default is not None:
                documents[policy.get("Arn", "")] = _document(default.get("Document"))
        self.inv.put(
            "iam.authorization",
            Authorization(
                users=[principal("user", u, "UserPolicyList") for u in users],
                roles=[principal("role", r, "RolePolicyList") for r in roles],
                groups={g.get("GroupName", ""): principal("group", g, "GroupPolicyList") for g in groups},
                policies=documents,
            ),
        )

    def iam_password_policy(self) -> None:
        try:
            found = call(self.client("iam"), "GetAccountPasswordPolicy")["PasswordPolicy"]
        except CallFailed as exc:
            if exc.failure.code != "NoSuchEntity":
                raise
            found = None
        self.inv.put("iam.password_policy", found)

    # --- S3 -----------------------------------------------------------------------------------------------
    def s3_buckets(self) -> None:
        listed = call(self.client("s3"), "ListBuckets").get("Buckets", [])
        buckets = []
        for entry in listed:
            bucket = self._bucket(entry["Name"], entry.get("BucketRegion"))
            buckets.append(bucket)
            self.bulk("s3", self._bucket_call, bucket, "GetBucketEncryption", "encryption")
            self.bulk("s3", self._bucket_call, bucket, "GetBucketPolicy", "policy")
            self.bulk("s3", self._bucket_call, bucket, "GetPublicAccessBlock", "public_access_block")
        self.inv.put("s3.buckets", buckets)

    def _bucket(self, name: str, region: str | None) -> Bucket:
        with self._lock:
            bucket = self.inv.buckets_by_name.get(name)
            if bucket is None:
                bucket = self.inv.buckets_by_name[name] = Bucket(name, region)
            elif region and not bucket.region:
                bucket.region = region
            return bucket

    _ABSENT: ClassVar[dict[str, str]] = {
        "GetBucketEncryption": "ServerSideEncryptionConfigurationNotFoundError",
        "GetBucketPolicy": "NoSuchBucketPolicy",
        "GetPublicAccessBlock": "NoSuchPublicAccessBlockConfiguration",
        "GetObjectLockConfiguration": "ObjectLockConfigurationNotFoundError",
    }

    def _bucket_call(self, bucket: Bucket, operation: str, attribute: str) -> None:
        value: Any
        try:
            answer = call(self.client("s3", bucket.region), operation, Bucket=bucket.name)
        except CallFailed as exc:
            value = None if exc.failure.code == self._ABSENT[operation] else exc.failure
        else:
            if operation == "GetBucketEncryption":
                rules = answer.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
                value = [
                    r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm", "")
                    for r in rules
                    if r.get("ApplyServerSideEncryptionByDefault")
                ] or None
            elif operation == "GetBucketPolicy":
                value = _document(answer.get("Policy"))
            elif operation == "GetPublicAccessBlock":
                value = dict(answer.get("PublicAccessBlockConfiguration", {}))
            else:
                value = dict(answer.get("ObjectLockConfiguration", {}))
        setattr(bucket, attribute, value)

    def s3_account_block(self) -> None:
        try:
            answer = call(self.client("s3control"), "GetPublicAccessBlock", AccountId=self.inv.account)
        except CallFailed as exc:
            if exc.failure.code != "NoSuchPublicAccessBlockConfiguration":
                raise
            self.inv.put("s3.account_public_access_block", None)
            return
        self.inv.put("s3.account_public_access_block", dict(answer.get("PublicAccessBlockConfiguration", {})))

    # --- CloudTrail and the alarm chain -------------------------------------------------------------------
    def trails(self, region: str) -> None:
        listed = call(self.client("cloudtrail", region), "DescribeTrails", includeShadowTrails=True)["trailList"]
        found = []
        for data in listed:
            arn = data.get("TrailARN", "")
            with self._lock:
                trail = self._trails.get(arn)
                new = trail is None
                if trail is None:
                    trail = self._trails[arn] = Trail(
                        arn=arn,
                        name=data.get("Name", ""),
                        home_region=data.get("HomeRegion") or region,
                        multi_region=bool(data.get("IsMultiRegionTrail")),
                        log_validation=bool(data.get("LogFileValidationEnabled")),
                        bucket=data.get("S3BucketName"),
                        log_group_arn=data.get("CloudWatchLogsLogGroupArn"),
                    )
            found.append(trail)
            if new:
                self.task("cloudtrail", None, None, self._trail_status, trail)
                self.task("cloudtrail", None, None, self._trail_selectors, trail)
                if trail.bucket:
                    self._trail_bucket(trail.bucket)
                if trail.log_group_arn:
                    self._alarm_sources(_arn_region(trail.log_group_arn) or trail.home_region)
        self.inv.put("cloudtrail.trails", found, region)

    def _trail_status(self, trail: Trail) -> None:
        try:
            trail.logging = bool(
                call(self.client("cloudtrail", trail.home_region), "GetTrailStatus", Name=trail.arn).get("IsLogging")
            )
        except CallFailed as exc:
            trail.logging = exc.failure

    def _trail_selectors(self, trail: Trail) -> None:
        try:
            answer = call(self.client("cloudtrail", trail.home_region), "GetEventSelectors", TrailName=trail.arn)
        except CallFailed as exc:
            trail.management_events = exc.failure
            return
        trail.management_events = _management_events(answer)

    def _trail_bucket(self, name: str) -> None:
        with self._lock:
            if name in self._trail_buckets:
                return
            self._trail_buckets.add(name)
        bucket = self._bucket(name, None)
        self.task("s3", None, None, self._bucket_call, bucket, "GetObjectLockConfiguration", "object_lock")

    def _alarm_sources(self, region: str) -> None:
        with self._lock:
            if region in self._alarm_regions:
                return
            self._alarm_regions.add(region)
        self.task("logs", "logs.metric_filters", region, self.metric_filters, region)
        self.task("cloudwatch", "cloudwatch.alarms", region, self.alarms, region)
        self.task("sns", "sns.subscriptions", region, self.subscriptions, region)

    def metric_filters(self, region: str) -> None:
        found = pages(self.client("logs", region), "DescribeMetricFilters", "metricFilters")
        self.inv.put("logs.metric_filters", found, region)

    def alarms(self, region: str) -> None:
        found = pages(self.client("cloudwatch", region), "DescribeAlarms", "MetricAlarms")
        self.inv.put("cloudwatch.alarms", found, region)

    def subscriptions(self, region: str) -> None:
        found = pages(self.client("sns", region), "ListSubscriptions", "Subscriptions")
        self.inv.put("sns.subscriptions", found, region)

    # --- AWS Config ---------------------------------------------------------------------------------------
    def config_recorders(self, region: str) -> None:
        answer = call(self.client("config", region), "DescribeConfigurationRecorders")
        self.inv.put("config.recorders", answer.get("ConfigurationRecorders", []), region)

    def config_status(self, region: str) -> None:
        answer = call(self.client("config", region), "DescribeConfigurationRecorderStatus")
        self.inv.put("config.recorder_status", answer.get("ConfigurationRecordersStatus", []), region)

    # --- KMS ----------------------------------------------------------------------------------------------
    def kms_keys(self, region: str) -> None:
        listed = pages(self.client("kms", region), "ListKeys", "Keys")
        keys = []
        for entry in listed:
            key = Key(arn=entry.get("KeyArn") or entry.get("KeyId", ""))
            keys.append(key)
            self.task("kms", None, None, self._describe_key, key, region)
        self.inv.put("kms.keys", keys, region)

    def _describe_key(self, key: Key, region: str) -> None:
        kms = self.client("kms", region)
        try:
            meta = call(kms, "DescribeKey", KeyId=key.arn)["KeyMetadata"]
        except CallFailed as exc:
            key.manager = exc.failure
            return
        key.manager = meta.get("KeyManager")
        key.spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec")
        key.origin = meta.get("Origin")
        key.state = meta.get("KeyState")
        if key.manager == "CUSTOMER" and rotatable(key):
            try:
                key.rotation = bool(call(kms, "GetKeyRotationStatus", KeyId=key.arn).get("KeyRotationEnabled"))
            except CallFailed as exc:
                key.rotation = exc.failure

    # --- EC2 ----------------------------------------------------------------------------------------------
    def security_groups(self, region: str) -> None:
        found = pages(self.client("ec2", region), "DescribeSecurityGroups", "SecurityGroups")
        self.inv.put("ec2.security_groups", found, region)

    def ebs_snapshots(self, region: str) -> None:
        listed = pages(self.client("ec2", region), "DescribeSnapshots", "Snapshots", OwnerIds=["self"])
        snapshots = []
        for entry in listed:
            sid = entry.get("SnapshotId", "")
            snapshot = Snapshot(arn=f"arn:{self.inv.partition}:ec2:{region}::snapshot/{sid}", id=sid)
            snapshots.append(snapshot)
            self.bulk("ec2", self._snapshot_attribute, snapshot, region)
        self.inv.put("ec2.snapshots", snapshots, region)

    def _snapshot_attribute(self, snapshot: Snapshot, region: str) -> None:
        try:
            answer = call(
                self.client("ec2", region),
                "DescribeSnapshotAttribute",
                SnapshotId=snapshot.id,
                Attribute="createVolumePermission",
            )
        except CallFailed as exc:
            snapshot.public = exc.failure
            return
        snapshot.public = any(p.get("Group") == "all" for p in answer.get("CreateVolumePermissions", []))

    def images(self, region: str) -> None:
        found = pages(self.client("ec2", region), "DescribeImages", "Images", Owners=["self"])
        self.inv.put("ec2.images", found, region)

    # --- RDS ----------------------------------------------------------------------------------------------
    def rds_instances(self, region: str) -> None:
        self.inv.put("rds.instances", pages(self.client("rds", region), "DescribeDBInstances", "DBInstances"), region)

    def rds_clusters(self, region: str) -> None:
        self.inv.put("rds.clusters", pages(self.client("rds", region), "DescribeDBClusters", "DBClusters"), region)

    def rds_snapshots(self, region: str) -> None:
        rds = self.client("rds", region)
        snapshots = []
        for entry in pages(rds, "DescribeDBSnapshots", "DBSnapshots", SnapshotType="manual"):
            snapshot = Snapshot(arn=entry.get("DBSnapshotArn", ""), id=entry.get("DBSnapshotIdentifier", ""))
            snapshots.append(snapshot)
            self.bulk("rds", self._rds_snapshot_attribute, snapshot, region, False)
        for entry in pages(rds, "DescribeDBClusterSnapshots", "DBClusterSnapshots", SnapshotType="manual"):
            snapshot = Snapshot(
                arn=entry.get("DBClusterSnapshotArn", ""), id=entry.get("DBClusterSnapshotIdentifier", "")
            )
            snapshots.append(snapshot)
            self.bulk("rds", self._rds_snapshot_attribute, snapshot, region, True)
        self.inv.put("rds.snapshots", snapshots, region)

    def _rds_snapshot_attribute(self, snapshot: Snapshot, region: str, cluster: bool) -> None:
        rds = self.client("rds", region)
        try:
            if cluster:
                answer = call(rds, "DescribeDBClusterSnapshotAttributes", DBClusterSnapshotIdentifier=snapshot.id)
                result = answer.get("DBClusterSnapshotAttributesResult", {})
                attributes = result.get("DBClusterSnapshotAttributes", [])
            else:
                answer = call(rds, "DescribeDBSnapshotAttributes", DBSnapshotIdentifier=snapshot.id)
                attributes = answer.get("DBSnapshotAttributesResult", {}).get("DBSnapshotAttributes", [])
        except CallFailed as exc:
            snapshot.public = exc.failure
            return
        snapshot.public = any(
            a.get("AttributeName") == "restore" and "all" in a.get("AttributeValues", []) for a in attributes
        )

    # --- GuardDuty ----------------------------------------------------------------------------------------
    def detectors(self, region: str) -> None:
        ids = pages(self.client("guardduty", region), "ListDetectors", "DetectorIds")
        detectors = []
        for detector_id in ids:
            detector = Detector(detector_id)
            detectors.append(detector)
            self.task("guardduty", None, None, self._detector, detector, region)
        self.inv.put("guardduty.detectors", detectors, region)

    def _detector(self, detector: Detector, region: str) -> None:
        try:
            detector.status = call(self.client("guardduty", region), "GetDetector", DetectorId=detector.id).get(
                "Status"
            )
        except CallFailed as exc:
            detector.status = exc.failure


def rotatable(key: Key) -> bool:
    """Whether KMS can rotate a key automatically: symmetric, key material made by KMS, not being deleted."""
    return (
        key.spec in (None, "SYMMETRIC_DEFAULT")
        and key.origin in (None, "AWS_KMS")
        and key.state not in ("PendingDeletion", "PendingReplicaDeletion")
    )


def _management_events(answer: dict[str, Any]) -> bool:
    """Whether a trail's selectors record management events, both reads and writes."""
    for selector in answer.get("EventSelectors") or []:
        if selector.get("IncludeManagementEvents", True) and selector.get("ReadWriteType", "All") == "All":
            return True
    for selector in answer.get("AdvancedEventSelectors") or []:
        fields = {f.get("Field"): f for f in selector.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        if "Management" in category.get("Equals", []) and "readOnly" not in fields:
            return True
    return False


def _document(raw: Any) -> Any:
    """A policy document as data (IAM returns it URL-encoded, S3 as a JSON string; boto3 may decode it)."""
    if raw is None or isinstance(raw, dict | list):
        return raw
    text = str(raw)
    if text.startswith("%7B") or text.startswith("%7b"):
        text = urllib.parse.unquote(text)
    try:
        return json.loads(text)
    except ValueError:
        return None


def _arn_region(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[3] if len(parts) > 4 and parts[3] else None


def _when(value: str | None) -> dt.datetime | None:
    if not value or value in ("N/A", "no_information", "not_supported"):
        return None
    try:
        found = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def _credential_row(row: dict[str, str]) -> CredentialRow:
    return CredentialRow(
        user=row.get("user", ""),
        arn=row.get("arn", ""),
        created=_when(row.get("user_creation_time")),
        password_enabled=row.get("password_enabled") == "true",
        password_last_used=_when(row.get("password_last_used")),
        password_last_changed=_when(row.get("password_last_changed")),
        mfa_active=row.get("mfa_active") == "true",
        keys=[
            CredentialKey(
                number=n,
                active=row.get(f"access_key_{n}_active") == "true",
                last_rotated=_when(row.get(f"access_key_{n}_last_rotated")),
                last_used=_when(row.get(f"access_key_{n}_last_used_date")),
            )
            for n in (1, 2)
        ],
    )
