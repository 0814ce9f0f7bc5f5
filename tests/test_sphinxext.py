"""The Sphinx glue: the scraper, the video node, the gallery-figure directive, math, caches."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from PIL import Image
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace
from sphinx_gallery.scrapers import ImagePathIterator

from relu_guide import Experiment, animate, train
from relu_guide.drawing.animation import Animation
from relu_guide.faces import sphinxext
from relu_guide.faces.sphinxext import GalleryFigureError, HeaderOrder, scraper
from relu_guide.faces.sphinxext.cache import (
    _invalidate_if_package_changed,
    _outdated_docs,
    _store_hash,
)
from relu_guide.faces.sphinxext.variants import PHONE_COLUMN, VIDEO_SIZES

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

nocolor()

CONF = 'extensions = ["relu_guide.faces.sphinxext"]\nhtml_math_renderer = "relu_svg"\n'


@pytest.fixture(scope="module")
def small_animation() -> Animation:
    run = train(Experiment(hidden=(2,), steps=20, frames=3, seed=2))
    return animate(run, view="fit", size=(320, 240), fps=4)


def _image(path: Path) -> tuple[tuple[int, int], str]:
    with Image.open(path) as image:
        return image.size, image.mode


def _background(image: Image.Image) -> float:
    """The mean of the RGB channels of a pixel near the corner."""
    pixel = image.convert("RGB").getpixel((2, 2))
    assert isinstance(pixel, tuple), pixel
    return sum(pixel) / 3


def _search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    found = re.search(pattern, text, flags)
    assert found is not None, pattern
    return found


def _block_vars(images: Path, **example_globals: object) -> dict[str, Any]:
    return {
        "image_path_iterator": ImagePathIterator(images / "sphx_glr_plot_demo_{0:03}.png"),
        "example_globals": example_globals,
    }


def _build(src: Path, index: str, files: dict[str, str] | None = None) -> tuple[Path, str]:
    """Build ``index`` (reST) in a fresh Sphinx project; return the HTML folder and warnings."""
    (src / "conf.py").write_text(CONF)
    (src / "index.rst").write_text(index)
    for name, text in (files or {}).items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    out, warnings = src / "_build" / "html", io.StringIO()
    with docutils_namespace():  # several Sphinx apps in one process, each with clean registries
        app = Sphinx(
            src, src, out, src / "_build" / "doctrees", "html", status=None, warning=warnings
        )
        app.build()
    return out, warnings.getvalue()


def test_scraper_saves_animation_in_both_themes_with_posters_and_sidecar(
    tmp_path: Path, small_animation: Animation
) -> None:
    """At the site's size for its view, with the text floor a phone needs, whatever its size."""
    images = tmp_path / "images"
    images.mkdir()
    block_vars = _block_vars(images, anim=small_animation)

    rst = scraper(None, block_vars, {"src_dir": str(tmp_path)})

    record = json.loads((images / "sphx_glr_plot_demo_001.json").read_text())
    assert record["kind"] == "video"
    assert record["alt"] == small_animation.alt
    assert set(record["variants"]) == {"light", "dark"}
    backgrounds: dict[str, float] = {}
    for theme, variant in record["variants"].items():
        video, poster = images / variant["video"], images / variant["image"]
        assert video.read_bytes()[4:8] == b"ftyp"  # an MP4 container
        assert (variant["width"], variant["height"]) == VIDEO_SIZES["fit"] == (560, 600)
        assert variant["text_px"] * PHONE_COLUMN / 560 >= 9.0
        with Image.open(poster) as image:
            assert image.size == (560, 600)
            backgrounds[theme] = _background(image)
    assert record["variants"]["dark"]["video"] == "sphx_glr_plot_demo_001-dark.mp4"
    assert backgrounds["light"] > 200, backgrounds  # drawn dark, not filtered:
    assert backgrounds["dark"] < 60, backgrounds
    assert _image(images / "sphx_glr_plot_demo_001.png") == ((560, 600), "P")  # for thumbnails
    assert small_animation.size == (320, 240)  # the reader's object is left as it was
    assert rst.strip() == ".. relu-media:: /images/sphx_glr_plot_demo_001.json"
    assert "base64" not in rst
    # the same object, still in the globals of a later block, is not scraped again
    assert scraper(None, block_vars, {"src_dir": str(tmp_path)}) == ""
    # nor is a poster numbered twice
    assert not (images / "sphx_glr_plot_demo_002.png").exists()


def test_scraper_embeds_a_labelled_video_that_loads_only_its_theme(
    tmp_path: Path, small_animation: Animation
) -> None:
    images = tmp_path / "images"
    images.mkdir()
    rst = scraper(None, _block_vars(images, anim=small_animation), {"src_dir": str(tmp_path)})

    out, warnings = _build(tmp_path, "Demo\n====\n" + rst)

    assert warnings == ""
    html = (out / "index.html").read_text()
    tag = _search(r"<video[^>]*>", html).group(0)
    for attribute in ("controls", "loop", "muted", "playsinline", 'preload="none"'):
        assert attribute in tag
    assert " poster=" not in tag
    assert "<source" not in html.split("<noscript>")[0]
    assert 'data-light-poster="_images/sphx_glr_plot_demo_001.webp"' in tag
    assert 'data-dark-src="_images/sphx_glr_plot_demo_001-dark.mp4"' in tag
    assert 'height="648"' in tag  # the frame and room for the controls under it
    assert re.search(r'aria-label="Training animation of [^"]+"', tag)
    assert "reluMedia(document.currentScript.previousElementSibling)" in html
    noscript = html.split("<noscript>")[1].split("</noscript>")[0]
    assert '<source src="_images/sphx_glr_plot_demo_001.mp4" type="video/mp4">' in noscript
    assert "base64" not in html
    assert "jshtml" not in html
    for name in ("001.mp4", "001-dark.mp4", "001.webp", "001-dark.webp"):
        assert (out / "_images" / f"sphx_glr_plot_demo_{name}").stat().st_size > 100
    caption = _search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert "Training animation of" in caption


def test_scraper_saves_figures_with_alt_text_and_a_narrow_variant(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 1], [0, 1])
    fig.set_label("A rising straight line.")
    _untitled, ax2 = plt.subplots(figsize=(2, 2))
    ax2.set_title("$\\sigma(x) = \\dfrac{1}{1 + e^{-x}} \\mathrm{ReLU}^{2}$")

    rst = scraper(None, _block_vars(images), {"src_dir": str(tmp_path)})

    assert plt.get_fignums() == []
    first = json.loads((images / "sphx_glr_plot_demo_001.json").read_text())
    assert first["kind"] == "image"
    assert first["alt"] == "A rising straight line."
    assert (first["width"], first["height"]) == (600, 300)
    light, narrow = first["variants"]["light"], first["variants"]["narrow-light"]
    assert _image(images / light["image"])[0] == (750, 375)  # FIGURE_SCALE 1.25
    assert (narrow["width"], _image(images / narrow["image"])[0][0]) == (440, 550)
    assert "dark" not in first["variants"]  # plain matplotlib: no recipe to redraw it dark
    assert ".. relu-media:: /images/sphx_glr_plot_demo_001.json" in rst
    second = json.loads((images / "sphx_glr_plot_demo_002.json").read_text())
    assert second["alt"] == "Figure: sigma(x) = (1)/(1 + e^-x) ReLU^2"
    assert "narrow-light" not in second["variants"]  # already narrow


def test_scraper_redraws_relu_guide_figures_dark(tmp_path: Path) -> None:
    from relu_guide.drawing.activation_figures import activation_figure

    images = tmp_path / "images"
    images.mkdir()
    fig = activation_figure("sigmoid")

    scraper(None, _block_vars(images, fig=fig), {"src_dir": str(tmp_path)})

    record = json.loads((images / "sphx_glr_plot_demo_001.json").read_text())
    assert set(record["variants"]) == {"light", "dark", "narrow-light", "narrow-dark"}
    with Image.open(images / record["variants"]["narrow-dark"]["image"]) as image:
        assert _background(image) < 60
        assert image.height > image.width  # the two panels stacked for a phone
    assert record["variants"]["narrow-dark"]["text_px"] >= 12.5


GALLERY_EXAMPLE = "Sigmoid demo\n============\n\nThe example page.\n"


def _fake_gallery_output(src: Path, kind: str) -> None:
    images = src / "auto_gallery" / "activations" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (40, 20), "white").save(images / "sphx_glr_plot_demo_001.png")
    record: dict[str, object] = {
        "kind": kind,
        "image": "sphx_glr_plot_demo_001.png",
        "alt": "A white box.",
    }
    record |= {"video": "sphx_glr_plot_demo_001.mp4", "width": 20, "height": 10}
    if kind == "video":
        (images / "sphx_glr_plot_demo_001.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    (images / "sphx_glr_plot_demo_001.json").write_text(json.dumps(record))


@pytest.mark.parametrize("kind", ["image", "video"])
def test_gallery_figure_embeds_the_output_and_links_the_example(tmp_path: Path, kind: str) -> None:
    _fake_gallery_output(tmp_path, kind)
    index = (
        "Guide\n=====\n\n.. toctree::\n\n   auto_gallery/activations/plot_demo\n\n"
        ".. gallery-figure:: activations/plot_demo\n"
    )
    out, warnings = _build(
        tmp_path, index, {"auto_gallery/activations/plot_demo.rst": GALLERY_EXAMPLE}
    )

    assert warnings == ""
    html = (out / "index.html").read_text()
    figure = _search(r'<figure class="[^"]*gallery-figure.*?</figure>', html, re.S).group(0)
    assert 'href="auto_gallery/activations/plot_demo.html"' in figure
    assert "Code: Sigmoid demo" in figure
    assert "A white box." in figure
    if kind == "image":
        assert re.search(
            r'<img src="_images/sphx_glr_plot_demo_001.png" alt="A white box."', figure
        )
    else:
        assert 'aria-label="A white box."' in figure
        assert (out / "_images" / "sphx_glr_plot_demo_001.mp4").is_file()


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        (".. gallery-figure:: activations/plot_missing", "no such gallery example"),
        (".. gallery-figure:: activations/plot_demo\n   :index: 2", "no output number 2"),
    ],
)
def test_gallery_figure_fails_the_build_on_a_missing_output(
    tmp_path: Path, directive: str, message: str
) -> None:
    _fake_gallery_output(tmp_path, "image")
    files = {"auto_gallery/activations/plot_demo.rst": GALLERY_EXAMPLE}
    with pytest.raises(GalleryFigureError, match=message):
        _build(tmp_path, f"Guide\n=====\n\n{directive}\n", files)


def test_math_is_typeset_at_build_time_without_scripts(tmp_path: Path) -> None:
    out, warnings = _build(tmp_path, "Math\n====\n\n:math:`\\max(0, x)`\n\n.. math:: x^2\n")

    assert warnings == ""
    html = (out / "index.html").read_text()
    assert html.count("<svg") == 2
    assert 'aria-label="\\max(0, x)"' in html
    assert "mathjax" not in html.lower()
    assert "http" not in html.split('<section id="math">')[1].split("</section>")[0]


def test_open_graph_tags_describe_each_page_in_plain_words(tmp_path: Path) -> None:
    conf = CONF + (
        'html_baseurl = "https://example.org/guide/"\n'
        'relu_guide_social_image = "_images/card.png"\n'
        'relu_guide_social_image_alt = "A card & more"\n'
    )
    intro = "The ReLU, :math:`\\max(0, x)`, is *two* half-lines.\n\n" + "Word " * 60
    out, warnings = _build(
        tmp_path, f"Kinks & bends\n=============\n\n{intro}\n", {"conf.py": conf}
    )
    assert warnings == ""
    html = (out / "index.html").read_text()
    meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)" />', html))
    assert meta["og:title"] == "Kinks &amp; bends"
    assert meta["og:url"] == "https://example.org/guide/index.html"
    assert meta["og:image"] == "https://example.org/guide/_images/card.png"
    assert meta["og:image:alt"] == "A card &amp; more"
    text = meta["og:description"]
    assert text.startswith("The ReLU, max(0, x), is two half-lines. Word Word"), text
    assert text.endswith("Word…"), text
    assert len(text) <= 200
    assert meta["description"] == text


def test_the_math_renderer_is_made_before_the_writers_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from relu_guide.faces.sphinxext import mathsvg

    def app(renderer: str) -> Any:
        return SimpleNamespace(config=SimpleNamespace(html_math_renderer=renderer))

    monkeypatch.setattr(mathsvg, "_renderer", None)
    mathsvg.start_before_writing(app("mathjax"), SimpleNamespace(format="html"))
    mathsvg.start_before_writing(app("relu_svg"), SimpleNamespace(format="latex"))
    assert mathsvg._renderer is None  # neither typesets with it
    mathsvg.start_before_writing(app("relu_svg"), SimpleNamespace(format="html"))
    made = mathsvg._renderer
    assert made is not None
    assert "<svg" in mathsvg.tex_to_svg("x_{123}")  # never typeset before: the same renderer
    assert mathsvg._renderer is made


def test_tex_error_is_a_build_warning(tmp_path: Path) -> None:
    _, warnings = _build(tmp_path, "Math\n====\n\n:math:`\\frac{1}{`\n")
    assert "TeX error" in warnings


def _fake_app(tmp_path: Path, package: Path) -> SimpleNamespace:
    return SimpleNamespace(
        config=SimpleNamespace(
            relu_guide_source_dirs=[package],
            sphinx_gallery_conf={"gallery_dirs": "auto_gallery"},
            nb_execution_cache_path=str(tmp_path / "cache"),
        ),
        srcdir=tmp_path,
        doctreedir=tmp_path / "doctrees",
    )


def test_a_package_change_invalidates_examples_and_notebooks(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("x = 1\n")
    md5 = tmp_path / "auto_gallery" / "training" / "plot_demo.py.md5"
    cache = tmp_path / "cache"

    def cached_state() -> None:
        md5.parent.mkdir(parents=True, exist_ok=True)
        md5.write_text("0" * 32)
        cache.mkdir(exist_ok=True)

    fake = _fake_app(tmp_path, package)
    app = cast("Sphinx", fake)  # what the hooks read (and set) of the app
    cached_state()
    _invalidate_if_package_changed(app)  # no hash stored yet: everything runs
    assert fake._relu_guide_changed
    assert not md5.exists()
    assert not cache.exists()
    _store_hash(app, None)

    cached_state()
    _invalidate_if_package_changed(app)  # nothing changed: caches kept
    assert not fake._relu_guide_changed
    assert md5.exists()
    assert cache.exists()

    (package / "mod.py").write_text("x = 2\n")
    _invalidate_if_package_changed(app)  # a change in the package: all re-run
    assert fake._relu_guide_changed
    assert not md5.exists()
    assert not cache.exists()
    env = cast("BuildEnvironment", SimpleNamespace(found_docs={"a", "b", "c"}))
    assert _outdated_docs(app, env, {"a"}, set(), set()) == ["b", "c"]


def test_a_failed_build_does_not_store_the_hash(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("x = 1\n")
    fake = _fake_app(tmp_path, package)
    app = cast("Sphinx", fake)  # what the hooks read (and set) of the app
    _invalidate_if_package_changed(app)
    _store_hash(app, RuntimeError("cell failed"))
    _invalidate_if_package_changed(app)
    assert fake._relu_guide_changed


def test_header_order(tmp_path: Path) -> None:
    (tmp_path / "GALLERY_HEADER.rst").write_text(
        "Title\n-----\n\n.. example order: plot_b.py\n   plot_a.py\n"
    )
    key = HeaderOrder(tmp_path)
    names = ["plot_a.py", "plot_c.py", "plot_b.py", "plot_0.py"]
    assert sorted(names, key=key) == ["plot_b.py", "plot_a.py", "plot_0.py", "plot_c.py"]


def test_source_hash_rejects_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nowhere"):
        sphinxext.source_hash([tmp_path / "nowhere"])
