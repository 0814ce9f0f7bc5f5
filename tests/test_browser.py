"""The built site in a real browser: Debian's Chromium driven by playwright, offline.

Every page loads with no console error and no failed request, and asks nothing of any host but
the local server; math is typeset; every video plays; light and dark themes are screenshotted;
axe-core finds no serious or critical accessibility violation. Chromium missing is a failure.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from built_site import SITE, pages, require_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = SITE.parent / "screenshots"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    site = require_site()
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), f"{CHROMIUM} missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Visit:
    """A page opened in a fresh context, with every request, failure and console error."""

    def __init__(self, browser: object, base: str, path: str, dark: bool = False) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": 1280, "height": 900},
            color_scheme="dark" if dark else "light",
            device_scale_factor=1,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failures.append(f"{r.url} {r.failure}"))
        self.page.on(
            "response",
            lambda r: self.failures.append(f"{r.url} HTTP {r.status}") if r.status >= 400 else None,
        )
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{base}/{path}", wait_until="networkidle")
        self.page.evaluate(
            "() => (window.MathJax && MathJax.startup) ? MathJax.startup.promise : null"
        )

    def close(self) -> None:
        self.context.close()


def _html_paths() -> list[str]:
    return [p.name for p in pages() if "genindex" not in p.name and "search" not in p.name]


def test_every_page_loads_clean_and_offline(browser: object, server: str) -> None:
    host = urlsplit(server).netloc
    problems = []
    for path in _html_paths():
        visit = Visit(browser, server, path)
        foreign = [
            u
            for u in visit.requests
            if urlsplit(u).scheme in {"http", "https"} and urlsplit(u).netloc != host
        ]
        problems += [f"{path}: request to another host: {u}" for u in foreign]
        problems += [f"{path}: failed request: {f}" for f in visit.failures]
        problems += [f"{path}: console error: {e}" for e in visit.errors]
        visit.close()
    assert not problems, "\n".join(problems[:40])


def test_math_is_typeset(browser: object, server: str) -> None:
    math_pages = [
        p.name for p in pages() if p.name.startswith("guide/") and "math" in p.path.read_text()
    ]
    assert math_pages, "no guide page has math"
    for path in math_pages:
        visit = Visit(browser, server, path)
        text = visit.page.evaluate("() => document.querySelector('article').innerText")
        rendered = visit.page.evaluate(
            "() => document.querySelectorAll('.math svg[role=img], mjx-container, .katex').length"
        )
        visit.close()
        for raw in ["\\(", "\\)", "\\[", "$$", "\\frac", "\\sigma"]:
            assert raw not in text, f"{path}: raw TeX {raw!r} left in the visible text"
        assert rendered > 0, f"{path}: no typeset math found"


def test_every_video_shows_its_poster_and_plays(browser: object, server: str) -> None:
    video_pages = [p.name for p in pages() if p.videos]
    assert video_pages
    checked = 0
    for path in video_pages:
        visit = Visit(browser, server, path)
        for i in range(visit.page.locator("video").count()):
            video = visit.page.locator("video").nth(i)
            video.scroll_into_view_if_needed()
            info = video.evaluate(
                """async v => {
                    const wait = ms => new Promise(ok => setTimeout(ok, ms));
                    const src = v.currentSrc || v.querySelector('source')?.src || v.src;
                    const type = src.endsWith('.webm')
                        ? 'video/webm; codecs="vp9"' : 'video/mp4; codecs="avc1.64001F"';
                    const poster = await Promise.race([
                        new Promise(ok => {
                            const img = new Image();
                            img.onload = () => ok(img.naturalWidth);
                            img.onerror = () => ok(0);
                            img.src = v.poster;
                        }),
                        wait(5000).then(() => 0),
                    ]);
                    const before = v.currentTime;
                    v.muted = true;
                    let playError = null;
                    try {
                        await Promise.race([
                            v.play(),
                            wait(5000).then(() => { throw new Error('play() did not start in 5 s'); }),
                        ]);
                    } catch (e) { playError = String(e); }
                    await wait(700);
                    const after = v.currentTime;
                    v.pause();
                    return {canPlay: v.canPlayType(type), poster, before, after, playError,
                            error: v.error && v.error.code, width: v.videoWidth, src};
                }"""
            )
            where = f"{path} video {i}"
            assert info["canPlay"] in {"probably", "maybe"}, f"{where}: cannot play {info}"
            assert info["poster"] > 0, f"{where}: poster does not load"
            assert info["error"] is None, f"{where}: media error {info['error']} ({info['src']})"
            assert info["playError"] is None, f"{where}: {info['playError']} ({info['src']})"
            assert info["before"] == 0 and info["after"] > 0, f"{where}: did not advance {info}"
            assert info["width"] > 0, f"{where}: no decoded frame"
            checked += 1
        visit.close()
    assert checked >= 4


def _guide_page() -> str:
    return next(p.name for p in pages() if p.name.startswith("guide/03-"))


def test_light_and_dark_screenshots(browser: object, server: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    colors = {}
    for dark in (False, True):
        for path in ["index.html", _guide_page()]:
            visit = Visit(browser, server, path, dark=dark)
            mode = "dark" if dark else "light"
            visit.page.evaluate(f"() => document.body.dataset.theme = '{mode}'")
            name = f"{Path(path).stem}-{mode}.png"
            visit.page.screenshot(path=SHOTS / name, full_page=False)
            colors[(path, mode)] = visit.page.evaluate(
                "() => [getComputedStyle(document.body).backgroundColor,"
                " getComputedStyle(document.querySelector('article')).color]"
            )
            visit.close()
    for path in ["index.html", _guide_page()]:
        light, dark = colors[(path, "light")], colors[(path, "dark")]
        assert light[0] != dark[0], f"{path}: dark mode did not change the background"
        assert light[1] != dark[1], f"{path}: dark mode did not change the text colour"
    assert len(list(SHOTS.glob("*.png"))) >= 4


def _axe_pages() -> list[str]:
    names = [p.name for p in pages()]
    gallery = next(n for n in names if n.startswith("auto_gallery/training/plot_"))
    api = next(n for n in names if n.startswith(("api/", "generated/")) or "/generated/" in n)
    return ["index.html", _guide_page(), gallery, api]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_serious_accessibility_violation(browser: object, server: str, dark: bool) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for path in _axe_pages():
        visit = Visit(browser, server, path, dark=dark)
        if dark:
            visit.page.evaluate("() => document.body.dataset.theme = 'dark'")
        results = axe.run(visit.page)
        for v in results.response["violations"]:
            if v["impact"] in {"serious", "critical"}:
                nodes = "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
                problems.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} at {nodes}")
        visit.close()
    assert not problems, "\n".join(problems)
