"""Settings that were renamed: an old name still in a pipeline.toml or the environment keeps
working with a warning while its meaning is unchanged, and is an error naming the new key
once its meaning changed (a value read the old way would now be wrong).

Adding a rename is one row in RENAMED: ``Rename(section, old, new)``, with
``same_meaning=False`` when the value now means something else. ``section`` is the TOML
section without brackets, or ``ENVIRONMENT`` for a variable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.errors import UsageError

log = logging.getLogger("pipeline")

ENVIRONMENT = "environment"


@dataclass(frozen=True)
class Rename:
    section: str
    old: str
    new: str
    same_meaning: bool = True


RENAMED: tuple[Rename, ...] = (
    Rename("check", "timeout", "timeout_seconds"),
    Rename("resolve", "timeout", "timeout_seconds"),
    Rename("resolve", "cache_max_age", "cache_max_age_seconds"),
    Rename("resolve", "time_budget", "time_budget_seconds"),
    Rename("pipeline", "arxiv_delay", "arxiv_delay_seconds"),
    Rename(ENVIRONMENT, "PIPELINE_ARXIV_DELAY", "PIPELINE_ARXIV_DELAY_SECONDS"),
    # the transport's one retry rule (pipeline/transport)
    Rename("check", "per_host_rate", "per_host_per_second"),
    Rename("check", "url_budget", "retry_budget_seconds"),
    Rename("check", "retries", "retry_attempts", same_meaning=False),  # now counts the first
    Rename("check", "retry_after_cap", "retry_after_cap_seconds"),
    Rename("check", "backoff", "backoff_seconds"),
    Rename("check", "backoff_max", "backoff_max_seconds"),
    Rename("resolve", "retry_wait", "backoff_seconds"),
    Rename("resolve", "retry_budget", "retry_budget_seconds"),
    Rename("resolve", "retry_after_cap", "retry_after_cap_seconds"),
    Rename("resolve", "openalex_rate", "openalex_per_second"),
    Rename("resolve", "s2_rate", "s2_per_second"),
)
"""Every rename of a settings key, oldest first."""


def _place(where: str, section: str, key: str) -> str:
    return key if section == ENVIRONMENT else f"{where}: [{section}] {key}"


def upgrade(section: str, table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``table`` with each old key under its new name (a warning), or a UsageError when the
    old key's meaning changed or the table has both names."""
    out = dict(table)
    for row in RENAMED:
        if row.section != section or row.old not in table:
            continue
        old = _place(where, section, row.old)
        if not row.same_meaning:
            raise UsageError(f"{old}: renamed to {row.new} with a new meaning; set {row.new}")
        if row.new in table:
            raise UsageError(f"{old}: renamed to {row.new}, which is set too; keep one")
        log.warning("%s: renamed to %s; read as that (please rename it)", old, row.new)
        out[row.new] = out.pop(row.old)
    return out
