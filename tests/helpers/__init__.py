"""Helpers the tests share, one module per stage (``check``, ``emit``, ``resolve``), the
hardening runs' (``hardening``) and the fast settings every fault test starts from (``fast``)."""
