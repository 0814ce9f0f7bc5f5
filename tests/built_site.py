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
#: All media of the whole site together (every variant: light, dark, narrow).
SITE_MEDIA_BUDGET = 3 * 1024 * 1024

MEDIA_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".webm"}
SEED_CHAPTERS = ("guide/01-", "guide/02-", "guide/03-")


@dataclass
class Reference:
    """One URL found in a page or stylesheet (``hidden``: inside ``<noscript>``)."""

    url: str
    tag: str
    attr: str
    rel: str = ""
    hidden: bool = False


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
        self.in_noscript = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower()
        if tag == "noscript":
            self.in_noscript = True
        for attr in ("href", "src", "poster", "data", *VIDEO_DATA_ATTRS):
            value = a.get(attr)
            if value:
                self.page.refs.append(Reference(value, tag, attr, rel, self.in_noscript))
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
        elif tag == "noscript":
            self.in_noscript = False


#: Attributes of a ``<video>`` naming the poster and source of each theme (relu-media.js).
VIDEO_DATA_ATTRS = ("data-light-poster", "data-light-src", "data-dark-poster", "data-dark-src")
#: The reading modes the budgets hold in: theme, and whether the screen is a phone's.
MODES = (("light", False), ("dark", False), ("light", True), ("dark", True))


def variant_of(path: Path) -> tuple[str, bool] | None:
    """``(theme, narrow)`` of a media variant by its name (``x-dark.png``, ``x-narrow-light.png``,
    ``x_thumb-dark.png``), None for a file that has no variants."""
    stem = path.stem
    for suffix, variant in (
        ("-narrow-dark", ("dark", True)),
        ("-narrow-light", ("light", True)),
        ("-dark", ("dark", False)),
    ):
        if stem.endswith(suffix):
            return variant
    if path.with_name(f"{stem}-dark{path.suffix}").is_file():
        return ("light", False)
    return None


def shown_in(path: Path, theme: str, phone: bool) -> bool:
    """Whether a reader in this mode loads ``path`` (a narrow variant replaces the wide one of
    its theme on a phone)."""
    variant = variant_of(path)
    if variant is None:
        return True
    if variant[0] != theme:
        return False
    if variant[1]:
        return phone
    base = path.stem.removesuffix("-dark")
    narrow = path.with_name(f"{base}-narrow-{theme}{path.suffix}")
    return not (phone and narrow.is_file())


def require_site() -> Path:
    """The built site's folder; fail (never skip) when it is missing."""
    if not (SITE / "index.html").is_file():
        msg = f"no built site at {SITE}: build it first with `nox -s docs`"
        raise AssertionError(msg)
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


def loaded_files(page: Page, theme: str | None = None, phone: bool = False) -> set[Path]:
    """Every local file a page loads when read in full: itself, its scripts, styles (and what
    they import), images, video posters and the videos themselves (a reader plays them).

    With a ``theme``, only the media variants a reader in that theme (on a phone or not)
    loads; without, every variant."""
    files = {page.path}
    stack: list[Path] = []
    for ref in page.refs:
        if not is_local(ref.url) or (theme is not None and ref.hidden):
            continue
        if ref.tag == "a" or (ref.tag == "link" and not _LOADED_RELS & set(ref.rel.split())):
            continue
        target = resolve(page.path, ref.url)
        if theme is not None and not shown_in(target, theme, phone):
            continue
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
