"""Helpers the checks share: policy statements, ages, the alarm chain."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Iterator
from typing import Any

from antai.collectors.aws.inventory import Inventory, Trail

ADMINISTRATOR_ACCESS = "AdministratorAccess"


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def statements(document: Any) -> Iterator[dict[str, Any]]:
    """The statements of a policy document, one or a list."""
    if not isinstance(document, dict):
        return
    for statement in as_list(document.get("Statement")):
        if isinstance(statement, dict):
            yield statement


def grants_everything(document: Any) -> bool:
    """An Allow statement with Action "*" on Resource "*"."""
    return any(
        statement.get("Effect") == "Allow"
        and "*" in as_list(statement.get("Action"))
        and "*" in as_list(statement.get("Resource"))
        for statement in statements(document)
    )


def days(now: dt.datetime, then: dt.datetime | None) -> int | None:
    return None if then is None else (now - then).days


def break_glass(inv: Inventory, name: str, arn: str) -> bool:
    """Whether a principal is one of the declared break-glass identities (names, ARNs or glob patterns)."""
    return any(fnmatch.fnmatchcase(name, p) or fnmatchcase_arn(arn, p) for p in inv.break_glass)


def fnmatchcase_arn(arn: str, pattern: str) -> bool:
    return pattern.startswith("arn:") and fnmatch.fnmatchcase(arn, pattern)


def trails(inv: Inventory) -> list[Trail]:
    """Every trail seen in any region, once each (a multi-region trail shows in every region)."""
    seen: dict[str, Trail] = {}
    for _region, found in inv.each("cloudtrail.trails"):
        for trail in found or []:
            seen.setdefault(trail.arn, trail)
    return [seen[arn] for arn in sorted(seen)]


def squeeze(pattern: str) -> str:
    return "".join(pattern.split())


def root_use_pattern(pattern: str) -> bool:
    """A metric filter pattern that catches the root user's activity."""
    return '$.userIdentity.type="Root"' in squeeze(pattern)


def config_change_pattern(pattern: str) -> bool:
    """A metric filter pattern that catches AWS Config being stopped or changed."""
    text = squeeze(pattern)
    return "config.amazonaws.com" in text and "StopConfigurationRecorder" in text


def alarm_chain(inv: Inventory, matches: Callable[[str], bool]) -> tuple[bool, str]:
    """Whether some multi-region trail feeds CloudWatch Logs, a metric filter there matches, an alarm watches the
    metric and notifies an SNS topic with a confirmed subscription. Returns (ok, the chain or where it breaks)."""
    candidates = [t for t in trails(inv) if t.multi_region and t.logging is True and t.log_group_arn]
    if not candidates:
        return False, "no logging multi-region trail sends to CloudWatch Logs"
    broken = ""
    for trail in candidates:
        parts = (trail.log_group_arn or "").split(":")
        region = parts[3] if len(parts) > 6 and parts[3] else trail.home_region
        group = parts[6] if len(parts) > 6 else ""
        filters = [
            f
            for f in inv.region("logs.metric_filters", region) or []
            if f.get("logGroupName") == group and matches(f.get("filterPattern", ""))
        ]
        if not filters:
            broken = broken or f"no matching metric filter on log group {group}"
            continue
        alarms = inv.region("cloudwatch.alarms", region) or []
        confirmed = {
            s.get("TopicArn")
            for s in inv.region("sns.subscriptions", region) or []
            if str(s.get("SubscriptionArn", "")).startswith("arn:")
        }
        for metric_filter in filters:
            for metric in metric_filter.get("metricTransformations", []):
                name, namespace = metric.get("metricName"), metric.get("metricNamespace")
                watching = [a for a in alarms if a.get("MetricName") == name and a.get("Namespace") == namespace]
                if not watching:
                    broken = f"no alarm on metric {namespace}/{name}"
                for alarm in watching:
                    topics = [t for t in alarm.get("AlarmActions", []) if ":sns:" in t]
                    if not topics or alarm.get("ActionsEnabled") is False:
                        broken = f"alarm {alarm.get('AlarmName')} notifies no SNS topic"
                    for topic in topics:
                        if topic in confirmed:
                            return True, f"{alarm.get('AlarmName')} -> {topic.rpartition(':')[2]}"
                        broken = f"no confirmed subscription on topic {topic.rpartition(':')[2]}"
    return False, broken


PUBLIC_BLOCK = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def public_block_off(settings: dict[str, bool] | None) -> list[str]:
    """The Block Public Access settings that are not on (all four when there is no configuration)."""
    return [name for name in PUBLIC_BLOCK if not (settings or {}).get(name)]


def databases(inv: Inventory) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(ARN, data, is_cluster) for each RDS DB instance outside a cluster and each DB cluster, in every region.

    Aurora instances take their storage, backup and Multi-AZ settings from their cluster, so the cluster
    stands for them."""
    for _region, instances in inv.each("rds.instances"):
        for instance in instances or []:
            if not instance.get("DBClusterIdentifier"):
                yield instance.get("DBInstanceArn", instance.get("DBInstanceIdentifier", "")), instance, False
    for _region, clusters in inv.each("rds.clusters"):
        for cluster in clusters or []:
            yield cluster.get("DBClusterArn", cluster.get("DBClusterIdentifier", "")), cluster, True
