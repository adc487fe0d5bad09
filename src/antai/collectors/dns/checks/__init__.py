"""antai's DNS checks, one module each with its :class:`~antai.collectors.base.CheckMeta` beside the code.

Every module has ``META`` and ``evaluate(facts: ZoneFacts) -> Iterator[Result]``. :data:`CHECKS` is the
order in which they run and are listed.
"""

from __future__ import annotations

from types import ModuleType

from antai.collectors.dns.checks import (
    caa,
    dmarc,
    dnskey_signed,
    ds_at_parent,
    rrsig_expiry,
    rrsig_valid,
    spf,
)

CHECKS: tuple[ModuleType, ...] = (
    ds_at_parent,
    dnskey_signed,
    rrsig_valid,
    rrsig_expiry,
    caa,
    spf,
    dmarc,
)
