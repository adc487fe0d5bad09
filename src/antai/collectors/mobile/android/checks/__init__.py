"""antai's APK checks, one module each with its :class:`~antai.collectors.base.CheckMeta` beside the code.

Every module has ``META`` and ``evaluate(facts: ApkFacts) -> Iterator[Result]``. :data:`CHECKS` is the
order in which they run and are listed; the signals (names in the DEX string tables) come last.
"""

from __future__ import annotations

from types import ModuleType

from antai.collectors.mobile.android.checks import (
    allow_backup,
    backup_rules,
    biometric_hint,
    cleartext,
    debuggable,
    exported_components,
    keystore_hint,
    min_sdk,
    os_table_current,
    pinning,
    pinning_hint,
    signing_certificate,
    signing_scheme,
    target_sdk,
    user_certificates,
)

CHECKS: tuple[ModuleType, ...] = (
    debuggable,
    signing_certificate,
    signing_scheme,
    allow_backup,
    backup_rules,
    cleartext,
    user_certificates,
    pinning,
    exported_components,
    min_sdk,
    target_sdk,
    os_table_current,
    keystore_hint,
    biometric_hint,
    pinning_hint,
)
