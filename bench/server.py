"""Start the production server configuration (deploy/gunicorn.conf.py) on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .load import get

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"  # the production configuration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the production config, `workers` processes × `threads` threads."""

    def __init__(self, env: dict[str, str], workers: int = 2, threads: int = 4):
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, warm_query: str = "/api/search?q=%E0%B8%A5%E0%B8%B2%E0%B8%9B%E0%B9%88%E0%B8%A7%E0%B8%A2") -> float:
        """Start and return seconds until the first search is answered (cold start)."""
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [gunicorn, "--config", str(GUNICORN_CONFIG), "--workers", str(self.workers), "--threads", str(self.threads),
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            env={**os.environ, **self.env}, cwd=PROJECT_ROOT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                status, _ = get(self.port, warm_query, timeout=30)
                if status == 200:
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not answer within 120 s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def worker_memory_mb(self) -> dict[str, float]:
        """Peak (VmHWM) and current (VmRSS) resident memory of the largest worker, in MB."""
        peak = current = 0.0
        for pid in self.worker_pids():
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
            fields = dict(line.split(":", 1) for line in lines if ":" in line)
            peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
            current = max(current, int(fields["VmRSS"].split()[0]) / 1024)
        return {"peak": peak, "current": current}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
