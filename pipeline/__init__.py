"""Bibliography and link-checking pipeline for awesome lists of papers."""

from __future__ import annotations

__version__ = "0.1.0"

# What `pipeline init` pins the weekly workflow to (the reusable workflow and the pipeline it
# installs). No release is tagged yet, so it is a commit of this repository whose
# .github/workflows/refresh.yml has every input the written workflow passes. At a release,
# set it to the release tag "v" + __version__ (docs/releasing.md).
WORKFLOW_REF = "309cb79faefd045086d6044ed8fb203cb321f84b"

PROJECT_URL = "https://github.com/rs-vlm-bibliography/rs-vlm-bibliography"


def user_agent(mailto: str | None = None) -> str:
    """The User-Agent every request carries: project, version and, when known, a contact.

    Crossref's polite pool and arXiv's API terms both ask clients to identify themselves
    with a way to reach the operator.
    """
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"rs-vlm-bibliography/{__version__} (+{PROJECT_URL}{contact})"
