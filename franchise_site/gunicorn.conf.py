"""gunicorn's settings for Lore in production: `gunicorn --config franchise_site/gunicorn.conf.py`.

Command-line flags still win (`--bind`, `--workers`), so each machine sets only what is its own.
"""

import gc

wsgi_app = "franchise_site.wsgi"

# A worker's memory grows while it first renders each kind of page, and garbage in reference cycles
# (DRF's and the templates') is collected late; replacing each worker after about a thousand requests
# bounds both. The jitter keeps the workers from restarting together.
max_requests = 1000
max_requests_jitter = 100


def post_worker_init(worker):
    """Move everything Django loaded at start-up out of the collector's sight.

    Those objects live as long as the worker, yet every full collection walks them all; frozen, the
    collector runs on what requests create, so cyclic garbage is freed sooner and the worker stays smaller.
    """
    gc.collect()
    gc.freeze()
