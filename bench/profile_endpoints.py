"""Where an endpoint's time goes: queries, SQL time, Python time, the top functions, and query plans.

    .venv/bin/python bench/profile_endpoints.py /films/<slug>/ /api/v1/characters/ [--explain] [--repeat 20]

Runs in-process against the benchmark database (DATABASE_URL, default lore_bench) with production
settings. --explain prints EXPLAIN ANALYZE for every query and flags sequential scans of big tables.

--instructions counts instead the CPU instructions one request of each path costs this process, under
valgrind's callgrind (Debian package valgrind): it runs the tool twice per path, once with no requests and
once with --repeat, and divides the difference. Unlike times, the count barely moves when the machine is
busy or slower, so it shows a change of a few percent that timings on a shared machine cannot. It leaves
out PostgreSQL's own work, and takes about a minute per path. With REDIS_URL set, the requests it counts
are cache hits (--repeat 300 or so: a hit is small enough for the garbage collector's timing to show).
"""

import argparse
import cProfile
import io
import logging
import os
import pstats
import re
import statistics
import subprocess  # nosec B404 - runs valgrind on this script
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lore_bench")
os.environ.setdefault("DJANGO_STATIC_ROOT", "/tmp/lore-bench-static")  # noqa: S108 - what bench/run.py collects
os.environ.update(
    DJANGO_SETTINGS_MODULE="franchise_site.settings",
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="profile-only-key-" + "x" * 40,
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="0",
    LORE_API_ANON_RATE="100000000/minute",
    LORE_BENCH_BARE_VIEW="1",
)
BIG_TABLE_ROWS = 10_000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime, ...")
    parser.add_argument("--instructions", action="store_true", help="CPU instructions per request (callgrind)")
    parser.add_argument("--requests-only", type=int, help=argparse.SUPPRESS)  # what callgrind runs
    args = parser.parse_args()
    if args.instructions:
        # One run outside valgrind first, so that the counted runs start alike: the bytecode is compiled,
        # and with the cache on every path is stored (else the first run would render where the second hits).
        subprocess.run([sys.executable, __file__, *args.paths, "--requests-only", "0"], check=True)  # noqa: S603
        for path in args.paths:
            per_request = (instructions(path, args.repeat) - instructions(path, 0)) / args.repeat
            print(f"{path}: {per_request / 1e6:.2f} million instructions per request")
        return

    import django

    django.setup()
    if os.environ.get("REDIS_URL"):
        from django.conf import settings

        # Under valgrind every step is about fifty times slower: production's half-second socket timeouts
        # would fail the cache open and count pages rendered instead of hits.
        settings.CACHES["default"]["OPTIONS"].update(socket_connect_timeout=60, socket_timeout=60)
    logging.getLogger("lore.requests").disabled = True  # one JSON line per request would drown the report
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if args.requests_only is not None:
        for path in args.paths:
            status = client.get(path).status_code  # warm up, and refuse to count an error page
            if status != 200:
                sys.exit(f"{path} answered {status}")
        for _ in range(args.requests_only):
            for path in args.paths:
                client.get(path)
        return
    for path in args.paths:
        response = client.get(path)  # warm: templates compiled, connection open
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        queries = list(captured.captured_queries)  # the next request clears the connection's log
        sql_ms = sum(float(query["time"]) for query in queries) * 1000
        print(f"\n=== {path}: {response.status_code}, {len(response.content):,} bytes")
        print(f"{len(queries)} queries, {sql_ms:.1f} ms SQL (as Django timed it), {elapsed * 1000:.1f} ms in all")
        # The minimum and median of many requests: on a machine whose speed drifts, one request or a mean says
        # little. The count of Python function calls says how much work a request is, on any machine.
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{args.repeat} requests: min {min(times):.1f} ms, median {statistics.median(times):.1f} ms")
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(path)
        profiler.disable()
        print(f"{(time.perf_counter() - started) * 1000 / args.repeat:.1f} ms per request under the profiler")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        print(f"{stats.total_calls // args.repeat:,} Python function calls per request")
        stats.sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
        if args.explain:
            explain(connection, queries)


def instructions(path, requests):
    """Instructions callgrind counts for this script serving `path` once to warm up, then `requests` times."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__]
    result = subprocess.run(  # noqa: S603 - our own script, with a path given on our command line
        [*command, path, "--requests-only", str(requests)], capture_output=True, text=True, check=True
    )
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def explain(connection, queries):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [BIG_TABLE_ROWS])
        big = {row[0] for row in cursor.fetchall()}
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            scans = set(re.findall(r"Seq Scan on (\w+)", plan)) & big
            flag = f"SEQ SCAN of big table(s) {sorted(scans)}" if scans else "ok"
            timing = re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)
            print(f"--- {timing} ms, {flag}\n{sql[:300]}")
            if scans:
                print(plan)


if __name__ == "__main__":
    main()
