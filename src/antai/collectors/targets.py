"""What a workspace declares for `antai check all`: its ``checks.yaml`` (AWS accounts and DNS zones for
now; app packages and web endpoints come with their collectors), read with file:line:column problems like
every other antai file.

.. code-block:: yaml

    aws:
      - profile: prod               # optional: the standard credential chain otherwise
        regions: [ap-northeast-1]
        break_glass: [breakglass-admin]
    dns:
      domains: [example.com]
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CHECKS_FILE = "checks.yaml"
MAX_TARGETS = 200  # per kind: a declaration, not an inventory


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AwsTarget(_Strict):
    profile: str | None = Field(default=None, max_length=200)
    regions: list[str] = Field(default_factory=list, max_length=40)
    break_glass: list[str] = Field(default_factory=list, max_length=100)


class DnsTargets(_Strict):
    domains: list[str] = Field(min_length=1, max_length=MAX_TARGETS)
    nameserver: str | None = None
    timeout: float = Field(default=5.0, ge=0.5, le=60)


class CheckTargets(_Strict):
    """Everything `antai check all` runs: AWS accounts as a list, the DNS zones once."""

    version: Literal[1] = 1
    aws: list[AwsTarget] = Field(default_factory=list, max_length=20)
    dns: DnsTargets | None = None


def load_targets(path: Path, display: str | None = None) -> CheckTargets:
    """Read ``checks.yaml``; raises :class:`~antai.catalog.yamlsource.SourceError` with line-precise problems."""
    from antai.catalog.yamlsource import load_model

    return load_model(path, CheckTargets, display=display)
