"""The WebP effort of the site's figures: CPU and bytes of each lossless method, in one run.

The scraper writes every figure variant as a palette PNG and shows its lossless WebP copy
(:func:`relu_guide.faces.sphinxext.variants.to_webp`). This encodes the PNGs of a built gallery
(``nox -s docs`` first) with each lossless ``method`` (libwebp's effort, 0 to 6), the methods
interleaved over several rounds so that a busy machine slows all of them alike, and prints the
median CPU seconds and the total size of each, against the method the scraper uses.

Run: ``python benchmarks/bench_webp.py [--rounds N] [--slowest] [--gallery DIR]``
(``--slowest``: method 6 too, about a minute for every 10 images; ``--gallery``: another built
gallery than ``docs/auto_gallery``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
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
    if not pngs:
        sys.exit(f"no gallery images under {gallery}: build the site first (nox -s docs)")
    images = []
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
