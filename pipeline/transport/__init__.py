"""The transport layer: how every stage talks to the network, decided once.

* :mod:`.sessions`: the HTTP sessions (``requests`` for the resolvers and ``sources update``,
  ``aiohttp`` for the link checker and the GitHub client): user agent, no proxies, no cookies.
* :mod:`.retry`: the one retry rule. What is worth another try (429, 5xx, timeouts, dropped
  connections, and a stage's own :class:`~pipeline.errors.Transient`), exponential backoff
  with jitter, and ``Retry-After``: waited when it is at most ``retry_after_cap_seconds``
  (the longer of it and the backoff), and beyond the cap the request is given up at once,
  its outcome saying the server asked for longer than the cap. Tries end after
  ``retry_attempts`` in all or ``retry_budget_seconds``.
* :mod:`.pace`: the one pacing rule: requests of one kind (a host, a service, one of its
  rate classes) at least ``1 / per_second`` apart, the rate learned from a service's
  ``x-rate-limit-*`` headers, with a thread face (resolvers) and an asyncio face (link
  checker, GitHub); :class:`~.pace.Pacer` adds an in-flight limit for threads.

Every stage reads the same setting names: ``[resolve]`` and ``[check]`` each have
``retry_attempts``, ``backoff_seconds``, ``backoff_max_seconds``, ``retry_after_cap_seconds``
and ``retry_budget_seconds``.
"""
