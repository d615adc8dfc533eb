"""The run date: the one "today" of a run, so that outputs depend on no clock but this one.

Everything dated in ``output/`` (when a work was first seen, the star history, the feed,
"new this week", repositories silent for two years) takes its date from
:attr:`pipeline.config.Settings.run_date`: today in UTC, or ``PIPELINE_RUN_DATE`` when set.
The same inputs and the same run date give the same bytes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pipeline.errors import UsageError


def today() -> date:
    """Today's date in UTC (the scheduled run's clock)."""
    return datetime.now(UTC).date()


def parse_date(text: str, where: str) -> date:
    """``YYYY-MM-DD`` → a date; anything else is a usage error naming ``where``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{where}: expected a date as YYYY-MM-DD, got {text!r}") from None
