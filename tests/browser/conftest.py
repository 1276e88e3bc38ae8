"""Browser tests: kefu served by uvicorn in a thread, driven by Debian's chromium through
Playwright (Playwright's own browser download does not work offline; it is never used).

Chromium is installed with apt when missing and the tests run as root; otherwise they
skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.channels.conftest import make_client, serve_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def ensure_cjk_font() -> None:
    """A Chinese font, so that screenshots show Chinese text (best effort, root only)."""
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
        if listed.stdout.strip():
            return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "fonts-wqy-zenhei"],
                       capture_output=True, timeout=600, check=False)


def chromium_path() -> str:
    """Debian's chromium, installed now when missing; skip with the reason when it cannot be."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found:
        return found
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and cannot be installed here (needs root and "
                    "apt-get): apt-get install -y chromium")
    try:
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True,
                       capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        try:
            subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True,
                           timeout=300)
            subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True,
                           capture_output=True, timeout=900)
        except (subprocess.SubprocessError, OSError):
            pytest.skip(f"installing chromium with apt-get failed: {exc}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get installed chromium but no chromium command is on PATH")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    executable = chromium_path()
    ensure_cjk_font()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """kefu's app over the demo shop, served on a free port by uvicorn in a thread."""
    import uvicorn

    client = make_client(*request.getfixturevalue("shop"), request.getfixturevalue("masker"),
                         serve_settings(tmp_path))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(client.app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# The fixtures of the HTTP channel tests (shop, masker, the engine's session fixtures).
from tests.channels.conftest import (  # noqa: E402, F401
    demo_nlu,
    demo_store,
    demo_template,
    masker,
    nlu_model_dir,
    shop,
)
