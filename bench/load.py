"""A bounded HTTP load over loopback: N requests at concurrency C, with a time limit."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlencode


def run_load(port: int, queries: list[dict], total: int, concurrency: int, max_seconds: float,
             path: str = "/api/search") -> dict:
    """Send `total` GET `path` requests from `concurrency` threads; stop early at `max_seconds`."""
    lock = threading.Lock()
    counter = {"next": 0}
    client_ms: list[float] = []
    server_ms: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                n = counter["next"]
                if n >= total:
                    break
                counter["next"] += 1
            started = time.perf_counter()
            conn.request("GET", path + "?" + urlencode(queries[n % len(queries)]))
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            timing = response.getheader("Server-Timing") or ""
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                client_ms.append(elapsed)
                if "dur=" in timing:
                    server_ms.append(float(timing.split("dur=")[1]))
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"client_ms": client_ms, "server_ms": server_ms, "statuses": statuses,
            "seconds": time.perf_counter() - started}


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    """One GET over loopback; returns (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()
