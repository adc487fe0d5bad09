"""What a workspace declares for `antai check all`: its ``checks.yaml`` (AWS accounts, app packages, web
endpoints, DNS zones), read with file:line:column problems like every other antai file. Paths in it are
relative to the folder that holds it.

.. code-block:: yaml

    aws:
      - profile: prod               # optional: the standard credential chain otherwise
        regions: [ap-northeast-1]
        break_glass: [breakglass-admin]
    apps:
      - path: build/app-release.apk # the kind comes from .apk / .ipa, or say kind: apk|ipa
      - path: build/Kakeibo.ipa
    web:
      urls: [https://api.example.com/health, https://www.example.com/]
      ca_file: certs/internal-ca.pem  # optional: trust this CA instead of the system's
    dns:
      domains: [example.com]
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CHECKS_FILE = "checks.yaml"
MAX_TARGETS = 200  # per kind: a declaration, not an inventory


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AwsTarget(_Strict):
    profile: str | None = Field(default=None, max_length=200)
    regions: list[str] = Field(default_factory=list, max_length=40)
    break_glass: list[str] = Field(default_factory=list, max_length=100)


class AppTarget(_Strict):
    path: str = Field(min_length=1, max_length=1000)
    kind: Literal["apk", "ipa"] | None = None

    @model_validator(mode="after")
    def _kind_from_suffix(self) -> AppTarget:
        if self.kind is None:
            suffix = Path(self.path).suffix.lower().lstrip(".")
            if suffix not in ("apk", "ipa"):
                raise ValueError(f"say whether {self.path!r} is an Android or an iOS package: kind: apk or kind: ipa")
            object.__setattr__(self, "kind", suffix)
        return self

    def resolve(self, base: Path) -> Path:
        return base / self.path


class WebTargets(_Strict):
    urls: list[str] = Field(min_length=1, max_length=100)
    ca_file: str | None = Field(default=None, max_length=1000)
    timeout: float = Field(default=10.0, ge=0.5, le=60)


class DnsTargets(_Strict):
    domains: list[str] = Field(min_length=1, max_length=MAX_TARGETS)
    nameserver: str | None = None
    timeout: float = Field(default=5.0, ge=0.5, le=60)


class CheckTargets(_Strict):
    """Everything `antai check all` runs: AWS accounts and app packages as lists, the web endpoints and the
    DNS zones once each (one run over all their URLs or domains)."""

    version: Literal[1] = 1
    aws: list[AwsTarget] = Field(default_factory=list, max_length=20)
    apps: list[AppTarget] = Field(default_factory=list, max_length=20)
    web: WebTargets | None = None
    dns: DnsTargets | None = None


def load_targets(path: Path, display: str | None = None) -> CheckTargets:
    """Read ``checks.yaml``; raises :class:`~antai.catalog.yamlsource.SourceError` with line-precise problems."""
    from antai.catalog.yamlsource import load_model

    return load_model(path, CheckTargets, display=display)
