"""The one exception tree of the pipeline: every exception class it defines derives from it.

Per-item outcomes (a dead link, an unresolved paper) are values in the records, never
exceptions. Exceptions are for a run that cannot go on, and for the signals a stage passes
between its own layers (a request that failed, a retry worth making), which it absorbs::

    PipelineError                 base; the CLI turns it into a message and an exit code
     ├── UsageError               bad options or configuration (exit 2)
     ├── InputError               an unreadable or missing input file (exit 2)
     │    └── SourceError         a source list that cannot be read, with file:line
     ├── OutputError              output/ or build/ cannot be written (exit 2)
     ├── AddressRefused           a host resolves only to internal addresses (check; an
     │                            OSError too, so the HTTP client reports it as a failed
     │                            connection)
     └── ServiceError             a remote service failed; ``service`` names it (exit 3)
          ├── Unavailable         no answer to one request: offline miss, service down,
          │                       retries used up (resolve absorbs it: last known record)
          ├── Transient           one attempt failed in a way worth retrying (5xx, 429,
          │                       timeout, a body that is no answer); ``retry_after``
          ├── Refused             an answer no retry can change (401, 403, 400 …)
          ├── FeedError           arXiv's API answered, but not with a usable feed page
          ├── GitHubDown          GitHub cannot be reached or refused us as a whole (check)
          └── Unreachable         a list's host cannot be reached (``pipeline.scrape.sources``)
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


class AddressRefused(PipelineError, OSError):
    """A host resolved only to loopback, private, link-local or otherwise internal addresses."""


class ServiceError(PipelineError):
    """A remote service failed; `service` names it (arxiv, crossref, github …)."""

    exit_code = 3

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service


class Unavailable(ServiceError):
    """No answer could be had for ``url``: offline miss, service down, or retries exhausted."""

    def __init__(self, service: str, url: str, reason: str) -> None:
        super().__init__(service, f"{url}: {reason}")
        self.url = url
        self.reason = reason


class Transient(ServiceError):
    """A failure worth another attempt; ``retry_after`` (seconds) when the server said.

    A signal between a stage's own layers: its text is the reason alone."""

    def __init__(self, reason: str, retry_after: float | None = None, *, service: str = "") -> None:
        super().__init__(service, reason)
        self.reason = reason
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.reason


class Refused(ServiceError):
    """An answer that is neither a record nor a miss (401, 403, 400 …): no retry helps.

    A signal between a stage's own layers: its text is the reason alone."""

    def __init__(self, reason: str, *, service: str = "") -> None:
        super().__init__(service, reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class FeedError(ServiceError):
    """arXiv answered a query with something other than a feed page (an HTTP error status,
    an empty page where more results were announced)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__("arxiv", f"{reason} ({url})")
        self.url = url


class GitHubDown(ServiceError):
    """GitHub could not be reached or refused us as a whole (not one repository)."""

    def __init__(self, message: str) -> None:
        super().__init__("github", message)
        self.message = message

    def __str__(self) -> str:
        return self.message
