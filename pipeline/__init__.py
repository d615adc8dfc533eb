"""Bibliography and link-checking pipeline for awesome lists of papers."""

from __future__ import annotations

__version__ = "0.1.0"

PROJECT_URL = "https://github.com/rs-vlm-bibliography/rs-vlm-bibliography"


def user_agent(mailto: str | None = None) -> str:
    """The User-Agent every request carries: project, version and, when known, a contact.

    Crossref's polite pool and arXiv's API terms both ask clients to identify themselves
    with a way to reach the operator.
    """
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"rs-vlm-bibliography/{__version__} (+{PROJECT_URL}{contact})"
