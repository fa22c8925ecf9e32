"""When the database cannot be reached, visitors get a 503 (a friendly page, or JSON from the API) and the
service comes back by itself once the database answers again. Real gunicorn processes, real sockets."""

import contextlib
import socket
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from tests.production import CLOSED_PORT, HOST, free_port, running_server

PAGES = ["/films/", "/films/john-wick-2014/", "/characters/", "/people/keanu-reeves/", "/search/?q=wick"]
API = ["/api/v1/films/", "/api/v1/films/john-wick-2014/"]


@pytest.fixture(scope="module")
def server_without_database():
    with running_server(DATABASE_URL=f"postgres://postgres@{HOST}:{CLOSED_PORT}/lore") as server:
        yield server


@pytest.mark.parametrize("path", PAGES)
def test_a_page_answers_a_friendly_503_page_when_the_database_is_unreachable(server_without_database, path):
    response = server_without_database.get(path)

    assert response.status == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Lore is briefly unavailable" in response.text
    assert '<link rel="stylesheet" href="/static/lore/site.' in response.text  # the site's hashed stylesheet
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert response.headers["Retry-After"].isdigit()
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", API)
def test_the_api_answers_503_json_when_the_database_is_unreachable(server_without_database, path):
    response = server_without_database.get(path)

    assert response.status == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["status"] == 503


def test_healthz_answers_503_naming_the_database_when_it_is_unreachable(server_without_database):
    response = server_without_database.get("/healthz")

    assert response.status == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    assert body["checks"]["cache"] == "not configured"


def test_the_outage_is_logged_for_the_operator_without_a_traceback_per_request(server_without_database):
    server_without_database.get("/films/")

    _, stderr = server_without_database.output()
    assert "database unavailable on GET /films/" in stderr
    assert "Traceback" not in stderr and "could not render 503.html" not in stderr


class SwitchableProxy:
    """A TCP forwarder to PostgreSQL that a test can cut (`down()`: every connection severed, new ones
    refused) and restore (`up()`: accepting again on the same port), like a database restarting."""

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self._listener = None
        self._open = set()
        self._lock = threading.Lock()

    def up(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self):
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        with self._lock:
            for sock in self._open:
                self._sever(sock)
            self._open.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        self._sever(source)
        self._sever(sink)

    @staticmethod
    def _sever(sock):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


@pytest.fixture
def postgres_test_database(transactional_db):
    """The test database, committed so another process can read it. Needs PostgreSQL: a database server
    that can go away and come back is what this test is about."""
    if connection.vendor != "postgresql":
        pytest.skip("the outage-and-recovery test needs DATABASE_URL to point at PostgreSQL")
    call_command("loaddata", "john_wick", verbosity=0)
    return connection.settings_dict


def test_service_resumes_by_itself_when_the_database_comes_back(postgres_test_database):
    settings = postgres_test_database
    proxy = SwitchableProxy((settings["HOST"] or HOST, int(settings["PORT"] or 5432)))
    proxy.up()
    url = f"postgres://{settings['USER']}@{HOST}:{proxy.port}/{settings['NAME']}"
    with running_server(DATABASE_URL=url) as server:
        assert server.get("/films/").status == 200
        assert server.get("/healthz").status == 200

        proxy.down()  # the persistent connection is cut and reconnecting is refused
        assert server.get("/films/").status == 503
        assert server.get("/api/v1/films/").status == 503
        assert server.get("/healthz").status == 503

        proxy.up()
        assert server.get("/films/").status == 200
        assert server.get("/api/v1/films/").status == 200
        assert server.get("/healthz").status == 200
    proxy.down()
