"""The built site in a real browser: Chromium driven by playwright, offline.

Every page of the site is read in four modes (light and dark theme, desktop and a 390 px
phone): it loads with no console error and no failed request, asks nothing of any host but
the local server, fetches only the media variants of its mode (no video before it is played),
and axe-core finds no serious or critical violation (touch-target size included). On a phone
nothing scrolls sideways, text in figures and videos is at least 9 CSS px, display math fits the
column and no formula in the text runs past it. Videos leave room for their controls under the
picture and show a play button. A full-page screenshot of every page in every mode lands in
``docs/_build/screenshots/``.

Chromium: the system's, or playwright's own where there is none (``browser_harness``). No
browser is a failure, never a skip.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest
from browser_harness import published_root
from built_site import MODES, ROOT, SITE, pages, variant_of

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response, ViewportSize

pytestmark = pytest.mark.browser

SHOTS = SITE.parent / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
#: Smallest text a figure may show, in CSS pixels.
MIN_FIGURE_TEXT = 9.0
#: Smallest touch target (WCAG 2.5.8), in CSS pixels.
MIN_TARGET = 24
#: Room under a video's picture for the browser's controls, in CSS pixels (phones draw a
#: play row above the timeline).
CONTROLS_ROOM = 40
PHONE_CONTROLS_ROOM = 64


class Visit:
    """A page opened in a fresh context, with every request, failure and console error.

    :meth:`go` reads another page in the same tab, as a reader following links would, but
    with the HTTP cache off: each page fetches all it needs, as on a first visit, so its
    requests and weight are its own. One tab for many pages spares Chromium a renderer
    process and a fresh compile of every script per page (about 40% of the CPU of reading
    the site).
    """

    def __init__(
        self,
        browser: Browser,
        base: str,
        path: str,
        dark: bool = False,
        phone: bool = False,
        stored_theme: str | None = None,
    ) -> None:
        self.base = base
        self.context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            color_scheme="dark" if dark else "light",
            device_scale_factor=1,
            has_touch=phone,
            is_mobile=phone,
        )
        if stored_theme:  # what furo's toggle stores: read before the page is painted
            self.context.add_init_script(f"localStorage.setItem('theme', '{stored_theme}')")
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        self.bytes = 0
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failures.append(f"{r.url} {r.failure}"))
        self.page.on("response", self._response)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.go(path)

    def go(self, path: str) -> None:
        """Read ``path`` in this tab, its records (requests, failures, errors, bytes) anew.

        The tab leaves the page before first (for ``about:blank``), so that what the page
        left behind (a lazy image cancelled by leaving) is not put down to the next one.
        """
        if self.page.url != "about:blank":
            self.page.goto("about:blank")
        self.requests, self.failures, self.errors, self.bytes = [], [], [], 0
        self.status = self.page.goto(f"{self.base}/{path}", wait_until="load")

    def _response(self, response: Response) -> None:
        status = response.status
        if status >= 400 and not response.url.endswith("/no/such/page.html"):
            self.failures.append(f"{response.url} HTTP {status}")
        length = response.headers.get("content-length")
        self.bytes += int(length) if length and length.isdigit() else 0

    def scroll_through(self) -> None:
        """Scroll to the bottom and back, so lazy images load as a reader would see them.

        Then loads every image the page renders that is still lazy (a fast scroll skips them;
        the hidden ``<picture>`` of the other theme is not rendered and stays unloaded), and
        waits for each, at most 3 s.
        """
        self.page.evaluate(
            """async () => {
                for (let y = 0; y < document.body.scrollHeight; y += innerHeight * 1.5) {
                    scrollTo(0, y);
                    await new Promise(requestAnimationFrame);
                }
                scrollTo(0, 0);
                // what a slower reader's scroll would have loaded: every rendered lazy image
                const shown = [...document.images].filter(i => !i.complete && i.offsetParent);
                await Promise.all(shown.map(i => new Promise(ok => {
                    i.addEventListener("load", ok); i.addEventListener("error", ok);
                    setTimeout(ok, 3000); i.loading = "eager"; })));
            }"""
        )

    def close(self) -> None:
        self.context.close()


def _html_paths() -> list[str]:
    return [p.name for p in pages() if p.name not in {"genindex.html", "search.html"}]


@functools.cache
def _variants_by_file() -> dict[str, dict[str, Any]]:
    """Every variant the scraper recorded, by file name (text size, natural width)."""
    out: dict[str, dict[str, Any]] = {}  # JSON
    for sidecar in (ROOT / "docs" / "auto_gallery").rglob("images/sphx_glr_*.json"):
        record = json.loads(sidecar.read_text())
        for variant in (record.get("variants") or {}).values():
            out[variant["image"]] = variant
    return out


_PHONE_CHECKS = """async () => {
    const out = {overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                 images: [], math: [], inline: [], wide: []};
    const vw = document.documentElement.clientWidth;
    for (const img of document.querySelectorAll('picture.relu-picture img')) {
        if (!img.offsetParent || img.closest('.sphx-glr-thumbcontainer')) continue;
        if (!img.currentSrc) {  // a lazy image not reached yet: bring it into view, let it load
            img.scrollIntoView();
            await Promise.race([img.decode().catch(() => null),
                                new Promise(ok => setTimeout(ok, 3000))]);
        }
        out.images.push({src: img.currentSrc, width: img.getBoundingClientRect().width});
    }
    for (const svg of document.querySelectorAll('div.math svg')) {
        const box = svg.getBoundingClientRect();
        const column = svg.closest('article').getBoundingClientRect();
        const max = svg.style.maxWidth;
        svg.style.maxWidth = 'none';
        const natural = svg.getBoundingClientRect().width;
        svg.style.maxWidth = max;
        const font = parseFloat(getComputedStyle(svg).fontSize);
        out.math.push({label: (svg.getAttribute('aria-label') || '').slice(0, 60),
                       right: box.right - column.right, left: column.left - box.left,
                       scaledFont: font * box.width / natural});
    }
    for (const svg of document.querySelectorAll('article span.math svg')) {
        // a formula in the text cannot wrap: past the column it is cut off (tables scroll)
        if (svg.closest('.table-wrapper, pre, .highlight')) continue;
        const over = svg.getBoundingClientRect().right - svg.closest('article').getBoundingClientRect().right;
        if (over > 1) out.inline.push({label: (svg.getAttribute('aria-label') || '').slice(0, 60), over});
    }
    for (const el of document.querySelectorAll('article *')) {
        const r = el.getBoundingClientRect();
        if (r.width && r.right > vw + 1 && !el.closest('pre, .highlight, .table-wrapper, .math'))
            out.wide.push(el.tagName + '.' + el.className);
    }
    return out;
}"""

_VIDEO_CHECKS = """() => [...document.querySelectorAll('video.relu-video')].filter(v => v.offsetParent).map(v => {
    const box = v.getBoundingClientRect();
    const w = parseFloat(getComputedStyle(v).getPropertyValue('--w'));
    const h = parseFloat(getComputedStyle(v).getPropertyValue('--h'));
    const frame = box.width * h / w;
    const button = v.parentElement.querySelector('button.relu-play');
    const b = button && button.getBoundingClientRect();
    return {label: (v.getAttribute('aria-label') || '').slice(0, 50), room: box.height - frame,
            poster: v.poster, preload: v.preload, playable: !!v.querySelector('source')?.src,
            button: b ? {w: b.width, h: b.height, cx: b.left + b.width / 2 - box.left,
                         cy: b.top + b.height / 2 - box.top, hidden: button.hidden} : null,
            width: box.width, frame};
})"""


def _media_requests(visit: Visit, theme: str, phone: bool) -> list[str]:
    """Media the page fetched that its mode does not show (or a video nobody played)."""
    wrong = []
    for url in visit.requests:
        path = unquote(urlsplit(url).path)
        if "/_images/" not in path:
            continue
        name = path.rsplit("/", 1)[-1]
        local = SITE / "_images" / name
        if name.endswith((".mp4", ".webm")):
            wrong.append(f"video fetched before it was played: {name}")
            continue
        variant = variant_of(local)
        if variant is not None and variant[0] != theme:
            wrong.append(f"{variant[0]} variant fetched in the {theme} theme: {name}")
        elif variant is not None and variant[1] and not phone:
            wrong.append(f"phone variant fetched on a desktop: {name}")
    return wrong


def _axe_problems(page: Page, path: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
    results = Axe().run(page, options=options)
    problems = []
    for v in results.response["violations"]:
        if v["impact"] in {"serious", "critical"}:
            nodes = "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
            problems.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} at {nodes}")
    return problems


#: The pages of a mode are read in this many groups (every GROUPS-th page), so that
#: pytest-xdist's workers share them: a page waits on Chromium more than it computes.
GROUPS = 4


@pytest.mark.parametrize("group", range(GROUPS))
@pytest.mark.parametrize(
    ("theme", "phone"), MODES, ids=["light", "dark", "phone-light", "phone-dark"]
)
def test_every_page_in_every_mode(
    browser: Browser, server: str, theme: str, phone: bool, group: int
) -> None:
    host = urlsplit(server).netloc
    mode = f"{'phone-' if phone else ''}{theme}"
    folder = SHOTS / mode
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    weights: list[str] = []
    variants = _variants_by_file()
    paths = _html_paths()
    assert len(paths) >= 40, paths
    visit: Visit | None = None
    for path in paths[group::GROUPS]:
        if visit is None:
            visit = Visit(browser, server, path, dark=theme == "dark", phone=phone)
        else:
            visit.go(path)
        visit.scroll_through()
        foreign = [
            u
            for u in visit.requests
            if urlsplit(u).scheme in {"http", "https"} and urlsplit(u).netloc != host
        ]
        problems += [f"{path}: request to another host: {u}" for u in foreign]
        problems += [f"{path}: failed request: {f}" for f in visit.failures]
        problems += [f"{path}: console error: {e}" for e in visit.errors]
        problems += [f"{path}: {w}" for w in _media_requests(visit, theme, phone)]
        for v in visit.page.evaluate(_VIDEO_CHECKS):
            where = f"{path}: video {v['label']!r}"
            if v["room"] < (PHONE_CONTROLS_ROOM if phone else CONTROLS_ROOM):
                problems.append(f"{where}: only {v['room']:.0f} px under the picture for controls")
            if ("-dark." in v["poster"]) != (theme == "dark"):
                problems.append(f"{where}: poster {v['poster']} in the {theme} theme")
            if v["preload"] != "none" or not v["playable"]:
                problems.append(f"{where}: preload={v['preload']}, source set: {v['playable']}")
            b = v["button"]
            if b is None or b["hidden"] or min(b["w"], b["h"]) < 44:
                problems.append(f"{where}: no visible play button on the poster ({b})")
            elif not (0 < b["cy"] < v["frame"] and 0 < b["cx"] < v["width"]):
                problems.append(f"{where}: play button outside the picture ({b})")
            if phone:  # the video's text, as small as the frame is shown
                poster = variants.get(unquote(urlsplit(v["poster"]).path).rsplit("/", 1)[-1])
                if poster is None or not poster.get("text_px"):
                    problems.append(f"{where}: no recorded text size for {v['poster']}")
                elif (shown := poster["text_px"] * v["width"] / poster["width"]) < MIN_FIGURE_TEXT:
                    problems.append(f"{where}: text is {shown:.1f} px on a phone")
        if phone:
            found = visit.page.evaluate(_PHONE_CHECKS)
            if found["overflow"] > 0:
                problems.append(
                    f"{path}: scrolls sideways by {found['overflow']} px ({found['wide'][:3]})"
                )
            for img in found["images"]:
                name = unquote(urlsplit(img["src"]).path).rsplit("/", 1)[-1]
                variant = variants.get(name)
                if variant is None:
                    problems.append(f"{path}: figure {name} has no recorded text size")
                    continue
                shown = float(variant["text_px"]) * img["width"] / float(variant["width"])
                if shown < MIN_FIGURE_TEXT:
                    problems.append(f"{path}: text of {name} is {shown:.1f} px on a phone")
            for m in found["inline"]:
                problems.append(
                    f"{path}: inline math {m['label']!r} cut off {m['over']:.0f} px past the column"
                )
            for m in found["math"]:
                if m["right"] > 1 or m["left"] > 1:
                    problems.append(f"{path}: display math {m['label']!r} overflows the column")
                if m["scaledFont"] < MIN_FIGURE_TEXT:
                    problems.append(
                        f"{path}: math {m['label']!r} scaled to {m['scaledFont']:.1f} px text"
                    )
        problems += _axe_problems(visit.page, path)
        visit.page.screenshot(
            path=folder / f"{path.replace('/', '__').removesuffix('.html')}.jpg",
            full_page=True,
            type="jpeg",
            quality=55,
        )
        weights.append(f"{visit.bytes / 1024:>8,.0f} KiB  {path}")
    if visit is not None:
        visit.close()
    (SITE.parent / f"browser-weights-{mode}-{group + 1}of{GROUPS}.txt").write_text(
        "fetched on load, scrolled through (videos not played)\n" + "\n".join(weights) + "\n"
    )
    assert not problems, "\n".join(problems[:60])


def test_math_is_typeset(browser: Browser, server: str) -> None:
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


_PLAY = """async v => {
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
            error: v.error && v.error.code, width: v.videoWidth, src: v.currentSrc};
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_video_shows_its_poster_and_plays(browser: Browser, server: str, theme: str) -> None:
    video_pages = [p.name for p in pages() if p.videos]
    assert video_pages
    checked = 0
    for path in video_pages:
        visit = Visit(browser, server, path, dark=theme == "dark")
        for i in range(visit.page.locator("video.relu-video:not(.relu-video-static)").count()):
            video = visit.page.locator("video.relu-video:not(.relu-video-static)").nth(i)
            video.scroll_into_view_if_needed()
            info = video.evaluate(_PLAY)
            where = f"{path} video {i}"
            assert info["canPlay"] in {"probably", "maybe"}, f"{where}: cannot play {info}"
            assert info["poster"] > 0, f"{where}: poster does not load"
            assert info["error"] is None, f"{where}: media error {info['error']} ({info['src']})"
            assert info["playError"] is None, f"{where}: {info['playError']} ({info['src']})"
            assert info["before"] == 0, f"{where}: did not start at 0 {info}"
            assert info["after"] > 0, f"{where}: did not advance {info}"
            assert info["width"] > 0, f"{where}: no decoded frame"
            assert ("-dark." in info["src"]) == (theme == "dark"), f"{where}: {info['src']}"
            checked += 1
        mp4 = [u for u in visit.requests if u.endswith(".mp4")]
        other = [u for u in mp4 if ("-dark." in u) != (theme == "dark")]
        assert not other, f"{path}: videos of the other theme fetched: {other}"
        visit.close()
    assert checked >= 4


def _guide_page() -> str:
    return next(p.name for p in pages() if p.name.startswith("guide/03-"))


def test_play_button_plays_and_hides(browser: Browser, server: str) -> None:
    visit = Visit(browser, server, _guide_page())
    button = visit.page.locator("button.relu-play").first
    button.scroll_into_view_if_needed()
    button.click()
    visit.page.wait_for_function(
        "() => document.querySelector('video.relu-video').currentTime > 0", timeout=8000
    )
    assert visit.page.evaluate("() => document.querySelector('button.relu-play').hidden")
    visit.close()


def test_theme_chosen_with_furo_toggle_shows_dark_media_without_a_flash(
    browser: Browser, server: str
) -> None:
    """A reader who chose dark with furo's toggle (stored) on a light system: only dark media
    are fetched, from the first paint; toggling back to light swaps every figure and video."""
    visit = Visit(browser, server, _guide_page(), dark=False, stored_theme="dark")
    visit.scroll_through()
    assert visit.page.evaluate("() => document.body.dataset.theme") == "dark"
    assert not _media_requests(visit, "dark", False), _media_requests(visit, "dark", False)
    state = """() => ({
        images: [...document.querySelectorAll('picture.relu-picture img')]
            .filter(i => i.offsetParent).map(i => i.currentSrc || i.src),
        posters: [...document.querySelectorAll('video.relu-video')]
            .filter(v => v.offsetParent).map(v => v.poster)})"""
    dark = visit.page.evaluate(state)
    assert dark["images"]
    assert dark["posters"]
    assert all("-dark." in s for s in dark["images"] + dark["posters"]), dark
    visit.page.evaluate("() => { document.body.dataset.theme = 'light'; }")
    visit.scroll_through()
    light = visit.page.evaluate(state)
    assert len(light["images"]) == len(dark["images"])
    assert not any("-dark." in s for s in light["images"] + light["posters"]), light
    visit.close()


def test_light_and_dark_screenshots(browser: Browser, server: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    colors = {}
    for dark in (False, True):
        for path in ["index.html", _guide_page()]:
            visit = Visit(browser, server, path, dark=dark)
            mode = "dark" if dark else "light"
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


def test_404_page_works_at_any_depth(browser: Browser, server: str) -> None:
    root = published_root()
    visit = Visit(browser, server, f"{root.strip('/')}/no/such/page.html".lstrip("/"))
    assert visit.status is not None
    assert visit.status.status == 404
    assert "Page not found" in visit.page.inner_text("article")
    styled = visit.page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "serif" in styled.lower() or "sans" in styled.lower(), styled
    # the favicon is fetched after load: wait for it, so that it is checked here and not
    # cancelled by the click below (a cancelled request is no fault of the site)
    visit.page.wait_for_load_state("networkidle")
    assert not visit.failures, visit.failures
    link = visit.page.locator("article li a").first
    link.click()
    visit.page.wait_for_load_state("networkidle")
    assert "404" not in visit.page.title(), visit.page.url
    assert not visit.failures, visit.page.url
    visit.close()
