"""gunicorn's settings for Lore in production: `gunicorn --config franchise_site/gunicorn.conf.py`.

Command-line flags still win (`--bind`, `--workers`), so each machine sets only what is its own.
"""

import gc
import os

wsgi_app = "franchise_site.wsgi"


def _cores():
    """The cores this process may run on (a container's CPU limit narrows them), where the OS says."""
    if hasattr(os, "sched_getaffinity"):  # Linux; not macOS
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# Sync workers serve one request at a time each, and a worker waiting on PostgreSQL or Redis leaves its core
# idle unless another worker can take it. Two per core keep the cores busy: on the benchmark's two cores
# (PostgreSQL and Redis on the same machine) cached pages reached 0.84-0.97x the bare view with four workers
# against 0.71-0.81x with two, with uncached p95 latencies about the same; five workers lost uncached pages
# a fifth of their throughput to switching (docs/PERFORMANCE.md, "What was done": two workers per core).
workers = 2 * _cores()

# A safety net against slow growth in a worker's memory (a leak in a library, fragmentation): each worker
# is replaced after about ten thousand requests, the jitter keeping them from restarting together. With
# gc.freeze() below, workers held 72-80 MB under the benchmark with or without recycling; replacing them
# every thousand requests cost the fastest responses a quarter of their throughput (docs/PERFORMANCE.md).
max_requests = 10000
max_requests_jitter = 1000

# Load Django once, in the master, and fork the workers from it: a replacement worker then starts in
# milliseconds instead of importing everything again (about half a second of CPU, which at a thousand
# requests per second per worker made every restart a latency spike). A new release therefore needs a
# restart of the master, not a HUP.
preload_app = True


def when_ready(server):
    """In the master, once Django is loaded and before any worker forks.

    The master starts once per release (a release restarts it, see preload_app), so this is where the
    response cache is made stale: responses stored by the previous release's templates and middleware,
    headers included, must not outlive it. No connection may be shared by the forked workers, and every
    object loaded so far lives as long as they do: frozen, the garbage collector stops walking them on
    every full collection (so it reaches the cyclic garbage requests leave sooner), and leaves their pages
    shared with the master.
    """
    from django.db import connections

    from lore.caching import bump_generation

    bump_generation()
    connections.close_all()
    gc.collect()
    gc.freeze()
