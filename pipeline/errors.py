"""The one small exception tree of the pipeline.

Per-item outcomes (a dead link, an unresolved paper) are values in the records, never
exceptions. Exceptions are for a run that cannot go on::

    PipelineError                 base; the CLI turns it into a message and an exit code
     ├── UsageError               bad options or configuration (exit 2)
     ├── InputError               an unreadable or missing input file (exit 2)
     │    └── SourceError         a source list that cannot be read, with file:line
     ├── OutputError              output/ or build/ cannot be written (exit 2)
     └── ServiceError             a remote service failed in a way a stage could not absorb
          └── RateLimited         the service asked us to stop (429, exhausted budget)
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose."""

    exit_code = 2


class UsageError(PipelineError):
    """Bad options, environment or configuration file."""


class InputError(PipelineError):
    """An input file is missing or unreadable."""


class SourceError(InputError):
    """A source list cannot be read; `where` is ``file`` or ``file:line``."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class OutputError(PipelineError):
    """A file under build/ or output/ cannot be written."""


class ServiceError(PipelineError):
    """A remote service failed; `service` names it (arxiv, crossref, github …)."""

    exit_code = 3

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service


class RateLimited(ServiceError):
    """The service said to slow down; `retry_after` is in seconds when it said how long."""

    def __init__(self, service: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(service, message)
        self.retry_after = retry_after
