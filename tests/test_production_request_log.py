"""Every request leaves one JSON line on the `lore.requests` log (stdout in production) with its id, method,
path, status and duration; the id is echoed in X-Request-ID so a visitor's report can be found in the logs."""

import json
import logging
import re

import pytest


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(json.loads(record.getMessage()))


@pytest.fixture
def request_log():
    handler = Lines()
    logger = logging.getLogger("lore.requests")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_each_request_logs_one_json_line_with_id_method_path_status_and_duration(client, db, request_log):
    response = client.get("/healthz?probe=1")

    [line] = request_log
    assert line["request_id"] == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_a_sane_incoming_request_id_is_kept_and_echoed(client, db, request_log):
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-7f3a.42"})

    assert response["X-Request-ID"] == "proxy-7f3a.42"
    assert request_log[0]["request_id"] == "proxy-7f3a.42"


@pytest.mark.parametrize(
    "incoming",
    ["", "x" * 129, "abc def", 'a"}{"status":200', "<script>", "é"],
)
def test_an_odd_incoming_request_id_is_replaced_by_a_fresh_one(client, db, request_log, incoming):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert request_log[0]["request_id"] == response["X-Request-ID"]


def test_error_responses_are_logged_with_their_status(client, db, request_log):
    client.get("/no-such-page/")

    assert request_log[0]["status"] == 404


def test_control_characters_in_a_path_cannot_forge_a_log_line(client, db, request_log):
    client.get('/x%0A{"status":200}%0D/')

    [line] = request_log
    assert line["path"] == '/x\n{"status":200}\r/'
    assert line["status"] == 404
