"""The one gunicorn configuration: production (systemd), the benchmark, the tests and scripts/serve.

    gunicorn -c deploy/gunicorn.conf.py                          # 127.0.0.1:8000, behind nginx
    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:0 -w 1  # command-line flags win over this file

Only what differs per run (address, worker count, log level) is given on the
command line; everything else is here, so what the benchmark measures and the
tests exercise is what a town hall runs. The site's own settings are KM_*
environment variables (README), never gunicorn options.
"""

import ctypes
import ctypes.util
import logging
import os
import sys
from pathlib import Path

# One BLAS thread per search thread. OpenBLAS would otherwise start a thread per core for
# every vector product (the semantic ranking, the model); with 2 processes x 4 threads on
# 2 cores those pools fight each other: 8 threads ranking 40,000 passages took 124 ms a
# product instead of 3 (docs/BENCHMARKS.md), and throughput at concurrency 8 halved.
# Read when numpy is first imported, which is after this file (the app is loaded below).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# Two malloc arenas per process, and blocks of 4 MB or more handed back to the system when
# freed. glibc gives each new thread an arena of its own (up to 8 per core) and, once a large
# block is freed, serves blocks up to that size from those arenas: the copies of the passage
# matrix a worker makes as the index changes then stay resident. At 10,000 assets a worker
# held 404 MB after the benchmark's questions with glibc's defaults, 367 MB with these
# (docs/BENCHMARKS.md). glibc reads MALLOC_ARENA_MAX only when a process starts, before this
# file, so they are set with mallopt (inherited by the forked workers); an administrator's
# own MALLOC_* variables are left alone.
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's malloc.h


def _limit_malloc() -> bool:
    """Apply the two settings above; True when glibc took them."""
    if any(name.startswith("MALLOC_") for name in os.environ):
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): its own defaults
        return False
    return mallopt(M_ARENA_MAX, 2) == 1 and mallopt(M_MMAP_THRESHOLD, 4 << 20) == 1


malloc_limited = _limit_malloc()

# The code folder, so `app` is importable whatever folder gunicorn is started from.
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "app:create_app()"

# nginx proxies to this address (deploy/nginx/km.conf); never expose it directly.
bind = ["127.0.0.1:8000"]

# 2 processes x 4 threads: the configuration measured in docs/BENCHMARKS.md (searches are
# CPU-bound Python, so threads mostly overlap I/O; a second process uses the second core).
workers = 2
worker_class = "gthread"
threads = 4

# Load the app once in the master: the Thai dictionary (~300k objects) is then shared
# copy-on-write by the workers (see app._warm_up), and a missing or outdated index or an
# older database schema is dealt with once, before any worker serves.
preload_app = True

# A gthread worker is killed only when it stops answering the master for this long (a hang),
# not for one slow request. nginx waits a little longer than this before giving up on the
# app (proxy_read_timeout in deploy/nginx/km.conf; tests/test_deploy.py keeps them in step).
timeout = 120
graceful_timeout = 20
keepalive = 5

# Matches nginx's default large_client_header_buffers (8k), so a search URL nginx passes
# on is never refused here with gunicorn's own plain-text 400.
limit_request_line = 8190

# Error log to stderr (the journal under systemd); nginx keeps the access log.
errorlog = "-"
loglevel = "info"


def _site_lines_to_stderr() -> None:
    """Send the site's INFO lines (index rebuilt, database upgraded, saves) to stderr like gunicorn's own.

    Without a handler Python prints only WARNING and above, without time or process.
    """
    formatter = logging.Formatter("%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s",
                                  "[%Y-%m-%d %H:%M:%S %z]")
    for name in ("app", "indexer"):
        logger = logging.getLogger(name)
        if not any(handler.get_name() == "km-stderr" for handler in logger.handlers):  # config reloads on HUP
            handler = logging.StreamHandler(sys.stderr)
            handler.set_name("km-stderr")
            handler.setFormatter(formatter)
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)


_site_lines_to_stderr()


def post_fork(server, worker):
    """Give each worker's site lines the level asked for (--log-level warning keeps the bench quiet)."""
    level = logging.getLevelName(server.cfg.loglevel.upper())
    for name in ("app", "indexer"):
        logging.getLogger(name).setLevel(level if isinstance(level, int) else logging.INFO)

# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl for `gunicornc`; nothing here uses
# it, and a second gunicorn of the same user (a test, a second site) took the path over.
control_socket_disable = True
