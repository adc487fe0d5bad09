"""antai's iOS checks, one module each with its :class:`~antai.collectors.base.CheckMeta` beside the code.

Every module has ``META`` and ``evaluate(facts: IpaFacts) -> Iterator[Result]``. :data:`CHECKS` is the order
in which they run and are listed.
"""

from __future__ import annotations

from types import ModuleType

from antai.collectors.mobile.ios.checks import (
    aps_environment,
    ats_arbitrary_loads,
    ats_exception_domains,
    distribution,
    face_id_usage,
    get_task_allow,
    min_os_version,
    os_table_current,
    pinned_domains,
)

CHECKS: tuple[ModuleType, ...] = (
    min_os_version,
    os_table_current,
    ats_arbitrary_loads,
    ats_exception_domains,
    pinned_domains,
    face_id_usage,
    get_task_allow,
    aps_environment,
    distribution,
)
