"""Which distribution the provisioning profile is for: the App Store, or development, ad hoc or enterprise
(in-house) distribution, which install outside the store."""

from __future__ import annotations

from collections.abc import Iterator

from antai.assessment.verdicts import Severity
from antai.collectors.base import CheckMeta, Result, Text, errored, failed, not_applicable, passed
from antai.collectors.mobile.ios.checks.common import flag, shown
from antai.collectors.mobile.ios.facts import IpaFacts, Profile, Unreadable

META = CheckMeta(
    id="ipa.distribution",
    items=("MOB-11",),
    severity=Severity.MEDIUM,
    title=Text(
        "App Store 配布用のプロファイルで署名している",
        "The app is signed with an App Store distribution profile",
    ),
    rationale=Text(
        "開発用・Ad Hoc・社内配布（Enterprise）のプロファイルのビルドはストアを通さずに入れられ、利用者が偽アプリと"
        "見分けられない配布経路を生む",
        "Builds with development, ad hoc or enterprise (in-house) profiles install without the store, which "
        "opens a distribution channel where users cannot tell the genuine app from a fake",
    ),
    remediation=Text(
        "顧客向けには App Store 配布用のプロファイルで書き出したビルドだけを App Store Connect から配布する。"
        "署名証明書のフィンガープリントを登録済みの値と照合する",
        "Give customers only builds exported with an App Store distribution profile, through App Store "
        "Connect, and compare the signing certificate's fingerprint with the registered value",
    ),
)


def evaluate(facts: IpaFacts) -> Iterator[Result]:
    profile = facts.profile
    if profile is None:
        yield not_applicable(
            facts.resource,
            facts.say(
                "embedded.mobileprovision がない（App Store から配布された版は含まない）。配布経路は読めない",
                "no embedded.mobileprovision (App Store downloads have none): the distribution cannot be read",
            ),
        )
        return
    if isinstance(profile, Unreadable):
        yield errored(
            facts.resource,
            facts.say(
                f"embedded.mobileprovision を読めない（{profile.reason}）",
                f"embedded.mobileprovision is unreadable ({profile.reason})",
            ),
        )
        return
    about = _about(profile, facts)
    if profile.all_devices:
        yield failed(
            facts.resource,
            facts.say(
                f"社内配布（Enterprise）のプロファイル: ストアを通さず入る。{about}",
                f"an enterprise (in-house) profile: installs without the store; {about}",
            ),
        )
    elif flag(profile.entitlements.get("get-task-allow")) is True:
        yield failed(
            facts.resource,
            facts.say(
                f"開発用のプロファイル（登録端末 {profile.devices} 台）。{about}",
                f"a development profile ({profile.devices} registered devices); {about}",
            ),
        )
    elif profile.devices:
        yield failed(
            facts.resource,
            facts.say(
                f"Ad Hoc のプロファイル（登録端末 {profile.devices} 台）。{about}",
                f"an ad hoc profile ({profile.devices} registered devices); {about}",
            ),
        )
    else:
        yield passed(
            facts.resource,
            facts.say(f"App Store 配布用のプロファイル。{about}", f"an App Store distribution profile; {about}"),
        )


def _about(profile: Profile, facts: IpaFacts) -> str:
    team = f"{shown(profile.team, 60)} ({profile.team_id})" if profile.team_id else shown(profile.team, 60)
    expires = profile.expires.date().isoformat() if profile.expires else "?"
    certificate = profile.certificates[0] if profile.certificates else None
    more = len(profile.certificates) - 1
    cert = (
        facts.say(f"、証明書 SHA-256 {certificate}", f", certificate SHA-256 {certificate}")
        + (facts.say(f" ほか {more} 件", f" and {more} more") if more > 0 else "")
        if certificate
        else ""
    )
    return facts.say(
        f"「{shown(profile.name, 80)}」、チーム {team}、期限 {expires}{cert}",
        f"'{shown(profile.name, 80)}', team {team}, expires {expires}{cert}",
    )
