"""The WebP effort of the site's figures: CPU and bytes of each lossless method, in one run.

The scraper writes every figure variant as a palette PNG and shows its lossless WebP copy
(:func:`relu_guide.faces.sphinxext.variants.to_webp`). This encodes the PNGs of a built gallery
(``nox -s docs``) with each lossless ``method`` (libwebp's effort, 0 to 6), the methods
interleaved over several rounds so that a busy machine slows all of them alike, and prints the
median CPU seconds and the total size of each, against the method the scraper uses. Without a
built gallery it first draws, as the scraper does (every variant), the gallery's figures that
need no training: the activations, the hats, the sawtooth and the depth table.

Run: ``python benchmarks/bench_webp.py [--rounds N] [--slowest] [--gallery DIR]``
(``--slowest``: method 6 too, about a minute for every 10 images; ``--gallery``: another built
gallery than ``docs/auto_gallery``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "docs" / "auto_gallery"


def encode_all(images: list[object], method: int) -> tuple[float, int]:
    """CPU seconds and total bytes of encoding ``images`` losslessly with ``method``."""
    start, size = time.process_time(), 0
    for image in images:
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", lossless=True, method=method, quality=100, exact=True)  # type: ignore[attr-defined]
        size += buffer.tell()
    return time.process_time() - start, size


def draw_figures(folder: Path) -> list[Path]:
    """The gallery's figures that need no training, saved as the scraper saves them."""
    sys.path.insert(0, str(ROOT))
    from relu_guide.core.sawtooth import depth_table
    from relu_guide.drawing.activation_figures import (
        activation_figure,
        activations_comparison_figure,
    )
    from relu_guide.drawing.approximation_figures import hat_figure
    from relu_guide.drawing.study_figures import depth_figure, sawtooth_figure
    from relu_guide.faces.sphinxext.scraping import Scraper

    figures = [activation_figure(a) for a in ("sigmoid", "tanh", "relu", "leaky_relu")]
    figures += [activations_comparison_figure(), hat_figure("sin", 8)]
    figures += [sawtooth_figure((1, 2, 3)), depth_figure(depth_table(8))]
    folder.mkdir(parents=True)
    for i, fig in enumerate(figures):
        Scraper._save_figure(fig, folder / f"sphx_glr_figure_{i:03d}.png", str(folder))
    print(f"no built gallery: {len(figures)} figures drawn as the scraper draws them")
    return sorted(folder.glob("sphx_glr_*.png"))


def main(argv: list[str] | None = None) -> None:
    from PIL import Image

    sys.path.insert(0, str(ROOT))
    from relu_guide.faces.sphinxext.variants import WEBP_METHOD

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every method (3)")
    parser.add_argument("--slowest", action="store_true", help="method 6 too (very slow)")
    parser.add_argument("--gallery", type=Path, default=GALLERY, help="a built gallery folder")
    args = parser.parse_args(argv)
    gallery = args.gallery.resolve()
    pngs = sorted(p for p in gallery.rglob("images/sphx_glr_*.png") if "thumb" not in p.parts)
    images = []
    with tempfile.TemporaryDirectory(prefix="bench-webp-") as drawn:
        if not pngs:
            gallery = Path(drawn) / "images"
            pngs = draw_figures(gallery)
        for png in pngs:
            with Image.open(png) as image:
                images.append(image.convert("RGB"))
    methods = list(range(7 if args.slowest else 6))
    seconds: dict[int, list[float]] = {m: [] for m in methods}
    sizes: dict[int, int] = {}
    for _ in range(args.rounds):
        for method in methods:
            cpu, sizes[method] = encode_all(images, method)
            seconds[method].append(cpu)
    base_cpu, base_size = statistics.median(seconds[WEBP_METHOD]), sizes[WEBP_METHOD]
    print(f"{len(images)} images of {gallery}; the scraper uses method {WEBP_METHOD}")
    print("| method | CPU (median) | vs used | size | vs used |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for method in methods:
        cpu = statistics.median(seconds[method])
        print(
            f"| {method} | {cpu:.2f} s | {cpu / base_cpu:.2f}x | {sizes[method] / 1024:,.0f} KiB "
            f"| {sizes[method] / base_size - 1:+.1%} |"
        )


if __name__ == "__main__":
    main()
