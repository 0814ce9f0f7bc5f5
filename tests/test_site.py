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
            if is_local(ref.url) and not resolve(page.path, ref.url).exists():
                missing.append(f"{page.name}: <{ref.tag} {ref.attr}={ref.url!r}>")
    for css in SITE.rglob("*.css"):
        for url in css_references(css):
            if is_local(url) and not resolve(css, url).exists():
                missing.append(f"{css.relative_to(SITE)}: url({url})")
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
            poster = v.get("poster")
            if not poster or not resolve(page.path, poster).is_file():
                problems.append(f"{where} has no poster file ({poster!r})")
            if "controls" not in v:
                problems.append(f"{where} has no controls")
            if not (v.get("aria-label") or v.get("aria-labelledby") or v.get("title")):
                problems.append(f"{where} has no label")
        for src in page.video_sources:
            if not resolve(page.path, src).is_file():
                problems.append(f"{page.name}: video source {src!r} missing")
    assert videos >= 4, f"expected the seed's animations as videos, found {videos}"
    assert not problems, "\n".join(problems)


def test_every_image_has_alt_text() -> None:
    problems = []
    for page in pages():
        for img in page.images:
            alt = (img.get("alt") or "").strip()
            if not alt or re.fullmatch(r"(sphx_glr_)?[\w.-]+\.(png|svg|jpg)|_images/.*", alt):
                problems.append(f"{page.name}: <img src={img.get('src')!r} alt={alt!r}>")
    assert not problems, "images without real alt text:\n" + "\n".join(problems[:40])


def test_page_weights_within_budget() -> None:
    rows = sorted(((weight(loaded_files(p)), p.name) for p in pages()), reverse=True)
    report = "\n".join(f"{kib(w):>10}  {name}" for w, name in rows[:15])
    (SITE.parent / "page-weights.txt").write_text(report + "\n", encoding="utf-8")
    over = [f"{name}: {kib(w)}" for w, name in rows if w > PAGE_BUDGET]
    assert not over, f"pages over {kib(PAGE_BUDGET)} with all they load:\n" + "\n".join(over)


def _media_of(prefixes: tuple[str, ...]) -> dict[str, Path]:
    files: set[Path] = set()
    for page in pages():
        if page.name.startswith(prefixes):
            files |= loaded_files(page)
    return media_files(files)


def test_media_within_budget() -> None:
    seed = _media_of(SEED_CHAPTERS)
    everything = media_files()
    seed_bytes = weight(set(seed.values()))
    site_bytes = weight(set(everything.values()))
    report = (
        f"media of the seed's chapters: {len(seed)} files, {kib(seed_bytes)}\n"
        f"media of the whole site: {len(everything)} files, {kib(site_bytes)}\n"
    )
    (SITE.parent / "media-weight.txt").write_text(report, encoding="utf-8")
    assert seed, "the seed's chapters show no media"
    assert seed_bytes < SEED_MEDIA_BUDGET, report
    assert site_bytes < SITE_MEDIA_BUDGET, report
