"""Reading the built site: its pages, the local files each one loads, their weight.

Shared by the built-site checks (``test_site.py``) and the browser checks (``test_browser.py``).
The site is ``docs/_build/html`` unless ``RELU_GUIDE_SITE`` names another folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("RELU_GUIDE_SITE", ROOT / "docs" / "_build" / "html"))

#: Per-page budget: the page with everything it loads (scripts, styles, fonts, images, videos).
PAGE_BUDGET = 600 * 1024
#: All media of the seed's chapters (the first three of the guide) together.
SEED_MEDIA_BUDGET = 1024 * 1024
#: All media of the whole site together.
SITE_MEDIA_BUDGET = 2 * 1024 * 1024

MEDIA_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".webm"}
SEED_CHAPTERS = ("guide/01-", "guide/02-", "guide/03-")


@dataclass
class Reference:
    """One URL found in a page or stylesheet."""

    url: str
    tag: str
    attr: str
    rel: str = ""


@dataclass
class Page:
    """What the checks need to know of one HTML file."""

    path: Path
    refs: list[Reference] = field(default_factory=list)
    videos: list[dict[str, str | None]] = field(default_factory=list)
    images: list[dict[str, str | None]] = field(default_factory=list)
    video_sources: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.relative_to(SITE).as_posix()


class _Collector(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_video = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower()
        for attr in ("href", "src", "poster", "data"):
            value = a.get(attr)
            if value:
                self.page.refs.append(Reference(value, tag, attr, rel))
        for attr in ("srcset", "imagesrcset"):
            for candidate in (a.get(attr) or "").split(","):
                if candidate.strip():
                    self.page.refs.append(Reference(candidate.split()[0], tag, attr, rel))
        if tag == "video":
            self.page.videos.append(a)
            self.in_video = True
        elif tag == "source" and self.in_video and a.get("src"):
            self.page.video_sources.append(a["src"] or "")
        elif tag == "img":
            self.page.images.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "video":
            self.in_video = False


def require_site() -> Path:
    """The built site's folder; fail (never skip) when it is missing."""
    if not (SITE / "index.html").is_file():
        raise AssertionError(f"no built site at {SITE}: build it first with `nox -s docs`")
    return SITE


@cache
def pages() -> tuple[Page, ...]:
    """Every HTML page of the site, parsed."""
    out = []
    for path in sorted(require_site().rglob("*.html")):
        page = Page(path)
        _Collector(page).feed(path.read_text(encoding="utf-8"))
        out.append(page)
    return tuple(out)


def is_external(url: str) -> bool:
    """True for a URL that names a host (http, https or protocol-relative)."""
    return bool(urlsplit(url).netloc) or url.startswith("//")


def is_local(url: str) -> bool:
    """True for a relative or site-absolute URL to a file of the site."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolve(base: Path, url: str) -> Path:
    """The file a local URL points to, from the file ``base`` that refers to it."""
    path = unquote(urlsplit(url).path)
    target = (SITE / path.lstrip("/")) if path.startswith("/") else (base.parent / path)
    target = Path(os.path.normpath(target))
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


_LOADED_RELS = {"stylesheet", "preload", "icon", "modulepreload"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def css_references(css: Path) -> list[str]:
    """URLs a stylesheet loads (``url(...)`` and ``@import``), data: URIs left out."""
    text = css.read_text(encoding="utf-8", errors="replace")
    urls = [a or b for a, b in _CSS_URL.findall(text)]
    return [u for u in urls if not u.startswith(("data:", "#"))]


def loaded_files(page: Page) -> set[Path]:
    """Every local file a page loads when read in full: itself, its scripts, styles (and what
    they import), images, video posters and the videos themselves (a reader plays them)."""
    files = {page.path}
    stack: list[Path] = []
    for ref in page.refs:
        if not is_local(ref.url):
            continue
        if ref.tag == "a" or (ref.tag == "link" and not _LOADED_RELS & set(ref.rel.split())):
            continue
        target = resolve(page.path, ref.url)
        if target.is_file():
            files.add(target)
            if target.suffix == ".css":
                stack.append(target)
    while stack:
        css = stack.pop()
        for url in css_references(css):
            if is_local(url):
                target = resolve(css, url)
                if target.is_file() and target not in files:
                    files.add(target)
                    if target.suffix == ".css":
                        stack.append(target)
    return files


def weight(files: set[Path]) -> int:
    """Bytes of a set of files."""
    return sum(f.stat().st_size for f in files)


def media_files(paths: set[Path] | None = None) -> dict[str, Path]:
    """Media files (images, videos) by content hash, so a figure copied twice counts once.

    Theme assets under ``_static`` are not media of the guide.
    """
    if paths is None:
        paths = {p for p in require_site().rglob("*") if p.is_file()}
    out: dict[str, Path] = {}
    for p in sorted(paths):
        rel = p.relative_to(SITE).as_posix()
        if p.suffix.lower() in MEDIA_SUFFIXES and not rel.startswith("_static/"):
            out.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
    return out


def kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"
