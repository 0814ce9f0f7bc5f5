"""The built site served on localhost and a headless Chromium to read it, offline.

Shared by the browser checks (``test_browser.py``, ``test_playground_browser.py``), whose
fixtures ``server`` and ``browser`` (``conftest.py``) call :func:`serve_site` and
:func:`launch_chromium`.

Chromium: the system's (``RELU_GUIDE_CHROMIUM``, else ``/usr/bin/chromium`` as CI installs it,
else ``chromium`` on the PATH) or, where there is none, playwright's own, installed on first use
with ``playwright install chromium``. No browser is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from built_site import SITE, require_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

#: Headless Chromium that asks nothing of any host.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Site root path of the published site (where the 404 page's <base> points).
BASE_PATH = os.environ.get("RELU_GUIDE_TEST_BASE", "")


def system_chromium() -> str | None:
    """The system's Chromium, if there is one."""
    for candidate in (os.environ.get("RELU_GUIDE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def managed_chromium(playwright: Playwright) -> str:
    """Playwright's own Chromium, installed now if it is missing (needs the internet once)."""
    path = Path(playwright.chromium.executable_path)
    if not path.is_file():
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            check=False,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0 or not path.is_file():
            msg = (
                "no system Chromium, and `playwright install chromium` failed "
                f"(exit {done.returncode}): {(done.stderr or done.stdout).strip()[-600:]}"
            )
            raise AssertionError(msg)
    return str(path)


@contextlib.contextmanager
def launch_chromium() -> Iterator[Browser]:
    """A headless Chromium (playwright ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        executable = system_chromium() or managed_chromium(p)
        browser = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@functools.cache
def published_root() -> str:
    """The path the site is published under (``/`` unless the 404 page's ``<base>`` says)."""
    page = SITE / "404.html"
    html = page.read_text(encoding="utf-8") if page.is_file() else ""
    found = re.search(r'<base href="([^"]+)">', html)
    return BASE_PATH or (found.group(1) if found else "/")


class _Site(http.server.SimpleHTTPRequestHandler):
    """The built site at ``/`` and under the published root path; 404.html for what is missing."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        root = published_root()
        if root != "/" and path.startswith(root):
            path = "/" + path[len(root) :]
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = SITE / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve_site() -> Iterator[str]:
    """The built site on a free localhost port; yields its base URL."""
    site = require_site()
    handler = functools.partial(_Site, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
