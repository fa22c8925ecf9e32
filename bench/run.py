"""Lore's benchmark: build 200,000 records in a scratch PostgreSQL database, serve them with gunicorn as
production does, and drive every kind of endpoint with wrk beside a bare Django view.

    .venv/bin/python bench/run.py              # build, then cold (no cache) and warm (Redis) runs
    .venv/bin/python bench/run.py --skip-build # reuse the database the last run built
    .venv/bin/python bench/run.py --soak       # 32 connections for 60 s across all endpoints
    .venv/bin/python bench/run.py --build-only # just (re)build the 200,000-record database

It prints a Markdown table and writes it, with the raw numbers, to bench/results/. Needs wrk (Debian:
`apt-get install wrk`), PostgreSQL and, for the warm runs, Redis. See docs/PERFORMANCE.md.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import runpy
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
RESULTS = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lore_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="Flushed before the warm runs.")
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-build", action="store_true", help="Reuse the database as the last run left it.")
    parser.add_argument("--build-only", action="store_true", help="Build the database and stop.")
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument(
        "--workers", type=int, help="gunicorn sync workers (default: the config file's, two per core in production's)."
    )
    parser.add_argument(
        "--gunicorn-config",
        default=str(ROOT / "franchise_site" / "gunicorn.conf.py"),
        help="gunicorn's config file (default: production's, franchise_site/gunicorn.conf.py).",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=5, help="Seconds per endpoint and round.")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="Sweeps over the endpoints per phase; the table gives each endpoint's median over them.",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="An endpoint's name to run, as the table shows it; repeat for more (default: all).",
    )
    parser.add_argument("--no-warm", action="store_true", help="Skip the warm-cache (Redis) phase.")
    parser.add_argument("--no-cold", action="store_true", help="Skip the cold (uncached) phase.")
    parser.add_argument("--soak", action="store_true", help="Only the soak test (builds the database if missing).")
    parser.add_argument("--soak-connections", type=int, default=32)
    parser.add_argument("--soak-duration", type=int, default=60)
    args = parser.parse_args()
    if args.workers is None:
        # What the config gives production on this machine; gunicorn reads it from the same file.
        args.workers = runpy.run_path(args.gunicorn_config)["workers"]
    return args


def base_env(args, **extra):
    """The production environment (DJANGO_DEBUG=0 and its companions), with the benchmark's switches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "LORE_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="0",  # wrk speaks plain HTTP; production terminates TLS in front
        DATABASE_URL=args.database_url,
        DJANGO_STATIC_ROOT=str(static_root()),
        LORE_API_ANON_RATE="100000000/minute",  # throttling would turn the API runs into 429 runs
        LORE_BENCH_BARE_VIEW="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def static_root():
    return Path("/tmp/lore-bench-static")  # noqa: S108 - a scratch directory for this benchmark only


def manage(args, *command, **env):
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=base_env(args, **env), check=True)
    return time.monotonic() - started


def database_name(url):
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: the benchmark database's name must contain 'bench'.")
    return name


def recreate_database(url):
    import psycopg2

    name = database_name(url)
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def query(url, sql, params=()):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def build(args):
    log(f"recreating {database_name(args.database_url)}")
    recreate_database(args.database_url)
    manage(args, "migrate", "--noinput", "-v0")
    manage(args, "loaddata", "john_wick", "-v0")
    log(f"generate_lore --size {args.size}")
    seconds = manage(args, "generate_lore", "--size", str(args.size), "--seed", str(args.seed), "-v0")
    log(f"generated {args.size:,} records in {seconds:.1f} s; VACUUM ANALYZE")
    query(args.database_url, "VACUUM ANALYZE")
    return seconds


def collect_static(args):
    if (static_root() / "staticfiles.json").exists():
        return
    log("collectstatic")
    manage(args, "collectstatic", "--noinput", "-v0", "--ignore", "drf_spectacular_sidecar")


def endpoints(args):
    """The URLs to drive: typical records of the synthetic franchise, found in the database."""
    url = args.database_url
    film = query(
        url,
        "SELECT f.slug FROM lore_film f JOIN lore_franchise fr ON fr.id = f.franchise_id "
        "WHERE fr.slug = 'synthetic' AND f.status = 'released' ORDER BY f.release_order "
        "LIMIT 1 OFFSET (SELECT count(*) / 2 FROM lore_film)",
    )[0][0]
    character, name = query(
        url,
        "SELECT c.slug, c.name FROM lore_character c JOIN lore_appearance a ON a.character_id = c.id "
        "GROUP BY c.id HAVING count(*) >= 3 ORDER BY c.id LIMIT 1 OFFSET (SELECT count(*) / 20 FROM lore_character)",
    )[0]
    words = quote(name.lower())
    # The same name with two letters of its last word swapped: nothing matches as typed, so search goes on
    # to look for the nearest titles by trigrams, its slow path.
    *first, last = name.lower().split()
    last = last[:2] + last[3] + last[2] + last[4:] if len(last) >= 4 else last + "q"
    misspelt = quote(" ".join([*first, last]))
    return [
        ("bare view", "/bench/bare/"),
        ("home", "/"),
        ("franchise page", "/franchises/synthetic/"),
        ("timeline", "/timeline/"),
        ("film page", f"/films/{film}/"),
        ("character page", f"/characters/{character}/"),
        ("search page", f"/search/?q={words}"),
        ("search page, misspelt", f"/search/?q={misspelt}"),
        # Too short and too far off for search's trigram pass ("Wick" typed "wik"): nothing matches, and the
        # page looks for the names nearest it to suggest ("Did you mean"), its longest path.
        ("search page, no match", "/search/?q=wik"),
        ("API list", "/api/v1/characters/"),
        ("API detail", f"/api/v1/films/{film}/"),
        ("API search", f"/api/v1/search/?q={words}"),
        ("API credits", "/api/v1/credits/"),
        ("API notes", "/api/v1/production-notes/"),
        ("character list page 400", "/characters/?page=400"),
        # Ordered by a count (stored since migration 0009; before it, every credit or citation was counted).
        ("people by credits", "/people/?sort=credits"),
        ("API sources by citations", "/api/v1/sources/?ordering=-citation_count"),
    ]


class Gunicorn:
    """gunicorn as production runs it, with a thread sampling its workers' resident memory."""

    def __init__(self, args, **env):
        self.args, self.env = args, env
        self.peak_rss_kb = 0
        self._stop = threading.Event()

    def __enter__(self):
        command = [
            GUNICORN,
            "--config",
            self.args.gunicorn_config,
            "--bind",
            f"{HOST}:{self.args.port}",
            "--workers",
            str(self.args.workers),
            "--timeout",
            "60",
            # gunicorn 27's default control socket path is shared by every gunicorn on the host.
            "--no-control-socket",
        ]
        self.stderr = open(RESULTS / "gunicorn.log", "ab")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=base_env(self.args, **self.env), stdout=subprocess.DEVNULL, stderr=self.stderr
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {RESULTS / 'gunicorn.log'}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.args.port), timeout=1):
                break
            time.sleep(0.2)
        while len(self.workers()) < self.args.workers and time.monotonic() < deadline:
            time.sleep(0.2)
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []

    def rss_kb(self):
        """Each worker's current and peak (VmHWM) resident memory, in KiB."""
        sizes = {}
        for pid in self.workers():
            with contextlib.suppress(OSError):
                fields = dict(
                    line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
                )
                if "VmRSS" in fields:  # not a worker gunicorn just replaced (max_requests) and not yet reaped
                    sizes[pid] = (int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0]))
        return sizes

    def _sample(self):
        while not self._stop.wait(0.5):
            for _, peak in self.rss_kb().values():
                self.peak_rss_kb = max(self.peak_rss_kb, peak)

    def get(self, path):
        request = urllib.request.Request(f"http://{HOST}:{self.args.port}{path}")  # noqa: S310 - our own server
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def wrk(args, path, *, connections, duration, paths=()):
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://{HOST}:{args.port}{path}",
    ]
    if paths:
        command += ["--", *paths]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def drive(args, label, name, path, server, sweep=""):
    status, headers, _ = server.get(path)
    server.get(path)  # warm: templates loaded, connection open, cache filled
    cache = server.get(path)[1].get("X-Lore-Cache", "-")
    log(f"{label}{sweep}: {name} {path} (status {status}, cache {cache})")
    result = wrk(args, path, connections=args.connections, duration=args.duration)
    sizes = server.rss_kb().values()
    result.update(name=name, path=path, phase=label, status=status, cache=cache)
    result.update(rss_mb=max(rss for rss, _ in sizes) / 1024, peak_rss_mb=max(peak for _, peak in sizes) / 1024)
    return result


def phase(args, label, urls, server):
    """Sweep every endpoint `--rounds` times, each sweep opening with the bare view, and one bare-view run to
    close. Each run's "× bare" divides by the bare view of its own sweep and the next (the machine's speed
    drifts by a tenth or more over minutes); a row gives each number's median over the sweeps."""
    sweeps = [
        [drive(args, label, name, path, server, f", round {number}") for name, path in urls]
        for number in range(1, args.rounds + 1)
    ]
    closing = drive(args, label, "bare view (again)", urls[0][1], server)
    bares = [sweep[0]["rps"] for sweep in sweeps] + [closing["rps"]]
    for number, sweep in enumerate(sweeps):
        for result in sweep:
            result["ratio"] = result["rps"] / statistics.mean(bares[number : number + 2])
    closing["ratio"] = closing["rps"] / statistics.mean(bares[-2:])
    rows = [median_row([sweep[index] for sweep in sweeps]) for index in range(len(urls))]
    return [*rows, median_row([closing])]


def median_row(runs):
    """One endpoint's runs as one row: the median of each number, the raw runs kept for the JSON report."""
    row = {key: runs[0][key] for key in ("name", "path", "phase", "status", "cache")}
    for key in ("rps", "ratio", "p50_ms", "p95_ms", "p99_ms"):
        row[key] = statistics.median(run[key] for run in runs)
    row["errors"] = {key: sum(run["errors"][key] for run in runs) for key in runs[0]["errors"]}
    row["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    row["runs"] = runs
    return row


def machine():
    meminfo, cpuinfo = Path("/proc/meminfo").read_text(), Path("/proc/cpuinfo").read_text()
    memory_kb = int(next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu": next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), "?"),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def table(results, peaks):
    lines = [
        "| Phase | Endpoint | req/s | × bare | p50 ms | p95 ms | p99 ms | errors | worker peak MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        errors = sum(r["errors"].values())
        lines.append(
            f"| {r['phase']} | {r['name']} | {r['rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {errors} | {r['peak_rss_mb']:.0f} |"
        )
    lines.append("")
    lines += [f"Peak worker RSS, {name}: {kb / 1024:.0f} MB" for name, kb in peaks.items()]
    return "\n".join(lines)


def soak(args, urls, label, **env):
    paths = [path for name, path in urls if name != "bare view"]
    with Gunicorn(args, **env) as server:
        for path in paths:
            server.get(path)
        before = server.rss_kb()
        log(f"soak, {label}: {args.soak_connections} connections, {args.soak_duration} s, {len(paths)} endpoints")
        result = wrk(args, paths[0], connections=args.soak_connections, duration=args.soak_duration, paths=tuple(paths))
        after = server.rss_kb()
        peak = server.peak_rss_kb
    summary = {
        "phase": label,
        "connections": args.soak_connections,
        "duration_s": args.soak_duration,
        "paths": paths,
        "wrk": result,
        "rss_before_mb": {pid: round(rss / 1024, 1) for pid, (rss, _) in before.items()},
        "rss_after_mb": {pid: round(rss / 1024, 1) for pid, (rss, _) in after.items()},
        "peak_rss_mb": round(peak / 1024, 1),
    }
    errors = result["errors"]
    text = (
        f"Soak, {label}: {result['requests']:,} requests in {args.soak_duration} s ({result['rps']:.0f}/s) at "
        f"{args.soak_connections} connections; p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
        f"p99 {result['p99_ms']:.0f} ms; non-2xx/3xx responses: {errors['status']}, socket errors: "
        f"connect {errors['connect']}, read {errors['read']}, write {errors['write']}, timeout {errors['timeout']}.\n"
        f"Worker RSS before: {summary['rss_before_mb']} MB; after: {summary['rss_after_mb']} MB; "
        f"peak: {summary['peak_rss_mb']} MB."
    )
    return summary, text


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    RESULTS.mkdir(exist_ok=True)
    report = {"started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), "machine": machine()}
    report["gunicorn_workers"] = args.workers
    report["postgresql"] = query(args.database_url.rsplit("/", 1)[0] + "/postgres", "SHOW server_version")[0][0]
    built = not args.skip_build and not (args.soak and database_exists(args))
    if built:
        report["generate_seconds"] = build(args)
    counts = query(
        args.database_url,
        "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname LIKE 'lore\\_%%' "
        "AND relname NOT LIKE 'lore\\_historical%%' ORDER BY relname",
    )
    report["records"] = dict(counts)
    if args.build_only:
        print(json.dumps(report, indent=2))
        return
    collect_static(args)
    urls = endpoints(args)
    if args.only:
        wanted = {name.strip() for name in args.only}
        unknown = wanted - {name for name, _ in urls}
        if unknown:
            sys.exit(f"No endpoint named {', '.join(sorted(unknown))}; the names are: {', '.join(n for n, _ in urls)}")
        urls = [urls[0], *[(name, path) for name, path in urls[1:] if name in wanted]]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if args.soak:
        report["soak"] = []
        phases = [("uncached", {})] + ([] if args.no_warm else [("Redis cache", {"REDIS_URL": args.redis_url})])
        for label, env in phases:
            if env:
                import redis

                redis.Redis.from_url(args.redis_url).flushdb()
            summary, text = soak(args, urls, label, **env)
            report["soak"].append(summary)
            print(text)
        (RESULTS / f"soak-{stamp}.json").write_text(json.dumps(report, indent=2))
        return
    results, peaks = [], {}
    if not args.no_cold:
        with Gunicorn(args) as server:
            results += phase(args, "cold", urls, server)
            peaks["cold (no cache)"] = server.peak_rss_kb
    if not args.no_warm:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        with Gunicorn(args, REDIS_URL=args.redis_url) as server:
            results += phase(args, "warm", urls, server)
            peaks["warm (Redis)"] = server.peak_rss_kb
    report.update(results=results, peak_rss_kb=peaks, finished_load_average=os.getloadavg())
    text = table(results, peaks) + f"\ngunicorn sync workers: {args.workers}"
    print(text)
    (RESULTS / f"run-{stamp}.json").write_text(json.dumps(report, indent=2))
    (RESULTS / f"run-{stamp}.md").write_text(text + "\n")
    log(f"results in {RESULTS}/run-{stamp}.{{md,json}}")


def database_exists(args):
    name = database_name(args.database_url)
    rows = query(
        args.database_url.rsplit("/", 1)[0] + "/postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [name]
    )
    return bool(rows)


if __name__ == "__main__":
    main()
