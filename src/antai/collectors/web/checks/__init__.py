"""antai's web checks, one module each with its :class:`~antai.collectors.base.CheckMeta` beside the code.

Every module has ``META`` and ``evaluate(facts: SiteFacts) -> Iterator[Result]``. :data:`CHECKS` is the
order in which they run and are listed.
"""

from __future__ import annotations

from types import ModuleType

from antai.collectors.web.checks import (
    certificate_expiry,
    certificate_lifetime,
    certificate_valid,
    content_type_options,
    cookies,
    csp,
    framing,
    hsts,
    hsts_preload,
    https_redirect,
    tls_versions,
)

CHECKS: tuple[ModuleType, ...] = (
    tls_versions,
    certificate_valid,
    certificate_expiry,
    certificate_lifetime,
    hsts,
    hsts_preload,
    https_redirect,
    csp,
    content_type_options,
    framing,
    cookies,
)
