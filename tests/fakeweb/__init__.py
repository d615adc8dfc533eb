"""The loopback internet the tests carry with them.

An ``aiohttp.web`` server on 127.0.0.1 that answers like arXiv, Crossref, doi.org, OpenAlex,
GitHub and ordinary websites, with bodies shaped like the real samples in
``../shared/api-samples/``. It records every request and injects faults on request.

Use it as the ``fakeweb`` pytest fixture (``tests/conftest.py``), or standalone::

    python -m tests.fakeweb --port 8765 --latency-ms 100
"""

from tests.fakeweb.core import FakeWeb, Fault, RequestRecord

__all__ = ["FakeWeb", "Fault", "RequestRecord"]
