"""Run the fake web standalone: ``python -m tests.fakeweb --port N --latency-ms 100``."""

from __future__ import annotations

import argparse
import time

from tests.fakeweb.core import FakeWeb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    web = FakeWeb(latency_ms=args.latency_ms, host=args.host, port=args.port).start()
    print(f"fake web on {web.url}", flush=True)
    for key, value in web.env().items():
        print(f"{key}={value}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        web.stop()


if __name__ == "__main__":
    main()
