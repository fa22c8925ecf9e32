"""franchise_site/gunicorn.conf.py: the settings and hooks production runs gunicorn with."""

import gc
import runpy

from gunicorn.config import Config

from tests.production import GUNICORN_CONFIG, running_server, seeded_sqlite_url


def gunicorn_config():
    """The file read the way gunicorn reads it: every name it knows set on its own Config, validated."""
    namespace = runpy.run_path(str(GUNICORN_CONFIG))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config, namespace


def test_workers_are_replaced_after_about_ten_thousand_requests_at_staggered_times():
    config, _ = gunicorn_config()
    assert config.max_requests == 10000
    assert config.max_requests_jitter == 1000
    assert config.wsgi_app == "franchise_site.wsgi"


def test_two_workers_per_core_the_process_may_use(monkeypatch):
    import os

    config, _ = gunicorn_config()
    assert config.workers == 2 * len(os.sched_getaffinity(0))
    monkeypatch.delattr(os, "sched_getaffinity")  # as on macOS
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    config, _ = gunicorn_config()
    assert config.workers == 6


def test_workers_fork_from_a_master_that_loaded_django_once():
    config, _ = gunicorn_config()
    assert config.preload_app is True


def test_the_master_freezes_what_it_loaded_out_of_the_garbage_collectors_sight_before_forking():
    _, namespace = gunicorn_config()
    try:
        namespace["when_ready"](server=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_serves_lore_with_the_production_config():
    with running_server(DATABASE_URL=seeded_sqlite_url()) as server:
        responses = [server.get(path) for path in ("/films/ballerina/", "/api/v1/films/ballerina/", "/healthz")]
        stderr = server.output()[1]
    assert [response.status for response in responses] == [200, 200, 200]
    assert "Traceback" not in stderr
