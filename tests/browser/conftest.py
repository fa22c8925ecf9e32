"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; the test itself only sets up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        return  # in CI a missing browser must fail the run, not skip it
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (Debian package chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download cannot work here; use Debian's Chromium.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture
def live_lore(live_server, transactional_db):
    """The live server with the article's franchise loaded; returns its base URL."""
    call_command("loaddata", "john_wick", verbosity=0)
    # What `make seed` does: a baseline history row per record, so the first edit has something to diff.
    call_command("populate_history", "--auto", verbosity=0)
    return live_server.url


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def axe_source():
    if not AXE.exists():
        if os.environ.get("CI"):
            raise FileNotFoundError(f"{AXE} is missing: run `npm ci --prefix tests/browser`")
        pytest.skip("axe-core is not installed: run `npm ci --prefix tests/browser`")
    return AXE.read_text()
