"""Run Lore the way production does, for the tests that need a real server: gunicorn with production's
config file serving franchise_site.wsgi with DJANGO_DEBUG=0, collected (hashed, compressed) static files,
behind a pretend TLS proxy, with whatever database and cache URLs a test chooses."""

import atexit
import contextlib
import functools
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORN_CONFIG = ROOT / "franchise_site" / "gunicorn.conf.py"  # production's settings and hooks
CLOSED_PORT = 1  # nothing listens on port 1, so connecting fails at once
HOST = "127.0.0.1"


def clean_env():
    """This process's environment without any of Lore's settings, so a subprocess sees only what we pass."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}


def production_env(**overrides):
    """The production environment the README documents, for a server behind a TLS-terminating proxy."""
    return {
        **clean_env(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "lore.example,127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }


def _temporary_directory(prefix):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def manage(*args, **env):
    result = subprocess.run(  # noqa: S603 - our own manage.py with arguments from the tests
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


@functools.cache
def static_root():
    """collectstatic once per test run. The API docs' bundles are left out: they take most of the time
    to compress and no server test opens /api/docs/."""
    root = _temporary_directory("lore-static-")
    manage("collectstatic", "--noinput", "-v0", "--ignore", "drf_spectacular_sidecar", DJANGO_STATIC_ROOT=str(root))
    return root


@functools.cache
def seeded_sqlite_url():
    """A migrated SQLite database holding the article's franchise, shared by the servers of a test run."""
    url = f"sqlite:///{_temporary_directory('lore-db-') / 'lore.sqlite3'}"
    manage("migrate", "--noinput", "-v0", DATABASE_URL=url)
    manage("loaddata", "john_wick", "-v0", DATABASE_URL=url)
    return url


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class Server:
    def __init__(self, port, log_dir):
        self.port = port
        self.log_dir = log_dir

    def request(self, path, *, method="GET", headers=None):
        """Send `path` exactly as given (no normalising), as the proxy would: over HTTPS, for lore.example."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in {"Host": "lore.example", "X-Forwarded-Proto": "https", **(headers or {})}.items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request(path, headers=headers)

    def output(self):
        """Everything the server has written so far: (stdout, stderr)."""
        return tuple((self.log_dir / name).read_text(errors="replace") for name in ("stdout", "stderr"))


@contextlib.contextmanager
def running_server(**env):
    """A gunicorn with one worker on a free port, stopped when the block ends."""
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="lore-server-"))
    with open(log_dir / "stdout", "wb") as stdout, open(log_dir / "stderr", "wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - the virtualenv's gunicorn serving this project
            [GUNICORN, "--config", GUNICORN_CONFIG, "--bind", f"{HOST}:{port}", "--workers", "1", "--timeout", "60"],
            cwd=ROOT,
            env=production_env(DJANGO_STATIC_ROOT=str(static_root()), **env),
            stdout=stdout,
            stderr=stderr,
        )
    try:
        _wait_until_listening(port, process, log_dir)
        yield Server(port, log_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(log_dir, ignore_errors=True)


def _wait_until_listening(port, process, log_dir):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {(log_dir / 'stderr').read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start listening within 60 s")
