"""Checks over the built HTML site: links resolve, nothing external loads, media have labels,
every page stays within its weight budget.

Run after ``nox -s docs`` (``nox -s site`` does both). A missing site fails, it is never skipped.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest
from built_site import (
    MODES,
    PAGE_BUDGET,
    SEED_CHAPTERS,
    SEED_MEDIA_BUDGET,
    SITE,
    SITE_MEDIA_BUDGET,
    css_references,
    is_external,
    is_local,
    kib,
    loaded_files,
    media_files,
    pages,
    require_site,
    resolve,
    variant_of,
    weight,
)

pytestmark = pytest.mark.site

# Hosts of the usual CDNs, looked for inside scripts (a script may fetch what HTML does not name).
_CDN = re.compile(
    r"https?://(?:[\w.-]*\.)?(?:jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|"
    r"googleapis\.com|gstatic\.com|polyfill\.io|code\.jquery\.com|cdn\.datatables\.net|"
    r"mathjax\.org|kit\.fontawesome\.com)"
)


def test_site_exists_with_the_four_parts() -> None:
    site = require_site()
    for part in ["index.html", "guide/index.html", "auto_gallery/index.html", "api.html"]:
        assert (site / part).is_file() or (site / part.replace(".html", "/index.html")).is_file(), (
            f"{part} missing from the built site"
        )


def test_every_local_reference_resolves() -> None:
    missing = []
    for page in pages():
        for ref in page.refs:
            if ref.tag == "base":  # the 404 page's root path on the published site
                continue
            if is_local(ref.url) and not resolve(page.path, ref.url).exists():
                missing.append(f"{page.name}: <{ref.tag} {ref.attr}={ref.url!r}>")
    for css in SITE.rglob("*.css"):
        missing += [
            f"{css.relative_to(SITE)}: url({url})"
            for url in css_references(css)
            if is_local(url) and not resolve(css, url).exists()
        ]
    assert not missing, "broken local references:\n" + "\n".join(missing[:40])


def test_guide_and_gallery_pages_are_reachable_from_the_landing_page() -> None:
    by_path = {p.path: p for p in pages()}
    start = SITE / "index.html"
    seen = {start}
    queue = deque([start])
    while queue:
        page = by_path[queue.popleft()]
        for ref in page.refs:
            if ref.tag == "a" and is_local(ref.url):
                target = resolve(page.path, ref.url)
                if target.suffix == ".html" and target in by_path and target not in seen:
                    seen.add(target)
                    queue.append(target)
    wanted = [
        p.path
        for p in pages()
        if p.name.startswith(("guide/", "auto_gallery/")) and "sg_execution_times" not in p.name
    ]
    assert len(wanted) >= 10
    unreachable = sorted(p.relative_to(SITE).as_posix() for p in wanted if p not in seen)
    assert not unreachable, f"pages not reachable from index.html: {unreachable}"


def test_nothing_loads_from_a_third_party_host() -> None:
    offenders = []
    for page in pages():
        for ref in page.refs:
            if ref.tag == "link" and ref.rel == "canonical":  # names the page, loads nothing
                continue
            if ref.tag != "a" and is_external(ref.url):
                offenders.append(f"{page.name}: <{ref.tag} {ref.attr}={ref.url!r}>")
    for css in SITE.rglob("*.css"):
        offenders += [
            f"{css.relative_to(SITE)}: url({u})" for u in css_references(css) if is_external(u)
        ]
    for script in SITE.rglob("*.js"):
        hit = _CDN.search(script.read_text(encoding="utf-8", errors="replace"))
        if hit:
            offenders.append(f"{script.relative_to(SITE)}: {hit.group(0)}")
    assert not offenders, "third-party hosts referred to:\n" + "\n".join(offenders[:40])


def test_no_execution_time_tables_ship() -> None:
    found = [p.relative_to(SITE).as_posix() for p in SITE.rglob("sg_execution_times*")]
    assert not found, f"sphinx-gallery run-time tables (they load jQuery from a CDN): {found}"


def test_every_video_has_poster_controls_and_label() -> None:
    videos = 0
    problems = []
    for page in pages():
        for v in page.videos:
            videos += 1
            where = f"{page.name}: <video {v.get('aria-label') or v.get('src') or ''}>"
            posters = [v.get(a) for a in ("poster", "data-light-poster", "data-dark-poster")]
            if not any(posters):
                problems.append(f"{where} has no poster")
            problems += [
                f"{where}: poster file {poster!r} missing"
                for poster in filter(None, posters)
                if not resolve(page.path, poster).is_file()
            ]
            if "controls" not in v:
                problems.append(f"{where} has no controls")
            if not (v.get("aria-label") or v.get("aria-labelledby") or v.get("title")):
                problems.append(f"{where} has no label")
        problems += [
            f"{page.name}: video source {src!r} missing"
            for src in page.video_sources
            if not resolve(page.path, src).is_file()
        ]
    assert videos >= 4, f"expected the seed's animations as videos, found {videos}"
    assert not problems, "\n".join(problems)


def test_every_output_has_a_dark_variant_drawn_by_relu_guide() -> None:
    """Each light figure, poster, video and thumbnail of the site has its dark twin, and the
    twin is drawn in the dark style (a dark background), not a filtered copy."""
    from PIL import Image

    suffixes = {".png", ".webp", ".mp4"}
    media = sorted(p for p in (SITE / "_images").iterdir() if p.suffix in suffixes)
    assert media
    missing = []
    bright = []
    for path in media:
        if variant_of(path) is None:
            missing.append(path.name)
        elif variant_of(path) == ("dark", False) and path.suffix in {".png", ".webp"}:
            with Image.open(path) as image:
                corner = image.convert("RGB").getpixel((1, 1))
            assert isinstance(corner, tuple), corner
            if sum(corner) / 3 > 60:
                bright.append(f"{path.name}: background {corner}")
    assert not missing, f"media without a dark variant: {missing}"
    assert not bright, "dark variants with a light background:\n" + "\n".join(bright)
    css = (SITE / "_static" / "guide.css").read_text()
    assert "filter:" not in css, "a CSS filter stands in for the dark figures"


def test_dark_and_narrow_pictures_come_in_pairs() -> None:
    """Every figure is a light <picture> and a dark one; both name a narrow source for phones
    (thumbnails aside)."""
    problems = []
    for page in pages():
        html = page.path.read_text(encoding="utf-8")
        light = html.count('class="relu-picture relu-only-light"')
        dark = html.count('class="relu-picture relu-only-dark"')
        if light != dark:
            problems.append(f"{page.name}: {light} light pictures, {dark} dark ones")
    assert not problems, "\n".join(problems)
    landing = (SITE / "guide" / "03-why-relus.html").read_text(encoding="utf-8")
    assert "(max-width: 32rem)" in landing
    assert "-narrow-dark." in landing


def test_every_image_has_alt_text() -> None:
    problems = []
    for page in pages():
        for img in page.images:
            alt = (img.get("alt") or "").strip()
            if not alt or re.fullmatch(r"(sphx_glr_)?[\w.-]+\.(png|svg|jpg)|_images/.*", alt):
                problems.append(f"{page.name}: <img src={img.get('src')!r} alt={alt!r}>")
    assert not problems, "images without real alt text:\n" + "\n".join(problems[:40])


#: Words that place a panel by where it sits in the wide layout: phones stack the panels.
PANEL_BY_POSITION = re.compile(
    r"\((left|right)\b|\b(left|right)\)|\b(Left|Right):|\b(left|right) panel"
)


def test_panels_are_named_by_order_not_by_side() -> None:
    """Alt texts and figure captions say "first panel", never "left": on a phone the panels of
    a figure are stacked, so "left" would be wrong there."""
    problems = []
    for page in pages():
        html = page.path.read_text(encoding="utf-8")
        captions = re.findall(r"<figcaption>(.*?)</figcaption>", html, flags=re.S)
        texts = [img.get("alt") or "" for img in page.images] + captions
        problems += [
            f"{page.name}: {m.group(0)!r}" for t in texts if (m := PANEL_BY_POSITION.search(t))
        ]
    assert not problems, "\n".join(problems[:40])


def test_no_page_shows_a_raw_claim() -> None:
    """A cell or block that ends in a check shows nothing: its claim is in the ledger page, and a
    ``Claim(text=...)`` repr in the prose would be debris."""
    shown = [p.name for p in pages() if "Claim(text=" in p.path.read_text(encoding="utf-8")]
    assert not shown, f"raw Claim reprs on {len(shown)} pages: {shown[:10]}"


def test_page_weights_within_budget() -> None:
    """Every page with all it loads, in each theme on a desktop and on a phone."""
    rows = []
    for p in pages():
        weights = {mode: weight(loaded_files(p, *mode)) for mode in MODES}
        rows.append((max(weights.values()), p.name, weights))
    rows.sort(reverse=True)
    head = f"{'light':>10}{'dark':>10}{'phone L':>10}{'phone D':>10}  page"
    lines = [head] + [
        "".join(f"{kib(w[m]):>10}" for m in MODES) + f"  {name}" for _, name, w in rows
    ]
    (SITE.parent / "page-weights.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    over = [
        f"{name} ({'phone ' if m[1] else ''}{m[0]}): {kib(w[m])}"
        for _, name, w in rows
        for m in MODES
        if w[m] > PAGE_BUDGET
    ]
    assert not over, f"pages over {kib(PAGE_BUDGET)} with all they load:\n" + "\n".join(over)


def _media_of(prefixes: tuple[str, ...], theme: str, phone: bool) -> dict[str, Path]:
    files: set[Path] = set()
    for page in pages():
        if page.name.startswith(prefixes):
            files |= loaded_files(page, theme, phone)
    return media_files(files)


def test_media_within_budget() -> None:
    """The seed's chapters, as one reader loads them (any mode); the site, every variant."""
    seed = {mode: _media_of(SEED_CHAPTERS, *mode) for mode in MODES}
    seed_bytes = {mode: weight(set(files.values())) for mode, files in seed.items()}
    everything = media_files()
    site_bytes = weight(set(everything.values()))
    worst = max(seed_bytes, key=seed_bytes.__getitem__)
    report = (
        "".join(
            f"media of the seed's chapters, {'phone ' if m[1] else ''}{m[0]}: "
            f"{len(seed[m])} files, {kib(seed_bytes[m])}\n"
            for m in MODES
        )
        + f"media of the whole site, every variant: {len(everything)} files, {kib(site_bytes)}\n"
    )
    (SITE.parent / "media-weight.txt").write_text(report, encoding="utf-8")
    assert seed[worst], "the seed's chapters show no media"
    assert seed_bytes[worst] < SEED_MEDIA_BUDGET, report
    assert site_bytes < SITE_MEDIA_BUDGET, report


def test_published_site_metadata() -> None:
    """Sitemap, Open Graph cards, the footer's build stamp and the 404 page, from one base URL."""
    site = require_site()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert any(u.endswith("guide/03-why-relus.html") for u in locs), locs[:5]
    bases = {u[: u.index("guide/")] for u in locs if "/guide/" in u}
    assert len(bases) == 1, f"the sitemap names several base URLs: {bases}"
    (base,) = bases
    index = (site / "index.html").read_text(encoding="utf-8")
    for prop in ("og:title", "og:url", "og:image", "og:site_name"):
        assert f'property="{prop}"' in index, f"index.html lacks {prop}"
    assert f'content="{base}' in index, "Open Graph and sitemap disagree on the base URL"
    for page in pages():
        if page.name in {"search.html", "genindex.html"}:
            continue
        html = page.path.read_text(encoding="utf-8")
        stamp = re.search(r"Built from commit\s*(?:<a[^>]*>)?<code>(\w+)</code>", html)
        assert stamp, f"{page.name}: no stamp"
        assert re.fullmatch(r"[0-9a-f]{7}", stamp.group(1)), f"{page.name}: {stamp.group(0)}"
        assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html), f"{page.name}: no date"
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in missing
    assert re.search(r'<base href="/[^"]*/?">', missing), "404 page without a <base>"
    assert "404.html" not in sitemap


def test_pages_workflow_runs_the_readme_commands() -> None:
    readme = (SITE.parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", readme, re.S)
    assert block, "README has no two-command block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    commands = [c for c in commands if c]
    assert len(commands) == 2, commands
    workflow = (SITE.parents[2] / ".github" / "workflows" / "pages.yml").read_text()
    for command in commands:
        assert f"run: {command}" in workflow, f"the Pages workflow does not run {command!r}"
    assert "path: docs/_build/html" in workflow
    assert "deploy-pages" in workflow
    assert "branches: [main]" in workflow
    rtd = (SITE.parents[2] / ".readthedocs.yaml").read_text()
    assert "configuration: docs/conf.py" in rtd
    assert "- docs" in rtd
