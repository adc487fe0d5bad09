"""The network security config pins the API's keys: a pin-set with a backup pin that has not expired."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, not_applicable, passed
from antai.collectors.mobile.android.dex import HINTS
from antai.collectors.mobile.android.facts import ApkFacts

META = CheckMeta(
    id="apk.certificate_pinning",
    items=("MOB-06",),
    severity=Severity.MEDIUM,
    title=Text(
        "ネットワークセキュリティ構成で API の鍵を固定している（期限内、予備を含む 2 つ以上のピン）",
        "The network security config pins the API's keys (unexpired, two or more pins with a backup)",
    ),
    rationale=Text(
        "ピンがなければ、不正に発行された証明書や端末に入れられた CA で通信を傍受される。"
        "期限切れの pin-set は Android が"
        "無視し、ピンが一つだけでは鍵を替えた途端にアプリがつながらなくなる",
        "Without pins, a wrongly issued certificate or a CA planted on the phone lets someone intercept the "
        "traffic. Android ignores a pin-set past its expiration, and with a single pin the app stops connecting "
        "the day the key changes",
    ),
    remediation=Text(
        "API のドメインの domain-config に pin-set を置き、SPKI の SHA-256 を 2 つ以上"
        "（稼働中の鍵と予備の鍵、または別の"
        "認証局の鍵）と、次の見直し日を expiration に書く",
        "Put a pin-set in the domain-config of the API's domains with two or more SPKI SHA-256 pins (the live key "
        "and a backup key, or a second CA's key) and the next review date as its expiration",
    ),
)


def evaluate(facts: ApkFacts) -> Iterator[Result]:
    config = facts.network_config
    if config is not None and config.error is not None:
        yield errored(
            facts.package,
            facts.say("ネットワークセキュリティ構成を読めない: ", "network security config unreadable: ")
            + config.error,
        )
        return
    pinned = [d for d in config.domains if d.pin_set is not None] if config is not None else []
    if not pinned:
        where = (
            facts.say(f"{config.source} に pin-set がない", f"no pin-set in {config.source}")
            if config is not None
            else facts.say("ネットワークセキュリティ構成がない", "no network security config")
        )
        libraries = sorted(s for s in facts.dex.found if s in HINTS["pinning"])
        if libraries:  # pinning in code: antai cannot tell from the strings whether it pins the right keys
            yield not_applicable(
                facts.package,
                where
                + facts.say("。コードに ", "; the code names ")
                + ", ".join(libraries)
                + facts.say(" があるが、その設定は確かめていない", ", whose settings antai does not check"),
            )
        else:
            yield failed(facts.package, where)
        return
    for domain in pinned:
        pins = domain.pin_set
        assert pins is not None
        resource = f"{facts.package} domain {', '.join(domain.domains)}"
        count = facts.say(f"ピン {pins.pins} 個", f"{pins.pins} pin(s)")
        if pins.expiration_text is not None:
            yield failed(
                resource,
                count
                + facts.say(
                    f"、expiration「{pins.expiration_text}」は日付として読めない",
                    f", expiration {pins.expiration_text!r} is not a date",
                ),
            )
        elif pins.expiration is not None and pins.expiration < facts.today:
            yield failed(
                resource,
                count
                + facts.say(
                    f"、{pins.expiration} に期限切れ（Android は固定をやめる）",
                    f", expired {pins.expiration} (Android no longer pins)",
                ),
            )
        elif pins.pins < 2:
            yield failed(resource, count + facts.say("（予備のピンがない）", " (no backup pin)"))
        else:
            until = (
                facts.say(f"、{pins.expiration} まで", f", until {pins.expiration}")
                if pins.expiration
                else facts.say("、期限なし", ", no expiration")
            )
            yield passed(resource, count + until)
