"""Reading one APK (the only I/O of `antai check apk`): the binary manifest, the resources it names (network
security config, backup rules) resolved through resources.arsc, the signature schemes and signer
certificates, and the string tables of the DEX files. Every entry is read through the limits of
:mod:`antai.collectors.mobile.archive`; nothing is extracted, decompiled or executed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from antai.collectors.mobile.android import axml, resources
from antai.collectors.mobile.android.facts import (
    ApkFacts,
    BackupRules,
    Component,
    DexHints,
    DomainConfig,
    NetworkConfig,
    PinSet,
)
from antai.collectors.mobile.archive import Package, PackageError, open_package
from antai.errors import AntaiError

__all__ = ["ApkUnreadable", "read_apk"]

ANDROID = "{http://schemas.android.com/apk/res/android}"
MANIFEST = "AndroidManifest.xml"
MANIFEST_LIMIT = 4 * 1024 * 1024  # binary manifests of the largest store apps are a few hundred KiB
XML_LIMIT = 1024 * 1024  # a network security config or backup rules file
TABLE_LIMIT = 64 * 1024 * 1024  # resources.arsc
DEX_LIMIT = 64 * 1024 * 1024  # one classes*.dex
COMPONENTS = ("activity", "activity-alias", "service", "receiver", "provider")
LAUNCHER = {"android.intent.category.LAUNCHER", "android.intent.category.LEANBACK_LAUNCHER"}
PROTECTION = {0: "normal", 1: "dangerous", 2: "signature", 3: "signatureOrSystem", 4: "internal"}
Progress = Callable[[str, int, int], None]
STEPS = ("AndroidManifest.xml", "resources.arsc", "META-INF", "classes.dex")


class ApkUnreadable(AntaiError):
    """The package opened safely but is not an APK antai can read: ``reason`` is missing (no manifest),
    corrupt (not binary XML Android would read), limits (beyond the reader's limits) or not_manifest."""

    code = "apk_unreadable"


def _unreadable(path: Path, part: str, reason: str, why: str) -> ApkUnreadable:
    return ApkUnreadable(f"{path}: not a readable APK ({part}: {why})", path=str(path), part=part, reason=reason)


def read_apk(
    path: Path, *, lang: str, today: dt.date, support: Any = None, progress: Progress | None = None
) -> ApkFacts:
    """Everything the checks need about the APK at ``path``.

    Raises :class:`~antai.collectors.mobile.archive.PackageError` or :class:`~antai.errors.NotFound` (the
    archive layer) and :class:`ApkUnreadable` when the manifest is missing or unreadable. Any other part
    that cannot be read becomes an ``error`` text in the facts."""
    from antai.collectors.mobile.android.support import load_table

    def step(n: int) -> None:
        if progress is not None:
            progress(STEPS[n], n, len(STEPS))

    with open_package(path) as pkg:
        step(0)
        if not pkg.has(MANIFEST):
            raise _unreadable(path, MANIFEST, "missing", "no such entry")
        data = pkg.read(MANIFEST, limit=MANIFEST_LIMIT)
        try:
            root = axml.parse(data)
        except axml.BinaryXmlError as exc:
            reason = "limits" if "than" in str(exc) else "corrupt"
            raise _unreadable(path, MANIFEST, reason, str(exc)) from None
        if root.tag != "manifest":
            raise _unreadable(path, MANIFEST, "not_manifest", f"the root element is <{root.tag}>")
        step(1)
        manifest = _Manifest(root, pkg)
        facts = manifest.facts(lang, today, support or load_table())
        step(2)
        from antai.collectors.mobile.android.signing import read_signing

        signing = read_signing(path, pkg.names(), pkg.read)
        step(3)
        dex = _dex(pkg)
    from dataclasses import replace

    return replace(facts, signing=signing, dex=dex)


class _Manifest:
    """The manifest's values, with references resolved through resources.arsc when one needs it."""

    def __init__(self, root: Any, pkg: Package) -> None:
        self.root = root
        self.pkg = pkg
        self.package = str(root.get("package") or "").strip()[:200] or "?"
        self.unresolved: dict[str, str] = {}
        self._table: bytes | None = None
        self._table_error: str | None = None

    # -- values --------------------------------------------------------------------------------------
    def table(self) -> bytes | None:
        if self._table is None and self._table_error is None:
            if not self.pkg.has("resources.arsc"):
                self._table_error = "no resources.arsc"
            else:
                try:
                    self._table = self.pkg.read("resources.arsc", limit=TABLE_LIMIT)
                except PackageError as exc:
                    self._table_error = f"resources.arsc: {exc.params.get('reason', 'unreadable')}"
        return self._table

    def resolve(self, value: str) -> list[resources.Value]:
        """The values of a reference (``@7F0F0003``) in every configuration; raises ``LookupError``."""
        try:
            res_id = int(value.removeprefix("@android:").removeprefix("@"), 16)
        except ValueError:
            raise LookupError(f"not a reference: {value[:40]}") from None
        table = self.table()
        if table is None:
            raise LookupError(self._table_error or "no resources.arsc")
        try:
            found = resources.lookup(table, res_id)
        except resources.ResourceError as exc:
            raise LookupError(f"resources.arsc: {exc}") from None
        if not found:
            raise LookupError(f"no resource 0x{res_id:08x}")
        return found

    def attr(self, element: Any, name: str) -> str | None:
        if element is None:
            return None
        value = element.get(ANDROID + name)
        if value is None:
            value = element.get(name)  # a packer that drops the namespace; Android reads attributes by ID
        return None if value is None else str(value)

    def boolean(self, element: Any, name: str, where: str) -> bool | None:
        value = self.attr(element, name)
        if value is None:
            return None
        if value in ("true", "false"):
            return value == "true"
        try:
            if value.startswith("@"):
                found = self.resolve(value)[0].boolean
                if found is not None:
                    return found
        except LookupError as exc:
            self.unresolved[f"{where}{name}"] = f"{value}: {exc}"
            return None
        self.unresolved[f"{where}{name}"] = f"{value[:40]} is not true or false"
        return None

    def integer(self, element: Any, name: str) -> int | None:
        value = self.attr(element, name)
        if value is None:
            return None
        try:
            if value.startswith("@"):
                found = self.resolve(value)[0]
                if found.kind in (resources.TYPE_INT_DEC, resources.TYPE_INT_HEX):
                    return found.data
                raise LookupError(f"{value} is not a number")
            return int(value, 0)
        except (LookupError, ValueError) as exc:
            self.unresolved[name] = (
                f"{value[:40]}: {exc}" if isinstance(exc, LookupError) else f"{value[:40]} (a codename?)"
            )
            return None

    def text(self, element: Any, name: str) -> str | None:
        value = self.attr(element, name)
        if value is not None and value.startswith("@"):
            try:
                found = self.resolve(value)[0]
                value = found.text if found.text is not None else str(found.data)
            except LookupError:
                return value
        return None if value is None else value[:100]

    def xml_file(self, value: str) -> tuple[str, Any]:
        """(entry, root element) of the res/xml file a reference names; raises ``LookupError``."""
        files = [v.text for v in self.resolve(value) if v.text]
        if not files:
            raise LookupError(f"{value} does not name a file")
        entry = files[0]
        try:
            data = self.pkg.read(entry, limit=XML_LIMIT)
        except PackageError as exc:
            raise LookupError(f"{entry}: {exc.params.get('reason', 'unreadable')}") from None
        try:
            return entry, axml.parse(data)
        except axml.BinaryXmlError as exc:
            raise LookupError(f"{entry}: {exc}") from None

    # -- the facts -----------------------------------------------------------------------------------
    def facts(self, lang: str, today: dt.date, support: Any) -> ApkFacts:
        root = self.root
        app = root.find("application")
        sdk = root.find("uses-sdk")
        # absent: API 1, and a target equal to the minimum (what Android assumes); unreadable: None
        min_sdk = self.integer(sdk, "minSdkVersion")
        target_sdk = self.integer(sdk, "targetSdkVersion")
        if min_sdk is None and "minSdkVersion" not in self.unresolved:
            min_sdk = 1
        if target_sdk is None and "targetSdkVersion" not in self.unresolved:
            target_sdk = min_sdk
        permissions = {}
        for element in root.findall("permission"):
            name = self.attr(element, "name")
            if name:
                level = self.attr(element, "protectionLevel") or "0"
                try:
                    permissions[name] = PROTECTION.get(int(level, 0) & 0xF, level)
                except ValueError:
                    permissions[name] = level[:40]
        target = target_sdk or 0
        network_ref = self.attr(app, "networkSecurityConfig")
        extraction_ref = self.attr(app, "dataExtractionRules")
        full_ref = self.attr(app, "fullBackupContent")
        return ApkFacts(
            package=self.package,
            version_name=self.text(root, "versionName"),
            version_code=self.text(root, "versionCode"),
            min_sdk=min_sdk,
            target_sdk=target_sdk,
            lang=lang,
            today=today,
            support=support,
            debuggable=self.boolean(app, "debuggable", ""),
            allow_backup=self.boolean(app, "allowBackup", ""),
            uses_cleartext=self.boolean(app, "usesCleartextTraffic", ""),
            network_config=None if network_ref is None else self.network_config(network_ref, target),
            data_extraction=None
            if extraction_ref is None
            else self.backup_rules("dataExtractionRules", extraction_ref),
            full_backup=None if full_ref is None else self.backup_rules("fullBackupContent", full_ref),
            components=() if app is None else self.components(app),
            permissions=permissions,
            unresolved=self.unresolved,
        )

    def components(self, app: Any) -> tuple[Component, ...]:
        found = []
        default_permission = self.attr(app, "permission")
        for element in app:
            if not isinstance(element.tag, str) or element.tag not in COMPONENTS:
                continue
            filters = element.findall("intent-filter")
            actions = [{self.attr(a, "name") for a in f.findall("action")} for f in filters]
            categories = [{self.attr(c, "name") for c in f.findall("category")} for f in filters]
            launcher = any(
                "android.intent.action.MAIN" in a and bool(c & LAUNCHER)
                for a, c in zip(actions, categories, strict=True)
            )
            schemes = sorted({s for f in filters for d in f.findall("data") if (s := self.attr(d, "scheme"))})
            where = f"{element.tag} {self.attr(element, 'name')}: "
            found.append(
                Component(
                    kind=element.tag,
                    name=self.qualified(self.attr(element, "name") or "?"),
                    exported=self.boolean(element, "exported", where),
                    intent_filters=len(filters),
                    permission=self.attr(element, "permission") or default_permission,
                    read_permission=self.attr(element, "readPermission"),
                    write_permission=self.attr(element, "writePermission"),
                    launcher=launcher,
                    browsable=any("android.intent.category.BROWSABLE" in c for c in categories),
                    schemes=tuple(s[:40] for s in schemes[:8]),
                    auto_verify=any(self.attr(f, "autoVerify") == "true" for f in filters),
                    enabled=self.boolean(element, "enabled", where) is not False,
                )
            )
        return tuple(found)

    def qualified(self, name: str) -> str:
        name = name[:200]
        if name.startswith("."):
            return self.package + name
        return name if "." in name else f"{self.package}.{name}"

    def network_config(self, value: str, target_sdk: int) -> NetworkConfig:
        try:
            entry, root = self.xml_file(value)
        except LookupError as exc:
            return NetworkConfig(source=value, error=str(exc)[:200])
        if root.tag != "network-security-config":
            return NetworkConfig(source=entry, error=f"{entry}: the root element is <{str(root.tag)[:40]}>")
        base = root.find("base-config")
        domains: list[DomainConfig] = []
        try:
            base_cleartext = _flag(base, "cleartextTrafficPermitted")
            base_user = _user_anchors(base)
            # the defaults: cleartext allowed below API 28, user-installed CAs trusted below API 24
            cleartext = target_sdk < 28 if base_cleartext is None else base_cleartext
            user = target_sdk < 24 if base_user is None else base_user
            _domains(root, cleartext, user, None, domains)
        except ValueError as exc:
            return NetworkConfig(source=entry, error=f"{entry}: {exc}")
        return NetworkConfig(
            source=entry,
            base_cleartext=cleartext,
            base_cleartext_explicit=base_cleartext is not None,
            base_user_certificates=user,
            domains=tuple(domains),
        )

    def backup_rules(self, attribute: str, value: str) -> BackupRules:
        if value in ("true", "false"):  # fullBackupContent="false" turns full backup off
            return BackupRules(attribute, disabled=value == "false")
        try:
            entry, root = self.xml_file(value)
        except LookupError as exc:
            return BackupRules(attribute, source=value, error=str(exc)[:200])
        expected = "data-extraction-rules" if attribute == "dataExtractionRules" else "full-backup-content"
        if root.tag != expected:
            return BackupRules(attribute, source=entry, error=f"{entry}: the root element is <{str(root.tag)[:40]}>")
        sections: dict[str, tuple[int, int]] = {}
        holders = [c for c in root if isinstance(c.tag, str)] if expected == "data-extraction-rules" else [root]
        for holder in holders:
            includes = len(holder.findall("include"))
            excludes = len(holder.findall("exclude"))
            name = str(holder.tag)[:40]
            old = sections.get(name, (0, 0))
            sections[name] = (old[0] + includes, old[1] + excludes)
        return BackupRules(attribute, source=entry, sections=sections)


def _flag(element: Any, name: str) -> bool | None:
    if element is None:
        return None
    value = element.get(name)
    if value is None:
        return None
    lowered = str(value).strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError(f"{name}={str(value)[:20]} is not true or false")
    return lowered == "true"


def _user_anchors(element: Any) -> bool | None:
    """Whether the element's own <trust-anchors> include user-installed CAs; None when it has none."""
    if element is None:
        return None
    anchors = element.findall("trust-anchors")
    if not anchors:
        return None
    return any(str(c.get("src") or "").strip() == "user" for a in anchors for c in a.findall("certificates"))


def _pin_set(element: Any) -> PinSet | None:
    pin_set = element.find("pin-set")
    if pin_set is None:
        return None
    pins = sum(1 for p in pin_set.findall("pin") if str(p.get("digest") or "").strip() == "SHA-256")
    text = pin_set.get("expiration")
    if text is None:
        return PinSet(pins, None)
    try:
        return PinSet(pins, dt.date.fromisoformat(str(text).strip()))
    except ValueError:
        return PinSet(pins, None, str(text)[:40])


def _domains(parent: Any, cleartext: bool, user: bool, pins: PinSet | None, out: list[DomainConfig]) -> None:
    """Every domain-config under ``parent``, with what it inherits resolved (nested ones inherit from the
    enclosing one, the top-level ones from the base config)."""
    for element in parent.findall("domain-config"):
        own_cleartext = _flag(element, "cleartextTrafficPermitted")
        own_user = _user_anchors(element)
        effective_cleartext = cleartext if own_cleartext is None else own_cleartext
        effective_user = user if own_user is None else own_user
        effective_pins = _pin_set(element) or pins
        names = tuple(str(d.text or "").strip()[:100] for d in element.findall("domain"))[:20]
        out.append(DomainConfig(names, effective_cleartext, own_cleartext is not None, effective_user, effective_pins))
        _domains(element, effective_cleartext, effective_user, effective_pins, out)


def _dex(pkg: Package) -> DexHints:
    from antai.collectors.mobile.android.dex import DEX_NAME, HINTS, DexError, strings_found

    names = sorted((n for n in pkg.names() if DEX_NAME.fullmatch(n)), key=lambda n: (len(n), n))
    wanted = {s for strings in HINTS.values() for s in strings}
    found: set[str] = set()
    for name in names:
        try:
            found |= strings_found(pkg.read(name, limit=DEX_LIMIT), wanted - found)
        except (DexError, PackageError) as exc:
            why = exc.params.get("reason", "unreadable") if isinstance(exc, PackageError) else str(exc)
            return DexHints(tuple(names), frozenset(found), f"{name}: {why}")
    return DexHints(tuple(names), frozenset(found))
